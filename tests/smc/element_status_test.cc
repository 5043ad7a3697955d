// READ ELEMENT STATUS: every element type and all, VOLTAG, DVCID, starting
// address, number of elements, allocation length, exact bytes built here from
// SMC-3's layout (not with the engine's code).
#include <gtest/gtest.h>

#include "changer_harness.h"

namespace vtape::smc::testing {
namespace {

using ssc::testing::AppendBytes;
using ssc::testing::InvalidCdbSense;

struct Desc {
  std::uint16_t address;
  std::uint8_t flags;
  std::string barcode = "";
  std::optional<std::uint16_t> source = std::nullopt;
  std::string identifier = "";  // DVCID
};

Bytes Descriptor(const Desc& d, bool voltag, std::size_t id_length = 0) {
  Bytes b = {
      std::uint8_t(d.address >> 8), std::uint8_t(d.address), d.flags, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  if (!d.barcode.empty()) b[9] = 0x01;
  if (d.source) {
    b[9] |= 0x80;
    b[10] = std::uint8_t(*d.source >> 8);
    b[11] = std::uint8_t(*d.source);
  }
  if (voltag) {
    if (d.barcode.empty()) {
      AppendBytes(b, Bytes(36, 0));
    } else {
      AppendBytes(b, Ascii(d.barcode, 32));
      AppendBytes(b, {0, 0, 0, 0});
    }
  }
  if (id_length > 0) {
    AppendBytes(b, {0x02, 0x01, 0x00, std::uint8_t(id_length)});
    AppendBytes(b, Ascii(d.identifier, id_length));
  } else {
    AppendBytes(b, {0, 0, 0, 0});
  }
  return b;
}

Bytes Page(std::uint8_t type, bool voltag, const std::vector<Desc>& elements,
           std::size_t id_length = 0) {
  const std::size_t length = 12 + (voltag ? 36 : 0) + 4 + id_length;
  const std::size_t bytes = length * elements.size();
  Bytes b = {type, std::uint8_t(voltag ? 0x80 : 0), std::uint8_t(length >> 8), std::uint8_t(length),
             0,    std::uint8_t(bytes >> 16),       std::uint8_t(bytes >> 8),  std::uint8_t(bytes)};
  for (const Desc& d : elements) AppendBytes(b, Descriptor(d, voltag, id_length));
  return b;
}

Bytes Report(std::uint16_t first, std::uint16_t count, const std::vector<Bytes>& pages) {
  std::size_t total = 0;
  for (const Bytes& p : pages) total += p.size();
  Bytes b = {std::uint8_t(first >> 8),
             std::uint8_t(first),
             std::uint8_t(count >> 8),
             std::uint8_t(count),
             0,
             std::uint8_t(total >> 16),
             std::uint8_t(total >> 8),
             std::uint8_t(total)};
  for (const Bytes& p : pages) AppendBytes(b, p);
  return b;
}

constexpr std::uint8_t kEmptySlot = 0x08, kFullSlot = 0x09, kIeClosed = 0x38;

TEST(ReadElementStatus, AllElementsWithVolumeTags) {
  ChangerHarness h;
  Answer a = h.Run(ReadElementStatus(0, 0, 100, 4096, /*voltag=*/true), {}, 4096);
  EXPECT_EQ(a.status(), spc::kStatusGood);
  Bytes expected =
      Report(0x0000, 8,
             {Page(1, true, {{0x0000, 0x00}}), Page(4, true, {{0x0100, 0x08}, {0x0101, 0x08}}),
              Page(3, true, {{0x0300, kIeClosed}}),
              Page(2, true,
                   {{0x1000, kFullSlot, "A00001L8"},
                    {0x1001, kFullSlot, "A00002L8"},
                    {0x1002, kEmptySlot},
                    {0x1003, kEmptySlot}})});
  EXPECT_EQ(a.data, expected);
}

TEST(ReadElementStatus, EachTypeAlone) {
  ChangerHarness h;
  EXPECT_EQ(h.Run(ReadElementStatus(1, 0, 10, 1024), {}, 1024).data,
            Report(0x0000, 1, {Page(1, false, {{0x0000, 0x00}})}));
  EXPECT_EQ(h.Run(ReadElementStatus(4, 0, 10, 1024), {}, 1024).data,
            Report(0x0100, 2, {Page(4, false, {{0x0100, 0x08}, {0x0101, 0x08}})}));
  EXPECT_EQ(h.Run(ReadElementStatus(3, 0, 10, 1024), {}, 1024).data,
            Report(0x0300, 1, {Page(3, false, {{0x0300, kIeClosed}})}));
  EXPECT_EQ(h.Run(ReadElementStatus(2, 0x1000, 10, 1024), {}, 1024).data,
            Report(0x1000, 4,
                   {Page(2, false,
                         {{0x1000, kFullSlot, "A00001L8"},
                          {0x1001, kFullSlot, "A00002L8"},
                          {0x1002, kEmptySlot},
                          {0x1003, kEmptySlot}})}));
}

TEST(ReadElementStatus, StartingAddressAndNumberOfElements) {
  ChangerHarness h;
  EXPECT_EQ(
      h.Run(ReadElementStatus(2, 0x1001, 2, 1024, true), {}, 1024).data,
      Report(0x1001, 2, {Page(2, true, {{0x1001, kFullSlot, "A00002L8"}, {0x1002, kEmptySlot}})}));
  // Type 0 from a drive address: the rest of the drives, then the others.
  EXPECT_EQ(h.Run(ReadElementStatus(0, 0x0101, 3, 1024), {}, 1024).data,
            Report(0x0101, 3,
                   {Page(4, false, {{0x0101, 0x08}}), Page(3, false, {{0x0300, kIeClosed}}),
                    Page(2, false, {{0x1000, kFullSlot, "A00001L8"}})}));
  // No element of the type at or after the start: an empty report.
  EXPECT_EQ(h.Run(ReadElementStatus(4, 0x1000, 10, 1024), {}, 1024).data, Report(0, 0, {}));
  // Zero elements asked: an empty report.
  EXPECT_EQ(h.Run(ReadElementStatus(0, 0, 0, 1024), {}, 1024).data, Report(0, 0, {}));
}

TEST(ReadElementStatus, FirstAddressOfATypeTheLibraryLacksGivesAnEmptyReport) {
  library::CreateSpec spec;
  spec.serial = kLibrarySerial;
  spec.layout = {1, 2, 0};  // no import/export element
  char pattern[] = "/tmp/vtape_smc_XXXXXX";
  const std::string dir = mkdtemp(pattern);
  ASSERT_TRUE(library::Library::Create(dir, spec).ok());
  std::unique_ptr<library::Library> lib;
  ASSERT_TRUE(library::Library::Open(dir, {.present = true}, lib).ok());
  DrivesPort port({ssc::DriveConfig{}});
  Changer changer({}, *lib, port);
  RunOn(changer, {0x00, 0, 0, 0, 0, 0});
  EXPECT_EQ(RunOn(changer, ReadElementStatus(3, 0x0300, 1, 1024), {}, 1024).data, Report(0, 0, {}));
  EXPECT_EQ(RunOn(changer, ReadElementStatus(3, 0x0301, 1, 1024), {}, 1024).sense(),
            InvalidElementSense());
  std::filesystem::remove_all(dir);
}

TEST(ReadElementStatus, InvalidStartingAddressAndElementType) {
  ChangerHarness h;
  EXPECT_EQ(h.Run(ReadElementStatus(2, 0x1004, 1, 1024), {}, 1024).sense(), InvalidElementSense());
  EXPECT_EQ(h.Run(ReadElementStatus(0, 0x0102, 1, 1024), {}, 1024).sense(), InvalidElementSense());
  EXPECT_EQ(h.Run(ReadElementStatus(5, 0, 1, 1024), {}, 1024).sense(), InvalidCdbSense(1, 3));
}

TEST(ReadElementStatus, AllocationLengthTruncatesButCountsStayWhole) {
  ChangerHarness h;
  const Bytes whole = h.Run(ReadElementStatus(2, 0x1000, 4, 4096, true), {}, 4096).data;
  ASSERT_EQ(whole.size(), 8u + 8 + 4 * 52);
  Answer cut = h.Run(ReadElementStatus(2, 0x1000, 4, 30, true), {}, 4096);
  EXPECT_EQ(cut.status(), spc::kStatusGood);
  EXPECT_EQ(cut.data, Bytes(whole.begin(), whole.begin() + 30));
  EXPECT_EQ(cut.data[7], 8 + 4 * 52);  // byte count of report available, not of what fits
  // The initiator's buffer limits too.
  EXPECT_EQ(h.Run(ReadElementStatus(2, 0x1000, 4, 4096, true), {}, 8).data,
            Bytes(whole.begin(), whole.begin() + 8));
}

TEST(ReadElementStatus, DvcidGivesEachDriveItsInquiryIdentity) {
  ChangerHarness h;
  const std::string id0 = "VTAPE   VIRTUAL TAPE    VL00000001D000";
  const std::string id1 = "IBM     ULT3580-TD7     VL00000001D001";
  EXPECT_EQ(h.Run(ReadElementStatus(4, 0x0100, 2, 1024, false, true), {}, 1024).data,
            Report(0x0100, 2,
                   {Page(4, false, {{0x0100, 0x08, "", {}, id0}, {0x0101, 0x08, "", {}, id1}},
                         id0.size())}));
  // The serial is the one the drive itself reports in VPD 80h.
  Bytes vpd = {0x01, 0x80, 0, 14};
  AppendBytes(vpd, Ascii("VL00000001D001", 14));
  EXPECT_EQ(h.Drive({0x12, 1, 0x80, 0, 96, 0}, 1, {}, 96).data, vpd);
  // DVCID changes nothing for the other element types.
  EXPECT_EQ(h.Run(ReadElementStatus(3, 0, 1, 1024, false, true), {}, 1024).data,
            Report(0x0300, 1, {Page(3, false, {{0x0300, kIeClosed}})}));
}

TEST(ReadElementStatus, ImportExportFlagsFollowDoorAndOperator) {
  ChangerHarness h;
  ASSERT_EQ(h.Run({0x1B, 0, 0x03, 0x00, 0x00, 0}).status(), spc::kStatusGood);  // open
  EXPECT_EQ(h.Run(ReadElementStatus(3, 0, 1, 1024), {}, 1024).data,
            Report(0x0300, 1, {Page(3, false, {{0x0300, 0x30}})}));
  ASSERT_EQ(h.Run({0x1B, 0, 0x03, 0x00, 0x01, 0}).status(), spc::kStatusGood);  // close
  std::unique_ptr<library::Library> operator_side = h.OtherProcess();
  ASSERT_TRUE(operator_side->Import(NewCartridge("B00001L8"), std::nullopt).ok());
  EXPECT_EQ(h.Run({0x00, 0, 0, 0, 0, 0}).sense(), SenseBytes(0x06, 0x28, 0x00));
  // ImpExp: placed by the operator; FULL, ACCESS, EXENAB, INENAB.
  EXPECT_EQ(h.Run(ReadElementStatus(3, 0, 1, 1024, true), {}, 1024).data,
            Report(0x0300, 1, {Page(3, true, {{0x0300, 0x3B, "B00001L8"}})}));
}

}  // namespace
}  // namespace vtape::smc::testing
