// The data path with compression (issue 12): while mode page 0Fh DCE is set,
// WRITE stores each record LZ4-compressed with the record tag 01h when that is
// smaller (as it is), else as it came; READ and VERIFY give the host's bytes
// back whatever DCE says; with encryption on, the record is compressed, then
// encrypted (tag 81h). Exact data, sense, positions and stored bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "medium_drive.h"
#include "security_pages.h"
#include "ssc_test_util.h"
#include "vtape/record_codec.h"

namespace vtape::ssc::testing {
namespace {

constexpr std::uint8_t kLz4 = 0x01;

Bytes Random(std::size_t size, std::uint32_t seed) {
  std::mt19937 generator(seed);
  Bytes b(size);
  for (std::uint8_t& byte : b) byte = static_cast<std::uint8_t>(generator());
  return b;
}

void SelectCompression(MediumDrive& h, bool on) {
  h.Run(ModeSelect6(20), CompressionSelectList(on));
  ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
}

// The host bytes of `stored`, a record of codec `tag`.
Bytes Decoded(std::uint8_t tag, const Bytes& stored) {
  Bytes out;
  EXPECT_TRUE(DecompressRecord(tag, stored, out).ok());
  return out;
}

TEST(CompressedData, IbmDriveCompressesFromPowerOn) {
  MediumDrive h(0, "ibm-lto8");
  const Bytes record = Pattern(65536, 3);
  h.Write(record);
  EXPECT_EQ(h.Object(), 1u);
  std::uint8_t tag = 0;
  const Bytes stored = h.Stored(0, tag);
  EXPECT_EQ(tag, kLz4);
  // The host length (65536, little-endian), then the LZ4 block.
  ASSERT_GE(stored.size(), 4u);
  EXPECT_EQ(Bytes(stored.begin(), stored.begin() + 4), (Bytes{0x00, 0x00, 0x01, 0x00}));
  EXPECT_LT(stored.size(), 1000u);
  EXPECT_EQ(Decoded(tag, stored), record);
  h.Rewind();
  h.Run(Read6(65536), {}, 65536);
  ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  EXPECT_EQ(h.data(), record);
  EXPECT_EQ(h.Object(), 1u);
}

TEST(CompressedData, GenericDriveStoresRecordsAsTheyCame) {
  MediumDrive h;
  h.Write(Pattern(4096, 1));
  std::uint8_t tag = 0xFF;
  EXPECT_EQ(h.Stored(0, tag), Pattern(4096, 1));
  EXPECT_EQ(tag, 0x00);
}

TEST(CompressedData, IncompressibleRecordIsStoredAsItCame) {
  MediumDrive h(0, "hp-lto8");
  const Bytes record = Random(65536, 7);
  h.Write(record);
  std::uint8_t tag = 0xFF;
  EXPECT_EQ(h.Stored(0, tag), record);
  EXPECT_EQ(tag, 0x00);
  // So is a record too short for a codec header to pay.
  h.Write(Bytes(4, 0));
  EXPECT_EQ(h.Stored(1, tag), Bytes(4, 0));
  EXPECT_EQ(tag, 0x00);
}

TEST(CompressedData, DceFollowsModeSelectAndAMixedMediumReadsBack) {
  MediumDrive h;
  SelectCompression(h, true);
  h.Write(Pattern(20000, 1));
  SelectCompression(h, false);
  h.Write(Pattern(20000, 2));
  SelectCompression(h, true);
  h.Write(Pattern(20000, 3));
  std::uint8_t tags[3] = {};
  for (std::uint64_t i = 0; i < 3; ++i) h.Stored(i, tags[i]);
  EXPECT_EQ(tags[0], kLz4);
  EXPECT_EQ(tags[1], 0x00);
  EXPECT_EQ(tags[2], kLz4);
  // Read back with compression off: records are decompressed whatever DCE says.
  SelectCompression(h, false);
  h.Rewind();
  for (std::uint8_t seed = 1; seed <= 3; ++seed) {
    h.Run(Read6(20000), {}, 20000);
    ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
    EXPECT_EQ(h.data(), Pattern(20000, seed));
  }
}

TEST(CompressedData, PositionAndCapacityCountStoredBytes) {
  MediumDrive h(0, "ibm-lto8");
  h.Write(Pattern(65536, 1));
  std::uint8_t tag = 0;
  const std::uint64_t stored = h.Stored(0, tag).size();
  h.Write(Pattern(65536, 2));
  const std::uint64_t after_two = h.drive().medium()->GetPosition().bytes_before;
  SelectCompression(h, false);
  h.Write(Pattern(65536, 3));
  const std::uint64_t after_three = h.drive().medium()->GetPosition().bytes_before;
  // A raw record adds its 65536 bytes; the compressed ones added far fewer.
  EXPECT_EQ(after_three - after_two, 65536u);
  EXPECT_LT(after_two, 2 * (stored + 64));
  MediumInfo info;
  ASSERT_TRUE(h.drive().medium()->Stat(info).ok());
  EXPECT_EQ(info.used_bytes, after_three);
}

TEST(CompressedData, IncorrectLengthCountsTheHostBytes) {
  MediumDrive h(0, "ibm-lto8");
  h.Write(Pattern(1000, 1));
  h.Write(Pattern(1000, 2));
  h.Rewind();
  ExpectResiduesCountHostBytes(h);
  EXPECT_EQ(h.Object(), 2u);
}

TEST(CompressedData, FixedBlocksAndVerify) {
  MediumDrive h(0, "ibm-lto8");
  h.Run({0x15, 0x10, 0, 0, 12, 0}, {0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 0x02, 0x00});  // 512
  ASSERT_EQ(h.status(), kStatusGood);
  const Bytes blocks = Pattern(4 * 512, 5);
  h.Run(Write6(4, true), blocks);
  ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  std::uint8_t tag = 0;
  EXPECT_LT(h.Stored(3, tag).size(), 512u);
  EXPECT_EQ(tag, kLz4);
  h.Rewind();
  h.Run(Read6(4, true), {}, 4 * 512);
  ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  EXPECT_EQ(h.data(), blocks);
  // VERIFY(6) FIXED BYTCMP of the first two blocks against the host's bytes.
  h.Rewind();
  h.Run({0x13, 0x03, 0x00, 0x00, 0x02, 0}, Bytes(blocks.begin(), blocks.begin() + 1024));
  EXPECT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  EXPECT_EQ(h.Object(), 2u);
}

TEST(CompressedData, ADamagedCompressedRecordIsAMediumErrorNeverData) {
  MediumDrive h(0, "ibm-lto8");
  // A record whose codec header claims more bytes than its block holds.
  const Bytes bogus = {0x00, 0x10, 0x00, 0x00, 0x10, 0x41};
  const ConstPiece pieces[1] = {bogus};
  ASSERT_TRUE(h.medium->WriteTagged(RecordPieces(pieces), kLz4).ok());
  h.Rewind();
  h.Run(Read6(4096), {}, 4096);
  EXPECT_EQ(h.sense(), ExpectSense(0x03, 0x11, 0x00));
  EXPECT_EQ(h.result().data_in_len, 0u);
}

TEST(CompressedData, CompressedThenEncrypted) {
  MediumDrive h(0, "ibm-lto8");
  const Bytes page = StencPage(2, 2, 1, TestKey());
  h.Run(SpoutCdb(0x0010, static_cast<std::uint32_t>(page.size())), page);
  ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  const Bytes record = Pattern(65536, 4);
  h.Write(record);
  h.Write(Random(4096, 1));
  std::uint8_t tag = 0;
  const Bytes stored = h.Stored(0, tag);
  EXPECT_EQ(tag, 0x80 | kLz4);
  EXPECT_LT(stored.size(), 1000u);
  h.Stored(1, tag);
  EXPECT_EQ(tag, 0x80);  // incompressible: encrypted as it came
  h.Rewind();
  h.Run(Read6(65536), {}, 65536);
  ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  EXPECT_EQ(h.data(), record);
  h.Run(Read6(4096), {}, 4096);
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), Random(4096, 1));
}

TEST(CompressedData, DriveBufferKeepsTheTags) {
  MediumDrive h(1 << 20, "ibm-lto8");
  h.Write(Pattern(30000, 1));
  h.Write(Random(30000, 2));
  h.Run({0x10, 0, 0, 0, 0, 0});  // WRITE FILEMARKS 0: flush
  ASSERT_EQ(h.status(), kStatusGood);
  std::uint8_t tag = 0;
  h.Stored(0, tag);
  EXPECT_EQ(tag, kLz4);
  h.Rewind();
  h.Run(Read6(30000), {}, 30000);
  EXPECT_EQ(h.data(), Pattern(30000, 1));
  h.Run(Read6(30000), {}, 30000);
  EXPECT_EQ(h.data(), Random(30000, 2));
}

}  // namespace
}  // namespace vtape::ssc::testing
