// READ(6/16), WRITE(6/16), WRITE FILEMARKS(6/16): exact data, exact sense
// bytes, exact positions after every outcome.
#include <gtest/gtest.h>

#include "drive_harness.h"
#include "ssc_test_util.h"
#include "vtape/forwarding_tape.h"

namespace vtape::ssc::testing {
namespace {

// A drive past its power-on unit attention, on `medium`.
struct Ready : DriveHarness {
  explicit Ready(const std::string& medium = "mem:") : DriveHarness(medium) {
    ClearPowerOnAttention();
  }
  Position Pos() { return drive().medium()->GetPosition(); }
  void WriteRecord(const Bytes& record) {
    Run(Write6(static_cast<std::uint32_t>(record.size())), record);
    ASSERT_EQ(status(), kStatusGood) << "write of " << record.size() << " bytes";
  }
  void WriteFilemark() {
    Run(WriteFilemarks6(1));
    ASSERT_EQ(status(), kStatusGood);
  }
  void Rewind() {
    Run(RewindCdb());
    ASSERT_EQ(status(), kStatusGood);
  }
};

// --- Variable block mode ------------------------------------------------------

TEST(Read, RecordsOf1And1000And64KiBReadBackExactly) {
  Ready h;
  const Bytes one = Pattern(1, 3), thousand = Pattern(1000, 5), big = Pattern(65536, 9);
  h.WriteRecord(one);
  h.WriteRecord(thousand);
  h.WriteRecord(big);
  EXPECT_EQ(h.Pos().object, 3u);
  h.Rewind();
  for (const Bytes* record : {&one, &thousand, &big}) {
    h.Run(Read6(record->size()), {}, record->size());
    EXPECT_EQ(h.status(), kStatusGood);
    EXPECT_EQ(h.data(), *record);
  }
  EXPECT_EQ(h.Pos().object, 3u);
}

TEST(Read, LargerRequestThanRecordReturnsRecordWithPositiveIli) {
  Ready h;
  const Bytes record = Pattern(1000);
  h.WriteRecord(record);
  h.Rewind();
  h.Run(Read6(2000), {}, 2000);
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x00, kIli, 1000));
  EXPECT_EQ(h.data(), record);
  EXPECT_EQ(h.Pos().object, 1u);
}

TEST(Read, OneByteRecordAgainst64KiBRequest) {
  Ready h;
  h.WriteRecord({0x5A});
  h.Rewind();
  h.Run(Read6(65536), {}, 65536);
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x00, kIli, 65535));
  EXPECT_EQ(h.data(), Bytes{0x5A});
}

TEST(Read, SmallerRequestThanRecordIsNegativeIliAndSkipsTheRecord) {
  Ready h;
  const Bytes big = Pattern(65536), next = Pattern(10, 77);
  h.WriteRecord(big);
  h.WriteRecord(next);
  h.Rewind();
  h.Run(Read6(1000), {}, 1000);
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x00, kIli, 1000 - 65536));
  EXPECT_EQ(h.data(), Bytes(big.begin(), big.begin() + 1000));
  EXPECT_EQ(h.Pos().object, 1u);  // past the whole record
  h.Run(Read6(10), {}, 10);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), next);
}

TEST(Read, SiliSuppressesUnderlengthIli) {
  Ready h;
  const Bytes record = Pattern(1000);
  h.WriteRecord(record);
  h.Rewind();
  h.Run(Read6(4096, false, /*sili=*/true), {}, 4096);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), record);
}

TEST(Read, SiliSuppressesOverlengthIliInVariableMode) {
  Ready h;
  const Bytes record = Pattern(1000);
  h.WriteRecord(record);
  h.Rewind();
  h.Run(Read6(100, false, /*sili=*/true), {}, 100);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), Bytes(record.begin(), record.begin() + 100));
}

TEST(Read, SiliStillReportsOverlengthWhenModeBlockLengthIsSet) {
  DirectDrive d;
  ASSERT_TRUE(d.tape().Write(Pattern(1000)).ok());
  ASSERT_TRUE(d.tape().Rewind().ok());
  d.state().mode.block_length = 512;
  d.Run(Read6(100, /*fixed=*/false, /*sili=*/true), {}, 100);
  EXPECT_EQ(d.sense(), ExpectSense(0x0, 0x00, 0x00, kIli, 100 - 1000));
  const Bytes record = Pattern(1000);
  EXPECT_EQ(d.data(), Bytes(record.begin(), record.begin() + 100));
}

