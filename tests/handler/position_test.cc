// SPACE(6/16), LOCATE(10/16), READ POSITION, REWIND, ERASE(6/16), LOAD UNLOAD.
#include <gtest/gtest.h>

#include <limits>

#include "drive_harness.h"
#include "ssc_test_util.h"

namespace vtape::ssc::testing {
namespace {

// A drive past its power-on unit attention, holding `layout` written from BOP
// ('R' = 10-byte record, 'F' = filemark), positioned at BOP.
struct Medium : DriveHarness {
  explicit Medium(const std::string& layout = "", const std::string& medium = "mem:")
      : DriveHarness(medium) {
    ClearPowerOnAttention();
    for (char c : layout) {
      if (c == 'R') Run(Write6(10), Pattern(10));
      if (c == 'F') Run(WriteFilemarks6(1));
      EXPECT_EQ(status(), kStatusGood);
    }
    Run(RewindCdb());
  }
  Position Pos() { return drive().medium()->GetPosition(); }
  std::uint64_t Object() { return Pos().object; }
};

// --- SPACE blocks -----------------------------------------------------------------

TEST(SpaceBlocks, ForwardAndBackwardWithinAFile) {
  Medium t("RRRR");
  t.Run(Space6(0, 3));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 3u);
  t.Run(Space6(0, -2));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 1u);
}

TEST(SpaceBlocks, ForwardIntoFilemarkStopsAfterItWithResidual) {
  Medium t("RRFRR");
  t.Run(Space6(0, 5));
  EXPECT_EQ(t.status(), kStatusCheckCondition);
  EXPECT_EQ(t.sense(), ExpectSense(0x0, 0x00, 0x01, kFm, 3));
  EXPECT_EQ(t.Object(), 3u);
  EXPECT_EQ(t.Pos().file, 1u);
}

TEST(SpaceBlocks, BackwardIntoFilemarkStopsBeforeItWithResidual) {
  Medium t("RRFRR");
  t.Run(Space6(3, 0));  // to EOD, object 5
  t.Run(Space6(0, -4));
  EXPECT_EQ(t.sense(), ExpectSense(0x0, 0x00, 0x01, kFm, 2));
  EXPECT_EQ(t.Object(), 2u);
  EXPECT_EQ(t.Pos().file, 0u);
}

TEST(SpaceBlocks, ForwardIntoEndOfDataIsBlankCheckWithoutEom) {
  Medium t("RR");
  t.Run(Space6(0, 5));
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05, 0, 3));
  EXPECT_EQ(t.Object(), 2u);
}

TEST(SpaceBlocks, BackwardIntoBeginningIsEomWithResidual) {
  Medium t("RRR");
  t.Run(Space6(0, 2));
  t.Run(Space6(0, -5));
  EXPECT_EQ(t.sense(), ExpectSense(0x0, 0x00, 0x04, kEom, 3));
  EXPECT_EQ(t.Object(), 0u);
  EXPECT_TRUE(t.Pos().at_bop);
}

TEST(SpaceBlocks, ZeroCountDoesNotMove) {
  Medium t("RR");
  t.Run(Space6(0, 1));
  t.Run(Space6(0, 0));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 1u);
}

// --- SPACE filemarks --------------------------------------------------------------

TEST(SpaceFilemarks, ForwardEndsAfterTheFilemark) {
  Medium t("RFRRFR");
  t.Run(Space6(1, 2));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 5u);
  EXPECT_EQ(t.Pos().file, 2u);
}

TEST(SpaceFilemarks, BackwardEndsBeforeTheFilemark) {
  Medium t("RFRRFR");
  t.Run(Space6(3, 0));
  t.Run(Space6(1, -1));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 4u);
  EXPECT_EQ(t.Pos().file, 1u);
}

TEST(SpaceFilemarks, StDefaultEodSpacesTheMaximumAndGetsTheResidual) {
  Medium t("RFRFR");
  t.Run(Space6(1, 0x7FFFFF));
  EXPECT_EQ(t.status(), kStatusCheckCondition);
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05, 0, 0x7FFFFF - 2));
  EXPECT_EQ(t.Object(), 5u);
  EXPECT_TRUE(t.Pos().at_eod);
}

