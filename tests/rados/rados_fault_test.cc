// The cluster going away mid-write: the OSD is killed (SIGKILL) while a gateway
// writes. The drive must report the error (no success for what RADOS never
// acknowledged), and once the OSD is back everything acknowledged before is intact.
// Needs an OSD that keeps its data over a restart: the ctest runs it on bluestore.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "rados/rados.h"
#include "tests/rados/cluster.h"
#include "tests/vtape/conformance_util.h"
#include "vtape/registry.h"

namespace vtape::rados {
namespace {

using conformance::Pattern;

TEST(RadosFault, OsdKilledMidWriteReportsTheErrorAndKeepsAcknowledgedData) {
  std::string name = test::FreshName("osdkill", 5);
  CreateOptions o;
  o.capacity_bytes = 1ull << 30;
  o.early_warning_bytes = 1 << 20;
  ASSERT_OK(CreateTape(name, o));
  std::unique_ptr<Tape> a;
  ASSERT_OK(OpenTape(name, {}, a));
  constexpr int kAcknowledged = 24;  // 6 MiB: two stripes, one partial
  for (int i = 0; i < kAcknowledged; ++i) ASSERT_OK(a->Write(Pattern(256 << 10, i)));
  ASSERT_OK(a->WriteFilemarks(1, true));

  ASSERT_TRUE(test::StopOsd());
  auto t0 = std::chrono::steady_clock::now();
  Status s;
  for (int i = 0; i < 64 && s.ok(); ++i) s = a->Write(Pattern(256 << 10, 100 + i));
  if (s.ok()) s = a->WriteFilemarks(1, true);
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_FALSE(s.ok()) << "a synchronous filemark succeeded with the OSD dead";
  EXPECT_EQ(s.code(), Code::kIoError) << s.message();
  EXPECT_LT(waited, 60.0) << "the error took " << waited << " s (timeout=5)";
  std::cout << "OSD down: '" << s.message() << "' after " << waited << " s\n";
  EXPECT_FALSE(a->Write(Pattern(10, 1)).ok()) << "writes after a failed one stay refused";

  ASSERT_TRUE(test::StartOsd());
  // The gateway is considered dead: its lock is broken, another open reads back.
  std::vector<std::string> holders;
  Status broken;
  for (int i = 0; i < 120; ++i) {
    broken = BreakWriterLock(name, 600, holders);
    if (broken.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_OK(broken);
  (void)a->Close();
  a.reset();
  std::unique_ptr<Tape> b;
  ASSERT_OK(OpenTape(name, {}, b));
  std::vector<std::uint8_t> buf(256 << 10);
  ReadResult rr;
  for (int i = 0; i < kAcknowledged; ++i) {
    ASSERT_OK(b->Read(buf, rr));
    ASSERT_EQ(rr.kind, ObjectKind::kRecord) << i;
    ASSERT_EQ(rr.length, 256u << 10) << i;
    ASSERT_EQ(std::memcmp(buf.data(), Pattern(256 << 10, i).data(), buf.size()), 0) << i;
  }
  ASSERT_OK(b->Read(buf, rr));
  EXPECT_EQ(rr.kind, ObjectKind::kFilemark);
  ASSERT_OK(b->Read(buf, rr));
  EXPECT_EQ(rr.kind, ObjectKind::kEndOfData) << "nothing unacknowledged became part of the medium";
  ASSERT_OK(b->Write(Pattern(100, 7)));  // and the cartridge is writable again
  ASSERT_OK(b->Close());
}

}  // namespace
}  // namespace vtape::rados
