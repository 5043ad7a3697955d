#include "tests/powerloss/log_writes.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "vtape/little_endian.h"

namespace vtape::powerloss {
namespace {

constexpr std::size_t kEntryHeader = 32;

bool PreadAll(int fd, std::uint8_t* p, std::size_t n, std::uint64_t off) {
  while (n > 0) {
    ssize_t got = ::pread(fd, p, n, static_cast<off_t>(off));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    p += got, n -= static_cast<std::size_t>(got), off += static_cast<std::uint64_t>(got);
  }
  return true;
}

bool PwriteAll(int fd, const std::uint8_t* p, std::size_t n, std::uint64_t off) {
  while (n > 0) {
    ssize_t put = ::pwrite(fd, p, n, static_cast<off_t>(off));
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    p += put, n -= static_cast<std::size_t>(put), off += static_cast<std::uint64_t>(put);
  }
  return true;
}

}  // namespace

std::string LogEntry::FlagNames() const {
  std::string s;
  auto add = [&](std::uint64_t bit, const char* name) {
    if (flags & bit) s += (s.empty() ? "" : "|") + std::string(name);
  };
  add(kLogFlush, "FLUSH");
  add(kLogFua, "FUA");
  add(kLogDiscard, "DISCARD");
  add(kLogMark, "MARK");
  add(kLogMetadata, "META");
  return s.empty() ? "-" : s;
}

std::uint64_t LogEntry::LogBytes(std::uint32_t sectorsize) const {
  std::uint64_t data = (flags & (kLogDiscard | kLogMark)) ? 0 : nr_sectors;
  return (1 + data) * sectorsize;
}

LogReader::~LogReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool LogReader::Open(const std::string& path, std::string& error) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return error = path + ": " + std::strerror(errno), false;
  std::uint8_t super[28];
  if (!PreadAll(fd_, super, sizeof super, 0))
    return error = path + ": cannot read the super", false;
  if (Get64(super) != kLogMagic) return error = path + ": not a dm-log-writes log (magic)", false;
  if (Get64(super + 8) != 1) {
    return error = path + ": log version " + std::to_string(Get64(super + 8)) + ", expected 1",
           false;
  }
  entries_ = Get64(super + 16);
  sectorsize_ = Get32(super + 24);
  if (sectorsize_ < 512 || (sectorsize_ & (sectorsize_ - 1)) != 0) {
    return error = path + ": bad sectorsize " + std::to_string(sectorsize_), false;
  }
  Seek(0, sectorsize_);
  return true;
}

void LogReader::Seek(std::uint64_t index, std::uint64_t offset) {
  next_index_ = index;
  next_offset_ = offset;
}

bool LogReader::Next(LogEntry& e, std::string& error) {
  error.clear();
  if (next_index_ >= entries_) return false;
  std::vector<std::uint8_t> block(sectorsize_);
  if (!PreadAll(fd_, block.data(), block.size(), next_offset_)) {
    return error = path_ + ": entry " + std::to_string(next_index_) + " lies beyond the log's end",
           false;
  }
  e.index = next_index_;
  e.offset = next_offset_;
  e.sector = Get64(block.data());
  e.nr_sectors = Get64(block.data() + 8);
  e.flags = Get64(block.data() + 16);
  std::uint64_t data_len = Get64(block.data() + 24);
  e.mark.clear();
  if (e.flags & kLogMark) {
    if (data_len > sectorsize_ - kEntryHeader) {
      return error = path_ + ": entry " + std::to_string(e.index) + ": mark longer than a block",
             false;
    }
    e.mark.assign(reinterpret_cast<const char*>(block.data() + kEntryHeader), data_len);
  }
  next_index_ += 1;
  next_offset_ += e.LogBytes(sectorsize_);
  return true;
}

bool LogReader::Apply(const LogEntry& e, int target_fd, std::string& error,
                      std::uint64_t max_sectors) {
  if (e.flags & kLogMark) return true;
  std::uint64_t bytes = std::min(e.nr_sectors, max_sectors) * sectorsize_;
  std::uint64_t target = e.sector * sectorsize_;
  std::uint64_t source = e.offset + sectorsize_;
  std::vector<std::uint8_t> buffer(std::min<std::uint64_t>(bytes, 1 << 20));
  bool discard = (e.flags & kLogDiscard) != 0;
  for (std::uint64_t done = 0; done < bytes;) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), bytes - done));
    if (discard) {
      std::fill_n(buffer.begin(), n, 0);
    } else if (!PreadAll(fd_, buffer.data(), n, source + done)) {
      return error = path_ + ": entry " + std::to_string(e.index) + ": data cut short", false;
    }
    if (!PwriteAll(target_fd, buffer.data(), n, target + done)) {
      return error = "replaying entry " + std::to_string(e.index) + ": " + std::strerror(errno),
             false;
    }
    done += n;
  }
  return true;
}

}  // namespace vtape::powerloss
