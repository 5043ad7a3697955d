// The drive's command table (command_table.cc; dispatch in drive.cc through
// spc/command_table.h), one file per command family:
//   cmd_data.cc      READ(6/16), WRITE(6/16), WRITE FILEMARKS(6/16)
//   cmd_position.cc  SPACE(6/16), LOCATE(10/16), READ POSITION, REWIND, ERASE, LOAD UNLOAD
//   cmd_status.cc    TEST UNIT READY, REQUEST SENSE, PREVENT ALLOW MEDIUM REMOVAL
//   cmd_inquiry.cc   INQUIRY and its VPD pages
//   cmd_mode.cc      MODE SENSE/SELECT(6/10)
//   cmd_log.cc       LOG SENSE/SELECT
//   cmd_info.cc      READ BLOCK LIMITS, REPORT DENSITY SUPPORT, REPORT SUPPORTED OPERATION CODES
//   cmd_buffer.cc    READ BUFFER, WRITE BUFFER
//   cmd_diagnostic.cc SEND DIAGNOSTIC, RECEIVE DIAGNOSTIC RESULTS
//   cmd_timestamp.cc REPORT TIMESTAMP, SET TIMESTAMP
//   cmd_verify.cc    VERIFY(6/16), ALLOW OVERWRITE
//   cmd_format.cc    FORMAT MEDIUM, SET CAPACITY
//   cmd_attribute.cc READ ATTRIBUTE, WRITE ATTRIBUTE
//   cmd_security.cc  SECURITY PROTOCOL IN, SECURITY PROTOCOL OUT (data encryption)
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "handler/spc/command_table.h"
#include "handler/ssc/drive_state.h"

namespace vtape::ssc {

using CommandInfo = spc::CommandInfo<DriveState>;
using CommandFn = ScsiResult (*)(DriveState&, const ScsiCommand&);

// The table of every command the drive implements (command_table.cc).
std::span<const CommandInfo> AllCommands();
const CommandInfo* FindCommand(std::uint8_t opcode, std::uint16_t service_action);

// cmd_data.cc
ScsiResult CmdRead(DriveState&, const ScsiCommand&);
ScsiResult CmdWrite(DriveState&, const ScsiCommand&);
ScsiResult CmdWriteFilemarks(DriveState&, const ScsiCommand&);
// cmd_position.cc
ScsiResult CmdSpace(DriveState&, const ScsiCommand&);
ScsiResult CmdLocate(DriveState&, const ScsiCommand&);
ScsiResult CmdReadPosition(DriveState&, const ScsiCommand&);
ScsiResult CmdRewind(DriveState&, const ScsiCommand&);
ScsiResult CmdErase(DriveState&, const ScsiCommand&);
ScsiResult CmdLoadUnload(DriveState&, const ScsiCommand&);
// cmd_status.cc
ScsiResult CmdTestUnitReady(DriveState&, const ScsiCommand&);
ScsiResult CmdRequestSense(DriveState&, const ScsiCommand&);
ScsiResult CmdPreventAllow(DriveState&, const ScsiCommand&);
// cmd_inquiry.cc
ScsiResult CmdInquiry(DriveState&, const ScsiCommand&);
// cmd_mode.cc
ScsiResult CmdModeSense(DriveState&, const ScsiCommand&);
ScsiResult CmdModeSelect(DriveState&, const ScsiCommand&);
// cmd_log.cc
ScsiResult CmdLogSense(DriveState&, const ScsiCommand&);
ScsiResult CmdLogSelect(DriveState&, const ScsiCommand&);
// cmd_info.cc
ScsiResult CmdReadBlockLimits(DriveState&, const ScsiCommand&);
ScsiResult CmdReportDensitySupport(DriveState&, const ScsiCommand&);
ScsiResult CmdReportSupportedOpcodes(DriveState&, const ScsiCommand&);
// cmd_buffer.cc
ScsiResult CmdReadBuffer(DriveState&, const ScsiCommand&);
ScsiResult CmdWriteBuffer(DriveState&, const ScsiCommand&);
// The drive dump READ BUFFER returns: a text snapshot of the drive's state.
std::vector<std::uint8_t> DriveDump(const DriveState& state);
// cmd_diagnostic.cc
ScsiResult CmdSendDiagnostic(DriveState&, const ScsiCommand&);
ScsiResult CmdReceiveDiagnosticResults(DriveState&, const ScsiCommand&);
// cmd_timestamp.cc
ScsiResult CmdReportTimestamp(DriveState&, const ScsiCommand&);
ScsiResult CmdSetTimestamp(DriveState&, const ScsiCommand&);
// cmd_verify.cc
ScsiResult CmdVerify(DriveState&, const ScsiCommand&);
ScsiResult CmdAllowOverwrite(DriveState&, const ScsiCommand&);
// cmd_format.cc
ScsiResult CmdFormatMedium(DriveState&, const ScsiCommand&);
ScsiResult CmdSetCapacity(DriveState&, const ScsiCommand&);
// cmd_attribute.cc
ScsiResult CmdReadAttribute(DriveState&, const ScsiCommand&);
ScsiResult CmdWriteAttribute(DriveState&, const ScsiCommand&);
// cmd_security.cc
ScsiResult CmdSecurityProtocolIn(DriveState&, const ScsiCommand&);
ScsiResult CmdSecurityProtocolOut(DriveState&, const ScsiCommand&);

// Maps a vtape Status from the medium to sense (medium error, write protect,
// end of medium ...): one place so every command answers alike.
ScsiResult SenseForStatus(DriveState& state, const Status& status);

}  // namespace vtape::ssc
