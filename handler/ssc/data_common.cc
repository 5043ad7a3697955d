#include "handler/ssc/data_common.h"

#include <algorithm>
#include <limits>

#include "handler/spc/cdb.h"

namespace vtape::ssc {

TransferCdb ParseTransferCdb(std::span<const std::uint8_t> cdb) {
  TransferCdb c;
  c.fixed = cdb[1] & 0x01;
  c.sili = cdb[1] & 0x02;
  if (cdb[0] & 0x80) {  // 80h, 88h, 8Ah, 8Fh: the 16-byte forms
    c.locate_first = true;
    c.partition = cdb[3];
    c.object = spc::GetBe(cdb, 4, 8);
    c.length = static_cast<std::uint32_t>(spc::GetBe(cdb, 12, 3));
    c.length_field = 12;
  } else {
    c.length = static_cast<std::uint32_t>(spc::GetBe(cdb, 2, 3));
  }
  return c;
}

std::int64_t ClampResidual(std::int64_t residual) {
  return std::clamp<std::int64_t>(residual, std::numeric_limits<std::int32_t>::min(),
                                  std::numeric_limits<std::int32_t>::max());
}

SenseData ResidualSense(std::uint8_t key, Asc asc, std::int64_t residual) {
  SenseData s = Sense(key, asc);
  s.info_valid = true;
  s.information = ClampResidual(residual);
  return s;
}

ScsiResult WriteProtectedSense(DriveState& state) {
  state.tapealert.Raise(spc::TapeAlertFlag::kWriteProtect);
  return CheckCondition(kDataProtect, kAscWriteProtected);
}

bool MediumWriteProtected(const Tape& tape) {
  MediumInfo info;
  return tape.Stat(info).ok() && info.write_protected;
}

ScsiResult EarlyWarningSense() {
  SenseData s = ResidualSense(kNoSense, kAscEndOfPartition, 0);
  s.eom = true;
  return CheckCondition(s);
}

void NoteWritten(DriveState& state, std::uint64_t objects, std::uint64_t bytes) {
  state.buffered_objects += objects;
  state.buffered_bytes += bytes;
}

void NoteDurable(DriveState& state) {
  state.buffered_objects = 0;
  state.buffered_bytes = 0;
}

Status WriteBufferToMedium(DriveState& state, Tape& tape) {
  if (state.buffered_objects == 0) return Status::Ok();
  VTAPE_RETURN_IF_ERROR(tape.Sync());
  NoteDurable(state);
  return Status::Ok();
}

SenseData DeferredWriteSense(DriveState& state, const Status& status, std::uint64_t objects_lost) {
  SenseData s;
  switch (status.code()) {
    case Code::kEndOfMedium:
      s = Sense(kVolumeOverflow, kAscEndOfPartition);
      s.eom = true;
      break;
    case Code::kWriteProtected:
      s = Sense(kDataProtect, kAscWriteProtected);
      break;
    default:
      ++state.counters.write_errors_uncorrected;
      state.tapealert.Raise(spc::TapeAlertFlag::kMedia);
      s = Sense(kMediumError, kAscWriteError);
      break;
  }
  s.deferred = true;
  s.info_valid = true;
  s.information = ClampResidual(static_cast<std::int64_t>(
      std::min<std::uint64_t>(objects_lost, std::numeric_limits<std::int32_t>::max())));
  return s;
}

ScsiResult DeferredWriteError(DriveState& state, const Status& status, std::uint64_t objects_lost) {
  return CheckCondition(DeferredWriteSense(state, status, objects_lost));
}

std::optional<SenseData> TakeDeferredSense(DriveState& state) {
  if (state.buffer == nullptr) return std::nullopt;
  std::optional<BufferedTape::DeferredError> error = state.buffer->TakeDeferredError();
  if (!error) return std::nullopt;
  return DeferredWriteSense(state, error->status, error->objects_lost);
}

bool Unbuffered(const DriveState& state) {
  return state.mode.buffered_mode == 0;
}

std::optional<std::uint32_t> PartitionCount(const Tape& tape) {
  MediumInfo info;
  if (!tape.Stat(info).ok()) return std::nullopt;
  return info.partitions;
}

std::optional<ScsiResult> LocateBeforeTransfer(DriveState& state, Tape& tape,
                                               std::uint32_t partition, std::uint64_t object,
                                               std::uint16_t partition_field,
                                               std::optional<std::int64_t> eod_residual) {
  std::optional<std::uint32_t> partitions = PartitionCount(tape);
  if (partitions && partition >= *partitions) return InvalidCdbField(partition_field);
  SpaceResult moved;
  Status status = tape.Locate(partition, object, moved);
  if (!status.ok()) return SenseForStatus(state, status);
  if (moved.stop == Stop::kEndOfData) {
    if (eod_residual)
      return CheckCondition(ResidualSense(kBlankCheck, kAscEndOfData, *eod_residual));
    return CheckCondition(kBlankCheck, kAscEndOfData);
  }
  return std::nullopt;
}

}  // namespace vtape::ssc
