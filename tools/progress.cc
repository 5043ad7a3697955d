#include "tools/progress.h"

#include <cstdio>

#include "tools/command.h"

namespace vtape::tool {

Progress::Progress(std::string label, std::uint64_t total, bool terminal)
    : label_(std::move(label)), total_(total), terminal_(terminal) {}

void Progress::Update(std::uint64_t done) {
  int percent = total_ == 0 ? 100 : static_cast<int>(done >= total_ ? 100 : done * 100 / total_);
  if (terminal_) {
    if (percent == last_shown_) return;
    last_shown_ = percent;
    constexpr int kWidth = 40;
    std::string bar(percent * kWidth / 100, '#');
    bar.resize(kWidth, ' ');
    std::fprintf(stderr, "\r%s [%s] %3d%% %s / %s", label_.c_str(), bar.c_str(), percent,
                 HumanBytes(done).c_str(), HumanBytes(total_).c_str());
    std::fflush(stderr);
    return;
  }
  int tenth = percent / 10;
  if (tenth == last_shown_ || tenth == 0 || total_ == 0) return;
  last_shown_ = tenth;
  std::fprintf(stderr, "%s: %d%% (%s of %s)\n", label_.c_str(), tenth * 10,
               HumanBytes(done).c_str(), HumanBytes(total_).c_str());
}

void Progress::Finish() {
  Update(total_);
  if (terminal_) std::fputc('\n', stderr);
}

}  // namespace vtape::tool
