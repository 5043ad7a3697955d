// The drive's write-behind buffer (DriveConfig::buffer_bytes, vtape/
// buffered_tape.h) through the engine, CDB by CDB: GOOD before the medium has
// the record in buffered mode 1, never in mode 0; errors met later come back as
// deferred errors (sense 71h) with the objects lost in INFORMATION and the
// position after the last object written; every draining command drains before
// it acts; a full buffer makes WRITE wait; early warning and end of medium are
// answered exactly as without a buffer.
//
// The medium under the buffer is fault: -> GateTape -> mem:, primed with one
// write (the buffer holds nothing before the medium took a write). The gate holds the
// writer thread's writes until the test opens it (or grants single writes), so
// what the buffer holds at each step is known without timing.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "drive_harness.h"
#include "ssc_test_util.h"
#include "vtape/buffered_tape.h"
#include "vtape/fault_backend.h"
#include "vtape/forwarding_tape.h"

namespace vtape::ssc::testing {
namespace {

// Holds writes until opened (or until a permit is granted) and logs, in the
// order the medium sees them, the calls that matter for ordering.
class GateTape final : public ForwardingTape {
 public:
  using ForwardingTape::ForwardingTape;

  Status Write(std::span<const std::uint8_t> r) override {
    Pass();
    Log("write " + std::to_string(r.size()));
    return ForwardingTape::Write(r);
  }
  Status WriteFilemarks(std::uint64_t n, bool sync) override {
    Pass();
    Log("weof " + std::to_string(n) + (sync ? " sync" : ""));
    return ForwardingTape::WriteFilemarks(n, sync);
  }
  Status Read(std::span<std::uint8_t> b, ReadResult& r) override {
    Log("read");
    return ForwardingTape::Read(b, r);
  }
  Status Sync() override {
    Log("sync");
    return ForwardingTape::Sync();
  }
  Status Rewind() override {
    Log("rewind");
    return ForwardingTape::Rewind();
  }
  Status Locate(std::uint32_t p, std::uint64_t o, SpaceResult& r) override {
    Log("locate");
    return ForwardingTape::Locate(p, o, r);
  }
  Status SpaceRecords(std::int64_t n, SpaceResult& r) override {
    Log("space");
    return ForwardingTape::SpaceRecords(n, r);
  }
  Status Unload() override {
    Log("unload");
    return ForwardingTape::Unload();
  }
  Status Close() override {
    Log("close");
    return ForwardingTape::Close();
  }

  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Shut() {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  void ClearLog() {
    std::lock_guard lock(mu_);
    log_.clear();
  }
  void Grant(int writes) {
    std::lock_guard lock(mu_);
    permits_ += writes;
    cv_.notify_all();
  }
  std::vector<std::string> log() const {
    std::lock_guard lock(mu_);
    return log_;
  }

 private:
  void Pass() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return open_ || permits_ > 0; });
    if (!open_) --permits_;
  }
  void Log(std::string call) {
    std::lock_guard lock(mu_);
    log_.push_back(std::move(call));
  }
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  int permits_ = 0;
  std::vector<std::string> log_;
};

// 18 bytes of deferred fixed sense (71h, VALID): `info` objects not written.
Bytes ExpectDeferred(std::uint8_t key, std::uint8_t asc, std::uint8_t ascq, std::uint8_t flags,
                     std::int32_t info) {
  Bytes s = ExpectSense(key, asc, ascq, flags, info);
  s[0] = 0xF1;
  return s;
}

// Short READ POSITION: first/last logical object, objects and bytes buffered.
Bytes ShortForm(bool bop, std::uint32_t first, std::uint32_t last, std::uint32_t objects,
                std::uint32_t bytes) {
  Bytes b(20, 0);
  b[0] = bop ? 0x80 : 0;
  Put(b, 4, 4, first);
  Put(b, 8, 4, last);
  Put(b, 13, 3, objects);
  Put(b, 16, 4, bytes);
  return b;
}

