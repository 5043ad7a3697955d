// Record tags on a rait: set (rait/format.h, "Record tags"): in byte 7 of the
// member headers, whose version is then 3; a headerless large mirror record
// keeps its tag as the members' own; a rebuilt member carries the tags too.
#include <gtest/gtest.h>

#include "rait/format.h"
#include "rait/rait.h"
#include "tests/rait/rait_test_util.h"
#include "tests/vtape/conformance_util.h"

namespace vtape::rait::testing {
namespace {

class RaitTags : public RaitTest, public ::testing::WithParamInterface<std::size_t> {};

Status WriteTagged(Tape& t, const std::vector<std::uint8_t>& bytes, std::uint8_t tag) {
  const ConstPiece one[1] = {ConstPiece(bytes)};
  return t.WriteTagged(one, tag);
}

void ExpectTagged(Tape& t, const std::vector<std::uint8_t>& bytes, std::uint8_t tag,
                  const std::string& where) {
  conformance::ExpectRecord(t, bytes, where.c_str(), tag);
}

TEST_P(RaitTags, HeadersCarryTheTagWithVersion3) {
  const std::size_t n = GetParam();
  auto set = OpenSet(CreateSet(n));
  ASSERT_TRUE(WriteTagged(*set, Payload(5000, 1), 0x81).ok());
  ASSERT_TRUE(set->Write(Payload(100, 2)).ok());
  for (std::size_t i = 0; i < n; ++i) {
    auto got = Snapshot(*RaitMember(*set, i));
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].bytes[4], 3) << "member " << i << ": header version of a tagged record";
    EXPECT_EQ(got[0].bytes[7], 0x81) << "member " << i;
    EXPECT_EQ(got[1].bytes[4], 2) << "member " << i << ": untagged records keep version 2";
    EXPECT_EQ(got[1].bytes[7], 0x00) << "member " << i;
    RecordHeader h;
    ASSERT_TRUE(DecodeHeader(got[0].bytes, h).ok());
    EXPECT_EQ(h.tag, 0x81);
  }
  ASSERT_TRUE(set->Rewind().ok());
  ExpectTagged(*set, Payload(5000, 1), 0x81, "tagged");
  ExpectTagged(*set, Payload(100, 2), 0, "untagged");
}

// A lost member: the record is rebuilt from the others with its tag, and a
// rebuilt member holds the same headers.
TEST_P(RaitTags, DegradedReadAndRebuildKeepTheTag) {
  const std::size_t n = GetParam();
  std::string name = CreateSet(n);
  auto set = OpenSet(name);
  ASSERT_TRUE(WriteTagged(*set, Payload(70000, 3), kTagLz4).ok());
  ASSERT_TRUE(WriteTagged(*set, Payload(33, 4), kTagZstd).ok());
  ASSERT_TRUE(set->Close().ok());
  std::vector<Object> before = Snapshot(*KeptMedium(ids_[0]));
  RemoveKept(ids_[0]);
  set = OpenSet(name);
  ASSERT_TRUE(set->health().degraded);
  ExpectTagged(*set, Payload(70000, 3), kTagLz4, "degraded");
  ExpectTagged(*set, Payload(33, 4), kTagZstd, "degraded");
  Status st = RebuildMember(*set, 0, nullptr);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_TRUE(set->Close().ok());
  EXPECT_EQ(Snapshot(*KeptMedium(ids_[0])), before);
  set = OpenSet(name);
  ExpectTagged(*set, Payload(70000, 3), kTagLz4, "rebuilt");
  ExpectTagged(*set, Payload(33, 4), kTagZstd, "rebuilt");
}

INSTANTIATE_TEST_SUITE_P(Members, RaitTags, ::testing::Values(2, 3, 5),
                         [](const auto& info) { return "n" + std::to_string(info.param); });

// A mirror record too large for a header is stored raw: the members keep its
// tag as their own record tag, the set reads it back, a rebuild copies it.
TEST_F(RaitTest, RawMirrorRecordKeepsItsTagOnTheMembers) {
  std::string name = CreateSet(2);
  auto set = OpenSet(name);
  const std::vector<std::uint8_t> big = Payload(kMaxRecordBytes + 100, 5);
  ASSERT_TRUE(WriteTagged(*set, big, kTagEncrypted).ok());
  ASSERT_TRUE(set->Close().ok());
  for (std::size_t i = 0; i < 2; ++i) {
    Tape* m = KeptMedium(ids_[i]);
    ASSERT_TRUE(m->Rewind().ok());
    ExpectTagged(*m, big, kTagEncrypted, "member " + std::to_string(i));
  }
  RemoveKept(ids_[1]);
  set = OpenSet(name);
  ASSERT_TRUE(RebuildMember(*set, 1, nullptr).ok());
  ExpectTagged(*set, big, kTagEncrypted, "set");
  ASSERT_TRUE(set->Close().ok());
  Tape* rebuilt = KeptMedium(ids_[1]);
  ASSERT_TRUE(rebuilt->Rewind().ok());
  ExpectTagged(*rebuilt, big, kTagEncrypted, "rebuilt member");
}

}  // namespace
}  // namespace vtape::rait::testing