TEST(Read, FixedAndSiliTogetherIsInvalid) {
  DirectDrive d;
  d.state().mode.block_length = 512;
  d.Run(Read6(1, true, true), {}, 512);
  EXPECT_EQ(d.sense(), ExpectInvalidCdb(1, 1));
}

TEST(Read, FilemarkReturnsFilemarkSenseWithFullResidualAndMovesPastIt) {
  Ready h;
  const Bytes a = Pattern(300, 1), b = Pattern(400, 2);
  h.WriteRecord(a);
  h.WriteFilemark();
  h.WriteRecord(b);
  h.Rewind();
  h.Run(Read6(300), {}, 300);
  EXPECT_EQ(h.data(), a);
  h.Run(Read6(512), {}, 512);
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x01, kFm, 512));
  EXPECT_TRUE(h.data().empty());
  EXPECT_EQ(h.Pos().object, 2u);
  EXPECT_EQ(h.Pos().file, 1u);
  h.Run(Read6(400), {}, 400);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), b);
}

TEST(Read, EndOfDataIsBlankCheckAndStaysThere) {
  Ready h;
  h.WriteRecord(Pattern(10));
  h.Run(Read6(10), {}, 10);
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), ExpectSense(0x8, 0x00, 0x05, 0, 10));
  EXPECT_TRUE(h.data().empty());
  EXPECT_EQ(h.Pos().object, 1u);
  EXPECT_TRUE(h.Pos().at_eod);
}

TEST(Read, ZeroLengthIsGoodWithoutMotion) {
  Ready h;
  h.WriteRecord(Pattern(10));
  h.Rewind();
  h.Run(Read6(0), {}, 0);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Pos().object, 0u);
}

TEST(Read, DataInSmallerThanCdbLengthIsNeverOverrun) {
  Ready h;
  const Bytes record = Pattern(1000);
  h.WriteRecord(record);
  h.Rewind();
  h.Run(Read6(1000), {}, 100);  // the initiator's buffer holds only 100 bytes
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), Bytes(record.begin(), record.begin() + 100));
  EXPECT_EQ(h.Pos().object, 1u);
}

TEST(Read, MediumErrorReportsResidualAndMovesPastTheBadRecord) {
  DirectDrive d("fault:{read@2=medium}mem:");
  for (std::uint8_t i = 0; i < 3; ++i) ASSERT_TRUE(d.tape().Write(Pattern(100, i)).ok());
  ASSERT_TRUE(d.tape().Rewind().ok());
  d.Run(Read6(100), {}, 100);
  EXPECT_EQ(d.data(), Pattern(100, 0));
  d.Run(Read6(100), {}, 100);
  EXPECT_EQ(d.status(), kStatusCheckCondition);
  EXPECT_EQ(d.sense(), ExpectSense(0x3, 0x11, 0x00, 0, 100));
  EXPECT_TRUE(d.data().empty());
  EXPECT_EQ(d.tape().GetPosition().object, 2u);
  EXPECT_TRUE(d.state().tapealert.Raised(spc::TapeAlertFlag::kMedia));
  EXPECT_EQ(d.state().counters.read_errors_uncorrected, 1u);
  d.Run(Read6(100), {}, 100);
  EXPECT_EQ(d.status(), kStatusGood);
  EXPECT_EQ(d.data(), Pattern(100, 2));
}

TEST(Read, CountersFollowTheData) {
  DirectDrive d;
  d.Run(Write6(1000), Pattern(1000));
  d.Run(Write6(24), Pattern(24));
  ASSERT_TRUE(d.tape().Rewind().ok());
  d.Run(Read6(1000), {}, 1000);
  d.Run(Read6(10), {}, 10);  // overlength: 10 of 24 bytes delivered
  const LogCounters& c = d.state().counters;
  EXPECT_EQ(c.records_written, 2u);
  EXPECT_EQ(c.bytes_written_by_initiator, 1024u);
  EXPECT_EQ(c.bytes_written_to_medium, 1024u);
  EXPECT_EQ(c.records_read, 2u);
  EXPECT_EQ(c.bytes_read_from_medium, 1024u);
  EXPECT_EQ(c.bytes_read_by_initiator, 1010u);
}

