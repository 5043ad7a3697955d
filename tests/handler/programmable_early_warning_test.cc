// Programmable early warning (PEWS in page 10h/01h) and the IBM read/write
// control page 25h, with the exact CDBs and parameter lists LTFS 2.4.8.4 sends
// (libltfs/tape.c tape_set_pews, tape_get_media_encrypted).
#include <gtest/gtest.h>

#include "drive_harness.h"
#include "sense_bytes.h"
#include "ssc_test_util.h"

namespace vtape::ssc::testing {
namespace {

// An IBM LTO-8 drive on an LTO-8 cartridge of 5,000,000 bytes whose early
// warning lies 1,000,000 bytes before the end (at 4,000,000). Compression
// off: each record written takes its own length of the medium.
struct IbmDrive : DriveHarness {
  explicit IbmDrive(const char* personality = "ibm-lto8")
      : DriveHarness("mem:media=LTO-8,capacity=5000000,early_warning=1000000",
                     Config(personality)) {
    ClearPowerOnAttention();
    Run(ModeSelect6(20), CompressionSelectList(false));
    EXPECT_EQ(status(), kStatusGood);
  }
  static DriveConfig Config(const char* personality) {
    DriveConfig c;
    c.personality = personality;
    return c;
  }
  // MODE SENSE(10), current values, 48 bytes: what tape_set_pews reads.
  Bytes SenseDeviceConfigExtension() {
    Run({0x5A, 0, 0x10, 0x01, 0, 0, 0, 0, 48, 0}, {}, 48);
    EXPECT_EQ(status(), kStatusGood);
    return data();
  }
  // tape_set_pews: the MODE SENSE bytes with bytes 0-1 (MODE DATA LENGTH)
  // cleared, PS cleared, PEWS in bytes 22-23, sent back by MODE SELECT(10) PF.
  void SetPews(std::uint16_t pews) {
    Bytes list = SenseDeviceConfigExtension();
    list[0] = list[1] = 0;
    list[16] &= 0x7F;
    list[22] = static_cast<std::uint8_t>(pews >> 8);
    list[23] = static_cast<std::uint8_t>(pews);
    Run({0x55, 0x10, 0, 0, 0, 0, 0, 0, 48, 0}, list);
  }
  std::uint8_t LongPositionFlags() {
    Run(ReadPositionCdb(0x06), {}, 32);
    EXPECT_EQ(status(), kStatusGood);
    return data().empty() ? 0xEE : data()[0];
  }
};

// Header (MODE DATA LENGTH 46, medium type 88h: LTO-8 data, buffered mode 1,
// block descriptor length 8), the block descriptor (density 5Eh, variable
// blocks) and page 10h/01h with `pews`.
Bytes ExpectedDeviceConfigExtension(std::uint16_t pews) {
  Bytes d = {0, 46, 0x88, 0x10, 0, 0, 0, 8, 0x5E, 0, 0, 0, 0, 0, 0, 0};
  Bytes page(32, 0);
  page[0] = 0x50;
  page[1] = 0x01;
  page[3] = 0x1C;
  page[6] = static_cast<std::uint8_t>(pews >> 8);
  page[7] = static_cast<std::uint8_t>(pews);
  AppendBytes(d, page);
  return d;
}

TEST(ProgrammableEarlyWarning, LtfsSetsPewsThroughModeSelect) {
  IbmDrive h;
  EXPECT_EQ(h.SenseDeviceConfigExtension(), ExpectedDeviceConfigExtension(0));
  h.SetPews(0x0BB8);  // 3000 MB: half of a 6 TB index partition would be more
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.SenseDeviceConfigExtension(), ExpectedDeviceConfigExtension(0x0BB8));
  h.SetPews(0);  // tape_set_pews(false) clears it again
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.SenseDeviceConfigExtension(), ExpectedDeviceConfigExtension(0));
}

TEST(ProgrammableEarlyWarning, ChangeableMaskNamesPewsAndWriteMode) {
  IbmDrive h;
  h.Run({0x5A, 0x08, 0x40 | 0x10, 0x01, 0, 0, 0, 0, 48, 0}, {}, 48);  // DBD, changeable
  ASSERT_EQ(h.status(), kStatusGood);
  Bytes expected = {0, 38, 0, 0x70, 0, 0, 0, 0, 0x50, 0x01, 0, 0x1C, 0, 0xF0, 0xFF, 0xFF};
  expected.resize(8 + 32, 0);
  EXPECT_EQ(h.data(), expected);
}

