// What only rados: promises, on a real cluster: one writer cluster-wide (a second
// open refused with the holder named), break-lock fences the old writer, records
// striped over several data objects and index objects read back after reopen.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "rados/rados.h"
#include "tests/rados/cluster.h"
#include "tests/tools/same_medium.h"
#include "tests/tools/tool_run.h"
#include "tests/vtape/conformance_util.h"
#include "vtape/registry.h"

namespace vtape::rados {
namespace {

using conformance::Pattern;

CreateOptions Small() {
  CreateOptions o;
  o.barcode = "RAD001L8";
  o.capacity_bytes = 1ull << 30;
  o.early_warning_bytes = 1 << 20;
  return o;
}

TEST(RadosBackend, SecondWriterRefusedWithTheHolderNamed) {
  std::string name = test::FreshName("lock");
  ASSERT_OK(CreateTape(name, Small()));
  std::unique_ptr<Tape> a, b, r;
  ASSERT_OK(OpenTape(name, {}, a));
  Status s = OpenTape(name, {}, b);
  EXPECT_EQ(s.code(), Code::kBusy) << s.message();
  EXPECT_NE(s.message().find("is open for writing by client."), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("vtape break-lock"), std::string::npos) << s.message();
  EXPECT_EQ(AccessTape(name, true).code(), Code::kBusy);
  OpenOptions ro;
  ro.read_only = true;
  ASSERT_OK(OpenTape(name, ro, r));  // readers need no lock
  EXPECT_EQ(r->Write(Pattern(10, 1)).code(), Code::kWriteProtected);
  ASSERT_OK(a->Close());
  ASSERT_OK(OpenTape(name, {}, b));  // the lock goes with Close
  ASSERT_OK(b->Close());
}

TEST(RadosBackend, BreakLockFencesTheOldWriter) {
  std::string name = test::FreshName("fence", 5);
  ASSERT_OK(CreateTape(name, Small()));
  std::unique_ptr<Tape> old_writer, next;
  ASSERT_OK(OpenTape(name, {}, old_writer));
  ASSERT_OK(old_writer->Write(Pattern(1000, 1)));
  ASSERT_OK(old_writer->WriteFilemarks(1, true));  // acknowledged
  std::vector<std::string> holders;
  ASSERT_OK(BreakWriterLock(name, 600, holders));
  ASSERT_EQ(holders.size(), 1u);
  EXPECT_NE(holders[0].find("client."), std::string::npos) << holders[0];
  ASSERT_OK(OpenTape(name, {}, next));
  // The fenced writer can neither add data nor move the header (EOD).
  Status w = old_writer->Write(Pattern(5000, 2));
  Status s = w.ok() ? old_writer->Sync() : w;
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("fenced"), std::string::npos) << s.message();
  (void)old_writer->Close();
  old_writer.reset();
  ReadResult rr;
  std::vector<std::uint8_t> buf(10000);
  ASSERT_OK(next->Read(buf, rr));
  EXPECT_EQ(rr.kind, ObjectKind::kRecord);
  EXPECT_EQ(rr.length, 1000u);
  EXPECT_EQ(std::memcmp(buf.data(), Pattern(1000, 1).data(), 1000), 0);
  ASSERT_OK(next->Read(buf, rr));
  EXPECT_EQ(rr.kind, ObjectKind::kFilemark);
  ASSERT_OK(next->Read(buf, rr));
  EXPECT_EQ(rr.kind, ObjectKind::kEndOfData) << "the fenced write never became part of the medium";
  ASSERT_OK(next->Close());
}

// 40 MiB in 1 MiB + 3 records (eleven 4 MiB stripes, records across their
// boundaries) and 70000 filemarks (two index objects), read back after reopen.
TEST(RadosBackend, StripesAndIndexObjectsSurviveReopen) {
  std::string name = test::FreshName("stripe");
  ASSERT_OK(CreateTape(name, Small()));
  std::unique_ptr<Tape> t;
  ASSERT_OK(OpenTape(name, {}, t));
  constexpr int kRecords = 40;
  for (int i = 0; i < kRecords; ++i) ASSERT_OK(t->Write(Pattern((1 << 20) + 3, i)));
  ASSERT_OK(t->WriteFilemarks(70000, false));
  ASSERT_OK(t->Write(Pattern(7, 99)));
  ASSERT_OK(t->Close());
  t.reset();
  ASSERT_OK(OpenTape(name, {}, t));
  MediumInfo info;
  ASSERT_OK(t->Stat(info));
  EXPECT_EQ(info.records, kRecords + 1u);
  EXPECT_EQ(info.filemarks, 70000u);
  EXPECT_EQ(info.used_bytes, kRecords * ((1ull << 20) + 3) + 70000ull * kFilemarkBytes + 7);
  std::vector<std::uint8_t> buf(2 << 20);
  ReadResult rr;
  for (int i = 0; i < kRecords; ++i) {
    ASSERT_OK(t->Read(buf, rr));
    ASSERT_EQ(rr.length, (1u << 20) + 3) << i;
    ASSERT_EQ(std::memcmp(buf.data(), Pattern((1 << 20) + 3, i).data(), rr.length), 0) << i;
  }
  SpaceResult sr;
  ASSERT_OK(t->SpaceFilemarks(70000, sr));
  EXPECT_EQ(sr.not_crossed, 0u);
  ASSERT_OK(t->Read(buf, rr));
  EXPECT_EQ(rr.length, 7u);
  EXPECT_EQ(std::memcmp(buf.data(), Pattern(7, 99).data(), 7), 0);
  ASSERT_OK(t->LocateFile(0, 65540, sr));
  EXPECT_EQ(t->GetPosition().object, kRecords + 65540u);
  ASSERT_OK(t->Close());
}

// Writes after the last durable point are not part of the medium after a crash of
// the gateway (no Close); everything synchronised is.
TEST(RadosBackend, GatewayCrashKeepsWhatWasAcknowledged) {
  std::string name = test::FreshName("crash", 5);
  ASSERT_OK(CreateTape(name, Small()));
  std::unique_ptr<Tape> a;
  ASSERT_OK(OpenTape(name, {}, a));
  ASSERT_OK(a->Write(Pattern(3000, 1)));
  ASSERT_OK(a->WriteFilemarks(1, true));
  ASSERT_OK(a->Write(Pattern(3000, 2)));  // not synchronised
  // The gateway dies: its lock stays until broken.
  std::vector<std::string> holders;
  ASSERT_OK(BreakWriterLock(name, 600, holders));
  std::unique_ptr<Tape> b;
  ASSERT_OK(OpenTape(name, {}, b));
  MediumInfo info;
  ASSERT_OK(b->Stat(info));
  EXPECT_EQ(info.records, 1u);
  EXPECT_EQ(info.filemarks, 1u);
  ASSERT_OK(b->Close());
  (void)a->Close();  // fenced: fails
}

// vtape copy file: -> rados: -> file:, each step compared object by object.
TEST(RadosBackend, ToolCopiesFileToRadosAndBack) {
  char dir[] = "/var/tmp/vtape-rcopy-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string src = std::string("file:") + dir + "/src.img", back = std::string("file:") + dir + "/back.img";
  std::string mid = test::FreshName("copy");
  WriteSampleMedium(src);
  ToolRun r = RunVtapeTool({"copy", src, mid}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectSameMedium(src, mid);
  r = RunVtapeTool({"copy", mid, back}, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectSameMedium(mid, back);
  for (const char* cmd : {"info", "ls", "verify"}) {
    r = RunVtapeTool({cmd, mid}, dir);
    EXPECT_EQ(r.exit_code, 0) << cmd << ": " << r.err;
  }
  r = RunVtapeTool({"verify", mid}, dir);
  EXPECT_NE(r.out.find("4 records"), std::string::npos) << r.out;
  r = RunVtapeTool({"dump", mid, "0"}, dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.size(), 1u + (5u << 20) + 17) << "file 0: the first two records, raw";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vtape::rados