// --- READ(16) -------------------------------------------------------------------

TEST(Read16, LocatesToTheObjectThenReads) {
  Ready h;
  for (std::uint8_t i = 0; i < 3; ++i) h.WriteRecord(Pattern(50, i));
  h.Run(Read16(50, 0, 1), {}, 50);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), Pattern(50, 1));
  EXPECT_EQ(h.Pos().object, 2u);
}

TEST(Read16, BeyondEndOfDataIsBlankCheckAtEod) {
  Ready h;
  h.WriteRecord(Pattern(50));
  h.Rewind();
  h.Run(Read16(50, 0, 7), {}, 50);
  EXPECT_EQ(h.sense(), ExpectSense(0x8, 0x00, 0x05, 0, 50));
  EXPECT_EQ(h.Pos().object, 1u);
}

TEST(Read16, MissingPartitionIsInvalidField) {
  Ready h;
  h.Run(Read16(50, 1, 0), {}, 50);
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(3));
}

TEST(Read16, ReadsFromTheSecondPartition) {
  Ready h("mem:partitions=2");
  h.Run(Write16(5, 1, 0), Pattern(5, 42));
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Pos().partition, 1u);
  h.Rewind();
  EXPECT_EQ(h.Pos().partition, 0u);
  h.Run(Read16(5, 1, 0), {}, 5);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), Pattern(5, 42));
}

// --- Fixed block mode -----------------------------------------------------------

struct Fixed : DirectDrive {
  Fixed(const std::string& medium = "mem:") : DirectDrive(medium) {
    state().mode.block_length = 512;
  }
};

TEST(Fixed, WritesOneRecordPerBlockAndReadsThemBack) {
  Fixed d;
  const Bytes data = Pattern(2048);
  d.Run(Write6(4, true), data);
  EXPECT_EQ(d.status(), kStatusGood);
  EXPECT_EQ(d.tape().GetPosition().object, 4u);
  ASSERT_TRUE(d.tape().Rewind().ok());
  // Each block is its own 512-byte record.
  Bytes block(600);
  ReadResult got;
  ASSERT_TRUE(d.tape().Read(block, got).ok());
  EXPECT_EQ(got.length, 512u);
  ASSERT_TRUE(d.tape().Rewind().ok());
  d.Run(Read6(4, true), {}, 2048);
  EXPECT_EQ(d.status(), kStatusGood);
  EXPECT_EQ(d.data(), data);
}

TEST(Fixed, FilemarkStopsWithBlockResidualAndDataBeforeIt) {
  Fixed d;
  const Bytes data = Pattern(1024);
  d.Run(Write6(2, true), data);
  d.Run(WriteFilemarks6(1));
  ASSERT_TRUE(d.tape().Rewind().ok());
  d.Run(Read6(4, true), {}, 2048);
  EXPECT_EQ(d.status(), kStatusCheckCondition);
  EXPECT_EQ(d.sense(), ExpectSense(0x0, 0x00, 0x01, kFm, 2));
  EXPECT_EQ(d.data(), data);
  EXPECT_EQ(d.tape().GetPosition().object, 3u);
}

TEST(Fixed, WrongSizedRecordIsIliWithBlocksNotTransferred) {
  Fixed d;
  const Bytes data = Pattern(1024);
  d.Run(Write6(2, true), data);
  ASSERT_TRUE(d.tape().Write(Pattern(100)).ok());
  ASSERT_TRUE(d.tape().Write(Pattern(512)).ok());
  ASSERT_TRUE(d.tape().Rewind().ok());
  d.Run(Read6(4, true), {}, 2048);
  EXPECT_EQ(d.sense(), ExpectSense(0x0, 0x00, 0x00, kIli, 2));
  EXPECT_EQ(d.data(), data);
  EXPECT_EQ(d.tape().GetPosition().object, 3u);  // after the wrong-sized record
}

