// VERIFY(6/16) and ALLOW OVERWRITE at CDB level: exact sense, residuals and
// positions.
#include <gtest/gtest.h>

#include <string>

#include "drive_harness.h"
#include "ssc_test_util.h"

namespace vtape::ssc::testing {
namespace {

struct Ready : DriveHarness {
  explicit Ready(const std::string& medium = "mem:") : DriveHarness(medium) {
    ClearPowerOnAttention();
  }
  void Write(const Bytes& record) {
    Run(Write6(static_cast<std::uint32_t>(record.size())), record);
    ASSERT_EQ(status(), kStatusGood);
  }
  void Filemark() {
    Run(WriteFilemarks6(1));
    ASSERT_EQ(status(), kStatusGood);
  }
  void Rewind() {
    Run(RewindCdb());
    ASSERT_EQ(status(), kStatusGood);
  }
  void SetBlockLength(std::uint32_t length) {
    Run({0x15, 0x10, 0, 0, 12, 0}, {0, 0, 0x10, 8, 0, 0, 0, 0, 0, std::uint8_t(length >> 16),
                                    std::uint8_t(length >> 8), std::uint8_t(length)});
    ASSERT_EQ(status(), kStatusGood);
  }
  std::uint64_t Object() { return drive().medium()->GetPosition().object; }
};

// VERIFY(6): byte 1 bits, verification length.
Bytes Verify6(std::uint8_t bits, std::uint32_t length) {
  Bytes c{0x13, bits, 0, 0, 0, 0};
  Put(c, 2, 3, length);
  return c;
}
constexpr std::uint8_t kVte = 0x20, kVlbpm = 0x10, kVbf = 0x08, kImmed = 0x04, kBytcmp = 0x02,
                       kFixed = 0x01;

TEST(Verify, VariableRecordReadsWithoutTransfer) {
  Ready h;
  h.Write(Pattern(1000));
  h.Rewind();
  h.Run(Verify6(0, 1000), {}, 2000);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.result().data_in_len, 0u);
  EXPECT_EQ(h.Object(), 1u);
}

TEST(Verify, IncorrectLengthReportsTheResidualLikeRead) {
  Ready h;
  h.Write(Pattern(1000));
  h.Rewind();
  h.Run(Verify6(0, 1200));
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x00, kIli, 200));
  EXPECT_EQ(h.Object(), 1u);
  h.Rewind();
  h.Run(Verify6(0, 800));
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x00, kIli, -200));
}

TEST(Verify, ByteCompareMatchesAndMiscompares) {
  Ready h;
  const Bytes record = Pattern(1000, 4);
  h.Write(record);
  h.Rewind();
  h.Run(Verify6(kBytcmp, 1000), record);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Object(), 1u);
  h.Rewind();
  Bytes other = record;
  other[600] ^= 0xFF;
  h.Run(Verify6(kBytcmp | kImmed, 1000), other);
  // INFORMATION: the bytes not verified, from the first differing one.
  EXPECT_EQ(h.sense(), ExpectSense(0x0E, 0x1D, 0x00, 0, 400));
  EXPECT_EQ(h.Object(), 1u);
}

TEST(Verify, FixedBlocksWithByteCompare) {
  Ready h;
  h.SetBlockLength(100);
  Bytes blocks = Pattern(300, 2);
  h.Run(Write6(3, true), blocks);
  ASSERT_EQ(h.status(), kStatusGood);
  h.Rewind();
  h.Run(Verify6(kFixed | kBytcmp, 3), blocks);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Object(), 3u);
  h.Rewind();
  blocks[150] ^= 1;  // in the second block
  h.Run(Verify6(kFixed | kBytcmp, 3), blocks);
  EXPECT_EQ(h.sense(), ExpectSense(0x0E, 0x1D, 0x00, 0, 2));
  EXPECT_EQ(h.Object(), 2u);
  h.Rewind();
  h.Run(Verify6(kFixed, 5));  // two blocks short: end of data
  EXPECT_EQ(h.sense(), ExpectSense(0x08, 0x00, 0x05, 0, 2));
  EXPECT_EQ(h.Object(), 3u);
}

