#include "tests/powerloss/scratch_mount.h"

#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace vtape::powerloss {
namespace {

std::string Errno(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

bool CopySparse(const std::string& from, const std::string& to, std::string& error) {
  Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return error = Errno("open " + from), false;
  Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (out.get() < 0) return error = Errno("open " + to), false;
  off_t size = ::lseek(in.get(), 0, SEEK_END);
  if (size < 0 || ::ftruncate(out.get(), size) != 0) return error = Errno("size " + to), false;
  std::vector<char> buffer(1 << 20);
  off_t pos = 0;
  while (pos < size) {
    off_t data = ::lseek(in.get(), pos, SEEK_DATA);
    if (data < 0) {
      if (errno == ENXIO) break;  // only a hole is left
      return error = Errno("SEEK_DATA " + from), false;
    }
    off_t hole = ::lseek(in.get(), data, SEEK_HOLE);
    if (hole < 0) return error = Errno("SEEK_HOLE " + from), false;
    for (off_t at = data; at < hole;) {
      std::size_t n =
          static_cast<std::size_t>(std::min<off_t>(hole - at, static_cast<off_t>(buffer.size())));
      ssize_t got = ::pread(in.get(), buffer.data(), n, at);
      if (got <= 0) return error = Errno("read " + from), false;
      if (::pwrite(out.get(), buffer.data(), static_cast<std::size_t>(got), at) != got) {
        return error = Errno("write " + to), false;
      }
      at += got;
    }
    pos = hole;
  }
  return true;
}

ScratchMount::~ScratchMount() {
  std::string ignored;
  Unmount(ignored);
}

bool ScratchMount::Mount(const std::string& image, const std::string& dir,
                         const std::string& fstype, std::string& error) {
  Fd control(::open("/dev/loop-control", O_RDWR | O_CLOEXEC));
  if (control.get() < 0) return error = Errno("open /dev/loop-control"), false;
  Fd file(::open(image.c_str(), O_RDWR | O_CLOEXEC));
  if (file.get() < 0) return error = Errno("open " + image), false;
  for (int attempt = 0; attempt < 8 && loop_fd_ < 0; ++attempt) {
    int n = ::ioctl(control.get(), LOOP_CTL_GET_FREE);
    if (n < 0) return error = Errno("LOOP_CTL_GET_FREE"), false;
    std::string dev = "/dev/loop" + std::to_string(n);
    int fd = ::open(dev.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return error = Errno("open " + dev), false;
    loop_config config{};
    config.fd = static_cast<std::uint32_t>(file.get());
    config.info.lo_flags = LO_FLAGS_AUTOCLEAR;
    if (::ioctl(fd, LOOP_CONFIGURE, &config) != 0) {
      int err = errno;
      ::close(fd);
      if (err == EBUSY) continue;  // taken meanwhile: ask for another
      errno = err;
      return error = Errno("LOOP_CONFIGURE " + dev), false;
    }
    loop_fd_ = fd;
    if (::mount(dev.c_str(), dir.c_str(), fstype.c_str(), 0, nullptr) != 0) {
      error = Errno("mount " + dev + " (" + image + ") on " + dir + " as " + fstype);
      ::ioctl(loop_fd_, LOOP_CLR_FD, 0);
      ::close(loop_fd_);
      loop_fd_ = -1;
      return false;
    }
    dir_ = dir;
    mounted_ = true;
    return true;
  }
  return error = "no free loop device", false;
}

bool ScratchMount::Unmount(std::string& error) {
  bool ok = true;
  if (mounted_) {
    if (::umount2(dir_.c_str(), 0) != 0) {
      error = Errno("umount " + dir_);
      ok = false;
    }
    mounted_ = false;
  }
  if (loop_fd_ >= 0) {
    ::ioctl(loop_fd_, LOOP_CLR_FD, 0);  // AUTOCLEAR detaches on close anyway
    ::close(loop_fd_);
    loop_fd_ = -1;
  }
  return ok;
}

}  // namespace vtape::powerloss
