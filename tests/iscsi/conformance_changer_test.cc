// The medium changer of a library target over iSCSI (SMC-3): INQUIRY, TEST
// UNIT READY, READ ELEMENT STATUS (every type, VOLTAG, DVCID against the drive
// LUNs' own VPD 80h), MOVE MEDIUM into and out of drives with what the drive
// LUN then reports, refused moves with exact sense, EXCHANGE MEDIUM,
// INITIALIZE ELEMENT STATUS, PREVENT ALLOW MEDIUM REMOVAL, REPORT SUPPORTED
// OPERATION CODES. Expected layout: tests/iscsi/main.cc (VTAPE_ISCSI_CHANGER_LUN ...).
#include <algorithm>
#include <set>

#include "tests/iscsi/changer_fixture.h"

namespace vtape::iscsi_test {
namespace {

using cdb::ElementStatusRequest;

constexpr std::uint8_t kFull = 0x01, kAccess = 0x08, kExEnab = 0x10, kInEnab = 0x20;
constexpr std::size_t kTaggedLength = 12 + 36 + 4, kPlainLength = 12 + 4;

// Primary volume tag as SMC-3 lays it out: 32 bytes of barcode padded with
// spaces, 2 reserved, 2 of volume sequence number; all zero for an empty element.
std::vector<std::uint8_t> VolumeTag(const std::string& barcode) {
  std::vector<std::uint8_t> tag(36, 0);
  if (barcode.empty()) return tag;
  for (std::size_t i = 0; i < 32; ++i) tag[i] = i < barcode.size() ? barcode[i] : ' ';
  return tag;
}

// The descriptor without its volume tag, as a report without VOLTAG has it.
std::vector<std::uint8_t> WithoutTag(const std::vector<std::uint8_t>& raw) {
  std::vector<std::uint8_t> out(raw.begin(), raw.begin() + 12);
  out.insert(out.end(), raw.begin() + 12 + 36, raw.end());
  return out;
}

TEST_F(ChangerTest, InquiryIsAMediumChangerWithItsIdentity) {
  Reply r = Changer(cdb::Inquiry(false, 0, 96), 96);
  ASSERT_GOOD(r);
  EXPECT_EQ(r.data[0], 0x08) << "peripheral qualifier 0, device type 08h (medium changer)";
  EXPECT_EQ(r.data[2], 0x06) << "VERSION: SPC-4";
  EXPECT_EQ(r.data[3] & 0x0F, 0x02) << "response data format 2";
  EXPECT_EQ(Trimmed(r.data, 8, 8), Expect().changer_vendor);
  EXPECT_EQ(Trimmed(r.data, 16, 16), Expect().changer_product);

  Reply pages = Changer(cdb::Inquiry(true, 0x00, 255), 255);
  ASSERT_GOOD(pages);
  EXPECT_EQ(pages.data[0], 0x08);
  const std::size_t n = Get16(pages.data, 2);
  std::vector<std::uint8_t> listed(pages.data.begin() + 4,
                                   pages.data.begin() + 4 + static_cast<long>(n));
  EXPECT_EQ(listed, (std::vector<std::uint8_t>{0x00, 0x80, 0x83}));
  Reply serial = Changer(cdb::Inquiry(true, 0x80, 255), 255);
  ASSERT_GOOD(serial);
  EXPECT_EQ(serial.data[1], 0x80);
  EXPECT_GT(Get16(serial.data, 2), 0u) << "the library has a unit serial number";
  // The drive LUNs are tape drives.
  for (std::size_t i = 0; i < drives(); ++i) {
    Reply d = Drive(i, cdb::Inquiry(false, 0, 96), 96);
    ASSERT_GOOD(d);
    EXPECT_EQ(d.data[0], 0x01) << "drive " << i << " (LUN " << Expect().drive_luns[i] << ")";
  }
}

TEST_F(ChangerTest, TestUnitReadyIsGood) {
  EXPECT_GOOD(Changer(cdb::TestUnitReady()));
}

TEST_F(ChangerTest, ReadElementStatusOfAllElementsWithVolumeTags) {
  Reply r = StatusReply({.alloc = 16384, .voltag = true});
  ASSERT_GOOD(r);
  const ElementReport all = ParseElementStatus(r.data, true);
  const std::size_t ie = Expect().import_export, slots = Expect().slots;
  const std::size_t total = 1 + drives() + ie + slots;
  EXPECT_EQ(all.first, cdb::kTransportAddress);
  ASSERT_EQ(all.count, total);
  std::vector<std::uint8_t> types = {cdb::kElementTransport, cdb::kElementDrive};
  if (ie > 0) types.push_back(cdb::kElementImportExport);
  types.push_back(cdb::kElementStorage);
  EXPECT_EQ(all.page_types, types) << "one page per type, in address order";
  for (std::uint16_t length : all.descriptor_lengths) EXPECT_EQ(length, kTaggedLength);
  EXPECT_EQ(all.byte_count, 8 * types.size() + kTaggedLength * total);

  std::vector<std::uint16_t> expected_addresses = {cdb::kTransportAddress};
  for (std::size_t i = 0; i < drives(); ++i) expected_addresses.push_back(DriveAddress(i));
  for (std::size_t i = 0; i < ie; ++i) {
    expected_addresses.push_back(static_cast<std::uint16_t>(cdb::kFirstImportExportAddress + i));
  }
  for (std::size_t i = 0; i < slots; ++i) expected_addresses.push_back(SlotAddress(i));
  std::vector<std::uint16_t> addresses;
  std::vector<std::string> barcodes;
  for (const ElementStatus& e : all.elements) {
    addresses.push_back(e.address);
    SCOPED_TRACE("element " + std::to_string(e.address));
    // Normalize() left every cartridge in a slot.
    switch (e.type) {
      case cdb::kElementTransport:
        EXPECT_EQ(e.flags, 0x00);
        break;
      case cdb::kElementDrive:
        EXPECT_EQ(e.flags, kAccess);
        break;
      case cdb::kElementImportExport:
        EXPECT_EQ(e.flags, kAccess | kExEnab | kInEnab) << "door closed, empty";
        break;
      case cdb::kElementStorage:
        EXPECT_EQ(e.flags & ~kFull, kAccess);
        if (e.full()) barcodes.push_back(e.barcode);
        break;
    }
    EXPECT_EQ(e.raw[9] & 0x07, e.full() ? 0x01 : 0x00) << "medium type: data when full";
    const std::vector<std::uint8_t> tag(e.raw.begin() + 12, e.raw.begin() + 48);
    EXPECT_EQ(tag, VolumeTag(e.full() ? e.barcode : "")) << "volume tag of '" << e.barcode << "'";
    EXPECT_EQ(e.full(), !e.barcode.empty());
    EXPECT_EQ(std::vector<std::uint8_t>(e.raw.begin() + 48, e.raw.end()),
              std::vector<std::uint8_t>(4, 0))
        << "no device identifier without DVCID";
  }
  EXPECT_EQ(addresses, expected_addresses);
  std::vector<std::string> want = Expect().barcodes;
  std::sort(want.begin(), want.end());
  std::sort(barcodes.begin(), barcodes.end());
  EXPECT_EQ(barcodes, want) << "every cartridge of the library, once";
  // The bytes after the report are the buffer's, untouched.
  const std::size_t end = 8 + all.byte_count;
  EXPECT_EQ(std::count(r.data.begin() + static_cast<long>(end), r.data.end(), kUnsentFill),
            static_cast<long>(r.data.size() - end));
}

TEST_F(ChangerTest, ReadElementStatusOfEachTypeMatchesTheFullReport) {
  const ElementReport all = AllWithTags();
  for (std::uint8_t type : {cdb::kElementTransport, cdb::kElementDrive, cdb::kElementImportExport,
                            cdb::kElementStorage}) {
    SCOPED_TRACE("element type " + std::to_string(type));
    std::vector<std::vector<std::uint8_t>> want;
    for (const ElementStatus& e : all.elements) {
      if (e.type == type) want.push_back(WithoutTag(e.raw));
    }
    const ElementReport one = Status({.type = type, .alloc = 16384});
    ASSERT_EQ(one.count, want.size());
    if (want.empty()) continue;
    EXPECT_EQ(one.page_types, std::vector<std::uint8_t>{type});
    EXPECT_EQ(one.descriptor_lengths, std::vector<std::uint16_t>{kPlainLength});
    EXPECT_EQ(one.byte_count, 8 + kPlainLength * want.size());
    for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(one.elements.at(i).raw, want[i]);
  }
  // Starting address and number of elements: two slots from the second one.
  const ElementReport part = Status({.type = cdb::kElementStorage,
                                     .start = SlotAddress(1),
                                     .count = 2,
                                     .alloc = 1024,
                                     .voltag = true});
  ASSERT_EQ(part.count, 2u);
  EXPECT_EQ(part.first, SlotAddress(1));
  EXPECT_EQ(part.elements[0].raw, all.Find(SlotAddress(1))->raw);
  EXPECT_EQ(part.elements[1].raw, all.Find(SlotAddress(2))->raw);
  // A starting address that is no element.
  EXPECT_SENSE(
      StatusReply(
          {.type = cdb::kElementStorage, .start = SlotAddress(Expect().slots), .alloc = 1024}),
      0x5, 0x21, 0x01);
}

TEST_F(ChangerTest, ReadElementStatusAllocationLengthCutsTheDataNotTheCounts) {
  Reply whole = StatusReply({.alloc = 16384, .voltag = true});
  ASSERT_GOOD(whole);
  // ALLOCATION LENGTH 30 into a 4096-byte buffer: 30 bytes arrive, the rest is
  // the initiator's residual.
  Reply cut = Changer(cdb::ReadElementStatus({.alloc = 30, .voltag = true}), 4096);
  ASSERT_GOOD(cut);
  EXPECT_TRUE(std::equal(cut.data.begin(), cut.data.begin() + 30, whole.data.begin()))
      << "the first 30 bytes of the same report";
  EXPECT_EQ(std::count(cut.data.begin() + 30, cut.data.end(), kUnsentFill), 4096 - 30)
      << "nothing past the allocation length";
  EXPECT_TRUE(cut.residual_underflow);
  EXPECT_EQ(cut.residual, 4096u - 30);
  EXPECT_EQ(Get24(cut.data, 5), Get24(whole.data, 5)) << "byte count of the whole report";
}

TEST_F(ChangerTest, DvcidIdentifiesEachDriveByTheSerialItsLunReports) {
  const ElementReport report = Status({.type = cdb::kElementDrive, .alloc = 4096, .dvcid = true});
  ASSERT_EQ(report.count, drives());
  std::set<std::string> serials;
  for (std::size_t i = 0; i < drives(); ++i) {
    const ElementStatus& e = report.elements[i];
    SCOPED_TRACE("drive " + std::to_string(i) + " (LUN " + std::to_string(Expect().drive_luns[i]) +
                 ")");
    ASSERT_EQ(e.address, DriveAddress(i));
    ASSERT_GE(e.raw.size(), 16u);
    EXPECT_EQ(e.raw[12] & 0x0F, 0x02) << "code set: ASCII";
    EXPECT_EQ(e.raw[13] & 0x0F, 0x01) << "identifier type: T10 vendor ID";
    const std::size_t length = e.raw[15];
    ASSERT_EQ(e.raw.size(), 16 + length) << "descriptor ends with the identifier";
    ASSERT_GT(length, 24u) << "vendor (8), product (16), then the serial";

    Reply inquiry = Drive(i, cdb::Inquiry(false, 0, 96), 96);
    ASSERT_GOOD(inquiry);
    EXPECT_EQ(std::vector<std::uint8_t>(e.raw.begin() + 16, e.raw.begin() + 16 + 24),
              std::vector<std::uint8_t>(inquiry.data.begin() + 8, inquiry.data.begin() + 32))
        << "vendor and product as the drive's INQUIRY";
    Reply vpd = Drive(i, cdb::Inquiry(true, 0x80, 255), 255);
    ASSERT_GOOD(vpd);
    const std::string lun_serial = Trimmed(vpd.data, 4, Get16(vpd.data, 2));
    EXPECT_FALSE(lun_serial.empty());
    EXPECT_EQ(Trimmed(e.raw, 16 + 24, length - 24), lun_serial)
        << "DVCID serial = VPD 80h of the drive LUN";
    serials.insert(lun_serial);
  }
  EXPECT_EQ(serials.size(), drives()) << "every drive has its own serial";
}

TEST_F(ChangerTest, MoveIntoADriveLoadsItThereAndOutUnloadsIt) {
  const std::vector<std::uint16_t> full = Slots(true);
  ASSERT_FALSE(full.empty());
  const std::uint16_t slot = full.front();
  const std::string barcode = AllWithTags().Find(slot)->barcode;
  ASSERT_GOOD(Changer(cdb::MoveMedium(slot, DriveAddress(0))));

  ElementReport after = AllWithTags();
  const ElementStatus* drive = after.Find(DriveAddress(0));
  ASSERT_NE(drive, nullptr);
  EXPECT_EQ(drive->flags, kAccess | kFull);
  EXPECT_EQ(drive->barcode, barcode);
  EXPECT_EQ(drive->source, std::optional<std::uint16_t>(slot)) << "SVALID + source address";
  EXPECT_FALSE(after.Find(slot)->full());

  EXPECT_SENSE(Drive(0, cdb::TestUnitReady()), 0x6, 0x28, 0x00);
  EXPECT_GOOD(Drive(0, cdb::TestUnitReady()));
  Reply position = Drive(0, cdb::ReadPosition(cdb::kPosShort), 20);
  ASSERT_GOOD(position);
  EXPECT_EQ(position.data[0] & 0x80, 0x80) << "BOP";
  EXPECT_EQ(Get32(position.data, 4), 0u) << "first logical object";

  ASSERT_GOOD(Changer(cdb::MoveMedium(DriveAddress(0), slot)));
  EXPECT_SENSE(Drive(0, cdb::TestUnitReady()), 0x2, 0x3A, 0x00);
  after = AllWithTags();
  EXPECT_EQ(after.Find(DriveAddress(0))->flags, kAccess);
  EXPECT_EQ(after.Find(slot)->barcode, barcode);
  EXPECT_EQ(after.Find(slot)->source, std::optional<std::uint16_t>(DriveAddress(0)));
}

TEST_F(ChangerTest, MovedCartridgeCarriesItsRecordsToAnotherDrive) {
  if (drives() < 2) GTEST_SKIP() << "needs two drives";
  const std::uint16_t slot = Slots(true).at(0);
  ASSERT_GOOD(Changer(cdb::MoveMedium(slot, DriveAddress(0))));
  ASSERT_NO_FATAL_FAILURE(ClearUnitAttentions(Expect().drive_luns[0]));
  std::vector<std::uint8_t> mode(12, 0);  // block descriptor: variable block mode
  mode[2] = 0x10;
  mode[3] = 8;
  ASSERT_GOOD(Drive(0, cdb::ModeSelect6(12), 0, mode));
  const std::vector<std::uint8_t> record = Pattern(4096, 0xC4A);
  ASSERT_GOOD(Drive(0, cdb::Write6(4096), 0, record));
  ASSERT_GOOD(Drive(0, cdb::WriteFilemarks6(1)));

  ASSERT_GOOD(Changer(cdb::MoveMedium(DriveAddress(0), DriveAddress(1))));
  EXPECT_SENSE(Drive(0, cdb::TestUnitReady()), 0x2, 0x3A, 0x00);
  EXPECT_SENSE(Drive(1, cdb::TestUnitReady()), 0x6, 0x28, 0x00);
  ASSERT_GOOD(Drive(1, cdb::ModeSelect6(12), 0, mode));
  Reply read = Drive(1, cdb::Read6(4096), 4096);
  ASSERT_GOOD(read);
  EXPECT_EQ(read.data, record);
}

TEST_F(ChangerTest, RefusedMovesAnswerExactSenseAndMoveNothing) {
  const std::vector<std::uint16_t> full = Slots(true), empty = Slots(false);
  ASSERT_GE(full.size(), 2u);
  ASSERT_GE(empty.size(), 2u);
  Reply before = StatusReply({.alloc = 16384, .voltag = true});
  ASSERT_GOOD(before);

  // source element empty
  EXPECT_SENSE(Changer(cdb::MoveMedium(empty[0], empty[1])), 0x5, 0x3B, 0x0E);
  // destination element full
  EXPECT_SENSE(Changer(cdb::MoveMedium(full[0], full[1])), 0x5, 0x3B, 0x0D);
  // destination past the last slot
  EXPECT_SENSE(Changer(cdb::MoveMedium(full[0], SlotAddress(Expect().slots))), 0x5, 0x21, 0x01);
  // destination past the last drive
  EXPECT_SENSE(Changer(cdb::MoveMedium(full[0], DriveAddress(drives()))), 0x5, 0x21, 0x01);
  // the transport holds no cartridge
  EXPECT_SENSE(Changer(cdb::MoveMedium(cdb::kTransportAddress, empty[0])), 0x5, 0x21, 0x01);
  // no transport at 0001h
  EXPECT_SENSE(Changer(cdb::MoveMedium(full[0], empty[0], /*transport=*/1)), 0x5, 0x21, 0x01);

  Reply after = StatusReply({.alloc = 16384, .voltag = true});
  ASSERT_GOOD(after);
  EXPECT_EQ(after.data, before.data) << "a refused move changes nothing";
}

TEST_F(ChangerTest, MoveIntoALoadedDriveIsRefusedAndTheDriveStaysReady) {
  const std::vector<std::uint16_t> full = Slots(true);
  ASSERT_GE(full.size(), 2u);
  ASSERT_GOOD(Changer(cdb::MoveMedium(full[0], DriveAddress(0))));
  ASSERT_NO_FATAL_FAILURE(ClearUnitAttentions(Expect().drive_luns[0]));
  EXPECT_SENSE(Changer(cdb::MoveMedium(full[1], DriveAddress(0))), 0x5, 0x3B, 0x0D);
  EXPECT_GOOD(Drive(0, cdb::TestUnitReady())) << "still loaded, no unit attention";
  EXPECT_TRUE(AllWithTags().Find(full[1])->full());
}

TEST_F(ChangerTest, ExchangeMediumSwapsTheDrivesCartridge) {
  const std::vector<std::uint16_t> full = Slots(true), empty = Slots(false);
  ASSERT_GE(full.size(), 2u);
  ASSERT_FALSE(empty.empty());
  const ElementReport start = AllWithTags();
  const std::string first = start.Find(full[0])->barcode, second = start.Find(full[1])->barcode;
  ASSERT_GOOD(Changer(cdb::MoveMedium(full[0], DriveAddress(0))));
  ASSERT_NO_FATAL_FAILURE(ClearUnitAttentions(Expect().drive_luns[0]));

  // full[1] -> drive 0, drive 0's cartridge -> full[0] (where it came from).
  ASSERT_GOOD(Changer(cdb::ExchangeMedium(full[1], DriveAddress(0), full[0])));
  const ElementReport after = AllWithTags();
  EXPECT_EQ(after.Find(DriveAddress(0))->barcode, second);
  EXPECT_EQ(after.Find(DriveAddress(0))->source, std::optional<std::uint16_t>(full[1]));
  EXPECT_EQ(after.Find(full[0])->barcode, first);
  EXPECT_EQ(after.Find(full[0])->source, std::optional<std::uint16_t>(DriveAddress(0)));
  EXPECT_FALSE(after.Find(full[1])->full());
  EXPECT_SENSE(Drive(0, cdb::TestUnitReady()), 0x6, 0x28, 0x00);
  EXPECT_GOOD(Drive(0, cdb::TestUnitReady()));

  // Source empty: nothing moves.
  EXPECT_SENSE(Changer(cdb::ExchangeMedium(empty[0], DriveAddress(0), full[1])), 0x5, 0x3B, 0x0E);
  EXPECT_EQ(AllWithTags().Find(DriveAddress(0))->barcode, second);
  EXPECT_GOOD(Drive(0, cdb::TestUnitReady())) << "the drive kept its cartridge";
}

TEST_F(ChangerTest, InitializeElementStatusKeepsTheInventory) {
  Reply before = StatusReply({.alloc = 16384, .voltag = true});
  ASSERT_GOOD(before);
  EXPECT_GOOD(Changer(cdb::InitializeElementStatus()));
  EXPECT_GOOD(Changer(cdb::InitializeElementStatusWithRange(SlotAddress(0), 2)));
  EXPECT_GOOD(Changer(cdb::InitializeElementStatusWithRange(0, 0, /*range=*/false)));
  EXPECT_SENSE(Changer(cdb::InitializeElementStatusWithRange(SlotAddress(Expect().slots), 1)), 0x5,
               0x21, 0x01);
  EXPECT_GOOD(Changer(cdb::PositionToElement(SlotAddress(0))));
  EXPECT_SENSE(Changer(cdb::PositionToElement(SlotAddress(Expect().slots))), 0x5, 0x21, 0x01);
  Reply after = StatusReply({.alloc = 16384, .voltag = true});
  ASSERT_GOOD(after);
  EXPECT_EQ(after.data, before.data);
}

TEST_F(ChangerTest, PreventMediumRemovalRefusesMovesIntoTheMailSlot) {
  if (Expect().import_export == 0) GTEST_SKIP() << "the library has no import/export element";
  const std::uint16_t ie = cdb::kFirstImportExportAddress;
  const std::uint16_t slot = Slots(true).at(0);
  const std::string barcode = AllWithTags().Find(slot)->barcode;
  ASSERT_GOOD(Changer(cdb::PreventAllowMediumRemoval(true)));
  EXPECT_SENSE(Changer(cdb::MoveMedium(slot, ie)), 0x5, 0x53, 0x02);
  ElementReport after = AllWithTags();
  EXPECT_EQ(after.Find(slot)->barcode, barcode);
  EXPECT_FALSE(after.Find(ie)->full());

  ASSERT_GOOD(Changer(cdb::PreventAllowMediumRemoval(false)));
  ASSERT_GOOD(Changer(cdb::MoveMedium(slot, ie)));
  after = AllWithTags();
  const ElementStatus* mail = after.Find(ie);
  EXPECT_EQ(mail->flags, kFull | kAccess | kExEnab | kInEnab) << "no IMPEXP: the transport put it";
  EXPECT_EQ(mail->barcode, barcode);
  EXPECT_EQ(mail->source, std::optional<std::uint16_t>(slot));
  EXPECT_GOOD(Changer(cdb::TestUnitReady())) << "the changer's own move raises no attention";
}

TEST_F(ChangerTest, ReportSupportedOperationCodesListsTheChangerCommands) {
  Reply r = Changer(cdb::ReportSupportedOpcodes(cdb::kRsocAll, 0, 4096), 4096);
  ASSERT_GOOD(r);
  const std::size_t length = Get32(r.data, 0);
  ASSERT_EQ(length % 8, 0u) << "8-byte descriptors without RCTD";
  ASSERT_LE(4 + length, r.data.size());
  std::vector<std::uint8_t> opcodes;
  for (std::size_t at = 4; at < 4 + length; at += 8) {
    const std::uint8_t op = r.data[at];
    opcodes.push_back(op);
    const std::uint32_t cdb_length = Get16(r.data, at + 6);
    EXPECT_EQ(cdb_length, op < 0x20 ? 6u : op < 0x60 ? 10u : 12u) << "opcode " << int(op);
    if (op == 0xA3) {
      EXPECT_EQ(r.data[at + 5] & 0x01, 0x01) << "SERVACTV";
      EXPECT_EQ(Get16(r.data, at + 2), 0x0Cu);
    }
  }
  EXPECT_EQ(opcodes,
            (std::vector<std::uint8_t>{0x00, 0x03, 0x07, 0x12, 0x15, 0x1A, 0x1B, 0x1E, 0x2B, 0x37,
                                       0x4C, 0x4D, 0x55, 0x5A, 0xA3, 0xA5, 0xA6, 0xB8}));

  Reply move = Changer(cdb::ReportSupportedOpcodes(cdb::kRsocOneOpcode, 0xA5, 64), 64);
  ASSERT_GOOD(move);
  EXPECT_EQ(move.data[1] & 0x07, 0x03) << "SUPPORT: as the standard says";
  ASSERT_EQ(Get16(move.data, 2), 12u);
  EXPECT_EQ(std::vector<std::uint8_t>(move.data.begin() + 4, move.data.begin() + 16),
            (std::vector<std::uint8_t>{0xA5, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0}))
      << "CDB usage: transport, source, destination; no INVERT";
  Reply read6 = Changer(cdb::ReportSupportedOpcodes(cdb::kRsocOneOpcode, 0x08, 64), 64);
  ASSERT_GOOD(read6);
  EXPECT_EQ(read6.data[1] & 0x07, 0x01) << "READ(6) is no changer command";
}

}  // namespace
}  // namespace vtape::iscsi_test
