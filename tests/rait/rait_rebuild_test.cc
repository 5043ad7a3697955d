// Crash reconcile (members that disagree about the last records at open) and
// rebuild of a lost member, bit-identical to the member it replaces.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "tests/rait/rait_test_util.h"
#include "tests/vtape/conformance.h"

namespace vtape::rait::testing {
namespace {

class RaitRecovery : public RaitTest, public ::testing::WithParamInterface<std::size_t> {
 protected:
  // 12 objects: records of varied sizes with filemarks at 4 and 9.
  std::vector<Object> Fill(Tape& set) {
    std::vector<Object> objects;
    for (std::uint32_t i = 0; i < 12; ++i) {
      if (i == 4 || i == 9) {
        objects.push_back({true, {}});
        EXPECT_TRUE(set.WriteFilemarks(1, false).ok());
      } else {
        objects.push_back({false, Payload(1 + i * 9973, i)});
        EXPECT_TRUE(set.Write(objects.back().bytes).ok());
      }
    }
    EXPECT_TRUE(set.Sync().ok());
    return objects;
  }
  void CutMember(std::size_t i, std::uint64_t end) {
    Tape* m = KeptMedium(ids_[i]);
    SpaceResult r;
    ASSERT_TRUE(m->Locate(0, end, r).ok());
    ASSERT_TRUE(m->Erase().ok());
  }
  std::uint64_t MemberEod(std::size_t i) {
    Tape* m = KeptMedium(ids_[i]);
    EXPECT_TRUE(m->SpaceToEndOfData().ok());
    return m->GetPosition().object;
  }
};

TEST_P(RaitRecovery, ReconcileBringsMembersToOneEndKeepingWhatEnoughMembersHold) {
  const std::size_t n = GetParam();
  std::string name = CreateSet(n);
  auto set = OpenSet(name);
  auto objects = Fill(*set);
  ASSERT_TRUE(set->Close().ok());
  // A crash: member 0 got 2 records less to disk, the last member 1 record less.
  CutMember(0, 10);
  CutMember(n - 1, 11);
  set = OpenSet(name);
  ASSERT_TRUE(set);
  EXPECT_FALSE(set->health().degraded) << set->health().detail;
  // The end the set keeps: what N-1 members hold (a mirror: what one holds),
  // completed on the short members from the others: 11 (member 0 gets 10 back).
  const std::size_t keep = 11;
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(MemberEod(i), keep) << "member " << i;
  ASSERT_TRUE(set->Rewind().ok());
  auto got = Snapshot(*set);
  objects.resize(keep);
  EXPECT_EQ(got, objects);
  EXPECT_EQ(set->statistics().read_errors_corrected, 0u);  // members agree record by record
}

TEST_P(RaitRecovery, RebuildRecreatesAMissingMemberBitIdentical) {
  const std::size_t n = GetParam();
  for (std::size_t victim = 0; victim < n; ++victim) {
    SCOPED_TRACE("member " + std::to_string(victim));
    std::string name = CreateSet(n);
    auto set = OpenSet(name);
    auto objects = Fill(*set);
    std::vector<std::uint8_t> attr = {'o', 'w', 'n', 'e', 'r'};
    ASSERT_TRUE(set->attributes()->WriteAttribute(0, 0x0806, attr).ok());
    ASSERT_TRUE(set->Close().ok());
    std::vector<std::vector<Object>> before;
    for (std::size_t i = 0; i < n; ++i) before.push_back(Snapshot(*KeptMedium(ids_[i])));
    MediumInfo label_before;
    ASSERT_TRUE(KeptMedium(ids_[victim])->Stat(label_before).ok());

    RemoveKept(ids_[victim]);
    set = OpenSet(name);
    ASSERT_TRUE(set->health().degraded);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;
    Status st = RebuildMember(*set, victim, [&](std::uint64_t done, std::uint64_t total) {
      progress.emplace_back(done, total);
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_FALSE(set->health().degraded) << set->health().detail;
    ASSERT_FALSE(progress.empty());
    EXPECT_EQ(progress.back().first, progress.back().second);
    EXPECT_EQ(Snapshot(*set), objects);
    ASSERT_TRUE(set->Close().ok());

    // Byte for byte what the original member held, with its label and attributes.
    EXPECT_EQ(Snapshot(*KeptMedium(ids_[victim])), before[victim]);
    MediumInfo label;
    ASSERT_TRUE(KeptMedium(ids_[victim])->Stat(label).ok());
    EXPECT_EQ(label.barcode, label_before.barcode);
    EXPECT_EQ(label.capacity_bytes, label_before.capacity_bytes);
    EXPECT_EQ(label.early_warning_bytes, label_before.early_warning_bytes);
    std::vector<std::uint8_t> got;
    ASSERT_TRUE(KeptMedium(ids_[victim])->attributes()->ReadAttribute(0, 0x0806, got).ok());
    EXPECT_EQ(got, attr);
    // The set is complete again when reopened.
    set = OpenSet(name);
    EXPECT_FALSE(set->health().degraded) << set->health().detail;
    EXPECT_EQ(Snapshot(*set), objects);
    EXPECT_EQ(set->statistics().read_errors_corrected, 0u);
    ClearKept();
  }
}

TEST_P(RaitRecovery, RebuildReplacesAStaleMember) {
  const std::size_t n = GetParam();
  std::string name = CreateSet(n);
  auto set = OpenSet(name);
  auto objects = Fill(*set);
  ASSERT_TRUE(set->Close().ok());
  SwapKept(ids_[1], "away");
  set = OpenSet(name);
  ASSERT_TRUE(set->SpaceToEndOfData().ok());
  ASSERT_TRUE(set->Write(Payload(4321, 77)).ok());
  objects.push_back({false, Payload(4321, 77)});
  ASSERT_TRUE(set->Close().ok());
  SwapKept(ids_[1], "away");  // the stale member is back
  Status st = RebuildMember(SetName(ids_), 1, nullptr);
  ASSERT_TRUE(st.ok()) << st.ToString();
  set = OpenSet(name);
  EXPECT_FALSE(set->health().degraded) << set->health().detail;
  EXPECT_EQ(Snapshot(*set), objects);
}

TEST_P(RaitRecovery, RebuildNeedsEveryOtherMember) {
  const std::size_t n = GetParam();
  std::string name = CreateSet(n);
  auto set = OpenSet(name);
  Fill(*set);
  RemoveKept(ids_[0]);
  Status st = RebuildMember(*set, 0, nullptr);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(RebuildMember(*set, n, nullptr).code(), Code::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Members, RaitRecovery, ::testing::Values(2, 3, 5),
                         [](const auto& info) { return "n" + std::to_string(info.param); });

TEST_F(RaitTest, RebuildRefusesWhenTwoMembersAreGone) {
  std::string name = CreateSet(5);
  auto set = OpenSet(name);
  ASSERT_TRUE(set->Write(Payload(10, 1)).ok());
  RemoveKept("m3");
  std::vector<std::uint8_t> buf(100);
  ReadResult rr;
  ASSERT_TRUE(set->Rewind().ok());
  ASSERT_TRUE(set->Read(buf, rr).ok());  // notices member 3 is gone
  Status st = RebuildMember(*set, 1, nullptr);
  EXPECT_EQ(st.code(), Code::kMediumError);
  EXPECT_NE(st.message().find("member 3 (keep:m3) has failed too"), std::string::npos)
      << st.message();
}

TEST_F(RaitTest, RebuildRefusesNonRaitTapes) {
  std::unique_ptr<Tape> t;
  ASSERT_TRUE(OpenTape("mem:", {}, t).ok());
  EXPECT_EQ(RebuildMember(*t, 0, nullptr).code(), Code::kInvalidArgument);
  EXPECT_EQ(RebuildMember("mem:", 0, nullptr).code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace vtape::rait::testing

namespace vtape::rait::testing {
namespace {

// The same on disk: file: members, a member's files deleted, then rebuilt; and
// a member image with flipped bytes is read around.
class RaitOnFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterRait();
    char tmpl[] = "/tmp/rait-files-XXXXXX";
    dir_ = mkdtemp(tmpl);
    name_ = "rait:file:" + dir_ + "/t-{a,b,c}.img";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::vector<Object> Fill() {
    std::unique_ptr<Tape> set;
    CreateOptions o;
    o.barcode = "FILE01L8";
    o.capacity_bytes = 1ull << 30;
    EXPECT_TRUE(CreateTape(name_, o).ok());
    EXPECT_TRUE(OpenTape(name_, {}, set).ok());
    std::vector<Object> objects;
    for (std::uint32_t i = 0; i < 20; ++i) {
      if (i % 7 == 6) {
        objects.push_back({true, {}});
        EXPECT_TRUE(set->WriteFilemarks(1, false).ok());
      } else {
        objects.push_back({false, Payload(100 + i * 31337, i)});
        EXPECT_TRUE(set->Write(objects.back().bytes).ok());
      }
    }
    EXPECT_TRUE(set->Close().ok());
    return objects;
  }
  std::vector<Object> MemberSnapshot(const std::string& member) {
    std::unique_ptr<Tape> t;
    EXPECT_TRUE(OpenTape(member, {true}, t).ok());
    return t ? Snapshot(*t) : std::vector<Object>{};
  }
  std::string dir_, name_;
};

TEST_F(RaitOnFiles, DeletedMemberIsRebuiltBitIdentical) {
  auto objects = Fill();
  std::string b = "file:" + dir_ + "/t-b.img";
  auto before = MemberSnapshot(b);
  ASSERT_EQ(before.size(), objects.size());
  for (const char* suffix : {"", ".idx", ".fm"}) {
    std::filesystem::remove(dir_ + "/t-b.img" + suffix);
  }
  std::unique_ptr<Tape> set;
  ASSERT_TRUE(OpenTape(name_, {}, set).ok());
  EXPECT_TRUE(set->health().degraded);
  EXPECT_EQ(Snapshot(*set), objects);
  ASSERT_TRUE(set->Close().ok());

  Status st = RebuildMember(name_, 1, nullptr);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(MemberSnapshot(b), before);
  ASSERT_TRUE(OpenTape(name_, {}, set).ok());
  EXPECT_FALSE(set->health().degraded) << set->health().detail;
  MediumInfo info;
  ASSERT_TRUE(set->Stat(info).ok());
  EXPECT_EQ(info.barcode, "FILE01L8");
  EXPECT_EQ(info.capacity_bytes, 1ull << 30);
  EXPECT_EQ(Snapshot(*set), objects);
  EXPECT_EQ(set->statistics().read_errors_corrected, 0u);
}

TEST_F(RaitOnFiles, FlippedBytesInAMemberImageAreReadAround) {
  auto objects = Fill();
  // Record 3's stripe on member 0 starts with these bytes of the set record.
  std::vector<std::uint8_t> marker(objects[3].bytes.begin(), objects[3].bytes.begin() + 16);
  ASSERT_TRUE(conformance::FlipBytesInFile(dir_ + "/t-a.img", marker).ok());
  std::unique_ptr<Tape> set;
  ASSERT_TRUE(OpenTape(name_, {true}, set).ok());
  EXPECT_EQ(Snapshot(*set), objects);
  EXPECT_EQ(set->statistics().read_errors_corrected, 1u);
}

}  // namespace
}  // namespace vtape::rait::testing
