#include "rait/format.h"

#include <algorithm>
#include <cstring>

#include "vtape/crc32c.h"
#include "vtape/little_endian.h"
#include "vtape/tape.h"

namespace vtape::rait {
namespace {

constexpr std::uint8_t kVersion = 2;
constexpr std::uint8_t kVersionTagged = 3;  // a header with a record tag (byte 7)
constexpr char kRecordMagic[4] = {'R', 'A', 'I', 'T'};
constexpr char kSuperblockMagic[8] = {'R', 'A', 'I', 'T', 'S', 'B', '0', '2'};
constexpr char kSuperblockMagicV1[8] = {'R', 'A', 'I', 'T', 'S', 'B', '0', '1'};
constexpr std::size_t kSuperblockBytes = 76;
constexpr std::size_t kSuperblockWithPartitionsBytes = 108;
constexpr std::size_t kHeaderCrcAt = 56;

Status Version1() {
  return Status::Unsupported(
      "rait set format 1 (written by an older vtape) is no longer supported: "
      "read it with that version and copy the data to a new set");
}

}  // namespace

std::size_t ChunkBytes(std::uint64_t length, std::size_t member_count) {
  if (member_count <= 2) return length;
  std::size_t data_members = member_count - 1;
  return (length + data_members - 1) / data_members;
}

std::size_t StripeBytes(std::uint64_t length, std::size_t member_count, std::size_t index) {
  std::size_t chunk = ChunkBytes(length, member_count);
  if (member_count <= 2 || index == member_count - 1) return chunk;
  std::uint64_t start = std::min<std::uint64_t>(length, index * chunk);
  return std::min<std::uint64_t>(chunk, length - start);
}

bool RawMirrorRecord(std::uint64_t length, std::size_t member_count) {
  return member_count == 2 && length > kMaxRecordBytes - kHeaderBytes;
}

void EncodeHeader(const RecordHeader& h, std::uint8_t* out) {
  std::memset(out, 0, kHeaderBytes);
  std::memcpy(out, kRecordMagic, 4);
  out[4] = h.tag != 0 ? kVersionTagged : kVersion;
  out[5] = h.member_index;
  out[6] = h.member_count;
  out[7] = h.tag;
  Put64(out + 8, h.set_id);
  Put32(out + 16, h.partition);
  Put64(out + 24, h.object);
  Put64(out + 32, h.length);
  Put32(out + 40, h.payload_crc);
  Put64(out + 48, h.generation);
  Put32(out + kHeaderCrcAt, Crc32c({out, kHeaderCrcAt}));
}

Status DecodeHeader(std::span<const std::uint8_t> bytes, RecordHeader& h) {
  if (bytes.size() < kHeaderBytes) {
    return Status::MediumError("member record of " + std::to_string(bytes.size()) +
                               " bytes is shorter than a rait header");
  }
  const std::uint8_t* p = bytes.data();
  if (std::memcmp(p, kRecordMagic, 4) != 0) {
    return Status::MediumError("member record has no rait header (not written by rait:)");
  }
  if (p[4] != kVersion && p[4] != kVersionTagged) {
    return Status::MediumError("rait header version " + std::to_string(p[4]) +
                               " is not supported (expected " + std::to_string(kVersion) + ")");
  }
  if (Get32(p + kHeaderCrcAt) != Crc32c({p, kHeaderCrcAt})) {
    return Status::MediumError("rait header fails its CRC32C");
  }
  h.member_index = p[5];
  h.member_count = p[6];
  h.tag = p[4] == kVersionTagged ? p[7] : 0;
  h.set_id = Get64(p + 8);
  h.partition = Get32(p + 16);
  h.object = Get64(p + 24);
  h.length = Get64(p + 32);
  h.payload_crc = Get32(p + 40);
  h.generation = Get64(p + 48);
  return Status::Ok();
}

std::vector<std::uint8_t> EncodeSuperblock(const Superblock& sb) {
  // 0 magic(8)  8 set id  16 epoch  24 index  25 count  26..27 zero  28 failed mask
  // 32 capacity  40 early warning  48 write generation  56 its partition  60 zero
  // 64 the object it starts at  72 CRC32C; with partition sizes: 72 the four
  // sizes (8 bytes each)  104 CRC32C.
  const bool partitions = std::any_of(sb.partition_bytes.begin(), sb.partition_bytes.end(),
                                      [](std::uint64_t b) { return b != 0; });
  std::vector<std::uint8_t> out(partitions ? kSuperblockWithPartitionsBytes : kSuperblockBytes, 0);
  std::memcpy(out.data(), kSuperblockMagic, 8);
  Put64(out.data() + 8, sb.set_id);
  Put64(out.data() + 16, sb.epoch);
  out[24] = sb.member_index;
  out[25] = sb.member_count;
  Put32(out.data() + 28, sb.failed_mask);
  Put64(out.data() + 32, sb.capacity_bytes);
  Put64(out.data() + 40, sb.early_warning_bytes);
  Put64(out.data() + 48, sb.write_generation);
  Put32(out.data() + 56, sb.generation_partition);
  Put64(out.data() + 64, sb.generation_start);
  if (partitions) {
    for (std::size_t i = 0; i < sb.partition_bytes.size(); ++i) {
      Put64(out.data() + 72 + 8 * i, sb.partition_bytes[i]);
    }
  }
  const std::size_t crc_at = out.size() - 4;
  Put32(out.data() + crc_at, Crc32c({out.data(), crc_at}));
  return out;
}

Status DecodeSuperblock(std::span<const std::uint8_t> bytes, Superblock& sb) {
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), kSuperblockMagicV1, 8) == 0) return Version1();
  if ((bytes.size() != kSuperblockBytes && bytes.size() != kSuperblockWithPartitionsBytes) ||
      std::memcmp(bytes.data(), kSuperblockMagic, 8) != 0) {
    return Status::CorruptImage("the rait superblock attribute is malformed");
  }
  const std::uint8_t* p = bytes.data();
  const std::size_t crc_at = bytes.size() - 4;
  if (Get32(p + crc_at) != Crc32c({p, crc_at})) {
    return Status::CorruptImage("the rait superblock attribute fails its CRC32C");
  }
  sb.set_id = Get64(p + 8);
  sb.epoch = Get64(p + 16);
  sb.member_index = p[24];
  sb.member_count = p[25];
  sb.failed_mask = Get32(p + 28);
  sb.capacity_bytes = Get64(p + 32);
  sb.early_warning_bytes = Get64(p + 40);
  sb.write_generation = Get64(p + 48);
  sb.generation_partition = Get32(p + 56);
  sb.generation_start = Get64(p + 64);
  sb.partition_bytes = {};
  if (bytes.size() == kSuperblockWithPartitionsBytes) {
    for (std::size_t i = 0; i < sb.partition_bytes.size(); ++i) {
      sb.partition_bytes[i] = Get64(p + 72 + 8 * i);
    }
  }
  return Status::Ok();
}

}  // namespace vtape::rait
