// The data bytes the SPC commands every device type runs can move, from the
// CDB alone: a device's ExpectedTransfer (ssc/transfer_size.h,
// smc/expected_transfer.h) asks here first, then adds its own commands.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "handler/spc/cdb.h"

namespace vtape::spc {

struct SpcTransfer {
  std::uint64_t data_out = 0;  // parameter list length
  std::uint64_t data_in = 0;   // allocation length
};

// REQUEST SENSE, INQUIRY, MODE SENSE/SELECT(6/10), LOG SENSE/SELECT, READ/
// WRITE ATTRIBUTE, READ/WRITE BUFFER, SEND DIAGNOSTIC / RECEIVE DIAGNOSTIC RESULTS and the
// MAINTENANCE IN/OUT commands (REPORT SUPPORTED OPERATION CODES, REPORT/SET
// TIMESTAMP), SECURITY PROTOCOL IN/OUT; nullopt for any other opcode.
inline std::optional<SpcTransfer> SpcCommandTransfer(std::span<const std::uint8_t> cdb) {
  if (cdb.empty()) return std::nullopt;
  switch (cdb[0]) {
    case 0x15:  // MODE SELECT(6)
      return SpcTransfer{GetBe(cdb, 4, 1), 0};
    case 0x4C:  // LOG SELECT
    case 0x55:  // MODE SELECT(10)
      return SpcTransfer{GetBe(cdb, 7, 2), 0};
    case 0x03:  // REQUEST SENSE
    case 0x1A:  // MODE SENSE(6)
      return SpcTransfer{0, GetBe(cdb, 4, 1)};
    case 0x12:  // INQUIRY
      return SpcTransfer{0, GetBe(cdb, 3, 2)};
    case 0x4D:  // LOG SENSE
    case 0x5A:  // MODE SENSE(10)
      return SpcTransfer{0, GetBe(cdb, 7, 2)};
    case 0xA3:  // MAINTENANCE IN (REPORT SUPPORTED OPERATION CODES, REPORT TIMESTAMP)
      return SpcTransfer{0, GetBe(cdb, 6, 4)};
    case 0xA4:  // MAINTENANCE OUT (SET TIMESTAMP)
      return SpcTransfer{GetBe(cdb, 6, 4), 0};
    case 0x1C:  // RECEIVE DIAGNOSTIC RESULTS
      return SpcTransfer{0, GetBe(cdb, 3, 2)};
    case 0x1D:  // SEND DIAGNOSTIC
      return SpcTransfer{GetBe(cdb, 3, 2), 0};
    case 0x3B:  // WRITE BUFFER
      return SpcTransfer{GetBe(cdb, 6, 3), 0};
    case 0x3C:  // READ BUFFER
      return SpcTransfer{0, GetBe(cdb, 6, 3)};
    case 0x8C:  // READ ATTRIBUTE: ALLOCATION LENGTH
      return SpcTransfer{0, GetBe(cdb, 10, 4)};
    case 0x8D:  // WRITE ATTRIBUTE: PARAMETER LIST LENGTH
      return SpcTransfer{GetBe(cdb, 10, 4), 0};
    case 0xA2:  // SECURITY PROTOCOL IN: ALLOCATION LENGTH (INC_512 is refused)
      return SpcTransfer{0, GetBe(cdb, 6, 4)};
    case 0xB5:  // SECURITY PROTOCOL OUT: TRANSFER LENGTH
      return SpcTransfer{GetBe(cdb, 6, 4), 0};
    default:
      return std::nullopt;
  }
}

}  // namespace vtape::spc
