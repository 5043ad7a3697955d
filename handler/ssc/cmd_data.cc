// READ(6/16), WRITE(6/16), WRITE FILEMARKS(6/16): the data path (SSC-4 7.2,
// 7.5, 7.8, 7.10-7.12). Residuals go to INFORMATION: bytes in variable block
// mode, blocks in fixed block mode.
#include <algorithm>
#include <vector>

#include "handler/spc/cdb.h"
#include "handler/ssc/commands.h"
#include "handler/ssc/data_common.h"
#include "handler/ssc/lbp.h"
#include "handler/ssc/programmable_early_warning.h"
#include "handler/ssc/record_path.h"
#include "handler/ssc/worm.h"

namespace vtape::ssc {
namespace {

// READ's buffer: the pieces the glue passed, else data_in as one piece (`one`
// holds it).
ReadPieces ReadBuffer(const ScsiCommand& cmd, Piece (&one)[1]) {
  if (!cmd.data_in_pieces.empty()) return cmd.data_in_pieces;
  one[0] = cmd.data_in;
  return one;
}

// The data-in pieces available for the block at `offset` of `size` bytes (none
// once the initiator's buffer is exhausted: the medium still moves, nothing is
// copied).
std::vector<Piece> Slot(ReadPieces data_in, std::uint64_t offset, std::uint64_t size) {
  std::vector<Piece> slot;
  SlicePieces(data_in, offset, size, slot);
  return slot;
}

// A tape error during READ: a medium error carries the residual and counts as
// an uncorrected read error; anything else maps as every command maps it.
ScsiResult ReadFailed(DriveState& state, const Status& status, std::int64_t residual) {
  if (status.code() != Code::kMediumError) return SenseForStatus(state, status);
  ++state.counters.read_errors_uncorrected;
  state.tapealert.Raise(spc::TapeAlertFlag::kMedia);
  return CheckCondition(ResidualSense(kMediumError, kAscUnrecoveredReadError, residual));
}

// A filemark or EOD met while reading, with `residual` not transferred and
// `data_len` bytes of good data before it.
ScsiResult ReadStopped(ObjectKind kind, std::int64_t residual, std::size_t data_len) {
  if (kind == ObjectKind::kFilemark) {
    SenseData s = ResidualSense(kNoSense, kAscFilemarkDetected, residual);
    s.filemark = true;
    return CheckCondition(s, data_len);
  }
  return CheckCondition(ResidualSense(kBlankCheck, kAscEndOfData, residual), data_len);
}

void CountRecordRead(DriveState& state, std::uint64_t length, std::size_t delivered) {
  ++state.counters.records_read;
  state.counters.bytes_read_from_medium += length;
  state.counters.bytes_read_by_initiator += delivered;
}

// The protection bytes READ appends to each record (LBP_R, lbp.h): 4, or 0.
std::uint64_t ReadProtectionLength(const DriveState& state) {
  return state.mode.lbp_read && state.mode.lbp_method != kLbpNone ? kLbpLength : 0;
}

// Appends the protection bytes after the `length` record bytes in `buffer`
// (as many as fit); returns the bytes now in it. Nothing when the record
// itself did not fit.
std::size_t AppendProtection(const DriveState& state, std::span<std::uint8_t> buffer,
                             std::uint64_t length) {
  if (length > buffer.size()) return buffer.size();
  const auto pi = ProtectionBytes(state.mode.lbp_method, buffer.first(length));
  const std::size_t n = std::min<std::size_t>(pi.size(), buffer.size() - length);
  std::copy_n(pi.begin(), n, buffer.begin() + static_cast<std::ptrdiff_t>(length));
  return length + n;
}

// Variable block mode: one record of up to `requested` bytes (with LBP_R the
// record's length on the wire counts its 4 protection bytes).
ScsiResult ReadVariable(DriveState& state, Tape& tape, const ScsiCommand& cmd,
                        const TransferCdb& c) {
  Piece one[1];
  const std::vector<Piece> buffer = Slot(ReadBuffer(cmd, one), 0, c.length);
  // With LBP_R the record and its protection bytes are put together in one
  // staging buffer first (the CRC needs the record whole), then scattered.
  const std::uint64_t pi = ReadProtectionLength(state);
  std::vector<std::uint8_t> staging(pi != 0 ? TotalBytes(buffer) : 0);
  Piece staged[1] = {staging};
  HostRecord record;
  Status status =
      ReadHostRecord(state, tape, pi != 0 ? ReadPieces(staged) : ReadPieces(buffer), record);
  const ReadResult& got = record.got;
  if (!status.ok()) return ReadFailed(state, status, c.length);
  if (got.kind != ObjectKind::kRecord) return ReadStopped(got.kind, c.length, 0);
  if (record.refused) {
    CountRecordRead(state, record.stored_length, 0);
    return RefusedRecordSense(*record.refused, c.length);
  }

  const std::uint64_t wire = got.length + pi;
  std::size_t copied = std::min<std::uint64_t>(got.length, TotalBytes(buffer));
  if (pi != 0) {
    copied = AppendProtection(state, staging, got.length);
    ScatterInto(std::span<const std::uint8_t>(staging).first(copied), buffer);
  }
  CountRecordRead(state, record.stored_length, copied);
  if (wire == c.length) return Good(copied);
  // SSC-4 READ, SILI=1 in variable mode: an underlength record is not reported;
  // an overlength one only when the mode block length is nonzero.
  bool overlength = wire > c.length;
  if (c.sili && (!overlength || state.mode.block_length == 0)) return Good(copied);
  SenseData s = ResidualSense(
      kNoSense, kAscNone, static_cast<std::int64_t>(c.length) - static_cast<std::int64_t>(wire));
  s.ili = true;
  return CheckCondition(s, copied);
}

// Fixed block mode: `c.length` records of exactly the mode block length each
// (with LBP_R the block length counts the 4 protection bytes: the records on
// the medium are 4 bytes shorter).
ScsiResult ReadFixed(DriveState& state, Tape& tape, const ScsiCommand& cmd, const TransferCdb& c) {
  const std::uint64_t block = state.mode.block_length;
  const std::uint64_t pi = ReadProtectionLength(state);
  Piece one[1];
  const ReadPieces data_in = ReadBuffer(cmd, one);
  const std::uint64_t data_in_size = TotalBytes(data_in);
  std::vector<std::uint8_t> staging;
  for (std::uint64_t i = 0; i < c.length; ++i) {
    std::size_t good_bytes = std::min<std::uint64_t>(i * block, data_in_size);
    std::int64_t residual = static_cast<std::int64_t>(c.length - i);
    const std::vector<Piece> slot = Slot(data_in, i * block, block);
    HostRecord record;
    const ReadResult& got = record.got;
    // With LBP_R the medium's record is block - 4 bytes; it and its
    // protection bytes are put together in `staging`, then scattered.
    if (pi != 0) staging.assign(std::min<std::uint64_t>(TotalBytes(slot), block - pi), 0);
    Piece staged[1] = {staging};
    Status status =
        ReadHostRecord(state, tape, pi != 0 ? ReadPieces(staged) : ReadPieces(slot), record);
    if (!status.ok()) {
      ScsiResult r = ReadFailed(state, status, residual);
      r.data_in_len = good_bytes;
      return r;
    }
    if (got.kind != ObjectKind::kRecord) return ReadStopped(got.kind, residual, good_bytes);
    if (record.refused) {
      CountRecordRead(state, record.stored_length, 0);
      return RefusedRecordSense(*record.refused, residual, good_bytes);
    }
    const bool right_size = got.length + pi == block;
    if (right_size && pi != 0) {
      staging.resize(TotalBytes(slot));
      ScatterInto(std::span<const std::uint8_t>(staging).first(
                      AppendProtection(state, staging, got.length)),
                  slot);
    }
    CountRecordRead(state, record.stored_length, right_size ? TotalBytes(slot) : 0);
    if (!right_size) {
      // The wrong-sized block is not transferred; the position is after it.
      SenseData s = ResidualSense(kNoSense, kAscNone, residual);
      s.ili = true;
      return CheckCondition(s, good_bytes);
    }
  }
  return Good(std::min<std::uint64_t>(std::uint64_t{c.length} * block, data_in_size));
}

// With LBP_W, the protection bytes ending each of the `count` records of
// `record` bytes in `data`: nullopt when all match, else the answer (nothing
// is written then: INFORMATION holds the whole transfer length). HARDWARE
// ERROR, LOGICAL BLOCK GUARD CHECK FAILED (10h/01h) is what IBM LTO drives
// report and LTFS expects.
std::optional<ScsiResult> CheckWriteProtection(const DriveState& state,
                                               std::span<const std::uint8_t> data,
                                               std::uint64_t record, std::uint64_t count,
                                               const TransferCdb& c) {
  for (std::uint64_t i = 0; i < count; ++i) {
    if (!ProtectionMatches(state.mode.lbp_method, data.subspan(i * record, record))) {
      return CheckCondition(ResidualSense(kHardwareError, kAscLogicalBlockGuardCheckFailed,
                                          c.fixed ? count : record));
    }
  }
  return std::nullopt;
}

// A tape error during WRITE or WRITE FILEMARKS, `residual` not written.
ScsiResult WriteFailed(DriveState& state, const Status& status, std::int64_t residual) {
  switch (status.code()) {
    case Code::kEndOfMedium: {
      SenseData s = ResidualSense(kVolumeOverflow, kAscEndOfPartition, residual);
      s.eom = true;
      return CheckCondition(s);
    }
    case Code::kWriteProtected:
      return WriteProtectedSense(state);
    case Code::kMediumError:
      ++state.counters.write_errors_uncorrected;
      state.tapealert.Raise(spc::TapeAlertFlag::kMedia);
      return CheckCondition(ResidualSense(kMediumError, kAscWriteError, residual));
    case Code::kIoError:
      ++state.counters.write_errors_uncorrected;
      return SenseForStatus(state, status);
    default:
      return SenseForStatus(state, status);
  }
}

// Filemarks between two positions of one WRITE FILEMARKS of `count` marks.
std::uint64_t MarksWritten(const Position& before, const Position& after, std::uint64_t count) {
  if (after.partition != before.partition || after.file <= before.file) return 0;
  return std::min(after.file - before.file, count);
}

// WRITE FILEMARKS that stopped with `residual` marks unwritten: end of medium
// is VOLUME OVERFLOW with EOM (SSC-4 WRITE FILEMARKS), an I/O error of the
// medium's storage a MEDIUM ERROR (WRITE ERROR); INFORMATION holds the residual.
ScsiResult FilemarksFailed(DriveState& state, const Status& status, std::int64_t residual) {
  if (status.code() == Code::kIoError) {
    return WriteFailed(state, Status::MediumError(status.message()), residual);
  }
  return WriteFailed(state, status, residual);
}

// WRITE's data: the pieces the glue passed, else data_out as one piece
// (`one` holds it).
RecordPieces WriteData(const ScsiCommand& cmd, ConstPiece (&one)[1]) {
  if (!cmd.data_out_pieces.empty()) return cmd.data_out_pieces;
  one[0] = cmd.data_out;
  return one;
}

// GOOD, or the early-warning EOM report when the write ended inside the zone,
// or the programmable early-warning report when it crossed into that zone.
ScsiResult WriteDone(DriveState& state, Tape& tape, const Position& before) {
  const Position after = tape.GetPosition();
  if (after.beyond_early_warning) return EarlyWarningSense();
  if (CrossedProgrammableEarlyWarning(state, tape, before, after)) {
    return ProgrammableEarlyWarningSense();
  }
  return Good();
}

}  // namespace

ScsiResult CmdRead(DriveState& state, const ScsiCommand& cmd) {
  Tape& tape = *state.tape;  // the dispatcher checked that a medium is loaded
  TransferCdb c = ParseTransferCdb(cmd.cdb);
  if (c.fixed && c.sili) return InvalidCdbField(1, 1);
  if (c.fixed && state.mode.block_length <= ReadProtectionLength(state)) {
    return InvalidCdbField(1, 0);
  }
  if (c.length == 0) return Good();
  // As for WRITE: one command moves at most the path's maximum transfer (READ
  // BLOCK LIMITS), and the glue offers no larger reply buffer (transfer_size.h).
  const std::uint64_t bytes =
      c.fixed ? std::uint64_t{c.length} * state.mode.block_length : c.length;
  if (bytes > state.config.max_transfer_bytes) return InvalidCdbField(c.length_field);
  if (c.locate_first) {
    if (auto r = LocateBeforeTransfer(state, tape, c.partition, c.object, 3, c.length)) return *r;
  }
  std::uint64_t corrected_before = tape.statistics().read_errors_corrected;
  ScsiResult r = c.fixed ? ReadFixed(state, tape, cmd, c) : ReadVariable(state, tape, cmd, c);
  std::uint64_t corrected_after = tape.statistics().read_errors_corrected;
  if (corrected_after > corrected_before) {
    state.counters.read_errors_corrected += corrected_after - corrected_before;
  }
  return r;
}

ScsiResult CmdWrite(DriveState& state, const ScsiCommand& cmd) {
  Tape& tape = *state.tape;
  TransferCdb c = ParseTransferCdb(cmd.cdb);
  // LBP_W: each record carries 4 protection bytes the medium does not store.
  const std::uint64_t pi =
      state.mode.lbp_write && state.mode.lbp_method != kLbpNone ? kLbpLength : 0;
  if (c.fixed && state.mode.block_length <= pi) return InvalidCdbField(1, 0);
  if (c.length == 0) return Good();
  const std::uint64_t record = c.fixed ? state.mode.block_length : c.length;
  const std::uint64_t count = c.fixed ? c.length : 1;
  if (record <= pi) return InvalidCdbField(c.length_field);
  const std::uint64_t max_record =
      std::min<std::uint64_t>(state.config.max_transfer_bytes, kMaxRecordBytes);
  if (record > max_record) {
    return c.fixed ? InvalidCdbField(1, 0) : InvalidCdbField(c.length_field);
  }
  // More than one command carries on the path (the glue gathers no more).
  if (record * count > state.config.max_transfer_bytes) return InvalidCdbField(c.length_field);
  ConstPiece one[1];
  const RecordPieces data_out = WriteData(cmd, one);
  // The initiator sent less than the CDB announces: write nothing at all.
  if (TotalBytes(data_out) < record * count) return InvalidCdbField(c.length_field);
  // LBP_W: the protection bytes are checked over each whole record, so the
  // pieces are gathered once (only then).
  std::vector<std::uint8_t> gathered;
  ConstPiece whole[1];
  RecordPieces records = data_out;
  if (pi != 0) {
    gathered.resize(record * count);
    GatherInto(data_out, gathered.data());
    if (auto r = CheckWriteProtection(state, gathered, record, count, c)) return *r;
    whole[0] = gathered;
    records = whole;
  }
  if (MediumWriteProtected(tape)) return WriteProtectedSense(state);
  if (c.locate_first) {
    if (auto r = LocateBeforeTransfer(state, tape, c.partition, c.object, 3, c.length)) return *r;
  }
  if (auto r = RefuseOverwrite(state, tape, WriteKind::kAtPosition)) return *r;
  const Position before = tape.GetPosition();
  std::vector<ConstPiece> data;
  for (std::uint64_t i = 0; i < count; ++i) {
    SlicePieces(records, i * record, record - pi, data);
    // The medium stores the record's stored form (encrypted, record_path.h).
    StoredRecord stored;
    Status status = EncodeRecord(state, data, stored);
    if (status.ok()) status = WriteStoredRecord(state, tape, stored);
    if (!status.ok()) {
      return WriteFailed(state, status, static_cast<std::int64_t>(c.fixed ? count - i : record));
    }
    ++state.counters.records_written;
    state.counters.bytes_written_by_initiator += record;
    state.counters.bytes_written_to_medium += stored.size();
    NoteWritten(state, 1, stored.size());
  }
  if (Unbuffered(state)) {
    // Nothing of this command is known durable: all of it is the residual.
    Status status = tape.Sync();
    if (!status.ok()) {
      return WriteFailed(state, status, static_cast<std::int64_t>(c.fixed ? count : record));
    }
    NoteDurable(state);
  }
  return WriteDone(state, tape, before);
}

ScsiResult CmdWriteFilemarks(DriveState& state, const ScsiCommand& cmd) {
  Tape& tape = *state.tape;
  TransferCdb c = ParseTransferCdb(cmd.cdb);
  const bool immed = c.fixed;                  // byte 1 bit 0
  const bool setmarks = c.sili;                // byte 1 bit 1: WSMK
  if (setmarks) return InvalidCdbField(1, 1);  // setmarks are not supported
  if (c.length == 0) {
    // No filemarks: with IMMED=0 the command is a request to flush the buffer.
    if (immed && !Unbuffered(state)) return Good();
    Status status = tape.Sync();
    if (!status.ok()) return WriteFailed(state, status, 0);
    NoteDurable(state);
    return Good();
  }
  if (MediumWriteProtected(tape)) return WriteProtectedSense(state);
  if (c.locate_first) {
    if (auto r = LocateBeforeTransfer(state, tape, c.partition, c.object, 3, c.length)) return *r;
  }
  if (auto r = RefuseOverwrite(state, tape, WriteKind::kAtPosition)) return *r;
  // In unbuffered mode IMMED does not make the marks (or what precedes them)
  // wait in a buffer: GOOD means durable.
  const bool sync = !immed || Unbuffered(state);
  const Position before = tape.GetPosition();
  Status status = tape.WriteFilemarks(c.length, sync);
  if (!status.ok()) {
    // A backend that fails after i of n marks leaves the i marks and the
    // position after them: the residual is what was not written.
    const std::uint64_t written = MarksWritten(before, tape.GetPosition(), c.length);
    state.counters.filemarks_written += written;
    NoteWritten(state, written, 0);
    return FilemarksFailed(state, status, static_cast<std::int64_t>(c.length - written));
  }
  state.counters.filemarks_written += c.length;
  if (sync) {
    NoteDurable(state);
  } else {
    NoteWritten(state, c.length, 0);
  }
  return WriteDone(state, tape, before);
}

}  // namespace vtape::ssc
