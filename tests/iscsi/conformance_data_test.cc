// Data commands over iSCSI: variable and fixed records, short and long reads
// (ILI with data and residual), filemarks, end of data, overwrite at BOP.
#include "tests/iscsi/fixture.h"

namespace vtape::iscsi_test {
namespace {

using DataTest = DriveTest;

std::vector<std::uint8_t> Prefix(const std::vector<std::uint8_t>& v, std::size_t n) {
  return {v.begin(), v.begin() + static_cast<long>(n)};
}
bool AllUnsent(const std::vector<std::uint8_t>& v, std::size_t from) {
  for (std::size_t i = from; i < v.size(); ++i) {
    if (v[i] != kUnsentFill) return false;
  }
  return true;
}

TEST_F(DataTest, VariableRecordsRoundTripThenFilemarkThenEndOfData) {
  const std::vector<std::size_t> sizes{1, 100, 4096, 65536, Expect().max_block};
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    ASSERT_NO_FATAL_FAILURE(WriteRecord(sizes[i], static_cast<std::uint32_t>(i)));
  }
  ASSERT_NO_FATAL_FAILURE(WriteFilemarks(1));
  EXPECT_EQ(Position(), sizes.size() + 1) << "records and the filemark are logical objects";

  ASSERT_GOOD(Run(cdb::Rewind()));
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    Reply r = Run(cdb::Read6(static_cast<std::uint32_t>(sizes[i])), sizes[i]);
    ASSERT_GOOD(r) << " record " << i;
    EXPECT_FALSE(r.residual_underflow || r.residual_overflow) << r.Describe();
    EXPECT_EQ(r.data, Pattern(sizes[i], static_cast<std::uint32_t>(i))) << "record " << i;
  }
  // The filemark: CHECK CONDITION, NO SENSE, FILEMARK, residual = whole request.
  Reply fm = Run(cdb::Read6(512), 512);
  EXPECT_SENSE(fm, 0x0, 0x00, 0x01);
  EXPECT_TRUE(fm.sense.filemark()) << fm.Describe();
  EXPECT_FALSE(fm.sense.ili()) << fm.Describe();
  EXPECT_TRUE(fm.sense.valid()) << fm.Describe();
  EXPECT_EQ(fm.sense.information(), 512);
  EXPECT_TRUE(AllUnsent(fm.data, 0));
  EXPECT_EQ(Position(), sizes.size() + 1) << "positioned after the filemark";

  // End of data: BLANK CHECK, END-OF-DATA DETECTED, residual = whole request.
  Reply eod = Run(cdb::Read6(512), 512);
  EXPECT_SENSE(eod, 0x8, 0x00, 0x05);
  EXPECT_FALSE(eod.sense.filemark()) << eod.Describe();
  EXPECT_TRUE(eod.sense.valid()) << eod.Describe();
  EXPECT_EQ(eod.sense.information(), 512);
  EXPECT_EQ(Position(), sizes.size() + 1) << "a read at EOD does not move";
}

TEST_F(DataTest, ShortRecordReturnsItsDataWithIliAndPositiveResidual) {
  ASSERT_NO_FATAL_FAILURE(WriteRecord(2000, 7));
  ASSERT_GOOD(Run(cdb::Rewind()));
  Reply r = Run(cdb::Read6(4096), 4096);
  EXPECT_SENSE(r, 0x0, 0x00, 0x00);
  EXPECT_TRUE(r.sense.ili()) << r.Describe();
  EXPECT_TRUE(r.sense.valid()) << r.Describe();
  EXPECT_FALSE(r.sense.filemark() || r.sense.eom()) << r.Describe();
  EXPECT_EQ(r.sense.information(), 4096 - 2000);
  EXPECT_EQ(Prefix(r.data, 2000), Pattern(2000, 7)) << "the short record's data arrives";
  EXPECT_TRUE(AllUnsent(r.data, 2000)) << "and nothing beyond it";
  EXPECT_EQ(Position(), 1u);
}

TEST_F(DataTest, LongRecordReturnsTheRequestWithIliAndNegativeResidual) {
  ASSERT_NO_FATAL_FAILURE(WriteRecord(8192, 8));
  ASSERT_NO_FATAL_FAILURE(WriteRecord(16, 9));
  ASSERT_GOOD(Run(cdb::Rewind()));
  Reply r = Run(cdb::Read6(1000), 1000);
  EXPECT_SENSE(r, 0x0, 0x00, 0x00);
  EXPECT_TRUE(r.sense.ili()) << r.Describe();
  EXPECT_TRUE(r.sense.valid()) << r.Describe();
  EXPECT_EQ(r.sense.information(), 1000 - 8192);
  EXPECT_EQ(r.data, Prefix(Pattern(8192, 8), 1000));
  EXPECT_EQ(Position(), 1u) << "the rest of the long record is skipped";
  Reply next = Run(cdb::Read6(16), 16);
  ASSERT_GOOD(next);
  EXPECT_EQ(next.data, Pattern(16, 9));
}

TEST_F(DataTest, SiliSuppressesIliForAShortRecordAndReportsTheResidual) {
  ASSERT_NO_FATAL_FAILURE(WriteRecord(2000, 10));
  ASSERT_GOOD(Run(cdb::Rewind()));
  Reply r = Run(cdb::Read6(4096, /*fixed=*/false, /*sili=*/true), 4096);
  ASSERT_GOOD(r);
  EXPECT_TRUE(r.residual_underflow) << r.Describe();
  EXPECT_EQ(r.residual, 4096u - 2000u);
  EXPECT_EQ(Prefix(r.data, 2000), Pattern(2000, 10));
  EXPECT_TRUE(AllUnsent(r.data, 2000));
}

