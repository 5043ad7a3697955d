// The fault: backend: rule parsing, counting, and every effect on every op.
#include "vtape/fault_backend.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "vtape/registry.h"

namespace vtape {
namespace {

#define ASSERT_OK(expr)                                       \
  do {                                                        \
    ::vtape::Status s_ = (expr);                              \
    ASSERT_TRUE(s_.ok()) << #expr << " -> " << s_.ToString(); \
  } while (0)

std::vector<std::uint8_t> Bytes(std::size_t n, std::uint8_t seed) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(seed + i * 13);
  return v;
}

// Opens NAME and returns its FaultTape face (the registry hands out a Tape).
FaultTape* OpenFault(const std::string& name, std::unique_ptr<Tape>& tape) {
  Status s = OpenTape(name, {}, tape);
  EXPECT_TRUE(s.ok()) << name << ": " << s.ToString();
  return s.ok() ? dynamic_cast<FaultTape*>(tape.get()) : nullptr;
}

std::uint64_t Records(const Tape& t) {
  MediumInfo info;
  EXPECT_TRUE(t.Stat(info).ok());
  return info.records;
}

// --- Parsing ---------------------------------------------------------------------

TEST(FaultRuleParse, ParsesEveryPartAndPrintsItBack) {
  FaultRule rule;
  ASSERT_OK(ParseFaultRule("write@3=enospc", rule));
  EXPECT_EQ(rule, (FaultRule{FaultOp::kWrite, 3, false, FaultEffect::kEnospc}));
  ASSERT_OK(ParseFaultRule("read@12+=medium", rule));
  EXPECT_EQ(rule, (FaultRule{FaultOp::kRead, 12, true, FaultEffect::kMedium}));
  EXPECT_EQ(FaultRuleToString(rule), "read@12+=medium");
  const char* all[] = {"read@1=eio",      "write@1=corrupt", "weof@2=tear",   "sync@1=crash",
                       "space@4+=enospc", "locate@1=eio",    "any@7+=medium", "write@9=tear"};
  for (const char* text : all) {
    ASSERT_OK(ParseFaultRule(text, rule));
    EXPECT_EQ(FaultRuleToString(rule), text);
  }
}

TEST(FaultRuleParse, MalformedRulesSayWhy) {
  struct Case {
    const char* text;
    const char* reason;
  };
  const Case cases[] = {
      {"write3=eio", "OP@N=EFFECT"},
      {"write@3", "OP@N=EFFECT"},
      {"erase@1=eio", "unknown operation 'erase'"},
      {"write@x=eio", "'x' is not a whole number"},
      {"write@=eio", "is not a whole number"},
      {"write@+=eio", "is not a whole number"},
      {"write@0=eio", "start at 1"},
      {"write@1=boom", "unknown effect 'boom'"},
      {"read@1=tear", "applies only to write and weof"},
      {"sync@1=corrupt", "applies only to read and write"},
      {"any@1=tear", "applies only to write and weof"},
  };
  for (const Case& c : cases) {
    FaultRule rule;
    Status s = ParseFaultRule(c.text, rule);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << c.text;
    EXPECT_NE(s.message().find(c.reason), std::string::npos) << c.text << ": " << s.message();
  }
}

TEST(FaultRuleParse, NamesSplitIntoRulesAndInnerName) {
  std::vector<FaultRule> rules;
  std::string inner;
  ASSERT_OK(ParseFaultName("{write@3=eio,read@1+=medium}file:/x/a.img", rules, inner));
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[1], (FaultRule{FaultOp::kRead, 1, true, FaultEffect::kMedium}));
  EXPECT_EQ(inner, "file:/x/a.img");
  ASSERT_OK(ParseFaultName("mem:capacity=5", rules, inner));
  EXPECT_TRUE(rules.empty());
  EXPECT_EQ(inner, "mem:capacity=5");
  ASSERT_OK(ParseFaultName("{}mem:", rules, inner));
  EXPECT_TRUE(rules.empty());
  ASSERT_OK(ParseFaultName("{write@1=eio}fault:{read@1=eio}mem:", rules, inner));
  EXPECT_EQ(rules.size(), 1u);
  EXPECT_EQ(inner, "fault:{read@1=eio}mem:");
}

