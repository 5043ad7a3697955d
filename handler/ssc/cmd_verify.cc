// VERIFY(6/16) (SSC-4 7.11, 8.x) and ALLOW OVERWRITE (SSC-4 8.2).
//
// VERIFY reads records without transferring them: one record of VERIFICATION
// LENGTH bytes (variable mode) or that many blocks (FIXED); with BYTCMP it
// compares them with the data-out buffer (MISCOMPARE 1Dh/00h, INFORMATION =
// bytes or blocks not verified); VTE verifies to end of data, VBF up to
// VERIFICATION LENGTH filemarks. Filemarks, end of data, incorrect lengths and
// medium errors answer as READ does. IMMED is accepted; the verification is
// done before status either way, so its result is reported, not deferred.
// VLBPM is not supported (records are stored without protection information).
#include <algorithm>
#include <vector>

#include "handler/spc/cdb.h"
#include "handler/ssc/commands.h"
#include "handler/ssc/data_common.h"
#include "handler/ssc/record_path.h"

namespace vtape::ssc {
namespace {

// VERIFY's CDB: READ's fields (its BYTCMP bit is READ's SILI) and three of its own.
struct VerifyCdb : TransferCdb {
  bool vte = false, vbf = false, bytcmp = false;
};

VerifyCdb ParseVerify(std::span<const std::uint8_t> cdb) {
  VerifyCdb c;
  static_cast<TransferCdb&>(c) = ParseTransferCdb(cdb);
  c.vte = cdb[1] & 0x20;
  c.vbf = cdb[1] & 0x08;
  c.bytcmp = cdb[1] & 0x02;
  return c;
}

// A record, filemark or end of data read for verification: nullopt for a
// record the host may have, else the answer with `residual` in INFORMATION (a
// record the decryption mode refuses: DATA PROTECT, record_path.h).
std::optional<ScsiResult> Stopped(DriveState& state, const Status& status, const HostRecord& record,
                                  std::int64_t residual) {
  const ReadResult& got = record.got;
  if (!status.ok()) {
    if (status.code() != Code::kMediumError) return SenseForStatus(state, status);
    ++state.counters.read_errors_uncorrected;
    state.tapealert.Raise(spc::TapeAlertFlag::kMedia);
    return CheckCondition(ResidualSense(kMediumError, kAscUnrecoveredReadError, residual));
  }
  if (got.kind == ObjectKind::kFilemark) {
    SenseData s = ResidualSense(kNoSense, kAscFilemarkDetected, residual);
    s.filemark = true;
    return CheckCondition(s);
  }
  if (got.kind == ObjectKind::kEndOfData) {
    return CheckCondition(ResidualSense(kBlankCheck, kAscEndOfData, residual));
  }
  ++state.counters.records_read;
  state.counters.bytes_read_from_medium += record.stored_length;
  if (record.refused) return RefusedRecordSense(*record.refused, residual);
  return std::nullopt;
}

ScsiResult IncorrectLength(std::int64_t residual) {
  SenseData s = ResidualSense(kNoSense, kAscNone, residual);
  s.ili = true;
  return CheckCondition(s);
}

// Records of `record` bytes, `count` of them (fixed) or one (variable).
ScsiResult VerifyRecords(DriveState& state, Tape& tape, const ScsiCommand& cmd,
                         const VerifyCdb& c) {
  const std::uint64_t record = c.fixed ? state.mode.block_length : c.length;
  const std::uint64_t count = c.fixed ? c.length : 1;
  // The record is read whole (an encrypted one is decrypted, so its
  // authentication is verified too) even when no byte comparison needs it.
  std::vector<std::uint8_t> buffer(record);
  const Piece into[1] = {buffer};
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto not_done = static_cast<std::int64_t>(c.fixed ? count - i : record);
    HostRecord read;
    Status status = ReadHostRecord(state, tape, into, read);
    const ReadResult& got = read.got;
    if (auto r = Stopped(state, status, read, not_done)) return *r;
    if (got.length != record) {
      return IncorrectLength(c.fixed ? not_done
                                     : static_cast<std::int64_t>(record) -
                                           static_cast<std::int64_t>(got.length));
    }
    if (!c.bytcmp) continue;
    const auto expected = cmd.data_out.subspan(i * record, record);
    const auto mine = std::mismatch(buffer.begin(), buffer.end(), expected.begin()).first;
    if (mine != buffer.end()) {
      const auto compared = static_cast<std::int64_t>(mine - buffer.begin());
      return CheckCondition(ResidualSense(kMiscompare, kAscMiscompareDuringVerify,
                                          c.fixed ? not_done : not_done - compared));
    }
  }
  return Good();
}

// VTE: every object up to end of data; VBF: up to `c.length` filemarks.
ScsiResult VerifyUpTo(DriveState& state, Tape& tape, const VerifyCdb& c) {
  std::uint64_t marks = 0;
  for (;;) {
    HostRecord read;
    Status status = ReadHostRecord(state, tape, {}, read);
    const ReadResult& got = read.got;
    const auto marks_left = static_cast<std::int64_t>(c.length - marks);
    if (status.ok() && got.kind == ObjectKind::kFilemark) {
      if (c.vbf && ++marks == c.length) return Good();
      continue;
    }
    if (status.ok() && got.kind == ObjectKind::kEndOfData && c.vte) return Good();
    if (auto r = Stopped(state, status, read, c.vbf ? marks_left : 0)) return *r;
  }
}

}  // namespace

