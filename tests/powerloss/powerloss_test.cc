// Native tests of the power-loss trials' parts: the judge must accept exactly
// the states a power cut may leave, the log reader must replay the kernel's
// layout, and the writer and checker must agree on an undamaged medium and
// disagree on a damaged one. (The trials themselves run in the VM:
// tests/powerloss/run.sh.)
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <tuple>

#include <gtest/gtest.h>

#include "tests/powerloss/checker.h"
#include "tests/powerloss/log_writes.h"
#include "tests/powerloss/workload.h"
#include "tests/powerloss/writer.h"
#include "tests/vtape/file_test_util.h"
#include "vtape/little_endian.h"

namespace vtape::powerloss {
namespace {

using vtape::testing::ScratchDir;

// The first `n` objects of `state` as a reader would get them back.
std::vector<ReadBack> Materialise(const Workload& w, const Content& state, std::size_t n) {
  static std::map<std::tuple<std::uint64_t, std::uint32_t, std::size_t, std::uint32_t>,
                  std::vector<std::uint8_t>>
      records;  // the tests ask for the same records again and again
  std::vector<ReadBack> out;
  for (std::size_t i = 0; i < n && i < state.size(); ++i) {
    if (state[i].filemark) {
      out.push_back({true, {}});
      continue;
    }
    auto key = std::make_tuple(w.seed(), state[i].op, i, state[i].length);
    auto it = records.find(key);
    if (it == records.end()) {
      it = records.emplace(key, RecordBytes(w.seed(), state[i].op, i, state[i].length)).first;
    }
    out.push_back({false, it->second});
  }
  return out;
}

// The window of ack k: states lo..hi, and the objects no op in it discarded.
struct Window {
  std::size_t lo, hi, protect;
};
Window WindowOf(const Workload& w, std::size_t k) {
  Window win{w.ack_states()[k], 0, 0};
  win.hi = k + 1 < w.ack_states().size() ? w.ack_states()[k + 1] : w.states().size() - 1;
  win.protect = w.states()[win.lo].size();
  for (std::size_t i = win.lo; i < win.hi; ++i) {
    if (w.ops()[i].truncates())
      win.protect = std::min<std::size_t>(win.protect, w.ops()[i].locate_to);
  }
  return win;
}

TEST(Workload, IsDeterministicAndCoversEveryKind) {
  Workload a(42, 200), b(42, 200);
  ASSERT_EQ(a.ops().size(), 200u);
  ASSERT_EQ(a.states().size(), 201u);
  EXPECT_EQ(a.states(), b.states());
  EXPECT_EQ(a.ack_states(), b.ack_states());
  EXPECT_EQ(a.ack_states().front(), 0u);
  EXPECT_EQ(a.ack_states().back(), 200u);
  std::set<OpKind> kinds;
  for (const Op& op : a.ops()) kinds.insert(op.kind);
  EXPECT_EQ(kinds.size(), 10u);
  EXPECT_EQ(RecordBytes(1, 2, 3, 100), RecordBytes(1, 2, 3, 100));
  EXPECT_NE(RecordBytes(1, 2, 3, 100), RecordBytes(1, 5, 3, 100));
}

TEST(Judge, AcceptsEveryAcknowledgedStateAndEveryStateInItsWindow) {
  Workload w(7, 60);
  for (std::size_t k = 0; k < w.ack_states().size(); ++k) {
    Window win = WindowOf(w, k);
    for (std::size_t t = win.lo; t <= win.hi; ++t) {
      const Content& state = w.states()[t];
      for (std::size_t n :
           {win.protect, win.protect + 1, (win.protect + state.size()) / 2, state.size()}) {
        if (n > state.size()) continue;
        Verdict v = Judge(w, k, Materialise(w, state, n));
        EXPECT_TRUE(v.ok) << "ack " << k << " state " << t << " prefix " << n << ": " << v.reason;
      }
    }
  }
}

TEST(Judge, RejectsAMissingAcknowledgedObject) {
  Workload w(7, 60);
  int tried = 0;
  for (std::size_t k = 1; k < w.ack_states().size(); ++k) {
    Window win = WindowOf(w, k);
    if (win.protect == 0) continue;
    Verdict v = Judge(w, k, Materialise(w, w.states()[win.lo], win.protect - 1));
    EXPECT_FALSE(v.ok) << "ack " << k;
    EXPECT_NE(v.reason.find("acknowledged object " + std::to_string(win.protect - 1)),
              std::string::npos)
        << v.reason;
    ++tried;
  }
  EXPECT_GT(tried, 10);
}

TEST(Judge, RejectsAWrongRecordAnywhere) {
  Workload w(7, 60);
  std::size_t k = w.ack_states().size() - 1;
  auto state = Materialise(w, w.states().back(), w.states().back().size());
  for (std::size_t i = 0; i < state.size(); ++i) {
    if (state[i].filemark) continue;
    auto bad = state;
    bad[i].bytes.back() ^= 1;
    EXPECT_FALSE(Judge(w, k, bad).ok) << "flipped a bit of object " << i;
    bad.resize(i + 1);  // even as the last object of an unacknowledged tail
    EXPECT_FALSE(Judge(w, k > 0 ? k - 1 : 0, bad).ok) << "object " << i;
  }
  auto extra = state;
  extra.push_back({false, RecordBytes(w.seed(), 9999, state.size(), 10)});
  EXPECT_FALSE(Judge(w, k, extra).ok) << "a record nobody wrote";
}

TEST(Judge, RejectsOldRecordsSplicedAfterAnOverwrite) {
  Workload w(7, 200);
  int tried = 0;
  for (std::size_t i = 0; i < w.ops().size(); ++i) {
    const Op& op = w.ops()[i];
    const Content& before = w.states()[i];
    const Content& after = w.states()[i + 1];
    if (!op.truncates() || op.locate_to + 1 >= before.size() || op.records.empty()) continue;
    // New object at locate_to, then the old object that followed it before.
    auto spliced = Materialise(w, after, op.locate_to + 1);
    auto old = Materialise(w, before, op.locate_to + 2);
    spliced.push_back(old.back());
    std::size_t k = 0;
    while (k + 1 < w.ack_states().size() && w.ack_states()[k + 1] <= i) ++k;
    EXPECT_FALSE(Judge(w, k, spliced).ok) << "op " << i << " overwrote at " << op.locate_to;
    ++tried;
  }
  EXPECT_GT(tried, 3);
}

TEST(Judge, AttributeMustHoldItsAcknowledgedValueOrALaterOne) {
  Workload w(7, 200);
  int tried = 0;
  for (std::size_t k = 0; k < w.ack_states().size(); ++k) {
    Window win = WindowOf(w, k);
    for (std::size_t t = win.lo; t <= win.hi; ++t) {
      EXPECT_TRUE(JudgeAttribute(w, k, w.attributes()[t]).ok) << "ack " << k << " state " << t;
    }
    // A value from before the acknowledged one is lost data.
    for (std::size_t t = 0; t < win.lo; ++t) {
      if (w.attributes()[t] == w.attributes()[win.lo]) continue;
      bool later = false;
      for (std::size_t u = win.lo; u <= win.hi; ++u)
        later |= w.attributes()[u] == w.attributes()[t];
      if (later) continue;
      EXPECT_FALSE(JudgeAttribute(w, k, w.attributes()[t]).ok) << "ack " << k << " state " << t;
      ++tried;
    }
  }
  EXPECT_GT(tried, 10);
}

// A log as drivers/md/dm-log-writes.c lays it out: a write, a flush, a mark, a discard.
TEST(LogReader, ListsAndReplaysTheKernelLayout) {
  ScratchDir dir;
  constexpr std::uint32_t kSector = 512;
  std::vector<std::uint8_t> log(kSector * 8, 0);
  Put64(log.data(), kLogMagic);
  Put64(log.data() + 8, 1);
  Put64(log.data() + 16, 4);
  Put32(log.data() + 24, kSector);
  std::uint8_t* e = log.data() + kSector;  // entry 0: 2 blocks at block 2
  Put64(e, 2), Put64(e + 8, 2), Put64(e + 16, 0), Put64(e + 24, 0);
  for (std::uint32_t i = 0; i < 2 * kSector; ++i)
    e[kSector + i] = static_cast<std::uint8_t>(i * 7 + 1);
  e = log.data() + 4 * kSector;  // entry 1: a bare flush
  Put64(e + 16, kLogFlush);
  e = log.data() + 5 * kSector;  // entry 2: mark "ack-0"
  Put64(e + 16, kLogMark), Put64(e + 24, 5);
  std::memcpy(e + 32, "ack-0", 5);
  e = log.data() + 6 * kSector;  // entry 3: discard block 2
  Put64(e, 2), Put64(e + 8, 1), Put64(e + 16, kLogDiscard);
  std::string log_path = dir.File("log"), target = dir.File("target");
  vtape::testing::WriteWholeFile(log_path, log, log.size());
  vtape::testing::WriteWholeFile(target, std::vector<std::uint8_t>(kSector * 4, 0xAA), kSector * 4);

  LogReader reader;
  std::string error;
  ASSERT_TRUE(reader.Open(log_path, error)) << error;
  EXPECT_EQ(reader.sectorsize(), kSector);
  EXPECT_EQ(reader.entries(), 4u);
  std::vector<LogEntry> entries;
  LogEntry entry;
  while (reader.Next(entry, error)) entries.push_back(entry);
  ASSERT_EQ(error, "");
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].offset, kSector);
  EXPECT_EQ(entries[1].offset, 4 * kSector);
  EXPECT_EQ(entries[1].FlagNames(), "FLUSH");
  EXPECT_EQ(entries[2].offset, 5 * kSector);
  EXPECT_EQ(entries[2].mark, "ack-0");
  EXPECT_EQ(entries[3].offset, 6 * kSector);
  EXPECT_EQ(entries[3].FlagNames(), "DISCARD");

