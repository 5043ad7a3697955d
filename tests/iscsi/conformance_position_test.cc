// Positioning over iSCSI: SPACE (blocks, filemarks, end of data; forward and
// back; stopping at filemarks, EOD and BOP), LOCATE(10/16), every READ
// POSITION form, REWIND, LOAD/UNLOAD and ERASE.
#include "tests/iscsi/fixture.h"

namespace vtape::iscsi_test {
namespace {

// The tape every test here starts from (logical object numbers on the left):
//   0 r0  1 r1  2 r2  3 FM  4 r3  5 r4  6 FM  7 r5  8 EOD
constexpr std::size_t kRecordSizes[] = {100, 200, 300, 400, 500, 600};
constexpr std::uint32_t kEod = 8;

class PositionTest : public DriveTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(DriveTest::SetUp());
    for (int i = 0; i < 3; ++i) ASSERT_NO_FATAL_FAILURE(WriteRecord(kRecordSizes[i], 100 + i));
    ASSERT_NO_FATAL_FAILURE(WriteFilemarks(1));
    for (int i = 3; i < 5; ++i) ASSERT_NO_FATAL_FAILURE(WriteRecord(kRecordSizes[i], 100 + i));
    ASSERT_NO_FATAL_FAILURE(WriteFilemarks(1));
    ASSERT_NO_FATAL_FAILURE(WriteRecord(kRecordSizes[5], 105));
    ASSERT_EQ(Position(), kEod);
    ASSERT_GOOD(Run(cdb::Rewind()));
  }
  // Reads the record at the current position and checks it is record `i`.
  void ExpectRecord(int i) {
    Reply r = Run(cdb::Read6(static_cast<std::uint32_t>(kRecordSizes[i])), kRecordSizes[i]);
    ASSERT_GOOD(r) << " reading record r" << i;
    EXPECT_EQ(r.data, Pattern(kRecordSizes[i], 100 + static_cast<std::uint32_t>(i)))
        << "record r" << i;
  }
};

TEST_F(PositionTest, SpaceBlocksForwardAndBackward) {
  ASSERT_GOOD(Run(cdb::Space6(cdb::kSpaceBlocks, 2)));
  EXPECT_EQ(Position(), 2u);
  ASSERT_GOOD(Run(cdb::Space6(cdb::kSpaceBlocks, -1)));
  EXPECT_EQ(Position(), 1u);
  ExpectRecord(1);
}

TEST_F(PositionTest, SpaceBlocksStopsAfterAFilemark) {
  Reply r = Run(cdb::Space6(cdb::kSpaceBlocks, 5));
  EXPECT_SENSE(r, 0x0, 0x00, 0x01);
  EXPECT_TRUE(r.sense.filemark()) << r.Describe();
  EXPECT_TRUE(r.sense.valid()) << r.Describe();
  EXPECT_EQ(r.sense.information(), 2) << "5 requested, 3 spaced";
  EXPECT_EQ(Position(), 4u) << "on the far side of the filemark";
  ExpectRecord(3);
}

TEST_F(PositionTest, SpaceBlocksBackwardStopsBeforeAFilemark) {
  ASSERT_GOOD(Run(cdb::Locate10(5)));
  Reply r = Run(cdb::Space6(cdb::kSpaceBlocks, -3));
  EXPECT_SENSE(r, 0x0, 0x00, 0x01);
  EXPECT_TRUE(r.sense.filemark()) << r.Describe();
  EXPECT_EQ(r.sense.information(), 2) << "3 requested, 1 spaced";
  EXPECT_EQ(Position(), 3u) << "on the BOP side of the filemark";
}

TEST_F(PositionTest, SpaceFilemarksForwardAndBackward) {
  ASSERT_GOOD(Run(cdb::Space6(cdb::kSpaceFilemarks, 2)));
  EXPECT_EQ(Position(), 7u);
  ExpectRecord(5);
  ASSERT_GOOD(Run(cdb::Space6(cdb::kSpaceFilemarks, -1)));
  EXPECT_EQ(Position(), 6u) << "backward: on the BOP side of the filemark";
  ASSERT_GOOD(Run(cdb::Space16(cdb::kSpaceFilemarks, -1)));
  EXPECT_EQ(Position(), 3u);
}

