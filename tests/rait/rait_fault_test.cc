// Fault-injection matrix: for sets of 2, 3 and 5 members, remove, truncate or
// silently corrupt a member at seeded random points, while writing and while
// reading. Every record must read back exactly; with two members lost the set
// reports kMediumError, never wrong data.
#include <gtest/gtest.h>

#include <random>

#include "rait/rait_tape.h"
#include "tests/rait/rait_test_util.h"
#include "tests/rait/test_decorators.h"
#include "tests/vtape/file_test_util.h"

namespace vtape::rait::testing {
namespace {

enum class Damage { kRemove, kTruncate, kCorrupt };
const char* DamageName(Damage d) {
  return d == Damage::kRemove ? "remove" : d == Damage::kTruncate ? "truncate" : "corrupt";
}

// A seeded random sequence of records (1 byte .. 300 KB) and filemarks.
std::vector<Object> Workload(std::mt19937& rng, std::size_t count) {
  std::vector<Object> out;
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_int_distribution<std::size_t> size(1, 300'000);
  std::uniform_int_distribution<int> small(0, 3);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0 && kind(rng) == 0) {
      out.push_back({true, {}});
    } else {
      std::size_t n = small(rng) == 0 ? 1 + size(rng) % 100 : size(rng);
      out.push_back({false, Payload(n, static_cast<std::uint32_t>(rng()))});
    }
  }
  return out;
}

void WriteObject(Tape& set, const Object& o) {
  Status st = o.filemark ? set.WriteFilemarks(1, false) : set.Write(o.bytes);
  ASSERT_TRUE(st.ok()) << st.ToString();
}

class RaitFaults : public RaitTest,
                   public ::testing::WithParamInterface<std::tuple<std::size_t, Damage>> {
 protected:
  void Apply(Damage d, std::size_t member, std::uint64_t at, std::mt19937& rng) {
    const std::string& id = ids_[member];
    switch (d) {
      case Damage::kRemove:
        RemoveKept(id);
        break;
      case Damage::kTruncate: {
        Tape* m = KeptMedium(id);
        SpaceResult r;
        ASSERT_TRUE(m->Locate(0, at / 2, r).ok());
        ASSERT_TRUE(m->Erase().ok());
        // The set's next operations on it happen wherever its position now is.
        break;
      }
      case Damage::kCorrupt: {
        // A record that exists on the member already (silent corruption).
        std::uniform_int_distribution<std::uint64_t> pick(0, at == 0 ? 0 : at - 1);
        for (int tries = 0; tries < 8; ++tries) CorruptKeptRecord(id, pick(rng));
        break;
      }
    }
  }
};

TEST_P(RaitFaults, EveryRecordReadsBackWhenOneMemberIsDamagedWhileWriting) {
  auto [n, damage] = GetParam();
  for (std::uint32_t run = 0; run < 2 * n; ++run) {  // every member, two seeds each
    const std::uint32_t seed = run / n + 1;
    const std::size_t member = run % n;
    SCOPED_TRACE("seed " + std::to_string(seed) + ", " + DamageName(damage) + " member " +
                 std::to_string(member));
    std::mt19937 rng(seed * 7919 + n);
    std::string name = CreateSet(n);
    auto set = OpenSet(name);
    auto objects = Workload(rng, 30);
    std::size_t at = std::uniform_int_distribution<std::size_t>(3, objects.size() - 2)(rng);
    for (std::size_t i = 0; i < objects.size(); ++i) {
      if (i == at) Apply(damage, member, at, rng);
      WriteObject(*set, objects[i]);
    }
    ASSERT_TRUE(set->Sync().ok());
    EXPECT_EQ(Snapshot(*set), objects);
    if (damage == Damage::kCorrupt) {
      // Only the members the data lives on are read while all is well.
      if (member < (n == 2 ? 1 : n - 1)) {
        EXPECT_GT(set->statistics().read_errors_corrected, 0u);
      }
    } else {
      EXPECT_TRUE(set->health().degraded);
      EXPECT_NE(set->health().detail.find("member " + std::to_string(member) + " (keep:m"),
                std::string::npos)
          << set->health().detail;
      EXPECT_EQ(set->health().failed_members, std::vector<std::uint32_t>{std::uint32_t(member)});
    }
    ASSERT_TRUE(set->Close().ok());
    // And after reopening: still every record, exactly.
    set = OpenSet(name);
    ASSERT_TRUE(set);
    EXPECT_EQ(Snapshot(*set), objects);
    ASSERT_TRUE(set->Close().ok());
    ClearKept();
  }
}

TEST_P(RaitFaults, EveryRecordReadsBackWhenOneMemberIsDamagedWhileReading) {
  auto [n, damage] = GetParam();
  for (std::uint32_t run = 0; run < 2 * n; ++run) {  // every member, two seeds each
    const std::uint32_t seed = run / n + 1;
    const std::size_t member = run % n;
    SCOPED_TRACE("seed " + std::to_string(seed) + ", " + DamageName(damage) + " member " +
                 std::to_string(member));
    std::mt19937 rng(seed * 104729 + n);
    auto set = OpenSet(CreateSet(n));
    auto objects = Workload(rng, 30);
    for (const Object& o : objects) WriteObject(*set, o);
    ASSERT_TRUE(set->Rewind().ok());
    std::size_t at = std::uniform_int_distribution<std::size_t>(1, objects.size() - 2)(rng);
    std::vector<std::uint8_t> buf(kMaxRecordBytes);
    for (std::size_t i = 0; i < objects.size(); ++i) {
      if (i == at) {
        // Truncation and corruption hit what lies ahead of the reader.
        Apply(damage, member, damage == Damage::kTruncate ? objects.size() + at : objects.size(),
              rng);
        if (damage == Damage::kTruncate) {  // keep the member where the set believes it is
          SpaceResult r;
          (void)KeptMedium(ids_[member])->Locate(0, at, r);
        }
      }
      ReadResult rr;
      Status st = set->Read(buf, rr);
      ASSERT_TRUE(st.ok()) << st.ToString() << " at object " << i;
      if (objects[i].filemark) {
        EXPECT_EQ(rr.kind, ObjectKind::kFilemark) << i;
      } else {
        ASSERT_EQ(rr.kind, ObjectKind::kRecord) << i;
        ASSERT_EQ(rr.length, objects[i].bytes.size()) << i;
        EXPECT_TRUE(std::equal(objects[i].bytes.begin(), objects[i].bytes.end(), buf.begin()))
            << "object " << i;
      }
    }
    ReadResult rr;
    ASSERT_TRUE(set->Read(buf, rr).ok());
    EXPECT_EQ(rr.kind, ObjectKind::kEndOfData);
    ClearKept();
  }
}

INSTANTIATE_TEST_SUITE_P(Matrix, RaitFaults,
                         ::testing::Combine(::testing::Values(2, 3, 5),
                                            ::testing::Values(Damage::kRemove, Damage::kTruncate,
                                                              Damage::kCorrupt)),
                         [](const auto& info) {
                           return "n" + std::to_string(std::get<0>(info.param)) + "_" +
                                  DamageName(std::get<1>(info.param));
                         });

TEST_F(RaitTest, TwoCorruptMembersOnOneRecordIsAMediumErrorNeverWrongData) {
  auto set = OpenSet(CreateSet(3));
  for (std::uint32_t i = 0; i < 5; ++i) ASSERT_TRUE(set->Write(Payload(1000 + i, i)).ok());
  CorruptKeptRecord("m0", 2);
  CorruptKeptRecord("m2", 2);
  ASSERT_TRUE(set->Rewind().ok());
  std::vector<std::uint8_t> buf(4096);
  ReadResult rr;
  for (std::uint32_t i = 0; i < 5; ++i) {
    Status st = set->Read(buf, rr);
    if (i == 2) {
      EXPECT_EQ(st.code(), Code::kMediumError) << st.ToString();
      EXPECT_EQ(set->GetPosition().object, 3u);  // moved past it, like a bad block
      continue;
    }
    ASSERT_TRUE(st.ok()) << i << ": " << st.ToString();
    EXPECT_EQ(std::vector<std::uint8_t>(buf.begin(), buf.begin() + rr.length),
              Payload(1000 + i, i));
  }
  EXPECT_EQ(set->statistics().read_errors_uncorrected, 1u);
  EXPECT_FALSE(set->health().degraded);  // bad records, not lost members
}

TEST_F(RaitTest, TwoRemovedMembersMakeTheSetUnusable) {
  for (std::size_t n : {2, 3, 5}) {
    auto set = OpenSet(CreateSet(n));
    ASSERT_TRUE(set->Write(Payload(100, 1)).ok());
    ASSERT_TRUE(set->Rewind().ok());
    RemoveKept(ids_[0]);
    RemoveKept(ids_[n - 1]);
    std::vector<std::uint8_t> buf(200);
    ReadResult rr;
    Status st = set->Read(buf, rr);
    EXPECT_EQ(st.code(), Code::kMediumError) << n << ": " << st.ToString();
    EXPECT_NE(st.message().find("survives one"), std::string::npos) << st.message();
    EXPECT_EQ(set->Write(Payload(10, 1)).code(), Code::kMediumError);
    std::unique_ptr<Tape> again;
    EXPECT_FALSE(OpenTape(SetName(ids_), {}, again).ok());
    ClearKept();
  }
}

TEST_F(RaitTest, EnospcOnOneMemberDegradesAndWritingGoesOn) {
  std::string plain = CreateSet(3);
  std::string name = "rait:{keep:m0,fault:{write@5=enospc}keep:m1,keep:m2}";
  auto set = OpenSet(name);
  for (std::uint32_t i = 0; i < 10; ++i) {
    Status st = set->Write(Payload(5000 + i, i));
    ASSERT_TRUE(st.ok()) << i << ": " << st.ToString();
  }
  Health h = set->health();
  EXPECT_TRUE(h.degraded);
  EXPECT_NE(h.detail.find("member 1 (fault:{write@5=enospc}keep:m1) failed: end-of-medium"),
            std::string::npos)
      << h.detail;
  EXPECT_EQ(set->statistics().write_errors, 1u);
  ASSERT_TRUE(set->Close().ok());
  // The member missed records 4..9: reopening without the fault finds it stale.
  set = OpenSet(plain);
  EXPECT_TRUE(set->health().degraded);
  EXPECT_NE(set->health().detail.find("stale"), std::string::npos) << set->health().detail;
  auto got = Snapshot(*set);
  ASSERT_EQ(got.size(), 10u);
  for (std::uint32_t i = 0; i < 10; ++i) EXPECT_EQ(got[i].bytes, Payload(5000 + i, i));
}

TEST_F(RaitTest, DegradedWritesRefusedByPolicyStoreNothing) {
  CreateSet(3);
  std::string name = "rait:{keep:m0,fault:{write@3=eio}keep:m1,keep:m2};degraded_writes=refuse";
  auto set = OpenSet(name);
  ASSERT_TRUE(set->Write(Payload(10, 1)).ok());
  ASSERT_TRUE(set->Write(Payload(20, 2)).ok());
  Status st = set->Write(Payload(30, 3));
  EXPECT_EQ(st.code(), Code::kIoError) << st.ToString();
  EXPECT_NE(st.message().find("nothing was stored"), std::string::npos) << st.message();
  EXPECT_EQ(set->GetPosition().object, 2u);
  st = set->Write(Payload(40, 4));
  EXPECT_EQ(st.code(), Code::kMediumError);
  EXPECT_NE(st.message().find("degraded_writes=refuse"), std::string::npos) << st.message();
  for (std::size_t i : {0, 2}) {
    MediumInfo info;
    ASSERT_TRUE(KeptMedium(ids_[i])->Stat(info).ok());
    EXPECT_EQ(info.records, 2u) << "member " << i;  // the third record was undone
  }
  auto got = Snapshot(*set);  // reads still work on the survivors
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].bytes, Payload(20, 2));
}

