// What the next logical object is, for the NEXT BLOCK ENCRYPTION STATUS page
// (SSC-4 8.5.2.8): found by reading the head of it and moving back, so the
// position the host sees does not change.
#pragma once

#include <cstdint>
#include <optional>

#include "handler/ssc/drive_state.h"
#include "handler/ssc/record_cipher.h"

namespace vtape::ssc {

// ENCRYPTION STATUS field values (SSC-4 table "ENCRYPTION STATUS field").
enum class EncryptionStatus : std::uint8_t {
  kNotNow = 0x1,           // capable, but not now: end of data, or a read error
  kNotLogicalBlock = 0x2,  // a filemark
  kNotEncrypted = 0x3,
  kDecryptable = 0x5,     // encrypted with the algorithm; the current key decrypts it
  kNotDecryptable = 0x6,  // encrypted, but decryption is off or the key is not its key
};

struct NextBlock {
  std::uint64_t object = 0;  // logical object number of the next object
  EncryptionStatus status = EncryptionStatus::kNotNow;
  std::optional<CipherHeader> header;  // an encrypted record's header
};

// Fills `next` from the object after the position; the position is restored.
// Fails only when the position cannot be restored.
Status PeekNextBlock(DriveState& state, NextBlock& next);

}  // namespace vtape::ssc
