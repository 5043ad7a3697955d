// WORM cartridges and append-only mode at CDB level (handler/ssc/worm.h): what
// the drive reports (VPD B0h, mode header medium type, page 1Dh, MAM 0408h),
// which writes it refuses with which exact sense, and that a refusal leaves
// the data and the position untouched.
#include <gtest/gtest.h>

#include <string>

#include "drive_harness.h"
#include "sense_bytes.h"
#include "ssc_test_util.h"

namespace vtape::ssc::testing {
namespace {

const Bytes kWormOverwrite = ExpectSense(0x07, 0x30, 0x0C);  // WORM MEDIUM - OVERWRITE ATTEMPTED
const Bytes kAppendOnlyRefusal = ExpectSense(0x07, 0x5A, 0x02);  // OPERATOR SELECTED WRITE PROTECT

struct Tape : DriveHarness {
  explicit Tape(const std::string& medium, DriveConfig config = {})
      : DriveHarness(medium, std::move(config)) {
    ClearPowerOnAttention();
  }
  void Write(const Bytes& record) {
    Run(Write6(static_cast<std::uint32_t>(record.size())), record);
    ASSERT_EQ(status(), kStatusGood);
  }
  void Filemarks(std::uint32_t n) {
    Run(WriteFilemarks6(n));
    ASSERT_EQ(status(), kStatusGood);
  }
  void Locate(std::uint32_t object) {
    Run(Locate10(object));
    ASSERT_EQ(status(), kStatusGood);
  }
  std::uint64_t Object() { return drive().medium()->GetPosition().object; }
  // A, filemark, B, filemark, filemark: EOD at object 5 (what tar and st leave
  // after two archives with a double filemark at the end).
  void TwoFiles() {
    Write(Pattern(100, 1));
    Filemarks(1);
    Write(Pattern(200, 2));
    Filemarks(2);
  }
  // Reads the record at `object` and compares it.
  void ExpectRecord(std::uint32_t object, const Bytes& expected) {
    Locate(object);
    Run(Read6(static_cast<std::uint32_t>(expected.size())), {}, expected.size());
    EXPECT_EQ(status(), kStatusGood);
    EXPECT_EQ(data(), expected);
  }
  std::uint64_t Eod() {
    Run(Space6(0x03, 0));
    EXPECT_EQ(status(), kStatusGood);
    return Object();
  }
  // MODE SELECT(6) of page 10h/01h with WRITE MODE `mode` (buffered mode 1 kept).
  void SelectWriteMode(std::uint8_t mode) {
    Bytes list(4 + 32, 0);
    list[2] = 0x10;
    list[4] = 0x50;  // SPF, page 10h
    list[5] = 0x01;
    list[7] = 0x1C;
    list[4 + 5] = static_cast<std::uint8_t>(mode << 4);
    Run({0x15, 0x10, 0, 0, static_cast<std::uint8_t>(list.size()), 0}, list);
  }
  void AllowOverwrite(std::uint8_t field, std::uint64_t object = 0) {
    Bytes c(16, 0);
    c[0] = 0x82;
    c[2] = field;
    Put(c, 4, 8, object);
    Run(c);
    ASSERT_EQ(status(), kStatusGood);
  }
};

constexpr const char* kWorm = "mem:media=LTO-8_WORM,capacity=100000000";
constexpr const char* kData = "mem:capacity=100000000";

// --- What the drive reports ----------------------------------------------------------

TEST(WormReport, VpdB0hSaysTheDriveSupportsWorm) {
  Tape t(kData);
  t.Run({0x12, 0x01, 0xB0, 0, 96, 0}, {}, 96);
  EXPECT_EQ(t.data(), (Bytes{0x01, 0xB0, 0, 2, 0x01, 0}));
}

TEST(WormReport, IbmMediumTypeIsTheWormCartridge) {
  struct Case {
    const char* personality;
    const char* media;
    std::uint8_t medium_type;
  };
  for (const Case& c : {Case{"ibm-lto5", "LTO-5_WORM", 0x5C}, Case{"ibm-lto6", "LTO-6_WORM", 0x6C},
                        Case{"ibm-lto7", "LTO-7_WORM", 0x7C}, Case{"ibm-lto8", "LTO-8_WORM", 0x8C},
                        Case{"ibm-lto9", "LTO-9_WORM", 0x9C}, Case{"hp-lto8", "LTO-8_WORM", 0}}) {
    DriveConfig config;
    config.personality = c.personality;
    Tape t(std::string("mem:media=") + c.media, config);
    t.Run({0x1A, 0x08, 0x00, 0, 0xFF, 0}, {}, 255);  // MODE SENSE(6), header only
    ASSERT_EQ(t.status(), kStatusGood) << c.media;
    EXPECT_EQ(t.data(), (Bytes{3, c.medium_type, 0x10, 0})) << c.personality << " " << c.media;
  }
}

Bytes MediumConfigurationPage(bool wormm) {
  Bytes d(32, 0);
  d[0] = 0x1D;
  d[1] = 0x1E;
  d[2] = wormm ? 0x01 : 0x00;
  d[5] = 0x02;  // filemarks before EOD may be overwritten, but the one closest to BOP
  return d;
}

TEST(WormReport, MediumConfigurationPage) {
  Tape worm(kWorm);
  worm.Run({0x1A, 0x08, 0x1D, 0, 0xFF, 0}, {}, 255);
  Bytes expected{3 + 32, 0, 0x10, 0};
  AppendBytes(expected, MediumConfigurationPage(true));
  EXPECT_EQ(worm.data(), expected);

  Tape data(kData);
  data.Run({0x1A, 0x08, 0x1D, 0, 0xFF, 0}, {}, 255);
  expected = {3 + 32, 0, 0x10, 0};
  AppendBytes(expected, MediumConfigurationPage(false));
  EXPECT_EQ(data.data(), expected);
  // Nothing in it is changeable.
  data.Run({0x1A, 0x08, 0x5D, 0, 0xFF, 0}, {}, 255);
  Bytes mask(32, 0);
  mask[0] = 0x1D;
  mask[1] = 0x1E;
  expected = {3 + 32, 0, 0x70, 0};
  AppendBytes(expected, mask);
  EXPECT_EQ(data.data(), expected);
}

TEST(WormReport, MamMediumTypeIsWriteOnce) {
  for (auto [medium, type] : {std::pair{kWorm, 0x80}, std::pair{kData, 0x00}}) {
    Tape t(medium);
    Bytes c(16, 0);
    c[0] = 0x8C;
    Put(c, 8, 2, 0x0408);
    Put(c, 10, 4, 10);
    t.Run(c, {}, 10);
    ASSERT_EQ(t.status(), kStatusGood);
    const Bytes d = t.data();
    ASSERT_EQ(d.size(), 10u);
    EXPECT_EQ(Bytes(d.begin() + 4, d.end()),
              (Bytes{0x04, 0x08, 0x80, 0x00, 0x01, static_cast<std::uint8_t>(type)}))
        << medium;
  }
}

// --- The WORM rules ------------------------------------------------------------------

TEST(Worm, AppendingAtEndOfDataWorks) {
  Tape t(kWorm);
  t.TwoFiles();
  t.Write(Pattern(50, 3));  // at EOD
  EXPECT_EQ(t.Eod(), 6u);
}

TEST(Worm, OverwritingDataIsRefusedAndLeavesItUntouched) {
  Tape t(kWorm);
  t.TwoFiles();
  for (std::uint32_t object : {0u, 1u, 2u}) {
    t.Locate(object);
    t.Run(Write6(10), Pattern(10, 9));
    EXPECT_EQ(t.sense(), kWormOverwrite) << object;
    t.Run(WriteFilemarks6(1));
    EXPECT_EQ(t.sense(), kWormOverwrite) << object;
    t.Run(Erase6());
    EXPECT_EQ(t.sense(), kWormOverwrite) << object;
    t.Run(Erase6(true));
    EXPECT_EQ(t.sense(), kWormOverwrite) << object;
    EXPECT_EQ(t.Object(), object);  // not moved
  }
  EXPECT_EQ(t.Eod(), 5u);
  t.ExpectRecord(0, Pattern(100, 1));
  t.ExpectRecord(2, Pattern(200, 2));
  // TapeAlert 3Ch (WORM medium - overwrite attempted) is raised: log page 2Eh
  // parameter 003Ch = 1.
  t.Run({0x4D, 0, 0x6E, 0, 0, 0, 0, 0x01, 0x48, 0}, {}, 0x148);
  ASSERT_EQ(t.status(), kStatusGood);
  const Bytes log = t.data();
  const std::size_t at = 4 + (0x3C - 1) * 5;
  ASSERT_GT(log.size(), at + 4);
  EXPECT_EQ(Bytes(log.begin() + static_cast<long>(at), log.begin() + static_cast<long>(at) + 5),
            (Bytes{0x00, 0x3C, 0x03, 0x01, 0x01}));
}

TEST(Worm, Write16AndWriteFilemarks16CheckWhereTheyLocate) {
  Tape t(kWorm);
  t.TwoFiles();
  Bytes w = Cdb16(0x8A, 0, 0, 1, 10);  // WRITE(16) at object 1
  t.Run(w, Pattern(10));
  EXPECT_EQ(t.sense(), kWormOverwrite);
  EXPECT_EQ(t.Object(), 1u);
  Bytes fm = Cdb16(0x80, 0, 0, 5, 1);  // WRITE FILEMARKS(16) at EOD
  t.Run(fm);
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Eod(), 6u);
}

// SSC-4 page 1Dh, filemark restrictions 02h: the filemarks that end the
// partition may be overwritten, except the one closest to BOP.
TEST(Worm, TrailingFilemarksButTheFirstMayBeOverwritten) {
  Tape t(kWorm);
  t.TwoFiles();  // ... B(2) FM(3) FM(4) EOD(5)
  t.Locate(3);   // before the first closing filemark: it would go
  t.Run(Write6(10), Pattern(10, 5));
  EXPECT_EQ(t.sense(), kWormOverwrite);
  t.Locate(4);  // between the two: the second one may go
  t.Write(Pattern(30, 4));
  EXPECT_EQ(t.Eod(), 5u);
  t.ExpectRecord(2, Pattern(200, 2));
  t.ExpectRecord(4, Pattern(30, 4));
  // The same for WRITE FILEMARKS and ERASE once filemarks end the data again.
  t.Eod();
  t.Filemarks(3);  // ... R(4) FM(5) FM(6) FM(7) EOD(8)
  t.Locate(6);
  t.Filemarks(1);
  EXPECT_EQ(t.Eod(), 7u);
  t.Locate(6);
  t.Run(Erase6());
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Eod(), 6u);
}