TEST_F(RaitTest, MemberMissingAtOpenIsRecordedSoItIsNeverUsedStale) {
  std::string name = CreateSet(3);
  auto set = OpenSet(name);
  ASSERT_TRUE(set->Write(Payload(100, 1)).ok());
  ASSERT_TRUE(set->Close().ok());
  SwapKept("m2", "away");  // pull member 2 out
  set = OpenSet(name);
  ASSERT_TRUE(set);
  EXPECT_NE(set->health().detail.find("member 2 (keep:m2) failed: cannot be opened: not-found"),
            std::string::npos)
      << set->health().detail;
  ASSERT_TRUE(set->SpaceToEndOfData().ok());
  ASSERT_TRUE(set->Write(Payload(200, 2)).ok());
  ASSERT_TRUE(set->Close().ok());
  SwapKept("m2", "away");  // put the old member 2 back: it lacks record 1
  set = OpenSet(name);
  EXPECT_TRUE(set->health().degraded);
  EXPECT_NE(set->health().detail.find("member 2 (keep:m2) failed: is stale"), std::string::npos)
      << set->health().detail;
  auto got = Snapshot(*set);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].bytes, Payload(100, 1));
  EXPECT_EQ(got[1].bytes, Payload(200, 2));
}

TEST_F(RaitTest, SwappedMembersAreRefused) {
  std::string name = CreateSet(3);
  auto set = OpenSet(name);
  ASSERT_TRUE(set->Write(Payload(100, 1)).ok());
  ASSERT_TRUE(set->Close().ok());
  SwapKept("m0", "m1");
  std::unique_ptr<Tape> t;
  Status st = OpenTape(name, {}, t);
  EXPECT_EQ(st.code(), Code::kMediumError);
  EXPECT_NE(st.message().find("swapped?"), std::string::npos) << st.message();
}

