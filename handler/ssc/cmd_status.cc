// TEST UNIT READY, REQUEST SENSE, PREVENT ALLOW MEDIUM REMOVAL (SPC-4 6.47,
// 6.39, 6.13 with the SSC-4 additions for tape).
#include <algorithm>

#include "handler/spc/cdb.h"
#include "handler/ssc/commands.h"

namespace vtape::ssc {

ScsiResult CmdTestUnitReady(DriveState& state, const ScsiCommand&) {
  ScsiResult result;
  if (state.ReadyTape(result) == nullptr) return result;
  return Good();
}

ScsiResult CmdRequestSense(DriveState& state, const ScsiCommand& cmd) {
  if (cmd.cdb[1] & 0x01) return InvalidCdbField(1, 0);  // DESC: only fixed format is offered
  const std::size_t allocation = cmd.cdb[4];

  // What to report, most urgent first. Reporting a unit attention or a deferred
  // error clears it (SPC-4 5.12); the others describe the current state.
  SenseData sense;
  if (!state.unit_attentions.empty()) {
    Asc ua = state.unit_attentions.front();
    state.unit_attentions.pop_front();
    sense.key = kUnitAttention;
    sense.asc = ua.asc;
    sense.ascq = ua.ascq;
  } else if (state.has_deferred_sense) {
    sense = state.deferred_sense;
    state.has_deferred_sense = false;
    state.deferred_sense = {};
  } else if (!state.tape || !state.tape->loaded()) {
    sense.key = kNotReady;
    sense.asc = kAscMediumNotPresent.asc;
    sense.ascq = kAscMediumNotPresent.ascq;
  } else if (state.tape->GetPosition().beyond_early_warning) {
    sense.eom = true;
    sense.asc = kAscEndOfPartition.asc;
    sense.ascq = kAscEndOfPartition.ascq;
  }

  std::array<std::uint8_t, 18> bytes{};
  std::size_t n = EncodeSense(sense, bytes);
  n = std::min({n, allocation, cmd.data_in.size()});
  std::copy_n(bytes.begin(), n, cmd.data_in.begin());
  return Good(n);
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
