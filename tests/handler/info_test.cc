// READ BLOCK LIMITS, REPORT DENSITY SUPPORT, REPORT SUPPORTED OPERATION CODES,
// and the command table's usage data.
#include <gtest/gtest.h>

#include "drive_harness.h"
#include "handler/ssc/commands.h"
#include "sense_bytes.h"

namespace vtape::ssc::testing {
namespace {

using Bytes = std::vector<std::uint8_t>;

DriveConfig WithPersonality(const std::string& personality) {
  DriveConfig c;
  c.personality = personality;
  return c;
}

DriveConfig WithMaxTransfer(std::uint32_t bytes) {
  DriveConfig c;
  c.max_transfer_bytes = bytes;
  return c;
}

// ---- READ BLOCK LIMITS --------------------------------------------------------

TEST(ReadBlockLimits, DefaultTransferLimit) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  h.Run({0x05, 0, 0, 0, 0, 0}, {}, 6);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), (Bytes{0x00, 0x10, 0x00, 0x00, 0x00, 0x01}));
}

TEST(ReadBlockLimits, FollowsTheConfiguredTransferLimit) {
  DriveHarness h("mem:", WithMaxTransfer(64 * 1024));
  h.ClearPowerOnAttention();
  h.Run({0x05, 0, 0, 0, 0, 0}, {}, 6);
  EXPECT_EQ(h.data(), (Bytes{0x00, 0x01, 0x00, 0x00, 0x00, 0x01}));
}

TEST(ReadBlockLimits, CappedByTheRecordLimitAnd24Bits) {
  DriveHarness h("mem:", WithMaxTransfer(64u << 20));
  h.ClearPowerOnAttention();
  h.Run({0x05, 0, 0, 0, 0, 0}, {}, 6);
  // 16 MiB (kMaxRecordBytes) does not fit the 24-bit field: FFFFFFh.
  EXPECT_EQ(h.data(), (Bytes{0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x01}));
}

TEST(ReadBlockLimits, MloiForm) {
  DriveHarness h("");
  h.ClearPowerOnAttention();
  h.Run({0x05, 0x01, 0, 0, 0, 0}, {}, 64);
  EXPECT_EQ(h.status(), kStatusGood);
  Bytes expected(20, 0);
  expected[16] = expected[17] = expected[18] = expected[19] = 0xFF;
  EXPECT_EQ(h.data(), expected);
}

TEST(ReadBlockLimits, SmallBufferTruncates) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  h.Run({0x05, 0, 0, 0, 0, 0}, {}, 3);
  EXPECT_EQ(h.data(), (Bytes{0x00, 0x10, 0x00}));
}

// ---- REPORT DENSITY SUPPORT -------------------------------------------------------

Bytes DensityDescriptor(std::uint8_t code, std::uint8_t flags, std::uint32_t bits_per_mm,
                        std::uint16_t tracks, std::uint32_t capacity_mb, const std::string& name,
                        const std::string& description) {
  Bytes d = {code,
             code,
             flags,
             0,
             47,
             static_cast<std::uint8_t>(bits_per_mm >> 16),
             static_cast<std::uint8_t>(bits_per_mm >> 8),
             static_cast<std::uint8_t>(bits_per_mm),
             0,
             127,
             static_cast<std::uint8_t>(tracks >> 8),
             static_cast<std::uint8_t>(tracks),
             static_cast<std::uint8_t>(capacity_mb >> 24),
             static_cast<std::uint8_t>(capacity_mb >> 16),
             static_cast<std::uint8_t>(capacity_mb >> 8),
             static_cast<std::uint8_t>(capacity_mb)};
  AppendBytes(d, Ascii("LTO-CVE", 8));
  AppendBytes(d, Ascii(name, 8));
  AppendBytes(d, Ascii(description, 20));
  return d;
}

Bytes Rds(DriveHarness& h, std::uint8_t flags, std::uint16_t allocation = 4096) {
  h.Run({0x44, flags, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(allocation >> 8),
         static_cast<std::uint8_t>(allocation), 0},
        {}, 4096);
  return h.data();
}

