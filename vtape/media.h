// The LTO generations vtape knows: the media types a blank medium may be
// created as, and the older generations (LTO-3, LTO-4) that some drive
// personalities only read. One table holds each generation's physical facts:
// native capacity, the SCSI density code a drive reports, and what REPORT
// DENSITY SUPPORT describes (linear density, tracks, tape length, names).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "vtape/status.h"

namespace vtape {

struct MediaType {
  std::string_view name;      // "LTO-8"
  std::uint8_t density_code;  // SSC primary density code (LTO-8: 5Eh)
  std::uint8_t medium_type;   // MODE SENSE header medium type (0 for LTO)
  // What IBM LTO drives report there instead: the cartridge (generation N data
  // cartridge N<<4 | 8; type M8 is an LTO-7 cartridge). LTFS checks it.
  std::uint8_t ibm_medium_type;
  std::uint64_t native_bytes;       // native (uncompressed) capacity
  std::string_view barcode_suffix;  // "L8" (LTO cartridge label suffix)
  std::uint32_t bits_per_mm;        // nominal linear density
  std::uint16_t tracks;             // data tracks
  std::uint16_t length_m;           // tape length in metres
  std::string_view density_name;    // U-[generation][channels], as LTO drives name it
  std::string_view description;     // "Ultrium 8/32T"
  // A write-once (WORM) cartridge: data is only appended (handler/ssc/worm.h).
  // Same generation, density and capacity as the data cartridge; its own
  // barcode suffix, IBM medium type (N<<4 | 0Ch) and MAM medium type (80h).
  bool worm;
};

// The early-warning point by default lies this far before the hard end.
inline constexpr std::uint64_t kDefaultEarlyWarningBytes = 64ull << 20;

// A new medium of CAPACITY bytes (the effective hard end) with an early-warning
// zone of EARLY_WARNING bytes (0 = kDefaultEarlyWarningBytes) must leave room to
// write before the zone, else every write lands in early warning (st: ENOSPC).
// kInvalidArgument naming both sizes otherwise.
Status CheckEarlyWarning(std::uint64_t capacity_bytes, std::uint64_t early_warning_bytes);

// The media types vtape creates (LTO-5 to LTO-9 and LTO-M8), WORM ones aside.
std::span<const MediaType> AllMediaTypes();
// The WORM cartridges vtape creates: "LTO-5 WORM" .. "LTO-9 WORM" (there is
// no LTO-M8 WORM). FindMediaType finds them by name too.
std::span<const MediaType> AllWormMediaTypes();
// The WORM cartridge of `type`'s generation (itself when it is one), or
// nullopt when the generation has none.
std::optional<MediaType> WormMediaType(const MediaType& type);
// Whether `media_type` (a name as MediumInfo holds it) is a WORM cartridge.
bool IsWormMedia(std::string_view media_type);
// Every generation, the read-only older ones included.
std::span<const MediaType> AllLtoGenerations();
// Case-insensitive lookup ("lto-8", "LTO8", "LTO-8 WORM") among the media
// types vtape creates, WORM ones included.
std::optional<MediaType> FindMediaType(std::string_view name);
std::optional<MediaType> FindMediaTypeByDensity(std::uint8_t density_code);
// The same lookup among every generation.
std::optional<MediaType> FindLtoGeneration(std::string_view name);

// How many partitions a medium of this type may hold, as the real drives allow:
// 1 before LTO-5, 2 for LTO-5 and LTO-6, 4 for LTO-7 and later (M8 included).
// An unknown name: 1.
std::uint32_t MaxPartitionsOf(std::string_view media_type);

}  // namespace vtape