  int fd = ::open(target.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(reader.Apply(entries[0], fd, error, 1)) << error;  // torn after one sector
  auto torn = vtape::testing::ReadWholeFile(target);
  EXPECT_TRUE(std::equal(torn.begin() + 2 * kSector, torn.begin() + 3 * kSector,
                         log.begin() + 2 * kSector));
  EXPECT_EQ(torn[3 * kSector], 0xAA) << "the second sector was not written";
  ASSERT_TRUE(reader.Apply(entries[0], fd, error)) << error;
  auto bytes = vtape::testing::ReadWholeFile(target);
  EXPECT_EQ(bytes[2 * kSector - 1], 0xAA);
  EXPECT_TRUE(std::equal(bytes.begin() + 2 * kSector, bytes.end(), log.begin() + 2 * kSector));
  for (std::size_t i = 1; i < 4; ++i) ASSERT_TRUE(reader.Apply(entries[i], fd, error)) << error;
  ::close(fd);
  bytes = vtape::testing::ReadWholeFile(target);
  EXPECT_TRUE(std::all_of(bytes.begin() + 2 * kSector, bytes.begin() + 3 * kSector,
                          [](std::uint8_t b) { return b == 0; }))
      << "the discarded block reads as zeros";
  EXPECT_TRUE(std::equal(bytes.begin() + 3 * kSector, bytes.end(), log.begin() + 3 * kSector));

  Put64(log.data(), kLogMagic + 1);
  vtape::testing::WriteWholeFile(log_path, log, log.size());
  LogReader wrong;
  EXPECT_FALSE(wrong.Open(log_path, error));
  EXPECT_NE(error.find("not a dm-log-writes log"), std::string::npos) << error;
}

TEST(WriterAndChecker, AgreeOnAnUndamagedMediumAndCatchADamagedRecord) {
  ScratchDir dir;
  Workload w(3, 40);
  std::string image = dir.File("tape.img"), acks = dir.File("acks");
  ASSERT_EQ(Writer(image, acks, "", w).Run(), 0);
  std::size_t last = w.ack_states().size() - 1;
  Outcome o = CheckImage(image, acks, w, last);
  EXPECT_TRUE(o.pass) << o.message;
  EXPECT_TRUE(o.opened);
  // An earlier ack's window ends before the last ops: their records are wrong there
  // unless the tape happens to end the same way.
  if (w.states()[WindowOf(w, last - 2).hi] != w.states().back()) {
    EXPECT_FALSE(CheckImage(image, acks, w, last - 2).pass);
  }
  // Damage a payload byte of the first record: CRC on read, a MEDIUM ERROR, a failed check.
  auto bytes = vtape::testing::ReadWholeFile(image);
  bytes[65536 + 32 + 3] ^= 0x40;
  vtape::testing::WriteWholeFile(image, bytes, bytes.size());
  o = CheckImage(image, acks, w, last);
  EXPECT_FALSE(o.pass);
  EXPECT_NE(o.message.find("read of object 0"), std::string::npos) << o.message;
}

}  // namespace
}  // namespace vtape::powerloss
