// The conformance suite's partition cases (vtape/partitions.h,
// vtape/attributes.h): run on every backend whose media offer more than one
// partition; the others skip, saying why.
#include <gtest/gtest.h>

#include "tests/vtape/conformance.h"
#include "tests/vtape/conformance_util.h"

namespace vtape::conformance {
namespace {

constexpr std::uint64_t kCapacity = 1'000'000;
constexpr std::uint64_t kPartition0 = 400'000;  // partition 1 gets the rest: 600'000

CreateOptions SmallMedium(const char* media = "LTO-8") {
  CreateOptions o;
  o.barcode = "PART01L8";
  o.media_type = media;
  o.capacity_bytes = kCapacity;
  o.early_warning_bytes = 100'000;
  return o;
}

// The partitions capability with room for two partitions, else skips.
#define REQUIRE_PARTITIONS(tape)                                                      \
  do {                                                                                \
    if ((tape).partitions() == nullptr || (tape).partitions()->MaxPartitions() < 2) { \
      GTEST_SKIP() << GetParam().label << " media hold one partition only";           \
    }                                                                                 \
  } while (0)

Status FormatTwo(Tape& t) {
  const std::uint64_t sizes[] = {kPartition0, 0};
  return t.partitions()->FormatPartitions(sizes);
}

PartitionInfo InfoOf(const Tape& t, std::uint32_t p) {
  PartitionInfo info;
  Status s = t.partitions()->GetPartitionInfo(p, info);
  EXPECT_TRUE(s.ok()) << "partition " << p << ": " << s.ToString();
  return info;
}

TEST_P(TapeConformance, PartitionsFormatGivesTheSizesAndEmptyPartitions) {
  ASSERT_OK(Create(SmallMedium()));
  REQUIRE_PARTITIONS(*tape_);
  EXPECT_EQ(tape_->partitions()->MaxPartitions(), 4u) << "LTO-8 media hold 4 partitions";
  ASSERT_OK(tape_->Write(Pattern(100, 1)));
  ASSERT_OK(FormatTwo(*tape_));
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.partitions, 2u);
  EXPECT_EQ(info.records, 0u) << "a format erases the medium";
  PartitionInfo p0 = InfoOf(*tape_, 0), p1 = InfoOf(*tape_, 1);
  if (GetParam().partition_ends_exact) {
    EXPECT_EQ(p0.capacity_bytes, kPartition0);
    EXPECT_EQ(p1.capacity_bytes, kCapacity - kPartition0) << "size 0 = the rest";
  }
  EXPECT_EQ(p0.eod_object, 0u);
  EXPECT_EQ(p1.used_bytes, 0u);
  PartitionInfo none;
  EXPECT_CODE(tape_->partitions()->GetPartitionInfo(2, none), Code::kInvalidArgument);
  Position pos = tape_->GetPosition();
  EXPECT_EQ(pos.partition, 0u);
  EXPECT_TRUE(pos.at_bop && pos.at_eod);
}

TEST_P(TapeConformance, PartitionsRefuseMoreThanTheMediaTypeAllows) {
  ASSERT_OK(Create(SmallMedium("LTO-5")));
  REQUIRE_PARTITIONS(*tape_);
  EXPECT_EQ(tape_->partitions()->MaxPartitions(), 2u) << "LTO-5 media hold 2 partitions";
  const std::uint64_t three[] = {100'000, 100'000, 0};
  EXPECT_CODE(tape_->partitions()->FormatPartitions(three), Code::kInvalidArgument);
  const std::uint64_t too_big[] = {kCapacity, 1};
  EXPECT_CODE(tape_->partitions()->FormatPartitions(too_big), Code::kInvalidArgument);
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.partitions, 1u) << "a refused format changes nothing";
  ASSERT_OK(FormatTwo(*tape_));
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.partitions, 2u);
}

