#include "handler/ssc/worm.h"

#include "handler/ssc/medium_layout.h"
#include "vtape/media.h"

namespace vtape::ssc {
namespace {

using Kind = OverwriteAllowance::Kind;

// Nothing written in any partition.
bool Blank(const MediumLayout& layout) {
  for (const PartitionInfo& p : layout.partitions) {
    if (p.eod_object != 0) return false;
  }
  return true;
}

// Only filemarks lie between `pos` and EOD, and a filemark lies just before
// `pos` (filemark restrictions 02h): the first of the closing filemarks stays.
bool OverTrailingFilemarks(const Position& pos, const PartitionInfo& part) {
  if (pos.file == 0 || pos.record_in_file != 0 || pos.object == 0) return false;
  if (part.eod_object < pos.object || part.filemarks < pos.file) return false;
  return part.eod_object - pos.object == part.filemarks - pos.file;
}

ScsiResult Refused(DriveState& state, bool worm) {
  if (!worm) return CheckCondition(kDataProtect, kAscOperatorSelectedWriteProtect);
  state.tapealert.Raise(spc::TapeAlertFlag::kWormOverwriteAttempted);
  return CheckCondition(kDataProtect, kAscWormOverwriteAttempted);
}

}  // namespace

bool WormMedium(const Tape& tape) {
  MediumInfo info;
  return tape.loaded() && tape.Stat(info).ok() && IsWormMedia(info.media_type);
}

std::optional<ScsiResult> RefuseOverwrite(DriveState& state, Tape& tape, WriteKind kind) {
  // Appending is always allowed; checked first because it is the common case
  // and costs no look at the medium's label (a Stat may wait for the drive
  // buffer's writer).
  const Position pos = tape.GetPosition();
  if (kind == WriteKind::kAtPosition && pos.at_eod) return std::nullopt;
  const bool worm = WormMedium(tape);
  if (!worm && !state.mode.append_only) return std::nullopt;

  MediumLayout layout;
  if (Status s = ReadMediumLayout(tape, layout); !s.ok()) return SenseForStatus(state, s);
  if (kind == WriteKind::kWholeMedium) {
    if (Blank(layout)) return std::nullopt;
  } else if (pos.partition < layout.partitions.size() &&
             OverTrailingFilemarks(pos, layout.partitions[pos.partition])) {
    return std::nullopt;
  }
  // ALLOW OVERWRITE lifts the append-only rule once; never the WORM rule.
  const OverwriteAllowance allowed = state.allow_overwrite;
  const bool permitted = kind == WriteKind::kWholeMedium ? allowed.kind == Kind::kFormat
                                                         : allowed.kind == Kind::kPosition &&
                                                               allowed.partition == pos.partition &&
                                                               allowed.object == pos.object;
  if (!worm && permitted) {
    state.allow_overwrite = {};
    return std::nullopt;
  }
  return Refused(state, worm);
}

}  // namespace vtape::ssc
