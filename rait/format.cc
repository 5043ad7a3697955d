#include "rait/format.h"

#include <isa-l/crc.h>

#include <algorithm>
#include <cstring>

#include "vtape/little_endian.h"
#include "vtape/tape.h"

namespace vtape::rait {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr char kRecordMagic[4] = {'R', 'A', 'I', 'T'};
constexpr char kSuperblockMagic[8] = {'R', 'A', 'I', 'T', 'S', 'B', '0', '1'};
constexpr std::size_t kSuperblockBytes = 52;

}  // namespace

std::uint32_t Crc32c(std::span<const std::uint8_t> bytes) {
  // ISA-L takes an int length; member payloads are far below 2 GiB.
  return crc32_iscsi(const_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size()),
                     0xFFFFFFFFu);
}

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
  out[4] = kVersion;
  out[5] = h.member_index;
  out[6] = h.member_count;
  Put64(out + 8, h.set_id);
  Put32(out + 16, h.partition);
  Put64(out + 24, h.object);
  Put64(out + 32, h.length);
  Put32(out + 40, h.payload_crc);
  Put32(out + 44, Crc32c({out, 44}));
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
  if (Get32(p + 44) != Crc32c({p, 44})) {
    return Status::MediumError("rait header fails its CRC32C");
  }
  if (p[4] != kVersion) {
    return Status::MediumError("rait header version " + std::to_string(p[4]) +
                               " is not supported (expected 1)");
  }
  h.member_index = p[5];
  h.member_count = p[6];
  h.set_id = Get64(p + 8);
  h.partition = Get32(p + 16);
  h.object = Get64(p + 24);
  h.length = Get64(p + 32);
  h.payload_crc = Get32(p + 40);
  return Status::Ok();
}

std::vector<std::uint8_t> EncodeSuperblock(const Superblock& sb) {
  // 0 magic(8)  8 set id  16 epoch  24 index  25 count  26..27 zero  28 failed mask
  // 32 capacity  40 early warning  48 CRC32C
  std::vector<std::uint8_t> out(kSuperblockBytes, 0);
  std::memcpy(out.data(), kSuperblockMagic, 8);
  Put64(out.data() + 8, sb.set_id);
  Put64(out.data() + 16, sb.epoch);
  out[24] = sb.member_index;
  out[25] = sb.member_count;
  Put32(out.data() + 28, sb.failed_mask);
  Put64(out.data() + 32, sb.capacity_bytes);
  Put64(out.data() + 40, sb.early_warning_bytes);
  Put32(out.data() + 48, Crc32c({out.data(), 48}));
  return out;
}

Status DecodeSuperblock(std::span<const std::uint8_t> bytes, Superblock& sb) {
  if (bytes.size() != kSuperblockBytes || std::memcmp(bytes.data(), kSuperblockMagic, 8) != 0) {
    return Status::CorruptImage("the rait superblock attribute is malformed");
  }
  const std::uint8_t* p = bytes.data();
  if (Get32(p + 48) != Crc32c({p, 48})) {
    return Status::CorruptImage("the rait superblock attribute fails its CRC32C");
  }
  sb.set_id = Get64(p + 8);
  sb.epoch = Get64(p + 16);
  sb.member_index = p[24];
  sb.member_count = p[25];
  sb.failed_mask = Get32(p + 28);
  sb.capacity_bytes = Get64(p + 32);
  sb.early_warning_bytes = Get64(p + 40);
  return Status::Ok();
}

}  // namespace vtape::rait
