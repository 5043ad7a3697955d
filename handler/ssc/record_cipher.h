// AES-256-GCM for one record at a time, over OpenSSL's libcrypto: what the
// drive stores for a record written with encryption on (SSC-4 data encryption,
// algorithm 0001_0014h as LTO drives report it).
//
// The stored record (the medium sees only this; the plaintext and the key never
// reach it):
//   0        format, 01h
//   1        flags: bit 0 = the record is marked disabled for raw decryption
//            mode reads (the RDMC the key was set with)
//   2-9      key check: the first 8 bytes of SHA-256("vtape key check" | key).
//            One-way, so it gives nothing of the key away, and it lets a read
//            with another key answer INCORRECT DATA ENCRYPTION KEY (74h/03h)
//            rather than an integrity failure.
//   10       U-KAD length u (0..32)
//   11       A-KAD length a (0..12)
//   12..     the U-KAD, then the A-KAD (key-associated data, as the host set it)
//   then     IV (12 bytes) | ciphertext (as long as the plaintext) | tag (16 bytes)
// The header (bytes 0 .. 11+u+a) and the caller's associated data (the
// record's position-independent tag byte) are GCM's additional authenticated
// data, so neither can be changed without the tag failing.
//
// IVs never repeat under one key: each cipher draws a random 64-bit salt and
// counts records under it (IV = salt | 32-bit counter), drawing a new salt
// before the counter wraps. Two ciphers with the same key (the key set again,
// the process restarted) collide only if their salts do (2^-64).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "vtape/status.h"

namespace vtape::ssc {

inline constexpr std::size_t kDataKeyBytes = 32;
inline constexpr std::size_t kRecordIvBytes = 12;
inline constexpr std::size_t kRecordTagBytes = 16;
inline constexpr std::size_t kKeyCheckBytes = 8;
inline constexpr std::size_t kMaxUkadBytes = 32;
inline constexpr std::size_t kMaxAkadBytes = 12;
inline constexpr std::uint8_t kCipherFormat = 0x01;

// The key-associated data stored with each record (SSC-4 KAD descriptors).
struct KeyAssociatedData {
  std::vector<std::uint8_t> ukad;  // unauthenticated (type 00h), e.g. a key name
  std::vector<std::uint8_t> akad;  // authenticated (type 01h)
};

// What a stored record's header says, readable without the key (NEXT BLOCK
// ENCRYPTION STATUS, raw reads).
struct CipherHeader {
  bool raw_read_disabled = false;
  std::array<std::uint8_t, kKeyCheckBytes> key_check{};
  KeyAssociatedData kad;
  std::size_t header_bytes = 0;  // where the IV starts
};

// Parses the header of `stored`; nullopt when it is not a well-formed record
// of this format (too short, unknown format, lengths out of range).
std::optional<CipherHeader> ParseCipherHeader(std::span<const std::uint8_t> stored);
// The same from the first bytes of a stored record of `stored_bytes` bytes
// (`head` holds at least its header).
std::optional<CipherHeader> ParseCipherHeader(std::span<const std::uint8_t> head,
                                              std::size_t stored_bytes);

// Why a decryption failed; each maps to its own SSC-4 sense (cmd_data.cc).
enum class DecryptFailure : std::uint8_t {
  kNone,
  kMalformed,     // not a record of this format, or cut short
  kIncorrectKey,  // written under another key (the key check differs)
  kIntegrity,     // the tag does not verify: ciphertext, tag, header or tag byte changed
};

class RecordCipher {
 public:
  // A cipher for `key` (exactly kDataKeyBytes). Fails only when libcrypto does.
  static Status Create(std::span<const std::uint8_t> key, std::unique_ptr<RecordCipher>& out);
  ~RecordCipher();
  RecordCipher(const RecordCipher&) = delete;
  RecordCipher& operator=(const RecordCipher&) = delete;

  // Appends the stored form of `plaintext` to `out` (cleared first).
  Status Encrypt(std::span<const std::uint8_t> plaintext, const KeyAssociatedData& kad,
                 bool raw_read_disabled, std::span<const std::uint8_t> associated,
                 std::vector<std::uint8_t>& out);

  // Decrypts `stored` into `plaintext` (resized to the plaintext length). On
  // any failure `plaintext` is left empty: no unauthenticated byte escapes.
  DecryptFailure Decrypt(std::span<const std::uint8_t> stored,
                         std::span<const std::uint8_t> associated,
                         std::vector<std::uint8_t>& plaintext);

  // Whether `header` was written under this cipher's key.
  bool KeyMatches(const CipherHeader& header) const;

  // How many bytes a record of `plaintext_bytes` takes stored with `kad`.
  static std::size_t StoredBytes(std::size_t plaintext_bytes, const KeyAssociatedData& kad);

 private:
  struct Impl;
  explicit RecordCipher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vtape::ssc
