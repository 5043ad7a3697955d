// Every command the changer implements, with its CDB usage data (SPC-4 6.35).
// The INVERT bits of MOVE MEDIUM, EXCHANGE MEDIUM and POSITION TO ELEMENT are
// not in the masks: cartridges are never turned over, so a CDB asking for it is
// refused at that bit. CONTROL is 00h: no NACA, no linked commands.
#include "handler/smc/commands.h"

namespace vtape::smc {
namespace {

using U = spc::CdbUsage;
constexpr std::uint8_t F = 0xFF;

// One row per command, so the table reads as a table.
// clang-format off
constexpr CommandInfo kCommands[] = {
    // opcode, SA, length, usage, fn, needs_medium, allowed_with_ua, name
    {0x00, {},   6,  U{0x00, 0, 0, 0, 0, 0},                         CmdTestUnitReady,                    false, false, "TEST UNIT READY"},
    {0x03, {},   6,  U{0x03, 0x01, 0, 0, F, 0},                      CmdRequestSense,                     false, true,  "REQUEST SENSE"},
    {0x07, {},   6,  U{0x07, 0, 0, 0, 0, 0},                         CmdInitializeElementStatus,          false, false, "INITIALIZE ELEMENT STATUS"},
    {0x12, {},   6,  U{0x12, 0x01, F, F, F, 0},                      CmdInquiry,                          false, true,  "INQUIRY"},
    {0x15, {},   6,  U{0x15, 0x11, 0, 0, F, 0},                      CmdModeSelect,                       false, false, "MODE SELECT(6)"},
    {0x1A, {},   6,  U{0x1A, 0x08, F, F, F, 0},                      CmdModeSense,                        false, false, "MODE SENSE(6)"},
    {0x1B, {},   6,  U{0x1B, 0, F, F, 0x1F, 0},                      CmdOpenCloseImportExport,            false, false, "OPEN/CLOSE IMPORT/EXPORT ELEMENT"},
    {0x1E, {},   6,  U{0x1E, 0, 0, 0, 0x03, 0},                      CmdPreventAllow,                     false, false, "PREVENT ALLOW MEDIUM REMOVAL"},
    {0x2B, {},   10, U{0x2B, 0, F, F, F, F, 0, 0, 0, 0},             CmdPositionToElement,                false, false, "POSITION TO ELEMENT"},
    {0x37, {},   10, U{0x37, 0x03, F, F, 0, 0, F, F, 0, 0},          CmdInitializeElementStatusWithRange, false, false, "INITIALIZE ELEMENT STATUS WITH RANGE"},
    {0x4C, {},   10, U{0x4C, 0x03, F, F, 0, 0, 0, F, F, 0},          CmdLogSelect,                        false, false, "LOG SELECT"},
    {0x4D, {},   10, U{0x4D, 0x01, F, F, 0, F, F, F, F, 0},          CmdLogSense,                         false, false, "LOG SENSE"},
    {0x55, {},   10, U{0x55, 0x11, 0, 0, 0, 0, 0, F, F, 0},          CmdModeSelect,                       false, false, "MODE SELECT(10)"},
    {0x5A, {},   10, U{0x5A, 0x08, F, F, 0, 0, 0, F, F, 0},          CmdModeSense,                        false, false, "MODE SENSE(10)"},
    {0xA3, 0x0C, 12, U{0xA3, 0x0C, 0x87, F, F, F, F, F, F, F, 0, 0}, CmdReportSupportedOpcodes,           false, false, "REPORT SUPPORTED OPERATION CODES"},
    {0xA5, {},   12, U{0xA5, 0, F, F, F, F, F, F, 0, 0, 0, 0},       CmdMoveMedium,                       false, false, "MOVE MEDIUM"},
    {0xA6, {},   12, U{0xA6, 0, F, F, F, F, F, F, F, F, 0, 0},       CmdExchangeMedium,                   false, false, "EXCHANGE MEDIUM"},
    {0xB8, {},   12, U{0xB8, 0x1F, F, F, F, F, 0x03, F, F, F, 0, 0}, CmdReadElementStatus,                false, false, "READ ELEMENT STATUS"},
};
// clang-format on

}  // namespace

std::span<const CommandInfo> AllCommands() {
  return kCommands;
}

}  // namespace vtape::smc
