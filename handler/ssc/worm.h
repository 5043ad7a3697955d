// Write-once (WORM) cartridges and append-only mode: which writes the drive
// refuses, and why (SSC-4 4.2.x WORM, page 1Dh, WRITE MODE of page 10h/01h,
// ALLOW OVERWRITE).
//
// On a WORM cartridge (vtape/media.h: "LTO-8 WORM" ...), and on any medium
// while WRITE MODE is append-only, a write-type command may only append:
//  * at end of data, or
//  * over filemarks that end the partition, when at least one filemark lies
//    just before the position: page 1Dh's WORM MODE FILEMARK RESTRICTIONS
//    02h ("any number of filemarks immediately preceding EOD may be
//    overwritten except the filemark closest to BOP"), as LTO drives report
//    it. Backup software positions between its two closing filemarks to
//    append; the first one always stays, so no data loses its end mark.
// FORMAT MEDIUM and SET CAPACITY are allowed only on a medium with nothing
// written (a blank WORM cartridge may still be partitioned, as LTFS does).
//
// Refusals: DATA PROTECT, 30h/0Ch WORM MEDIUM - OVERWRITE ATTEMPTED (and
// TapeAlert 3Ch) on WORM; DATA PROTECT, 5Ah/02h OPERATOR SELECTED WRITE
// PROTECT in append-only mode (what IBM LTO drives answer there). Nothing is
// written or moved.
//
// ALLOW OVERWRITE (82h) lifts the append-only rule once, for a write at the
// position it named (1h) or for one FORMAT MEDIUM / SET CAPACITY (2h); it
// never lifts the WORM rule.
#pragma once

#include <cstdint>
#include <optional>

#include "handler/ssc/commands.h"

namespace vtape::ssc {

enum class WriteKind : std::uint8_t {
  kAtPosition,  // WRITE, WRITE FILEMARKS, ERASE: replaces what follows the position
  kWholeMedium  // FORMAT MEDIUM, SET CAPACITY
};

// Whether the loaded medium is a WORM cartridge.
bool WormMedium(const Tape& tape);

// nullopt when the command may write at the tape's position; else the
// refusal to return (see above). Consumes a matching ALLOW OVERWRITE.
std::optional<ScsiResult> RefuseOverwrite(DriveState& state, Tape& tape, WriteKind kind);

}  // namespace vtape::ssc
