#include "vtape/record_codec.h"

#include <lz4.h>
#include <zstd.h>

#include <string>

#include "vtape/record_tag.h"
#include "vtape/tape.h"

namespace vtape {
namespace {

constexpr std::size_t kLz4Header = 4;  // the host length, little-endian
// zstd level 1: the fastest of its regular levels (bench/RESULTS.md compares
// it with LZ4 on the drive's data path).
constexpr int kZstdLevel = 1;

Status Corrupt(std::uint8_t codec, const std::string& why) {
  return Status::CorruptImage("record stored with codec " + std::to_string(codec) + ": " + why);
}

std::uint8_t CompressLz4(std::span<const std::uint8_t> record, std::vector<std::uint8_t>& out) {
  // Only a form smaller than the record is kept: the block may use what is
  // left of the record's size after the header, and LZ4 gives up (0) beyond it.
  if (record.size() <= kLz4Header + 1) return kTagRaw;
  const std::size_t room = record.size() - kLz4Header - 1;
  out.resize(kLz4Header + room);
  const std::uint32_t n = static_cast<std::uint32_t>(record.size());
  for (std::size_t i = 0; i < kLz4Header; ++i) out[i] = static_cast<std::uint8_t>(n >> (8 * i));
  const int written = LZ4_compress_default(reinterpret_cast<const char*>(record.data()),
                                           reinterpret_cast<char*>(out.data() + kLz4Header),
                                           static_cast<int>(record.size()), static_cast<int>(room));
  if (written <= 0) return kTagRaw;
  out.resize(kLz4Header + static_cast<std::size_t>(written));
  return kTagLz4;
}

std::uint8_t CompressZstd(std::span<const std::uint8_t> record, std::vector<std::uint8_t>& out) {
  if (record.size() < 2) return kTagRaw;
  out.resize(record.size() - 1);
  const std::size_t written =
      ZSTD_compress(out.data(), out.size(), record.data(), record.size(), kZstdLevel);
  if (ZSTD_isError(written)) return kTagRaw;  // dstSize_tooSmall: not smaller
  out.resize(written);
  return kTagZstd;
}

std::optional<std::uint64_t> Lz4HostLength(std::span<const std::uint8_t> stored) {
  if (stored.size() < kLz4Header) return std::nullopt;
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < kLz4Header; ++i) n |= std::uint64_t{stored[i]} << (8 * i);
  return n;
}

std::optional<std::uint64_t> ZstdHostLength(std::span<const std::uint8_t> stored) {
  const unsigned long long n = ZSTD_getFrameContentSize(stored.data(), stored.size());
  if (n == ZSTD_CONTENTSIZE_ERROR || n == ZSTD_CONTENTSIZE_UNKNOWN) return std::nullopt;
  return n;
}

Status DecompressLz4(std::span<const std::uint8_t> stored, std::vector<std::uint8_t>& out) {
  const std::optional<std::uint64_t> n = Lz4HostLength(stored);
  if (!n || *n == 0 || *n > kMaxRecordBytes) {
    return Corrupt(kTagLz4, "its length header is missing or out of range");
  }
  out.resize(*n);
  const int got = LZ4_decompress_safe(reinterpret_cast<const char*>(stored.data() + kLz4Header),
                                      reinterpret_cast<char*>(out.data()),
                                      static_cast<int>(stored.size() - kLz4Header),
                                      static_cast<int>(out.size()));
  if (got < 0 || static_cast<std::uint64_t>(got) != *n) {
    out.clear();
    return Corrupt(kTagLz4, "the LZ4 block does not decode to its stated length");
  }
  return Status::Ok();
}

Status DecompressZstd(std::span<const std::uint8_t> stored, std::vector<std::uint8_t>& out) {
  const std::optional<std::uint64_t> n = ZstdHostLength(stored);
  if (!n || *n == 0 || *n > kMaxRecordBytes) {
    return Corrupt(kTagZstd, "its frame header is missing or out of range");
  }
  out.resize(*n);
  const std::size_t got = ZSTD_decompress(out.data(), out.size(), stored.data(), stored.size());
  if (ZSTD_isError(got) || got != *n) {
    out.clear();
    return Corrupt(kTagZstd, "the zstd frame does not decode to its stated length");
  }
  return Status::Ok();
}

}  // namespace

std::uint8_t CompressRecord(std::uint8_t codec, std::span<const std::uint8_t> record,
                            std::vector<std::uint8_t>& out) {
  std::uint8_t used = kTagRaw;
  if (codec == kTagLz4) used = CompressLz4(record, out);
  if (codec == kTagZstd) used = CompressZstd(record, out);
  if (used == kTagRaw) out.clear();
  return used;
}

Status DecompressRecord(std::uint8_t codec, std::span<const std::uint8_t> stored,
                        std::vector<std::uint8_t>& out) {
  switch (codec) {
    case kTagRaw:
      out.assign(stored.begin(), stored.end());
      return Status::Ok();
    case kTagLz4:
      return DecompressLz4(stored, out);
    case kTagZstd:
      return DecompressZstd(stored, out);
    default:
      return Corrupt(codec, "this vtape knows no such codec");
  }
}

std::optional<std::uint64_t> HostLengthFromPrefix(std::uint8_t codec,
                                                  std::span<const std::uint8_t> prefix) {
  if (codec == kTagLz4) return Lz4HostLength(prefix);
  if (codec == kTagZstd) return ZstdHostLength(prefix);
  return std::nullopt;
}

}  // namespace vtape
