// The changer's state, shared by its command files. Internal to the engine: the
// outside sees only changer.h.
#pragma once

#include <cstdint>

#include "handler/smc/changer.h"
#include "handler/smc/personality.h"
#include "handler/spc/device_state.h"
#include "handler/spc/log.h"
#include "handler/spc/sense.h"

namespace vtape::smc {

// The changer speaks SPC: its results, sense and CDB helpers are the common layer's.
using namespace vtape::spc;

// SMC-3 additional sense codes.
inline constexpr Asc kAscInvalidElementAddress{0x21, 0x01};
inline constexpr Asc kAscMediumDestinationFull{0x3B, 0x0D};
inline constexpr Asc kAscMediumSourceEmpty{0x3B, 0x0E};
inline constexpr Asc kAscMagazineNotAccessible{0x3B, 0x11};
inline constexpr Asc kAscMediaLoadOrEjectFailed{0x53, 0x00};
inline constexpr Asc kAscManualInterventionRequired{0x04, 0x03};

struct ChangerState : spc::DeviceState {
  ChangerConfig config;
  const Personality* personality = nullptr;  // never null after construction
  library::Library* library = nullptr;
  DrivePort* drives = nullptr;
  // The library generation this changer last saw: a larger one means another
  // process (the operator's import/export, `vtape library move`) changed it,
  // which the initiator learns as UNIT ATTENTION 28h/00h.
  std::uint64_t seen_generation = 0;
  // TapeAlert flags of log page 2Eh (SMC-3 changer flags).
  spc::TapeAlerts tapealert;

  const library::State& lib() const { return library->state(); }
};

// The answer to a library refusal or failure (exact sense per Reason).
ScsiResult SenseForResult(const library::Result& result);

}  // namespace vtape::smc