TEST(Worm, FormatMediumOnlyWhileBlank) {
  Tape blank(kWorm);
  blank.Run({0x04, 0, 0, 0, 0, 0});  // FORMAT MEDIUM, default format
  EXPECT_EQ(blank.status(), kStatusGood);

  Tape t(kWorm);
  t.TwoFiles();
  t.Run(RewindCdb());
  t.Run({0x04, 0, 0, 0, 0, 0});
  EXPECT_EQ(t.sense(), kWormOverwrite);
  t.Run({0x0B, 0, 0, 0xFF, 0xFF, 0});  // SET CAPACITY
  EXPECT_EQ(t.sense(), kWormOverwrite);
  EXPECT_EQ(t.Eod(), 5u);
}

TEST(Worm, AllowOverwriteDoesNotLiftWorm) {
  Tape t(kWorm);
  t.TwoFiles();
  t.Locate(1);
  t.AllowOverwrite(0x01, 1);
  t.Run(Write6(10), Pattern(10));
  EXPECT_EQ(t.sense(), kWormOverwrite);
  t.Run(RewindCdb());
  t.AllowOverwrite(0x02);
  t.Run({0x04, 0, 0, 0, 0, 0});
  EXPECT_EQ(t.sense(), kWormOverwrite);
  EXPECT_EQ(t.Eod(), 5u);
}