TEST(SpaceFilemarks, BackwardIntoBeginningIsEom) {
  Medium t("RFRFR");
  t.Run(Space6(3, 0));
  t.Run(Space6(1, -3));
  EXPECT_EQ(t.sense(), ExpectSense(0x0, 0x00, 0x04, kEom, 1));
  EXPECT_EQ(t.Object(), 0u);
}

TEST(SpaceFilemarks, Space16TakesA64BitCount) {
  Medium t("RFRFRF");
  t.Run(Space16(1, 2));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 4u);
  t.Run(Space16(1, -1));
  EXPECT_EQ(t.Object(), 3u);
  t.Run(Space16(0, -1));
  EXPECT_EQ(t.Object(), 2u);
  t.Run(Space16(1, std::int64_t{1} << 40));
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05, 0, 0x7FFFFFFF));  // residual saturates
  EXPECT_EQ(t.Object(), 6u);
}

TEST(SpaceFilemarks, ExtremeSixtyFourBitCountsStopAtTheEnds) {
  Medium t("RFRF");
  t.Run(Space16(0, std::numeric_limits<std::int64_t>::max()));
  EXPECT_EQ(t.sense(), ExpectSense(0x0, 0x00, 0x01, kFm, 0x7FFFFFFF));
  EXPECT_EQ(t.Object(), 2u);
  t.Run(Space16(1, std::numeric_limits<std::int64_t>::min()));
  EXPECT_EQ(t.sense(), ExpectSense(0x0, 0x00, 0x04, kEom, 0x7FFFFFFF));
  EXPECT_EQ(t.Object(), 0u);
  t.Run(Space16(2, std::numeric_limits<std::int64_t>::min()));
  EXPECT_EQ(t.sense(), ExpectSense(0x0, 0x00, 0x04, kEom));
  t.Run(Space16(2, std::numeric_limits<std::int64_t>::max()));
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05));
  EXPECT_EQ(t.Object(), 4u);
  t.Run(Locate16(0, std::numeric_limits<std::uint64_t>::max()));
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05));
  t.Run(Locate16(1, std::numeric_limits<std::uint64_t>::max()));
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05));
  EXPECT_EQ(t.Object(), 4u);
}

// --- SPACE sequential filemarks and end of data ---------------------------------------

TEST(SpaceSequentialFilemarks, ForwardFindsTheFirstRunLongEnough) {
  //       objects: R0 F1 R2 F3 F4 R5 F6 F7 F8 R9
  Medium t("RFRFFRFFFR");
  t.Run(Space6(2, 2));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 5u);  // after F3 F4
  t.Run(Space6(2, 3));
  EXPECT_EQ(t.Object(), 9u);  // after F6 F7 F8
}

TEST(SpaceSequentialFilemarks, BackwardEndsBeforeTheRun) {
  Medium t("RFRFFRFFFR");
  t.Run(Space6(3, 0));
  t.Run(Space6(2, -2));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 7u);  // before F7 F8: the first run of two met going back
  t.Run(Space6(2, -2));
  EXPECT_EQ(t.Object(), 3u);  // before F3 F4 (F6 alone does not count from here)
}

TEST(SpaceSequentialFilemarks, NoSuchRunEndsAtEodOrBop) {
  Medium t("RFRFFR");
  t.Run(Space6(2, 3));
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05));
  EXPECT_EQ(t.Object(), 6u);
  t.Run(Space6(2, -3));
  EXPECT_EQ(t.sense(), ExpectSense(0x0, 0x00, 0x04, kEom));
  EXPECT_EQ(t.Object(), 0u);
}

TEST(SpaceEndOfData, GoesToEodWhateverTheCount) {
  Medium t("RFRR");
  t.Run(Space6(3, 0));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 4u);
  EXPECT_TRUE(t.Pos().at_eod);
}