TEST_F(DataTest, Read16AndWrite16RoundTrip) {
  std::vector<std::uint8_t> data = Pattern(3000, 11);
  ASSERT_GOOD(Run(cdb::Write16(3000), 0, data));
  ASSERT_GOOD(Run(cdb::Rewind()));
  Reply r = Run(cdb::Read16(3000), 3000);
  ASSERT_GOOD(r);
  EXPECT_EQ(r.data, data);
}

TEST_F(DataTest, FixedBlocksRoundTripAndStopAtFilemarkAndEndOfData) {
  ASSERT_NO_FATAL_FAILURE(SetBlockLength(512));
  std::vector<std::uint8_t> four = Pattern(4 * 512, 12);
  std::vector<std::uint8_t> two = Pattern(2 * 512, 13);
  ASSERT_GOOD(Run(cdb::Write6(4, /*fixed=*/true), 0, four));
  ASSERT_NO_FATAL_FAILURE(WriteFilemarks(1));
  ASSERT_GOOD(Run(cdb::Write6(2, /*fixed=*/true), 0, two));
  EXPECT_EQ(Position(), 7u) << "six blocks and a filemark";

  ASSERT_GOOD(Run(cdb::Rewind()));
  Reply r = Run(cdb::Read6(4, true), 4 * 512);
  ASSERT_GOOD(r);
  EXPECT_EQ(r.data, four);

  Reply fm = Run(cdb::Read6(4, true), 4 * 512);
  EXPECT_SENSE(fm, 0x0, 0x00, 0x01);
  EXPECT_TRUE(fm.sense.filemark()) << fm.Describe();
  EXPECT_EQ(fm.sense.information(), 4) << "residual in blocks";

  // Two blocks before end of data: they arrive with the BLANK CHECK.
  Reply eod = Run(cdb::Read6(4, true), 4 * 512);
  EXPECT_SENSE(eod, 0x8, 0x00, 0x05);
  EXPECT_TRUE(eod.sense.valid()) << eod.Describe();
  EXPECT_EQ(eod.sense.information(), 2) << "blocks not read";
  EXPECT_EQ(Prefix(eod.data, 1024), two);
  EXPECT_TRUE(AllUnsent(eod.data, 1024));
}

TEST_F(DataTest, FixedReadOfAWrongSizedBlockReportsIli) {
  ASSERT_NO_FATAL_FAILURE(WriteRecord(700, 14));
  ASSERT_NO_FATAL_FAILURE(SetBlockLength(512));
  ASSERT_GOOD(Run(cdb::Rewind()));
  Reply r = Run(cdb::Read6(1, true), 512);
  EXPECT_SENSE(r, 0x0, 0x00, 0x00);
  EXPECT_TRUE(r.sense.ili()) << r.Describe();
  EXPECT_TRUE(r.sense.valid()) << r.Describe();
  EXPECT_EQ(r.sense.information(), 1) << "residual in blocks: the one block was not read whole";
}

TEST_F(DataTest, WriteFilemarksZeroOnlyFlushes) {
  ASSERT_NO_FATAL_FAILURE(WriteRecord(10, 15));
  ASSERT_NO_FATAL_FAILURE(WriteFilemarks(0));
  EXPECT_EQ(Position(), 1u);
  ASSERT_GOOD(Run(cdb::Rewind()));
  ASSERT_GOOD(Run(cdb::Read6(10), 10));
  EXPECT_SENSE(Run(cdb::Read6(10), 10), 0x8, 0x00, 0x05);
}

TEST_F(DataTest, WritingAtBeginningDiscardsEverythingAfter) {
  ASSERT_NO_FATAL_FAILURE(WriteRecord(100, 16));
  ASSERT_NO_FATAL_FAILURE(WriteRecord(100, 17));
  ASSERT_NO_FATAL_FAILURE(WriteFilemarks(1));
  ASSERT_GOOD(Run(cdb::Rewind()));
  ASSERT_NO_FATAL_FAILURE(WriteRecord(50, 18));
  ASSERT_GOOD(Run(cdb::Rewind()));
  Reply r = Run(cdb::Read6(50), 50);
  ASSERT_GOOD(r);
  EXPECT_EQ(r.data, Pattern(50, 18));
  EXPECT_SENSE(Run(cdb::Read6(100), 100), 0x8, 0x00, 0x05);
}

TEST_F(DataTest, ZeroLengthReadAndWriteDoNothing) {
  ASSERT_NO_FATAL_FAILURE(WriteRecord(10, 19));
  ASSERT_GOOD(Run(cdb::Rewind()));
  EXPECT_GOOD(Run(cdb::Read6(0)));
  EXPECT_EQ(Position(), 0u);
  EXPECT_GOOD(Run(cdb::Write6(0)));
  EXPECT_EQ(Position(), 0u);
  Reply r = Run(cdb::Read6(10), 10);
  ASSERT_GOOD(r);
  EXPECT_EQ(r.data, Pattern(10, 19)) << "a zero-length WRITE must not truncate the tape";
}

}  // namespace
}  // namespace vtape::iscsi_test
