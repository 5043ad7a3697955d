// The writer of the power-loss trials: performs a workload (workload.h) on a
// new file: medium and records every acknowledged durable point.
#pragma once

#include <memory>
#include <string>

#include "tests/powerloss/workload.h"
#include "vtape/status.h"
#include "vtape/tape.h"

namespace vtape::powerloss {

class Writer {
 public:
  // `acks`: the ack log, on another file system than `image`. `dm`: the
  // dm-log-writes device to mark (empty: none).
  Writer(std::string image, std::string acks, std::string dm, const Workload& w)
      : image_(std::move(image)), acks_(std::move(acks)), dm_(std::move(dm)), w_(w) {}

  // Creates file:IMAGE and performs every op, then closes. After each
  // acknowledged durable point K it appends "ack K state I" to the ack log
  // (fsync'ed) and drops the mark "ack-K" (dmsetup message DM 0 mark ack-K).
  // 0 on success; 1 (with a message on stderr) when any step fails.
  int Run();

 private:
  bool Check(const Status& s, const std::string& what);
  bool Perform(std::size_t op);
  bool Ack(std::size_t k);

  std::string image_, acks_, dm_;
  const Workload& w_;
  std::unique_ptr<Tape> tape_;
};

}  // namespace vtape::powerloss