TEST(Space, SetmarkAndReservedCodesAreInvalid) {
  Medium t("RR");
  t.Run(Space6(4, 1));
  EXPECT_EQ(t.sense(), ExpectInvalidCdb(1, 3));
  t.Run(Space16(9, 1));
  EXPECT_EQ(t.sense(), ExpectInvalidCdb(1, 3));
  EXPECT_EQ(t.Object(), 0u);
}

// --- LOCATE -----------------------------------------------------------------------

TEST(Locate, Locate10GoesToTheObjectWithEitherAddressType) {
  Medium t("RRFRR");
  t.Run(Locate10(3));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 3u);
  EXPECT_EQ(t.Pos().file, 1u);
  t.Run(Locate10(1, /*bt=*/true));  // st's default
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 1u);
}

TEST(Locate, BeyondEndOfDataIsBlankCheckAtEod) {
  Medium t("RRR");
  t.Run(Locate10(10));
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05));
  EXPECT_EQ(t.Object(), 3u);
  t.Run(Locate16(0, 99));
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05));
}

TEST(Locate, ChangePartitionToAMissingOneIsInvalid) {
  Medium t("RR");
  t.Run(Locate10(1, false, /*cp=*/true, 2));
  EXPECT_EQ(t.sense(), ExpectInvalidCdb(8));
  t.Run(Locate16(0, 0, true, 1));
  EXPECT_EQ(t.sense(), ExpectInvalidCdb(3));
  EXPECT_EQ(t.Object(), 0u);
}

TEST(Locate, ChangePartitionMovesThere) {
  Medium t("", "mem:partitions=2");
  t.Run(Locate10(0, false, true, 1));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Pos().partition, 1u);
  t.Run(Write6(5), Pattern(5));
  t.Run(Locate10(0));  // CP=0: stays in partition 1
  EXPECT_EQ(t.Pos().partition, 1u);
  EXPECT_EQ(t.Object(), 0u);
  t.Run(Locate16(3, 0));  // end of data of the current partition
  EXPECT_EQ(t.Pos().partition, 1u);
  EXPECT_EQ(t.Object(), 1u);
}

TEST(Locate, Locate16FileAndEndOfData) {
  Medium t("RFRRFR");
  t.Run(Locate16(1, 2));  // file 2 starts after the second filemark
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 5u);
  t.Run(Locate16(1, 0));
  EXPECT_EQ(t.Object(), 0u);
  t.Run(Locate16(1, 3));  // no third filemark: EOD
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05));
  EXPECT_EQ(t.Object(), 6u);
  t.Run(Locate16(0, 2));
  t.Run(Locate16(3, 0));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 6u);
}

TEST(Locate, ReservedDestinationTypesAreInvalid) {
  Medium t("RR");
  t.Run(Locate16(2, 0));
  EXPECT_EQ(t.sense(), ExpectInvalidCdb(1, 5));
  t.Run(Locate16(4, 0));
  EXPECT_EQ(t.sense(), ExpectInvalidCdb(1, 5));
}

// --- READ POSITION ----------------------------------------------------------------

TEST(ReadPosition, ShortFormAtBopAndInTheMiddle) {
  Medium t("RRFR");
  t.Run(ReadPositionCdb(0x00), {}, 20);
  EXPECT_EQ(t.status(), kStatusGood);
  Bytes expect(20, 0);
  expect[0] = 0x80;  // BOP; nothing buffered: the fixture's REWIND wrote the buffer out
  EXPECT_EQ(t.data(), expect);
  t.Run(Locate10(3));
  t.Run(ReadPositionCdb(0x01), {}, 20);
  expect[0] = 0;
  expect[7] = 3;   // first logical object location
  expect[11] = 3;  // last logical object location
  EXPECT_EQ(t.data(), expect);
}

