// Optional capability: media with more than one partition (SSC's partitioned
// media, as LTFS needs). A backend that offers it answers Tape::partitions()
// with an object that lives as long as the Tape; a backend with one partition
// only answers nullptr and stays small (SQLite's optional VFS methods).
//
// The positioning calls of Tape already take a partition number; this adds
// what only a partitioned medium has: how many partitions the medium may hold,
// re-partitioning, and the figures of each partition.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vtape/status.h"

namespace vtape {

class Tape;

// The most partitions any backend supports (LTO-7 and later drives).
inline constexpr std::uint32_t kMaxPartitions = 4;

// One partition's shape and contents.
struct PartitionInfo {
  std::uint64_t capacity_bytes = 0;       // its hard end (0: the medium's end, unlimited)
  std::uint64_t early_warning_bytes = 0;  // the early-warning point lies this far before its end
  std::uint64_t used_bytes = 0;           // bytes used up to its EOD
  std::uint64_t records = 0;              // records up to its EOD
  std::uint64_t filemarks = 0;            // filemarks up to its EOD
  std::uint64_t eod_object = 0;           // logical object number of its EOD (records + filemarks)
};

class Partitioned {
 public:
  virtual ~Partitioned() = default;

  // How many partitions this medium may be formatted into (1..kMaxPartitions):
  // 2 for LTO-5/6 media, 4 for LTO-7 and later (media.h).
  virtual std::uint32_t MaxPartitions() const = 0;
  // Re-partitions the medium into partitions of the given sizes in bytes (the
  // last may be 0 = the rest of the medium). Every object on the medium is
  // lost, and the MAM attributes of every partition but 0 (partition 0's
  // describe the cartridge and stay); the position is BOP of partition 0. Fails with
  // kInvalidArgument when the count exceeds MaxPartitions() or the sizes exceed the capacity,
  // kWriteProtected, kNotLoaded. Atomic where the medium is durable: after a crash the medium has
  // either its old layout and data or the new empty partitions.
  virtual Status FormatPartitions(std::span<const std::uint64_t> sizes) = 0;
  // The figures of partition `partition` (< MediumInfo::partitions), else
  // kInvalidArgument.
  virtual Status GetPartitionInfo(std::uint32_t partition, PartitionInfo& info) const = 0;
};

// The rule every FormatPartitions (and FORMAT MEDIUM's page 11h sizes)
// applies: 1..`most` sizes, at most one of them 0 (the rest, as SSC's FFFFh),
// and together they fit `capacity_bytes` with a byte left for the rest. `bytes` gets the
// sizes with the rest resolved; kInvalidArgument naming `media_type` otherwise.
Status ResolvePartitionSizes(std::span<const std::uint64_t> sizes, std::uint64_t capacity_bytes,
                             std::uint32_t most, const std::string& media_type,
                             std::vector<std::uint64_t>& bytes);

// Re-partitions `tape`, or kUnsupported when it has no partitions capability.
Status FormatPartitions(Tape& tape, std::span<const std::uint64_t> sizes);

}  // namespace vtape
