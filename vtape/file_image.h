// Opening, creating and recovering a file: tape image (the algorithms that
// FORMAT.md describes under "Recovery"); file_tape.cc then runs the medium.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vtape/file_entries.h"
#include "vtape/file_format.h"
#include "vtape/file_io.h"
#include "vtape/registry.h"
#include "vtape/status.h"

namespace vtape {

inline std::string IndexPathOf(const std::string& path) {
  return path + ".idx";
}
inline std::string FilemarkPathOf(const std::string& path) {
  return path + ".fm";
}

// An image after open and recovery: its files, its last durable superblock and
// where EOD lies. For a writable open the recovered state is already durable;
// a read-only open keeps the entries of records found after the durable point
// (and a filemark list it had to rebuild) in in-memory files (EntryFile overlays).
struct OpenedImage {
  std::string path;
  bool writable = false;
  Fd data;
  EntryFile index;      // one entry per object [0, eod)
  EntryFile filemarks;  // the filemarks' object numbers, ascending
  file_format::Superblock sb;
  std::uint64_t sb_slot = 0;  // the slot sb was read from (the next write goes to the other)
  std::uint64_t eod = 0;
  std::uint64_t data_end = file_format::kDataStart;
  std::uint32_t epoch = 0;    // the highest epoch on the medium
  std::string recovery_note;  // what recovery did, for logs ("" if nothing)
};

Status OpenImage(const std::string& path, bool writable, OpenedImage& image);
Status CreateImage(const std::string& path, const CreateOptions& options);
Status AccessImage(const std::string& path, bool for_write);

// Writes `sb` (with the next sequence number) into the slot after `slot`, then
// fdatasyncs the data file: the durable point moves only once this returns.
Status WriteSuperblock(int data_fd, const std::string& path, file_format::Superblock& sb,
                       std::uint64_t& slot);

// Extends `crc` (the CRC32C of entries [0, from) as PATH.fm stores them) over
// entries [from, to): a sequential read of the list, bounded memory.
Status ExtendFilemarkCrc(const EntryFile& list, std::uint64_t from, std::uint64_t to,
                         std::uint32_t& crc);

}  // namespace vtape