TEST(FaultRuleParse, BadNamesAreRefusedByTheRegistry) {
  std::unique_ptr<Tape> t;
  const char* bad[] = {"fault:",        "fault:{write@1=eio}",     "fault:{write@1=eio",
                       "fault:{,}mem:", "fault:{write@1=zap}mem:", "fault:{write@1=eio}nosuch:x"};
  for (const char* name : bad) {
    Status s = OpenTape(name, {}, t);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << name << ": " << s.ToString();
    EXPECT_FALSE(s.message().empty());
  }
  EXPECT_EQ(CreateTape("fault:{read@1=tear}mem:", {}).code(), Code::kInvalidArgument);
  EXPECT_EQ(AccessTape("fault:{read@1=tear}mem:", false).code(), Code::kInvalidArgument);
  EXPECT_TRUE(CreateTape("fault:{read@1=eio}mem:", {}).ok());
  EXPECT_TRUE(AccessTape("fault:mem:", true).ok());
}

// --- Pass-through and counting ---------------------------------------------------------

TEST(FaultTape, PassThroughWithoutRules) {
  std::unique_ptr<Tape> t;
  FaultTape* f = OpenFault("fault:mem:capacity=5000", t);
  ASSERT_NE(f, nullptr);
  ASSERT_OK(t->Write(Bytes(100, 1)));
  ASSERT_OK(t->WriteFilemarks(1, true));
  ASSERT_OK(t->Rewind());
  std::vector<std::uint8_t> buf(200);
  ReadResult r;
  ASSERT_OK(t->Read(buf, r));
  EXPECT_EQ(r.length, 100u);
  buf.resize(100);
  EXPECT_EQ(buf, Bytes(100, 1));
  MediumInfo info;
  ASSERT_OK(t->Stat(info));
  EXPECT_EQ(info.capacity_bytes, 5000u);
  EXPECT_EQ(f->injected(), 0u);
  EXPECT_FALSE(t->health().degraded);
}

TEST(FaultTape, CountsCallsPerOpAndOverall) {
  std::unique_ptr<Tape> t;
  FaultTape* f = OpenFault("fault:mem:", t);
  ASSERT_NE(f, nullptr);
  SpaceResult sr;
  ReadResult rr;
  std::vector<std::uint8_t> buf(8);
  ASSERT_OK(t->Write(Bytes(4, 1)));
  ASSERT_OK(t->Write(Bytes(4, 2)));
  ASSERT_OK(t->WriteFilemarks(2, false));
  ASSERT_OK(t->Sync());
  ASSERT_OK(t->SpaceRecords(-1, sr));
  ASSERT_OK(t->SpaceFilemarks(1, sr));
  ASSERT_OK(t->SpaceToEndOfData());
  ASSERT_OK(t->Locate(0, 1, sr));
  ASSERT_OK(t->LocateFile(0, 0, sr));
  ASSERT_OK(t->Rewind());
  ASSERT_OK(t->Read(buf, rr));
  ASSERT_OK(t->Erase());  // not counted
  EXPECT_EQ(f->calls(FaultOp::kWrite), 2u);
  EXPECT_EQ(f->calls(FaultOp::kWeof), 1u);
  EXPECT_EQ(f->calls(FaultOp::kSync), 1u);
  EXPECT_EQ(f->calls(FaultOp::kSpace), 3u);
  EXPECT_EQ(f->calls(FaultOp::kLocate), 3u);
  EXPECT_EQ(f->calls(FaultOp::kRead), 1u);
  EXPECT_EQ(f->calls(FaultOp::kAny), 11u);
}

// --- Effects on write ------------------------------------------------------------------

TEST(FaultTape, WriteEioFailsOnlyTheNthCallAndStoresNothing) {
  std::unique_ptr<Tape> t;
  FaultTape* f = OpenFault("fault:{write@2=eio}mem:", t);
  ASSERT_NE(f, nullptr);
  ASSERT_OK(t->Write(Bytes(10, 1)));
  Status s = t->Write(Bytes(10, 2));
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_NE(s.message().find("write call 2"), std::string::npos) << s.message();
  EXPECT_EQ(t->GetPosition().object, 1u);
  EXPECT_EQ(Records(*t), 1u);
  ASSERT_OK(t->Write(Bytes(10, 3)));
  EXPECT_EQ(Records(*t), 2u);
  EXPECT_EQ(t->statistics().write_errors, 1u);
  EXPECT_EQ(t->statistics().records_written, 2u);
  EXPECT_EQ(f->injected(), 1u);
}

