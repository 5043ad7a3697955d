// What the drive keeps in the medium auxiliary memory by itself: the load
// count (attribute 0003h) and the volume change reference (0009h), which LTFS
// compares with the copy it wrote into 080Ch to know whether the index it
// wrote last is still the newest content.
//
// The reference changes whenever the content does: before the first
// content-changing command (WRITE, WRITE FILEMARKS of at least one mark, ERASE,
// FORMAT MEDIUM, SET CAPACITY) after the value was last read, the stored value
// is incremented durably. So every value a host read stays valid exactly until
// the content changes, across unloads and crashes; attribute writes (080Ch)
// do not count as content.
#pragma once

#include <cstdint>
#include <optional>

#include "handler/ssc/drive_state.h"

namespace vtape::ssc {

// Called before each admitted command runs.
void NoteVolumeChange(DriveState& state, const ScsiCommand& command);
// Called when the volume change reference is returned to a host.
void NoteVolumeChangeReferenceRead(DriveState& state);
// Called when a medium becomes loaded (power on, media change, LOAD): counts
// the load and forgets the pending layout of page 11h.
void NoteMediumLoaded(DriveState& state);

// Called before the medium leaves the drive: adds this load's bytes to the
// stored lifetime totals (best effort: a store that refuses keeps the old ones).
void NoteMediumUnloading(DriveState& state);

// Bytes the loaded medium moved: in its whole life (stored totals plus what
// this load has not yet added) and since it was loaded. Life totals are
// nullopt when the medium has no attribute store.
struct MediumTraffic {
  std::optional<std::uint64_t> life_written, life_read;
  std::uint64_t load_written = 0, load_read = 0;
};
MediumTraffic TrafficOf(const DriveState& state);

// The stored values (partition 0 of the attribute store); nullopt when the
// medium has no attribute store.
std::optional<std::uint64_t> StoredCounter(const Tape& tape, std::uint16_t id, std::size_t width);

}  // namespace vtape::ssc
