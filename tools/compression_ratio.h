// A medium's compression ratio, for `vtape info --ratio`: what the host wrote
// against what the medium stores, found by reading every record (each
// compressed record says its host length in its first bytes,
// vtape/record_codec.h). Encrypted records hide their host length: they are
// counted apart and left out of the ratio.
#pragma once

#include <cstdint>

#include "vtape/status.h"
#include "vtape/tape.h"

namespace vtape::tool {

struct CompressionTally {
  std::uint64_t records = 0;             // every record, encrypted or not
  std::uint64_t compressed_records = 0;  // stored with a codec (not encrypted)
  std::uint64_t encrypted_records = 0;   // host length unknown: not in the bytes below
  std::uint64_t host_bytes = 0;          // what the host wrote, of the records not encrypted
  std::uint64_t stored_bytes = 0;        // what the medium stores for those records

  // host_bytes / stored_bytes; 1 for a medium without such records.
  double ratio() const {
    return stored_bytes ? static_cast<double>(host_bytes) / static_cast<double>(stored_bytes) : 1.0;
  }
};

// Reads every record of every partition of the loaded `tape` (`partitions`
// of them) from its beginning; the position is left wherever the walk ended.
Status TallyCompression(Tape& tape, std::uint32_t partitions, CompressionTally& out);

}  // namespace vtape::tool
