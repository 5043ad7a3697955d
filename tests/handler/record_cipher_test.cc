// The AES-256-GCM record cipher: what it stores, and that every kind of
// damage or wrong key is refused with its own answer and no plaintext.
#include "handler/ssc/record_cipher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace vtape::ssc {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes Key(std::uint8_t seed) {
  Bytes k(32);
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + 3 * i);
  return k;
}

std::unique_ptr<RecordCipher> Cipher(std::uint8_t seed) {
  std::unique_ptr<RecordCipher> c;
  Status s = RecordCipher::Create(Key(seed), c);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return c;
}

const Bytes kPlain = {'s', 'e', 'c', 'r', 'e', 't', ' ', 'r', 'e', 'c', 'o', 'r', 'd'};
const Bytes kTagByte = {0x80};

Bytes Encrypt(RecordCipher& c, const Bytes& plain, const KeyAssociatedData& kad = {},
              bool raw_disabled = true) {
  Bytes out;
  Status s = c.Encrypt(plain, kad, raw_disabled, kTagByte, out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

TEST(RecordCipher, RoundTripAndLayout) {
  auto c = Cipher(1);
  KeyAssociatedData kad{{'k', 'e', 'y', '1'}, {0xA1, 0xA2}};
  Bytes stored = Encrypt(*c, kPlain, kad);
  ASSERT_EQ(stored.size(), 12 + 4 + 2 + 12 + kPlain.size() + 16);
  EXPECT_EQ(RecordCipher::StoredBytes(kPlain.size(), kad), stored.size());
  EXPECT_EQ(stored[0], 0x01);  // format
  EXPECT_EQ(stored[1], 0x01);  // marked disabled for raw reads
  EXPECT_EQ(stored[10], 4);
  EXPECT_EQ(stored[11], 2);
  EXPECT_EQ(Bytes(stored.begin() + 12, stored.begin() + 18),
            (Bytes{'k', 'e', 'y', '1', 0xA1, 0xA2}));
  // The IV's last four bytes count records from 0.
  EXPECT_EQ(Bytes(stored.begin() + 18 + 8, stored.begin() + 18 + 12), (Bytes{0, 0, 0, 0}));
  // Neither the plaintext nor the key appears in what is stored.
  EXPECT_EQ(std::search(stored.begin(), stored.end(), kPlain.begin(), kPlain.end()), stored.end());
  const Bytes key = Key(1);
  EXPECT_EQ(std::search(stored.begin(), stored.end(), key.begin(), key.begin() + 8), stored.end());

  Bytes plain;
  EXPECT_EQ(c->Decrypt(stored, kTagByte, plain), DecryptFailure::kNone);
  EXPECT_EQ(plain, kPlain);
  // A second cipher with the same key (the key set again) reads it too.
  EXPECT_EQ(Cipher(1)->Decrypt(stored, kTagByte, plain), DecryptFailure::kNone);
  EXPECT_EQ(plain, kPlain);

  std::optional<CipherHeader> h = ParseCipherHeader(stored);
  ASSERT_TRUE(h.has_value());
  EXPECT_TRUE(h->raw_read_disabled);
  EXPECT_EQ(h->kad.ukad, kad.ukad);
  EXPECT_EQ(h->kad.akad, kad.akad);
  EXPECT_EQ(h->header_bytes, 18u);
  EXPECT_TRUE(c->KeyMatches(*h));
  EXPECT_FALSE(Cipher(2)->KeyMatches(*h));
}

TEST(RecordCipher, EmptyAndLargeRecordsRoundTrip) {
  auto c = Cipher(5);
  Bytes big(1 << 20);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 31 + 7);
  for (const Bytes& p : {Bytes{}, Bytes{0x42}, big}) {
    Bytes stored = Encrypt(*c, p), plain{1, 2, 3};
    ASSERT_EQ(c->Decrypt(stored, kTagByte, plain), DecryptFailure::kNone);
    EXPECT_EQ(plain, p);
  }
}

TEST(RecordCipher, EveryRecordGetsItsOwnIv) {
  auto c = Cipher(3);
  std::set<Bytes> ivs;
  for (int i = 0; i < 100; ++i) {
    Bytes stored = Encrypt(*c, kPlain);
    ivs.insert(Bytes(stored.begin() + 12, stored.begin() + 24));
  }
  EXPECT_EQ(ivs.size(), 100u);
  // Another cipher on the same key draws another salt.
  Bytes other = Encrypt(*Cipher(3), kPlain);
  EXPECT_EQ(ivs.count(Bytes(other.begin() + 12, other.begin() + 24)), 0u);
}

TEST(RecordCipher, WrongKeyIsIncorrectKey) {
  Bytes stored = Encrypt(*Cipher(1), kPlain);
  Bytes plain{9};
  EXPECT_EQ(Cipher(2)->Decrypt(stored, kTagByte, plain), DecryptFailure::kIncorrectKey);
  EXPECT_TRUE(plain.empty());
}

TEST(RecordCipher, TamperedCiphertextFailsIntegrity) {
  auto c = Cipher(1);
  Bytes stored = Encrypt(*c, kPlain);
  stored[24 + 3] ^= 0x01;  // a ciphertext byte
  Bytes plain{9};
  EXPECT_EQ(c->Decrypt(stored, kTagByte, plain), DecryptFailure::kIntegrity);
  EXPECT_TRUE(plain.empty());
}

TEST(RecordCipher, TamperedTagFailsIntegrity) {
  auto c = Cipher(1);
  Bytes stored = Encrypt(*c, kPlain);
  stored.back() ^= 0x80;
  Bytes plain{9};
  EXPECT_EQ(c->Decrypt(stored, kTagByte, plain), DecryptFailure::kIntegrity);
  EXPECT_TRUE(plain.empty());
}

TEST(RecordCipher, TamperedHeaderOrRecordTagFailsIntegrity) {
  auto c = Cipher(1);
  KeyAssociatedData kad{{'n', 'a', 'm', 'e'}, {}};
  Bytes stored = Encrypt(*c, kPlain, kad);
  Bytes plain;
  Bytes flags = stored;
  flags[1] = 0x00;  // claim the record may be raw read
  EXPECT_EQ(c->Decrypt(flags, kTagByte, plain), DecryptFailure::kIntegrity);
  Bytes name = stored;
  name[12] = 'N';
  EXPECT_EQ(c->Decrypt(name, kTagByte, plain), DecryptFailure::kIntegrity);
  EXPECT_EQ(c->Decrypt(stored, Bytes{0x81}, plain), DecryptFailure::kIntegrity);
  EXPECT_TRUE(plain.empty());
}

TEST(RecordCipher, MalformedRecordsAreRefused) {
  auto c = Cipher(1);
  Bytes stored = Encrypt(*c, kPlain);
  Bytes plain;
  EXPECT_EQ(c->Decrypt(Bytes(stored.begin(), stored.begin() + 39), kTagByte, plain),
            DecryptFailure::kMalformed);
  Bytes format = stored;
  format[0] = 0x02;
  EXPECT_EQ(c->Decrypt(format, kTagByte, plain), DecryptFailure::kMalformed);
  Bytes kad = stored;
  kad[10] = 33;  // longer than a U-KAD may be
  EXPECT_EQ(c->Decrypt(kad, kTagByte, plain), DecryptFailure::kMalformed);
  EXPECT_FALSE(ParseCipherHeader(Bytes{}).has_value());
}

TEST(RecordCipher, KeysOfOtherSizesAreRefused) {
  std::unique_ptr<RecordCipher> c;
  EXPECT_EQ(RecordCipher::Create(Bytes(16, 1), c).code(), Code::kInvalidArgument);
  EXPECT_EQ(c, nullptr);
}

}  // namespace
}  // namespace vtape::ssc
