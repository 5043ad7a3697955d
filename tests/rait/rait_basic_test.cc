// The rait: set on healthy members: any record size reads back exactly, the
// members hold one record per set record (mirror copies, stripes + parity),
// positioning and metadata fan out.
#include <gtest/gtest.h>

#include "rait/format.h"
#include "tests/rait/rait_test_util.h"

namespace vtape::rait::testing {
namespace {

class RaitSizes : public RaitTest, public ::testing::WithParamInterface<std::size_t> {};

const std::size_t kSizes[] = {1, 31, 32, 33, 100, 4095, 65536, 262144, 1000003};

TEST_P(RaitSizes, AnyRecordSizeReadsBackExactly) {
  std::string name = CreateSet(GetParam());
  auto set = OpenSet(name);
  ASSERT_TRUE(set);
  std::uint32_t seed = 0;
  for (std::size_t size : kSizes) ASSERT_TRUE(set->Write(Payload(size, ++seed)).ok()) << size;
  ASSERT_TRUE(set->WriteFilemarks(2, true).ok());
  ASSERT_TRUE(set->Write(Payload(77, 99)).ok());
  EXPECT_EQ(set->GetPosition().object, std::size(kSizes) + 3);

  auto got = Snapshot(*set);
  ASSERT_EQ(got.size(), std::size(kSizes) + 3);
  seed = 0;
  for (std::size_t i = 0; i < std::size(kSizes); ++i) {
    EXPECT_EQ(got[i].bytes, Payload(kSizes[i], ++seed)) << "record " << i;
  }
  EXPECT_TRUE(got[9].filemark && got[10].filemark);
  EXPECT_EQ(got[11].bytes, Payload(77, 99));
  EXPECT_EQ(set->statistics().read_errors_corrected, 0u);
  EXPECT_FALSE(set->health().degraded);
}

TEST_P(RaitSizes, ShortBufferGetsThePrefixAndTheTrueLength) {
  auto set = OpenSet(CreateSet(GetParam()));
  ASSERT_TRUE(set->Write(Payload(5000, 1)).ok());
  ASSERT_TRUE(set->Write(Payload(10, 2)).ok());
  ASSERT_TRUE(set->Rewind().ok());
  std::vector<std::uint8_t> small(100);
  ReadResult rr;
  ASSERT_TRUE(set->Read(small, rr).ok());
  EXPECT_EQ(rr.length, 5000u);
  auto expect = Payload(5000, 1);
  EXPECT_TRUE(std::equal(small.begin(), small.end(), expect.begin()));
  ASSERT_TRUE(set->Read(small, rr).ok());  // moved past the whole first record
  EXPECT_EQ(rr.length, 10u);
  EXPECT_TRUE(std::equal(small.begin(), small.begin() + 10, Payload(10, 2).begin()));
}

TEST_P(RaitSizes, MembersHoldOneRecordPerSetObject) {
  const std::size_t n = GetParam();
  auto set = OpenSet(CreateSet(n));
  ASSERT_TRUE(set->Write(Payload(1000, 1)).ok());
  ASSERT_TRUE(set->WriteFilemarks(1, false).ok());
  ASSERT_TRUE(set->Write(Payload(70000, 2)).ok());
  for (std::size_t i = 0; i < n; ++i) {
    Tape* m = RaitMember(*set, i);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->GetPosition().object, 3u) << "member " << i;
    MediumInfo info;
    ASSERT_TRUE(m->Stat(info).ok());
    EXPECT_EQ(info.records, 2u);
    EXPECT_EQ(info.filemarks, 1u);
  }
  ASSERT_TRUE(set->Rewind().ok());
  SpaceResult r;
  ASSERT_TRUE(set->SpaceFilemarks(1, r).ok());
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(RaitMember(*set, i)->GetPosition().object, 2u);

