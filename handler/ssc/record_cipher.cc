#include "handler/ssc/record_cipher.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <string_view>

namespace vtape::ssc {
namespace {

constexpr std::size_t kFixedHeaderBytes = 12;  // format, flags, key check, two KAD lengths
constexpr std::string_view kKeyCheckDomain = "vtape key check";

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

bool ComputeKeyCheck(std::span<const std::uint8_t> key,
                     std::array<std::uint8_t, kKeyCheckBytes>& out) {
  std::array<std::uint8_t, kKeyCheckDomain.size() + kDataKeyBytes> input{};
  std::copy(kKeyCheckDomain.begin(), kKeyCheckDomain.end(), input.begin());
  std::copy(key.begin(), key.end(), input.begin() + kKeyCheckDomain.size());
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_len = 0;
  const bool ok = EVP_Digest(input.data(), input.size(), digest.data(), &digest_len, EVP_sha256(),
                             nullptr) == 1;
  OPENSSL_cleanse(input.data(), input.size());
  if (ok) std::copy_n(digest.begin(), kKeyCheckBytes, out.begin());
  return ok;
}

int AsInt(std::size_t n) {
  return static_cast<int>(n);
}

}  // namespace

struct RecordCipher::Impl {
  CipherCtx encrypt{EVP_CIPHER_CTX_new()};
  CipherCtx decrypt{EVP_CIPHER_CTX_new()};
  std::array<std::uint8_t, kKeyCheckBytes> key_check{};
  std::array<std::uint8_t, 8> salt{};
  std::uint32_t counter = 0;

  bool NewSalt() {
    counter = 0;
    return RAND_bytes(salt.data(), AsInt(salt.size())) == 1;
  }
};

std::optional<CipherHeader> ParseCipherHeader(std::span<const std::uint8_t> stored) {
  return ParseCipherHeader(stored, stored.size());
}

std::optional<CipherHeader> ParseCipherHeader(std::span<const std::uint8_t> stored,
                                              std::size_t stored_bytes) {
  if (stored.size() < kFixedHeaderBytes || stored[0] != kCipherFormat) return std::nullopt;
  if ((stored[1] & ~0x01) != 0) return std::nullopt;
  const std::size_t u = stored[10], a = stored[11];
  if (u > kMaxUkadBytes || a > kMaxAkadBytes) return std::nullopt;
  const std::size_t header = kFixedHeaderBytes + u + a;
  if (stored.size() < header || stored_bytes < header + kRecordIvBytes + kRecordTagBytes) {
    return std::nullopt;
  }
  CipherHeader h;
  h.raw_read_disabled = stored[1] & 0x01;
  std::copy_n(stored.begin() + 2, kKeyCheckBytes, h.key_check.begin());
  h.kad.ukad.assign(stored.begin() + kFixedHeaderBytes, stored.begin() + kFixedHeaderBytes + u);
  h.kad.akad.assign(stored.begin() + kFixedHeaderBytes + u, stored.begin() + header);
  h.header_bytes = header;
  return h;
}

RecordCipher::RecordCipher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RecordCipher::~RecordCipher() = default;  // EVP_CIPHER_CTX_free cleanses the key schedule

Status RecordCipher::Create(std::span<const std::uint8_t> key, std::unique_ptr<RecordCipher>& out) {
  if (key.size() != kDataKeyBytes) return Status::InvalidArgument("AES-256 takes a 32-byte key");
  auto impl = std::make_unique<Impl>();
  if (!impl->encrypt || !impl->decrypt ||
      EVP_EncryptInit_ex(impl->encrypt.get(), EVP_aes_256_gcm(), nullptr, key.data(), nullptr) !=
          1 ||
      EVP_DecryptInit_ex(impl->decrypt.get(), EVP_aes_256_gcm(), nullptr, key.data(), nullptr) !=
          1 ||
      !ComputeKeyCheck(key, impl->key_check) || !impl->NewSalt()) {
    return Status::IoError("libcrypto could not set up AES-256-GCM");
  }
  out.reset(new RecordCipher(std::move(impl)));
  return Status::Ok();
}

std::size_t RecordCipher::StoredBytes(std::size_t plaintext_bytes, const KeyAssociatedData& kad) {
  return kFixedHeaderBytes + kad.ukad.size() + kad.akad.size() + kRecordIvBytes + plaintext_bytes +
         kRecordTagBytes;
}

Status RecordCipher::Encrypt(std::span<const std::uint8_t> plaintext, const KeyAssociatedData& kad,
                             bool raw_read_disabled, std::span<const std::uint8_t> associated,
                             std::vector<std::uint8_t>& out) {
  if (kad.ukad.size() > kMaxUkadBytes || kad.akad.size() > kMaxAkadBytes) {
    return Status::InvalidArgument("key-associated data too long");
  }
  Impl& m = *impl_;
  if (m.counter == UINT32_MAX && !m.NewSalt()) return Status::IoError("RAND_bytes failed");
  out.assign(StoredBytes(plaintext.size(), kad), 0);
  out[0] = kCipherFormat;
  out[1] = raw_read_disabled ? 0x01 : 0x00;
  std::copy(m.key_check.begin(), m.key_check.end(), out.begin() + 2);
  out[10] = static_cast<std::uint8_t>(kad.ukad.size());
  out[11] = static_cast<std::uint8_t>(kad.akad.size());
  auto at = std::copy(kad.ukad.begin(), kad.ukad.end(), out.begin() + kFixedHeaderBytes);
  at = std::copy(kad.akad.begin(), kad.akad.end(), at);
  const std::size_t header = static_cast<std::size_t>(at - out.begin());
  std::uint8_t* iv = out.data() + header;
  std::copy(m.salt.begin(), m.salt.end(), iv);
  const std::uint32_t n = m.counter++;
  for (int i = 0; i < 4; ++i) iv[8 + i] = static_cast<std::uint8_t>(n >> (24 - 8 * i));
  std::uint8_t* ciphertext = iv + kRecordIvBytes;
  std::uint8_t* tag = ciphertext + plaintext.size();

  EVP_CIPHER_CTX* ctx = m.encrypt.get();
  int len = 0;
  bool ok = EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, iv) == 1 &&
            EVP_EncryptUpdate(ctx, nullptr, &len, out.data(), AsInt(header)) == 1 &&
            (associated.empty() || EVP_EncryptUpdate(ctx, nullptr, &len, associated.data(),
                                                     AsInt(associated.size())) == 1) &&
            (plaintext.empty() || EVP_EncryptUpdate(ctx, ciphertext, &len, plaintext.data(),
                                                    AsInt(plaintext.size())) == 1) &&
            EVP_EncryptFinal_ex(ctx, tag, &len) == 1 &&  // GCM writes nothing here
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, AsInt(kRecordTagBytes), tag) == 1;
  if (!ok) {
    out.clear();
    return Status::IoError("AES-256-GCM encryption failed");
  }
  return Status::Ok();
}

