// The changer's SPC side and its element commands other than moves and READ
// ELEMENT STATUS: INQUIRY and VPD, TEST UNIT READY, REQUEST SENSE, MODE
// SENSE/SELECT, LOG SENSE, REPORT SUPPORTED OPERATION CODES, INITIALIZE ELEMENT
// STATUS, POSITION TO ELEMENT, PREVENT ALLOW MEDIUM REMOVAL, OPEN/CLOSE
// IMPORT/EXPORT ELEMENT. Exact bytes throughout.
#include <gtest/gtest.h>

#include "changer_harness.h"
#include "handler/spc/identity.h"

namespace vtape::smc::testing {
namespace {

using ssc::testing::AppendBytes;
using ssc::testing::InvalidCdbSense;
using ssc::testing::InvalidParamSense;

Bytes StandardInquiry(const std::string& vendor, const std::string& product,
                      const std::string& revision) {
  Bytes d = {0x08, 0x80, 0x06, 0x02, 51, 0, 0, 0};
  AppendBytes(d, Ascii(vendor, 8));
  AppendBytes(d, Ascii(product, 16));
  AppendBytes(d, Ascii(revision, 4));
  AppendBytes(d, Bytes(20, 0));
  return d;
}

TEST(ChangerInquiry, StandardDataIsMediumChangerWithPersonality) {
  ChangerHarness h;
  Answer a = h.Run({0x12, 0, 0, 0, 96, 0}, {}, 96);
  EXPECT_EQ(a.status(), spc::kStatusGood);
  EXPECT_EQ(a.data, StandardInquiry("VTAPE", "VIRTUAL LIBRARY", "0100"));
  ChangerHarness ibm("ibm-ts3100");
  EXPECT_EQ(ibm.Run({0x12, 0, 0, 0, 96, 0}, {}, 96).data,
            StandardInquiry("IBM", "3573-TL", "F.11"));
  ChangerHarness hp("hpe-msl");
  EXPECT_EQ(hp.Run({0x12, 0, 0, 0, 96, 0}, {}, 96).data,
            StandardInquiry("HP", "MSL G3 Series", "9.90"));
}

TEST(ChangerInquiry, VpdPagesCarryTheLibrarySerial) {
  ChangerHarness h;
  EXPECT_EQ(h.Run({0x12, 1, 0x00, 0, 96, 0}, {}, 96).data,
            (Bytes{0x08, 0x00, 0, 3, 0x00, 0x80, 0x83}));
  Bytes serial = {0x08, 0x80, 0, 10};
  AppendBytes(serial, Ascii(kLibrarySerial, 10));
  EXPECT_EQ(h.Run({0x12, 1, 0x80, 0, 96, 0}, {}, 96).data, serial);

  Bytes id = {0x08, 0x83, 0, 12 + 4 + 34, 0x01, 0x03, 0x00, 8};
  const std::uint64_t naa = spc::NaaName(kLibrarySerial);
  for (int i = 7; i >= 0; --i) id.push_back(static_cast<std::uint8_t>(naa >> (8 * i)));
  AppendBytes(id, {0x02, 0x01, 0x00, 34});
  AppendBytes(id, Ascii("VTAPE", 8));
  AppendBytes(id, Ascii("VIRTUAL LIBRARY", 16));
  AppendBytes(id, Ascii(kLibrarySerial, 10));
  EXPECT_EQ(h.Run({0x12, 1, 0x83, 0, 255, 0}, {}, 255).data, id);
  // B0h is the drive's page, not the changer's.
  EXPECT_EQ(h.Run({0x12, 1, 0xB0, 0, 96, 0}, {}, 96).sense(), InvalidCdbSense(2));
}

TEST(ChangerStatus, TestUnitReadyAndRequestSense) {
  ChangerHarness h;
  EXPECT_EQ(h.Run({0x00, 0, 0, 0, 0, 0}).status(), spc::kStatusGood);
  Answer a = h.Run({0x03, 0, 0, 0, 18, 0}, {}, 18);
  EXPECT_EQ(a.status(), spc::kStatusGood);
  EXPECT_EQ(a.data, SenseBytes(0x00, 0x00, 0x00));
}

Bytes ElementAddressPage() {
  return {0x1D, 0x12, 0x00, 0x00, 0x00, 0x01, 0x10, 0x00, 0x00, 0x04,
          0x03, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x02, 0x00, 0x00};
}
Bytes CapabilitiesPage() {
  return {0x1F, 0x12, 0x0E, 0,    0x00, 0x0E, 0x0E, 0x0E, 0, 0,
          0,    0,    0x00, 0x0E, 0x0E, 0x0E, 0,    0,    0, 0};
}

TEST(ChangerMode, ElementAddressAssignmentPage) {
  ChangerHarness h;
  Bytes expected = {23, 0, 0, 0};
  AppendBytes(expected, ElementAddressPage());
  EXPECT_EQ(h.Run({0x1A, 0x08, 0x1D, 0, 255, 0}, {}, 255).data, expected);
}

TEST(ChangerMode, AllPagesInTenByteFormAndTheirChangeableView) {
  ChangerHarness h;
  Bytes expected = {0, 50, 0, 0, 0, 0, 0, 0};
  AppendBytes(expected, ElementAddressPage());
  AppendBytes(expected, {0x1E, 0x02, 0x00, 0x00});
  AppendBytes(expected, CapabilitiesPage());
  EXPECT_EQ(h.Run({0x5A, 0, 0x3F, 0, 0, 0, 0, 0, 255, 0}, {}, 255).data, expected);

  Bytes changeable = {23, 0, 0, 0, 0x1F, 0x12};
  AppendBytes(changeable, Bytes(18, 0));
  EXPECT_EQ(h.Run({0x1A, 0, 0x40 | 0x1F, 0, 255, 0}, {}, 255).data, changeable);
}

TEST(ChangerMode, UnknownPageAndSubpageAreRefused) {
  ChangerHarness h;
  EXPECT_EQ(h.Run({0x1A, 0, 0x10, 0, 255, 0}, {}, 255).sense(), InvalidCdbSense(2, 5));
  EXPECT_EQ(h.Run({0x1A, 0, 0x1D, 0x01, 255, 0}, {}, 255).sense(), InvalidCdbSense(3));
}

TEST(ChangerMode, SelectAcceptsPagesUnchangedAndPointsAtAChangedByte) {
  ChangerHarness h;
  Bytes list = {0, 0, 0, 0};
  AppendBytes(list, CapabilitiesPage());
  EXPECT_EQ(h.Run({0x15, 0x10, 0, 0, 24, 0}, list).status(), spc::kStatusGood);
  list[4 + 5] = 0x0F;  // ST -> MT: the transport stores nothing
  EXPECT_EQ(h.Run({0x15, 0x10, 0, 0, 24, 0}, list).sense(), InvalidParamSense(9, 0));
  Bytes with_descriptor = {0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(h.Run({0x15, 0x10, 0, 0, 12, 0}, with_descriptor).sense(), InvalidParamSense(3));
}

TEST(ChangerLog, SupportedPagesAndTapeAlert) {
  ChangerHarness h;
  EXPECT_EQ(h.Run({0x4D, 0, 0x40, 0, 0, 0, 0, 0, 255, 0}, {}, 255).data,
            (Bytes{0x80, 0, 0, 2, 0x00, 0x2E}));
  Answer a = h.Run({0x4D, 0, 0x40 | 0x2E, 0, 0, 0, 0, 0x02, 0, 0}, {}, 512);
  Bytes expected = {0xAE, 0, 0x01, 0x40};
  for (std::uint8_t flag = 1; flag <= 64; ++flag) AppendBytes(expected, {0, flag, 0x03, 1, 0});
  EXPECT_EQ(a.data, expected);
  EXPECT_EQ(h.Run({0x4D, 0, 0x40 | 0x0C, 0, 0, 0, 0, 0, 255, 0}, {}, 255).sense(),
            InvalidCdbSense(2, 5));
}

TEST(ChangerOpcodes, AllCommandsAndMoveMediumUsageData) {
  ChangerHarness h;
  Answer all = h.Run({0xA3, 0x0C, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0}, {}, 4096);
  ASSERT_EQ(all.data.size(), 4u + 18 * 8);
  EXPECT_EQ(Bytes(all.data.begin(), all.data.begin() + 12),
            (Bytes{0, 0, 0, 18 * 8, 0x00, 0, 0, 0, 0, 0, 0, 6}));
  Bytes move = {0, 0x03, 0, 12, 0xA5, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0};
  EXPECT_EQ(h.Run({0xA3, 0x0C, 0x01, 0xA5, 0, 0, 0, 0, 0, 64, 0, 0}, {}, 64).data, move);
  // READ BLOCK LIMITS is the drive's: not supported here.
  EXPECT_EQ(h.Run({0xA3, 0x0C, 0x01, 0x05, 0, 0, 0, 0, 0, 64, 0, 0}, {}, 64).data,
            (Bytes{0, 0x01, 0, 0}));
  EXPECT_EQ(h.Run({0x05, 0, 0, 0, 0, 0}).sense(), SenseBytes(0x05, 0x20, 0x00));
}

TEST(ChangerElement, InitializeElementStatusAndPositionToElement) {
  ChangerHarness h;
  EXPECT_EQ(h.Run({0x07, 0, 0, 0, 0, 0}).status(), spc::kStatusGood);
  EXPECT_EQ(h.Run({0x37, 0x01, 0x10, 0x00, 0, 0, 0, 4, 0, 0}).status(), spc::kStatusGood);
  EXPECT_EQ(h.Run({0x37, 0x01, 0x20, 0x00, 0, 0, 0, 4, 0, 0}).sense(), InvalidElementSense());
  EXPECT_EQ(h.Run({0x37, 0x00, 0x20, 0x00, 0, 0, 0, 4, 0, 0}).status(), spc::kStatusGood);
  EXPECT_EQ(h.Run({0x2B, 0, 0, 0, 0x01, 0x01, 0, 0, 0, 0}).status(), spc::kStatusGood);
  EXPECT_EQ(h.Run({0x2B, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0}).sense(), InvalidElementSense());
  EXPECT_EQ(h.Run({0x2B, 0, 0, 1, 0x10, 0x00, 0, 0, 0, 0}).sense(), InvalidElementSense());
  // INVERT is not offered.
  EXPECT_EQ(h.Run({0x2B, 0, 0, 0, 0x10, 0x00, 0, 0, 0x01, 0}).sense(), InvalidCdbSense(8, 0));
}

TEST(ChangerElement, PreventAllowLocksTheImportExportElements) {
  ChangerHarness h;
  EXPECT_EQ(h.Run({0x1E, 0, 0, 0, 0x01, 0}).status(), spc::kStatusGood);
  EXPECT_TRUE(h.DiskState().removal_prevented);
  EXPECT_EQ(h.Run({0x1E, 0, 0, 0, 0x02, 0}).sense(), InvalidCdbSense(4, 1));
  EXPECT_EQ(h.Run({0x1E, 0, 0, 0, 0x00, 0}).status(), spc::kStatusGood);
  EXPECT_FALSE(h.DiskState().removal_prevented);
  // The changer's own changes raise no unit attention.
  EXPECT_EQ(h.Run({0x00, 0, 0, 0, 0, 0}).status(), spc::kStatusGood);
}

TEST(ChangerElement, PowerOnEndsThePrevention) {
  ChangerHarness h;
  ASSERT_EQ(h.Run({0x1E, 0, 0, 0, 0x01, 0}).status(), spc::kStatusGood);
  DrivesPort port({ssc::DriveConfig{}, ssc::DriveConfig{}});
  Changer restarted({}, h.library(), port);
  EXPECT_FALSE(h.DiskState().removal_prevented);
}

TEST(ChangerElement, OpenCloseImportExportElement) {
  ChangerHarness h;
  EXPECT_EQ(h.Run({0x1B, 0, 0x03, 0x00, 0x00, 0}).status(), spc::kStatusGood);
  EXPECT_TRUE(h.DiskState().import_export[0].door_open);
  EXPECT_EQ(h.Run({0x1B, 0, 0x03, 0x00, 0x02, 0}).sense(), InvalidCdbSense(4, 4));
  EXPECT_EQ(h.Run({0x1B, 0, 0x10, 0x00, 0x00, 0}).sense(), InvalidElementSense());
  EXPECT_EQ(h.Run({0x1B, 0, 0x03, 0x00, 0x01, 0}).status(), spc::kStatusGood);
  EXPECT_FALSE(h.DiskState().import_export[0].door_open);
  // Opening while PREVENT MEDIUM REMOVAL is in effect is refused.
  EXPECT_EQ(h.Run({0x1E, 0, 0, 0, 0x01, 0}).status(), spc::kStatusGood);
  EXPECT_EQ(h.Run({0x1B, 0, 0x03, 0x00, 0x00, 0}).sense(), SenseBytes(0x05, 0x53, 0x02));
}

TEST(ChangerAttention, AnotherProcessChangingTheLibraryRaisesUnitAttention28) {
  ChangerHarness h;
  std::unique_ptr<library::Library> operator_side = h.OtherProcess();
  ASSERT_TRUE(operator_side->Import(NewCartridge("B00001L8"), std::nullopt).ok());
  EXPECT_EQ(h.Run({0x00, 0, 0, 0, 0, 0}).sense(), SenseBytes(0x06, 0x28, 0x00));
  EXPECT_EQ(h.Run({0x00, 0, 0, 0, 0, 0}).status(), spc::kStatusGood);
  // INQUIRY does not report it; the next other command does.
  ASSERT_TRUE(operator_side->Export(library::kFirstImportExportAddress).ok());
  EXPECT_EQ(h.Run({0x12, 0, 0, 0, 96, 0}, {}, 96).status(), spc::kStatusGood);
  Answer sense = h.Run({0x03, 0, 0, 0, 18, 0}, {}, 18);
  EXPECT_EQ(sense.data, SenseBytes(0x06, 0x28, 0x00));
}

}  // namespace
}  // namespace vtape::smc::testing
