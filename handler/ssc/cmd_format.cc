// FORMAT MEDIUM (04h, SSC-4 7.2) and SET CAPACITY (0Bh, SSC-4 7.5): both
// rewrite the medium from the beginning of partition 0, and only from there.
#include <algorithm>

#include "handler/spc/cdb.h"
#include "handler/ssc/commands.h"
#include "handler/ssc/data_common.h"
#include "handler/ssc/medium_layout.h"
#include "handler/ssc/partition_page.h"
#include "handler/ssc/programmable_early_warning.h"
#include "handler/ssc/worm.h"

namespace vtape::ssc {
namespace {

// SSC-4: FORMAT MEDIUM and SET CAPACITY away from BOP of partition 0.
constexpr Asc kAscPositionPastBeginningOfMedium{0x3B, 0x0C};

// Writes the drive buffer out, then checks that the medium is writable and at
// BOP of partition 0. nullopt = go ahead.
std::optional<ScsiResult> ReadyToRewrite(DriveState& state, Tape& tape) {
  if (Status flushed = WriteBufferToMedium(state, tape); !flushed.ok()) {
    return SenseForStatus(state, flushed);
  }
  const Position pos = tape.GetPosition();
  if (pos.partition != 0 || pos.object != 0) {
    return CheckCondition(kIllegalRequest, kAscPositionPastBeginningOfMedium);
  }
  if (MediumWriteProtected(tape)) return WriteProtectedSense(state);
  return RefuseOverwrite(state, tape, WriteKind::kWholeMedium);
}

// Lays `sizes` out on the medium; everything on it is gone. A medium without
// the partitions capability can only be one partition: it is erased.
Status Repartition(Tape& tape, std::span<const std::uint64_t> sizes) {
  if (tape.partitions() != nullptr) return FormatPartitions(tape, sizes);
  if (sizes.size() != 1) return Status::Unsupported("this medium cannot be partitioned");
  SpaceResult moved;
  VTAPE_RETURN_IF_ERROR(tape.Locate(0, 0, moved));
  return tape.Erase();
}

ScsiResult Finish(DriveState& state, const Status& status) {
  ForgetProgrammableEarlyWarning(state);  // the partitions' sizes changed
  if (status.code() == Code::kWriteProtected) return WriteProtectedSense(state);
  if (!status.ok()) return SenseForStatus(state, status);
  NoteDurable(state);
  return Good();
}

}  // namespace

// FORMAT field: 0 the default format (one partition), 1 partition the medium
// as page 11h says, 2 both (the same here: a virtual medium needs no separate
// low-level format). VERIFY and IMMED are accepted: the format is complete and
// durable before GOOD either way. No format parameters (TRANSFER LENGTH 0).
ScsiResult CmdFormatMedium(DriveState& state, const ScsiCommand& cmd) {
  Tape& tape = *state.tape;
  const std::uint8_t format = cmd.cdb[2] & 0x0F;
  if (format > 2) return InvalidCdbField(2, 3);
  if (GetBe(cmd.cdb, 3, 2) != 0) return InvalidCdbField(3);
  if (auto refused = ReadyToRewrite(state, tape)) return *refused;

  MediumLayout layout;
  if (Status s = ReadMediumLayout(tape, layout); !s.ok()) return SenseForStatus(state, s);
  const std::uint64_t capacity = ScaledCapacity(tape, layout.capacity_bytes);
  std::vector<std::uint64_t> sizes{capacity};
  if (format != 0) {
    if (state.mode.pending_partitions) {
      sizes = ResolvePartitionSizes(*state.mode.pending_partitions, capacity);
      // SET CAPACITY shrank the medium below the layout asked for.
      if (sizes.empty()) return InvalidCdbField(2, 3);
    } else {
      sizes.clear();  // no new layout: the partitions stay as they are, emptied
      for (const PartitionInfo& p : layout.partitions) sizes.push_back(p.capacity_bytes);
    }
  }
  Status status = Repartition(tape, sizes);
  if (status.ok()) state.mode.pending_partitions.reset();
  return Finish(state, status);
}

// CAPACITY PROPORTION VALUE: the share of the medium to use, in 1/FFFFh (0 is
// taken as the smallest share, 1/FFFFh). The medium becomes one partition of
// that capacity, and keeps the proportion for later FORMAT MEDIUMs.
ScsiResult CmdSetCapacity(DriveState& state, const ScsiCommand& cmd) {
  Tape& tape = *state.tape;
  const auto proportion =
      static_cast<std::uint16_t>(std::max<std::uint64_t>(GetBe(cmd.cdb, 3, 2), 1));
  if (auto refused = ReadyToRewrite(state, tape)) return *refused;
  // Without an attribute store or partitions the medium cannot remember a
  // smaller capacity: only the full one is honoured.
  if (proportion != 0xFFFF && (tape.attributes() == nullptr || tape.partitions() == nullptr)) {
    return InvalidCdbField(3);
  }
  MediumInfo info;
  if (Status s = tape.Stat(info); !s.ok()) return SenseForStatus(state, s);
  Status status = SetCapacityProportion(tape, proportion);
  if (status.ok()) {
    const std::uint64_t capacity = ScaledCapacity(tape, info.capacity_bytes);
    const std::uint64_t sizes[] = {capacity};
    status = Repartition(tape, sizes);
  }
  return Finish(state, status);
}

}  // namespace vtape::ssc