  // Member records: header + chunk; with parity the last member is the XOR.
  std::vector<std::vector<std::uint8_t>> payloads;
  for (std::size_t i = 0; i < n; ++i) {
    auto got = Snapshot(*RaitMember(*set, i));
    ASSERT_EQ(got.size(), 3u);
    ASSERT_EQ(got[2].bytes.size(), kHeaderBytes + StripeBytes(70000, n, i));
    RecordHeader h;
    ASSERT_TRUE(DecodeHeader(got[2].bytes, h).ok());
    EXPECT_EQ(h.member_index, i);
    EXPECT_EQ(h.object, 2u);
    EXPECT_EQ(h.length, 70000u);
    payloads.emplace_back(got[2].bytes.begin() + kHeaderBytes, got[2].bytes.end());
  }
  auto data = Payload(70000, 2);
  if (n == 2) {
    EXPECT_EQ(payloads[0], data);
    EXPECT_EQ(payloads[1], data);
  } else {
    std::size_t chunk = ChunkBytes(70000, n);
    data.resize(chunk * (n - 1), 0);
    for (std::size_t b = 0; b < chunk; ++b) {
      std::uint8_t x = 0;
      for (std::size_t i = 0; i + 1 < n; ++i) {
        std::uint8_t byte = b < payloads[i].size() ? payloads[i][b] : 0;  // unpadded stripes
        ASSERT_EQ(byte, data[i * chunk + b]);
        x ^= byte;
      }
      ASSERT_EQ(payloads[n - 1][b], x) << "parity byte " << b;
    }
  }
  ASSERT_TRUE(set->Rewind().ok());
}

TEST_P(RaitSizes, StatScalesCapacityAndAttributesFanOut) {
  const std::size_t n = GetParam();
  auto set = OpenSet(CreateSet(n, "", 120'000'000));
  MediumInfo info, member;
  ASSERT_TRUE(set->Stat(info).ok());
  ASSERT_TRUE(RaitMember(*set, 0)->Stat(member).ok());
  // Each member has room for the whole set (filemarks cost every member) plus
  // headers and parity rounding; the set itself ends at the capacity it was
  // created with.
  EXPECT_EQ(member.capacity_bytes, 120'000'000u + 120'000'000u / 8 + (4u << 20));
  EXPECT_EQ(info.capacity_bytes, 120'000'000u);
  EXPECT_EQ(info.early_warning_bytes, 64u << 20);  // the default
  EXPECT_EQ(info.barcode, "RAIT01L8");

  std::vector<std::uint8_t> value = {1, 2, 3};
  ASSERT_TRUE(set->attributes()->WriteAttribute(0, 0x0806, value).ok());
  std::vector<std::uint16_t> ids;
  ASSERT_TRUE(set->attributes()->ListAttributes(0, ids).ok());
  EXPECT_EQ(ids, std::vector<std::uint16_t>{0x0806});  // the superblock stays hidden
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::uint8_t> got;
    ASSERT_TRUE(RaitMember(*set, i)->attributes()->ReadAttribute(0, 0x0806, got).ok());
    EXPECT_EQ(got, value);
  }
  EXPECT_EQ(set->attributes()->WriteAttribute(0, kSuperblockAttribute, value).code(), Code::kInvalidArgument);

  ASSERT_TRUE(set->SetWriteProtect(true).ok());
  EXPECT_EQ(set->Write(Payload(10, 1)).code(), Code::kWriteProtected);
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_TRUE(RaitMember(*set, i)->Stat(member).ok());
    EXPECT_TRUE(member.write_protected);
  }
  EXPECT_FALSE(set->health().degraded);  // a refusal all members give is no member failure
}

TEST_P(RaitSizes, SetsOfMemMembersWorkWithinOneOpen) {
  std::string name = "rait:{mem:";
  for (std::size_t i = 1; i < GetParam(); ++i) name += ",mem:";
  name += "}";
  RegisterRait();
  std::unique_ptr<Tape> set;
  ASSERT_TRUE(OpenTape(name, {}, set).ok());
  ASSERT_TRUE(set->Write(Payload(12345, 5)).ok());
  ASSERT_TRUE(set->Rewind().ok());
  auto got = Snapshot(*set);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].bytes, Payload(12345, 5));
  ASSERT_TRUE(set->Close().ok());
}

INSTANTIATE_TEST_SUITE_P(Members, RaitSizes, ::testing::Values(2, 3, 5),
                         [](const auto& info) { return "n" + std::to_string(info.param); });

TEST_F(RaitTest, ShorthandNameOpensTheExpandedMembers) {
  CreateSet(3);
  std::unique_ptr<Tape> set;
  ASSERT_TRUE(OpenTape("rait:keep:m{0,1,2}", {}, set).ok());
  ASSERT_TRUE(set->Write(Payload(300, 1)).ok());
  EXPECT_EQ(RaitMember(*set, 2)->GetPosition().object, 1u);
}

TEST_F(RaitTest, ForeignMediumWithDataIsNotTakenAsAMember) {
  CreateSet(2);
  std::unique_ptr<Tape> other;
  ASSERT_TRUE(CreateTape("keep:foreign", {}).ok());
  ASSERT_TRUE(OpenTape("keep:foreign", {}, other).ok());
  ASSERT_TRUE(other->Write(Payload(10, 1)).ok());
  ASSERT_TRUE(other->Close().ok());
  MediumInfo info;
  ASSERT_TRUE(KeptMedium("foreign")->Stat(info).ok());
  ASSERT_EQ(info.records, 1u);
  ASSERT_TRUE(CreateTape("keep:x1", {}).ok());
  std::unique_ptr<Tape> set;
  Status st = OpenTape("rait:{keep:foreign,keep:x1}", {}, set);
  EXPECT_EQ(st.code(), Code::kCorruptImage)
      << st.ToString() << " " << (set ? set->health().detail : "");
  EXPECT_NE(st.message().find("keep:foreign"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace vtape::rait::testing
