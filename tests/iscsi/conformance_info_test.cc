// Identification and parameter commands over iSCSI: INQUIRY and VPD, TEST UNIT
// READY, READ BLOCK LIMITS, REPORT DENSITY SUPPORT, MODE SENSE/SELECT, LOG
// SENSE, and how bad CDBs are refused.
#include <algorithm>
#include <string>

#include "tests/iscsi/fixture.h"

namespace vtape::iscsi_test {
namespace {

using InfoTest = DriveTest;

TEST_F(InfoTest, StandardInquiryIsASequentialAccessDevice) {
  Reply r = Run(cdb::Inquiry(false, 0, 96), 96);
  ASSERT_GOOD(r);
  EXPECT_EQ(r.data[0], 0x01) << "peripheral qualifier 0, device type 01h (sequential access)";
  EXPECT_EQ(r.data[1] & 0x80, 0x80) << "RMB: the medium is removable";
  EXPECT_EQ(r.data[2], 0x06) << "VERSION: SPC-4";
  EXPECT_EQ(r.data[3] & 0x0F, 0x02) << "response data format 2";
  EXPECT_GE(r.data[4] + 5, 36) << "additional length";
  EXPECT_EQ(Trimmed(r.data, 8, 8), Expect().vendor);
  EXPECT_EQ(Trimmed(r.data, 16, 16), Expect().product);
}

TEST_F(InfoTest, InquiryPageCodeWithoutEvpdIsRefused) {
  Reply r = Run(cdb::Inquiry(false, 0x80, 96), 96);
  EXPECT_SENSE(r, 0x5, 0x24, 0x00);
}

TEST_F(InfoTest, SupportedVpdPagesAreAllServed) {
  Reply r = Run(cdb::Inquiry(true, 0x00, 255), 255);
  ASSERT_GOOD(r);
  EXPECT_EQ(r.data[0], 0x01);
  EXPECT_EQ(r.data[1], 0x00);
  std::size_t n = Get16(r.data, 2);
  ASSERT_LE(n + 4, r.data.size());
  std::vector<std::uint8_t> pages(r.data.begin() + 4, r.data.begin() + 4 + static_cast<long>(n));
  EXPECT_TRUE(std::is_sorted(pages.begin(), pages.end()));
  for (std::uint8_t must : {0x00, 0x80, 0x83}) {
    EXPECT_NE(std::find(pages.begin(), pages.end(), must), pages.end())
        << "VPD page " << int(must) << " missing";
  }
  for (std::uint8_t page : pages) {
    Reply p = Run(cdb::Inquiry(true, page, 255), 255);
    ASSERT_GOOD(p) << " VPD page " << int(page);
    EXPECT_EQ(p.data[0], 0x01) << "VPD page " << int(page);
    EXPECT_EQ(p.data[1], page);
  }
  // The first page code in 01h..7Fh that is not listed must be refused.
  std::uint8_t missing = 0x01;
  while (std::find(pages.begin(), pages.end(), missing) != pages.end()) ++missing;
  Reply bad = Run(cdb::Inquiry(true, missing, 255), 255);
  EXPECT_SENSE(bad, 0x5, 0x24, 0x00);
}

TEST_F(InfoTest, UnitSerialNumberPage) {
  Reply r = Run(cdb::Inquiry(true, 0x80, 255), 255);
  ASSERT_GOOD(r);
  std::size_t n = Get16(r.data, 2);
  ASSERT_GT(n, 0u);
  std::string serial = Trimmed(r.data, 4, n);
  EXPECT_FALSE(serial.empty());
  if (!Expect().serial.empty()) {
    EXPECT_EQ(serial, Expect().serial);
  }
}

TEST_F(InfoTest, DeviceIdentificationDesignatorsFillThePage) {
  Reply r = Run(cdb::Inquiry(true, 0x83, 512), 512);
  ASSERT_GOOD(r);
  std::size_t n = Get16(r.data, 2);
  ASSERT_LE(n + 4, r.data.size());
  std::size_t at = 4, count = 0;
  bool t10_vendor = false;
  while (at < 4 + n) {
    ASSERT_LE(at + 4, 4 + n);
    std::size_t len = r.data[at + 3];
    if ((r.data[at + 1] & 0x0F) == 0x01 && len >= 8) {
      t10_vendor = Trimmed(r.data, at + 4, 8) == Expect().vendor;
    }
    at += 4 + len;
    ++count;
  }
  EXPECT_EQ(at, 4 + n) << "designators must end exactly at the page length";
  EXPECT_GE(count, 1u);
  EXPECT_TRUE(t10_vendor) << "a T10 vendor ID designator starting with the vendor";
}

TEST_F(InfoTest, TestUnitReadyWithMediumIsGood) {
  EXPECT_GOOD(Run(cdb::TestUnitReady()));
}

TEST_F(InfoTest, ReadBlockLimitsReportsTheTransferLimit) {
  Reply r = Run(cdb::ReadBlockLimits(), 6);
  ASSERT_GOOD(r);
  EXPECT_EQ(r.data[0] & 0x1F, 0) << "granularity";
  EXPECT_EQ(Get24(r.data, 1), Expect().max_block) << "maximum block length";
  EXPECT_EQ(Get16(r.data, 4), 1u) << "minimum block length";
}

TEST_F(InfoTest, ReportDensitySupportListsTheDrivesDensities) {
  Reply r = Run(cdb::ReportDensitySupport(false, 1024), 1024);
  ASSERT_GOOD(r);
  std::size_t avail = Get16(r.data, 0);
  ASSERT_GE(avail, 2u);
  ASSERT_EQ((avail - 2) % 52, 0u) << "descriptors are 52 bytes";
  std::vector<std::uint8_t> densities;
  for (std::size_t at = 4; at + 52 <= avail + 2; at += 52) densities.push_back(r.data[at]);
  EXPECT_EQ(densities, Expect().densities);

  Reply media = Run(cdb::ReportDensitySupport(true, 1024), 1024);
  ASSERT_GOOD(media);
  std::size_t mavail = Get16(media.data, 0);
  ASSERT_EQ((mavail - 2) % 52, 0u);
  ASSERT_GE(mavail, 54u) << "the loaded medium has a density";
  EXPECT_EQ(mavail, 54u) << "exactly one descriptor: the medium's";
  EXPECT_EQ(media.data[4], Expect().medium_density);
}

TEST_F(InfoTest, ModeSenseAllPagesHasBlockDescriptorAndPages) {
  Reply r = Run(cdb::ModeSense6(0x3F, 255), 255);
  ASSERT_GOOD(r);
  std::size_t total = r.data[0] + 1u;
  ASSERT_LE(total, 255u);
  EXPECT_EQ(r.data[2] & 0x80, 0) << "not write protected";
  EXPECT_EQ(r.data[2] & 0x70, 0x10) << "buffered mode 1, as SetUp selected";
  ASSERT_EQ(r.data[3], 8) << "one 8-byte block descriptor";
  EXPECT_EQ(r.data[4], Expect().medium_density) << "density of the loaded medium";
  EXPECT_EQ(Get24(r.data, 9), 0u) << "variable block mode";
  std::vector<std::uint8_t> pages;
  std::size_t at = 12;
  while (at + 2 <= total) {
    pages.push_back(r.data[at] & 0x3F);
    at += 2u + r.data[at + 1];
  }
  EXPECT_EQ(at, total) << "pages must end exactly at the mode data length";
  for (std::uint8_t must : {0x0F, 0x10}) {
    EXPECT_NE(std::find(pages.begin(), pages.end(), must), pages.end())
        << "mode page " << int(must) << " missing";
  }
}

TEST_F(InfoTest, ModeSenseDataCompressionPage) {
  Reply r = Run(cdb::ModeSense6(0x0F, 255), 255);
  ASSERT_GOOD(r);
  ASSERT_EQ(r.data[3], 8);
  EXPECT_EQ(r.data[12] & 0x3F, 0x0F);
  EXPECT_EQ(r.data[13], 0x0E) << "page length of the data compression page";
  EXPECT_EQ(r.data[0] + 1, 12 + 2 + 0x0E);
}

TEST_F(InfoTest, ModeSelectBlockLengthIsReportedBack) {
  ASSERT_NO_FATAL_FAILURE(SetBlockLength(512));
  Reply r = Run(cdb::ModeSense6(0x00, 12), 12);
  ASSERT_GOOD(r);
  EXPECT_EQ(Get24(r.data, 9), 512u);
  ASSERT_NO_FATAL_FAILURE(SetBlockLength(0));
  r = Run(cdb::ModeSense6(0x00, 12), 12);
  ASSERT_GOOD(r);
  EXPECT_EQ(Get24(r.data, 9), 0u);
}

TEST_F(InfoTest, ModeSense10AndDisableBlockDescriptors) {
  Reply r = Run(cdb::ModeSense10(0x10, 255), 255);
  ASSERT_GOOD(r);
  EXPECT_EQ(Get16(r.data, 6), 8u) << "block descriptor length";
  EXPECT_EQ(r.data[16] & 0x3F, 0x10) << "device configuration page after the descriptor";
  EXPECT_EQ(Get16(r.data, 0) + 2, 16u + 2u + r.data[17]);

  Reply dbd = Run(cdb::ModeSense6(0x10, 255, /*dbd=*/true), 255);
  ASSERT_GOOD(dbd);
  EXPECT_EQ(dbd.data[3], 0) << "DBD: no block descriptor";
  EXPECT_EQ(dbd.data[4] & 0x3F, 0x10);
}

TEST_F(InfoTest, ModeSelectWithTooShortParameterListIsRefused) {
  std::vector<std::uint8_t> p(4, 0);
  p[3] = 8;  // promises a block descriptor that is not there
  Reply r = Run(cdb::ModeSelect6(4), 0, p);
  EXPECT_EQ(r.status, kStatusCheckCondition) << r.Describe();
  EXPECT_EQ(r.sense.key(), 0x5) << r.Describe();
}

TEST_F(InfoTest, LogSenseSupportedPagesAreAllServed) {
  Reply r = Run(cdb::LogSense(0x00, 255), 255);
  ASSERT_GOOD(r);
  EXPECT_EQ(r.data[0] & 0x3F, 0x00);
  std::size_t n = Get16(r.data, 2);
  ASSERT_LE(n + 4, r.data.size());
  std::vector<std::uint8_t> pages(r.data.begin() + 4, r.data.begin() + 4 + static_cast<long>(n));
  EXPECT_TRUE(std::is_sorted(pages.begin(), pages.end()));
  ASSERT_FALSE(pages.empty());
  EXPECT_EQ(pages.front(), 0x00);
  for (std::uint8_t page : pages) {
    Reply p = Run(cdb::LogSense(page, 4096), 4096);
    ASSERT_GOOD(p) << " log page " << int(page);
    EXPECT_EQ(p.data[0] & 0x3F, page);
    EXPECT_LE(Get16(p.data, 2) + 4u, 4096u);
  }
}

TEST_F(InfoTest, UnknownOpcodeIsRefused) {
  cdb::Cdb read10(10, 0);
  read10[0] = 0x28;  // READ(10): a disk command, not SSC
  Reply r = Run(read10, 512);
  EXPECT_SENSE(r, 0x5, 0x20, 0x00);
}

TEST_F(InfoTest, ReservedCdbBitIsRefusedWithAFieldPointer) {
  cdb::Cdb tur = cdb::TestUnitReady();
  tur[1] = 0x01;
  Reply r = Run(tur);
  EXPECT_SENSE(r, 0x5, 0x24, 0x00);
  ASSERT_GE(r.sense.raw.size(), 18u);
  EXPECT_EQ(r.sense.raw[15] & 0xC0, 0xC0) << "SKSV and C/D (the field is in the CDB)";
  EXPECT_EQ(Get16(r.sense.raw, 16), 1u) << "field pointer: CDB byte 1";
}

}  // namespace
}  // namespace vtape::iscsi_test
