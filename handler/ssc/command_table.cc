// Every command the drive implements, with its CDB usage data (SPC-4 6.35:
// REPORT SUPPORTED OPERATION CODES returns exactly these masks, and the
// dispatcher rejects any CDB bit outside them). The last CDB byte (CONTROL) is
// 00h: the drive supports neither NACA nor linked commands.
#include "handler/ssc/commands.h"

namespace vtape::ssc {
namespace {

using U = spc::CdbUsage;
constexpr std::uint8_t F = 0xFF;

// One row per command, so the table reads as a table.
// clang-format off
constexpr CommandInfo kCommands[] = {
    // opcode, SA, length, usage, fn, needs_medium, allowed_with_ua, name
    {0x00, {},   6,  U{0x00, 0, 0, 0, 0, 0},                                     CmdTestUnitReady,          false, false, "TEST UNIT READY"},
    {0x01, {},   6,  U{0x01, 0x01, 0, 0, 0, 0},                                  CmdRewind,                 true,  false, "REWIND"},
    {0x03, {},   6,  U{0x03, 0x01, 0, 0, F, 0},                                  CmdRequestSense,           false, true,  "REQUEST SENSE"},
    {0x04, {},   6,  U{0x04, 0x03, 0x0F, F, F, 0},                               CmdFormatMedium,           true,  false, "FORMAT MEDIUM"},
    {0x05, {},   6,  U{0x05, 0x01, 0, 0, 0, 0},                                  CmdReadBlockLimits,        false, false, "READ BLOCK LIMITS"},
    {0x08, {},   6,  U{0x08, 0x03, F, F, F, 0},                                  CmdRead,                   true,  false, "READ(6)"},
    {0x0A, {},   6,  U{0x0A, 0x01, F, F, F, 0},                                  CmdWrite,                  true,  false, "WRITE(6)"},
    {0x0B, {},   6,  U{0x0B, 0x01, 0, F, F, 0},                                  CmdSetCapacity,            true,  false, "SET CAPACITY"},
    {0x10, {},   6,  U{0x10, 0x03, F, F, F, 0},                                  CmdWriteFilemarks,         true,  false, "WRITE FILEMARKS(6)"},
    {0x11, {},   6,  U{0x11, 0x07, F, F, F, 0},                                  CmdSpace,                  true,  false, "SPACE(6)"},
    {0x12, {},   6,  U{0x12, 0x01, F, F, F, 0},                                  CmdInquiry,                false, true,  "INQUIRY"},
    {0x13, {},   6,  U{0x13, 0x2F, F, F, F, 0},                                  CmdVerify,                 true,  false, "VERIFY(6)"},
    {0x15, {},   6,  U{0x15, 0x11, 0, 0, F, 0},                                  CmdModeSelect,             false, false, "MODE SELECT(6)"},
    {0x19, {},   6,  U{0x19, 0x03, 0, 0, 0, 0},                                  CmdErase,                  true,  false, "ERASE(6)"},
    {0x1A, {},   6,  U{0x1A, 0x08, F, F, F, 0},                                  CmdModeSense,              false, false, "MODE SENSE(6)"},
    {0x1B, {},   6,  U{0x1B, 0x01, 0, 0, 0x0F, 0},                               CmdLoadUnload,             false, false, "LOAD UNLOAD"},
    {0x1C, {},   6,  U{0x1C, 0x01, F, F, F, 0},                                  CmdReceiveDiagnosticResults, false, false, "RECEIVE DIAGNOSTIC RESULTS"},
    {0x1D, {},   6,  U{0x1D, 0x17, 0, F, F, 0},                                  CmdSendDiagnostic,         false, false, "SEND DIAGNOSTIC"},
    {0x1E, {},   6,  U{0x1E, 0, 0, 0, 0x03, 0},                                  CmdPreventAllow,           false, false, "PREVENT ALLOW MEDIUM REMOVAL"},
    {0x2B, {},   10, U{0x2B, 0x07, 0, F, F, F, F, 0, F, 0},                      CmdLocate,                 true,  false, "LOCATE(10)"},
    {0x34, {},   10, U{0x34, 0x1F, 0, 0, 0, 0, 0, F, F, 0},                      CmdReadPosition,           true,  false, "READ POSITION"},
    {0x3B, {},   10, U{0x3B, 0x1F, F, F, F, F, F, F, F, 0},                      CmdWriteBuffer,            false, false, "WRITE BUFFER"},
    {0x3C, {},   10, U{0x3C, 0x1F, F, F, F, F, F, F, F, 0},                      CmdReadBuffer,             false, false, "READ BUFFER"},
    {0x44, {},   10, U{0x44, 0x03, 0, 0, 0, 0, 0, F, F, 0},                      CmdReportDensitySupport,   false, false, "REPORT DENSITY SUPPORT"},
    {0x4C, {},   10, U{0x4C, 0x03, F, F, 0, 0, 0, F, F, 0},                      CmdLogSelect,              false, false, "LOG SELECT"},
    {0x4D, {},   10, U{0x4D, 0x01, F, F, 0, F, F, F, F, 0},                      CmdLogSense,               false, false, "LOG SENSE"},
    {0x55, {},   10, U{0x55, 0x11, 0, 0, 0, 0, 0, F, F, 0},                      CmdModeSelect,             false, false, "MODE SELECT(10)"},
    {0x5A, {},   10, U{0x5A, 0x18, F, F, 0, 0, 0, F, F, 0},                      CmdModeSense,              false, false, "MODE SENSE(10)"},
    {0x80, {},   16, U{0x80, 0x03, 0, F, F, F, F, F, F, F, F, F, F, F, F, 0},    CmdWriteFilemarks,         true,  false, "WRITE FILEMARKS(16)"},
    {0x82, {},   16, U{0x82, 0, 0x0F, F, F, F, F, F, F, F, F, F, 0, 0, 0, 0},    CmdAllowOverwrite,         true,  false, "ALLOW OVERWRITE"},
    {0x88, {},   16, U{0x88, 0x03, 0, F, F, F, F, F, F, F, F, F, F, F, F, 0},    CmdRead,                   true,  false, "READ(16)"},
    {0x8A, {},   16, U{0x8A, 0x01, 0, F, F, F, F, F, F, F, F, F, F, F, F, 0},    CmdWrite,                  true,  false, "WRITE(16)"},
    {0x8C, {},   16, U{0x8C, 0x1F, 0, 0, 0, F, 0, F, F, F, F, F, F, F, 0x01, 0},   CmdReadAttribute,          true,  false, "READ ATTRIBUTE"},
    {0x8D, {},   16, U{0x8D, 0x01, 0, 0, 0, F, 0, F, 0, 0, F, F, F, F, 0, 0},      CmdWriteAttribute,         true,  false, "WRITE ATTRIBUTE"},
    {0x8F, {},   16, U{0x8F, 0x2F, 0, F, F, F, F, F, F, F, F, F, F, F, F, 0},    CmdVerify,                 true,  false, "VERIFY(16)"},
    {0x91, {},   16, U{0x91, 0x0F, 0, 0, F, F, F, F, F, F, F, F, F, F, 0, 0},    CmdSpace,                  true,  false, "SPACE(16)"},
    {0x92, {},   16, U{0x92, 0x3B, 0x01, F, F, F, F, F, F, F, F, F, 0, 0, 0, 0}, CmdLocate,                 true,  false, "LOCATE(16)"},
    {0x93, {},   16, U{0x93, 0x03, 0, F, F, F, F, F, F, F, F, F, 0, 0, 0, 0},    CmdErase,                  true,  false, "ERASE(16)"},
    {0xA2, {},   12, U{0xA2, F, F, F, 0, 0, F, F, F, F, 0, 0},                   CmdSecurityProtocolIn,     false, false, "SECURITY PROTOCOL IN"},
    {0xA3, 0x0C, 12, U{0xA3, 0x0C, 0x87, F, F, F, F, F, F, F, 0, 0},             CmdReportSupportedOpcodes, false, false, "REPORT SUPPORTED OPERATION CODES"},
    {0xA3, 0x0F, 12, U{0xA3, 0x0F, 0, 0, 0, 0, F, F, F, F, 0, 0},                CmdReportTimestamp,        false, false, "REPORT TIMESTAMP"},
    {0xA4, 0x0F, 12, U{0xA4, 0x0F, 0, 0, 0, 0, F, F, F, F, 0, 0},                CmdSetTimestamp,           false, false, "SET TIMESTAMP"},
    {0xB5, {},   12, U{0xB5, F, F, F, 0, 0, F, F, F, F, 0, 0},                   CmdSecurityProtocolOut,    false, false, "SECURITY PROTOCOL OUT"},
};
// clang-format on

}  // namespace

std::span<const CommandInfo> AllCommands() {
  return kCommands;
}

const CommandInfo* FindCommand(std::uint8_t opcode, std::uint16_t service_action) {
  return spc::FindCommand(AllCommands(), opcode, service_action);
}

}  // namespace vtape::ssc