TEST(FaultTape, WriteEnospcAndMediumCodes) {
  std::unique_ptr<Tape> t;
  ASSERT_NE(OpenFault("fault:{write@1=enospc,write@2=medium}mem:", t), nullptr);
  EXPECT_EQ(t->Write(Bytes(10, 1)).code(), Code::kEndOfMedium);
  EXPECT_EQ(t->Write(Bytes(10, 1)).code(), Code::kMediumError);
  EXPECT_EQ(Records(*t), 0u);
  EXPECT_TRUE(t->GetPosition().at_bop);
  ASSERT_OK(t->Write(Bytes(10, 1)));
}

TEST(FaultTape, AndLaterRuleFailsEveryCallFromN) {
  std::unique_ptr<Tape> t;
  ASSERT_NE(OpenFault("fault:{write@2+=enospc}mem:", t), nullptr);
  ASSERT_OK(t->Write(Bytes(10, 1)));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(t->Write(Bytes(10, 1)).code(), Code::kEndOfMedium);
  EXPECT_EQ(Records(*t), 1u);
  EXPECT_EQ(t->statistics().write_errors, 5u);
}

TEST(FaultTape, TornWriteStoresHalfAsARecordAndFails) {
  std::unique_ptr<Tape> t;
  FaultTape* f = OpenFault("fault:{write@2=tear,write@3=tear}mem:", t);
  ASSERT_NE(f, nullptr);
  ASSERT_OK(t->Write(Bytes(10, 1)));
  Status s = t->Write(Bytes(1001, 2));
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_NE(s.message().find("stored 500 of 1001"), std::string::npos) << s.message();
  EXPECT_EQ(Records(*t), 2u);
  EXPECT_EQ(t->GetPosition().object, 2u);
  EXPECT_TRUE(t->GetPosition().at_eod);
  EXPECT_EQ(t->Write(Bytes(1, 3)).code(), Code::kIoError);  // 1 byte: nothing to keep
  EXPECT_EQ(Records(*t), 2u);
  ASSERT_OK(t->Rewind());
  std::vector<std::uint8_t> buf(2000);
  ReadResult r;
  ASSERT_OK(t->Read(buf, r));
  ASSERT_OK(t->Read(buf, r));
  ASSERT_EQ(r.length, 500u);
  auto want = Bytes(1001, 2);
  EXPECT_TRUE(std::equal(want.begin(), want.begin() + 500, buf.begin()));
  EXPECT_EQ(t->statistics().write_errors, 2u);
}

TEST(FaultTape, TornFilemarkWriteWritesHalf) {
  std::unique_ptr<Tape> t;
  ASSERT_NE(OpenFault("fault:{weof@1=tear}mem:", t), nullptr);
  ASSERT_OK(t->Write(Bytes(10, 1)));
  EXPECT_EQ(t->WriteFilemarks(5, true).code(), Code::kIoError);
  MediumInfo info;
  ASSERT_OK(t->Stat(info));
  EXPECT_EQ(info.filemarks, 2u);
  EXPECT_EQ(t->GetPosition().file, 2u);
}

TEST(FaultTape, WeofAndSyncFailures) {
  std::unique_ptr<Tape> t;
  ASSERT_NE(OpenFault("fault:{weof@1=eio,sync@2=medium}mem:", t), nullptr);
  EXPECT_EQ(t->WriteFilemarks(1, true).code(), Code::kIoError);
  EXPECT_EQ(t->GetPosition().file, 0u);
  ASSERT_OK(t->WriteFilemarks(1, true));
  ASSERT_OK(t->Sync());
  EXPECT_EQ(t->Sync().code(), Code::kMediumError);
  ASSERT_OK(t->Sync());
  EXPECT_EQ(t->statistics().write_errors, 1u);
}

// --- Effects on read ------------------------------------------------------------------

