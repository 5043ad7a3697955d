#include "vtape/file_io.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace vtape {
namespace {
DataSyncFunction data_sync_for_testing = nullptr;  // see SetDataSyncForTesting
}  // namespace

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int Fd::release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void Fd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status OpenFile(const std::string& path, int flags, Fd& fd, int mode) {
  int raw;
  do {
    raw = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (raw < 0 && errno == EINTR);
  if (raw < 0) return Status::FromErrno(errno, "open " + path);
  fd = Fd(raw);
  return Status::Ok();
}

Status PreadUpTo(int fd, std::span<std::uint8_t> buffer, std::uint64_t offset, std::uint64_t& got,
                 const std::string& what) {
  got = 0;
  while (got < buffer.size()) {
    ssize_t n =
        ::pread(fd, buffer.data() + got, buffer.size() - got, static_cast<off_t>(offset + got));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "read " + what);
    }
    if (n == 0) break;
    got += static_cast<std::uint64_t>(n);
  }
  return Status::Ok();
}

Status PreadExact(int fd, std::span<std::uint8_t> buffer, std::uint64_t offset,
                  const std::string& what) {
  std::uint64_t got = 0;
  VTAPE_RETURN_IF_ERROR(PreadUpTo(fd, buffer, offset, got, what));
  if (got != buffer.size()) {
    return Status::CorruptImage(what + " ends at byte " + std::to_string(offset + got) +
                                ", before the " + std::to_string(buffer.size()) +
                                " bytes expected at offset " + std::to_string(offset));
  }
  return Status::Ok();
}

Status PwritevAll(int fd, std::span<iovec> iov, std::uint64_t offset, const std::string& what) {
  while (!iov.empty()) {
    int count = static_cast<int>(std::min<std::size_t>(iov.size(), IOV_MAX));
    ssize_t n = ::pwritev(fd, iov.data(), count, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "write " + what);
    }
    offset += static_cast<std::uint64_t>(n);
    std::size_t left = static_cast<std::size_t>(n);
    while (!iov.empty() && left >= iov.front().iov_len) {
      left -= iov.front().iov_len;
      iov = iov.subspan(1);
    }
    if (!iov.empty()) {
      iov.front().iov_base = static_cast<char*>(iov.front().iov_base) + left;
      iov.front().iov_len -= left;
    }
  }
  return Status::Ok();
}

Status PwriteAll(int fd, std::span<const std::uint8_t> data, std::uint64_t offset,
                 const std::string& what) {
  iovec one{const_cast<std::uint8_t*>(data.data()), data.size()};
  return PwritevAll(fd, std::span(&one, 1), offset, what);
}

Status FileSize(int fd, std::uint64_t& size, const std::string& what) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Status::FromErrno(errno, "stat " + what);
  size = static_cast<std::uint64_t>(st.st_size);
  return Status::Ok();
}

Status Truncate(int fd, std::uint64_t size, const std::string& what) {
  while (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
    if (errno != EINTR) return Status::FromErrno(errno, "truncate " + what);
  }
  return Status::Ok();
}

Status DataSync(int fd, const std::string& what) {
  auto sync = data_sync_for_testing ? data_sync_for_testing : ::fdatasync;
  while (sync(fd) != 0) {
    if (errno != EINTR) return Status::FromErrno(errno, "fdatasync " + what);
  }
  return Status::Ok();
}

Status SyncDirectoryOf(const std::string& path) {
  std::size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  Fd fd;
  VTAPE_RETURN_IF_ERROR(OpenFile(dir, O_RDONLY | O_DIRECTORY, fd));
  if (::fsync(fd.get()) != 0 && errno != EINVAL) {
    return Status::FromErrno(errno, "fsync directory " + dir);
  }
  return Status::Ok();
}

namespace {

// What holds the lock that conflicts with `type`, in words.
std::string Holder(int fd, short type) {
  struct flock probe {};
  probe.l_type = type;
  probe.l_whence = SEEK_SET;
  if (::fcntl(fd, F_OFD_GETLK, &probe) == 0 && probe.l_type == F_RDLCK) {
    return "open read-only";
  }
  return "open for writing";
}

Status Lock(int fd, const std::string& path, short type) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = 0;
  lock.l_len = 0;  // the whole file, however long it grows
  if (::fcntl(fd, F_OFD_SETLK, &lock) == 0) return Status::Ok();
  if (errno == EAGAIN || errno == EACCES) {
    std::string holder = Holder(fd, type);
    return Status::Busy("tape image " + path + " is already " + holder +
                        " (by this or another process); " +
                        (type == F_WRLCK ? "close it there first"
                                         : "close the writer first or wait until it is done"));
  }
  return Status::FromErrno(errno, "lock " + path);
}

}  // namespace

Status LockForWriting(int fd, const std::string& path) {
  return Lock(fd, path, F_WRLCK);
}

Status LockForReading(int fd, const std::string& path) {
  return Lock(fd, path, F_RDLCK);
}

void SetDataSyncForTesting(DataSyncFunction f) {
  data_sync_for_testing = f;
}

Status ReserveSpace(int fd, std::uint64_t offset, std::uint64_t length, const std::string& what) {
  // fallocate(KEEP_SIZE) ignores RLIMIT_FSIZE, so honour it here: otherwise the
  // limit would only bite when buffered records are flushed, after Write said ok.
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
      offset + length > limit.rlim_cur) {
    return Status::FromErrno(EFBIG, "grow " + what);
  }
  int rc;
  do {
    rc = ::fallocate(fd, FALLOC_FL_KEEP_SIZE, static_cast<off_t>(offset),
                     static_cast<off_t>(length));
  } while (rc != 0 && errno == EINTR);
  if (rc == 0 || errno == EOPNOTSUPP || errno == ENOSYS) return Status::Ok();
  return Status::FromErrno(errno, "reserve space in " + what);
}

}  // namespace vtape
