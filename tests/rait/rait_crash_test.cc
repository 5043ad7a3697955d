// Crash cuts during an overwrite: the process dies after k of the member
// writes an overwrite makes (every k in turn), for mirrors and parity sets.
// Whatever k, the set that opens afterwards holds the old records, or the
// records up to the overwrite point followed by the new ones: never a new
// record spliced with old ones (neither within a record nor after it), and
// every member holds the same history.
#include <gtest/gtest.h>

#include "rait/format.h"
#include "tests/rait/rait_test_util.h"
#include "tests/rait/test_decorators.h"

namespace vtape::rait::testing {
namespace {

constexpr std::size_t kOld = 10;      // records on the set before the overwrite
constexpr std::uint64_t kAt = 5;      // where the overwrite starts
constexpr std::size_t kBytes = 3000;  // old and new records alike: same lengths

enum class Overwrite { kTwoRecords, kFilemarkThenRecord, kErase };
const char* OverwriteName(Overwrite o) {
  return o == Overwrite::kTwoRecords           ? "records"
         : o == Overwrite::kFilemarkThenRecord ? "filemark"
                                               : "erase";
}

// Everything the set reads from BOP: objects until EOD or the first error.
struct Readback {
  std::vector<Object> objects;
  Status error;
};
Readback ReadAll(Tape& tape) {
  Readback out;
  SpaceResult r;
  out.error = tape.Locate(0, 0, r);
  std::vector<std::uint8_t> buf(kBytes * 2);
  while (out.error.ok()) {
    ReadResult rr;
    out.error = tape.Read(buf, rr);
    if (!out.error.ok() || rr.kind == ObjectKind::kEndOfData) break;
    if (rr.kind == ObjectKind::kFilemark) {
      out.objects.push_back({true, {}});
    } else {
      out.objects.push_back(
          {false, std::vector<std::uint8_t>(buf.begin(), buf.begin() + rr.length)});
    }
  }
  return out;
}

Object Record(std::uint32_t seed) {
  return {false, Payload(kBytes, seed)};
}

class RaitCrash : public RaitTest,
                  public ::testing::WithParamInterface<std::tuple<std::size_t, Overwrite>> {
 protected:
  void SetUp() override {
    RaitTest::SetUp();
    RegisterTestDecorators();
  }
  void TearDown() override {
    SetCrashCut(kNoCut);
    RaitTest::TearDown();
  }
};

TEST_P(RaitCrash, OverwriteCutBetweenMemberWritesNeverSplicesGenerations) {
  auto [n, overwrite] = GetParam();
  std::vector<Object> old;
  for (std::uint32_t i = 0; i < kOld; ++i) old.push_back(Record(i));
  // What the overwrite leaves once complete, step by step: every prefix of it
  // (and the old tape) is an acceptable outcome of a crash in the middle.
  std::vector<Object> steps;
  if (overwrite == Overwrite::kTwoRecords) steps = {Record(100), Record(101)};
  if (overwrite == Overwrite::kFilemarkThenRecord) steps = {{true, {}}, Record(102)};
  std::vector<std::vector<Object>> allowed = {old};
  for (std::size_t k = 0; k <= steps.size(); ++k) {
    std::vector<Object> v(old.begin(), old.begin() + kAt);
    v.insert(v.end(), steps.begin(), steps.begin() + k);
    allowed.push_back(v);
  }

  bool complete = false;
  for (std::uint64_t cut = 0; !complete; ++cut) {
    SCOPED_TRACE("crash after " + std::to_string(cut) + " member changes");
    ClearKept();
    std::string plain = CreateSet(n);
    {
      auto set = OpenSet(plain);
      for (const Object& o : old) ASSERT_TRUE(set->Write(o.bytes).ok());
      ASSERT_TRUE(set->Close().ok());
    }
    std::string cut_name = "rait:{";
    for (std::size_t i = 0; i < n; ++i) cut_name += (i ? ",cut:keep:" : "cut:keep:") + ids_[i];
    cut_name += "}";
    SetCrashCut(kNoCut);
    std::size_t acknowledged = 0;
    {
      auto set = OpenSet(cut_name);
      ASSERT_TRUE(set);
      SpaceResult r;
      ASSERT_TRUE(set->Locate(0, kAt, r).ok());
      SetCrashCut(cut);
      Status st;
      if (overwrite == Overwrite::kErase) {
        st = set->Erase();
        if (st.ok()) acknowledged = 1;
      } else {
        for (const Object& o : steps) {
          st = o.filemark ? set->WriteFilemarks(1, false) : set->Write(o.bytes);
          if (!st.ok()) break;
          ++acknowledged;
        }
      }
      complete = st.ok() && ChangesSinceCut() < cut;
      // The process dies here: the set is dropped, its members reach nothing more.
      SetCrashCut(0);
    }
    SetCrashCut(kNoCut);

    // A read-only open (no reconcile) never shows a splice either.
    {
      std::unique_ptr<Tape> ro;
      Status st = OpenTape(plain, {true}, ro);
      if (st.ok()) {
        Readback got = ReadAll(*ro);
        bool prefix_of_allowed = false;
        for (const auto& a : allowed) {
          bool is_prefix = got.objects.size() <= a.size() &&
                           std::equal(got.objects.begin(), got.objects.end(), a.begin());
          bool exact = got.objects == a;
          prefix_of_allowed = prefix_of_allowed || (got.error.ok() ? exact : is_prefix);
        }
        EXPECT_TRUE(prefix_of_allowed) << "read-only: " << ::testing::PrintToString(got.objects)
                                       << " then " << got.error.ToString();
      }
    }

    auto set = OpenSet(plain);  // read-write: reconciles
    ASSERT_TRUE(set);
    Readback got = ReadAll(*set);
    ASSERT_TRUE(got.error.ok()) << got.error.ToString();
    bool matches = std::find(allowed.begin(), allowed.end(), got.objects) != allowed.end();
    EXPECT_TRUE(matches) << ::testing::PrintToString(got.objects);
    // What the set acknowledged survives the crash (keep: media lose nothing).
    if (overwrite == Overwrite::kErase) {
      if (acknowledged) {
        EXPECT_EQ(got.objects, allowed[1]);
      }
    } else {
      EXPECT_GE(got.objects.size(), acknowledged ? kAt + acknowledged : 0u);
    }
    // Every member holds the same objects now (mirrors no longer diverge).
    for (std::size_t i = 0; i < n; ++i) {
      MediumInfo info;
      ASSERT_TRUE(KeptMedium(ids_[i])->Stat(info).ok());
      EXPECT_EQ(info.records + info.filemarks, got.objects.size()) << "member " << i;
    }
    if (n == 2) {
      Readback a = ReadAll(*KeptMedium(ids_[0])), b = ReadAll(*KeptMedium(ids_[1]));
      for (Readback* m : {&a, &b}) {
        for (Object& o : m->objects) {  // all but the member index and the header's CRC
          if (o.bytes.size() < kHeaderBytes) continue;
          o.bytes[5] = 0;
          std::fill(o.bytes.begin() + 56, o.bytes.begin() + 60, 0);
        }
      }
      EXPECT_EQ(a.objects, b.objects) << "the mirror's members differ";
    }
    ASSERT_TRUE(set->Close().ok());
    // And it stays that way.
    set = OpenSet(plain);
    EXPECT_EQ(ReadAll(*set).objects, got.objects);
    ASSERT_LT(cut, 200u) << "the overwrite never completes";
  }
}

INSTANTIATE_TEST_SUITE_P(Cuts, RaitCrash,
                         ::testing::Combine(::testing::Values(2, 3, 5),
                                            ::testing::Values(Overwrite::kTwoRecords,
                                                              Overwrite::kFilemarkThenRecord,
                                                              Overwrite::kErase)),
                         [](const auto& info) {
                           return "n" + std::to_string(std::get<0>(info.param)) + "_" +
                                  OverwriteName(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace vtape::rait::testing
