// SPACE(6/16), LOCATE(10/16), READ POSITION, REWIND, ERASE(6/16), LOAD UNLOAD
// (SSC-4 7.1, 7.3-7.4, 7.6-7.7, 8.3). The tape does the positioning math; this
// file turns its stop reasons into the sense and residuals SSC asks for.
#include <algorithm>
#include <limits>

#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"
#include "handler/ssc/commands.h"
#include "handler/ssc/data_common.h"
#include "handler/ssc/programmable_early_warning.h"
#include "handler/ssc/volume_change.h"
#include "handler/ssc/worm.h"

namespace vtape::ssc {
namespace {

constexpr std::uint8_t kSpace16 = 0x91;
constexpr std::uint8_t kLocate16 = 0x92;
constexpr std::uint8_t kErase16 = 0x93;

std::int64_t Signed(std::uint64_t magnitude) {
  return static_cast<std::int64_t>(
      std::min<std::uint64_t>(magnitude, std::numeric_limits<std::int64_t>::max()));
}

// The answer to a SPACE that stopped for `moved.stop`, the count not crossed in
// INFORMATION (as a magnitude, also going backward: st adds it back).
ScsiResult SpaceOutcome(const SpaceResult& moved) {
  std::int64_t residual = Signed(moved.not_crossed);
  switch (moved.stop) {
    case Stop::kNone:
      return Good();
    case Stop::kFilemark: {
      SenseData s = ResidualSense(kNoSense, kAscFilemarkDetected, residual);
      s.filemark = true;
      return CheckCondition(s);
    }
    case Stop::kEndOfData:
      return CheckCondition(ResidualSense(kBlankCheck, kAscEndOfData, residual));
    case Stop::kBeginningOfPartition: {
      SenseData s = ResidualSense(kNoSense, kAscBeginningOfPartition, residual);
      s.eom = true;
      return CheckCondition(s);
    }
  }
  return Good();
}

// SPACE code 2: to the far side of the next run of |count| adjacent filemarks
// (forward: just after its last; backward: just before its first), found one
// filemark at a time. Filemarks before the starting position do not count.
ScsiResult SpaceSequentialFilemarks(DriveState& state, Tape& tape, std::int64_t count) {
  const std::int64_t step = count > 0 ? 1 : -1;
  const std::uint64_t wanted =
      count > 0 ? static_cast<std::uint64_t>(count) : 0 - static_cast<std::uint64_t>(count);
  std::uint64_t run = 0;
  std::uint64_t last_mark = 0;
  while (run < wanted) {
    SpaceResult moved;
    Status status = tape.SpaceFilemarks(step, moved);
    if (!status.ok()) return SenseForStatus(state, status);
    if (moved.stop == Stop::kEndOfData) return CheckCondition(kBlankCheck, kAscEndOfData);
    if (moved.stop == Stop::kBeginningOfPartition) {
      SenseData s = Sense(kNoSense, kAscBeginningOfPartition);
      s.eom = true;
      return CheckCondition(s);
    }
    // The object number of the filemark just crossed.
    std::uint64_t object = tape.GetPosition().object;
    std::uint64_t mark = step > 0 ? object - 1 : object;
    bool adjacent = run > 0 && (step > 0 ? last_mark + 1 == mark : mark + 1 == last_mark);
    run = adjacent ? run + 1 : 1;
    last_mark = mark;
  }
  return Good();
}

// Byte 0 flags of the short and extended READ POSITION forms; `bpew` inside
// the programmable early-warning zone.
std::uint8_t PositionFlags(const Position& pos, bool object_fits, bool bpew) {
  std::uint8_t flags = 0;
  if (pos.at_bop) flags |= 0x80;                // BOP
  if (pos.beyond_early_warning) flags |= 0x40;  // EOP
  if (!object_fits) flags |= 0x04 | 0x02;       // LOLU + PERR: the location overflows the field
  if (bpew) flags |= 0x01;                      // BPEW
  return flags;
}

}  // namespace

ScsiResult CmdSpace(DriveState& state, const ScsiCommand& cmd) {
  Tape& tape = *state.tape;
  const bool space16 = cmd.cdb[0] == kSpace16;
  const std::uint8_t code = cmd.cdb[1] & 0x0F;
  const std::int64_t count = space16 ? static_cast<std::int64_t>(GetBe(cmd.cdb, 4, 8))
                                     : SignExtend24(GetBe(cmd.cdb, 2, 3));
  if (code > 3) return InvalidCdbField(1, 3);  // setmarks (4, 5) and reserved codes
  if (Status flushed = WriteBufferToMedium(state, tape); !flushed.ok()) {
    return SenseForStatus(state, flushed);
  }
  if (code == 3) {
    Status status = tape.SpaceToEndOfData();
    return status.ok() ? Good() : SenseForStatus(state, status);
  }
  if (count == 0) return Good();
  if (code == 2) return SpaceSequentialFilemarks(state, tape, count);
  SpaceResult moved;
  Status status = code == 0 ? tape.SpaceRecords(count, moved) : tape.SpaceFilemarks(count, moved);
  if (!status.ok()) return SenseForStatus(state, status);
  return SpaceOutcome(moved);
}

ScsiResult CmdLocate(DriveState& state, const ScsiCommand& cmd) {
  Tape& tape = *state.tape;
  const bool locate16 = cmd.cdb[0] == kLocate16;
  const bool change_partition = cmd.cdb[1] & 0x02;  // CP
  // LOCATE(10): BT (byte 1 bit 2) selects block addresses, which on this drive
  // are the logical object numbers, so both address types locate alike.
  const std::uint8_t dest_type = locate16 ? (cmd.cdb[1] >> 3) & 0x07 : 0;
  const std::uint64_t identifier = locate16 ? GetBe(cmd.cdb, 4, 8) : GetBe(cmd.cdb, 3, 4);
  const std::uint16_t partition_field = locate16 ? 3 : 8;
  if (dest_type != 0 && dest_type != 1 && dest_type != 3) return InvalidCdbField(1, 5);
  if (Status flushed = WriteBufferToMedium(state, tape); !flushed.ok()) {
    return SenseForStatus(state, flushed);
  }

  std::uint32_t partition = tape.GetPosition().partition;
  if (change_partition) {
    partition = cmd.cdb[partition_field];
    std::optional<std::uint32_t> partitions = PartitionCount(tape);
    if (partitions && partition >= *partitions) return InvalidCdbField(partition_field);
  }
  SpaceResult moved;
  Status status;
  if (dest_type == 1) {
    status = tape.LocateFile(partition, identifier, moved);
  } else if (dest_type == 3) {
    status = tape.Locate(partition, 0, moved);
    if (status.ok()) status = tape.SpaceToEndOfData();
  } else {
    status = tape.Locate(partition, identifier, moved);
  }
  if (!status.ok()) return SenseForStatus(state, status);
  if (moved.stop == Stop::kEndOfData) return CheckCondition(kBlankCheck, kAscEndOfData);
  return Good();
}

// Without a drive buffer the short and extended forms report, as objects and
// bytes "in the object buffer", what was written since the last durable point
// (DriveState::buffered_*): the records and filemarks a crash of the process
// or the host could still lose. The first and last logical object locations
// are both the position: the buffered objects are already counted in it (the
// backend holds them in order), and a drive that moved away from them has no
// single "next object to write to the medium".
// With the write-behind buffer (vtape/buffered_tape.h) they report its
// contents, and the last logical object location is the next object the
// buffer writes to the medium: the first minus the objects buffered (SSC-4
// READ POSITION). Nothing is drained.
ScsiResult CmdReadPosition(DriveState& state, const ScsiCommand& cmd) {
  const Position pos = state.tape->GetPosition();
  const bool bpew = InProgrammableEarlyWarningZone(state, *state.tape, pos);
  std::uint64_t buffered_objects = state.buffered_objects;
  std::uint64_t buffered_bytes = state.buffered_bytes;
  std::uint64_t last_object = pos.object;
  if (state.buffer != nullptr) {
    const BufferedTape::Contents held = state.buffer->buffered();
    buffered_objects = held.objects;
    buffered_bytes = held.bytes;
    last_object = pos.object - std::min(held.objects, pos.object);
  }
  const std::uint8_t service_action = cmd.cdb[1] & 0x1F;
  const bool object_fits = pos.object <= std::numeric_limits<std::uint32_t>::max();
  std::array<std::uint8_t, 32> b{};
  std::size_t length = 0;
  std::size_t allocation = b.size();  // only the extended form has an ALLOCATION LENGTH
  switch (service_action) {
    case 0x00:  // short form, logical object identifiers
    case 0x01:  // short form, vendor-specific: the same numbers on this drive
      length = 20;
      b[0] = PositionFlags(pos, object_fits, bpew);
      b[1] = static_cast<std::uint8_t>(pos.partition);
      if (object_fits) {
        PutBe(b, 4, 4, pos.object);   // first logical object location
        PutBe(b, 8, 4, last_object);  // last (see above)
      }
      PutBe(b, 13, 3, std::min<std::uint64_t>(buffered_objects, 0xFFFFFF));
      PutBe(b, 16, 4, std::min<std::uint64_t>(buffered_bytes, 0xFFFFFFFF));
      break;
    case 0x06:  // long form
      length = 32;
      b[0] = static_cast<std::uint8_t>((pos.at_bop ? 0x80 : 0) |
                                       (pos.beyond_early_warning ? 0x40 : 0) | (bpew ? 0x01 : 0));
      PutBe(b, 4, 4, pos.partition);
      PutBe(b, 8, 8, pos.object);
      PutBe(b, 16, 8, pos.file);
      break;    // bytes 24-31, the logical set identifier: no setmarks, 0
    case 0x08:  // extended form: the only one with an ALLOCATION LENGTH field
      length = 32;
      allocation = GetBe(cmd.cdb, 7, 2);
      b[0] = PositionFlags(pos, true, bpew);
      b[1] = static_cast<std::uint8_t>(pos.partition);
      PutBe(b, 2, 2, 28);  // additional length
      PutBe(b, 5, 3, std::min<std::uint64_t>(buffered_objects, 0xFFFFFF));
      PutBe(b, 8, 8, pos.object);
      PutBe(b, 16, 8, last_object);
      PutBe(b, 24, 8, buffered_bytes);
      break;
    default:
      return InvalidCdbField(1, 4);
  }
  return ReturnData(cmd, std::span(b).first(length), allocation);
}

ScsiResult CmdRewind(DriveState& state, const ScsiCommand&) {
  Status status = WriteBufferToMedium(state, *state.tape);
  if (status.ok()) status = state.tape->Rewind();
  return status.ok() ? Good() : SenseForStatus(state, status);
}

ScsiResult CmdErase(DriveState& state, const ScsiCommand& cmd) {
  Tape& tape = *state.tape;
  if (MediumWriteProtected(tape)) return WriteProtectedSense(state);
  if (cmd.cdb[0] == kErase16) {
    if (auto r =
            LocateBeforeTransfer(state, tape, cmd.cdb[3], GetBe(cmd.cdb, 4, 8), 3, std::nullopt)) {
      return *r;
    }
  }
  if (auto r = RefuseOverwrite(state, tape, WriteKind::kAtPosition)) return *r;
  // LONG or not, the rest of the partition is erased: what follows the position
  // is gone either way, and a virtual medium has no slow "long" pass to make.
  Status status = tape.Erase();
  if (status.code() == Code::kWriteProtected) return WriteProtectedSense(state);
  return status.ok() ? Good() : SenseForStatus(state, status);
}

ScsiResult CmdLoadUnload(DriveState& state, const ScsiCommand& cmd) {
  const std::uint8_t flags = cmd.cdb[4];
  const bool load = flags & 0x01;
  const bool reten = flags & 0x02;
  const bool to_end = flags & 0x04;  // EOT
  const bool hold = flags & 0x08;
  (void)reten;  // retensioning is a rewind here, and load and unload both rewind
  if (!state.tape) return CheckCondition(kNotReady, kAscMediumNotPresent);
  Tape& tape = *state.tape;

  if (load) {
    if (to_end) return InvalidCdbField(4, 2);  // EOT is for unloading only
    const bool was_loaded = tape.loaded();
    Status status = was_loaded ? tape.Rewind() : tape.Load();
    if (!status.ok()) return SenseForStatus(state, status);
    // Loading makes the drive go from not ready to ready, which SPC reports as
    // UNIT ATTENTION 28h/00h. st's MTLOAD relies on it: the TEST UNIT READY it
    // sends after LOAD resets its file/block counters to 0/0 only on that 28h.
    if (!was_loaded) {
      NoteMediumLoaded(state);
      state.unit_attentions.push_back(kAscMediumMayHaveChanged);
    }
    return Good();
  }

  if (!tape.loaded()) return CheckCondition(kNotReady, kAscMediumNotPresent);
  // HOLD keeps the cartridge in the drive, so only a real eject is prevented.
  if (state.prevent_removal && !hold) {
    return CheckCondition(kIllegalRequest, kAscMediumRemovalPrevented);
  }
  Status status;
  if (to_end) status = tape.SpaceToEndOfData();
  if (status.ok()) status = tape.Sync();
  if (status.ok()) NoteMediumUnloading(state);
  if (status.ok()) status = tape.Unload();
  if (status.ok()) {
    NoteDurable(state);
    state.encryption.OnDemount();  // CKOD
  }
  return status.ok() ? Good() : SenseForStatus(state, status);
}

}  // namespace vtape::ssc
