// What each decryption mode makes of encrypted and plain records (SSC-4
// 4.2.26), with the DATA PROTECT additional sense code of each refusal.
#include "handler/ssc/record_crypt.h"

#include <gtest/gtest.h>

namespace vtape::ssc {
namespace {

using Bytes = std::vector<std::uint8_t>;

EncryptionParameters Params(EncryptionMode e, DecryptionMode d, std::uint8_t key_seed,
                            std::uint8_t rdmc = kRdmcDefault) {
  EncryptionParameters p;
  p.set = true;
  p.encryption = e;
  p.decryption = d;
  p.rdmc = rdmc;
  p.algorithm_index = kAesGcmAlgorithmIndex;
  if (key_seed != 0) {
    Bytes key(32, key_seed);
    EXPECT_TRUE(RecordCipher::Create(key, p.cipher).ok());
  }
  return p;
}

const Bytes kData = {1, 2, 3, 4, 5, 6, 7, 8};
constexpr std::uint8_t kPlainTag = 0x00, kEncryptedTag = 0x80;

Bytes Stored(std::uint8_t rdmc = kRdmcDefault) {
  Bytes stored;
  EXPECT_TRUE(EncryptRecord(Params(EncryptionMode::kEncrypt, DecryptionMode::kDecrypt, 7, rdmc),
                            kData, kEncryptedTag, stored)
                  .ok());
  return stored;
}

struct Expect {
  std::optional<spc::Asc> refused;
  bool decrypted;
};

void Check(const EncryptionParameters& p, const Bytes& stored, std::uint8_t tag, Expect e,
           const char* what) {
  Bytes plain;
  ReadOutcome o = DecodeRecord(p, stored, tag, plain);
  ASSERT_EQ(o.refused.has_value(), e.refused.has_value()) << what;
  if (e.refused) {
    EXPECT_EQ(o.refused->asc, e.refused->asc) << what;
    EXPECT_EQ(o.refused->ascq, e.refused->ascq) << what;
  }
  EXPECT_EQ(o.decrypted, e.decrypted) << what;
  EXPECT_EQ(plain, e.decrypted ? kData : Bytes{}) << what;
}

TEST(RecordCrypt, EncryptedRecordUnderEachMode) {
  const Bytes stored = Stored();
  Check(Params(EncryptionMode::kDisable, DecryptionMode::kDisable, 0), stored, kEncryptedTag,
        {spc::Asc{0x74, 0x01}, false}, "DISABLE: unable to decrypt");
  Check(Params(EncryptionMode::kEncrypt, DecryptionMode::kDecrypt, 7), stored, kEncryptedTag,
        {std::nullopt, true}, "DECRYPT, its key");
  Check(Params(EncryptionMode::kEncrypt, DecryptionMode::kMixed, 7), stored, kEncryptedTag,
        {std::nullopt, true}, "MIXED, its key");
  Check(Params(EncryptionMode::kEncrypt, DecryptionMode::kDecrypt, 8), stored, kEncryptedTag,
        {spc::Asc{0x74, 0x03}, false}, "another key: incorrect key");
  Check(Params(EncryptionMode::kDisable, DecryptionMode::kRaw, 0), stored, kEncryptedTag,
        {spc::Asc{0x74, 0x0A}, false}, "RAW, marked disabled by default");
  Check(Params(EncryptionMode::kDisable, DecryptionMode::kRaw, 0), Stored(kRdmcEnable),
        kEncryptedTag, {std::nullopt, false}, "RAW, marked enabled: the stored bytes");
  Bytes flipped = stored;
  flipped[flipped.size() / 2] ^= 0x10;
  Check(Params(EncryptionMode::kEncrypt, DecryptionMode::kDecrypt, 7), flipped, kEncryptedTag,
        {spc::Asc{0x74, 0x04}, false}, "a flipped byte: integrity");
  Check(Params(EncryptionMode::kEncrypt, DecryptionMode::kDecrypt, 7), stored, kEncryptedTag | 1,
        {spc::Asc{0x74, 0x04}, false}, "another tag: integrity");
}

TEST(RecordCrypt, PlainRecordUnderEachMode) {
  Check(Params(EncryptionMode::kDisable, DecryptionMode::kDisable, 0), kData, kPlainTag,
        {std::nullopt, false}, "DISABLE reads plain records");
  Check(Params(EncryptionMode::kEncrypt, DecryptionMode::kMixed, 7), kData, kPlainTag,
        {std::nullopt, false}, "MIXED reads plain records");
  Check(Params(EncryptionMode::kDisable, DecryptionMode::kRaw, 0), kData, kPlainTag,
        {std::nullopt, false}, "RAW reads plain records");
  Check(Params(EncryptionMode::kEncrypt, DecryptionMode::kDecrypt, 7), kData, kPlainTag,
        {spc::Asc{0x74, 0x02}, false}, "DECRYPT refuses plain records");
}

}  // namespace
}  // namespace vtape::ssc