class BufferedDrive {
 public:
  // `faults`: fault: rules ("write@2=eio"), "" = none.
  explicit BufferedDrive(std::uint64_t buffer_bytes, const std::string& faults = "",
                         const std::string& medium = "mem:") {
    std::unique_ptr<Tape> mem;
    Status s = OpenTape(medium, {}, mem);
    EXPECT_TRUE(s.ok()) << s.ToString();
    inner_ = std::shared_ptr<Tape>(std::move(mem));
    // The fault rules sit under the gate: a record meant to fail waits at the
    // gate like any other, so the test (not the scheduler) decides whether the
    // error is met before or after the next command is queued.
    auto fault = std::make_unique<FaultTape>(std::make_unique<ForwardingTape>(inner_),
                                             std::vector<FaultRule>{});
    if (!faults.empty()) {
      EXPECT_TRUE(fault->Arm(faults).ok());
    }
    // The gate outlives the drive's medium (a test may close or change it).
    gate_ = std::make_shared<GateTape>(std::unique_ptr<Tape>(std::move(fault)));
    DriveConfig config;
    config.buffer_bytes = buffer_bytes;
    harness_.emplace(std::make_unique<ForwardingTape>(gate_), config);
    harness_->ClearPowerOnAttention();
    // The buffer takes records once the medium has taken one write: prime it
    // (this is write call 1 for the fault rules), then start over at BOP.
    gate_->Open();
    Good(Write6(1), Bytes{0});
    Good(RewindCdb());
    gate_->Shut();
    gate_->ClearLog();
  }
  ~BufferedDrive() { gate_->Open(); }  // before the drive's close waits for it

  DriveHarness& h() { return *harness_; }
  GateTape& gate() { return *gate_; }
  // The medium under every decorator; look only while the buffer is idle.
  Tape& inner() { return *inner_; }
  const BufferedTape& buffer() {
    auto* b = dynamic_cast<const BufferedTape*>(harness_->drive().medium());
    EXPECT_NE(b, nullptr);
    return *b;
  }

  const ScsiResult& Run(Bytes cdb, Bytes data_out = {}, std::size_t data_in = 0) {
    return harness_->Run(std::move(cdb), std::move(data_out), data_in);
  }
  void Good(Bytes cdb, Bytes data_out = {}) {
    Run(std::move(cdb), std::move(data_out));
    EXPECT_EQ(h().status(), kStatusGood) << ::testing::PrintToString(h().sense());
  }
  Bytes ShortPosition() {
    Run(ReadPositionCdb(0x00), {}, 20);
    EXPECT_EQ(h().status(), kStatusGood);
    return h().data();
  }
  Bytes LongPosition() {
    Run(ReadPositionCdb(0x06), {}, 32);
    EXPECT_EQ(h().status(), kStatusGood);
    return h().data();
  }
  void SetBufferedMode(std::uint8_t mode) {
    Good({0x15, 0x10, 0, 0, 4, 0}, Bytes{0, 0, static_cast<std::uint8_t>(mode << 4), 0});
  }
  // Rewinds and reads back records of `sizes` (seeds 1, 2, ...), then EOD.
  void ExpectRecords(const std::vector<std::size_t>& sizes) {
    Good(RewindCdb());
    std::uint8_t seed = 1;
    for (std::size_t size : sizes) {
      Run(Read6(static_cast<std::uint32_t>(size)), {}, size);
      EXPECT_EQ(h().status(), kStatusGood);
      EXPECT_EQ(h().data(), Pattern(size, seed++));
    }
    Run(Read6(10), {}, 10);
    EXPECT_EQ(h().sense(), ExpectSense(0x08, 0x00, 0x05, 0, 10));
  }

 private:
  std::shared_ptr<Tape> inner_;
  std::shared_ptr<GateTape> gate_;
  std::optional<DriveHarness> harness_;
};

TEST(DriveBuffer, BufferedWriteIsGoodBeforeTheMediumHasIt) {
  BufferedDrive d(1 << 20);
  d.Good(Write6(100), Pattern(100, 1));
  d.Good(Write6(200), Pattern(200, 2));
  d.Good(WriteFilemarks6(1, /*immed=*/true));
  // Host side after 3 objects; the medium still at 0; 2 records + 1 mark held.
  EXPECT_EQ(d.ShortPosition(), ShortForm(false, 3, 0, 3, 300));
  EXPECT_EQ(d.gate().log(), std::vector<std::string>{});
  d.gate().Open();
  d.buffer().WaitWritten();
  EXPECT_EQ(d.inner().GetPosition().object, 3u);
  EXPECT_EQ(d.ShortPosition(), ShortForm(false, 3, 3, 0, 0));
  EXPECT_EQ(d.gate().log(), (std::vector<std::string>{"write 100", "write 200", "weof 1"}));
}

