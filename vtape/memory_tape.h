// A tape held in memory: the `mem:` backend (data kept, for tests and fuzzing)
// and the `null:` backend (only the layout kept: record lengths and filemarks,
// reads return zero-filled records, so it is the ceiling of any data path).
//
// Names: mem:[OPTIONS] and null:[OPTIONS], OPTIONS a comma list of
//   capacity=BYTES  early_warning=BYTES  write_protected=0|1  barcode=LABEL
//   media=LTO-8  partitions=N
// Every open starts an empty medium; nothing persists past Close.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "vtape/registry.h"
#include "vtape/tape.h"

namespace vtape {

struct MemoryTapeOptions {
  bool keep_data = true;
  MediumInfo medium;  // label and shape; counters are derived
};

// Parses the OPTIONS of a mem:/null: name into `options.medium`.
Status ParseMemoryTapeOptions(std::string_view rest, MemoryTapeOptions& options);

std::unique_ptr<Tape> NewMemoryTape(const MemoryTapeOptions& options);

std::unique_ptr<Backend> MakeMemBackend();
std::unique_ptr<Backend> MakeNullBackend();

}  // namespace vtape
