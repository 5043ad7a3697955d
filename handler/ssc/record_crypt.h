// What the data commands do with encryption (SSC-4 4.2.26): on WRITE, whether
// and how a record is encrypted under the current parameters; on READ and
// VERIFY, what an encrypted or plain record found on the medium gives under
// the current decryption mode: its plaintext, its stored bytes (RAW), or the
// DATA PROTECT sense SSC-4 names for the case.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "handler/spc/sense.h"
#include "handler/ssc/encryption.h"

namespace vtape::ssc {

// SSC-4 / SPC-4 additional sense codes of the security errors (74h).
inline constexpr spc::Asc kAscUnableToDecrypt{0x74, 0x01};  // decryption not enabled / no key
inline constexpr spc::Asc kAscUnencryptedWhileDecrypting{0x74, 0x02};
inline constexpr spc::Asc kAscIncorrectKey{0x74, 0x03};
inline constexpr spc::Asc kAscIntegrityValidationFailed{0x74, 0x04};
inline constexpr spc::Asc kAscNotRawReadEnabled{0x74, 0x0A};

// The bit of a record's tag that says "stored encrypted" (the rest of the tag
// is the compression codec).
inline constexpr std::uint8_t kEncryptedTagBit = 0x80;

// WRITE: the stored form of `plaintext` under `params` (which must be
// encrypting()), authenticated together with `tag` (the record's tag, with
// kEncryptedTagBit set).
Status EncryptRecord(const EncryptionParameters& params, std::span<const std::uint8_t> plaintext,
                     std::uint8_t tag, std::vector<std::uint8_t>& stored);

// READ/VERIFY: what a record read from the medium gives.
struct ReadOutcome {
  // The sense to answer with (DATA PROTECT, 74h/xxh), or nothing.
  std::optional<spc::Asc> refused;
  // On success: true when `bytes` hold the decrypted plaintext (encrypted
  // record, DECRYPT/MIXED); false when the stored bytes are the data (a plain
  // record, or an encrypted one passed raw in RAW mode).
  bool decrypted = false;
};

// `stored` is the whole record as on the medium, `tag` its tag. On a
// decryption, `plaintext` receives the record's data.
ReadOutcome DecodeRecord(const EncryptionParameters& params, std::span<const std::uint8_t> stored,
                         std::uint8_t tag, std::vector<std::uint8_t>& plaintext);

}  // namespace vtape::ssc