TEST(ReportDensitySupport, Lto7DriveReadsLto5WritesLto6And7) {
  DriveHarness h("mem:", WithPersonality("ibm-lto7"));
  h.ClearPowerOnAttention();
  Bytes expected = {0, 2 + 3 * 52, 0, 0};
  AppendBytes(expected,
              DensityDescriptor(0x58, 0x01, 15142, 1280, 1500000, "U-516", "Ultrium 5/16T"));
  AppendBytes(expected,
              DensityDescriptor(0x5A, 0x81, 15143, 2176, 2500000, "U-616", "Ultrium 6/16T"));
  AppendBytes(expected,
              DensityDescriptor(0x5C, 0xA1, 19107, 3584, 6000000, "U-732", "Ultrium 7/32T"));
  EXPECT_EQ(Rds(h, 0), expected);
  EXPECT_EQ(h.status(), kStatusGood);
}

TEST(ReportDensitySupport, Lto5DriveListsTheOlderGenerations) {
  DriveHarness h("mem:media=LTO-5", WithPersonality("hp-lto5"));
  h.ClearPowerOnAttention();
  Bytes d = Rds(h, 0);
  ASSERT_EQ(d.size(), 4u + 3 * 52);
  EXPECT_EQ((Bytes{d[4], d[6], d[56], d[58], d[108], d[110]}),
            (Bytes{0x44, 0x01, 0x46, 0x81, 0x58, 0xA1}));
}

TEST(ReportDensitySupport, GenericDriveDefaultsToTheNewestGeneration) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  Bytes d = Rds(h, 0);
  ASSERT_EQ(d.size(), 4u + 6 * 52);
  Bytes codes, flags;
  for (std::size_t at = 4; at < d.size(); at += 52) {
    codes.push_back(d[at]);
    flags.push_back(d[at + 2]);
  }
  EXPECT_EQ(codes, (Bytes{0x58, 0x5A, 0x5C, 0x5D, 0x5E, 0x60}));
  EXPECT_EQ(flags, (Bytes{0x81, 0x81, 0x81, 0x81, 0x81, 0xA1}));
}

TEST(ReportDensitySupport, MediaBitReportsTheLoadedMediumWithItsCapacity) {
  DriveHarness h("mem:capacity=100000000");
  h.ClearPowerOnAttention();
  Bytes expected = {0, 2 + 52, 0, 0};
  AppendBytes(expected, DensityDescriptor(0x5E, 0xA1, 20668, 6656, 100, "U-832", "Ultrium 8/32T"));
  EXPECT_EQ(Rds(h, 0x01), expected);
}

TEST(ReportDensitySupport, MediaBitOnAMediumTheDriveOnlyReads) {
  DriveHarness h("mem:media=LTO-5", WithPersonality("ibm-lto7"));
  h.ClearPowerOnAttention();
  Bytes d = Rds(h, 0x01);
  ASSERT_EQ(d.size(), 4u + 52);
  EXPECT_EQ(d[4], 0x58);
  EXPECT_EQ(d[6], 0x21);  // DEFLT, DLV, but not WRTOK
}

TEST(ReportDensitySupport, MediaBitWithoutMediumIsNotReady) {
  DriveHarness h("");
  h.ClearPowerOnAttention();
  Rds(h, 0x01);
  EXPECT_EQ(h.sense(), MediumNotPresentSense());
  Rds(h, 0x00);  // the drive's own list needs no medium
  EXPECT_EQ(h.status(), kStatusGood);
}

