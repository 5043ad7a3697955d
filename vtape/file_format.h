// The on-disk layout of a file: tape image (documented in vtape/FORMAT.md).
//
// Three files per medium: PATH (superblock + records, the source of truth),
// PATH.idx (one fixed-size entry per logical object, derived) and PATH.fm (the
// filemarks' object numbers, derived). Everything is little-endian. This file
// only encodes and decodes; file_tape.cc decides when to write what.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "vtape/little_endian.h"
#include "vtape/status.h"

namespace vtape::file_format {

// Version 1: one partition. Version 2: up to 4 partitions (FORMAT.md,
// "Partitions"); partition k >= 1 lives in its own image, PATH.pK. New
// single-partition images are still written as version 1, which every reader
// understands; formatting more partitions (or `vtape upgrade`) makes version 2.
//
// Version 3: the superblock of version 2; record headers may carry a record
// tag (byte 5, vtape/record_tag.h), which older readers reject as an unknown
// kind. An image becomes version 3 when its first tagged record is written
// (the superblock first, durable, then the record): media written without
// tags stay readable by older builds.
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::uint32_t kFormatVersion2 = 2;
inline constexpr std::uint32_t kFormatVersion3 = 3;
inline constexpr std::uint32_t kNewestFormatVersion = kFormatVersion3;
// The sidecar files (PATH.idx, PATH.fm) did not change in version 2.
inline constexpr std::uint32_t kSidecarVersion = 1;
// Partitions a version-2 image may hold.
inline constexpr std::uint32_t kMaxImagePartitions = 4;

// Data file: two superblock slots, then records.
inline constexpr std::uint64_t kSlotBytes = 32 * 1024;
inline constexpr std::uint64_t kSlotCount = 2;
inline constexpr std::uint64_t kDataStart = kSlotBytes * kSlotCount;
inline constexpr std::uint64_t kRecordHeaderBytes = 32;

// Sidecar files: a 64-byte header, then fixed-size entries.
inline constexpr std::uint64_t kSidecarHeaderBytes = 64;
inline constexpr std::uint64_t kIndexEntryBytes = 16;
inline constexpr std::uint64_t kFilemarkEntryBytes = 8;
inline constexpr char kIndexMagic[8] = {'V', 'T', 'A', 'P', 'E', 'I', 'D', 'X'};
inline constexpr char kFilemarkMagic[8] = {'V', 'T', 'A', 'P', 'E', 'F', 'M', 'K'};

// The fixed part of a superblock; the MAM attributes fill the rest of the slot.
inline constexpr std::uint64_t kSuperblockFixedBytes = 164;    // version 1
inline constexpr std::uint64_t kSuperblockFixedBytesV2 = 216;  // version 2

using ImageId = std::array<std::uint8_t, 16>;

// Seeds every record header and index entry CRC, so that records of another
// image (an earlier medium at the same path) never validate in this one.
std::uint32_t SaltOf(const ImageId& id);

struct Attribute {
  std::uint16_t id = 0;
  std::vector<std::uint8_t> value;
  auto operator<=>(const Attribute&) const = default;
};

struct Superblock {
  std::uint32_t format_version = kFormatVersion;
  std::uint64_t sequence = 0;  // the slot with the higher valid sequence wins
  ImageId image_id{};
  std::uint32_t epoch = 0;  // records after the durable point carry epoch >= this
  // The durable point: everything before it survived an fdatasync.
  std::uint64_t durable_objects = 0;
  std::uint64_t durable_data_end = kDataStart;
  std::uint64_t durable_filemarks = 0;
  std::uint32_t filemarks_crc = 0;  // CRC32C of the first durable_filemarks PATH.fm entries
  bool write_protected = false;
  std::uint32_t partitions = 1;
  std::uint64_t capacity_bytes = 0;
  std::uint64_t early_warning_bytes = 0;
  std::uint64_t partition_bytes = 0;  // usable bytes of partition 0 (<= capacity_bytes)
  std::string media_type;             // at most 16 bytes
  std::string barcode;                // at most 32 bytes
  std::vector<Attribute> attributes;  // sorted by id, values 1..65535 bytes
  // Version 2 only:
  // Which partition of its medium this image holds: 0 for PATH itself (which
  // then declares `partitions` and lists the others' image ids), k >= 1 for
  // PATH.pK (which holds one partition and declares partitions == 1).
  std::uint32_t partition_index = 0;
  // The image ids of partitions 1..3 (PATH.p1..PATH.p3), zero where absent:
  // an image at PATH.pK whose id is not listed here is not this medium's.
  std::array<ImageId, kMaxImagePartitions - 1> partition_ids{};

  auto operator<=>(const Superblock&) const = default;
};

// The fixed bytes of `sb`'s version.
std::uint64_t FixedBytesOf(const Superblock& sb);
// Bytes EncodeSuperblock would produce (must be <= kSlotBytes).
std::uint64_t EncodedSize(const Superblock& sb);
std::vector<std::uint8_t> EncodeSuperblock(const Superblock& sb);
// kCorruptImage with the reason when the slot is not a valid superblock,
// kUnsupported when it is valid but of a newer format version. Version 1, 2
// and 3 superblocks decode.
Status DecodeSuperblock(std::span<const std::uint8_t> slot, Superblock& sb);

enum class RecordKind : std::uint8_t { kRecord = 1, kFilemark = 2 };

struct RecordHeader {
  RecordKind kind = RecordKind::kRecord;
  std::uint64_t object = 0;
  std::uint32_t epoch = 0;
  std::uint32_t length = 0;  // payload bytes (0 for a filemark)
  std::uint32_t payload_crc = 0;
  std::uint8_t tag = 0;  // a record's tag (record_tag.h); nonzero only in version 3
};

void EncodeRecordHeader(const RecordHeader& h, std::uint32_t salt,
                        std::span<std::uint8_t, kRecordHeaderBytes> out);
// False (and why) when magic, kind, header CRC or length are wrong.
bool DecodeRecordHeader(std::span<const std::uint8_t, kRecordHeaderBytes> in, std::uint32_t salt,
                        RecordHeader& h, std::string& why);

struct IndexEntry {
  std::uint64_t offset = 0;  // of the record header in the data file
  std::uint32_t length = 0;  // payload bytes
  bool filemark = false;
  bool operator==(const IndexEntry&) const = default;
};

void EncodeIndexEntry(const IndexEntry& e, std::uint64_t object, std::uint32_t salt,
                      std::span<std::uint8_t, kIndexEntryBytes> out);
// False when the entry's CRC (which covers its object number) does not match.
bool DecodeIndexEntry(std::span<const std::uint8_t, kIndexEntryBytes> in, std::uint64_t object,
                      std::uint32_t salt, IndexEntry& e);

void EncodeSidecarHeader(const char (&magic)[8], const ImageId& id,
                         std::span<std::uint8_t, kSidecarHeaderBytes> out);
bool DecodeSidecarHeader(std::span<const std::uint8_t, kSidecarHeaderBytes> in,
                         const char (&magic)[8], const ImageId& id);

// Little-endian helpers (vtape/little_endian.h).
using vtape::Get32;
using vtape::Get64;
using vtape::Put32;
using vtape::Put64;

}  // namespace vtape::file_format
