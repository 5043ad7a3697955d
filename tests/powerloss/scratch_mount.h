// A file system image mounted through a loop device, without running any
// program (losetup, mount): the power-loss trials mount hundreds of crash
// states, and under QEMU TCG each exec costs about a second.
#pragma once

#include <cstdint>
#include <string>

namespace vtape::powerloss {

// Copies `from` to `to` (created or truncated), keeping holes (SEEK_DATA/SEEK_HOLE).
bool CopySparse(const std::string& from, const std::string& to, std::string& error);

class ScratchMount {
 public:
  ScratchMount() = default;
  ~ScratchMount();  // unmounts and detaches the loop device
  ScratchMount(const ScratchMount&) = delete;
  ScratchMount& operator=(const ScratchMount&) = delete;

  // Attaches `image` to a free loop device and mounts it on `dir` as `fstype`
  // with default options (the kernel replays the journal here).
  bool Mount(const std::string& image, const std::string& dir, const std::string& fstype,
             std::string& error);
  // Unmounts and detaches; false with `error` if the unmount failed.
  bool Unmount(std::string& error);

 private:
  int loop_fd_ = -1;
  std::string dir_;
  bool mounted_ = false;
};

}  // namespace vtape::powerloss