TEST(DriveBuffer, UnbufferedModeWritesThroughBeforeGood) {
  BufferedDrive d(1 << 20);
  d.gate().Open();
  d.SetBufferedMode(0);
  d.Good(Write6(100), Pattern(100, 1));
  // No wait: GOOD came after the medium stored and synced the record.
  EXPECT_EQ(d.inner().GetPosition().object, 1u);
  EXPECT_EQ(d.gate().log(), (std::vector<std::string>{"write 100", "sync"}));
  EXPECT_EQ(d.buffer().counters().peak_bytes, 0u);
}

TEST(DriveBuffer, UnbufferedModeErrorIsCurrentNotDeferred) {
  BufferedDrive d(1 << 20, "write@2=eio");
  d.gate().Open();
  d.SetBufferedMode(0);
  d.Run(Write6(100), Pattern(100));
  EXPECT_EQ(d.h().sense(), ExpectSense(0x04, 0x44, 0x00));  // 70h: this command's own error
  d.Good(Tur());
  EXPECT_EQ(d.ShortPosition(), ShortForm(true, 0, 0, 0, 0));
}

TEST(DriveBuffer, IoErrorOnAcknowledgedRecordIsDeferred) {
  BufferedDrive d(1 << 20, "write@3=eio");
  d.Good(Write6(100), Pattern(100, 1));
  d.Good(Write6(100), Pattern(100, 2));
  d.Good(Write6(100), Pattern(100, 3));
  EXPECT_EQ(d.ShortPosition(), ShortForm(false, 3, 0, 3, 300));
  d.gate().Open();
  d.buffer().WaitWritten();
  // Records 2 and 3 are lost: MEDIUM ERROR, WRITE ERROR, INFORMATION 2.
  d.Run(Tur());
  EXPECT_EQ(d.h().sense(), ExpectDeferred(0x03, 0x0C, 0x00, 0, 2));
  EXPECT_EQ(d.ShortPosition(), ShortForm(false, 1, 1, 0, 0));
  d.Good(Tur());  // reported once
  d.ExpectRecords({100});
  // The drive writes again at the medium's position.
  d.Good(Write6(50), Pattern(50, 9));  // at EOD, object 1
  d.Good(WriteFilemarks6(1));
  EXPECT_EQ(d.ShortPosition(), ShortForm(false, 3, 3, 0, 0));
}

TEST(DriveBuffer, FullHostDiskOnAcknowledgedRecordIsDeferredVolumeOverflow) {
  BufferedDrive d(1 << 20, "write@3=enospc");
  d.Good(Write6(100), Pattern(100, 1));
  d.Good(Write6(100), Pattern(100, 2));
  d.Good(WriteFilemarks6(2, /*immed=*/true));
  d.gate().Open();
  d.buffer().WaitWritten();
  d.Run(Tur());
  EXPECT_EQ(d.h().sense(), ExpectDeferred(0x0D, 0x00, 0x02, kEom, 3));
  EXPECT_EQ(d.ShortPosition(), ShortForm(false, 1, 1, 0, 0));
  d.ExpectRecords({100});
}

TEST(DriveBuffer, TornFilemarksCountOnlyTheMarksNotWritten) {
  // tear on weof: 2 of 4 marks written, then an I/O error.
  BufferedDrive d(1 << 20, "weof@1=tear");
  d.Good(Write6(100), Pattern(100, 1));
  d.Good(WriteFilemarks6(4, /*immed=*/true));
  d.Good(Write6(100), Pattern(100, 2));
  d.gate().Open();
  d.buffer().WaitWritten();
  d.Run(Tur());
  EXPECT_EQ(d.h().sense(), ExpectDeferred(0x03, 0x0C, 0x00, 0, 3));
  Bytes pos = d.LongPosition();
  Bytes expected(32, 0);
  Put(expected, 8, 8, 3);   // record + 2 marks
  Put(expected, 16, 8, 2);  // 2 files
  EXPECT_EQ(pos, expected);
}

TEST(DriveBuffer, ErrorMetByADrainAnswersThatCommandAndItIsNotPerformed) {
  BufferedDrive d(1 << 20, "write@3=eio");
  d.gate().Open();
  d.Good(Write6(100), Pattern(100, 1));
  d.Good(Write6(100), Pattern(100, 2));
  // Whether the writer failed before REWIND arrived or while REWIND drained,
  // REWIND answers with the deferred error and does not rewind.
  d.Run(RewindCdb());
  EXPECT_EQ(d.h().sense(), ExpectDeferred(0x03, 0x0C, 0x00, 0, 1));
  EXPECT_EQ(d.ShortPosition(), ShortForm(false, 1, 1, 0, 0));
  d.Good(RewindCdb());
  EXPECT_EQ(d.ShortPosition(), ShortForm(true, 0, 0, 0, 0));
}