TEST(FaultTape, ReadMediumMovesPastTheRecordAndDeliversNoData) {
  std::unique_ptr<Tape> t;
  ASSERT_NE(OpenFault("fault:{read@1=medium,read@2=corrupt}mem:", t), nullptr);
  ASSERT_OK(t->Write(Bytes(50, 1)));
  ASSERT_OK(t->Write(Bytes(50, 2)));
  ASSERT_OK(t->Write(Bytes(50, 3)));
  ASSERT_OK(t->Rewind());
  std::vector<std::uint8_t> buf(64, 0xee);
  ReadResult r;
  EXPECT_EQ(t->Read(buf, r).code(), Code::kMediumError);
  EXPECT_EQ(t->GetPosition().object, 1u);
  EXPECT_TRUE(std::all_of(buf.begin(), buf.begin() + 50, [](auto b) { return b == 0; }));
  EXPECT_EQ(t->Read(buf, r).code(), Code::kMediumError);
  EXPECT_EQ(t->GetPosition().object, 2u);
  ASSERT_OK(t->Read(buf, r));
  buf.resize(50);
  EXPECT_EQ(buf, Bytes(50, 3));
  EXPECT_EQ(t->statistics().read_errors_uncorrected, 2u);
}

TEST(FaultTape, ReadEioDoesNotMoveSoARetryReadsTheRecord) {
  std::unique_ptr<Tape> t;
  ASSERT_NE(OpenFault("fault:{read@1=eio}mem:", t), nullptr);
  ASSERT_OK(t->Write(Bytes(50, 1)));
  ASSERT_OK(t->Rewind());
  std::vector<std::uint8_t> buf(50);
  ReadResult r;
  EXPECT_EQ(t->Read(buf, r).code(), Code::kIoError);
  EXPECT_TRUE(t->GetPosition().at_bop);
  ASSERT_OK(t->Read(buf, r));
  EXPECT_EQ(buf, Bytes(50, 1));
}

TEST(FaultTape, CorruptWriteSucceedsButReadsBackAsMediumErrorUntilOverwritten) {
  std::unique_ptr<Tape> t;
  FaultTape* f = OpenFault("fault:{write@2=corrupt}mem:", t);
  ASSERT_NE(f, nullptr);
  ASSERT_OK(t->Write(Bytes(50, 1)));
  ASSERT_OK(t->Write(Bytes(50, 2)));  // silently corrupt
  ASSERT_OK(t->Write(Bytes(50, 3)));
  EXPECT_EQ(f->injected(), 1u);
  ASSERT_OK(t->Rewind());
  std::vector<std::uint8_t> buf(50);
  ReadResult r;
  ASSERT_OK(t->Read(buf, r));
  Status s = t->Read(buf, r);
  EXPECT_EQ(s.code(), Code::kMediumError);
  EXPECT_NE(s.message().find("object 1"), std::string::npos) << s.message();
  EXPECT_EQ(t->GetPosition().object, 2u);
  ASSERT_OK(t->Read(buf, r));
  EXPECT_EQ(buf, Bytes(50, 3));
  // The inner tape holds the intact bytes: no wrong data is stored as good.
  ASSERT_OK(f->target().Rewind());
  ASSERT_OK(f->target().Read(buf, r));
  ASSERT_OK(f->target().Read(buf, r));
  EXPECT_EQ(buf, Bytes(50, 2));
  // Overwriting the object clears the mark.
  SpaceResult sr;
  ASSERT_OK(t->Locate(0, 1, sr));
  ASSERT_OK(t->Write(Bytes(50, 4)));
  ASSERT_OK(t->Locate(0, 1, sr));
  ASSERT_OK(t->Read(buf, r));
  EXPECT_EQ(buf, Bytes(50, 4));
}

