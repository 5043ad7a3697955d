#include "vtape/file_format.h"

#include <cstring>

#include "vtape/crc32c.h"
#include "vtape/record_tag.h"

namespace vtape::file_format {
namespace {

constexpr char kImageMagic[8] = {'V', 'T', 'A', 'P', 'E', 'I', 'M', 'G'};
constexpr std::uint32_t kRecordMagic = 0x43455256;  // "VREC"
constexpr std::uint32_t kFilemarkBit = 0x80000000u;

// Fixed superblock field offsets (see FORMAT.md).
enum : std::size_t {
  kOffMagic = 0,
  kOffVersion = 8,
  kOffUsedLen = 12,
  kOffSequence = 16,
  kOffImageId = 24,
  kOffEpoch = 40,
  kOffFlags = 44,
  kOffDurableObjects = 48,
  kOffDurableDataEnd = 56,
  kOffDurableFilemarks = 64,
  kOffFilemarksCrc = 72,
  kOffPartitions = 76,
  kOffCapacity = 80,
  kOffEarlyWarning = 88,
  kOffPartitionBytes = 96,
  kOffMediaType = 104,  // 16 bytes, NUL padded
  kOffBarcodeLen = 120,
  kOffBarcode = 121,  // 32 bytes
  kOffAttributeCount = 160,
  kOffAttributes = 164,
  // Version 2: the partition fields come before the attributes.
  kOffPartitionIndex = 160,
  kOffPartitionIds = 164,  // 3 x 16 bytes
  kOffAttributeCountV2 = 212,
  kOffAttributesV2 = 216,
};
static_assert(kOffAttributes == kSuperblockFixedBytes);
static_assert(kOffAttributesV2 == kSuperblockFixedBytesV2);
constexpr std::uint32_t kFlagWriteProtected = 1;

bool IsZero(const ImageId& id) {
  for (std::uint8_t b : id) {
    if (b != 0) return false;
  }
  return true;
}

Status Corrupt(const std::string& why) {
  return Status::CorruptImage("superblock " + why);
}

bool Printable(std::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

std::uint32_t SaltOf(const ImageId& id) {
  return Crc32c(id);
}

std::uint64_t FixedBytesOf(const Superblock& sb) {
  return sb.format_version >= kFormatVersion2 ? kSuperblockFixedBytesV2 : kSuperblockFixedBytes;
}

std::uint64_t EncodedSize(const Superblock& sb) {
  std::uint64_t n = FixedBytesOf(sb) + 4;  // + trailing CRC
  for (const Attribute& a : sb.attributes) n += 4 + a.value.size();
  return n;
}

std::vector<std::uint8_t> EncodeSuperblock(const Superblock& sb) {
  std::vector<std::uint8_t> out(EncodedSize(sb), 0);
  std::uint8_t* p = out.data();
  std::memcpy(p + kOffMagic, kImageMagic, 8);
  Put32(p + kOffVersion, sb.format_version);
  Put32(p + kOffUsedLen, static_cast<std::uint32_t>(out.size()));
  Put64(p + kOffSequence, sb.sequence);
  std::memcpy(p + kOffImageId, sb.image_id.data(), sb.image_id.size());
  Put32(p + kOffEpoch, sb.epoch);
  Put32(p + kOffFlags, sb.write_protected ? kFlagWriteProtected : 0);
  Put64(p + kOffDurableObjects, sb.durable_objects);
  Put64(p + kOffDurableDataEnd, sb.durable_data_end);
  Put64(p + kOffDurableFilemarks, sb.durable_filemarks);
  Put32(p + kOffFilemarksCrc, sb.filemarks_crc);
  Put32(p + kOffPartitions, sb.partitions);
  Put64(p + kOffCapacity, sb.capacity_bytes);
  Put64(p + kOffEarlyWarning, sb.early_warning_bytes);
  Put64(p + kOffPartitionBytes, sb.partition_bytes);
  std::memcpy(p + kOffMediaType, sb.media_type.data(),
              std::min<std::size_t>(16, sb.media_type.size()));
  p[kOffBarcodeLen] = static_cast<std::uint8_t>(std::min<std::size_t>(32, sb.barcode.size()));
  std::memcpy(p + kOffBarcode, sb.barcode.data(), p[kOffBarcodeLen]);
  std::size_t at = kOffAttributes;
  if (sb.format_version >= kFormatVersion2) {
    Put32(p + kOffPartitionIndex, sb.partition_index);
    for (std::size_t i = 0; i < sb.partition_ids.size(); ++i) {
      std::memcpy(p + kOffPartitionIds + 16 * i, sb.partition_ids[i].data(), 16);
    }
    Put32(p + kOffAttributeCountV2, static_cast<std::uint32_t>(sb.attributes.size()));
    at = kOffAttributesV2;
  } else {
    Put32(p + kOffAttributeCount, static_cast<std::uint32_t>(sb.attributes.size()));
  }
  for (const Attribute& a : sb.attributes) {
    Put32(p + at,
          static_cast<std::uint32_t>(a.id) | (static_cast<std::uint32_t>(a.value.size()) << 16));
    std::memcpy(p + at + 4, a.value.data(), a.value.size());
    at += 4 + a.value.size();
  }
  Put32(p + at, Crc32c(std::span(p, at)));
  return out;
}

Status DecodeSuperblock(std::span<const std::uint8_t> slot, Superblock& sb) {
  if (slot.size() < kSuperblockFixedBytes + 4) return Corrupt("slot is too short");
  const std::uint8_t* p = slot.data();
  if (std::memcmp(p + kOffMagic, kImageMagic, 8) != 0) {
    return Corrupt("has no VTAPEIMG magic (not a vtape image, or its first bytes are damaged)");
  }
  std::uint32_t used = Get32(p + kOffUsedLen);
  if (used < kSuperblockFixedBytes + 4 || used > slot.size()) {
    return Corrupt("length " + std::to_string(used) + " is out of range");
  }
  if (Get32(p + used - 4) != Crc32c(slot.first(used - 4))) return Corrupt("fails its CRC32C");
  sb = {};
  sb.format_version = Get32(p + kOffVersion);
  if (sb.format_version < kFormatVersion || sb.format_version > kNewestFormatVersion) {
    return Status::Unsupported("image format version " + std::to_string(sb.format_version) +
                               " is not supported (this build reads versions 1 to " +
                               std::to_string(kNewestFormatVersion) + ")");
  }
  const bool v2 = sb.format_version >= kFormatVersion2;  // the version-2 superblock layout
  if (used < FixedBytesOf(sb) + 4)
    return Corrupt("length " + std::to_string(used) + " is too short");
  sb.sequence = Get64(p + kOffSequence);
  std::memcpy(sb.image_id.data(), p + kOffImageId, sb.image_id.size());
  sb.epoch = Get32(p + kOffEpoch);
  std::uint32_t flags = Get32(p + kOffFlags);
  if ((flags & ~kFlagWriteProtected) != 0) return Corrupt("has unknown flags");
  sb.write_protected = (flags & kFlagWriteProtected) != 0;
  sb.durable_objects = Get64(p + kOffDurableObjects);
  sb.durable_data_end = Get64(p + kOffDurableDataEnd);
  sb.durable_filemarks = Get64(p + kOffDurableFilemarks);
  sb.filemarks_crc = Get32(p + kOffFilemarksCrc);
  sb.partitions = Get32(p + kOffPartitions);
  sb.capacity_bytes = Get64(p + kOffCapacity);
  sb.early_warning_bytes = Get64(p + kOffEarlyWarning);
  sb.partition_bytes = Get64(p + kOffPartitionBytes);
  const char* media = reinterpret_cast<const char*>(p + kOffMediaType);
  sb.media_type.assign(media, strnlen(media, 16));
  std::uint8_t barcode_len = p[kOffBarcodeLen];
  if (barcode_len > 32) return Corrupt("barcode length is over 32");
  sb.barcode.assign(reinterpret_cast<const char*>(p + kOffBarcode), barcode_len);
  if (!Printable(sb.barcode) || !Printable(sb.media_type)) {
    return Corrupt("label holds unprintable characters");
  }
  if (v2) {
    sb.partition_index = Get32(p + kOffPartitionIndex);
    for (std::size_t i = 0; i < sb.partition_ids.size(); ++i) {
      std::memcpy(sb.partition_ids[i].data(), p + kOffPartitionIds + 16 * i, 16);
    }
  }
  // Version 1 holds one partition; a version-2 PATH up to 4, listing the
  // images of the others; a version-2 PATH.pK exactly one.
  const std::uint32_t most = !v2 || sb.partition_index != 0 ? 1 : kMaxImagePartitions;
  if (sb.partitions < 1 || sb.partitions > most || sb.partition_index >= kMaxImagePartitions) {
    return Corrupt("declares " + std::to_string(sb.partitions) + " partitions");
  }
  for (std::size_t i = 0; i < sb.partition_ids.size(); ++i) {
    bool listed = sb.partition_index == 0 && i + 1 < sb.partitions;
    if (IsZero(sb.partition_ids[i]) == listed) return Corrupt("partition list is inconsistent");
  }
  // Header-only objects take kRecordHeaderBytes each, so this bounds both counts.
  if (sb.durable_data_end < kDataStart ||
      (sb.durable_data_end - kDataStart) / kRecordHeaderBytes < sb.durable_objects ||
      sb.durable_filemarks > sb.durable_objects) {
    return Corrupt("durable point is inconsistent");
  }
  if (sb.partition_bytes > sb.capacity_bytes) return Corrupt("partition exceeds capacity");
  std::uint32_t count = Get32(p + (v2 ? kOffAttributeCountV2 : kOffAttributeCount));
  std::size_t at = v2 ? kOffAttributesV2 : kOffAttributes;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (at + 4 > used - 4) return Corrupt("attribute list overruns the slot");
    std::uint32_t word = Get32(p + at);
    std::size_t len = word >> 16;
    if (len == 0 || at + 4 + len > used - 4) return Corrupt("attribute has a bad length");
    Attribute a{static_cast<std::uint16_t>(word & 0xffff), {p + at + 4, p + at + 4 + len}};
    if (!sb.attributes.empty() && sb.attributes.back().id >= a.id) {
      return Corrupt("attribute ids are not strictly ascending");
    }
    sb.attributes.push_back(std::move(a));
    at += 4 + len;
  }
  if (at != used - 4) return Corrupt("has trailing bytes after the attributes");
  return Status::Ok();
}

void EncodeRecordHeader(const RecordHeader& h, std::uint32_t salt,
                        std::span<std::uint8_t, kRecordHeaderBytes> out) {
  std::uint8_t* p = out.data();
  Put32(p, kRecordMagic);
  p[4] = static_cast<std::uint8_t>(h.kind);
  p[5] = h.kind == RecordKind::kRecord ? h.tag : 0;
  p[6] = p[7] = 0;
  Put64(p + 8, h.object);
  Put32(p + 16, h.epoch);
  Put32(p + 20, h.length);
  Put32(p + 24, h.payload_crc);
  Put32(p + 28, Crc32c(out.first(28), salt));
}

bool DecodeRecordHeader(std::span<const std::uint8_t, kRecordHeaderBytes> in, std::uint32_t salt,
                        RecordHeader& h, std::string& why) {
  const std::uint8_t* p = in.data();
  if (Get32(p) != kRecordMagic) {
    why = "has no record magic";
    return false;
  }
  if (Get32(p + 28) != Crc32c(in.first(28), salt)) {
    why = "header fails its CRC32C";
    return false;
  }
  // Byte 5, the record tag (version 3), is carried as it is: the drive
  // decides what a tag means (vtape/record_tag.h). Filemarks have none.
  if ((p[4] != 1 && p[4] != 2) || (p[4] == 2 && p[5] != 0) || p[6] != 0 || p[7] != 0) {
    why = "header has an unknown kind";
    return false;
  }
  h.kind = static_cast<RecordKind>(p[4]);
  h.tag = p[5];
  h.object = Get64(p + 8);
  h.epoch = Get32(p + 16);
  h.length = Get32(p + 20);
  h.payload_crc = Get32(p + 24);
  bool filemark = h.kind == RecordKind::kFilemark;
  // A tagged record may be stored kMaxTaggedRecordOverhead bytes beyond the
  // record limit (an encrypted record's IV and authentication tag).
  const std::uint64_t limit = (16u << 20) + (h.tag != 0 ? kMaxTaggedRecordOverhead : 0);
  if (filemark ? h.length != 0 : (h.length == 0 || h.length > limit)) {
    why = "header has an impossible length " + std::to_string(h.length);
    return false;
  }
  return true;
}

void EncodeIndexEntry(const IndexEntry& e, std::uint64_t object, std::uint32_t salt,
                      std::span<std::uint8_t, kIndexEntryBytes> out) {
  std::uint8_t* p = out.data();
  Put64(p, e.offset);
  Put32(p + 8, e.length | (e.filemark ? kFilemarkBit : 0));
  std::uint8_t object_bytes[8];
  Put64(object_bytes, object);
  Put32(p + 12, Crc32c(object_bytes, Crc32c(out.first(12), salt)));
}

bool DecodeIndexEntry(std::span<const std::uint8_t, kIndexEntryBytes> in, std::uint64_t object,
                      std::uint32_t salt, IndexEntry& e) {
  const std::uint8_t* p = in.data();
  std::uint8_t object_bytes[8];
  Put64(object_bytes, object);
  if (Get32(p + 12) != Crc32c(object_bytes, Crc32c(in.first(12), salt))) return false;
  e.offset = Get64(p);
  std::uint32_t word = Get32(p + 8);
  e.filemark = (word & kFilemarkBit) != 0;
  e.length = word & ~kFilemarkBit;
  return true;
}

void EncodeSidecarHeader(const char (&magic)[8], const ImageId& id,
                         std::span<std::uint8_t, kSidecarHeaderBytes> out) {
  std::uint8_t* p = out.data();
  std::memset(p, 0, out.size());
  std::memcpy(p, magic, 8);
  Put32(p + 8, kSidecarVersion);
  std::memcpy(p + 16, id.data(), id.size());
  Put32(p + 60, Crc32c(out.first(60)));
}

bool DecodeSidecarHeader(std::span<const std::uint8_t, kSidecarHeaderBytes> in,
                         const char (&magic)[8], const ImageId& id) {
  const std::uint8_t* p = in.data();
  return std::memcmp(p, magic, 8) == 0 && Get32(p + 8) == kSidecarVersion &&
         std::memcmp(p + 16, id.data(), id.size()) == 0 && Get32(p + 60) == Crc32c(in.first(60));
}

}  // namespace vtape::file_format
