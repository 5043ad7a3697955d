// PLACEHOLDER: replaced by the engine work. Answers INVALID OPERATION CODE.
#include "handler/commands.h"

namespace vtape::ssc {
ScsiResult CmdInquiry(DriveState&, const ScsiCommand&) {
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}
}  // namespace vtape::ssc
