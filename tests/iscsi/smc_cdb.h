// CDBs of the SMC-3 (medium changer) commands the conformance suite sends,
// built byte by byte from the SMC-3 / SPC-4 layouts (libiscsi has helpers for
// a few of them, but the tests want every bit in sight).
#pragma once

#include <cstdint>

#include "tests/iscsi/ssc_cdb.h"

namespace vtape::iscsi_test::cdb {

// Element type codes (SMC-3 table 12) and the addresses vtape gives each type
// (library/README.md, "Elements"; MODE SENSE page 1Dh reports them).
inline constexpr std::uint8_t kElementAll = 0, kElementTransport = 1, kElementStorage = 2,
                              kElementImportExport = 3, kElementDrive = 4;
inline constexpr std::uint16_t kTransportAddress = 0x0000, kFirstDriveAddress = 0x0100,
                               kFirstImportExportAddress = 0x0300, kFirstSlotAddress = 0x1000;

// READ ELEMENT STATUS (SMC-3 6.12), 12 bytes.
struct ElementStatusRequest {
  std::uint8_t type = kElementAll;
  std::uint16_t start = 0;
  std::uint16_t count = 0xFFFF;
  std::uint32_t alloc = 0xFFFF;
  bool voltag = false;
  bool dvcid = false;
  bool curdata = false;
};
inline Cdb ReadElementStatus(const ElementStatusRequest& r) {
  Cdb c(12, 0);
  c[0] = 0xB8;
  c[1] = static_cast<std::uint8_t>((r.voltag ? 0x10 : 0) | (r.type & 0x0F));
  Put16(c, 2, r.start);
  Put16(c, 4, r.count);
  c[6] = static_cast<std::uint8_t>((r.curdata ? 0x02 : 0) | (r.dvcid ? 0x01 : 0));
  Put24(c, 7, r.alloc);
  return c;
}

// MOVE MEDIUM (SMC-3 6.8).
inline Cdb MoveMedium(std::uint16_t source, std::uint16_t destination,
                      std::uint16_t transport = kTransportAddress) {
  Cdb c(12, 0);
  c[0] = 0xA5;
  Put16(c, 2, transport);
  Put16(c, 4, source);
  Put16(c, 6, destination);
  return c;
}

// EXCHANGE MEDIUM (SMC-3 6.4): source -> first, first's cartridge -> second.
inline Cdb ExchangeMedium(std::uint16_t source, std::uint16_t first, std::uint16_t second,
                          std::uint16_t transport = kTransportAddress) {
  Cdb c(12, 0);
  c[0] = 0xA6;
  Put16(c, 2, transport);
  Put16(c, 4, source);
  Put16(c, 6, first);
  Put16(c, 8, second);
  return c;
}

// INITIALIZE ELEMENT STATUS (SMC-3 6.2).
inline Cdb InitializeElementStatus() {
  return {0x07, 0, 0, 0, 0, 0};
}
// INITIALIZE ELEMENT STATUS WITH RANGE (SMC-3 6.3); range = false means all elements.
inline Cdb InitializeElementStatusWithRange(std::uint16_t start, std::uint16_t count,
                                            bool range = true) {
  Cdb c(10, 0);
  c[0] = 0x37;
  c[1] = range ? 0x01 : 0x00;
  Put16(c, 2, start);
  Put16(c, 6, count);
  return c;
}

// POSITION TO ELEMENT (SMC-3 6.9).
inline Cdb PositionToElement(std::uint16_t destination,
                             std::uint16_t transport = kTransportAddress) {
  Cdb c(10, 0);
  c[0] = 0x2B;
  Put16(c, 2, transport);
  Put16(c, 4, destination);
  return c;
}

// PREVENT ALLOW MEDIUM REMOVAL (SPC-4 6.13; SMC-3: locks the import/export elements).
inline Cdb PreventAllowMediumRemoval(bool prevent) {
  return {0x1E, 0, 0, 0, std::uint8_t(prevent ? 1 : 0), 0};
}

// OPEN/CLOSE IMPORT/EXPORT ELEMENT (SMC-3 6.6): action 0 opens, 1 closes.
inline Cdb OpenCloseImportExport(std::uint16_t address, bool open) {
  Cdb c{0x1B, 0, 0, 0, std::uint8_t(open ? 0 : 1), 0};
  Put16(c, 2, address);
  return c;
}

// REPORT SUPPORTED OPERATION CODES (SPC-4 6.35): MAINTENANCE IN, service action 0Ch.
inline constexpr std::uint8_t kRsocAll = 0x0, kRsocOneOpcode = 0x1;
inline Cdb ReportSupportedOpcodes(std::uint8_t options, std::uint8_t opcode, std::uint32_t alloc,
                                  bool rctd = false) {
  Cdb c(12, 0);
  c[0] = 0xA3;
  c[1] = 0x0C;
  c[2] = static_cast<std::uint8_t>((rctd ? 0x80 : 0) | (options & 0x07));
  c[3] = opcode;
  Put32(c, 6, alloc);
  return c;
}

}  // namespace vtape::iscsi_test::cdb
