#include "tests/crash/crash_record.h"

#include <random>
#include <span>

#include "vtape/crc32c.h"
#include "vtape/little_endian.h"

namespace vtape::crash {
namespace {

// One well-mixed 64-bit value per (seed, id, purpose): the lengths and payloads
// of different records must not repeat each other.
std::uint64_t Mix(std::uint64_t seed, const RecordId& id, std::uint32_t purpose) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed),
                    static_cast<std::uint32_t>(seed >> 32),
                    id.trial,
                    id.file,
                    id.record,
                    purpose};
  std::uint32_t out[2];
  seq.generate(out, out + 2);
  return (std::uint64_t{out[0]} << 32) | out[1];
}

std::uint32_t Between(std::mt19937_64& rng, std::uint32_t lo, std::uint32_t hi) {
  return std::uniform_int_distribution<std::uint32_t>(lo, hi)(rng);
}

}  // namespace

std::string ToString(const RecordId& id) {
  return "trial " + std::to_string(id.trial) + " file " + std::to_string(id.file) + " record " +
         std::to_string(id.record);
}

std::uint32_t RecordsInFile(std::uint64_t seed, std::uint32_t trial, std::uint32_t file) {
  std::mt19937_64 rng(Mix(seed, {trial, file, 0xffffffffu}, 1));
  return Between(rng, 1, 16);
}

std::uint32_t RecordLength(std::uint64_t seed, const RecordId& id) {
  std::mt19937_64 rng(Mix(seed, id, 2));
  const std::uint32_t kind = Between(rng, 0, 99);
  if (kind < 10 && id.record > 0) return Between(rng, 1, kHeaderBytes - 1);
  if (kind < 50) return Between(rng, kHeaderBytes, 4096);
  if (kind < 85) return Between(rng, 4097, 64 * 1024);
  return Between(rng, 64 * 1024 + 1, kMaxRecordBytes);
}

void MakeRecord(std::uint64_t seed, const RecordId& id, std::vector<std::uint8_t>& out) {
  const std::uint32_t length = RecordLength(seed, id);
  const std::size_t full = std::max<std::size_t>(length, kHeaderBytes);
  out.assign(full, 0);
  std::mt19937_64 rng(Mix(seed, id, 3));
  for (std::size_t at = kHeaderBytes; at < full; at += 8) {
    const std::uint64_t v = rng();
    for (std::size_t i = 0; i < 8 && at + i < full; ++i) {
      out[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
    }
  }
  std::uint8_t* h = out.data();
  Put32(h + 0, kMagic);
  Put32(h + 4, id.trial);
  Put32(h + 8, id.file);
  Put32(h + 12, id.record);
  Put32(h + 16, length);
  Put32(h + 20, Crc32c(std::span<const std::uint8_t>(out).subspan(kHeaderBytes)));
  Put32(h + 24, Crc32c({h, 24}));
  out.resize(length);
}

bool ParseHeader(const std::uint8_t* data, std::size_t length, RecordId& id, std::string& why) {
  if (length < kHeaderBytes) {
    why = "shorter than a header";
    return false;
  }
  if (Get32(data) != kMagic) {
    why = "no record magic";
    return false;
  }
  if (Get32(data + 24) != Crc32c({data, 24})) {
    why = "header checksum mismatch";
    return false;
  }
  id = {Get32(data + 4), Get32(data + 8), Get32(data + 12)};
  if (Get32(data + 16) != length) {
    why = ToString(id) + ": length field " + std::to_string(Get32(data + 16)) + " but " +
          std::to_string(length) + " bytes read";
    return false;
  }
  if (Get32(data + 20) != Crc32c({data + kHeaderBytes, length - kHeaderBytes})) {
    why = ToString(id) + ": payload checksum mismatch";
    return false;
  }
  return true;
}

}  // namespace vtape::crash