TEST(Fixed, EndOfDataIsBlankCheckWithBlockResidual) {
  Fixed d;
  const Bytes data = Pattern(1024);
  d.Run(Write6(2, true), data);
  ASSERT_TRUE(d.tape().Rewind().ok());
  d.Run(Read6(3, true), {}, 1536);
  EXPECT_EQ(d.sense(), ExpectSense(0x8, 0x00, 0x05, 0, 1));
  EXPECT_EQ(d.data(), data);
  EXPECT_EQ(d.tape().GetPosition().object, 2u);
}

TEST(Fixed, MediumErrorGivesBlockResidualAndGoodData) {
  Fixed d("fault:{read@3=medium}mem:");
  const Bytes data = Pattern(2048);
  d.Run(Write6(4, true), data);
  ASSERT_TRUE(d.tape().Rewind().ok());
  d.Run(Read6(4, true), {}, 2048);
  EXPECT_EQ(d.sense(), ExpectSense(0x3, 0x11, 0x00, 0, 2));
  EXPECT_EQ(d.data(), Bytes(data.begin(), data.begin() + 1024));
  EXPECT_EQ(d.tape().GetPosition().object, 3u);
}

TEST(Fixed, SmallDataInBufferStillMovesOverEveryBlock) {
  Fixed d;
  const Bytes data = Pattern(2048);
  d.Run(Write6(4, true), data);
  ASSERT_TRUE(d.tape().Rewind().ok());
  d.Run(Read6(4, true), {}, 700);
  EXPECT_EQ(d.status(), kStatusGood);
  EXPECT_EQ(d.data(), Bytes(data.begin(), data.begin() + 700));
  EXPECT_EQ(d.tape().GetPosition().object, 4u);
}

// st's `mt setblk N`: MODE SELECT(6), PF=1, header + one block descriptor.
Bytes SetBlockLength(DriveHarness& h, std::uint32_t block_length) {
  Bytes list{0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 0, 0};
  Put(list, 9, 3, block_length);
  return h.Run({0x15, 0x10, 0, 0, 12, 0}, list).status == kStatusGood ? Bytes{} : h.sense();
}

TEST(Fixed, BlockLengthSetWithModeSelectDrivesFixedTransfers) {
  Ready h;
  ASSERT_EQ(SetBlockLength(h, 512), Bytes{});
  const Bytes data = Pattern(1536);
  h.Run(Write6(3, true), data);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Pos().object, 3u);
  h.Rewind();
  h.Run(Read6(3, true), {}, 1536);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), data);
  // Back to variable mode: each 512-byte block is one record.
  ASSERT_EQ(SetBlockLength(h, 0), Bytes{});
  h.Rewind();
  h.Run(Read6(1000), {}, 1000);
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x00, kIli, 488));
  EXPECT_EQ(h.data(), Bytes(data.begin(), data.begin() + 512));
  h.Run(Read6(1, true), {}, 512);
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(1, 0));
}

TEST(Fixed, WithoutModeBlockLengthReadAndWriteAreInvalid) {
  Ready h;
  h.Run(Read6(1, true), {}, 512);
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(1, 0));
  h.Run(Write6(1, true), Pattern(512));
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(1, 0));
  EXPECT_EQ(h.Pos().object, 0u);
}

TEST(Fixed, ShortDataOutWritesNothing) {
  Fixed d;
  d.Run(Write6(4, true), Pattern(2047));
  EXPECT_EQ(d.sense(), ExpectInvalidCdb(2));
  EXPECT_EQ(d.tape().GetPosition().object, 0u);
}

TEST(Fixed, VolumeOverflowCountsBlocksNotWritten) {
  Fixed d("mem:capacity=10000,early_warning=0");
  d.state().mode.block_length = 1000;
  d.Run(Write6(12, true), Pattern(12000));
  Bytes expected = ExpectSense(0xD, 0x00, 0x02, kEom, 2);
  EXPECT_EQ(d.sense(), expected);
  EXPECT_EQ(d.tape().GetPosition().object, 10u);
}

// --- WRITE ----------------------------------------------------------------------

