// Big-endian field access for CDBs and parameter data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace vtape::spc {

// Reads `width` bytes (1..8) at `offset` as a big-endian unsigned number;
// bytes beyond the span read as zero, so short CDBs never read out of bounds.
inline std::uint64_t GetBe(std::span<const std::uint8_t> b, std::size_t offset, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) {
    v = (v << 8) | (offset + i < b.size() ? b[offset + i] : 0);
  }
  return v;
}

// Writes `value` big-endian into `width` bytes at `offset`; bytes beyond the
// span are dropped (allocation lengths shorter than the data truncate it).
inline void PutBe(std::span<std::uint8_t> b, std::size_t offset, std::size_t width,
                  std::uint64_t value) {
  for (std::size_t i = 0; i < width; ++i) {
    std::size_t at = offset + width - 1 - i;
    if (at < b.size()) b[at] = static_cast<std::uint8_t>(value >> (8 * i));
  }
}

// A 24-bit two's complement count (SPACE(6)).
inline std::int64_t SignExtend24(std::uint64_t v) {
  return (v & 0x800000) ? static_cast<std::int64_t>(v) - 0x1000000 : static_cast<std::int64_t>(v);
}

}  // namespace vtape::spc
