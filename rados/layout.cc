#include "rados/layout.h"

#include <cstdio>
#include <cstring>

#include "vtape/crc32c.h"
#include "vtape/little_endian.h"
#include "vtape/record_tag.h"

namespace vtape::rados {
namespace {

constexpr char kMagic[8] = {'V', 'T', 'R', 'A', 'D', 'O', 'S', '1'};
// Offsets in the header (little-endian); the last 4 bytes hold a CRC32C of the rest.
constexpr std::size_t kVersionAt = 8, kEpochAt = 12, kBarcodeAt = 20, kMediaAt = 52,
                      kCapacityAt = 68, kEarlyWarningAt = 76, kProtectAt = 84, kStripeAt = 88,
                      kChunkAt = 96, kPartitionsAt = 104, kPartitionTableAt = 108,
                      kPartitionBytes = 24, kCrcAt = kHeaderBytes - 4;

void PutText(std::uint8_t* p, const std::string& s, std::size_t room) {
  std::memcpy(p, s.data(), std::min(s.size(), room));
}
std::string GetText(const std::uint8_t* p, std::size_t room) {
  std::size_t n = 0;
  while (n < room && p[n] != 0) ++n;
  return std::string(reinterpret_cast<const char*>(p), n);
}

}  // namespace

std::vector<std::uint8_t> EncodeHeader(const Header& h) {
  std::vector<std::uint8_t> b(kHeaderBytes, 0);
  std::memcpy(b.data(), kMagic, sizeof kMagic);
  Put32(&b[kVersionAt], h.version);
  Put64(&b[kEpochAt], h.epoch);
  PutText(&b[kBarcodeAt], h.barcode, 32);
  PutText(&b[kMediaAt], h.media_type, 16);
  Put64(&b[kCapacityAt], h.capacity_bytes);
  Put64(&b[kEarlyWarningAt], h.early_warning_bytes);
  b[kProtectAt] = h.write_protected ? 1 : 0;
  Put64(&b[kStripeAt], h.data_object_bytes);
  Put64(&b[kChunkAt], h.index_entries_per_object);
  Put32(&b[kPartitionsAt], static_cast<std::uint32_t>(h.partitions.size()));
  for (std::size_t i = 0; i < h.partitions.size(); ++i) {
    std::uint8_t* p = &b[kPartitionTableAt + i * kPartitionBytes];
    Put64(p, h.partitions[i].capacity);
    Put64(p + 8, h.partitions[i].eod);
    Put64(p + 16, h.partitions[i].data_end);
  }
  Put32(&b[kCrcAt], Crc32c(std::span(b).first(kCrcAt)));
  return b;
}

Status DecodeHeader(std::span<const std::uint8_t> b, const std::string& what, Header& h) {
  if (b.size() != kHeaderBytes || std::memcmp(b.data(), kMagic, sizeof kMagic) != 0) {
    return Status::CorruptImage(what + " is not a vtape rados: header (" +
                                std::to_string(b.size()) + " bytes, magic differs)");
  }
  if (Get32(&b[kCrcAt]) != Crc32c(b.first(kCrcAt))) {
    return Status::CorruptImage(what + ": the header's checksum fails");
  }
  h.version = Get32(&b[kVersionAt]);
  if (h.version != kFormatVersion && h.version != kFormatVersionTagged) {
    return Status::CorruptImage(what + ": header version " + std::to_string(h.version) +
                                " (this vtape reads " + std::to_string(kFormatVersion) + " and " +
                                std::to_string(kFormatVersionTagged) + ")");
  }
  h.epoch = Get64(&b[kEpochAt]);
  h.barcode = GetText(&b[kBarcodeAt], 32);
  h.media_type = GetText(&b[kMediaAt], 16);
  h.capacity_bytes = Get64(&b[kCapacityAt]);
  h.early_warning_bytes = Get64(&b[kEarlyWarningAt]);
  h.write_protected = b[kProtectAt] != 0;
  h.data_object_bytes = Get64(&b[kStripeAt]);
  h.index_entries_per_object = Get64(&b[kChunkAt]);
  std::uint32_t n = Get32(&b[kPartitionsAt]);
  if (n < 1 || n > kMaxPartitions || h.data_object_bytes == 0 ||
      h.index_entries_per_object == 0) {
    return Status::CorruptImage(what + ": header holds " + std::to_string(n) +
                                " partitions or a zero stripe size");
  }
  h.partitions.assign(n, {});
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint8_t* p = &b[kPartitionTableAt + i * kPartitionBytes];
    h.partitions[i] = {Get64(p), Get64(p + 8), Get64(p + 16)};
  }
  return Status::Ok();
}

namespace {

// The length word: bits 0-24 the length (records hold at most 16 MiB plus a
// tagged record's overhead), bits 25-28 the tag's codec, bit 31 its encrypted
// bit (the tag's reserved bits 4-6 are never written: record_tag.h).
constexpr std::uint32_t kLengthMask = (1u << 25) - 1;

std::uint32_t LengthWord(std::uint32_t length, std::uint8_t tag) {
  return length | (static_cast<std::uint32_t>(tag & kTagCodecMask) << 25) |
         (static_cast<std::uint32_t>(tag & kTagEncrypted) << 24);
}

}  // namespace

void EncodeEntry(const Entry& e, std::uint8_t* out) {
  Put64(out, e.offset);
  Put32(out + 8, LengthWord(e.length, e.tag));
  Put32(out + 12, e.crc);
  // The epoch's low 32 bits suffice to tell writers apart; the check covers all.
  Put32(out + 16, static_cast<std::uint32_t>(e.epoch));
  Put32(out + 20, Crc32c(std::span<const std::uint8_t>(out, 20)) ^ 0xffffffffu);
}

bool DecodeEntry(const std::uint8_t* in, Entry& e) {
  if (Get32(in + 20) != (Crc32c(std::span<const std::uint8_t>(in, 20)) ^ 0xffffffffu)) {
    return false;
  }
  e.offset = Get64(in);
  const std::uint32_t word = Get32(in + 8);
  e.length = word & kLengthMask;
  e.tag =
      static_cast<std::uint8_t>(((word >> 25) & kTagCodecMask) | ((word >> 24) & kTagEncrypted));
  e.crc = Get32(in + 12);
  e.epoch = Get32(in + 16);
  return true;
}

std::string DataObject(const std::string& name, std::uint32_t partition, std::uint64_t stripe) {
  char suffix[48];
  std::snprintf(suffix, sizeof suffix, ".p%u.d%08llx", partition,
                static_cast<unsigned long long>(stripe));
  return name + suffix;
}

std::string IndexObject(const std::string& name, std::uint32_t partition, std::uint64_t chunk) {
  char suffix[48];
  std::snprintf(suffix, sizeof suffix, ".p%u.i%08llx", partition,
                static_cast<unsigned long long>(chunk));
  return name + suffix;
}

std::string AttributeKey(std::uint32_t partition, std::uint16_t id) {
  char key[32];
  std::snprintf(key, sizeof key, "attr.%u.%04x", partition, id);
  return key;
}

}  // namespace vtape::rados
