// PLACEHOLDER: replaced by the engine work. Answers INVALID OPERATION CODE.
#include "handler/commands.h"

namespace vtape::ssc {
ScsiResult CmdRead(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
ScsiResult CmdWrite(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
ScsiResult CmdWriteFilemarks(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
}  // namespace vtape::ssc