TEST_P(TapeConformance, PartitionsKeepTheirOwnDataFilemarksAndEndOfData) {
  ASSERT_OK(Create(SmallMedium()));
  REQUIRE_PARTITIONS(*tape_);
  ASSERT_OK(FormatTwo(*tape_));
  ASSERT_OK(tape_->Write(Pattern(10, 0)));
  ASSERT_OK(tape_->Write(Pattern(20, 1)));
  ASSERT_OK(tape_->WriteFilemarks(1, true));
  SpaceResult r;
  ASSERT_OK(tape_->Locate(1, 0, r));
  EXPECT_EQ(r.stop, Stop::kNone);
  EXPECT_EQ(tape_->GetPosition().partition, 1u);
  EXPECT_TRUE(tape_->GetPosition().at_bop) << "partition 1 starts empty";
  ASSERT_OK(tape_->Write(Pattern(30, 2)));
  ASSERT_OK(tape_->WriteFilemarks(2, true));
  ASSERT_OK(tape_->Write(Pattern(40, 3)));
  // Writing in partition 1 left partition 0 alone.
  PartitionInfo p0 = InfoOf(*tape_, 0), p1 = InfoOf(*tape_, 1);
  EXPECT_EQ(p0.eod_object, 3u);
  EXPECT_EQ(p0.records, 2u);
  EXPECT_EQ(p0.filemarks, 1u);
  EXPECT_EQ(p0.used_bytes, 30u + kFilemarkBytes);
  EXPECT_EQ(p1.eod_object, 4u);
  EXPECT_EQ(p1.records, 2u);
  EXPECT_EQ(p1.filemarks, 2u);
  EXPECT_EQ(p1.used_bytes, 70u + 2 * kFilemarkBytes);
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.records, 4u);
  EXPECT_EQ(info.filemarks, 3u);
  EXPECT_EQ(info.used_bytes, 100u + 3 * kFilemarkBytes);

  ASSERT_OK(tape_->Locate(0, 1, r));
  EXPECT_EQ(tape_->GetPosition().partition, 0u);
  ExpectRecord(*tape_, Pattern(20, 1), "partition 0 object 1");
  ExpectKind(*tape_, ObjectKind::kFilemark, "partition 0 object 2");
  ExpectKind(*tape_, ObjectKind::kEndOfData, "EOD of partition 0");
  ASSERT_OK(tape_->LocateFile(1, 2, r));
  Position pos = tape_->GetPosition();
  EXPECT_EQ(pos.partition, 1u);
  EXPECT_EQ(pos.object, 3u);
  EXPECT_EQ(pos.file, 2u);
  ExpectRecord(*tape_, Pattern(40, 3), "partition 1 file 2");
  ASSERT_OK(tape_->Locate(1, 9, r));
  EXPECT_EQ(r.stop, Stop::kEndOfData);
  EXPECT_EQ(r.not_crossed, 5u);
  EXPECT_EQ(tape_->GetPosition().object, 4u) << "EOD of partition 1";
  // SpaceToEndOfData and Rewind act on the partitions they should.
  ASSERT_OK(tape_->Locate(0, 0, r));
  ASSERT_OK(tape_->SpaceToEndOfData());
  EXPECT_EQ(tape_->GetPosition().partition, 0u);
  EXPECT_EQ(tape_->GetPosition().object, 3u);
  ASSERT_OK(tape_->Locate(1, 1, r));
  ASSERT_OK(tape_->Rewind());
  EXPECT_EQ(tape_->GetPosition().partition, 0u);
  EXPECT_EQ(tape_->GetPosition().object, 0u);
  // Overwriting in partition 0 discards only partition 0's tail.
  ASSERT_OK(tape_->Locate(0, 1, r));
  ASSERT_OK(tape_->Write(Pattern(5, 9)));
  EXPECT_EQ(InfoOf(*tape_, 0).eod_object, 2u);
  EXPECT_EQ(InfoOf(*tape_, 1).eod_object, 4u);
  if (GetParam().persistent) {
    ASSERT_OK(Reopen());
    ASSERT_OK(tape_->Stat(info));
    EXPECT_EQ(info.partitions, 2u) << "the layout lives in the medium";
    ASSERT_OK(tape_->LocateFile(1, 2, r));
    ExpectRecord(*tape_, Pattern(40, 3), "partition 1 after reopen");
    ASSERT_OK(tape_->Locate(0, 1, r));
    ExpectRecord(*tape_, Pattern(5, 9), "partition 0 after reopen");
    if (GetParam().partition_ends_exact) {
      EXPECT_EQ(InfoOf(*tape_, 1).capacity_bytes, kCapacity - kPartition0);
    }
  }
}

