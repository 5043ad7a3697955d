// The data path with encryption on (issue 12): WRITE stores each record as
// AES-256-GCM ciphertext with the record tag 80h; READ and VERIFY give the
// plaintext back, or DATA PROTECT with the SSC-4 74h/xxh of each refusal.
// Exact data, sense bytes, positions and stored lengths.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "medium_drive.h"
#include "security_pages.h"
#include "ssc_test_util.h"
#include "vtape/registry.h"

namespace vtape::ssc::testing {
namespace {

// Header (12 bytes, no KAD), IV (12) and GCM tag (16) of each stored record.
constexpr std::uint64_t kCipherOverhead = 40;
constexpr std::uint8_t kEncrypt = 2, kDecrypt = 2, kMixed = 3, kOff = 0;

Bytes OtherKey() {
  Bytes k = TestKey();
  k[31] ^= 0x01;
  return k;
}

// A drive whose key the test sets (SECURITY PROTOCOL OUT page 0010h).
struct Crypt : MediumDrive {
  explicit Crypt(std::uint64_t buffer_bytes = 0, const std::string& personality = "generic")
      : MediumDrive(buffer_bytes, personality) {}

  void SetKey(std::uint8_t encryption, std::uint8_t decryption, const Bytes& key = TestKey()) {
    const Bytes page = StencPage(encryption, decryption, 1, key);
    Run(SpoutCdb(0x0010, static_cast<std::uint32_t>(page.size())), page);
    ASSERT_EQ(status(), kStatusGood) << ::testing::PrintToString(sense());
  }
  void KeyOff() {
    const Bytes page = StencPage(kOff, kOff, 0, Bytes(32, 0));
    Run(SpoutCdb(0x0010, static_cast<std::uint32_t>(page.size())), page);
    ASSERT_EQ(status(), kStatusGood);
  }
};

Bytes DataProtect(std::uint8_t ascq, std::int32_t residual) {
  return ExpectSense(0x07, 0x74, ascq, 0, residual);
}

TEST(EncryptedData, WrittenAsCiphertextReadBackAsPlaintext) {
  Crypt h;
  h.SetKey(kEncrypt, kDecrypt);
  h.Write(Pattern(1000, 1));
  h.Write(Pattern(3000, 2));
  h.Rewind();
  h.Run(Read6(1000), {}, 1000);
  ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  EXPECT_EQ(h.data(), Pattern(1000, 1));
  h.Run(Read6(3000), {}, 3000);
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), Pattern(3000, 2));
  EXPECT_EQ(h.Object(), 2u);
  // On the medium: tag 80h, 40 bytes more than the record, no plaintext.
  std::uint8_t tag = 0;
  const Bytes stored = h.Stored(0, tag);
  EXPECT_EQ(tag, 0x80);
  EXPECT_EQ(stored.size(), 1000 + kCipherOverhead);
  const Bytes record = Pattern(1000, 1);
  const Bytes probe(record.begin() + 100, record.begin() + 116);
  EXPECT_EQ(std::search(stored.begin(), stored.end(), probe.begin(), probe.end()), stored.end());
}

TEST(EncryptedData, CapacityCountsTheStoredBytes) {
  Crypt h;
  h.Write(Pattern(1000));
  const std::uint64_t plain = h.drive().medium()->GetPosition().bytes_before;
  h.SetKey(kEncrypt, kDecrypt);
  h.Write(Pattern(1000));
  EXPECT_EQ(h.drive().medium()->GetPosition().bytes_before, 2 * plain + kCipherOverhead);
}

TEST(EncryptedData, ReadWithoutTheKeyIsUnableToDecrypt) {
  Crypt h;
  h.SetKey(kEncrypt, kDecrypt);
  h.Write(Pattern(1000));
  h.Write(Pattern(500));
  h.KeyOff();
  h.Rewind();
  h.Run(Read6(1000), {}, 1000);
  EXPECT_EQ(h.sense(), DataProtect(0x01, 1000));
  EXPECT_EQ(h.result().data_in_len, 0u);
  EXPECT_EQ(h.Object(), 1u);  // past the record it could not decrypt
  // Decryption DISABLE with encryption on: the same.
  h.SetKey(kEncrypt, kOff);
  h.Run(Read6(500), {}, 500);
  EXPECT_EQ(h.sense(), DataProtect(0x01, 500));
  EXPECT_EQ(h.Object(), 2u);
}