TEST(ReadPosition, EopBitInsideEarlyWarning) {
  Medium t("", "mem:capacity=10000,early_warning=5000");
  t.Run(Write6(6000), Pattern(6000));
  t.Run(ReadPositionCdb(0x00), {}, 20);
  Bytes expect(20, 0);
  expect[0] = 0x40;  // EOP
  expect[7] = 1;
  expect[11] = 1;
  expect[15] = 1;  // the record is not durable yet: 1 object, 6000 bytes buffered
  expect[18] = 0x17;
  expect[19] = 0x70;
  EXPECT_EQ(t.data(), expect);
}

TEST(ReadPosition, LongFormCarriesPartitionObjectAndFile) {
  Medium t("", "mem:partitions=2");
  t.Run(Locate10(0, false, true, 1));
  t.Run(Write6(5), Pattern(5));
  t.Run(WriteFilemarks6(2));
  t.Run(ReadPositionCdb(0x06), {}, 32);
  Bytes expect(32, 0);
  expect[7] = 1;   // partition
  expect[15] = 3;  // logical object number
  expect[23] = 2;  // logical file identifier
  EXPECT_EQ(t.data(), expect);
}

TEST(ReadPosition, ExtendedFormHonoursItsAllocationLength) {
  Medium t("RRR");
  t.Run(Locate10(2));
  t.Run(ReadPositionCdb(0x08, 32), {}, 64);
  Bytes expect(32, 0);
  expect[3] = 28;  // additional length
  expect[7] = 0;   // objects in the buffer: none, LOCATE wrote them to the medium
  expect[15] = 2;  // first logical object location
  expect[23] = 2;  // last logical object location
  expect[31] = 0;  // bytes in the buffer
  EXPECT_EQ(t.data(), expect);
  t.Run(ReadPositionCdb(0x08, 8), {}, 64);
  EXPECT_EQ(t.data(), Bytes(expect.begin(), expect.begin() + 8));
  t.Run(ReadPositionCdb(0x08, 0), {}, 64);
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_TRUE(t.data().empty());
}

TEST(ReadPosition, SmallDataInBufferTruncates) {
  Medium t("R");
  t.Run(ReadPositionCdb(0x00), {}, 4);
  EXPECT_EQ(t.data(), (Bytes{0x80, 0, 0, 0}));
}

TEST(ReadPosition, OtherServiceActionsAreInvalid) {
  Medium t;
  t.Run(ReadPositionCdb(0x02), {}, 32);
  EXPECT_EQ(t.sense(), ExpectInvalidCdb(1, 4));
  t.Run(ReadPositionCdb(0x1F), {}, 32);
  EXPECT_EQ(t.sense(), ExpectInvalidCdb(1, 4));
}

// --- REWIND, ERASE ----------------------------------------------------------------

TEST(Rewind, ReturnsToBopOfPartitionZero) {
  Medium t("", "mem:partitions=2");
  t.Run(Locate10(0, false, true, 1));
  t.Run(Write6(5), Pattern(5));
  t.Run(RewindCdb(/*immed=*/true));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Pos().partition, 0u);
  EXPECT_EQ(t.Object(), 0u);
  EXPECT_TRUE(t.Pos().at_bop);
}

TEST(Erase, DiscardsFromThePosition) {
  Medium t("RRRR");
  t.Run(Locate10(2));
  t.Run(Erase6(/*long=*/true));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_TRUE(t.Pos().at_eod);
  MediumInfo info;
  ASSERT_TRUE(t.drive().medium()->Stat(info).ok());
  EXPECT_EQ(info.records, 2u);
}

TEST(Erase, Erase16LocatesFirst) {
  Medium t("RRRR");
  t.Run(Erase16(0, 1));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 1u);
  t.Run(Space6(3, 0));
  EXPECT_EQ(t.Object(), 1u);
  t.Run(Erase16(3, 0));
  EXPECT_EQ(t.sense(), ExpectInvalidCdb(3));
}

TEST(Erase, WriteProtectedIsDataProtect) {
  Medium t("", "mem:write_protected=1");
  t.Run(Erase6());
  EXPECT_EQ(t.sense(), ExpectSense(0x7, 0x27, 0x00));
}

// --- LOAD UNLOAD --------------------------------------------------------------------

