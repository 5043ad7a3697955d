// PLACEHOLDER: replaced by the engine work. Answers INVALID OPERATION CODE.
#include "handler/commands.h"

namespace vtape::ssc {
ScsiResult CmdReadBlockLimits(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
ScsiResult CmdReportDensitySupport(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
ScsiResult CmdReportSupportedOpcodes(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
}  // namespace vtape::ssc