TEST(EncryptedData, AnotherKeyIsIncorrectKey) {
  Crypt h;
  h.SetKey(kEncrypt, kDecrypt);
  h.Write(Pattern(1000));
  h.SetKey(kEncrypt, kDecrypt, OtherKey());
  h.Rewind();
  h.Run(Read6(1000), {}, 1000);
  EXPECT_EQ(h.sense(), DataProtect(0x03, 1000));
  EXPECT_EQ(h.result().data_in_len, 0u);
}

TEST(EncryptedData, ADamagedStoredByteFailsIntegrityNeverGivesData) {
  Crypt h;
  h.SetKey(kEncrypt, kDecrypt);
  h.Write(Pattern(1000));
  std::uint8_t tag = 0;
  Bytes stored = h.Stored(0, tag);
  stored[500] ^= 0x01;  // inside the ciphertext
  SpaceResult moved;
  ASSERT_TRUE(h.medium->Locate(0, 0, moved).ok());
  const ConstPiece piece[1] = {stored};
  ASSERT_TRUE(h.medium->WriteTagged(piece, tag).ok());
  h.Rewind();
  h.Run(Read6(1000), {}, 1000);
  EXPECT_EQ(h.sense(), DataProtect(0x04, 1000));
  EXPECT_EQ(h.result().data_in_len, 0u);
}

TEST(EncryptedData, MixedTapePlainAndEncryptedRecords) {
  Crypt h;
  h.Write(Pattern(100, 1));  // plain
  h.SetKey(kEncrypt, kMixed);
  h.Write(Pattern(200, 2));  // encrypted
  h.KeyOff();
  h.Write(Pattern(300, 3));  // plain
  std::uint8_t tag = 0xFF;
  EXPECT_EQ(h.Stored(0, tag), Pattern(100, 1));
  EXPECT_EQ(tag, 0x00);
  EXPECT_EQ(h.Stored(1, tag).size(), 200 + kCipherOverhead);
  EXPECT_EQ(tag, 0x80);
  // MIXED reads both kinds.
  h.SetKey(kOff, kMixed);
  h.Rewind();
  for (std::uint8_t i = 1; i <= 3; ++i) {
    h.Run(Read6(100u * i), {}, 100u * i);
    ASSERT_EQ(h.status(), kStatusGood) << int(i);
    EXPECT_EQ(h.data(), Pattern(100u * i, i));
  }
  // DECRYPT refuses the plain ones (74h/02h) and reads the encrypted one.
  h.SetKey(kOff, kDecrypt);
  h.Rewind();
  h.Run(Read6(100), {}, 100);
  EXPECT_EQ(h.sense(), DataProtect(0x02, 100));
  h.Run(Read6(200), {}, 200);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), Pattern(200, 2));
  h.Run(Read6(300), {}, 300);
  EXPECT_EQ(h.sense(), DataProtect(0x02, 300));
  // Without a key, the plain records read and the encrypted one does not.
  h.KeyOff();
  h.Rewind();
  h.Run(Read6(100), {}, 100);
  EXPECT_EQ(h.data(), Pattern(100, 1));
  h.Run(Read6(200), {}, 200);
  EXPECT_EQ(h.sense(), DataProtect(0x01, 200));
  h.Run(Read6(300), {}, 300);
  EXPECT_EQ(h.data(), Pattern(300, 3));
}

TEST(EncryptedData, IncorrectLengthCountsThePlaintext) {
  Crypt h;
  h.SetKey(kEncrypt, kDecrypt);
  h.Write(Pattern(1000, 1));
  h.Write(Pattern(1000, 2));
  h.Write(Pattern(1000, 3));
  h.Rewind();
  // -400 and 1000, not the stored record's -440 and 960.
  ExpectResiduesCountHostBytes(h);
  // Exactly the plaintext length, though 40 bytes more are stored: GOOD.
  h.Run(Read6(1000), {}, 1000);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), Pattern(1000, 3));
}

