// The loaded medium's partitions as the drive reports them (page 11h, log page
// 17h, attributes 0000h/0001h) and the capacity SET CAPACITY scaled it to.
// Media without the partitions capability (vtape/partitions.h) are one
// partition of the medium's capacity.
#pragma once

#include <cstdint>
#include <vector>

#include "vtape/tape.h"

namespace vtape::ssc {

struct MediumLayout {
  std::uint32_t max_partitions = 1;  // what the medium may be formatted into
  // One per partition: capacity_bytes resolved (never 0), used_bytes, EOD.
  std::vector<PartitionInfo> partitions;
  std::uint64_t capacity_bytes = 0;  // the medium's nominal capacity (MediumInfo)
};

// The layout of `tape`; kNotLoaded etc. from the medium.
Status ReadMediumLayout(const Tape& tape, MediumLayout& layout);

// SET CAPACITY's proportion (SSC-4 7.5: the usable share of the medium, in
// 1/FFFFh), kept in the medium's attribute store under a device vendor-specific
// attribute (which hosts cannot write). FFFFh when never set or when the medium
// has no attribute store.
inline constexpr std::uint16_t kCapacityProportionAttribute = 0x0C00;
std::uint16_t CapacityProportion(const Tape& tape);
Status SetCapacityProportion(Tape& tape, std::uint16_t proportion);

// The capacity FORMAT MEDIUM divides: the nominal capacity scaled by the
// proportion.
std::uint64_t ScaledCapacity(const Tape& tape, std::uint64_t nominal_bytes);

}  // namespace vtape::ssc