TEST(DriveBuffer, InquiryDoesNotConsumeTheDeferredError) {
  BufferedDrive d(1 << 20, "write@2=eio");
  d.Good(Write6(10), Pattern(10, 1));
  d.gate().Open();
  d.buffer().WaitWritten();
  d.Run({0x12, 0, 0, 0, 36, 0}, {}, 36);
  EXPECT_EQ(d.h().status(), kStatusGood);
  d.Run(Tur());
  EXPECT_EQ(d.h().sense(), ExpectDeferred(0x03, 0x0C, 0x00, 0, 1));
}

TEST(DriveBuffer, RequestSenseReturnsThePendingDeferredErrorOnce) {
  BufferedDrive d(1 << 20, "write@3=eio");
  d.Good(Write6(100), Pattern(100, 1));
  d.Good(Write6(100), Pattern(100, 2));
  d.Good(WriteFilemarks6(1, /*immed=*/true));
  d.gate().Open();
  d.buffer().WaitWritten();
  // GOOD status, the deferred error (71h) as the sense data: record 2 and the
  // filemark were acknowledged and are lost.
  d.Run(RequestSenseCdb(18), {}, 18);
  EXPECT_EQ(d.h().status(), kStatusGood);
  EXPECT_EQ(d.h().data(), ExpectDeferred(0x03, 0x0C, 0x00, 0, 2));
  // Consumed: the next REQUEST SENSE and the next command see nothing pending.
  d.Run(RequestSenseCdb(18), {}, 18);
  EXPECT_EQ(d.h().data(), ExpectSense(0x00, 0x00, 0x00));
  d.Good(Tur());
  EXPECT_EQ(d.ShortPosition(), ShortForm(false, 1, 1, 0, 0));
  d.ExpectRecords({100});
}

TEST(DriveBuffer, RequestSenseReturnsADeferredVolumeOverflow) {
  BufferedDrive d(1 << 20, "write@2=enospc");
  d.Good(Write6(64), Pattern(64, 1));
  d.Good(WriteFilemarks6(3, /*immed=*/true));
  d.gate().Open();
  d.buffer().WaitWritten();
  d.Run(RequestSenseCdb(18), {}, 18);
  EXPECT_EQ(d.h().status(), kStatusGood);
  EXPECT_EQ(d.h().data(), ExpectDeferred(0x0D, 0x00, 0x02, kEom, 4));
  d.Good(Tur());
  EXPECT_EQ(d.ShortPosition(), ShortForm(true, 0, 0, 0, 0));
}

TEST(DriveBuffer, RequestSenseWithNothingPendingLeavesTheBufferAlone) {
  BufferedDrive d(1 << 20, "write@3=eio");
  d.Good(Write6(100), Pattern(100, 1));
  d.Good(Write6(100), Pattern(100, 2));
  // The writer has not reached the bad record: no error yet, nothing drained.
  d.Run(RequestSenseCdb(18), {}, 18);
  EXPECT_EQ(d.h().status(), kStatusGood);
  EXPECT_EQ(d.h().data(), ExpectSense(0x00, 0x00, 0x00));
  EXPECT_EQ(d.buffer().buffered().objects, 2u);
  d.gate().Open();
  d.buffer().WaitWritten();
  d.Run(Tur());
  EXPECT_EQ(d.h().sense(), ExpectDeferred(0x03, 0x0C, 0x00, 0, 1));
}

// A unit attention comes first; the deferred error waits for the next command.
TEST(DriveBuffer, UnitAttentionBeforeTheDeferredErrorInRequestSense) {
  std::unique_ptr<Tape> medium;
  ASSERT_TRUE(OpenTape("fault:{write@2=eio}mem:", {}, medium).ok());
  DirectDrive d("");
  d.state().config.buffer_bytes = 1 << 20;
  d.state().InstallMedium(std::move(medium));
  d.Run(Write6(10), Pattern(10, 1));  // through to the medium: it takes writes
  ASSERT_EQ(d.status(), kStatusGood);
  d.Run(Write6(10), Pattern(10, 2));  // buffered, then lost
  ASSERT_EQ(d.status(), kStatusGood);
  d.state().buffer->WaitWritten();
  d.state().unit_attentions.push_back(kAscMediumMayHaveChanged);
  d.Run(RequestSenseCdb(18), {}, 18);
  EXPECT_EQ(d.data(), ExpectSense(0x06, 0x28, 0x00));
  d.Run(RequestSenseCdb(18), {}, 18);
  EXPECT_EQ(d.status(), kStatusGood);
  EXPECT_EQ(d.data(), ExpectDeferred(0x03, 0x0C, 0x00, 0, 1));
  d.Run(RequestSenseCdb(18), {}, 18);
  EXPECT_EQ(d.data(), ExpectSense(0x00, 0x00, 0x00));
}