TEST(EncryptedData, FixedBlockMode) {
  Crypt h;
  h.Run({0x15, 0x10, 0, 0, 12, 0}, {0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 0x02, 0x00});  // 512
  ASSERT_EQ(h.status(), kStatusGood);
  h.SetKey(kEncrypt, kDecrypt);
  const Bytes blocks = Pattern(4 * 512, 5);
  h.Run(Write6(4, true), blocks);
  ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  EXPECT_EQ(h.Object(), 4u);
  h.Rewind();
  h.Run(Read6(4, true), {}, 4 * 512);
  ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  EXPECT_EQ(h.data(), blocks);
  std::uint8_t tag = 0;
  EXPECT_EQ(h.Stored(3, tag).size(), 512 + kCipherOverhead);
  EXPECT_EQ(tag, 0x80);
  // Without the key: the blocks before the refused one are transferred, the
  // residual counts blocks.
  h.Rewind();
  h.Run(Read6(1, true), {}, 512);
  ASSERT_EQ(h.status(), kStatusGood);
  h.KeyOff();
  h.Run(Read6(3, true), {}, 3 * 512);
  EXPECT_EQ(h.sense(), DataProtect(0x01, 3));
  EXPECT_EQ(h.result().data_in_len, 0u);
}

TEST(EncryptedData, VerifyDecryptsAndCompares) {
  Crypt h;
  h.SetKey(kEncrypt, kDecrypt);
  const Bytes record = Pattern(1000, 9);
  h.Write(record);
  h.Write(record);
  h.Rewind();
  // VERIFY(6) BYTCMP with the plaintext: GOOD.
  h.Run({0x13, 0x02, 0x00, 0x03, 0xE8, 0}, record);
  EXPECT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  // Without BYTCMP, the length is the plaintext's: 1040 is an incorrect length.
  h.Run({0x13, 0x00, 0x00, 0x04, 0x10, 0});
  EXPECT_EQ(h.sense(), ExpectSense(0x00, 0x00, 0x00, kIli, 40));
  // Without the key: DATA PROTECT 74h/01h.
  h.KeyOff();
  h.Rewind();
  h.Run({0x13, 0x00, 0x00, 0x03, 0xE8, 0});
  EXPECT_EQ(h.sense(), DataProtect(0x01, 1000));
  // VERIFY to end of data stops at the encrypted record too.
  h.Rewind();
  h.Run({0x13, 0x20, 0, 0, 0, 0});
  EXPECT_EQ(h.sense(), DataProtect(0x01, 0));
}

TEST(EncryptedData, NextBlockStatusSaysEncrypted) {
  Crypt h;
  h.SetKey(kEncrypt, kDecrypt);
  h.Write(Pattern(100));
  h.Rewind();
  auto next_status = [&h] {
    h.Run({0xA2, 0x20, 0x00, 0x21, 0, 0, 0, 0, 0x10, 0, 0, 0}, {}, 4096);
    return h.data().at(12) & 0x0F;
  };
  EXPECT_EQ(next_status(), 0x05);  // encrypted, the key decrypts it
  h.SetKey(kEncrypt, kDecrypt, OtherKey());
  EXPECT_EQ(next_status(), 0x06);  // encrypted, not with this key
  EXPECT_EQ(h.Object(), 0u);
}

// Through the drive's buffer (buffered writes, read-ahead) and in unbuffered
// mode (WriteThrough): the same records.
TEST(EncryptedData, BufferedAndUnbufferedModes) {
  for (const bool unbuffered : {false, true}) {
    Crypt h(1 << 20);
    if (unbuffered) {
      h.Run({0x15, 0x10, 0, 0, 4, 0}, {0, 0, 0x00, 0});  // BUFFERED MODE 0
      ASSERT_EQ(h.status(), kStatusGood);
    }
    h.SetKey(kEncrypt, kDecrypt);
    for (std::uint8_t i = 1; i <= 5; ++i) h.Write(Pattern(700, i));
    h.Rewind();
    for (std::uint8_t i = 1; i <= 5; ++i) {
      h.Run(Read6(700), {}, 700);
      ASSERT_EQ(h.status(), kStatusGood) << unbuffered << int(i);
      EXPECT_EQ(h.data(), Pattern(700, i));
    }
    h.KeyOff();
    h.Rewind();
    h.Run(Read6(700), {}, 700);
    EXPECT_EQ(h.sense(), DataProtect(0x01, 700)) << unbuffered;
  }
}

