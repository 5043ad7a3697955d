// The changer's command table (command_table.cc; dispatch in changer.cc through
// spc/command_table.h), one file per command family:
//   cmd_spc.cc             INQUIRY, TEST UNIT READY, REQUEST SENSE, REPORT SUPPORTED
//                          OPERATION CODES, LOG SENSE/SELECT
//   cmd_mode.cc            MODE SENSE/SELECT(6/10), pages 1Dh, 1Eh, 1Fh
//   cmd_element_status.cc  READ ELEMENT STATUS
//   cmd_move.cc            MOVE MEDIUM, EXCHANGE MEDIUM
//   cmd_element.cc         INITIALIZE ELEMENT STATUS (WITH RANGE), POSITION TO ELEMENT,
//                          PREVENT ALLOW MEDIUM REMOVAL, OPEN/CLOSE IMPORT/EXPORT ELEMENT
#pragma once

#include <cstdint>
#include <span>

#include "handler/smc/changer_state.h"
#include "handler/spc/command_table.h"

namespace vtape::smc {

using CommandInfo = spc::CommandInfo<ChangerState>;

std::span<const CommandInfo> AllCommands();

// cmd_spc.cc
ScsiResult CmdInquiry(ChangerState&, const ScsiCommand&);
ScsiResult CmdTestUnitReady(ChangerState&, const ScsiCommand&);
ScsiResult CmdRequestSense(ChangerState&, const ScsiCommand&);
ScsiResult CmdReportSupportedOpcodes(ChangerState&, const ScsiCommand&);
ScsiResult CmdLogSense(ChangerState&, const ScsiCommand&);
ScsiResult CmdLogSelect(ChangerState&, const ScsiCommand&);
// cmd_mode.cc
ScsiResult CmdModeSense(ChangerState&, const ScsiCommand&);
ScsiResult CmdModeSelect(ChangerState&, const ScsiCommand&);
// cmd_element_status.cc
ScsiResult CmdReadElementStatus(ChangerState&, const ScsiCommand&);
// cmd_move.cc
ScsiResult CmdMoveMedium(ChangerState&, const ScsiCommand&);
ScsiResult CmdExchangeMedium(ChangerState&, const ScsiCommand&);
// cmd_element.cc
ScsiResult CmdInitializeElementStatus(ChangerState&, const ScsiCommand&);
ScsiResult CmdInitializeElementStatusWithRange(ChangerState&, const ScsiCommand&);
ScsiResult CmdPositionToElement(ChangerState&, const ScsiCommand&);
ScsiResult CmdPreventAllow(ChangerState&, const ScsiCommand&);
ScsiResult CmdOpenCloseImportExport(ChangerState&, const ScsiCommand&);

}  // namespace vtape::smc
