// The medium partition mode page (11h, SSC-4 8.3.4) as an LTO drive of
// generation 5 and later presents it: PSUM 11b (sizes in 10^PARTITION UNITS
// bytes), POFM 1 (a MODE SELECT only records the layout; FORMAT MEDIUM applies
// it), one partition size descriptor per partition the medium may hold.
//
// Pure encoding and decoding: mode_pages.cc builds the page from the medium
// and the pending request, cmd_mode.cc checks what MODE SELECT sends, and
// cmd_format.cc turns the pending request into partition sizes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "handler/spc/scsi.h"

namespace vtape::ssc {

// A partition size field of FFFFh: the partition gets what the others leave.
inline constexpr std::uint16_t kPartitionSizeRest = 0xFFFF;

// What a MODE SELECT of page 11h asked for, kept until FORMAT MEDIUM applies it
// (or the medium changes).
struct PartitionRequest {
  // Which of FDP, SDP, IDP was set. FDP and SDP: the drive chooses the sizes
  // (equal shares); IDP: the initiator's sizes.
  enum class Kind : std::uint8_t { kFixed, kSelect, kInitiator };
  Kind kind = Kind::kInitiator;
  std::uint32_t partitions = 1;  // ADDITIONAL PARTITIONS DEFINED + 1
  // IDP: one size per partition in bytes; kRest for the FFFFh one.
  std::vector<std::uint64_t> sizes;
  static constexpr std::uint64_t kRest = 0;
  // As the initiator sent them (PSUM 11b) so MODE SENSE shows them back;
  // `fields` empty when the request came in other units (then re-encoded).
  std::uint8_t units = 0;
  std::vector<std::uint16_t> fields;
};

// What page 11h is built from.
struct PartitionPageInputs {
  std::uint32_t max_partitions = 1;  // 1..4: the descriptors in the page
  std::vector<std::uint64_t> sizes;  // the medium's partitions, bytes each (empty: no medium)
  const PartitionRequest* pending = nullptr;  // a MODE SELECT not yet applied
};

// The whole page, header included; with `changeable` the changeable mask:
// ADDITIONAL PARTITIONS DEFINED (when the medium may hold more than one),
// FDP, SDP, IDP, PSUM, PARTITION UNITS and every partition size.
std::vector<std::uint8_t> BuildPartitionPage(const PartitionPageInputs& in, bool changeable);

// Checks page 11h as MODE SELECT sent it (`page`, header included, found at
// `offset` in the parameter list: field pointers point there) against a medium
// of `capacity` bytes that may hold `max_partitions`. nullopt = valid, with
// `request` set, or left empty when none of FDP, SDP, IDP is set (the layout
// stays). Otherwise ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST pointing
// at the offending field: too many partitions (byte 3), more than one of
// FDP/SDP/IDP (byte 4), a size of 0, a second FFFFh, or sizes beyond the
// capacity (that size field).
std::optional<spc::ScsiResult> ParsePartitionPage(std::span<const std::uint8_t> page,
                                                  std::size_t offset, std::uint32_t max_partitions,
                                                  std::uint64_t capacity,
                                                  std::optional<PartitionRequest>& request);

// The size in bytes of each partition `request` makes on a medium of
// `capacity` bytes (FFFFh resolved; FDP/SDP equal shares, the last one taking
// the remainder). Empty when it does not fit.
std::vector<std::uint64_t> ResolvePartitionSizes(const PartitionRequest& request,
                                                 std::uint64_t capacity);

}  // namespace vtape::ssc
