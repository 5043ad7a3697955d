// Helpers shared by the data and positioning commands (cmd_data.cc,
// cmd_position.cc, cmd_verify.cc): the CDB fields they share, residual sense, write-protect and
// early-warning answers, and the "locate first" step of the 16-byte commands.
#pragma once

#include <cstdint>
#include <optional>

#include "handler/ssc/commands.h"

namespace vtape::ssc {

// The fields READ, WRITE, WRITE FILEMARKS and VERIFY share in their 6- and
// 16-byte forms.
struct TransferCdb {
  bool fixed = false;         // byte 1 bit 0 (WRITE FILEMARKS: IMMED)
  bool sili = false;          // byte 1 bit 1 (WRITE FILEMARKS: WSMK)
  std::uint32_t length = 0;   // TRANSFER LENGTH / FILEMARK COUNT (24 bits)
  bool locate_first = false;  // 16-byte form: PARTITION + LOGICAL OBJECT IDENTIFIER
  std::uint32_t partition = 0;
  std::uint64_t object = 0;
  std::uint16_t length_field = 2;  // CDB byte of the length, for field pointers
};

TransferCdb ParseTransferCdb(std::span<const std::uint8_t> cdb);

// INFORMATION is a 32-bit two's complement field: residuals beyond it saturate.
std::int64_t ClampResidual(std::int64_t residual);

// Fixed sense with `key`/`asc` and the residual in INFORMATION (VALID set).
SenseData ResidualSense(std::uint8_t key, Asc asc, std::int64_t residual);

// DATA PROTECT 27h/00h, and TapeAlert flag 9 (write protect) as a real drive sets
// it on a write attempt to a protected cartridge.
ScsiResult WriteProtectedSense(DriveState& state);

// True when the medium says it is write protected (false when it cannot say).
bool MediumWriteProtected(const Tape& tape);

// CHECK CONDITION, NO SENSE, EOM, 00h/02h, VALID, INFORMATION 0: a write that
// succeeded inside the early-warning zone (st reports success, then ENOSPC).
ScsiResult EarlyWarningSense();

// Moves to `object` of `partition` before a READ(16)/WRITE(16)/ERASE(16)/WRITE
// FILEMARKS(16) transfers anything. Nothing returned = positioned. Otherwise the
// answer to give: ILLEGAL REQUEST pointing at CDB byte `partition_field` for a
// partition the medium lacks; BLANK CHECK 00h/05h at EOD (with `eod_residual` in
// INFORMATION when given) for an object beyond EOD; the mapped tape error.
std::optional<ScsiResult> LocateBeforeTransfer(DriveState& state, Tape& tape,
                                               std::uint32_t partition, std::uint64_t object,
                                               std::uint16_t partition_field,
                                               std::optional<std::int64_t> eod_residual);

// Bookkeeping of what is written but not yet durable (DriveState::buffered_*).
void NoteWritten(DriveState& state, std::uint64_t objects, std::uint64_t bytes);
void NoteDurable(DriveState& state);
// What a real drive does before it repositions: writes its buffer to the medium.
// Here: a durable point (Tape::Sync) when anything written is not yet durable,
// so REWIND, LOCATE and SPACE after buffered writes leave them safe from a power
// loss. Nothing to do (no sync) when everything is durable already.
Status WriteBufferToMedium(DriveState& state, Tape& tape);

// The answer for an error the write-behind buffer met after GOOD: fixed sense
// with response code 71h (deferred), VALID, INFORMATION = `objects_lost` (the
// acknowledged records and filemarks not written, SSC-4 buffered mode). End of
// medium or a full host disk: VOLUME OVERFLOW, EOM, 00h/02h; write protection:
// DATA PROTECT 27h/00h; anything else: MEDIUM ERROR, WRITE ERROR 0Ch/00h.
SenseData DeferredWriteSense(DriveState& state, const Status& status, std::uint64_t objects_lost);
ScsiResult DeferredWriteError(DriveState& state, const Status& status, std::uint64_t objects_lost);
// The buffer's pending deferred error as sense (see DeferredWriteSense), taken:
// reported once. Nothing when there is no buffer or no error pending.
std::optional<SenseData> TakeDeferredSense(DriveState& state);

// True in unbuffered mode (MODE SELECT header BUFFERED MODE 0): every WRITE and
// WRITE FILEMARKS returns GOOD only once its data is durable (Tape::Sync).
bool Unbuffered(const DriveState& state);

// The partition count of the medium, or nullopt when Stat fails.
std::optional<std::uint32_t> PartitionCount(const Tape& tape);

}  // namespace vtape::ssc