TEST(Write, WriteProtectedIsDataProtectAndWritesNothing) {
  DirectDrive d("mem:write_protected=1");
  d.Run(Write6(10), Pattern(10));
  EXPECT_EQ(d.status(), kStatusCheckCondition);
  EXPECT_EQ(d.sense(), ExpectSense(0x7, 0x27, 0x00));
  EXPECT_TRUE(d.state().tapealert.Raised(spc::TapeAlertFlag::kWriteProtect));
  MediumInfo info;
  ASSERT_TRUE(d.tape().Stat(info).ok());
  EXPECT_EQ(info.records, 0u);
}

TEST(Write, EarlyWarningThenVolumeOverflow) {
  Ready h("mem:capacity=100000,early_warning=20000");
  const Bytes record = Pattern(8000);
  for (int i = 0; i < 9; ++i) h.WriteRecord(record);  // 72000 bytes: before the warning
  h.Run(Write6(8000), record);                        // ends at 80000: inside the zone
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x02, kEom, 0));
  EXPECT_EQ(h.Pos().object, 10u);  // the record was written
  h.Run(Write6(8000), record);     // 88000
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x02, kEom, 0));
  h.Run(Write6(8000), record);  // 96000
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x02, kEom, 0));
  h.Run(Write6(8000), record);  // would end at 104000: past the hard end
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), ExpectSense(0xD, 0x00, 0x02, kEom, 8000));
  EXPECT_EQ(h.Pos().object, 12u);
  EXPECT_EQ(h.Pos().bytes_before, 96000u);
}

TEST(Write, ShortDataOutWritesNothing) {
  Ready h;
  h.Run(Write6(1000), Pattern(999));
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(2));
  EXPECT_EQ(h.Pos().object, 0u);
}

TEST(Write, RecordLongerThanMaxTransferIsIllegal) {
  Ready h;  // DriveConfig default: 1 MiB
  h.Run(Write6((1u << 20) + 1), Bytes((1u << 20) + 1, 0));
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(2));
  EXPECT_EQ(h.Pos().object, 0u);
  h.Run(Write6(1u << 20), Bytes(1u << 20, 0));
  EXPECT_EQ(h.status(), kStatusGood);
}

TEST(Write, ZeroLengthIsGoodAndWritesNothing) {
  Ready h;
  h.Run(Write6(0));
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Pos().object, 0u);
}

TEST(Write, OverwriteInTheMiddleDiscardsTheRest) {
  Ready h;
  for (std::uint8_t i = 0; i < 3; ++i) h.WriteRecord(Pattern(20, i));
  h.Run(Write16(20, 0, 1), Pattern(20, 9));
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Pos().object, 2u);
  EXPECT_TRUE(h.Pos().at_eod);
  h.Run(Read16(20, 0, 1), {}, 20);
  EXPECT_EQ(h.data(), Pattern(20, 9));
  h.Run(Read6(20), {}, 20);
  EXPECT_EQ(h.sense(), ExpectSense(0x8, 0x00, 0x05, 0, 20));
}

TEST(Write, MediumErrorOnWriteIsWriteError) {
  DirectDrive d("fault:{write@1=medium}mem:");
  d.Run(Write6(10), Pattern(10));
  EXPECT_EQ(d.sense(), ExpectSense(0x3, 0x0C, 0x00, 0, 10));
  EXPECT_EQ(d.state().counters.write_errors_uncorrected, 1u);
}

TEST(Write, HostDiskFullIsVolumeOverflow) {
  DirectDrive d("fault:{write@1=enospc}mem:");
  d.Run(Write6(10), Pattern(10));
  EXPECT_EQ(d.sense(), ExpectSense(0xD, 0x00, 0x02, kEom, 10));
}

// --- WRITE FILEMARKS --------------------------------------------------------------

// Records what WriteFilemarks and Sync were asked to do.
class RecordingTape final : public ForwardingTape {
 public:
  using ForwardingTape::ForwardingTape;
  Status WriteFilemarks(std::uint64_t n, bool sync) override {
    calls.push_back("weof " + std::to_string(n) + (sync ? " sync" : " async"));
    return ForwardingTape::WriteFilemarks(n, sync);
  }
  Status Sync() override {
    calls.push_back("sync");
    return ForwardingTape::Sync();
  }
  std::vector<std::string> calls;
};

std::unique_ptr<Tape> MemTape(const std::string& name = "mem:") {
  std::unique_ptr<Tape> t;
  EXPECT_TRUE(OpenTape(name, {}, t).ok());
  return t;
}