TEST(FaultTape, EraseAndFilemarksClearCorruptMarksBehindThem) {
  std::unique_ptr<Tape> t;
  ASSERT_NE(OpenFault("fault:{write@2+=corrupt}mem:", t), nullptr);
  ASSERT_OK(t->Write(Bytes(50, 1)));
  ASSERT_OK(t->Write(Bytes(50, 2)));
  ASSERT_OK(t->Write(Bytes(50, 3)));
  SpaceResult sr;
  ASSERT_OK(t->Locate(0, 1, sr));
  ASSERT_OK(t->Erase());
  FaultTape* f = dynamic_cast<FaultTape*>(t.get());
  f->Disarm();
  ASSERT_OK(t->Write(Bytes(50, 5)));
  ASSERT_OK(t->WriteFilemarks(1, false));
  ASSERT_OK(t->Write(Bytes(50, 6)));
  ASSERT_OK(t->Rewind());
  std::vector<std::uint8_t> buf(50);
  ReadResult r;
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE("object " + std::to_string(i));
    ASSERT_OK(t->Read(buf, r));
  }
  EXPECT_EQ(buf, Bytes(50, 6));
}

// --- Positioning ops ------------------------------------------------------------------

TEST(FaultTape, SpaceAndLocateFailuresDoNotMove) {
  std::unique_ptr<Tape> t;
  ASSERT_NE(OpenFault("fault:{space@2=eio,locate@1=medium,locate@3=enospc}mem:", t), nullptr);
  ASSERT_OK(t->Write(Bytes(5, 1)));
  ASSERT_OK(t->WriteFilemarks(1, false));
  ASSERT_OK(t->Write(Bytes(5, 2)));
  SpaceResult sr;
  EXPECT_EQ(t->Rewind().code(), Code::kMediumError);  // locate call 1
  EXPECT_EQ(t->GetPosition().object, 3u);
  ASSERT_OK(t->Locate(0, 0, sr));                                 // locate call 2
  EXPECT_EQ(t->LocateFile(0, 1, sr).code(), Code::kEndOfMedium);  // locate call 3
  EXPECT_EQ(t->GetPosition().object, 0u);
  ASSERT_OK(t->SpaceFilemarks(1, sr));                       // space call 1
  EXPECT_EQ(t->SpaceRecords(1, sr).code(), Code::kIoError);  // space call 2
  EXPECT_EQ(t->GetPosition().object, 2u);
  ASSERT_OK(t->SpaceToEndOfData());
  EXPECT_EQ(t->GetPosition().object, 3u);
}

TEST(FaultTape, AnyCountsEveryOp) {
  std::unique_ptr<Tape> t;
  ASSERT_NE(OpenFault("fault:{any@3=eio}mem:", t), nullptr);
  ASSERT_OK(t->Write(Bytes(5, 1)));
  ASSERT_OK(t->Rewind());
  std::vector<std::uint8_t> buf(5);
  ReadResult r;
  EXPECT_EQ(t->Read(buf, r).code(), Code::kIoError);
  ASSERT_OK(t->Read(buf, r));
  EXPECT_EQ(buf, Bytes(5, 1));
}

TEST(FaultTape, FirstArmedRuleWins) {
  std::unique_ptr<Tape> t;
  ASSERT_NE(OpenFault("fault:{write@1=enospc,any@1=eio}mem:", t), nullptr);
  EXPECT_EQ(t->Write(Bytes(5, 1)).code(), Code::kEndOfMedium);
}