// Runs `cdb` while the gate holds the two buffered records: the command must
// wait for the buffer (it cannot finish before the gate opens), then act.
struct DrainCase {
  const char* name;
  Bytes cdb;
  std::size_t data_in = 0;
  bool mode0_write = false;  // the command is a WRITE in buffered mode 0
};

class DrainPoint : public ::testing::TestWithParam<DrainCase> {};

TEST_P(DrainPoint, WaitsForTheBufferThenActs) {
  const DrainCase& c = GetParam();
  BufferedDrive d(1 << 20);
  d.Good(Write6(100), Pattern(100, 1));
  d.Good(Write6(200), Pattern(200, 2));
  Bytes data_out;
  if (c.mode0_write) {
    d.SetBufferedMode(0);
    data_out = Pattern(300, 3);
  }
  std::atomic<bool> done{false};
  std::thread command([&] {
    d.Run(c.cdb, data_out, c.data_in);
    done = true;
  });
  while (!done && d.buffer().counters().drains_waited == 0) std::this_thread::yield();
  EXPECT_FALSE(done) << c.name << " finished without waiting for the buffer";
  d.gate().Open();
  command.join();
  std::vector<std::string> log = d.gate().log();
  ASSERT_GE(log.size(), 3u) << c.name;
  EXPECT_EQ(log[0], "write 100");
  EXPECT_EQ(log[1], "write 200");
}

INSTANTIATE_TEST_SUITE_P(Commands, DrainPoint,
                         ::testing::Values(DrainCase{"rewind", RewindCdb()},
                                           DrainCase{"locate", Locate10(0)},
                                           DrainCase{"space", Space6(0, -1)},
                                           DrainCase{"read", Read6(10), 10},
                                           DrainCase{"weof immed=0", WriteFilemarks6(1)},
                                           DrainCase{"weof 0 (flush)", WriteFilemarks6(0)},
                                           DrainCase{"unload", LoadUnload(0x00)},
                                           DrainCase{"mode 0 write", Write6(300), 0, true}),
                         [](const auto& info) {
                           std::string n = info.param.name;
                           for (char& ch : n)
                             ch = std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           return n;
                         });

TEST(DriveBuffer, DrainPointsLeaveExactPositionsAndData) {
  BufferedDrive d(1 << 20);
  d.gate().Open();
  d.Good(Write6(100), Pattern(100, 1));
  d.Good(Write6(200), Pattern(200, 2));
  d.Good(Space6(0, -1));  // back over record 2
  EXPECT_EQ(d.ShortPosition(), ShortForm(false, 1, 1, 0, 0));
  d.Run(Read6(200), {}, 200);
  EXPECT_EQ(d.h().data(), Pattern(200, 2));
  d.Good(Space6(0, -1));
  d.Good(Write6(300), Pattern(300, 3));  // replaces record 2
  d.Good(WriteFilemarks6(1, /*immed=*/true));
  d.Good(Locate10(1));
  EXPECT_EQ(d.ShortPosition(), ShortForm(false, 1, 1, 0, 0));
  d.Good(Locate10(0));
  d.Run(Read6(100), {}, 100);
  EXPECT_EQ(d.h().data(), Pattern(100, 1));
  d.Run(Read6(300), {}, 300);
  EXPECT_EQ(d.h().data(), Pattern(300, 3));
  d.Run(Read6(300), {}, 300);
  EXPECT_EQ(d.h().sense(), ExpectSense(0x00, 0x00, 0x01, kFm, 300));
  EXPECT_EQ(d.ShortPosition(), ShortForm(false, 3, 3, 0, 0));
}

