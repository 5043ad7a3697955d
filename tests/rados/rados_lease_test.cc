// rados:{lease=SEC}: the writer's lock as a lease. A live writer keeps renewing it;
// a frozen gateway's lease runs out, the next writer takes the cartridge over and
// fences (blocklists) the old one, whose writes then fail and never reach the medium.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "rados/connection.h"
#include "rados/layout.h"
#include "rados/spec.h"
#include "tests/rados/cluster.h"
#include "tests/vtape/conformance_util.h"
#include "vtape/registry.h"

namespace vtape::rados {
namespace {

using conformance::Pattern;
using namespace std::chrono_literals;

constexpr unsigned kLease = 3;

std::string WithLease(std::string name) {
  return name.insert(std::strlen("rados:{"), "lease=" + std::to_string(kLease) + ",");
}

CreateOptions Small() {
  CreateOptions o;
  o.barcode = "LEASE1L8";
  o.capacity_bytes = 1ull << 30;
  return o;
}

// tests/rados/lease_writer.cc as a child process, talked to over two pipes.
class LeaseWriter {
 public:
  explicit LeaseWriter(const std::string& name) {
    int in[2], out[2];
    EXPECT_EQ(pipe(in), 0);
    EXPECT_EQ(pipe(out), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      execl(VTAPE_LEASE_WRITER_PATH, VTAPE_LEASE_WRITER_PATH, name.c_str(), nullptr);
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_ = fdopen(in[1], "w");
    from_ = fdopen(out[0], "r");
  }
  ~LeaseWriter() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    fclose(to_);
    fclose(from_);
  }
  std::string Line() {
    char buf[1024] = {};
    if (!fgets(buf, sizeof buf, from_)) return "(no line: the writer exited)";
    std::string s(buf);
    if (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }
  void Go() {
    fputs("go\n", to_);
    fflush(to_);
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  FILE* to_ = nullptr;
  FILE* from_ = nullptr;
};

std::string WriterRecord(const std::string& name) {
  RadosSpec spec;
  EXPECT_TRUE(ParseRadosName(std::string_view(name).substr(6), spec).ok());
  Connection conn;
  EXPECT_TRUE(conn.Connect(spec).ok());
  char value[512];
  int n = rados_getxattr(conn.io(), spec.name.c_str(), kWriterXattr, value, sizeof value);
  return n > 0 ? std::string(value, n) : std::string();
}

std::string Blocklist() {
  std::string out;
  std::string cmd = "ceph -c " + test::StartCluster().conf +
                    " --connect-timeout 15 osd blocklist ls 2>/dev/null";
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) return out;
  char buf[512];
  while (fgets(buf, sizeof buf, f)) out += buf;
  pclose(f);
  return out;
}

TEST(RadosLease, LiveWriterKeepsTheCartridgePastItsLease) {
  std::string name = WithLease(test::FreshName("lease-live"));
  ASSERT_OK(CreateTape(name, Small()));
  std::unique_ptr<Tape> a, b;
  ASSERT_OK(OpenTape(name, {}, a));
  std::this_thread::sleep_for(std::chrono::seconds(2 * kLease));
  Status s = OpenTape(name, {}, b);
  EXPECT_EQ(s.code(), Code::kBusy) << s.ToString();
  ASSERT_OK(a->Write(Pattern(100, 1)));
  ASSERT_OK(a->WriteFilemarks(1, true));
  ASSERT_OK(a->Close());
  EXPECT_EQ(WriterRecord(name), "") << "a clean close leaves no writer to fence";
  ASSERT_OK(OpenTape(name, {}, b));
  ASSERT_OK(b->Close());
}

TEST(RadosLease, FrozenWriterLosesTheCartridgeAndIsFenced) {
  std::string name = WithLease(test::FreshName("lease-frozen"));
  ASSERT_OK(CreateTape(name, Small()));
  LeaseWriter old_writer(name);
  ASSERT_EQ(old_writer.Line(), "ready");
  const std::string record = WriterRecord(name);
  const std::string address = record.substr(0, record.find(' '));
  ASSERT_NE(address, "");
  EXPECT_EQ(record.substr(record.rfind(' ') + 1), std::to_string(kLease)) << record;
  std::unique_ptr<Tape> next;
  EXPECT_EQ(OpenTape(name, {}, next).code(), Code::kBusy) << "not while it renews";
  ASSERT_EQ(kill(old_writer.pid(), SIGSTOP), 0);  // the gateway hangs
  std::this_thread::sleep_for(std::chrono::seconds(kLease + 2));
  ASSERT_OK(OpenTape(name, {}, next));
  EXPECT_NE(Blocklist().find(address), std::string::npos) << "fenced before it could write";
  ASSERT_EQ(kill(old_writer.pid(), SIGCONT), 0);
  old_writer.Go();
  std::string answer = old_writer.Line();
  EXPECT_NE(answer.find("write: "), std::string::npos) << answer;
  EXPECT_EQ(answer.find("write: ok"), std::string::npos) << answer;
  // The medium: the old writer's acknowledged record and filemark, nothing of the rest.
  std::vector<std::uint8_t> buf(10000);
  ReadResult rr;
  ASSERT_OK(next->Read(buf, rr));
  ASSERT_EQ(rr.kind, ObjectKind::kRecord);
  EXPECT_EQ(rr.length, 1000u);
  EXPECT_EQ(std::vector<std::uint8_t>(buf.begin(), buf.begin() + 1000),
            std::vector<std::uint8_t>(1000, 0x11));
  ASSERT_OK(next->Read(buf, rr));
  EXPECT_EQ(rr.kind, ObjectKind::kFilemark);
  ASSERT_OK(next->Read(buf, rr));
  EXPECT_EQ(rr.kind, ObjectKind::kEndOfData);
  ASSERT_OK(next->Write(Pattern(10, 3)));
  ASSERT_OK(next->Close());
}

}  // namespace
}  // namespace vtape::rados