// The image file itself: the plaintext is nowhere in it with encryption on
// (and is there without, so the search can fail).
TEST(EncryptedData, TheImageHoldsNoPlaintext) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("vtape_crypt_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string marker = "vtape-plaintext-marker-0123456789";
  Bytes text;
  for (int i = 0; i < 50; ++i) text.insert(text.end(), marker.begin(), marker.end());
  for (const bool encrypt : {true, false}) {
    const std::string image = (dir / (encrypt ? "e.img" : "p.img")).string();
    CreateOptions create;
    create.capacity_bytes = 16 << 20;
    create.early_warning_bytes = 1 << 20;
    ASSERT_TRUE(CreateTape("file:" + image, create).ok());
    {
      DriveHarness h("file:" + image);
      h.ClearPowerOnAttention();
      if (encrypt) {
        const Bytes page = StencPage(kEncrypt, kDecrypt, 1, TestKey());
        h.Run(SpoutCdb(0x0010, static_cast<std::uint32_t>(page.size())), page);
        ASSERT_EQ(h.status(), kStatusGood);
      }
      h.Run(Write6(static_cast<std::uint32_t>(text.size())), text);
      ASSERT_EQ(h.status(), kStatusGood);
      h.Run(WriteFilemarks6(1));
      h.Run(RewindCdb());
      h.Run(Read6(static_cast<std::uint32_t>(text.size())), {}, text.size());
      ASSERT_EQ(h.status(), kStatusGood);
      EXPECT_EQ(h.data(), text);
    }
    std::ifstream in(image, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(marker) == std::string::npos, encrypt) << image;
    const Bytes key = TestKey();
    EXPECT_EQ(std::search(bytes.begin(), bytes.end(), key.begin(), key.begin() + 8), bytes.end());
  }
  std::filesystem::remove_all(dir);
}

// stenc --detail after an unload and load that cleared the key (CKOD): the
// next block is encrypted and cannot be decrypted (06h), with its U-KAD.
TEST(EncryptedData, NextBlockStatusAfterTheKeyWasClearedOnUnload) {
  Crypt h;
  const Bytes page = StencPage(kEncrypt, kDecrypt, 1, TestKey(), "nightly", 0x04);  // CKOD
  h.Run(SpoutCdb(0x0010, static_cast<std::uint32_t>(page.size())), page);
  ASSERT_EQ(h.status(), kStatusGood);
  h.Write(Pattern(10240));
  h.Run(LoadUnload(0x00));
  ASSERT_EQ(h.status(), kStatusGood);
  h.Run(LoadUnload(0x01));
  h.Run(Tur());  // the load's unit attention
  h.Run(Tur());
  ASSERT_EQ(h.status(), kStatusGood);
  h.Run({0xA2, 0x20, 0x00, 0x21, 0, 0, 0, 0, 0x10, 0, 0, 0}, {}, 4096);
  ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  // Object 0; status 06h (encrypted, no key to decrypt it), algorithm 1,
  // RDMDS (the record is marked disabled for raw reads); the record's U-KAD.
  EXPECT_EQ(h.data(),
            (Bytes{0,    0x21, 0,    0x17, 0,    0,    0,   0,   0,   0,   0,   0,   0x06, 0x01,
                   0x01, 0x00, 0x00, 0x01, 0x00, 0x07, 'n', 'i', 'g', 'h', 't', 'l', 'y'}));
}

// RAW decryption mode: a record written with raw reads enabled (RDMC 10b) is
// delivered as stored (its length the stored one); one written with the
// default marking is refused with 74h/0Ah.
TEST(EncryptedData, RawReadsDeliverTheStoredRecordUnlessMarkedDisabled) {
  Crypt h;
  const Bytes enabled = StencPage(kEncrypt, kDecrypt, 1, TestKey(), "", 0x20);  // RDMC 10b
  h.Run(SpoutCdb(0x0010, static_cast<std::uint32_t>(enabled.size())), enabled);
  ASSERT_EQ(h.status(), kStatusGood);
  h.Write(Pattern(500, 1));
  h.SetKey(kEncrypt, kDecrypt);  // RDMC 00b: marked disabled
  h.Write(Pattern(500, 2));
  std::uint8_t tag = 0;
  const Bytes stored = h.Stored(0, tag);
  Bytes raw = StencPage(kOff, 1, 1, {});
  raw[19] = 0;  // no key
  h.Run(SpoutCdb(0x0010, static_cast<std::uint32_t>(raw.size())), raw);
  ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  h.Rewind();
  h.Run(Read6(540), {}, 540);
  ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  EXPECT_EQ(h.data(), stored);
  h.Run(Read6(540), {}, 540);
  EXPECT_EQ(h.sense(), DataProtect(0x0A, 540));
  EXPECT_EQ(h.result().data_in_len, 0u);
}

}  // namespace
}  // namespace vtape::ssc::testing
