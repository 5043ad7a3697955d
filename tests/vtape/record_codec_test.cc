// Record codecs (vtape/record_codec.h): exact stored forms, round trips, the
// never-larger rule, and damaged forms refused as kCorruptImage.
#include "vtape/record_codec.h"

#include <gtest/gtest.h>

#include <random>

#include "vtape/record_tag.h"
#include "vtape/tape.h"

namespace vtape {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes Random(std::size_t size, std::uint32_t seed) {
  std::mt19937 generator(seed);
  Bytes b(size);
  for (std::uint8_t& byte : b) byte = static_cast<std::uint8_t>(generator());
  return b;
}

Bytes Text(std::size_t size) {
  static constexpr char kWords[] = "the quick brown fox jumps over the lazy dog; ";
  Bytes b(size);
  for (std::size_t i = 0; i < size; ++i) b[i] = static_cast<std::uint8_t>(kWords[i % 45]);
  return b;
}

class Codec : public ::testing::TestWithParam<std::uint8_t> {};

TEST_P(Codec, RoundTripIsExactAndSmaller) {
  for (std::size_t size : {256u, 4096u, 65536u, 1u << 20}) {
    const Bytes record = Text(size);
    Bytes stored;
    ASSERT_EQ(CompressRecord(GetParam(), record, stored), GetParam()) << size;
    EXPECT_LT(stored.size(), record.size());
    Bytes back;
    ASSERT_TRUE(DecompressRecord(GetParam(), stored, back).ok());
    EXPECT_EQ(back, record);
    const std::size_t prefix = std::min(stored.size(), kCodecPrefixBytes);
    EXPECT_EQ(HostLengthFromPrefix(GetParam(), std::span(stored).first(prefix)), size);
  }
}

TEST_P(Codec, IncompressibleRecordsStayRaw) {
  for (std::size_t size : {1u, 5u, 100u, 65536u}) {
    Bytes stored = {1, 2, 3};
    EXPECT_EQ(CompressRecord(GetParam(), Random(size, 3), stored), kTagRaw) << size;
    EXPECT_TRUE(stored.empty());
  }
}

TEST_P(Codec, TruncatedFormIsCorrupt) {
  const Bytes record = Text(65536);
  Bytes stored;
  ASSERT_EQ(CompressRecord(GetParam(), record, stored), GetParam());
  for (std::size_t keep : {std::size_t{0}, std::size_t{3}, stored.size() / 2, stored.size() - 1}) {
    Bytes back;
    const Status s = DecompressRecord(GetParam(), std::span(stored).first(keep), back);
    EXPECT_EQ(s.code(), Code::kCorruptImage) << keep;
  }
}

INSTANTIATE_TEST_SUITE_P(Lz4AndZstd, Codec, ::testing::Values(kTagLz4, kTagZstd));

TEST(Lz4Codec, StoredFormIsTheHostLengthThenOneBlock) {
  const Bytes record(1000, 0x41);
  Bytes stored;
  ASSERT_EQ(CompressRecord(kTagLz4, record, stored), kTagLz4);
  // 1000 = E8 03 00 00; the block: one literal 'A', then a match of 994 (15 + 3 * 255
  // + D2h + 4)
  // bytes at offset 1, then the last five bytes as literals (LZ4's end rule).
  EXPECT_EQ(stored, (Bytes{0xE8, 0x03, 0x00, 0x00, 0x1F, 0x41, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xD2,
                           0x50, 0x41, 0x41, 0x41, 0x41, 0x41}));
}

TEST(Lz4Codec, LengthHeaderOutOfRangeIsCorrupt) {
  Bytes back;
  // 0 bytes, and kMaxRecordBytes + 1.
  EXPECT_EQ(DecompressRecord(kTagLz4, Bytes{0, 0, 0, 0, 0x10, 0x41}, back).code(),
            Code::kCorruptImage);
  EXPECT_EQ(DecompressRecord(kTagLz4, Bytes{0x01, 0x00, 0x00, 0x01, 0x10, 0x41}, back).code(),
            Code::kCorruptImage);
  // A header that claims more than the block decodes to.
  Bytes stored;
  ASSERT_EQ(CompressRecord(kTagLz4, Text(4096), stored), kTagLz4);
  stored[0] = 0x01;
  stored[1] = 0x10;  // 4097
  EXPECT_EQ(DecompressRecord(kTagLz4, stored, back).code(), Code::kCorruptImage);
  EXPECT_TRUE(back.empty());
}

TEST(Codecs, UnknownCodecIsCorruptAndRawCopies) {
  Bytes back;
  EXPECT_EQ(DecompressRecord(3, Bytes{1, 2}, back).code(), Code::kCorruptImage);
  ASSERT_TRUE(DecompressRecord(kTagRaw, Bytes{1, 2}, back).ok());
  EXPECT_EQ(back, (Bytes{1, 2}));
  EXPECT_EQ(HostLengthFromPrefix(kTagRaw, Bytes{1, 2}), std::nullopt);
}

}  // namespace
}  // namespace vtape
