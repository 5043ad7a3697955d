// TEST UNIT READY, REQUEST SENSE, PREVENT ALLOW MEDIUM REMOVAL (SPC-4 6.47,
// 6.39, 6.13 with the SSC-4 additions for tape).
#include "handler/spc/cdb.h"
#include "handler/ssc/commands.h"
#include "handler/ssc/data_common.h"

namespace vtape::ssc {

ScsiResult CmdTestUnitReady(DriveState& state, const ScsiCommand&) {
  ScsiResult result;
  if (state.ReadyTape(result) == nullptr) return result;
  return Good();
}

ScsiResult CmdRequestSense(DriveState& state, const ScsiCommand& cmd) {
  // The drive's own state, reported when nothing is pending.
  SenseData current;
  // A deferred error the buffer met is the sense data (SPC-4 4.5.5), reported
  // once, after any unit attention (which leaves it pending for the next
  // command).
  if (state.unit_attentions.empty() && !state.has_deferred_sense) {
    if (std::optional<SenseData> deferred = TakeDeferredSense(state)) {
      state.deferred_sense = *deferred;
      state.has_deferred_sense = true;
    }
  }
  if (!state.tape || !state.tape->loaded()) {
    current = Sense(kNotReady, kAscMediumNotPresent);
  } else if (state.tape->GetPosition().beyond_early_warning) {
    current = Sense(kNoSense, kAscEndOfPartition);
    current.eom = true;
  }
  return RequestSense(state, cmd, current);
}

ScsiResult CmdPreventAllow(DriveState& state, const ScsiCommand& cmd) {
  switch (cmd.cdb[4] & 0x03) {
    case 0x00:
      state.prevent_removal = false;
      return Good();
    case 0x01:
      state.prevent_removal = true;
      return Good();
    default:  // 10b/11b: prevention of medium changer removal, not a tape drive's
      return InvalidCdbField(4, 1);
  }
}

}  // namespace vtape::ssc
