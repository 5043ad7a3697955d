// The checker of the power-loss trials: opens a crash state's image the way
// a drive would after power returns, and judges what it holds.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "tests/powerloss/workload.h"

namespace vtape::powerloss {

struct Outcome {
  bool pass = false;
  bool opened = false;  // the image opened and was read (worth a `vtape verify`)
  std::string message;
};

// Opens `image` for writing (the file: backend recovers on open), reads it all
// back and judges it (workload.h: Judge) as a crash state whose last ack mark
// is `ack` (nullopt: before the first ack, when the image may not exist yet);
// then closes, reopens read-only and expects the same tape again. `acks` is
// the writer's ack log, checked against the model.
Outcome CheckImage(const std::string& image, const std::string& acks, const Workload& w,
                   std::optional<std::size_t> ack);

// "none" or a number.
bool ParseAck(const std::string& text, std::optional<std::size_t>& ack);

}  // namespace vtape::powerloss
