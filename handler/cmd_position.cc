// PLACEHOLDER: replaced by the engine work. Answers INVALID OPERATION CODE.
#include "handler/commands.h"

namespace vtape::ssc {
ScsiResult CmdSpace(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
ScsiResult CmdLocate(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
ScsiResult CmdReadPosition(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
ScsiResult CmdRewind(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
ScsiResult CmdErase(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
ScsiResult CmdLoadUnload(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
}  // namespace vtape::ssc