TEST(Verify, UnreadableBlockIsMediumErrorWithTheResidual) {
  Ready h("fault:{read@2=medium}mem:");
  h.SetBlockLength(10);
  h.Run(Write6(3, true), Pattern(30));
  ASSERT_EQ(h.status(), kStatusGood);
  h.Rewind();
  h.Run(Verify6(kFixed, 3));
  EXPECT_EQ(h.sense(), ExpectSense(0x03, 0x11, 0x00, 0, 2));
  EXPECT_EQ(h.Object(), 2u);  // past the bad block, as READ leaves it
}

TEST(Verify, FilemarkStopsWithTheResidual) {
  Ready h;
  h.SetBlockLength(10);
  h.Run(Write6(2, true), Pattern(20));
  h.Filemark();
  h.Rewind();
  h.Run(Verify6(kFixed, 4));
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x01, kFm, 2));
  EXPECT_EQ(h.Object(), 3u);
}

TEST(Verify, ToEndOfDataPassesFilemarks) {
  Ready h;
  h.Write(Pattern(10));
  h.Filemark();
  h.Write(Pattern(20));
  h.Filemark();
  h.Write(Pattern(30));
  h.Rewind();
  h.Run(Verify6(kVte, 0));
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Object(), 5u);
}

TEST(Verify, ByFilemarksStopsAfterTheCount) {
  Ready h;
  h.Write(Pattern(10));
  h.Filemark();
  h.Write(Pattern(20));
  h.Filemark();
  h.Write(Pattern(30));
  h.Rewind();
  h.Run(Verify6(kVbf, 2));
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Object(), 4u);
  h.Rewind();
  h.Run(Verify6(kVbf, 3));  // only two filemarks before end of data
  EXPECT_EQ(h.sense(), ExpectSense(0x08, 0x00, 0x05, 0, 1));
  EXPECT_EQ(h.Object(), 5u);
}

TEST(Verify, InvalidCombinations) {
  Ready h;
  h.Run(Verify6(kVte | kVbf, 1));
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(1, 3));
  h.Run(Verify6(kVte | kBytcmp, 1));
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(1, 1));
  h.Run(Verify6(kVbf | kFixed, 1));
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(1, 0));
  h.Run(Verify6(kFixed, 1));  // variable block mode
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(1, 0));
  h.Run(Verify6(kVlbpm, 1));  // not supported: outside the usage data
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(1, 4));
  h.Run(Verify6(kBytcmp, 100), Pattern(50));  // less data than announced
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(2));
  h.Run(Verify6(0, 0));
  EXPECT_EQ(h.status(), kStatusGood);
}

TEST(Verify, Sixteen_LocatesFirst) {
  Ready h;
  h.Write(Pattern(10, 1));
  h.Write(Pattern(20, 2));
  Bytes c(16, 0);
  c[0] = 0x8F;
  c[1] = kBytcmp;
  Put(c, 4, 8, 1);  // object 1
  Put(c, 12, 3, 20);
  h.Run(c, Pattern(20, 2));
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Object(), 2u);
  c[3] = 1;  // partition 1 does not exist on a one-partition medium
  h.Run(c, Pattern(20, 2));
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(3));
  c[3] = 0;
  Put(c, 4, 8, 7);  // beyond end of data
  h.Run(c, Pattern(20, 2));
  EXPECT_EQ(h.sense(), ExpectSense(0x08, 0x00, 0x05, 0, 20));
}

TEST(AllowOverwrite, FieldsChecked) {
  Ready h;
  h.Write(Pattern(10));
  Bytes c(16, 0);
  c[0] = 0x82;
  h.Run(c);  // 0h: disabled
  EXPECT_EQ(h.status(), kStatusGood);
  c[2] = 0x01;  // current position: partition 0, object 1
  Put(c, 4, 8, 1);
  h.Run(c);
  EXPECT_EQ(h.status(), kStatusGood);
  Put(c, 4, 8, 0);
  h.Run(c);
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(4));
  Put(c, 4, 8, 1);
  c[3] = 1;
  h.Run(c);
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(3));
  c[3] = 0;
  c[2] = 0x02;  // format
  h.Run(c);
  EXPECT_EQ(h.status(), kStatusGood);
  c[2] = 0x03;
  h.Run(c);
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(2, 3));
  // Writes in the middle of data stay allowed (WRITE MODE is overwrite-allowed).
  h.Run(RewindCdb());
  h.Write(Pattern(5));
  EXPECT_EQ(h.Object(), 1u);
}

}  // namespace
}  // namespace vtape::ssc::testing
