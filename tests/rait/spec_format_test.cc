// The rait: name grammar and the on-member record format.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "rait/format.h"
#include "rait/rait.h"
#include "rait/spec.h"
#include "tests/rait/kept_backend.h"
#include "vtape/crc32c.h"
#include "vtape/little_endian.h"
#include "vtape/registry.h"
#include "vtape/tape.h"

namespace vtape::rait {
namespace {

TEST(RaitName, BraceListWithNestedMembersAndOptions) {
  RaitSpec spec;
  ASSERT_TRUE(
      ParseRaitName("{file:/t/a.img,fault:{write@3=eio}file:/t/b.img,mem:};degraded_writes=refuse",
                    spec)
          .ok());
  EXPECT_EQ(spec.members, (std::vector<std::string>{"file:/t/a.img",
                                                    "fault:{write@3=eio}file:/t/b.img", "mem:"}));
  EXPECT_FALSE(spec.degraded_writes);
}

TEST(RaitName, OptionsMayCloseTheBraceList) {
  RaitSpec spec;
  ASSERT_TRUE(ParseRaitName("{mem:,{mem:capacity=9,barcode=A};degraded_writes=refuse}", spec).ok());
  EXPECT_EQ(spec.members, (std::vector<std::string>{"mem:", "mem:capacity=9,barcode=A"}));
  EXPECT_FALSE(spec.degraded_writes);
}

TEST(RaitName, ShorthandExpandsOneBraceList) {
  RaitSpec spec;
  ASSERT_TRUE(ParseRaitName("file:/tapes/t1-{a,b,c}.img", spec).ok());
  EXPECT_EQ(spec.members, (std::vector<std::string>{"file:/tapes/t1-a.img", "file:/tapes/t1-b.img",
                                                    "file:/tapes/t1-c.img"}));
  EXPECT_TRUE(spec.degraded_writes);  // the default
  EXPECT_EQ(spec.parallel, ParallelWrites::kAuto);
}

TEST(RaitName, ParallelOptionChoosesWhereMemberWritesRun) {
  RaitSpec spec;
  ASSERT_TRUE(ParseRaitName("{mem:,mem:,mem:;parallel=on}", spec).ok());
  EXPECT_EQ(spec.parallel, ParallelWrites::kOn);
  EXPECT_TRUE(WritesInParallel(spec));
  ASSERT_TRUE(ParseRaitName("{mem:,mem:};degraded_writes=refuse;parallel=off", spec).ok());
  EXPECT_EQ(spec.parallel, ParallelWrites::kOff);
  EXPECT_FALSE(spec.degraded_writes);
  EXPECT_FALSE(WritesInParallel(spec));
  // auto: a core per member.
  RaitSpec many;
  many.members.assign(std::thread::hardware_concurrency() + 1, "mem:");
  EXPECT_FALSE(WritesInParallel(many));
  many.members.resize(std::max(2u, std::thread::hardware_concurrency()));
  EXPECT_EQ(WritesInParallel(many), std::thread::hardware_concurrency() >= 2);
}

TEST(RaitName, MalformedNamesAreRefusedWithAReason) {
  RaitSpec spec;
  struct Case {
    const char* rest;
    const char* reason;
  } cases[] = {
      {"{mem:}", "2 to 32"},
      {"file:/t/a.img", "2 to 32"},
      {"{mem:,,mem:}", "empty item"},
      {"{mem:,mem:", "unbalanced"},
      {"{mem:,nosuch:/x}", "unknown prefix 'nosuch:'"},
      {"{file:/a,file:/a}", "named twice"},
      {"{mem:,mem:};degraded_writes=maybe", "allow or refuse"},
      {"{mem:,mem:};colour=red", "unknown rait option"},
      {"{mem:,mem:};parallel=yes", "auto, on or off"},
      {"", "needs members"},
  };
  for (const Case& c : cases) {
    Status st = ParseRaitName(c.rest, spec);
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << c.rest;
    EXPECT_NE(st.message().find(c.reason), std::string::npos) << c.rest << ": " << st.message();
  }
}

TEST(RaitName, OpenTapeRefusesOneMemberSet) {
  RegisterRait();
  std::unique_ptr<Tape> t;
  EXPECT_EQ(OpenTape("rait:{mem:}", {}, t).code(), Code::kInvalidArgument);
}

TEST(RaitFormat, StripesSumToTheRecordAndParityIsOneChunk) {
  EXPECT_EQ(ChunkBytes(1, 2), 1u);  // a mirror stores the record as is
  EXPECT_EQ(StripeBytes(7, 2, 1), 7u);
  EXPECT_EQ(ChunkBytes(65, 3), 33u);
  EXPECT_EQ(StripeBytes(65, 3, 0), 33u);
  EXPECT_EQ(StripeBytes(65, 3, 1), 32u);
  EXPECT_EQ(StripeBytes(65, 3, 2), 33u);  // parity
  EXPECT_EQ(ChunkBytes(262144, 5), 65536u);
  EXPECT_EQ(StripeBytes(262145, 5, 3), 65534u);
  // Tiny records leave later data members empty (the header still makes a record).
  EXPECT_EQ(StripeBytes(1, 5, 0), 1u);
  EXPECT_EQ(StripeBytes(1, 5, 1), 0u);
  EXPECT_EQ(StripeBytes(1, 5, 3), 0u);
  EXPECT_EQ(StripeBytes(1, 5, 4), 1u);
  EXPECT_EQ(PaddedBytes(33), 64u);
  EXPECT_TRUE(RawMirrorRecord(kMaxRecordBytes, 2));
  EXPECT_FALSE(RawMirrorRecord(kMaxRecordBytes - kHeaderBytes, 2));
  EXPECT_FALSE(RawMirrorRecord(kMaxRecordBytes, 3));
}

TEST(RaitFormat, HeaderRoundTripsAndRejectsDamage) {
  RecordHeader h;
  h.member_index = 2;
  h.member_count = 5;
  h.set_id = 0x1122334455667788ull;
  h.partition = 1;
  h.object = 4711;
  h.length = 262144;
  h.payload_crc = 0xDEADBEEF;
  h.generation = 0x0102030405060708ull;
  std::vector<std::uint8_t> bytes(kHeaderBytes);
  EncodeHeader(h, bytes.data());
  EXPECT_EQ(bytes[0], 'R');
  EXPECT_EQ(bytes[5], 2);
  EXPECT_EQ(bytes[24], 4711 & 0xFF);
  RecordHeader back;
  ASSERT_TRUE(DecodeHeader(bytes, back).ok());
  EXPECT_EQ(back.set_id, h.set_id);
  EXPECT_EQ(back.object, 4711u);
  EXPECT_EQ(back.length, 262144u);
  EXPECT_EQ(back.payload_crc, 0xDEADBEEFu);
  EXPECT_EQ(back.generation, 0x0102030405060708ull);
  EXPECT_EQ(bytes[4], 2);      // format version 2
  EXPECT_EQ(bytes[48], 0x08);  // the generation, little endian
  // The header CRC is vtape's CRC32C (vtape/crc32c.h) of bytes 0..55.
  EXPECT_EQ(Get32(bytes.data() + 56), Crc32c({bytes.data(), 56}));
  for (std::size_t at : {30u, 50u}) {
    std::vector<std::uint8_t> damaged = bytes;
    damaged[at] ^= 1;
    EXPECT_EQ(DecodeHeader(damaged, back).code(), Code::kMediumError) << at;
  }
  bytes[4] = 1;  // a version 1 header
  Status st = DecodeHeader(bytes, back);
  EXPECT_EQ(st.code(), Code::kMediumError);
  EXPECT_NE(st.message().find("version 1 is not supported"), std::string::npos) << st.message();
}

TEST(RaitFormat, SuperblockRoundTrips) {
  Superblock sb{0xABCDEF, 7, 1, 3, 0b100};
  Superblock back;
  auto bytes = EncodeSuperblock(sb);
  ASSERT_TRUE(DecodeSuperblock(bytes, back).ok());
  EXPECT_EQ(back.set_id, 0xABCDEFu);
  EXPECT_EQ(back.epoch, 7u);
  EXPECT_EQ(back.member_index, 1);
  EXPECT_EQ(back.member_count, 3);
  EXPECT_EQ(back.failed_mask, 0b100u);
  sb.write_generation = 42;
  sb.generation_partition = 1;
  sb.generation_start = 4711;
  bytes = EncodeSuperblock(sb);
  ASSERT_TRUE(DecodeSuperblock(bytes, back).ok());
  EXPECT_EQ(back.write_generation, 42u);
  EXPECT_EQ(back.generation_partition, 1u);
  EXPECT_EQ(back.generation_start, 4711u);
  bytes[17] ^= 0x40;
  EXPECT_EQ(DecodeSuperblock(bytes, back).code(), Code::kCorruptImage);
}

// Partition ends make the superblock 108 bytes; without them it keeps its 76.
TEST(RaitFormat, SuperblockCarriesPartitionEndsOnlyWhenSet) {
  Superblock sb{0x1234, 2, 0, 3, 0};
  EXPECT_EQ(EncodeSuperblock(sb).size(), 76u);
  sb.partition_bytes = {1000000, 0, 250000, 7};
  auto bytes = EncodeSuperblock(sb);
  ASSERT_EQ(bytes.size(), 108u);
  EXPECT_EQ(Get64(bytes.data() + 72), 1000000u);
  EXPECT_EQ(Get64(bytes.data() + 88), 250000u);
  EXPECT_EQ(Get32(bytes.data() + 104), Crc32c({bytes.data(), 104}));
  Superblock back;
  back.partition_bytes = {9, 9, 9, 9};
  ASSERT_TRUE(DecodeSuperblock(bytes, back).ok());
  EXPECT_EQ(back.partition_bytes, sb.partition_bytes);
  ASSERT_TRUE(DecodeSuperblock(EncodeSuperblock(Superblock{}), back).ok());
  EXPECT_EQ(back.partition_bytes, (std::array<std::uint64_t, 4>{}));
  bytes[80] ^= 0x01;
  EXPECT_EQ(DecodeSuperblock(bytes, back).code(), Code::kCorruptImage);
  bytes.pop_back();
  EXPECT_EQ(DecodeSuperblock(bytes, back).code(), Code::kCorruptImage);
}

// A set with a capacity of its own keeps its partitions' ends across a reopen.
TEST(RaitPartitions, EndsSurviveReopen) {
  RegisterRait();
  testing::RegisterKeptBackend();
  const std::string name = "rait:{keep:pe0,keep:pe1,keep:pe2}";
  CreateOptions o;
  o.capacity_bytes = 10'000'000;
  o.early_warning_bytes = 500'000;
  ASSERT_TRUE(CreateTape(name, o).ok());
  {
    std::unique_ptr<Tape> t;
    ASSERT_TRUE(OpenTape(name, {}, t).ok());
    const std::uint64_t sizes[] = {3'000'000, 0};
    ASSERT_TRUE(t->partitions()->FormatPartitions(sizes).ok());
    ASSERT_TRUE(t->Close().ok());
  }
  std::unique_ptr<Tape> t;
  ASSERT_TRUE(OpenTape(name, {}, t).ok());
  PartitionInfo p0, p1;
  ASSERT_TRUE(t->partitions()->GetPartitionInfo(0, p0).ok());
  ASSERT_TRUE(t->partitions()->GetPartitionInfo(1, p1).ok());
  EXPECT_EQ(p0.capacity_bytes, 3'000'000u);
  EXPECT_EQ(p1.capacity_bytes, 7'000'000u);
  EXPECT_EQ(p0.early_warning_bytes, 500'000u);
  MediumInfo info;
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_EQ(info.partitions, 2u);
  EXPECT_EQ(info.capacity_bytes, 10'000'000u);
  ASSERT_TRUE(t->Close().ok());
}

// A set written by format version 1 is refused whole, saying why.
TEST(RaitFormat, Version1SetsAreRefusedClearly) {
  RegisterRait();
  testing::RegisterKeptBackend();
  testing::ClearKept();
  std::string name = "rait:{keep:v0,keep:v1,keep:v2}";
  ASSERT_TRUE(CreateTape(name, {}).ok());
  // A version 1 superblock (magic RAITSB01, 52 bytes).
  std::vector<std::uint8_t> v1(52, 0);
  std::memcpy(v1.data(), "RAITSB01", 8);
  for (const char* id : {"v0", "v1", "v2"}) {
    ASSERT_TRUE(testing::KeptMedium(id)->attributes()->WriteAttribute(0, kSuperblockAttribute, v1).ok());
  }
  std::unique_ptr<Tape> set;
  Status st = OpenTape(name, {}, set);
  EXPECT_EQ(st.code(), Code::kUnsupported) << st.ToString();
  EXPECT_NE(st.message().find("rait set format 1"), std::string::npos) << st.message();
  testing::ClearKept();
}

}  // namespace
}  // namespace vtape::rait
