// Reading and replaying a dm-log-writes log (the kernel's
// Documentation/admin-guide/device-mapper/log-writes.rst; the layout is the
// one drivers/md/dm-log-writes.c writes, version 1):
//
//   block 0:  super  { le64 magic 0x6a736677736872, le64 version 1,
//                      le64 nr_entries, le32 sectorsize }
//   then nr_entries times:
//     one block  { le64 sector, le64 nr_sectors, le64 flags, le64 data_len,
//                  then data_len bytes of mark text for a MARK }
//     nr_sectors blocks of written data (none for a DISCARD or a MARK)
//
// A block is `sectorsize` bytes (the data device's logical block size);
// `sector` and `nr_sectors` count such blocks. Writes are logged in the order
// they completed, and a write that was not yet covered by a FLUSH is logged
// just before the FLUSH that covered it: replaying a prefix of the log gives
// a state the device may hold after a power cut at that point.
#pragma once

#include <cstdint>
#include <string>

namespace vtape::powerloss {

inline constexpr std::uint64_t kLogFlush = 1 << 0;
inline constexpr std::uint64_t kLogFua = 1 << 1;
inline constexpr std::uint64_t kLogDiscard = 1 << 2;
inline constexpr std::uint64_t kLogMark = 1 << 3;
inline constexpr std::uint64_t kLogMetadata = 1 << 4;
inline constexpr std::uint64_t kLogMagic = 0x6a736677736872ull;

struct LogEntry {
  std::uint64_t index = 0;   // 0-based position in the log
  std::uint64_t offset = 0;  // byte offset of the entry's header block in the log
  std::uint64_t sector = 0;  // first block written (sectorsize units)
  std::uint64_t nr_sectors = 0;
  std::uint64_t flags = 0;
  std::string mark;  // for a MARK

  // "FLUSH|FUA", "MARK", "" ...
  std::string FlagNames() const;
  // The bytes the entry takes in the log, header included.
  std::uint64_t LogBytes(std::uint32_t sectorsize) const;
};

class LogReader {
 public:
  LogReader() = default;
  ~LogReader();
  LogReader(const LogReader&) = delete;
  LogReader& operator=(const LogReader&) = delete;

  // Opens the log and reads its super; false with `error` when it is not one.
  bool Open(const std::string& path, std::string& error);
  std::uint32_t sectorsize() const { return sectorsize_; }
  std::uint64_t entries() const { return entries_; }

  // Continues at entry `index` whose header is at byte `offset` (from a
  // previous Next) instead of walking from the first entry.
  void Seek(std::uint64_t index, std::uint64_t offset);
  // Reads the next entry's header; false at the end (error empty) or on a
  // damaged entry (error set).
  bool Next(LogEntry& entry, std::string& error);
  // Applies `entry` to the device or file `target_fd`: its data is written at
  // sector * sectorsize; a DISCARD writes zeros (a discarded range reads back
  // as anything; zeros are one such state). Marks and bare flushes write nothing.
  // `max_sectors` < nr_sectors applies only the write's first sectors (a torn write).
  bool Apply(const LogEntry& entry, int target_fd, std::string& error,
             std::uint64_t max_sectors = UINT64_MAX);

 private:
  int fd_ = -1;
  std::string path_;
  std::uint32_t sectorsize_ = 0;
  std::uint64_t entries_ = 0;
  std::uint64_t next_index_ = 0;
  std::uint64_t next_offset_ = 0;
};

}  // namespace vtape::powerloss
