#include "handler/ssc/record_crypt.h"

namespace vtape::ssc {

Status EncryptRecord(const EncryptionParameters& params, std::span<const std::uint8_t> plaintext,
                     std::uint8_t tag, std::vector<std::uint8_t>& stored) {
  const std::uint8_t associated[1] = {tag};
  return params.cipher->Encrypt(plaintext, params.kad, params.marks_raw_disabled(), associated,
                                stored);
}

ReadOutcome DecodeRecord(const EncryptionParameters& params, std::span<const std::uint8_t> stored,
                         std::uint8_t tag, std::vector<std::uint8_t>& plaintext) {
  ReadOutcome out;
  const bool encrypted = tag & kEncryptedTagBit;
  switch (params.decryption) {
    case DecryptionMode::kDisable:
      // SSC-4 DISABLE: an encrypted block is not made accessible.
      if (encrypted) out.refused = kAscUnableToDecrypt;
      return out;
    case DecryptionMode::kRaw:
      // RAW: the stored block as it is, unless it was marked disabled for raw
      // reads when written (RDMC).
      if (encrypted) {
        std::optional<CipherHeader> header = ParseCipherHeader(stored);
        if (!header) {
          out.refused = kAscIntegrityValidationFailed;
        } else if (header->raw_read_disabled) {
          out.refused = kAscNotRawReadEnabled;
        }
      }
      return out;
    case DecryptionMode::kDecrypt:
    case DecryptionMode::kMixed:
      break;
  }
  if (!encrypted) {
    // DECRYPT reads only encrypted blocks; MIXED reads plain ones as they are.
    if (params.decryption == DecryptionMode::kDecrypt) out.refused = kAscUnencryptedWhileDecrypting;
    return out;
  }
  if (!params.cipher) {
    out.refused = kAscUnableToDecrypt;
    return out;
  }
  const std::uint8_t associated[1] = {tag};
  switch (params.cipher->Decrypt(stored, associated, plaintext)) {
    case DecryptFailure::kNone:
      out.decrypted = true;
      break;
    case DecryptFailure::kIncorrectKey:
      out.refused = kAscIncorrectKey;
      break;
    case DecryptFailure::kMalformed:
    case DecryptFailure::kIntegrity:
      out.refused = kAscIntegrityValidationFailed;
      break;
  }
  return out;
}

}  // namespace vtape::ssc
