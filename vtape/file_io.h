// Thin POSIX helpers for the file: backend: an owning descriptor, full-length
// positional I/O, the OFD write lock and space reservation, all as Status.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <span>
#include <string>

#include "vtape/status.h"

namespace vtape {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release();
  void reset();

 private:
  int fd_ = -1;
};

// open(2) with O_CLOEXEC; `what` names the file in messages.
Status OpenFile(const std::string& path, int flags, Fd& fd, int mode = 0644);

// Reads exactly buffer.size() bytes unless the file ends first: `got` says how many.
Status PreadUpTo(int fd, std::span<std::uint8_t> buffer, std::uint64_t offset, std::uint64_t& got,
                 const std::string& what);
// Reads exactly buffer.size() bytes; a short file is kCorruptImage.
Status PreadExact(int fd, std::span<std::uint8_t> buffer, std::uint64_t offset,
                  const std::string& what);
// Writes all of the iovecs (retrying short writes and EINTR).
Status PwritevAll(int fd, std::span<iovec> iov, std::uint64_t offset, const std::string& what);
Status PwriteAll(int fd, std::span<const std::uint8_t> data, std::uint64_t offset,
                 const std::string& what);
Status FileSize(int fd, std::uint64_t& size, const std::string& what);
Status Truncate(int fd, std::uint64_t size, const std::string& what);
Status DataSync(int fd, const std::string& what);
Status SyncDirectoryOf(const std::string& path);

// Takes an exclusive open-file-description lock on the whole file (F_OFD_SETLK):
// kBusy when another open of the file, in this or another process, holds it.
Status LockForWriting(int fd, const std::string& path);
// Takes a shared lock (F_RDLCK) on the whole file: readers share it, a writer
// excludes them (kBusy) and they exclude a writer.
Status LockForReading(int fd, const std::string& path);

// For tests: replaces fdatasync(2) (nullptr restores it), to inject failures.
using DataSyncFunction = int (*)(int fd);
void SetDataSyncForTesting(DataSyncFunction f);

// Makes sure [offset, offset+length) of the file has disk space, without
// changing its size. ENOSPC / EDQUOT / a file size limit are kEndOfMedium.
// A file system without fallocate support answers ok (space then is checked
// only by the writes themselves).
Status ReserveSpace(int fd, std::uint64_t offset, std::uint64_t length, const std::string& what);

}  // namespace vtape
