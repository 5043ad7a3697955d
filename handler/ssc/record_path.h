// Where a host record and its stored form meet (issue 12). WRITE turns the
// bytes the host sent into the bytes the medium stores plus the record tag
// (vtape/record_tag.h); READ and VERIFY turn a stored record and its tag back
// into the host's bytes, or into the sense that says why they cannot. The
// data commands see host lengths only (ILI residues, fixed block sizes); the
// medium, its capacity and the byte counters see stored lengths.
//
// Compression (vtape/record_codec.h, while mode page 0Fh DCE is set) and
// encryption (record_crypt.h) happen here, chained: stored =
// encrypt(compress(record)) with tag = encrypted | codec; reading decrypts
// first, then decodes the codec (whatever DCE says, as LTO drives do).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "handler/ssc/drive_state.h"

namespace vtape::ssc {

// One record as the medium will store it.
struct StoredRecord {
  RecordPieces host;                // the host's bytes, stored as they are when !encoded
  bool encoded = false;             // `bytes` hold the stored form
  std::vector<std::uint8_t> bytes;  // the stored form (compressed, ciphertext) when encoded
  std::uint8_t tag = 0;

  std::uint64_t size() const { return encoded ? bytes.size() : TotalBytes(host); }
};

// WRITE: the stored form of the host's `record` under the drive's current
// settings: compressed while data compression is enabled and that makes it
// smaller, encrypted when the encryption mode is ENCRYPT. Fails only when the
// encoding itself does (libcrypto).
Status EncodeRecord(DriveState& state, RecordPieces record, StoredRecord& stored);

// Writes `stored` at the position: in unbuffered mode past the drive's
// buffer straight to the medium, else through `tape` (the buffer when there is one).
Status WriteStoredRecord(DriveState& state, Tape& tape, const StoredRecord& stored);

// What reading one object gave the host.
struct HostRecord {
  // The object read. For a record: length is the host's length (the
  // plaintext's, or the stored one for a raw read); tag the stored tag.
  ReadResult got;
  std::uint64_t stored_length = 0;  // a record's length on the medium
  // The record may not be delivered (DATA PROTECT with this ASC/ASCQ): the
  // position is after it, nothing of it is in the host's buffer.
  std::optional<spc::Asc> refused;
};

// READ/VERIFY: reads the object at the position; a record's host bytes go to
// `pieces` (as many as fit), decrypted per the decryption mode. An error is
// the medium's (or kCorruptImage for a record whose tag this drive cannot
// undo); a refusal by the decryption mode is `out.refused`, not an error.
Status ReadHostRecord(DriveState& state, Tape& tape, ReadPieces pieces, HostRecord& out);

// CHECK CONDITION, DATA PROTECT, `asc`, with `residual` in INFORMATION.
ScsiResult RefusedRecordSense(spc::Asc asc, std::int64_t residual, std::size_t data_len = 0);

}  // namespace vtape::ssc
