// What every device type keeps for SPC: pending unit attentions and deferred
// sense. A device's state (ssc::DriveState, smc::ChangerState) derives from it.
#pragma once

#include <deque>
#include <optional>

#include "handler/spc/sense.h"

namespace vtape::spc {

struct DeviceState {
  // Pending unit attention conditions, oldest first (SPC-4: reported one per
  // command by every command but INQUIRY, REPORT LUNS and REQUEST SENSE).
  std::deque<Asc> unit_attentions;

  // Deferred sense for the next REQUEST SENSE (e.g. after IMMED operations);
  // empty when nothing is pending.
  bool has_deferred_sense = false;
  SenseData deferred_sense;

  // Removes and returns the oldest pending unit attention (reporting one
  // clears it, SPC-4 5.12).
  std::optional<Asc> TakeUnitAttention() {
    if (unit_attentions.empty()) return std::nullopt;
    Asc ua = unit_attentions.front();
    unit_attentions.pop_front();
    return ua;
  }
};

// REQUEST SENSE (SPC-4 6.39) for any device: the oldest unit attention, else
// the deferred sense, else `current` (what the device says about its state
// now: NOT READY, early warning, or no sense). Fixed format only (DESC=1 is
// refused).
ScsiResult RequestSense(DeviceState& state, const ScsiCommand& command, const SenseData& current);

}  // namespace vtape::spc