ScsiResult CmdVerify(DriveState& state, const ScsiCommand& cmd) {
  Tape& tape = *state.tape;
  const VerifyCdb c = ParseVerify(cmd.cdb);
  // VTE and VBF name the extent themselves: no FIXED, no BYTCMP with them.
  if (c.vte && c.vbf) return InvalidCdbField(1, 3);
  if ((c.vte || c.vbf) && c.bytcmp) return InvalidCdbField(1, 1);
  if ((c.vte || c.vbf) && c.fixed) return InvalidCdbField(1, 0);
  if (c.fixed && state.mode.block_length == 0) return InvalidCdbField(1, 0);
  if (!c.vte && c.length == 0) return Good();
  if (c.bytcmp) {
    const std::uint64_t bytes =
        c.fixed ? std::uint64_t{c.length} * state.mode.block_length : c.length;
    if (bytes > state.config.max_transfer_bytes || cmd.data_out.size() < bytes) {
      return InvalidCdbField(c.length_field);
    }
  }
  if (c.locate_first) {
    if (auto r = LocateBeforeTransfer(state, tape, c.partition, c.object, 3, c.length)) return *r;
  }
  if (c.vte || c.vbf) return VerifyUpTo(state, tape, c);
  return VerifyRecords(state, tape, cmd, c);
}

// ALLOW OVERWRITE lifts append-only mode (WRITE MODE 1h of page 10h/01h,
// worm.h) once: 0h withdraws a permission given before, 1h permits one write
// at the current position (which must be the one named), 2h one FORMAT MEDIUM
// or SET CAPACITY. The permission is kept until used or the medium changes;
// it never permits overwriting a WORM cartridge.
ScsiResult CmdAllowOverwrite(DriveState& state, const ScsiCommand& cmd) {
  using Kind = OverwriteAllowance::Kind;
  const auto& cdb = cmd.cdb;
  switch (cdb[2] & 0x0F) {
    case 0x0:
      state.allow_overwrite = {};
      return Good();
    case 0x1: {
      const Position pos = state.tape->GetPosition();
      if (std::uint32_t{cdb[3]} != pos.partition) return InvalidCdbField(3);
      if (GetBe(cdb, 4, 8) != pos.object) return InvalidCdbField(4);
      state.allow_overwrite = {Kind::kPosition, pos.partition, pos.object};
      return Good();
    }
    case 0x2:
      state.allow_overwrite = {Kind::kFormat, 0, 0};
      return Good();
    default:
      return InvalidCdbField(2, 3);
  }
}

}  // namespace vtape::ssc