TEST(LoadUnload, UnloadThenLoadReturnsToBop) {
  Medium t("RRR");
  t.Run(Locate10(2));
  t.Run(LoadUnload(0x00));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_FALSE(t.drive().medium()->loaded());
  t.Run(Tur());
  EXPECT_EQ(t.sense(), ExpectSense(0x2, 0x3A, 0x00));
  t.Run(Read6(10), {}, 10);
  EXPECT_EQ(t.sense(), ExpectSense(0x2, 0x3A, 0x00));
  t.Run(LoadUnload(0x00));  // nothing left to unload
  EXPECT_EQ(t.sense(), ExpectSense(0x2, 0x3A, 0x00));
  t.Run(LoadUnload(0x01));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_TRUE(t.drive().medium()->loaded());
  EXPECT_EQ(t.Object(), 0u);
  t.Run(Tur());  // the not-ready-to-ready attention of the load
  EXPECT_EQ(t.sense(), ExpectSense(0x6, 0x28, 0x00));
  t.Run(Read6(10), {}, 10);
  EXPECT_EQ(t.data(), Pattern(10));
}

// st's MTLOAD: LOAD, then TEST UNIT READY; only UNIT ATTENTION 28h/00h makes st
// reset its file/block counters (without it `mt status` shows file -1 block -1
// after `mt load`; tests/vm/t_mt.sh checks it through /dev/nst).
TEST(LoadUnload, LoadingAnUnloadedMediumReportsNotReadyToReadyOnce) {
  Medium t("RR");
  t.Run(LoadUnload(0x00));
  t.Run(LoadUnload(0x01));
  EXPECT_EQ(t.status(), kStatusGood);
  t.Run(Tur());
  EXPECT_EQ(t.status(), kStatusCheckCondition);
  EXPECT_EQ(t.sense(), ExpectSense(0x6, 0x28, 0x00));
  t.Run(Tur());
  EXPECT_EQ(t.status(), kStatusGood);
  // LOAD of a medium already loaded is only a rewind: no attention.
  t.Run(Space6(0, 1));
  t.Run(LoadUnload(0x01));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 0u);
  t.Run(Tur());
  EXPECT_EQ(t.status(), kStatusGood);
}

TEST(LoadUnload, LoadWhenLoadedRewinds) {
  Medium t("RRR");
  t.Run(Locate10(2));
  t.Run(LoadUnload(0x03));  // LOAD + RETEN
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Object(), 0u);
}

TEST(LoadUnload, PreventedRemovalRefusesUnloadButNotHold) {
  Medium t("R");
  t.Run(PreventAllow(1));
  t.Run(LoadUnload(0x00));
  EXPECT_EQ(t.sense(), ExpectSense(0x5, 0x53, 0x02));
  EXPECT_TRUE(t.drive().medium()->loaded());
  t.Run(LoadUnload(0x08));  // HOLD: the cartridge stays in the drive
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_FALSE(t.drive().medium()->loaded());
  t.Run(LoadUnload(0x01));
  t.Run(Tur());  // consumes the load's unit attention
  t.Run(PreventAllow(0));
  t.Run(LoadUnload(0x00));
  EXPECT_EQ(t.status(), kStatusGood);
}

TEST(LoadUnload, EotSpacesToEndOfDataBeforeUnloading) {
  Medium t("RFR");
  t.Run(LoadUnload(0x04));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_FALSE(t.drive().medium()->loaded());
  t.Run(LoadUnload(0x05));  // EOT with LOAD: invalid
  EXPECT_EQ(t.sense(), ExpectInvalidCdb(4, 2));
}

TEST(LoadUnload, NoMediumAtAllIsNotReady) {
  DriveHarness h("");
  h.ClearPowerOnAttention();
  h.Run(LoadUnload(0x01));
  EXPECT_EQ(h.sense(), ExpectSense(0x2, 0x3A, 0x00));
  h.Run(LoadUnload(0x00));
  EXPECT_EQ(h.sense(), ExpectSense(0x2, 0x3A, 0x00));
}

}  // namespace
}  // namespace vtape::ssc::testing