TEST(ReportDensitySupport, MediumTypeDescriptors) {
  DriveHarness h("mem:", WithPersonality("ibm-lto8"));
  h.ClearPowerOnAttention();
  Bytes expected = {0, 2 + 2 * 56, 0, 0};
  for (auto [code, length, name] :
       {std::tuple<std::uint8_t, std::uint16_t, std::string>{0x5C, 960, "LTO-7"},
        {0x5E, 960, "LTO-8"}}) {
    Bytes d = {0,
               0,
               0,
               52,
               1,
               code,
               0,
               0,
               0,
               0,
               0,
               0,
               0,
               0,
               0,
               127,
               static_cast<std::uint8_t>(length >> 8),
               static_cast<std::uint8_t>(length),
               0,
               0};
    AppendBytes(d, Ascii("LTO-CVE", 8));
    AppendBytes(d, Ascii(name, 8));
    AppendBytes(d, Ascii(name + " data cartridge", 20));
    AppendBytes(expected, d);
  }
  EXPECT_EQ(Rds(h, 0x02), expected);
  Bytes media = Rds(h, 0x03);  // the loaded medium's type only
  ASSERT_EQ(media.size(), 4u + 56);
  EXPECT_EQ(Bytes(media.begin() + 4, media.end()), Bytes(expected.begin() + 60, expected.end()));
}

TEST(ReportDensitySupport, AllocationLengthTruncates) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  Bytes d = Rds(h, 0, 6);
  EXPECT_EQ(d, (Bytes{0x01, 0x3A, 0, 0, 0x58, 0x58}));
}

// ---- REPORT SUPPORTED OPERATION CODES ------------------------------------------

Bytes Rsoc(DriveHarness& h, std::uint8_t options, std::uint8_t opcode = 0, std::uint16_t sa = 0,
           std::uint32_t allocation = 8192) {
  h.Run({0xA3, 0x0C, options, opcode, static_cast<std::uint8_t>(sa >> 8),
         static_cast<std::uint8_t>(sa), static_cast<std::uint8_t>(allocation >> 24),
         static_cast<std::uint8_t>(allocation >> 16), static_cast<std::uint8_t>(allocation >> 8),
         static_cast<std::uint8_t>(allocation), 0, 0},
        {}, 8192);
  return h.data();
}

TEST(ReportSupportedOpcodes, AllCommands) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  Bytes d = Rsoc(h, 0x00);
  ASSERT_EQ(h.status(), kStatusGood);
  const std::size_t n = AllCommands().size();
  ASSERT_EQ(d.size(), 4 + 8 * n);
  EXPECT_EQ(Bytes(d.begin(), d.begin() + 4), (Bytes{0, 0, static_cast<std::uint8_t>((8 * n) >> 8),
                                                    static_cast<std::uint8_t>(8 * n)}));
  EXPECT_EQ(Bytes(d.begin() + 4, d.begin() + 12), (Bytes{0x00, 0, 0, 0, 0, 0x00, 0, 6}));
  for (std::size_t i = 0; i < n; ++i) {
    const CommandInfo& c = AllCommands()[i];
    const std::size_t at = 4 + 8 * i;
    EXPECT_EQ(d[at], c.opcode);
    EXPECT_EQ(d[at + 7], c.cdb_length);
  }
  // In opcode order: the service-action commands (this very command, REPORT
  // TIMESTAMP and SET TIMESTAMP), then SECURITY PROTOCOL OUT.
  EXPECT_EQ(Bytes(d.end() - 32, d.end()),
            (Bytes{0xA3, 0, 0, 0x0C, 0, 0x01, 0, 12, 0xA3, 0, 0, 0x0F, 0, 0x01, 0, 12,  //
                   0xA4, 0, 0, 0x0F, 0, 0x01, 0, 12, 0xB5, 0, 0, 0,    0, 0x00, 0, 12}));
}

TEST(ReportSupportedOpcodes, AllCommandsWithTimeouts) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  Bytes d = Rsoc(h, 0x80);
  const std::size_t n = AllCommands().size();
  ASSERT_EQ(d.size(), 4 + 20 * n);
  // TEST UNIT READY: CTDP, then a 60 s recommended timeout.
  EXPECT_EQ(Bytes(d.begin() + 4, d.begin() + 24),
            (Bytes{0x00, 0, 0, 0, 0, 0x02, 0, 6, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 60}));
  // REWIND (medium commands): 900 s.
  EXPECT_EQ(Bytes(d.begin() + 24, d.begin() + 44),
            (Bytes{0x01, 0, 0, 0, 0, 0x02, 0, 6, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0x03, 0x84}));
}

