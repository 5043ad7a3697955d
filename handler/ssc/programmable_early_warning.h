// Programmable early warning (SSC-4 4.2.5): PEWS (device configuration
// extension page 10h/01h bytes 6-7, in megabytes of 10^6 bytes) places a point
// that far before the early-warning point of each partition. A WRITE or WRITE
// FILEMARKS that carries the position across it completes with CHECK CONDITION,
// NO SENSE, EOM, PROGRAMMABLE EARLY WARNING DETECTED (00h/07h), once per
// crossing; READ POSITION reports BPEW while the position lies between it and
// early warning. LTFS sets PEWS to half of its index partition and, told of
// the crossing, writes its index while room is left (IBM LTO drives do this).
#pragma once

#include <cstdint>
#include <optional>

#include "handler/ssc/commands.h"

namespace vtape::ssc {

// The point of the current partition, in bytes from its start; nullopt while
// PEWS is 0 or the medium cannot say its layout. Cached in the drive state
// per partition and PEWS (the layout changes only at FORMAT MEDIUM, SET
// CAPACITY and a medium change, which call ForgetProgrammableEarlyWarning).
std::optional<std::uint64_t> ProgrammableEarlyWarningPoint(DriveState& state, const Tape& tape,
                                                           std::uint32_t partition);
void ForgetProgrammableEarlyWarning(DriveState& state);

// Between the programmable early-warning point and early warning (BPEW).
bool InProgrammableEarlyWarningZone(DriveState& state, const Tape& tape, const Position& pos);

// True when a write moved the position from `before` into the zone.
bool CrossedProgrammableEarlyWarning(DriveState& state, const Tape& tape, const Position& before,
                                     const Position& after);

// CHECK CONDITION, NO SENSE, EOM, 00h/07h, VALID, INFORMATION 0.
ScsiResult ProgrammableEarlyWarningSense();

}  // namespace vtape::ssc