TEST_F(PositionTest, SpaceToEndOfData) {
  ASSERT_GOOD(Run(cdb::Space6(cdb::kSpaceEndOfData, 0)));
  EXPECT_EQ(Position(), kEod);
  EXPECT_SENSE(Run(cdb::Read6(10), 10), 0x8, 0x00, 0x05);
}

TEST_F(PositionTest, SpaceFilemarksPastEndOfDataReportsBlankCheckAndResidual) {
  // What st's `mt eod` (without fast-mteom) relies on to count files.
  Reply r = Run(cdb::Space6(cdb::kSpaceFilemarks, 0x7FFFFF));
  EXPECT_SENSE(r, 0x8, 0x00, 0x05);
  EXPECT_TRUE(r.sense.valid()) << r.Describe();
  EXPECT_EQ(r.sense.information(), 0x7FFFFF - 2) << "two filemarks spaced";
  EXPECT_EQ(Position(), kEod);
}

TEST_F(PositionTest, SpaceBackwardIntoBeginningReportsEom) {
  ASSERT_GOOD(Run(cdb::Space6(cdb::kSpaceBlocks, 1)));
  Reply r = Run(cdb::Space6(cdb::kSpaceBlocks, -3));
  EXPECT_SENSE(r, 0x0, 0x00, 0x04);
  EXPECT_TRUE(r.sense.eom()) << r.Describe();
  EXPECT_TRUE(r.sense.valid()) << r.Describe();
  EXPECT_EQ(r.sense.information(), 2) << "3 requested, 1 spaced";
  EXPECT_EQ(Position(), 0u);
}

TEST_F(PositionTest, Space16Blocks) {
  ASSERT_GOOD(Run(cdb::Space16(cdb::kSpaceBlocks, 1)));
  EXPECT_EQ(Position(), 1u);
  ExpectRecord(1);
}

TEST_F(PositionTest, LocateToObjectsAndFiles) {
  ASSERT_GOOD(Run(cdb::Locate10(4)));
  EXPECT_EQ(Position(), 4u);
  ExpectRecord(3);
  ASSERT_GOOD(Run(cdb::Locate16(7)));
  ExpectRecord(5);
  ASSERT_GOOD(Run(cdb::Locate16(1, /*dest_type=*/1)));
  EXPECT_EQ(Position(), 4u) << "logical file 1 starts after the first filemark";
  ASSERT_GOOD(Run(cdb::Locate10(0)));
  ExpectRecord(0);
}

TEST_F(PositionTest, LocatePastEndOfDataStopsThere) {
  Reply r = Run(cdb::Locate10(20));
  EXPECT_SENSE(r, 0x8, 0x00, 0x05);
  EXPECT_EQ(Position(), kEod);
}

TEST_F(PositionTest, ReadPositionShortForms) {
  Reply bop = Run(cdb::ReadPosition(cdb::kPosShort), 20);
  ASSERT_GOOD(bop);
  EXPECT_EQ(bop.data[0] & 0x80, 0x80) << "BOP at the beginning";
  EXPECT_EQ(Get32(bop.data, 4), 0u);

  ASSERT_GOOD(Run(cdb::Locate10(4)));
  for (std::uint8_t form : {cdb::kPosShort, cdb::kPosShortVendor}) {
    Reply r = Run(cdb::ReadPosition(form), 20);
    ASSERT_GOOD(r) << " form " << int(form);
    EXPECT_EQ(r.data[0] & 0xC4, 0) << "not BOP, not EOP, position known (BPU=0)";
    EXPECT_EQ(r.data[1], 0) << "partition 0";
    EXPECT_EQ(Get32(r.data, 4), 4u) << "first logical object";
    EXPECT_EQ(Get32(r.data, 8), 4u) << "last logical object";
  }
}

