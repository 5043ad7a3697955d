// Media types a blank medium may be created as, with their native capacities
// and the SCSI density codes a drive reports for them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "vtape/status.h"

namespace vtape {

struct MediaType {
  std::string_view name;            // "LTO-8"
  std::uint8_t density_code;        // SSC primary density code (LTO-8: 5Ah)
  std::uint8_t medium_type;         // MODE SENSE header medium type (0 for LTO)
  std::uint64_t native_bytes;       // native (uncompressed) capacity
  std::string_view barcode_suffix;  // "L8" (LTO cartridge label suffix)
};

// The early-warning point by default lies this far before the hard end.
inline constexpr std::uint64_t kDefaultEarlyWarningBytes = 64ull << 20;

// A new medium of CAPACITY bytes (the effective hard end) with an early-warning
// zone of EARLY_WARNING bytes (0 = kDefaultEarlyWarningBytes) must leave room to
// write before the zone, else every write lands in early warning (st: ENOSPC).
// kInvalidArgument naming both sizes otherwise.
Status CheckEarlyWarning(std::uint64_t capacity_bytes, std::uint64_t early_warning_bytes);

std::span<const MediaType> AllMediaTypes();
// Case-insensitive lookup ("lto-8", "LTO8").
std::optional<MediaType> FindMediaType(std::string_view name);
std::optional<MediaType> FindMediaTypeByDensity(std::uint8_t density_code);

}  // namespace vtape
