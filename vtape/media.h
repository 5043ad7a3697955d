// Media types a blank medium may be created as, with their native capacities
// and the SCSI density codes a drive reports for them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace vtape {

struct MediaType {
  std::string_view name;            // "LTO-8"
  std::uint8_t density_code;        // SSC primary density code (LTO-8: 5Eh)
  std::uint8_t medium_type;         // MODE SENSE header medium type (0 for LTO)
  std::uint64_t native_bytes;       // native (uncompressed) capacity
  std::string_view barcode_suffix;  // "L8" (LTO cartridge label suffix)
};

// The early-warning point by default lies this far before the hard end.
inline constexpr std::uint64_t kDefaultEarlyWarningBytes = 64ull << 20;

std::span<const MediaType> AllMediaTypes();
// Case-insensitive lookup ("lto-8", "LTO8").
std::optional<MediaType> FindMediaType(std::string_view name);
std::optional<MediaType> FindMediaTypeByDensity(std::uint8_t density_code);

}  // namespace vtape
