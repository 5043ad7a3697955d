// A progress display on stderr: a redrawn bar on a terminal, otherwise a plain
// line at every tenth of the way (logs and pipes get no control characters).
#pragma once

#include <cstdint>
#include <string>

namespace vtape::tool {

class Progress {
 public:
  Progress(std::string label, std::uint64_t total, bool terminal);
  void Update(std::uint64_t done);
  // Completes the bar (or prints nothing more when plain).
  void Finish();

 private:
  std::string label_;
  std::uint64_t total_;
  bool terminal_;
  int last_shown_ = -1;  // percent (terminal) or tenth (plain) last printed
};

}  // namespace vtape::tool
