// MODE SENSE(6/10) and MODE SELECT(6/10): header, block descriptor, pages,
// page control, and every rejection with its exact sense.
#include <gtest/gtest.h>

#include "drive_harness.h"
#include "sense_bytes.h"

namespace vtape::ssc::testing {
namespace {

using Bytes = std::vector<std::uint8_t>;

const Bytes kControl = {0x0A, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
// Data compression (0Fh) of the generic drive: DCE 0 (its default), DCC 1, DDE 1,
// RED 00b, compression and decompression algorithm 1 (the default algorithm).
const Bytes kCompression = {0x0F, 0x0E, 0x40, 0x80, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0};
const Bytes kDeviceConfig = {0x10, 0x0E, 0, 0, 0, 0, 0, 0, 0x41, 0, 0x10, 0, 0, 0, 0, 0};
// LTO-8 media may hold 4 partitions (3 additional: 4 size descriptors); PSUM
// 11b and POFM; native capacity, 12 TB, in units of 10^9 bytes: 12000 = 2EE0h.
const Bytes kPartitionLto8 = {0x11, 0x0E, 3, 0, 0x1C, 0x03, 9, 0, 0x2E, 0xE0, 0, 0, 0, 0, 0, 0};
const Bytes kInfoExceptions = {0x1C, 0x0A, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0};
// Medium configuration (1Dh): WORMM 0 (a data cartridge), filemark restrictions 02h.
const Bytes kMediumConfiguration = {0x1D, 0x1E, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                    0,    0,    0, 0, 0, 0,    0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

// Control data protection (0Ah/F0h): logical block protection off.
Bytes DataProtection() {
  Bytes d(32, 0);
  d[0] = 0x4A;
  d[1] = 0xF0;
  d[3] = 0x1C;
  return d;
}

Bytes DeviceConfigExtension() {
  Bytes d(32, 0);
  d[0] = 0x50;
  d[1] = 0x01;
  d[3] = 0x1C;
  return d;
}

class Mode : public ::testing::Test {
 protected:
  explicit Mode(const std::string& medium = "mem:") : h_(medium) { h_.ClearPowerOnAttention(); }

  // MODE SENSE(6) with DBD: the 4-byte header, then the pages.
  Bytes SensePages(std::uint8_t pc_page, std::uint8_t subpage = 0) {
    h_.Run({0x1A, 0x08, pc_page, subpage, 0xFF, 0}, {}, 255);
    EXPECT_EQ(h_.status(), kStatusGood);
    Bytes d = h_.data();
    return d.size() >= 4 ? Bytes(d.begin() + 4, d.end()) : Bytes{};
  }
  Bytes SenseBlockDescriptor() {
    h_.Run({0x1A, 0, 0, 0, 0xFF, 0}, {}, 255);
    EXPECT_EQ(h_.status(), kStatusGood);
    return h_.data();
  }
  void Select6(const Bytes& list, std::uint8_t flags = 0x10) {
    h_.Run({0x15, flags, 0, 0, static_cast<std::uint8_t>(list.size()), 0}, list);
  }
  static Bytes Header6WithDescriptor(std::uint8_t device_specific, std::uint8_t density,
                                     std::uint32_t block_length) {
    return {0,
            0,
            device_specific,
            8,
            density,
            0,
            0,
            0,
            0,
            static_cast<std::uint8_t>(block_length >> 16),
            static_cast<std::uint8_t>(block_length >> 8),
            static_cast<std::uint8_t>(block_length)};
  }
  static Bytes WithPage(Bytes page) {
    Bytes d = {0, 0, 0x10, 0};
    AppendBytes(d, page);
    return d;
  }

  DriveHarness h_;
};

// ---- MODE SENSE ------------------------------------------------------------

TEST_F(Mode, Sense6PageZeroIsWhatStReadsOnOpen) {
  EXPECT_EQ(SenseBlockDescriptor(), (Bytes{11, 0, 0x10, 8, 0x5E, 0, 0, 0, 0, 0, 0, 0}));
}

TEST_F(Mode, Sense10PageZero) {
  h_.Run({0x5A, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0}, {}, 255);
  EXPECT_EQ(h_.data(), (Bytes{0, 14, 0, 0x10, 0, 0, 0, 8, 0x5E, 0, 0, 0, 0, 0, 0, 0}));
}

TEST_F(Mode, Sense10WithDbdHasNoDescriptor) {
  h_.Run({0x5A, 0x08, 0x0F, 0, 0, 0, 0, 0, 0xFF, 0}, {}, 255);
  Bytes expected = {0, 6 + 16, 0, 0x10, 0, 0, 0, 0};
  AppendBytes(expected, kCompression);
  EXPECT_EQ(h_.data(), expected);
}

TEST_F(Mode, Sense6WithDbd) {
  h_.Run({0x1A, 0x08, 0, 0, 0xFF, 0}, {}, 255);
  EXPECT_EQ(h_.data(), (Bytes{3, 0, 0x10, 0}));
}

TEST(ModeMedium, WriteProtectedMediumSetsWpBit) {
  DriveHarness h("mem:write_protected=1");
  h.ClearPowerOnAttention();
  h.Run({0x1A, 0x08, 0, 0, 0xFF, 0}, {}, 255);
  EXPECT_EQ(h.data(), (Bytes{3, 0, 0x90, 0}));
}

TEST(ModeMedium, NoMediumReportsDensityZero) {
  DriveHarness h("");
  h.ClearPowerOnAttention();
  h.Run({0x1A, 0, 0, 0, 0xFF, 0}, {}, 255);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), (Bytes{11, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(ModeMedium, DensityFollowsTheMediaType) {
  DriveHarness h("mem:media=LTO-6");
  h.ClearPowerOnAttention();
  h.Run({0x1A, 0, 0, 0, 0xFF, 0}, {}, 255);
  EXPECT_EQ(h.data()[4], 0x5A);
}

TEST_F(Mode, EachPageCurrentValues) {
  EXPECT_EQ(SensePages(0x0A), kControl);
  EXPECT_EQ(SensePages(0x0F), kCompression);
  EXPECT_EQ(SensePages(0x10), kDeviceConfig);
  EXPECT_EQ(SensePages(0x10, 0x01), DeviceConfigExtension());
  EXPECT_EQ(SensePages(0x11), kPartitionLto8);
  EXPECT_EQ(SensePages(0x1C), kInfoExceptions);
}

TEST_F(Mode, AllPagesInOrder) {
  Bytes all;
  for (const Bytes& p : {kControl, kCompression, kDeviceConfig, kPartitionLto8, kInfoExceptions,
                         kMediumConfiguration})
    AppendBytes(all, p);
  EXPECT_EQ(SensePages(0x3F), all);
  EXPECT_EQ(h_.data()[0], 3 + all.size());  // mode data length
}

TEST_F(Mode, AllPagesAndSubpages) {
  Bytes all;
  for (const Bytes& p :
       {kControl, DataProtection(), kCompression, kDeviceConfig, DeviceConfigExtension(),
        kPartitionLto8, kInfoExceptions, kMediumConfiguration})
    AppendBytes(all, p);
  EXPECT_EQ(SensePages(0x3F, 0xFF), all);
}

TEST_F(Mode, PageWithAllSubpages) {
  Bytes both = kDeviceConfig;
  AppendBytes(both, DeviceConfigExtension());
  EXPECT_EQ(SensePages(0x10, 0xFF), both);
}

TEST(ModeMedium, PartitionPageDescribesSmallAndPartitionedMedia) {
  DriveHarness small("mem:capacity=100000");
  small.ClearPowerOnAttention();
  small.Run({0x1A, 0x08, 0x11, 0, 0xFF, 0}, {}, 255);
  EXPECT_EQ(small.data(), (Bytes{3 + 16, 0, 0x10, 0,    0x11, 0x0E, 3, 0, 0x1C, 3,
                                 1,      0, 0x27, 0x10, 0,    0,    0, 0, 0,    0}));

  DriveHarness two("mem:capacity=100000,partitions=2");
  two.ClearPowerOnAttention();
  two.Run({0x1A, 0x08, 0x11, 0, 0xFF, 0}, {}, 255);
  EXPECT_EQ(two.data(), (Bytes{3 + 16, 0, 0x10, 0,    0x11, 0x0E, 3, 1, 0x3C, 3,
                               0,      0, 0xC3, 0x50, 0xC3, 0x50, 0, 0, 0,    0}));
}

TEST_F(Mode, ChangeableValues) {
  h_.Run({0x1A, 0, 0x40 | 0x10, 0, 0xFF, 0}, {}, 255);
  Bytes expected = {3 + 8 + 16, 0, 0x70, 8, 0xFF, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF};
  // REW and SELECT DATA COMPRESSION ALGORITHM.
  AppendBytes(expected, {0x10, 0x0E, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0xFF, 0});
  EXPECT_EQ(h_.data(), expected);
  Bytes compression_mask = {0x0F, 0x0E, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(SensePages(0x40 | 0x0F), compression_mask);  // DCE only
}

TEST_F(Mode, DefaultAndSavedValuesIgnoreModeSelect) {
  Bytes page = kDeviceConfig;
  page[8] = 0x40;  // REW off
  Select6(WithPage(page));
  ASSERT_EQ(h_.status(), kStatusGood);
  Select6(Header6WithDescriptor(0x00, 0x00, 512));  // unbuffered, 512-byte blocks
  ASSERT_EQ(h_.status(), kStatusGood);

  for (std::uint8_t pc : {0x80, 0xC0}) {  // default, saved
    h_.Run({0x1A, 0, static_cast<std::uint8_t>(pc | 0x10), 0, 0xFF, 0}, {}, 255);
    Bytes expected = {3 + 8 + 16, 0, 0x10, 8, 0x5E, 0, 0, 0, 0, 0, 0, 0};
    AppendBytes(expected, kDeviceConfig);
    EXPECT_EQ(h_.data(), expected) << "pc " << int(pc);
  }
  h_.Run({0x1A, 0, 0x10, 0, 0xFF, 0}, {}, 255);
  Bytes current = {3 + 8 + 16, 0, 0x00, 8, 0x5E, 0, 0, 0, 0, 0, 0x02, 0x00};
  AppendBytes(current, page);
  EXPECT_EQ(h_.data(), current);
}

TEST_F(Mode, AllocationLengthTruncatesButKeepsTheTrueLength) {
  h_.Run({0x1A, 0, 0, 0, 4, 0}, {}, 255);
  EXPECT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(h_.data(), (Bytes{11, 0, 0x10, 8}));
  h_.Run({0x5A, 0, 0x3F, 0, 0, 0, 0, 0, 3, 0}, {}, 255);
  EXPECT_EQ(h_.data(), (Bytes{0, 8 + 6 + 12 + 16 + 16 + 16 + 12 + 32, 0}));
}

TEST_F(Mode, SenseUnknownPageIsInvalidFieldInCdb) {
  h_.Run({0x1A, 0, 0x05, 0, 0xFF, 0}, {}, 255);
  EXPECT_EQ(h_.status(), kStatusCheckCondition);
  EXPECT_EQ(h_.sense(), InvalidCdbSense(2, 5));
}

TEST_F(Mode, SenseUnknownSubpageIsInvalidFieldByte3) {
  h_.Run({0x1A, 0, 0x0A, 0x01, 0xFF, 0}, {}, 255);
  EXPECT_EQ(h_.sense(), InvalidCdbSense(3));
  h_.Run({0x1A, 0, 0x00, 0x01, 0xFF, 0}, {}, 255);
  EXPECT_EQ(h_.sense(), InvalidCdbSense(3));
}

// ---- MODE SELECT ------------------------------------------------------------

TEST_F(Mode, StSetblkSetsFixedBlockLength) {
  Select6(Header6WithDescriptor(0x10, 0x00, 512));
  EXPECT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(SenseBlockDescriptor(), (Bytes{11, 0, 0x10, 8, 0x5E, 0, 0, 0, 0, 0x00, 0x02, 0x00}));
  Select6(Header6WithDescriptor(0x10, 0x00, 0));  // back to variable
  EXPECT_EQ(SenseBlockDescriptor(), (Bytes{11, 0, 0x10, 8, 0x5E, 0, 0, 0, 0, 0, 0, 0}));
}

TEST_F(Mode, DrvbufferSetsBufferedMode) {
  Select6(Header6WithDescriptor(0x00, 0x00, 0));
  EXPECT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(SenseBlockDescriptor()[2], 0x00);
}

TEST_F(Mode, SetdensityToAWrittenGenerationAndBack) {
  Select6(Header6WithDescriptor(0x10, 0x5C, 0));  // LTO-7: the generic drive writes it
  EXPECT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(SenseBlockDescriptor()[4], 0x5C);
  Select6(Header6WithDescriptor(0x10, 0x7F, 0));  // 7Fh: no change
  EXPECT_EQ(SenseBlockDescriptor()[4], 0x5C);
  Select6(Header6WithDescriptor(0x10, 0x00, 0));  // 0: the medium's again
  EXPECT_EQ(SenseBlockDescriptor()[4], 0x5E);
}

TEST_F(Mode, DensityTheDriveCannotWriteIsRejected) {
  Select6(Header6WithDescriptor(0x10, 0x44, 0));  // LTO-3
  EXPECT_EQ(h_.sense(), InvalidParamSense(4));
}

TEST(ModeSelectPersonality, DensityOutsideThePersonalityIsRejected) {
  DriveConfig config;
  config.personality = "ibm-lto5";
  DriveHarness h("mem:media=LTO-5", config);
  h.ClearPowerOnAttention();
  Bytes list = {0, 0, 0x10, 8, 0x5E, 0, 0, 0, 0, 0, 0, 0};  // LTO-8
  h.Run({0x15, 0x10, 0, 0, 12, 0}, list);
  EXPECT_EQ(h.sense(), InvalidParamSense(4));
  list[4] = 0x58;  // LTO-5: its own
  h.Run({0x15, 0x10, 0, 0, 12, 0}, list);
  EXPECT_EQ(h.status(), kStatusGood);
}

// IBM LTO drives name the cartridge in the header's MEDIUM TYPE (LTFS refuses to
// format an LTO-5 cartridge it cannot identify); HP drives report 00h.
TEST(ModeSensePersonality, IbmDrivesReportTheCartridgeTypeHpDrivesZero) {
  struct Case {
    const char* personality;
    const char* media;
    std::uint8_t medium_type;
  };
  for (const Case& c : {Case{"ibm-lto5", "LTO-5", 0x58}, Case{"ibm-lto6", "LTO-6", 0x68},
                        Case{"ibm-lto7", "LTO-7", 0x78}, Case{"ibm-lto8", "LTO-8", 0x88},
                        Case{"ibm-lto8", "LTO-M8", 0x78}, Case{"ibm-lto9", "LTO-9", 0x98},
                        Case{"hp-lto8", "LTO-8", 0x00}, Case{"generic", "LTO-8", 0x00}}) {
    DriveConfig config;
    config.personality = c.personality;
    DriveHarness h(std::string("mem:media=") + c.media, config);
    h.ClearPowerOnAttention();
    h.Run({0x5A, 0, 0x3F, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);  // MODE SENSE(10), all pages
    ASSERT_EQ(h.status(), kStatusGood) << c.personality << " " << c.media;
    ASSERT_GE(h.data().size(), 8u);
    EXPECT_EQ(h.data()[2], c.medium_type) << c.personality << " " << c.media;
    // MODE SELECT may echo the header's medium type back.
    Bytes list = {0, 0, c.medium_type, 0x10, 0, 0, 0, 0};
    h.Run({0x55, 0x10, 0, 0, 0, 0, 0, 0, 8, 0}, list);
    EXPECT_EQ(h.status(), kStatusGood) << c.personality << " " << c.media;
  }
}

TEST_F(Mode, BlockLengthAboveTheTransferLimitIsRejected) {
  Select6(Header6WithDescriptor(0x10, 0, (1u << 20) + 1));
  EXPECT_EQ(h_.sense(), InvalidParamSense(9));
  Select6(Header6WithDescriptor(0x10, 0, 1u << 20));
  EXPECT_EQ(h_.status(), kStatusGood);
}

TEST_F(Mode, NumberOfBlocksMustBeZero) {
  Bytes list = Header6WithDescriptor(0x10, 0, 512);
  list[7] = 1;
  Select6(list);
  EXPECT_EQ(h_.sense(), InvalidParamSense(5));
}

TEST_F(Mode, HeaderFieldsAreChecked) {
  Select6(Header6WithDescriptor(0x30, 0, 0));  // buffered mode 3
  EXPECT_EQ(h_.sense(), InvalidParamSense(2, 6));
  Select6(Header6WithDescriptor(0x11, 0, 0));  // speed 1
  EXPECT_EQ(h_.sense(), InvalidParamSense(2, 3));
  Bytes list = Header6WithDescriptor(0x10, 0, 0);
  list[1] = 0x18;  // medium type
  Select6(list);
  EXPECT_EQ(h_.sense(), InvalidParamSense(1));
  list = Header6WithDescriptor(0x10, 0, 0);
  list[3] = 4;  // block descriptor length
  Select6(list);
  EXPECT_EQ(h_.sense(), InvalidParamSense(3));
}

TEST_F(Mode, WriteProtectBitAndModeDataLengthAreIgnored) {
  Bytes list = Header6WithDescriptor(0x90, 0, 0);
  list[0] = 11;
  Select6(list);
  EXPECT_EQ(h_.status(), kStatusGood);
}

TEST_F(Mode, ParameterListLengthErrors) {
  Select6({0, 0});  // shorter than the header
  EXPECT_EQ(h_.sense(), ParameterListLengthSense());
  Select6({0, 0, 0x10, 8, 0, 0, 0, 0});  // descriptor cut short
  EXPECT_EQ(h_.sense(), ParameterListLengthSense());
  Select6(WithPage({0x0F, 0x0E, 0, 0x80}));  // page cut short
  EXPECT_EQ(h_.sense(), ParameterListLengthSense());
  Select6(WithPage({0x0F}));  // page header cut short
  EXPECT_EQ(h_.sense(), ParameterListLengthSense());
  // The CDB promises 12 bytes, the initiator sent 4.
  h_.Run({0x15, 0x10, 0, 0, 12, 0}, {0, 0, 0x10, 8});
  EXPECT_EQ(h_.sense(), ParameterListLengthSense());
}

TEST_F(Mode, ZeroLengthListChangesNothing) {
  h_.Run({0x15, 0x10, 0, 0, 0, 0});
  EXPECT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(SenseBlockDescriptor(), (Bytes{11, 0, 0x10, 8, 0x5E, 0, 0, 0, 0, 0, 0, 0}));
}

TEST_F(Mode, SavePagesIsNotSupported) {
  Select6(Header6WithDescriptor(0x10, 0, 0), 0x11);
  EXPECT_EQ(h_.sense(), SavingNotSupportedSense());
}

// What `mt compression 1|0` does through st: MODE SENSE(6) of page 0Fh without
// block descriptors, DCE set or cleared, MODE SELECT(6) of the page as read.
TEST_F(Mode, MtCompressionTurnsDceOnAndOff) {
  h_.Run({0x1A, 0x08, 0x0F, 0, 0xFF, 0}, {}, 255);
  Bytes list = h_.data();
  ASSERT_EQ(list.size(), 4u + 16u);
  list[0] = 0;
  list[4 + 2] |= 0x80;
  Select6(list);
  ASSERT_EQ(h_.status(), kStatusGood);
  Bytes on = {0x0F, 0x0E, 0xC0, 0x80, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0};
  EXPECT_EQ(SensePages(0x0F), on);
  Bytes config_on = kDeviceConfig;
  config_on[14] = 0x01;  // SELECT DATA COMPRESSION ALGORITHM follows DCE
  EXPECT_EQ(SensePages(0x10), config_on);
  EXPECT_EQ(SensePages(0x80 | 0x0F), kCompression);  // the default stays off

  list[4 + 2] &= 0x7F;
  Select6(list);
  ASSERT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(SensePages(0x0F), kCompression);
  EXPECT_EQ(SensePages(0x10), kDeviceConfig);
}

// The device configuration page's SELECT DATA COMPRESSION ALGORITHM is the
// same setting: 01h turns DCE on, 00h off, anything else is refused.
TEST_F(Mode, SelectDataCompressionAlgorithmSetsDce) {
  Bytes page = kDeviceConfig;
  page[14] = 0x01;
  Select6(WithPage(page));
  ASSERT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(SensePages(0x0F)[2], 0xC0);
  page[14] = 0x02;
  Select6(WithPage(page));
  EXPECT_EQ(h_.sense(),
            (Bytes{0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x26, 0x00, 0, 0x80, 0x00, 4 + 14}));
  EXPECT_EQ(SensePages(0x0F)[2], 0xC0);  // unchanged
  page[14] = 0x00;
  Select6(WithPage(page));
  ASSERT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(SensePages(0x0F), kCompression);
}

// DCC, DDE, RED and the algorithms are not changeable: INVALID FIELD IN
// PARAMETER LIST pointing at the first changed bit, and nothing changes.
TEST_F(Mode, NonChangeableCompressionBitsAreRefused) {
  Bytes page = kCompression;
  page[2] = 0x80;  // DCE set, DCC cleared
  Select6(WithPage(page));
  EXPECT_EQ(h_.sense(), (Bytes{0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x26, 0x00, 0,
                               0x80 | 0x08 | 6, 0x00, 4 + 2}));
  page = kCompression;
  page[3] = 0x00;  // DDE cleared
  Select6(WithPage(page));
  EXPECT_EQ(h_.sense(), InvalidParamSense(4 + 3, 7));
  page = kCompression;
  page[3] = 0xA0;  // RED 01b
  Select6(WithPage(page));
  EXPECT_EQ(h_.sense(), InvalidParamSense(4 + 3, 5));
  page = kCompression;
  page[7] = 0x00;  // no compression algorithm (what st sends with a c_algo set)
  Select6(WithPage(page));
  EXPECT_EQ(h_.sense(), InvalidParamSense(4 + 7, 0));
  EXPECT_EQ(SensePages(0x0F), kCompression);
}

// IBM and HP drives compress from power-on (current and default values);
// the generic drive does not.
TEST(ModeSensePersonality, CompressionIsOnByDefaultForIbmAndHp) {
  struct Case {
    const char* personality;
    const char* media;
    bool on;
  };
  for (const Case& c : {Case{"ibm-lto8", "LTO-8", true}, Case{"hp-lto6", "LTO-6", true},
                        Case{"hp-lto9", "LTO-9", true}, Case{"generic", "LTO-8", false}}) {
    DriveConfig config;
    config.personality = c.personality;
    const char* personality = c.personality;
    const bool on = c.on;
    DriveHarness h(std::string("mem:media=") + c.media, config);
    h.ClearPowerOnAttention();
    for (std::uint8_t pc : {0x00, 0x80, 0xC0}) {
      h.Run({0x1A, 0x08, static_cast<std::uint8_t>(pc | 0x0F), 0, 0xFF, 0}, {}, 255);
      ASSERT_EQ(h.status(), kStatusGood) << personality;
      Bytes expected = {0x0F, 0x0E, static_cast<std::uint8_t>(on ? 0xC0 : 0x40),
                        0x80, 0,    0,
                        0,    1,    0,
                        0,    0,    1,
                        0,    0,    0,
                        0};
      const Bytes d = h.data();
      ASSERT_EQ(d.size(), 4u + 16u);
      EXPECT_EQ(Bytes(d.begin() + 4, d.end()), expected) << personality << " pc " << int(pc);
      h.Run({0x1A, 0x08, static_cast<std::uint8_t>(pc | 0x10), 0, 0xFF, 0}, {}, 255);
      ASSERT_EQ(h.data().size(), 4u + 16u);
      EXPECT_EQ(h.data()[4 + 14], on ? 0x01 : 0x00) << personality << " pc " << int(pc);
    }
  }
}

TEST_F(Mode, ReportEarlyWarningIsChangeable) {
  Bytes page = kDeviceConfig;
  page[8] = 0x40;
  Select6(WithPage(page));
  EXPECT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(SensePages(0x10), page);
}

TEST_F(Mode, NonChangeableBitIsInvalidFieldWithBitPointer) {
  Bytes page = kDeviceConfig;
  page[8] = 0x01;  // LOIS cleared
  Select6(WithPage(page));
  EXPECT_EQ(h_.sense(), InvalidParamSense(4 + 8, 6));
  page = kInfoExceptions;
  page[3] = 0x03;  // MRIE
  Select6(WithPage(page));
  EXPECT_EQ(h_.sense(), InvalidParamSense(4 + 3, 1));
  page = kPartitionLto8;
  page[5] = 0x01;  // medium format recognition
  Select6(WithPage(page));
  EXPECT_EQ(h_.sense(), InvalidParamSense(4 + 5, 1));
}

TEST_F(Mode, UnknownPageAndWrongLengthAreRejected) {
  Select6(WithPage({0x05, 0x02, 0, 0}));
  EXPECT_EQ(h_.sense(), InvalidParamSense(4, 5));
  Bytes page = kCompression;
  page[1] = 0x0C;
  page.resize(14);
  Select6(WithPage(page));
  EXPECT_EQ(h_.sense(), InvalidParamSense(5));
}

TEST_F(Mode, PsBitEchoedFromModeSenseIsAccepted) {
  Bytes page = kCompression;
  page[0] |= 0x80;
  Select6(WithPage(page));
  EXPECT_EQ(h_.status(), kStatusGood);
}

TEST_F(Mode, SubpageFormatPageIsAccepted) {
  Select6(WithPage(DeviceConfigExtension()));
  EXPECT_EQ(h_.status(), kStatusGood);
  Bytes page = DeviceConfigExtension();
  page[1] = 0x02;  // no such subpage
  Select6(WithPage(page));
  EXPECT_EQ(h_.sense(), InvalidParamSense(5));
}

TEST_F(Mode, FailedSelectChangesNothing) {
  Bytes list = Header6WithDescriptor(0x00, 0, 512);
  Bytes page = kCompression;
  page[2] = 0xC0;  // DCE on: changeable
  page[3] = 0x00;  // DDE off: not
  AppendBytes(list, page);
  Select6(list);
  EXPECT_EQ(h_.sense(), InvalidParamSense(12 + 3, 7));
  EXPECT_EQ(SensePages(0x0F), kCompression);
  EXPECT_EQ(SenseBlockDescriptor(), (Bytes{11, 0, 0x10, 8, 0x5E, 0, 0, 0, 0, 0, 0, 0}));
}

TEST_F(Mode, Select10WithDescriptorAndPage) {
  Bytes list = {0, 0, 0, 0x10, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x04, 0x00};
  Bytes page = kDeviceConfig;
  page[8] = 0x40;
  AppendBytes(list, page);
  h_.Run({0x55, 0x10, 0, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(list.size()), 0}, list);
  EXPECT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(SenseBlockDescriptor()[10], 0x04);
  EXPECT_EQ(SensePages(0x10), page);
}

TEST_F(Mode, Select10LongLbaIsRejected) {
  Bytes list = {0, 0, 0, 0x10, 0x01, 0, 0, 0};
  h_.Run({0x55, 0x10, 0, 0, 0, 0, 0, 0, 8, 0}, list);
  EXPECT_EQ(h_.sense(), InvalidParamSense(4, 0));
}

}  // namespace
}  // namespace vtape::ssc::testing