TEST_F(RaitTest, MemberOfAnotherSetIsRefused) {
  std::string a = CreateSet(3);
  ASSERT_TRUE(CreateTape("rait:{keep:o0,keep:o1,keep:o2}", {}).ok());
  SwapKept("m1", "o1");
  auto set = OpenSet(a);
  ASSERT_TRUE(set);
  EXPECT_NE(set->health().detail.find("member 1 (keep:m1) failed: belongs to another rait set"),
            std::string::npos)
      << set->health().detail;
}

// A member held by another open (the file: image lock) refuses the whole set:
// it is not broken, and must not be recorded as failed.
TEST(RaitBusy, MemberHeldByAnotherOpenRefusesTheSetNamingIt) {
  RegisterRait();
  vtape::testing::ScratchDir dir;
  std::vector<std::string> members;
  for (const char* m : {"a", "b", "c"})
    members.push_back("file:" + dir.File(std::string(m) + ".img"));
  std::string name = "rait:{" + members[0] + "," + members[1] + "," + members[2] + "}";
  ASSERT_TRUE(CreateTape(name, {}).ok());
  {
    std::unique_ptr<Tape> holder, set;
    ASSERT_TRUE(OpenTape(members[0], {}, holder).ok());
    Status st = OpenTape(name, {}, set);
    EXPECT_EQ(st.code(), Code::kBusy) << st.ToString();
    EXPECT_NE(st.message().find("member 0 (" + members[0] + ") is in use"), std::string::npos)
        << st.message();
    EXPECT_EQ(set, nullptr);
    ASSERT_TRUE(holder->Close().ok());
  }
  {  // The same set opened twice (a reconfig opening the new set before closing the old).
    std::unique_ptr<Tape> first, second;
    ASSERT_TRUE(OpenTape(name, {}, first).ok());
    Status st = OpenTape(name, {}, second);
    EXPECT_EQ(st.code(), Code::kBusy) << st.ToString();
    EXPECT_FALSE(first->health().degraded) << first->health().detail;
    ASSERT_TRUE(first->Close().ok());
  }
  std::unique_ptr<Tape> set;
  ASSERT_TRUE(OpenTape(name, {}, set).ok());
  EXPECT_FALSE(set->health().degraded) << set->health().detail;  // nothing recorded against it
}

