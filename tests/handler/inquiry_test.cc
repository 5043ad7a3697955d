// INQUIRY: standard data and the VPD pages, exact bytes.
#include <gtest/gtest.h>

#include "drive_harness.h"
#include "handler/ssc/identity.h"
#include "sense_bytes.h"

namespace vtape::ssc::testing {
namespace {

using Bytes = std::vector<std::uint8_t>;

DriveConfig Config(const std::string& personality, const std::string& serial,
                   const std::string& medium_name = "mem:") {
  DriveConfig c;
  c.personality = personality;
  c.serial = serial;
  c.medium_name = medium_name;
  return c;
}

Bytes StandardInquiry(const std::string& vendor, const std::string& product,
                      const std::string& revision, const std::string& serial12) {
  Bytes d = {0x01, 0x80, 0x06, 0x02, 51, 0, 0, 0};
  AppendBytes(d, Ascii(vendor, 8));
  AppendBytes(d, Ascii(product, 16));
  AppendBytes(d, Ascii(revision, 4));
  AppendBytes(d, {0, 0});
  AppendBytes(d, Ascii(serial12, 12));
  AppendBytes(d, Bytes(6, 0));
  return d;
}

TEST(Inquiry, StandardDataForGenericPersonalityWithDerivedSerial) {
  DriveHarness h("mem:", Config("generic", ""));
  h.Run({0x12, 0, 0, 0, 96, 0}, {}, 96);
  EXPECT_EQ(h.status(), kStatusGood);
  // FNV-1a 64 of "mem:" is 4301BAA2E313ABCC: the low 40 bits as 10 hex digits,
  // right-justified in 12 characters with leading zeros.
  EXPECT_EQ(h.data(), StandardInquiry("VTAPE", "VIRTUAL TAPE", "0100", "00A2E313ABCC"));
}

TEST(Inquiry, StandardDataForIbmPersonalityWithConfiguredSerial) {
  DriveHarness h("mem:", Config("ibm-lto8", "SN12345678"));
  h.Run({0x12, 0, 0, 0, 0xFF, 0}, {}, 255);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), StandardInquiry("IBM", "ULT3580-TD8", "Q3F3", "00SN12345678"));
}

TEST(Inquiry, LongSerialIsCutInStandardDataButWholeInVpd80) {
  DriveHarness h("mem:", Config("generic", "ABCDEFGHIJKLMNOP"));
  h.Run({0x12, 0, 0, 0, 96, 0}, {}, 96);
  EXPECT_EQ(h.data(), StandardInquiry("VTAPE", "VIRTUAL TAPE", "0100", "ABCDEFGHIJKL"));
  h.Run({0x12, 0x01, 0x80, 0, 96, 0}, {}, 96);
  Bytes expected = {0x01, 0x80, 0, 16};
  AppendBytes(expected, Ascii("ABCDEFGHIJKLMNOP", 16));
  EXPECT_EQ(h.data(), expected);
}

TEST(Inquiry, AllocationLengthTruncatesWithGoodStatus) {
  DriveHarness h("mem:", Config("generic", "X"));
  h.Run({0x12, 0, 0, 0, 5, 0}, {}, 96);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), (Bytes{0x01, 0x80, 0x06, 0x02, 51}));
  // A 16-bit allocation length (byte 3 is its high byte).
  h.Run({0x12, 0, 0, 0x01, 0x00, 0}, {}, 300);
  EXPECT_EQ(h.result().data_in_len, 56u);
}

TEST(Inquiry, SmallDataInBufferTruncates) {
  DriveHarness h("mem:", Config("generic", "X"));
  h.Run({0x12, 0, 0, 0, 96, 0}, {}, 10);
  EXPECT_EQ(h.status(), kStatusGood);
  Bytes expected = {0x01, 0x80, 0x06, 0x02, 51, 0, 0, 0, 'V', 'T'};
  EXPECT_EQ(h.data(), expected);
}