TEST(WriteFilemarks, ImmedSelectsSyncAndZeroCountFlushes) {
  auto owned = std::make_unique<RecordingTape>(MemTape());
  RecordingTape* tape = owned.get();
  DirectDrive d(std::move(owned));
  d.Run(WriteFilemarks6(2));
  EXPECT_EQ(d.status(), kStatusGood);
  d.Run(WriteFilemarks6(1, /*immed=*/true));
  d.Run(WriteFilemarks6(0));
  d.Run(WriteFilemarks6(0, /*immed=*/true));
  EXPECT_EQ(tape->calls, (std::vector<std::string>{"weof 2 sync", "weof 1 async", "sync"}));
  Position pos = d.tape().GetPosition();
  EXPECT_EQ(pos.object, 3u);
  EXPECT_EQ(pos.file, 3u);
  EXPECT_EQ(d.state().counters.filemarks_written, 3u);
}

TEST(WriteFilemarks, SetmarksAreNotSupported) {
  Ready h;
  h.Run(WriteFilemarks6(1, false, /*wsmk=*/true));
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(1, 1));
  EXPECT_EQ(h.Pos().object, 0u);
}

TEST(WriteFilemarks, WriteProtectedIsDataProtectButAFlushIsFine) {
  Ready h("mem:write_protected=1");
  h.Run(WriteFilemarks6(1));
  EXPECT_EQ(h.sense(), ExpectSense(0x7, 0x27, 0x00));
  h.Run(WriteFilemarks6(0));
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Pos().object, 0u);
}

TEST(WriteFilemarks, InsideEarlyWarningReportsEom) {
  Ready h("mem:capacity=20000,early_warning=5000");
  h.WriteRecord(Pattern(4000));
  h.WriteFilemark();  // 4000 + 4096 (kFilemarkBytes) used: before the warning at 15000
  h.Run(Write6(7000), Pattern(7000));
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x02, kEom, 0));
  h.Run(WriteFilemarks6(1));
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x02, kEom, 0));
  EXPECT_EQ(h.Pos().file, 2u);
}

TEST(WriteFilemarks, SixteenByteFormLocatesFirst) {
  Ready h;
  for (std::uint8_t i = 0; i < 3; ++i) h.WriteRecord(Pattern(20, i));
  h.Run(WriteFilemarks16(1, 0, 2));
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Pos().object, 3u);
  EXPECT_EQ(h.Pos().file, 1u);
  h.Run(Read16(20, 0, 2), {}, 20);
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x01, kFm, 20));
}

// A backend that fails a WRITE FILEMARKS of n > `kept` marks after writing
// `kept` of them, with `code` (as the file: backend does on a full disk).
class PartialFilemarksTape final : public ForwardingTape {
 public:
  PartialFilemarksTape(std::unique_ptr<Tape> target, std::uint64_t kept, Code code)
      : ForwardingTape(std::move(target)), kept_(kept), code_(code) {}
  Status WriteFilemarks(std::uint64_t n, bool sync) override {
    if (n <= kept_) return ForwardingTape::WriteFilemarks(n, sync);
    VTAPE_RETURN_IF_ERROR(ForwardingTape::WriteFilemarks(kept_, sync));
    return Status(code_, "injected: " + std::to_string(kept_) + " of " + std::to_string(n));
  }

 private:
  std::uint64_t kept_;
  Code code_;
};

TEST(WriteFilemarks, PartialAtEndOfMediumReportsTheMarksNotWritten) {
  DirectDrive d(std::make_unique<PartialFilemarksTape>(MemTape(), 3, Code::kEndOfMedium));
  d.Run(Write6(10), Pattern(10));
  d.Run(WriteFilemarks6(10));
  // VOLUME OVERFLOW, EOM, END-OF-PARTITION/MEDIUM DETECTED, INFORMATION = 10 - 3.
  EXPECT_EQ(d.sense(), ExpectSense(0xD, 0x00, 0x02, kEom, 7));
  EXPECT_EQ(d.tape().GetPosition().object, 4u);
  EXPECT_EQ(d.tape().GetPosition().file, 3u);
  EXPECT_EQ(d.state().counters.filemarks_written, 3u);
}