bool RecordCipher::KeyMatches(const CipherHeader& header) const {
  return CRYPTO_memcmp(header.key_check.data(), impl_->key_check.data(), kKeyCheckBytes) == 0;
}

DecryptFailure RecordCipher::Decrypt(std::span<const std::uint8_t> stored,
                                     std::span<const std::uint8_t> associated,
                                     std::vector<std::uint8_t>& plaintext) {
  plaintext.clear();
  std::optional<CipherHeader> header = ParseCipherHeader(stored);
  if (!header) return DecryptFailure::kMalformed;
  if (!KeyMatches(*header)) return DecryptFailure::kIncorrectKey;
  const std::uint8_t* iv = stored.data() + header->header_bytes;
  const std::uint8_t* ciphertext = iv + kRecordIvBytes;
  const std::size_t n = stored.size() - header->header_bytes - kRecordIvBytes - kRecordTagBytes;
  std::array<std::uint8_t, kRecordTagBytes> tag{};
  std::copy_n(ciphertext + n, kRecordTagBytes, tag.begin());

  plaintext.resize(n);
  EVP_CIPHER_CTX* ctx = impl_->decrypt.get();
  int len = 0;
  const bool decrypted =
      EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, iv) == 1 &&
      EVP_DecryptUpdate(ctx, nullptr, &len, stored.data(), AsInt(header->header_bytes)) == 1 &&
      (associated.empty() ||
       EVP_DecryptUpdate(ctx, nullptr, &len, associated.data(), AsInt(associated.size())) == 1) &&
      (n == 0 || EVP_DecryptUpdate(ctx, plaintext.data(), &len, ciphertext, AsInt(n)) == 1) &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, AsInt(kRecordTagBytes), tag.data()) == 1;
  std::array<std::uint8_t, 16> none{};  // GCM's final step outputs no bytes
  const bool verified = decrypted && EVP_DecryptFinal_ex(ctx, none.data(), &len) == 1;
  if (!verified) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    plaintext.clear();
    return DecryptFailure::kIntegrity;
  }
  return DecryptFailure::kNone;
}

}  // namespace vtape::ssc