TEST(Inquiry, AnswersDespitePendingUnitAttentionAndLeavesIt) {
  DriveHarness h;
  h.Run({0x12, 0, 0, 0, 96, 0}, {}, 96);
  EXPECT_EQ(h.status(), kStatusGood);
  h.Run({0x00, 0, 0, 0, 0, 0});
  EXPECT_EQ(h.sense(), SenseBytes(0x06, 0x29, 0x00));
}

TEST(Inquiry, AnswersWithoutMedium) {
  DriveHarness h("", Config("generic", "S1"));
  h.Run({0x12, 0, 0, 0, 96, 0}, {}, 96);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.result().data_in_len, 56u);
}

TEST(Inquiry, SupportedVpdPages) {
  DriveHarness h;
  h.Run({0x12, 0x01, 0x00, 0, 96, 0}, {}, 96);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), (Bytes{0x01, 0x00, 0, 5, 0x00, 0x80, 0x83, 0xB0, 0xB5}));
}

TEST(Inquiry, UnitSerialNumberPage) {
  DriveHarness h("mem:", Config("generic", "SN12345678"));
  h.Run({0x12, 0x01, 0x80, 0, 96, 0}, {}, 96);
  Bytes expected = {0x01, 0x80, 0, 10};
  AppendBytes(expected, Ascii("SN12345678", 10));
  EXPECT_EQ(h.data(), expected);
}

TEST(Inquiry, DerivedSerialIsStableAndDependsOnMediumName) {
  DriveConfig a = Config("generic", "", "file:/tapes/A00001L8.img");
  EXPECT_EQ(UnitSerial(a), "44DD1A2409");
  EXPECT_EQ(UnitSerial(a), UnitSerial(a));
  EXPECT_EQ(UnitSerial(Config("generic", "", "mem:")), "A2E313ABCC");
  EXPECT_EQ(UnitSerial(Config("generic", "given", "mem:")), "given");
}

TEST(Inquiry, DeviceIdentificationPage) {
  DriveHarness h("mem:", Config("ibm-lto8", "SN12345678"));
  h.Run({0x12, 0x01, 0x83, 0, 0xFF, 0}, {}, 255);
  EXPECT_EQ(h.status(), kStatusGood);
  // NAA 3h + low 60 bits of FNV-1a 64("SN12345678") = F8B0A73FA6A5C6BC.
  Bytes expected = {0x01, 0x83, 0,    12 + 4 + 34, 0x01, 0x03, 0,    8,    0x38, 0xB0,
                    0xA7, 0x3F, 0xA6, 0xA5,        0xC6, 0xBC, 0x02, 0x01, 0,    34};
  AppendBytes(expected, Ascii("IBM", 8));
  AppendBytes(expected, Ascii("ULT3580-TD8", 16));
  AppendBytes(expected, Ascii("SN12345678", 10));
  EXPECT_EQ(h.data(), expected);
  EXPECT_EQ(NaaName("SN12345678"), 0x38B0A73FA6A5C6BCull);
}

TEST(Inquiry, SequentialAccessCapabilitiesPage) {
  DriveHarness h;
  h.Run({0x12, 0x01, 0xB0, 0, 96, 0}, {}, 96);
  EXPECT_EQ(h.data(), (Bytes{0x01, 0xB0, 0, 2, 0x01, 0}));  // WORM: the drive supports WORM
}

TEST(Inquiry, VpdPageTruncatedByAllocationLength) {
  DriveHarness h("mem:", Config("generic", "SN12345678"));
  h.Run({0x12, 0x01, 0x83, 0, 6, 0}, {}, 96);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), (Bytes{0x01, 0x83, 0, 50, 0x01, 0x03}));
}

TEST(Inquiry, PageCodeWithoutEvpdIsInvalidFieldByte2) {
  DriveHarness h;
  h.Run({0x12, 0, 0x80, 0, 96, 0}, {}, 96);
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), InvalidCdbSense(2));
  EXPECT_EQ(h.result().data_in_len, 0u);
}

TEST(Inquiry, UnknownVpdPageIsInvalidFieldByte2) {
  DriveHarness h;
  h.Run({0x12, 0x01, 0xC0, 0, 96, 0}, {}, 96);
  EXPECT_EQ(h.sense(), InvalidCdbSense(2));
}