// --- Append-only mode on a data cartridge ------------------------------------------

TEST(AppendOnly, WriteModeIsPage10hSubpage01h) {
  Tape t(kData);
  Bytes expected(32, 0);
  expected[0] = 0x50;
  expected[1] = 0x01;
  expected[3] = 0x1C;
  t.Run({0x1A, 0x08, 0x50, 0x01, 0xFF, 0}, {}, 255);  // changeable: WRITE MODE, PEWS
  Bytes mask = expected;
  mask[5] = 0xF0;
  mask[6] = mask[7] = 0xFF;
  Bytes got = t.data();
  EXPECT_EQ(Bytes(got.begin() + 4, got.end()), mask);
  t.SelectWriteMode(1);
  ASSERT_EQ(t.status(), kStatusGood);
  t.Run({0x1A, 0x08, 0x10, 0x01, 0xFF, 0}, {}, 255);
  expected[5] = 0x10;
  got = t.data();
  EXPECT_EQ(Bytes(got.begin() + 4, got.end()), expected);
  t.SelectWriteMode(2);  // reserved
  EXPECT_EQ(t.sense(), InvalidParamSense(4 + 5, 7));
  t.SelectWriteMode(0);
  EXPECT_EQ(t.status(), kStatusGood);
}

TEST(AppendOnly, OverwritesRefusedUnlessAllowOverwriteNamesThePosition) {
  Tape t(kData);
  t.TwoFiles();
  t.SelectWriteMode(1);
  ASSERT_EQ(t.status(), kStatusGood);
  t.Locate(1);
  t.Run(Write6(10), Pattern(10, 7));
  EXPECT_EQ(t.sense(), kAppendOnlyRefusal);
  t.Run(Erase6());
  EXPECT_EQ(t.sense(), kAppendOnlyRefusal);
  t.Locate(4);  // trailing filemarks: as on WORM
  t.Filemarks(1);
  t.Write(Pattern(10, 8));  // and at EOD
  EXPECT_EQ(t.Eod(), 6u);
  // A permission for another position does not help.
  t.Locate(2);
  t.AllowOverwrite(0x01, 2);
  t.Locate(1);
  t.Run(Write6(10), Pattern(10, 7));
  EXPECT_EQ(t.sense(), kAppendOnlyRefusal);
  // The named position: one write, then the rule holds again.
  t.AllowOverwrite(0x01, 1);
  t.Write(Pattern(10, 7));
  EXPECT_EQ(t.Eod(), 2u);
  t.Locate(1);
  t.Run(Write6(10), Pattern(10, 6));
  EXPECT_EQ(t.sense(), kAppendOnlyRefusal);
  t.ExpectRecord(1, Pattern(10, 7));
  // 0h withdraws a permission.
  t.Locate(0);
  t.AllowOverwrite(0x01, 0);
  t.AllowOverwrite(0x00);
  t.Run(Write6(10), Pattern(10, 6));
  EXPECT_EQ(t.sense(), kAppendOnlyRefusal);
  // 2h: one FORMAT MEDIUM.
  t.Run({0x04, 0, 0, 0, 0, 0});
  EXPECT_EQ(t.sense(), kAppendOnlyRefusal);
  t.AllowOverwrite(0x02);
  t.Run({0x04, 0, 0, 0, 0, 0});
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Eod(), 0u);
}

TEST(AppendOnly, OverwriteAllowedModeWritesAnywhere) {
  Tape t(kData);
  t.TwoFiles();
  t.SelectWriteMode(1);
  t.SelectWriteMode(0);
  t.Locate(1);
  t.Write(Pattern(10));
  EXPECT_EQ(t.Eod(), 2u);
}

}  // namespace
}  // namespace vtape::ssc::testing
