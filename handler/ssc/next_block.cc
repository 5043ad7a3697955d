#include "handler/ssc/next_block.h"

#include <array>

#include "handler/ssc/encryption.h"

namespace vtape::ssc {
namespace {

// Enough of a stored record for its whole cipher header.
constexpr std::size_t kHeadBytes = 12 + kMaxUkadBytes + kMaxAkadBytes;

// The status of a record whose first bytes are `head` (`encrypted`: its
// record tag says so).
EncryptionStatus RecordStatus(const EncryptionState& e, bool encrypted,
                              const std::optional<CipherHeader>& header) {
  if (!encrypted) return EncryptionStatus::kNotEncrypted;
  if (!header) return EncryptionStatus::kNotNow;  // unreadable header: an error to read
  const EncryptionParameters& p = e.current();
  const bool decrypting =
      p.decryption == DecryptionMode::kDecrypt || p.decryption == DecryptionMode::kMixed;
  return decrypting && p.cipher && p.cipher->KeyMatches(*header)
             ? EncryptionStatus::kDecryptable
             : EncryptionStatus::kNotDecryptable;
}

}  // namespace

Status PeekNextBlock(DriveState& state, NextBlock& next) {
  Tape& tape = *state.tape;
  const Position before = tape.GetPosition();
  next = NextBlock{};
  next.object = before.object;
  std::array<std::uint8_t, kHeadBytes> head{};
  ReadResult read;
  Status status = tape.Read(head, read);
  if (!status.ok()) {
    next.status = EncryptionStatus::kNotNow;
  } else if (read.kind == ObjectKind::kFilemark) {
    next.status = EncryptionStatus::kNotLogicalBlock;
  } else if (read.kind == ObjectKind::kEndOfData) {
    next.status = EncryptionStatus::kNotNow;
    return Status::Ok();  // reading EOD did not move
  } else {
    const bool encrypted = read.tag & kTagEncrypted;
    std::optional<CipherHeader> header;
    if (encrypted) {
      const std::size_t got = std::min<std::size_t>(read.length, kHeadBytes);
      header = ParseCipherHeader(std::span(head).first(got), read.length);
    }
    next.status = RecordStatus(state.encryption, encrypted, header);
    if (encrypted) next.header = header;
  }
  SpaceResult moved;
  return tape.Locate(before.partition, before.object, moved);
}

}  // namespace vtape::ssc