TEST(DriveBuffer, MediaChangeClosesTheMediumAfterWritingTheBufferOut) {
  BufferedDrive d(1 << 20);
  d.Good(Write6(100), Pattern(100, 1));
  d.Good(WriteFilemarks6(1, /*immed=*/true));
  EXPECT_EQ(d.inner().GetPosition().object, 0u);
  const BufferedTape& buffer = d.buffer();  // valid until the change completes
  std::thread change([&] { (void)d.h().drive().ChangeMedium(nullptr); });
  // The change cannot complete while the gate holds the buffer.
  while (buffer.counters().drains_waited == 0) std::this_thread::yield();
  d.gate().Open();
  change.join();
  EXPECT_EQ(d.gate().log(), (std::vector<std::string>{"write 100", "weof 1", "close"}));
}

TEST(DriveBuffer, FullBufferMakesWriteWait) {
  BufferedDrive d(1000);
  d.Good(Write6(400), Pattern(400, 1));
  d.Good(Write6(400), Pattern(400, 2));
  std::atomic<bool> done{false};
  std::thread third([&] {
    d.Good(Write6(400), Pattern(400, 3));
    done = true;
  });
  while (!done && d.buffer().counters().waits_for_room == 0) std::this_thread::yield();
  EXPECT_FALSE(done) << "a third 400-byte record fit in a 1000-byte buffer";
  d.gate().Grant(1);  // the medium takes record 1: room for record 3
  third.join();
  EXPECT_EQ(d.buffer().buffered().bytes, 800u);
  EXPECT_EQ(d.buffer().counters().peak_bytes, 800u);
  // A slow medium and a fast initiator: memory stays within the buffer.
  std::thread slow([&] {
    for (int i = 0; i < 40; ++i) d.gate().Grant(1);
  });
  for (std::uint8_t seed = 4; seed <= 40; ++seed) d.Good(Write6(400), Pattern(400, seed));
  slow.join();
  d.gate().Open();
  EXPECT_LE(d.buffer().counters().peak_bytes, 1000u);
  std::vector<std::size_t> sizes(40, 400);
  d.ExpectRecords(sizes);
}

TEST(DriveBuffer, RecordLargerThanTheBufferGoesStraightToTheMedium) {
  BufferedDrive d(100);
  d.gate().Open();
  d.Good(Write6(50), Pattern(50, 1));
  d.Good(Write6(500), Pattern(500, 2));
  EXPECT_EQ(d.buffer().counters().peak_bytes, 50u);
  d.ExpectRecords({50, 500});
}

TEST(DriveBuffer, DeviceConfigurationPageReportsSynchronizeAtEarlyWarning) {
  for (std::uint64_t buffer : {0u, 4096u}) {
    BufferedDrive d(buffer);
    d.Run({0x1A, 0x08, 0x10, 0, 255, 0}, {}, 255);  // MODE SENSE(6), DBD, page 10h
    ASSERT_EQ(d.h().status(), kStatusGood);
    Bytes data = d.h().data();
    ASSERT_EQ(data.size(), 4u + 16u);
    EXPECT_EQ(data[4], 0x10);
    EXPECT_EQ(data[4 + 10], buffer != 0 ? 0x18 : 0x10) << "EEG, and SEW with a buffer";
  }
}

// Early warning and end of medium: the same answers, command by command, as a
// drive without a buffer (the buffer reserves capacity as it accepts).
std::vector<Bytes> EndOfMediumScript(std::uint64_t buffer_bytes) {
  BufferedDrive d(buffer_bytes, "", "mem:capacity=40000,early_warning=10000");
  d.gate().Open();
  std::vector<Bytes> answers;
  for (int i = 0; i < 50; ++i) {
    d.Run(Write6(1000), Pattern(1000, static_cast<std::uint8_t>(i)));
    answers.push_back(d.h().sense());
    answers.push_back(d.LongPosition());
    if (i % 7 == 3) {
      d.Run(WriteFilemarks6(1, /*immed=*/true));
      answers.push_back(d.h().sense());
    }
  }
  return answers;
}

TEST(DriveBuffer, EarlyWarningAndEndOfMediumAsWithoutBuffer) {
  std::vector<Bytes> plain = EndOfMediumScript(0);
  std::vector<Bytes> buffered = EndOfMediumScript(8000);
  EXPECT_EQ(buffered, plain);
  // The script reached both: an EW (NO SENSE, EOM) and a VOLUME OVERFLOW answer.
  EXPECT_NE(std::find(plain.begin(), plain.end(), ExpectSense(0x00, 0x00, 0x02, kEom, 0)),
            plain.end());
  EXPECT_NE(std::find(plain.begin(), plain.end(), ExpectSense(0x0D, 0x00, 0x02, kEom, 1000)),
            plain.end());
}

}  // namespace
}  // namespace vtape::ssc::testing
