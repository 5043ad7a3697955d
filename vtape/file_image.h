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

// Partition k (>= 1) of the medium at PATH lives in the image PATH.pK; a
// format builds the new one as PATH.pK.next first (FORMAT.md, "Partitions").
inline std::string PartitionPathOf(const std::string& path, std::uint32_t k) {
  return path + ".p" + std::to_string(k);
}
inline std::string NextPathOf(const std::string& partition_path) {
  return partition_path + ".next";
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

// The current superblock of the image at `path`, without recovery or lock
// (kNotFound when there is no such file).
Status ReadImageSuperblock(const std::string& path, file_format::Superblock& sb);
// Builds an empty image at `path` (replacing what is there) whose superblock
// is `sb` (its image id gets a fresh random value), sidecars included, all
// fdatasynced; no atomic rename: the caller makes it reachable.
Status CreatePartitionImage(const std::string& path, file_format::Superblock& sb);
// Removes the image at `path` and its sidecars; missing files are no error.
Status RemoveImageFiles(const std::string& path);
// Renames the image `from` (and its sidecars) to `to`, data file first.
Status RenameImageFiles(const std::string& from, const std::string& to);
// Rewrites a version-1 image's superblock as version 2 (nothing else changes;
// its one partition stays where it is). Version 2 already: nothing to do.
Status UpgradeImage(const std::string& path);

// Writes `sb` (with the next sequence number) into the slot after `slot`, then
// fdatasyncs the data file: the durable point moves only once this returns.
Status WriteSuperblock(int data_fd, const std::string& path, file_format::Superblock& sb,
                       std::uint64_t& slot);

// Extends `crc` (the CRC32C of entries [0, from) as PATH.fm stores them) over
// entries [from, to): a sequential read of the list, bounded memory.
Status ExtendFilemarkCrc(const EntryFile& list, std::uint64_t from, std::uint64_t to,
                         std::uint32_t& crc);

}  // namespace vtape
