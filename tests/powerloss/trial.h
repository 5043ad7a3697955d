// The replay half of a power-loss trial: every crash point of a dm-log-writes
// log, replayed, mounted and checked, in one process (no exec per point).
#pragma once

#include <cstdint>
#include <string>

#include "tests/powerloss/workload.h"

namespace vtape::powerloss {

struct TrialOptions {
  std::string log;     // the dm-log-writes log device's contents
  std::string base;    // the data device as it was when logging started
  std::string dir;     // scratch directory (tmpfs): replay.img, check.img, chk/
  std::string fstype;  // what to mount ("ext4", "xfs")
  std::string acks;    // the writer's ack log
  std::string verify;  // the `vtape` binary; empty: no `vtape verify`
  std::uint64_t verify_every = 8;
  std::uint64_t max_points = 0;  // 0: every crash point
  // Also the states between flushes: the log up to any write entry (writes not
  // yet flushed reach the disk in some order; the log has them in completion order).
  bool every_entry = false;
  // At each FLUSH point checked, this many more states: everything before the
  // writes that FLUSH covered (they completed before it was issued, in any
  // order) plus a random subset of them, a quarter of those torn after a
  // random number of sectors.
  std::uint64_t reorder = 0;
};

// A crash point is the log up to and including a FLUSH, FUA or MARK entry
// (with every_entry: any entry).
// With max_points, every ack MARK is kept and the rest is a seed-chosen sample.
// Prints "PASS: ..." / "FAIL: ..." per point and finally "N passed, M failed";
// returns the number failed (or 1 when the log cannot be read).
std::uint64_t RunTrial(const TrialOptions& options, const Workload& w);

}  // namespace vtape::powerloss
