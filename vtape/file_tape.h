// The Tape of a file: image (see FORMAT.md for the layout and guarantees).
#pragma once

#include <memory>
#include <string>

#include "vtape/file_image.h"
#include "vtape/tape.h"

namespace vtape {

// Tuning knobs; the defaults are what the backend uses.
struct FileTapeTuning {
  std::uint64_t direct_io_bytes = 64u << 10;      // records this big are read into the caller's buffer
  std::uint64_t read_ahead_bytes = 1u << 20;      // small records are read in chunks this big
  std::uint64_t reserve_chunk_bytes = 16u << 20;  // disk space reserved ahead of the writes
  // The automatic durable point: after this much data or this many objects
  // since the last one (FORMAT.md, "Durability").
  std::uint64_t auto_durable_bytes = 256u << 20;
  std::uint64_t auto_durable_objects = 1u << 20;
};

std::unique_ptr<Tape> NewFileTape(OpenedImage image, const FileTapeTuning& tuning = {});

}  // namespace vtape
