#include "handler/ssc/lbp.h"

#include <algorithm>
#include <string_view>

#include "vtape/crc32c.h"

namespace vtape::ssc {
namespace {

// GF(2^8) product modulo x^8+x^4+x^3+x^2+1 (11Dh).
constexpr std::uint8_t GfMul(std::uint8_t a, std::uint8_t b) {
  unsigned r = 0, x = a;
  for (; b != 0; b >>= 1) {
    if (b & 1) r ^= x;
    x <<= 1;
    if (x & 0x100) x ^= 0x11D;
  }
  return static_cast<std::uint8_t>(r);
}

// The coefficients of G(x) = x^4 + g3 x^3 + g2 x^2 + g1 x + g0 with roots
// a^126..a^129 (a = 02h), highest first: {g3, g2, g1, g0}.
constexpr std::array<std::uint8_t, 4> Generator() {
  std::uint8_t root = 1;
  for (int i = 0; i < 126; ++i) root = GfMul(root, 2);
  std::array<std::uint8_t, 5> g{1, 0, 0, 0, 0};  // g[i]: coefficient of x^i
  for (int k = 0; k < 4; ++k) {
    for (int i = 4; i > 0; --i) g[i] = static_cast<std::uint8_t>(g[i - 1] ^ GfMul(g[i], root));
    g[0] = GfMul(g[0], root);
    root = GfMul(root, 2);
  }
  return {g[3], g[2], g[1], g[0]};
}

// Row b: b times the generator's low coefficients, packed as the register shifts.
constexpr std::array<std::uint32_t, 256> RsTable() {
  constexpr std::array<std::uint8_t, 4> g = Generator();
  std::array<std::uint32_t, 256> t{};
  for (unsigned b = 0; b < 256; ++b) {
    const auto v = static_cast<std::uint8_t>(b);
    t[b] = (std::uint32_t{GfMul(v, g[0])} << 24) | (std::uint32_t{GfMul(v, g[1])} << 16) |
           (std::uint32_t{GfMul(v, g[2])} << 8) | GfMul(v, g[3]);
  }
  return t;
}

constexpr std::array<std::uint32_t, 256> kRsTable = RsTable();

constexpr std::uint8_t kBoth[] = {kLbpReedSolomon, kLbpCrc32c};
constexpr std::uint8_t kRsOnly[] = {kLbpReedSolomon};

}  // namespace

std::uint32_t ReedSolomonCrc(std::span<const std::uint8_t> data) {
  std::uint32_t reg = 0;
  for (std::uint8_t byte : data) reg = (reg << 8) ^ kRsTable[byte ^ (reg >> 24)];
  return reg;
}

std::array<std::uint8_t, kLbpLength> ProtectionBytes(std::uint8_t method,
                                                     std::span<const std::uint8_t> data) {
  if (method == kLbpCrc32c) {
    const std::uint32_t crc = Crc32c(data);
    return {static_cast<std::uint8_t>(crc), static_cast<std::uint8_t>(crc >> 8),
            static_cast<std::uint8_t>(crc >> 16), static_cast<std::uint8_t>(crc >> 24)};
  }
  const std::uint32_t crc = ReedSolomonCrc(data);
  return {static_cast<std::uint8_t>(crc >> 24), static_cast<std::uint8_t>(crc >> 16),
          static_cast<std::uint8_t>(crc >> 8), static_cast<std::uint8_t>(crc)};
}

bool ProtectionMatches(std::uint8_t method, std::span<const std::uint8_t> protected_record) {
  if (protected_record.size() < kLbpLength) return false;
  const std::size_t data = protected_record.size() - kLbpLength;
  const auto expected = ProtectionBytes(method, protected_record.first(data));
  return std::equal(expected.begin(), expected.end(), protected_record.begin() + data);
}

std::span<const std::uint8_t> LbpMethods(const Personality& p) {
  // CRC32C came with LTO-7: a drive that writes no newer generation than
  // LTO-6 offers the RS-CRC only.
  for (std::string_view name : p.writes) {
    if (name != "LTO-4" && name != "LTO-5" && name != "LTO-6") return kBoth;
  }
  return kRsOnly;
}

bool SupportsLbpMethod(const Personality& p, std::uint8_t method) {
  std::span<const std::uint8_t> methods = LbpMethods(p);
  return std::find(methods.begin(), methods.end(), method) != methods.end();
}

}  // namespace vtape::ssc