TEST_F(PositionTest, ReadPositionLongForm) {
  ASSERT_GOOD(Run(cdb::Locate10(5)));
  Reply r = Run(cdb::ReadPosition(cdb::kPosLong), 32);
  ASSERT_GOOD(r);
  EXPECT_EQ(r.data[0] & 0xC0, 0) << "not BOP, not EOP";
  EXPECT_EQ(Get32(r.data, 4), 0u) << "partition";
  EXPECT_EQ(Get64(r.data, 8), 5u) << "logical object number";
  EXPECT_EQ(Get64(r.data, 16), 1u) << "logical file identifier: one filemark before";
  EXPECT_EQ(Get64(r.data, 24), 0u) << "logical set identifier";
}

TEST_F(PositionTest, ReadPositionExtendedForm) {
  ASSERT_GOOD(Run(cdb::Locate10(7)));
  Reply r = Run(cdb::ReadPosition(cdb::kPosExtended, 32), 32);
  ASSERT_GOOD(r);
  EXPECT_EQ(r.data[1], 0) << "partition";
  EXPECT_EQ(Get16(r.data, 2), 0x1Cu) << "additional length";
  EXPECT_EQ(Get64(r.data, 8), 7u) << "first logical object";
  EXPECT_EQ(Get64(r.data, 16), 7u) << "last logical object";
}

TEST_F(PositionTest, RewindReturnsToBeginning) {
  ASSERT_GOOD(Run(cdb::Locate10(7)));
  ASSERT_GOOD(Run(cdb::Rewind()));
  EXPECT_EQ(Position(), 0u);
  ExpectRecord(0);
}

TEST_F(PositionTest, UnloadMakesTheDriveNotReadyAndLoadBringsTheSameTapeBack) {
  ASSERT_GOOD(Run(cdb::Locate10(4)));
  ASSERT_GOOD(Run(cdb::LoadUnload(false)));
  // NOT READY, MEDIUM NOT PRESENT: what st turns into ENOMEDIUM.
  EXPECT_SENSE(Run(cdb::TestUnitReady()), 0x2, 0x3A, 0x00);
  EXPECT_SENSE(Run(cdb::ReadPosition(cdb::kPosShort), 20), 0x2, 0x3A, 0x00);

  ASSERT_GOOD(Run(cdb::LoadUnload(true)));
  ASSERT_NO_FATAL_FAILURE(ClearUnitAttentions());
  EXPECT_EQ(Position(), 0u) << "LOAD positions at the beginning";
  ExpectRecord(0);
}

TEST_F(PositionTest, LongEraseFromTheMiddleKeepsWhatIsBefore) {
  ASSERT_GOOD(Run(cdb::Locate10(4)));
  ASSERT_GOOD(Run(cdb::Erase6(/*long=*/true)));
  EXPECT_EQ(Position(), 4u);
  EXPECT_SENSE(Run(cdb::Read6(400), 400), 0x8, 0x00, 0x05);
  ASSERT_GOOD(Run(cdb::Rewind()));
  for (int i = 0; i < 3; ++i) ExpectRecord(i);
  Reply fm = Run(cdb::Read6(10), 10);
  EXPECT_TRUE(fm.sense.filemark()) << fm.Describe();
  EXPECT_SENSE(Run(cdb::Read6(10), 10), 0x8, 0x00, 0x05);
}

TEST_F(PositionTest, ShortEraseWritesEndOfData) {
  ASSERT_GOOD(Run(cdb::Locate10(1)));
  ASSERT_GOOD(Run(cdb::Erase6(/*long=*/false)));
  ASSERT_GOOD(Run(cdb::Rewind()));
  ExpectRecord(0);
  EXPECT_SENSE(Run(cdb::Read6(200), 200), 0x8, 0x00, 0x05);
}

}  // namespace
}  // namespace vtape::iscsi_test