// WRITE FILEMARKS cut short by a full disk on every member, each at another
// mark: the set keeps the marks all of them hold, stands after them and says so.
TEST_F(RaitTest, FilemarksCutShortByAFullDiskLeaveTheSetConsistent) {
  RegisterTestDecorators();
  std::string plain = CreateSet(3);
  auto set = OpenSet("rait:{fmroom:2:keep:m0,fmroom:4:keep:m1,fmroom:3:keep:m2}");
  ASSERT_TRUE(set->Write(Payload(500, 1)).ok());
  Status st = set->WriteFilemarks(5, true);
  EXPECT_EQ(st.code(), Code::kEndOfMedium) << st.ToString();
  EXPECT_NE(st.message().find("(2 of 5 filemarks written)"), std::string::npos) << st.message();
  EXPECT_EQ(set->GetPosition().object, 3u);
  EXPECT_EQ(set->GetPosition().file, 2u);
  EXPECT_FALSE(set->health().degraded) << set->health().detail;
  for (std::size_t i = 0; i < 3; ++i) {
    MediumInfo info;
    ASSERT_TRUE(KeptMedium(ids_[i])->Stat(info).ok());
    EXPECT_EQ(info.filemarks, 2u) << "member " << i;
    EXPECT_EQ(info.records, 1u) << "member " << i;
  }
  ASSERT_TRUE(set->Write(Payload(600, 2)).ok());  // the set goes on where it says it is
  ASSERT_TRUE(set->Close().ok());
  set = OpenSet(plain);
  std::vector<Object> expect = {
      {false, Payload(500, 1)}, {true, {}}, {true, {}}, {false, Payload(600, 2)}};
  EXPECT_EQ(Snapshot(*set), expect);
  EXPECT_FALSE(set->health().degraded) << set->health().detail;
}

