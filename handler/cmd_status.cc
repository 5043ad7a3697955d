// PLACEHOLDER: replaced by the engine work. Answers INVALID OPERATION CODE.
#include "handler/commands.h"

namespace vtape::ssc {
ScsiResult CmdTestUnitReady(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
ScsiResult CmdRequestSense(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
ScsiResult CmdPreventAllow(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
}  // namespace vtape::ssc
