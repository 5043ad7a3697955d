#include "handler/ssc/volume_change.h"

#include "handler/spc/cdb.h"
#include "handler/ssc/mam.h"
#include "handler/ssc/programmable_early_warning.h"

namespace vtape::ssc {
namespace {

bool ChangesContent(std::span<const std::uint8_t> cdb) {
  switch (cdb[0]) {
    case 0x0A:  // WRITE(6)
    case 0x8A:  // WRITE(16)
    case 0x19:  // ERASE(6)
    case 0x93:  // ERASE(16)
    case 0x04:  // FORMAT MEDIUM
    case 0x0B:  // SET CAPACITY
      return true;
    case 0x10:  // WRITE FILEMARKS(6): a count of 0 only flushes
      return spc::GetBe(cdb, 2, 3) != 0;
    case 0x80:  // WRITE FILEMARKS(16)
      return spc::GetBe(cdb, 12, 3) != 0;
    default:
      return false;
  }
}

Status StoreCounter(Tape& tape, std::uint16_t id, std::size_t width, std::uint64_t value) {
  std::vector<std::uint8_t> bytes(width, 0);
  spc::PutBe(bytes, 0, width, value);
  return WriteMamAttribute(tape, 0, id, bytes);
}

}  // namespace

std::optional<std::uint64_t> StoredCounter(const Tape& tape, std::uint16_t id, std::size_t width) {
  if (tape.attributes() == nullptr) return std::nullopt;
  std::vector<std::uint8_t> value;
  if (!ReadMamAttribute(tape, 0, id, value).ok() || value.size() != width) return 0;
  return spc::GetBe(value, 0, width);
}

void NoteVolumeChange(DriveState& state, const ScsiCommand& command) {
  if (state.volume_change_unread || !ChangesContent(command.cdb)) return;
  if (!state.tape || !state.tape->loaded() || state.tape->attributes() == nullptr) return;
  const std::optional<std::uint64_t> now =
      StoredCounter(*state.tape, kAttrVolumeChangeReference, 4);
  // FFFFFFFFh means "unusable" to LTFS: wrap from FFFFFFFEh to 1.
  std::uint64_t next = now ? *now + 1 : 1;
  if (next >= 0xFFFFFFFF) next = 1;
  if (StoreCounter(*state.tape, kAttrVolumeChangeReference, 4, next).ok()) {
    state.volume_change_unread = true;
  }
}

void NoteVolumeChangeReferenceRead(DriveState& state) {
  state.volume_change_unread = false;
}

void NoteMediumLoaded(DriveState& state) {
  state.mode.pending_partitions.reset();
  ForgetProgrammableEarlyWarning(state);
  state.allow_overwrite = {};
  state.volume_change_unread = false;
  if (!state.tape || !state.tape->loaded()) return;
  state.at_load = state.credited = state.tape->statistics();
  if (std::optional<std::uint64_t> loads = StoredCounter(*state.tape, kAttrLoadCount, 8)) {
    // Best effort: a medium whose store refuses writes keeps its old count.
    (void)StoreCounter(*state.tape, kAttrLoadCount, 8, *loads + 1);
  }
}

void NoteMediumUnloading(DriveState& state) {
  if (!state.tape || !state.tape->loaded() || state.tape->attributes() == nullptr) return;
  // The store is read and written with the writer idle: what is buffered goes
  // to the medium first (and is counted).
  if (state.buffer != nullptr && !state.buffer->Drain().ok()) return;
  const Statistics now = state.tape->statistics();
  const MediumTraffic traffic = TrafficOf(state);
  // Best effort, each on its own: the totals never count a load twice.
  if (StoreCounter(*state.tape, kAttrMbWrittenInLife, 8, *traffic.life_written).ok()) {
    state.credited.bytes_written = now.bytes_written;
  }
  if (StoreCounter(*state.tape, kAttrMbReadInLife, 8, *traffic.life_read).ok()) {
    state.credited.bytes_read = now.bytes_read;
  }
}

MediumTraffic TrafficOf(const DriveState& state) {
  MediumTraffic t;
  if (!state.tape) return t;
  const Statistics now = state.tape->statistics();
  t.load_written = now.bytes_written - state.at_load.bytes_written;
  t.load_read = now.bytes_read - state.at_load.bytes_read;
  const std::optional<std::uint64_t> written = StoredCounter(*state.tape, kAttrMbWrittenInLife, 8);
  const std::optional<std::uint64_t> read = StoredCounter(*state.tape, kAttrMbReadInLife, 8);
  if (written) t.life_written = *written + (now.bytes_written - state.credited.bytes_written);
  if (read) t.life_read = *read + (now.bytes_read - state.credited.bytes_read);
  return t;
}

}  // namespace vtape::ssc