TEST(Inquiry, CmdDtBitIsRejectedByTheUsageMask) {
  DriveHarness h;
  h.Run({0x12, 0x02, 0, 0, 96, 0}, {}, 96);
  EXPECT_EQ(h.sense(), InvalidCdbSense(1, 1));
}

// Linux's first INQUIRY to LUN 3 of a target it still takes for SCSI-2 carries
// the LUN in byte 1 bits 7-5; the drive must answer it like any INQUIRY.
TEST(Inquiry, Scsi2LunFieldIsIgnored) {
  DriveHarness h;
  h.Run({0x12, 0x00, 0, 0, 96, 0}, {}, 96);
  ASSERT_EQ(h.status(), kStatusGood);
  const Bytes plain = h.data();
  h.Run({0x12, 3 << 5, 0, 0, 96, 0}, {}, 96);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), plain);
  h.Run({0x12, (3 << 5) | 0x01, 0x80, 0, 96, 0}, {}, 96);
  EXPECT_EQ(h.status(), kStatusGood) << "VPD page 80h with the LUN field set";
}

TEST(Inquiry, OtherReservedBitsOfByte1AreStillRejected) {
  DriveHarness h;
  h.Run({0x12, 0x04, 0, 0, 96, 0}, {}, 96);
  EXPECT_EQ(h.sense(), InvalidCdbSense(1, 2));
}

// The identities real drives report, as LTFS 2.4.8.4's drive tables (ibm_tape.c,
// hp_tape.c) list them, with the firmware floors of ibm_tape_is_supported_firmware
// (LTO-5 B170, LTO-8 HB81; compared as big-endian 32-bit numbers). LTFS compares
// vendor and product as prefixes, so "HPE" would slip through its check for an
// LTO-7; the exact vendor is what the real drive sends ("HP" up to LTO-7).
struct RealIdentity {
  const char* personality;
  const char* vendor;
  const char* product;
  const char* firmware_floor;
};

TEST(Inquiry, IdentitiesAreTheRealDrivesLtfsAccepts) {
  const RealIdentity kReal[] = {
      {"ibm-lto5", "IBM", "ULT3580-TD5", "B170"}, {"ibm-lto6", "IBM", "ULT3580-TD6", ""},
      {"ibm-lto7", "IBM", "ULT3580-TD7", ""},     {"ibm-lto8", "IBM", "ULT3580-TD8", "HB81"},
      {"ibm-lto9", "IBM", "ULT3580-TD9", ""},     {"hp-lto5", "HP", "Ultrium 5-SCSI", ""},
      {"hp-lto6", "HP", "Ultrium 6-SCSI", ""},    {"hp-lto7", "HP", "Ultrium 7-SCSI", ""},
      {"hp-lto8", "HPE", "Ultrium 8-SCSI", ""},   {"hp-lto9", "HPE", "Ultrium 9-SCSI", ""},
  };
  for (const RealIdentity& real : kReal) {
    SCOPED_TRACE(real.personality);
    DriveHarness h("mem:", Config(real.personality, "SERIAL01"));
    h.Run({0x12, 0, 0, 0, 36, 0}, {}, 36);
    ASSERT_EQ(h.status(), kStatusGood);
    const Bytes& d = h.data();
    ASSERT_EQ(d.size(), 36u);
    EXPECT_EQ(Bytes(d.begin() + 8, d.begin() + 16), Ascii(real.vendor, 8));
    EXPECT_EQ(Bytes(d.begin() + 16, d.begin() + 32), Ascii(real.product, 16));
    Bytes revision(d.begin() + 32, d.begin() + 36), floor = Ascii(real.firmware_floor, 4);
    if (std::string(real.firmware_floor).empty()) floor = Bytes(4, 0);
    EXPECT_GE(revision, floor) << "firmware below LTFS's floor " << real.firmware_floor;
  }
}

}  // namespace
}  // namespace vtape::ssc::testing