TEST(ReportSupportedOpcodes, OneCommandWithUsageData) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  EXPECT_EQ(Rsoc(h, 0x01, 0x08), (Bytes{0, 0x03, 0, 6, 0x08, 0x03, 0xFF, 0xFF, 0xFF, 0x00}));
  EXPECT_EQ(Rsoc(h, 0x81, 0x12), (Bytes{0,  0x83, 0, 6, 0x12, 0x01, 0xFF, 0xFF, 0xFF, 0x00, 0,
                                        10, 0,    0, 0, 0,    0,    0,    0,    0,    0,    60}));
}

TEST(ReportSupportedOpcodes, UnsupportedOpcodeIsSupport001) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  EXPECT_EQ(Rsoc(h, 0x01, 0xC7), (Bytes{0, 0x01, 0, 0}));
  EXPECT_EQ(h.status(), kStatusGood);
}

TEST(ReportSupportedOpcodes, ServiceActionForms) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  Bytes self = {0, 0x03, 0, 12, 0xA3, 0x0C, 0x87, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0};
  EXPECT_EQ(Rsoc(h, 0x02, 0xA3, 0x0C), self);
  EXPECT_EQ(Rsoc(h, 0x02, 0xA3, 0x10), (Bytes{0, 0x01, 0, 0}));
  EXPECT_EQ(Rsoc(h, 0x03, 0xA3, 0x0C), self);
  // Option 011b: the service action is ignored for opcodes without them.
  EXPECT_EQ(Rsoc(h, 0x03, 0x08, 0x1234), (Bytes{0, 0x03, 0, 6, 0x08, 0x03, 0xFF, 0xFF, 0xFF, 0}));
}

TEST(ReportSupportedOpcodes, MismatchedOptionsAreInvalidFields) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  Rsoc(h, 0x01, 0xA3);  // has service actions
  EXPECT_EQ(h.sense(), InvalidCdbSense(3));
  Rsoc(h, 0x02, 0x08);  // has none
  EXPECT_EQ(h.sense(), InvalidCdbSense(3));
  Rsoc(h, 0x04);
  EXPECT_EQ(h.sense(), InvalidCdbSense(2, 2));
  Rsoc(h, 0x08);  // reserved bit next to the field: the usage mask
  EXPECT_EQ(h.sense(), InvalidCdbSense(2, 3));
}

TEST(ReportSupportedOpcodes, AllocationLengthTruncates) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  Bytes d = Rsoc(h, 0x00, 0, 0, 6);
  EXPECT_EQ(d.size(), 6u);
  EXPECT_EQ(h.status(), kStatusGood);
}

TEST(ReportSupportedOpcodes, OtherMaintenanceInServiceActionIsRejected) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  h.Run({0xA3, 0x0D, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0}, {}, 4096);
  EXPECT_EQ(h.sense(), InvalidCdbSense(1, 4));
}

// ---- the command table -------------------------------------------------------

TEST(CommandTable, UsageDataIsConsistent) {
  for (const CommandInfo& c : AllCommands()) {
    EXPECT_EQ(c.usage[0], c.opcode) << c.name;
    EXPECT_EQ(c.usage[c.cdb_length - 1], 0) << c.name << ": CONTROL supports no NACA/link";
    for (std::size_t i = c.cdb_length; i < c.usage.size(); ++i) EXPECT_EQ(c.usage[i], 0) << c.name;
    EXPECT_EQ(FindCommand(c.opcode, c.service_action.value_or(0)), &c) << c.name;
    if (c.service_action) {
      EXPECT_EQ(c.usage[1] & 0x1F, *c.service_action) << c.name;
    }
  }
}

}  // namespace
}  // namespace vtape::ssc::testing