TEST(WriteFilemarks, NothingWrittenAtEndOfMediumReportsTheWholeCount) {
  DirectDrive d(std::make_unique<PartialFilemarksTape>(MemTape(), 0, Code::kEndOfMedium));
  d.Run(WriteFilemarks6(4, /*immed=*/true));
  EXPECT_EQ(d.sense(), ExpectSense(0xD, 0x00, 0x02, kEom, 4));
  EXPECT_EQ(d.tape().GetPosition().object, 0u);
}

TEST(WriteFilemarks, TornByAnIoErrorIsAMediumErrorWithTheResidual) {
  // fault: weof tear writes count/2 marks, then fails with kIoError.
  Ready h("fault:{weof@1=tear}mem:");
  h.Run(WriteFilemarks6(5));
  // MEDIUM ERROR, WRITE ERROR 0Ch/00h, INFORMATION = 5 - 2.
  EXPECT_EQ(h.sense(), ExpectSense(0x3, 0x0C, 0x00, 0, 3));
  EXPECT_EQ(h.Pos().object, 2u);
  EXPECT_EQ(h.Pos().file, 2u);
  // The drive goes on from there: the next marks land after the two.
  h.Run(WriteFilemarks6(3));
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Pos().file, 5u);
}

}  // namespace
}  // namespace vtape::ssc::testing

namespace vtape::ssc::testing {
namespace {

// Every bit pattern of the data and positioning CDBs, with any buffer sizes,
// answers within its buffers: data_in_len never exceeds data_in, and the answer
// is GOOD or carries 18 bytes of sense. Called directly (no usage-mask filter)
// so reserved bits reach the command functions too. Seeded: reproducible.
TEST(Robustness, RandomCdbsStayInsideTheirBuffers) {
  const std::uint8_t opcodes[] = {0x00, 0x01, 0x03, 0x04, 0x08, 0x0A, 0x0B, 0x10,
                                  0x11, 0x19, 0x1B, 0x1E, 0x2B, 0x34, 0x80, 0x88,
                                  0x8A, 0x8C, 0x8D, 0x91, 0x92, 0x93};
  std::uint64_t seed = 0x9E3779B97F4A7C15u;
  auto next = [&seed] {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  DirectDrive d("mem:capacity=200000,early_warning=50000,partitions=2");
  for (int i = 0; i < 20000; ++i) {
    std::uint8_t opcode = opcodes[next() % std::size(opcodes)];
    const CommandInfo* info = FindCommand(opcode, 0);
    ASSERT_NE(info, nullptr);
    Bytes cdb(info->cdb_length);
    cdb[0] = opcode;
    for (std::size_t b = 1; b < cdb.size(); ++b) {
      // Mostly small numbers, sometimes anything: reach both the paths and the edges.
      cdb[b] = next() % 4 == 0 ? static_cast<std::uint8_t>(next()) : next() % 3;
    }
    // Filemarks cost no capacity on mem:, so cap their count: millions of them
    // would only slow the test down, not reach new code.
    if (opcode == 0x10) cdb[2] = cdb[3] = 0;
    if (opcode == 0x80) cdb[12] = cdb[13] = 0;
    d.state().mode.block_length = static_cast<std::uint32_t>(next() % 3 == 0 ? 0 : next() % 64);
    if (opcode == 0x1B && !d.tape().loaded()) cdb[4] |= 0x01;  // keep the medium mostly loaded
    std::size_t out_size = next() % 3000, in_size = next() % 3000;
    const ScsiResult& r = d.Run(cdb, Pattern(out_size, static_cast<std::uint8_t>(i)), in_size);
    ASSERT_LE(r.data_in_len, in_size) << "opcode " << int(opcode) << " iteration " << i;
    if (r.status == kStatusGood) {
      ASSERT_EQ(r.sense_len, 0u);
    } else {
      ASSERT_EQ(r.status, kStatusCheckCondition);
      ASSERT_EQ(r.sense_len, 18u);
      ASSERT_EQ(r.sense[0] & 0x7F, 0x70);
    }
    if (!d.tape().loaded()) {
      ASSERT_TRUE(d.tape().Load().ok());
    }
  }
}

}  // namespace
}  // namespace vtape::ssc::testing