TEST(FaultTape, ArmAndDisarmProgrammatically) {
  std::unique_ptr<Tape> t;
  FaultTape* f = OpenFault("fault:mem:", t);
  ASSERT_NE(f, nullptr);
  ASSERT_OK(t->Write(Bytes(5, 1)));
  ASSERT_OK(
      f->Arm(FaultRule{FaultOp::kWrite, f->calls(FaultOp::kWrite) + 1, true, FaultEffect::kEio}));
  EXPECT_EQ(t->Write(Bytes(5, 2)).code(), Code::kIoError);
  EXPECT_EQ(t->Write(Bytes(5, 2)).code(), Code::kIoError);
  f->Disarm();
  EXPECT_TRUE(f->rules().empty());
  ASSERT_OK(t->Write(Bytes(5, 2)));
  EXPECT_EQ(f->Arm("read@1=tear").code(), Code::kInvalidArgument);
  EXPECT_EQ(f->Arm(FaultRule{FaultOp::kSync, 1, false, FaultEffect::kCorrupt}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(f->Arm(FaultRule{FaultOp::kSync, 0, false, FaultEffect::kEio}).code(),
            Code::kInvalidArgument);
  ASSERT_OK(f->Arm("sync@1+=eio"));
  EXPECT_EQ(t->Sync().code(), Code::kIoError);
}

TEST(FaultTape, StackedFaultTapesCountOnlyTheCallsThatReachThem) {
  std::unique_ptr<Tape> t;
  ASSERT_NE(OpenFault("fault:{write@1=eio}fault:{write@2=enospc}mem:", t), nullptr);
  EXPECT_EQ(t->Write(Bytes(5, 1)).code(), Code::kIoError);      // outer call 1
  ASSERT_OK(t->Write(Bytes(5, 1)));                             // inner call 1
  EXPECT_EQ(t->Write(Bytes(5, 1)).code(), Code::kEndOfMedium);  // inner call 2
  EXPECT_EQ(Records(*t), 1u);
}

// --- Crash -----------------------------------------------------------------------

TEST(FaultTape, CrashStopsEverythingFromThatCall) {
  std::unique_ptr<Tape> t;
  FaultTape* f = OpenFault("fault:{write@3=crash}mem:", t);
  ASSERT_NE(f, nullptr);
  ASSERT_OK(t->Write(Bytes(5, 1)));
  ASSERT_OK(t->Write(Bytes(5, 2)));
  Status s = t->Write(Bytes(5, 3));
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_NE(s.message().find("write call 3"), std::string::npos) << s.message();
  EXPECT_TRUE(f->crashed());
  std::vector<std::uint8_t> buf(5);
  ReadResult r;
  MediumInfo info;
  std::vector<std::uint16_t> ids;
  EXPECT_EQ(t->Rewind().code(), Code::kIoError);
  EXPECT_EQ(t->Read(buf, r).code(), Code::kIoError);
  EXPECT_EQ(t->Erase().code(), Code::kIoError);
  EXPECT_EQ(t->Stat(info).code(), Code::kIoError);
  EXPECT_EQ(t->attributes()->ListAttributes(0, ids).code(), Code::kIoError);
  EXPECT_EQ(t->Load().code(), Code::kIoError);
  EXPECT_FALSE(t->loaded());
  EXPECT_EQ(t->GetPosition().object, 2u) << "position frozen at the crash";
  EXPECT_TRUE(t->health().degraded);
  EXPECT_NE(t->health().detail.find("write call 3"), std::string::npos);
  f->Disarm();
  EXPECT_EQ(t->Sync().code(), Code::kIoError) << "disarm does not undo a crash";
  EXPECT_EQ(t->Close().code(), Code::kIoError);
  // Nothing after the crash reached the inner tape.
  ASSERT_OK(f->target().Stat(info));
  EXPECT_EQ(info.records, 2u);
  EXPECT_EQ(f->target().GetPosition().object, 2u);
}

TEST(FaultTape, CrashOnAFileLeavesAReopenableImage) {
  std::string dir = (std::filesystem::temp_directory_path() / "vtape-fault-XXXXXX").string();
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  std::string image = "file:" + dir + "/c.img";
  CreateOptions o;
  o.barcode = "CRASH1L8";
  ASSERT_OK(CreateTape(image, o));
  {
    std::unique_ptr<Tape> t;
    ASSERT_NE(OpenFault("fault:{weof@2=crash}" + image, t), nullptr);
    ASSERT_OK(t->Write(Bytes(100, 1)));
    ASSERT_OK(t->WriteFilemarks(1, true));
    ASSERT_OK(t->Write(Bytes(100, 2)));
    EXPECT_EQ(t->WriteFilemarks(1, true).code(), Code::kIoError);
  }  // destroyed without a successful Close, like a killed process
  std::unique_ptr<Tape> t;
  ASSERT_OK(OpenTape(image, {}, t));
  MediumInfo info;
  ASSERT_OK(t->Stat(info));
  EXPECT_EQ(info.filemarks, 1u) << "the crashed filemark never reached the image";
  EXPECT_GE(info.records, 1u) << "the synced record survives";
  std::vector<std::uint8_t> buf(100);
  ReadResult r;
  ASSERT_OK(t->Read(buf, r));
  EXPECT_EQ(buf, Bytes(100, 1));
  ASSERT_OK(t->Close());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vtape
