// CDBs of the SSC/SPC commands the conformance suite sends, built byte by byte
// from the SSC-4 / SPC-4 layouts (libiscsi has no tape commands).
#pragma once

#include <cstdint>
#include <vector>

namespace vtape::iscsi_test::cdb {

using Cdb = std::vector<std::uint8_t>;

inline void Put24(Cdb& c, std::size_t at, std::uint32_t v) {
  c[at] = static_cast<std::uint8_t>(v >> 16);
  c[at + 1] = static_cast<std::uint8_t>(v >> 8);
  c[at + 2] = static_cast<std::uint8_t>(v);
}
inline void Put16(Cdb& c, std::size_t at, std::uint16_t v) {
  c[at] = static_cast<std::uint8_t>(v >> 8);
  c[at + 1] = static_cast<std::uint8_t>(v);
}
inline void Put32(Cdb& c, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) c[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}
inline void Put64(Cdb& c, std::size_t at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) c[at + i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
}

// SPACE codes (SSC-4 7.11)
inline constexpr std::uint8_t kSpaceBlocks = 0, kSpaceFilemarks = 1, kSpaceEndOfData = 3;
// READ POSITION service actions (SSC-4 7.7)
inline constexpr std::uint8_t kPosShort = 0x00, kPosShortVendor = 0x01, kPosLong = 0x06,
                              kPosExtended = 0x08;

inline Cdb TestUnitReady() {
  return Cdb(6, 0);
}
inline Cdb RequestSense(std::uint8_t alloc) {
  return {0x03, 0, 0, 0, alloc, 0};
}
inline Cdb Rewind(bool immed = false) {
  return {0x01, std::uint8_t(immed ? 1 : 0), 0, 0, 0, 0};
}
inline Cdb ReadBlockLimits() {
  return {0x05, 0, 0, 0, 0, 0};
}

inline Cdb Inquiry(bool evpd, std::uint8_t page, std::uint16_t alloc) {
  Cdb c{0x12, std::uint8_t(evpd ? 1 : 0), page, 0, 0, 0};
  Put16(c, 3, alloc);
  return c;
}

// READ(6)/WRITE(6): length is bytes (variable) or blocks (fixed).
inline Cdb Read6(std::uint32_t length, bool fixed = false, bool sili = false) {
  Cdb c{0x08, std::uint8_t((fixed ? 1 : 0) | (sili ? 2 : 0)), 0, 0, 0, 0};
  Put24(c, 2, length);
  return c;
}
inline Cdb Write6(std::uint32_t length, bool fixed = false) {
  Cdb c{0x0A, std::uint8_t(fixed ? 1 : 0), 0, 0, 0, 0};
  Put24(c, 2, length);
  return c;
}
inline Cdb Read16(std::uint32_t length, bool fixed = false, bool sili = false) {
  Cdb c(16, 0);
  c[0] = 0x88;
  c[1] = std::uint8_t((fixed ? 1 : 0) | (sili ? 2 : 0));
  Put24(c, 12, length);
  return c;
}
inline Cdb Write16(std::uint32_t length, bool fixed = false) {
  Cdb c(16, 0);
  c[0] = 0x8A;
  c[1] = std::uint8_t(fixed ? 1 : 0);
  Put24(c, 12, length);
  return c;
}
inline Cdb WriteFilemarks6(std::uint32_t count, bool immed = false) {
  Cdb c{0x10, std::uint8_t(immed ? 1 : 0), 0, 0, 0, 0};
  Put24(c, 2, count);
  return c;
}

// SPACE(6): count is a 24-bit two's complement number.
inline Cdb Space6(std::uint8_t code, std::int32_t count) {
  Cdb c{0x11, code, 0, 0, 0, 0};
  Put24(c, 2, static_cast<std::uint32_t>(count) & 0xFFFFFF);
  return c;
}
inline Cdb Space16(std::uint8_t code, std::int64_t count) {
  Cdb c(16, 0);
  c[0] = 0x91;
  c[1] = code;
  Put64(c, 4, static_cast<std::uint64_t>(count));
  return c;
}

// LOCATE(10) to a logical object identifier (block address), BT=0.
inline Cdb Locate10(std::uint32_t object) {
  Cdb c(10, 0);
  c[0] = 0x2B;
  Put32(c, 3, object);
  return c;
}
// LOCATE(16), DEST_TYPE 000b (logical object) or 001b (logical file).
inline Cdb Locate16(std::uint64_t identifier, std::uint8_t dest_type = 0) {
  Cdb c(16, 0);
  c[0] = 0x92;
  c[1] = static_cast<std::uint8_t>(dest_type << 3);
  Put64(c, 4, identifier);
  return c;
}

inline Cdb ReadPosition(std::uint8_t service_action, std::uint16_t alloc = 0) {
  Cdb c(10, 0);
  c[0] = 0x34;
  c[1] = service_action;
  Put16(c, 7, alloc);
  return c;
}

inline Cdb LoadUnload(bool load, bool immed = false) {
  return {0x1B, std::uint8_t(immed ? 1 : 0), 0, 0, std::uint8_t(load ? 1 : 0), 0};
}
inline Cdb Erase6(bool long_erase, bool immed = false) {
  return {0x19, std::uint8_t((long_erase ? 1 : 0) | (immed ? 2 : 0)), 0, 0, 0, 0};
}

inline Cdb ModeSense6(std::uint8_t page, std::uint8_t alloc, bool dbd = false,
                      std::uint8_t subpage = 0) {
  return {0x1A, std::uint8_t(dbd ? 0x08 : 0), page, subpage, alloc, 0};
}
inline Cdb ModeSense10(std::uint8_t page, std::uint16_t alloc, bool dbd = false) {
  Cdb c(10, 0);
  c[0] = 0x5A;
  c[1] = dbd ? 0x08 : 0;
  c[2] = page;
  Put16(c, 7, alloc);
  return c;
}
inline Cdb ModeSelect6(std::uint8_t length) {
  return {0x15, 0x10, 0, 0, length, 0};
}

inline Cdb LogSense(std::uint8_t page, std::uint16_t alloc) {
  Cdb c(10, 0);
  c[0] = 0x4D;
  c[2] = static_cast<std::uint8_t>(0x40 | page);  // PC 01b: current cumulative values
  Put16(c, 7, alloc);
  return c;
}

inline Cdb ReportDensitySupport(bool media, std::uint16_t alloc) {
  Cdb c(10, 0);
  c[0] = 0x44;
  c[1] = media ? 1 : 0;
  Put16(c, 7, alloc);
  return c;
}

inline Cdb Reserve6() {
  return {0x16, 0, 0, 0, 0, 0};
}
inline Cdb Release6() {
  return {0x17, 0, 0, 0, 0, 0};
}

// PERSISTENT RESERVE OUT with its 24-byte parameter list length.
inline constexpr std::uint8_t kPrRegister = 0x00, kPrReserve = 0x01, kPrRelease = 0x02,
                              kPrClear = 0x03;
inline constexpr std::uint8_t kPrTypeExclusiveAccess = 0x03;
inline Cdb PersistentReserveOut(std::uint8_t service_action, std::uint8_t type) {
  Cdb c(10, 0);
  c[0] = 0x5F;
  c[1] = service_action;
  c[2] = type;  // scope 0h (LU_SCOPE) in bits 7-4
  Put32(c, 5, 24);
  return c;
}
inline std::vector<std::uint8_t> PrParameters(std::uint64_t key, std::uint64_t sa_key) {
  std::vector<std::uint8_t> p(24, 0);
  Put64(p, 0, key);
  Put64(p, 8, sa_key);
  return p;
}
inline Cdb PersistentReserveIn(std::uint8_t service_action, std::uint16_t alloc) {
  Cdb c(10, 0);
  c[0] = 0x5E;
  c[1] = service_action;
  Put16(c, 7, alloc);
  return c;
}

}  // namespace vtape::iscsi_test::cdb