// PEWS 1 (10^6 bytes): the point lies at 3,000,000, a million bytes before
// early warning. The write that crosses it reports 00h/07h with EOM (once);
// the next ones are GOOD until early warning reports 00h/02h.
TEST(ProgrammableEarlyWarning, TheWriteCrossingThePointReportsIt) {
  IbmDrive h;
  h.SetPews(1);
  ASSERT_EQ(h.status(), kStatusGood);
  const Bytes record = Pattern(500000);
  for (int i = 0; i < 5; ++i) {  // ends at 2,500,000
    h.Run(Write6(500000), record);
    ASSERT_EQ(h.status(), kStatusGood) << "record " << i;
  }
  EXPECT_EQ(h.LongPositionFlags(), 0x00);
  h.Run(Write6(500000), record);  // ends at 3,000,000: on the point
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x07, kEom, 0));
  EXPECT_EQ(h.LongPositionFlags(), 0x01);  // BPEW
  h.Run(Write6(500000), record);           // 3,500,000: inside, already reported
  EXPECT_EQ(h.status(), kStatusGood);
  h.Run(Write6(500000), record);  // 4,000,000: early warning
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x02, kEom, 0));
  EXPECT_EQ(h.LongPositionFlags(), 0x40);  // EOP, no longer BPEW
}

TEST(ProgrammableEarlyWarning, AFilemarkCrossingThePointReportsIt) {
  IbmDrive h;
  h.SetPews(1);
  const Bytes record = Pattern(500000);
  for (int i = 0; i < 5; ++i) h.Run(Write6(500000), record);
  h.Run(Write6(499999), Pattern(499999));  // 2,999,999
  ASSERT_EQ(h.status(), kStatusGood);
  h.Run(WriteFilemarks6(1));
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x07, kEom, 0));
}

TEST(ProgrammableEarlyWarning, PewsZeroReportsNothingBeforeEarlyWarning) {
  IbmDrive h;
  const Bytes record = Pattern(500000);
  for (int i = 0; i < 7; ++i) {  // up to 3,500,000
    h.Run(Write6(500000), record);
    ASSERT_EQ(h.status(), kStatusGood) << "record " << i;
  }
  EXPECT_EQ(h.LongPositionFlags(), 0x00);
}

// Page 25h as LTFS reads it at every mount of an IBM drive (MODE SENSE(10),
// 48 bytes): no encryption, method 00h.
TEST(IbmReadWriteControlPage, IbmDrivesAnswerIt) {
  IbmDrive h;
  h.Run({0x5A, 0, 0x25, 0, 0, 0, 0, 0, 48, 0}, {}, 48);
  ASSERT_EQ(h.status(), kStatusGood);
  Bytes expected = {0, 46, 0x88, 0x10, 0, 0, 0, 8, 0x5E, 0, 0, 0, 0, 0, 0, 0, 0x25, 0x1E};
  expected.resize(48, 0);
  EXPECT_EQ(h.data(), expected);
  // Sent back unchanged it is accepted; nothing in it can change.
  Bytes list = h.data();
  list[0] = list[1] = 0;
  h.Run({0x55, 0x10, 0, 0, 0, 0, 0, 0, 48, 0}, list);
  EXPECT_EQ(h.status(), kStatusGood);
  list[16 + 20] = 0x01;  // encryption on
  h.Run({0x55, 0x10, 0, 0, 0, 0, 0, 0, 48, 0}, list);
  EXPECT_EQ(h.sense(), InvalidParamSense(16 + 20, 0));
}

TEST(IbmReadWriteControlPage, OtherVendorsRefuseIt) {
  IbmDrive h("hp-lto8");
  h.Run({0x5A, 0, 0x25, 0, 0, 0, 0, 0, 48, 0}, {}, 48);
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), InvalidCdbSense(2, 5));
}

}  // namespace
}  // namespace vtape::ssc::testing