TEST_P(TapeConformance, PartitionsHaveTheirOwnEarlyWarningAndEnd) {
  ASSERT_OK(Create(SmallMedium()));
  REQUIRE_PARTITIONS(*tape_);
  if (!GetParam().partition_ends_exact) {
    GTEST_SKIP() << GetParam().label << ": partitions end where the members' do";
  }
  ASSERT_OK(FormatTwo(*tape_));
  const std::size_t kRecord = 50'000;
  // Partition 0: 400'000 bytes, early warning 100'000 before its end.
  const std::uint64_t end0 = InfoOf(*tape_, 0).capacity_bytes;
  const std::uint64_t fit0 = end0 / kRecord;
  for (std::uint64_t i = 0; i < fit0; ++i) {
    EXPECT_EQ(tape_->GetPosition().beyond_early_warning, i * kRecord >= end0 - 100'000)
        << "partition 0 before record " << i;
    ASSERT_OK(tape_->Write(Pattern(kRecord, i)));
  }
  EXPECT_CODE(tape_->Write(Pattern(kRecord, 99)), Code::kEndOfMedium);
  EXPECT_EQ(InfoOf(*tape_, 0).records, fit0) << "nothing stored at the end of partition 0";
  // Partition 1 is not full: its own early warning and end.
  SpaceResult r;
  ASSERT_OK(tape_->Locate(1, 0, r));
  EXPECT_FALSE(tape_->GetPosition().beyond_early_warning);
  const std::uint64_t end1 = InfoOf(*tape_, 1).capacity_bytes;
  const std::uint64_t fit1 = end1 / kRecord;
  for (std::uint64_t i = 0; i < fit1; ++i) {
    EXPECT_EQ(tape_->GetPosition().beyond_early_warning, i * kRecord >= end1 - 100'000)
        << "partition 1 before record " << i;
    ASSERT_OK(tape_->Write(Pattern(kRecord, 100 + i)));
  }
  EXPECT_CODE(tape_->Write(Pattern(kRecord, 199)), Code::kEndOfMedium);
  EXPECT_EQ(InfoOf(*tape_, 1).records, fit1);
  ASSERT_OK(tape_->Locate(0, fit0 - 1, r));
  ExpectRecord(*tape_, Pattern(kRecord, fit0 - 1), "last record of partition 0");
}

TEST_P(TapeConformance, PartitionsFormatAgainWipesEveryPartition) {
  ASSERT_OK(Create(SmallMedium()));
  REQUIRE_PARTITIONS(*tape_);
  ASSERT_OK(FormatTwo(*tape_));
  SpaceResult r;
  ASSERT_OK(tape_->Write(Pattern(10, 0)));
  ASSERT_OK(tape_->Locate(1, 0, r));
  ASSERT_OK(tape_->Write(Pattern(20, 1)));
  const std::uint64_t three[] = {200'000, 300'000, 0};
  ASSERT_OK(tape_->partitions()->FormatPartitions(three));
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.partitions, 3u);
  for (std::uint32_t p = 0; p < 3; ++p) {
    EXPECT_EQ(InfoOf(*tape_, p).eod_object, 0u) << "partition " << p;
  }
  if (GetParam().partition_ends_exact) {
    EXPECT_EQ(InfoOf(*tape_, 2).capacity_bytes, 500'000u);
  }
  ASSERT_OK(tape_->Locate(1, 0, r));
  ExpectKind(*tape_, ObjectKind::kEndOfData, "partition 1 after the format");
  // Back to one partition.
  const std::uint64_t one[] = {0};
  ASSERT_OK(tape_->partitions()->FormatPartitions(one));
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.partitions, 1u);
  if (GetParam().partition_ends_exact) {
    EXPECT_EQ(InfoOf(*tape_, 0).capacity_bytes, kCapacity);
  }
  EXPECT_FALSE(tape_->Locate(1, 0, r).ok());
  if (GetParam().persistent) {
    ASSERT_OK(Reopen());
    ASSERT_OK(tape_->Stat(info));
    EXPECT_EQ(info.partitions, 1u);
  }
}

TEST_P(TapeConformance, PartitionsWriteProtectCoversEveryPartition) {
  ASSERT_OK(Create(SmallMedium()));
  REQUIRE_PARTITIONS(*tape_);
  ASSERT_OK(FormatTwo(*tape_));
  ASSERT_OK(tape_->SetWriteProtect(true));
  SpaceResult r;
  ASSERT_OK(tape_->Locate(1, 0, r));
  EXPECT_CODE(tape_->Write(Pattern(10, 1)), Code::kWriteProtected);
  EXPECT_CODE(tape_->WriteFilemarks(1, true), Code::kWriteProtected);
  EXPECT_CODE(FormatTwo(*tape_), Code::kWriteProtected);
  EXPECT_EQ(InfoOf(*tape_, 1).eod_object, 0u);
}

TEST_P(TapeConformance, AttributesAreKeptPerPartition) {
  ASSERT_OK(Create(SmallMedium()));
  REQUIRE_PARTITIONS(*tape_);
  ASSERT_NE(tape_->attributes(), nullptr);
  ASSERT_OK(FormatTwo(*tape_));
  AttributeStore& mam = *tape_->attributes();
  const std::vector<std::uint8_t> a = Pattern(70, 1), b = Pattern(70, 2);
  ASSERT_OK(mam.WriteAttribute(0, 0x080C, a));  // volume coherency information, as LTFS
  ASSERT_OK(mam.WriteAttribute(1, 0x080C, b));
  ASSERT_OK(mam.WriteAttribute(1, 0x0800, Pattern(8, 3)));
  std::vector<std::uint8_t> value;
  ASSERT_OK(mam.ReadAttribute(0, 0x080C, value));
  EXPECT_EQ(value, a);
  ASSERT_OK(mam.ReadAttribute(1, 0x080C, value));
  EXPECT_EQ(value, b);
  EXPECT_CODE(mam.ReadAttribute(0, 0x0800, value), Code::kNotFound);
  std::vector<std::uint16_t> ids;
  ASSERT_OK(mam.ListAttributes(1, ids));
  EXPECT_EQ(ids, (std::vector<std::uint16_t>{0x0800, 0x080C}));
  EXPECT_CODE(mam.ReadAttribute(2, 0x080C, value), Code::kInvalidArgument);
  EXPECT_CODE(mam.WriteAttribute(2, 0x080C, a), Code::kInvalidArgument);
  if (GetParam().persistent) {
    ASSERT_OK(Reopen());
    AttributeStore& again = *tape_->attributes();
    ASSERT_OK(again.ReadAttribute(1, 0x080C, value));
    EXPECT_EQ(value, b) << "partition 1's attributes live in the medium";
    ASSERT_OK(again.ReadAttribute(0, 0x080C, value));
    EXPECT_EQ(value, a);
  }
  // A format keeps partition 0's attributes and drops the other partitions'.
  ASSERT_OK(FormatTwo(*tape_));
  ASSERT_OK(tape_->attributes()->ReadAttribute(0, 0x080C, value));
  EXPECT_EQ(value, a);
  EXPECT_CODE(tape_->attributes()->ReadAttribute(1, 0x080C, value), Code::kNotFound);
}

}  // namespace
}  // namespace vtape::conformance
