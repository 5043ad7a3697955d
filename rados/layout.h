// The objects of a rados: cartridge (rados/FORMAT.md describes them for readers
// without the source): a header object NAME, data objects NAME.pP.dN holding
// partition P's record bytes back to back in kDataObjectBytes stripes, index
// objects NAME.pP.iK holding kIndexEntriesPerObject fixed-size entries, one per
// logical object (record or filemark), and MAM attributes in the header's omap.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vtape/partitions.h"
#include "vtape/status.h"

namespace vtape::rados {

inline constexpr std::uint64_t kDataObjectBytes = 4u << 20;
inline constexpr std::uint64_t kIndexEntriesPerObject = 65536;
inline constexpr std::size_t kEntryBytes = 24;
inline constexpr std::size_t kHeaderBytes = 512;
inline constexpr std::uint32_t kFormatVersion = 1;
// Version 2: index entries may carry a record tag (vtape/record_tag.h) in the
// top bits of their length; a cartridge changes to it when its first tagged
// record is written, so a build that does not know tags refuses it.
inline constexpr std::uint32_t kFormatVersionTagged = 2;
// The name of the exclusive lock on the header object, and the xattr with the write epoch.
inline constexpr const char* kLockName = "vtape";
inline constexpr const char* kEpochXattr = "vtape.epoch";
// The open writer ("ADDRESS COOKIE LEASE_SECONDS"), removed by a clean close: a later
// writer that finds a lease writer's record fences that address before it writes.
inline constexpr const char* kWriterXattr = "vtape.writer";
// How long a writer whose lease expired stays blocklisted (as `vtape break-lock`'s default).
inline constexpr std::uint32_t kExpiredWriterBlocklistSeconds = 3600;

struct PartitionHeader {
  std::uint64_t capacity = 0;
  std::uint64_t eod = 0;       // logical objects (records + filemarks) up to EOD
  std::uint64_t data_end = 0;  // record bytes up to EOD (the data stripes' length)
};

struct Header {
  std::uint32_t version = kFormatVersion;
  std::uint64_t epoch = 0;  // bumped by every writable open (fencing, see FORMAT.md)
  std::string barcode;
  std::string media_type;
  std::uint64_t capacity_bytes = 0;
  std::uint64_t early_warning_bytes = 0;
  bool write_protected = false;
  std::uint64_t data_object_bytes = kDataObjectBytes;
  std::uint64_t index_entries_per_object = kIndexEntriesPerObject;
  std::vector<PartitionHeader> partitions;  // 1..kMaxPartitions
};

// One logical object. length 0 marks a filemark (records hold at least 1 byte).
struct Entry {
  std::uint64_t offset = 0;  // record bytes of the partition before this object
  std::uint32_t length = 0;
  std::uint32_t crc = 0;  // CRC32C of the record's bytes
  std::uint64_t epoch = 0;  // the writer's epoch (tells stale entries from a crashed writer)
  std::uint8_t tag = 0;     // the record's tag (record_tag.h; version 2)
};

std::vector<std::uint8_t> EncodeHeader(const Header& h);
Status DecodeHeader(std::span<const std::uint8_t> bytes, const std::string& what, Header& h);

void EncodeEntry(const Entry& e, std::uint8_t* out);  // kEntryBytes
// False when the entry's own check fails (never written, or torn).
bool DecodeEntry(const std::uint8_t* in, Entry& e);

std::string DataObject(const std::string& name, std::uint32_t partition, std::uint64_t stripe);
std::string IndexObject(const std::string& name, std::uint32_t partition, std::uint64_t chunk);
// omap key of a MAM attribute: "attr.P.IIII" (hex id), so keys sort by partition then id.
std::string AttributeKey(std::uint32_t partition, std::uint16_t id);

}  // namespace vtape::rados