// Two of three members full, one not: the set is full (no member is broken);
// what the complete member wrote is taken back so all three agree.
TEST_F(RaitTest, FilemarksFullOnTwoMembersAreTheSetFullNotTwoFailures) {
  RegisterTestDecorators();
  std::string plain = CreateSet(3);
  auto set = OpenSet("rait:{fmroom:1:keep:m0,keep:m1,fmroom:3:keep:m2}");
  ASSERT_TRUE(set->Write(Payload(500, 1)).ok());
  Status st = set->WriteFilemarks(5, false);
  EXPECT_EQ(st.code(), Code::kEndOfMedium) << st.ToString();
  EXPECT_NE(st.message().find("(0 of 5 filemarks written)"), std::string::npos) << st.message();
  EXPECT_EQ(set->GetPosition().object, 1u);
  EXPECT_FALSE(set->health().degraded) << set->health().detail;
  for (std::size_t i = 0; i < 3; ++i) {
    MediumInfo info;
    ASSERT_TRUE(KeptMedium(ids_[i])->Stat(info).ok());
    EXPECT_EQ(info.filemarks, 0u) << "member " << i;
  }
  ASSERT_TRUE(set->Write(Payload(600, 2)).ok());
  ASSERT_TRUE(set->Close().ok());
  set = OpenSet(plain);
  std::vector<Object> expect = {{false, Payload(500, 1)}, {false, Payload(600, 2)}};
  EXPECT_EQ(Snapshot(*set), expect);
}

// Filemarks cost the set kFilemarkBytes of its own capacity: a flood of them
// ends the medium where the set's capacity says, with the marks that fit.
TEST_F(RaitTest, AFilemarkFloodReachesTheSetsEndOfMedium) {
  for (std::size_t n : {2, 3}) {
    SCOPED_TRACE(std::to_string(n) + " members");
    ClearKept();
    constexpr std::uint64_t kCapacity = 1u << 20;
    auto set = OpenSet(CreateSet(n, "", kCapacity));
    ASSERT_TRUE(set->Write(Payload(100'000, 1)).ok());
    const std::uint64_t fit = (kCapacity - 100'000) / kFilemarkBytes;  // 231
    Status st = set->WriteFilemarks(0xFFFFFF, false);  // WRITE FILEMARKS(6) at its largest
    EXPECT_EQ(st.code(), Code::kEndOfMedium) << st.ToString();
    Position pos = set->GetPosition();
    EXPECT_EQ(pos.object, 1 + fit);
    EXPECT_EQ(pos.file, fit);
    EXPECT_EQ(pos.bytes_before, 100'000 + fit * kFilemarkBytes);
    EXPECT_TRUE(pos.beyond_early_warning);
    st = set->WriteFilemarks(1, true);
    EXPECT_EQ(st.code(), Code::kEndOfMedium) << st.ToString();
    EXPECT_EQ(set->GetPosition().object, 1 + fit);
    MediumInfo info;
    ASSERT_TRUE(set->Stat(info).ok());
    EXPECT_EQ(info.filemarks, fit);
    EXPECT_EQ(info.used_bytes, 100'000 + fit * kFilemarkBytes);
    for (std::size_t i = 0; i < n; ++i) {  // no member went beyond the set
      MediumInfo m;
      ASSERT_TRUE(KeptMedium(ids_[i])->Stat(m).ok());
      EXPECT_EQ(m.filemarks, fit) << "member " << i;
    }
    EXPECT_FALSE(set->health().degraded) << set->health().detail;
  }
}

}  // namespace
}  // namespace vtape::rait::testing
