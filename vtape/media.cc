#include "vtape/media.h"

#include <array>
#include <cctype>
#include <string>

namespace vtape {
namespace {

constexpr std::uint64_t kGB = 1000ull * 1000 * 1000;

// As LTO drives report them. The generations vtape creates media of come after
// the ones only read (kFirstCreated), in the order the tool lists them.
// One row per generation, so the table reads as a table.
// clang-format off
constexpr std::array<MediaType, 8> kGenerations{{
    {"LTO-3", 0x44, 0x00, 0x38, 400 * kGB, "L3", 9638, 704, 680, "U-316", "Ultrium 3/16T", false},
    {"LTO-4", 0x46, 0x00, 0x48, 800 * kGB, "L4", 12725, 896, 820, "U-416", "Ultrium 4/16T", false},
    {"LTO-5", 0x58, 0x00, 0x58, 1500 * kGB, "L5", 15142, 1280, 846, "U-516", "Ultrium 5/16T", false},
    {"LTO-6", 0x5A, 0x00, 0x68, 2500 * kGB, "L6", 15143, 2176, 846, "U-616", "Ultrium 6/16T", false},
    {"LTO-7", 0x5C, 0x00, 0x78, 6000 * kGB, "L7", 19107, 3584, 960, "U-732", "Ultrium 7/32T", false},
    {"LTO-8", 0x5E, 0x00, 0x88, 12000 * kGB, "L8", 20668, 6656, 960, "U-832", "Ultrium 8/32T", false},
    {"LTO-9", 0x60, 0x00, 0x98, 18000 * kGB, "L9", 23165, 8960, 1035, "U-932", "Ultrium 9/32T", false},
    {"LTO-M8", 0x5D, 0x00, 0x78, 9000 * kGB, "M8", 19107, 5376, 960, "U-732M8", "Ultrium M8/32T", false},
}};
// clang-format on
constexpr std::size_t kFirstCreated = 2;

// The WORM cartridge of a generation: the data cartridge's format and
// capacity under its own name and label (LTO-5 WORM is LV .. LTO-9 WORM LZ, as
// LTO-3 WORM is LT and LTO-4 WORM LU); IBM drives report it as medium type
// N<<4 | 0Ch (LTFS's ibm_tape.h: TC_MP_LTO5W_CART 5Ch .. TC_MP_LTO9W_CART 9Ch).
constexpr MediaType WormOf(const MediaType& data, std::string_view name, std::string_view suffix) {
  MediaType worm = data;
  worm.name = name;
  worm.barcode_suffix = suffix;
  worm.ibm_medium_type = static_cast<std::uint8_t>(data.ibm_medium_type | 0x04);
  worm.worm = true;
  return worm;
}

constexpr std::array<MediaType, 5> kWorm{{
    WormOf(kGenerations[2], "LTO-5 WORM", "LV"),
    WormOf(kGenerations[3], "LTO-6 WORM", "LW"),
    WormOf(kGenerations[4], "LTO-7 WORM", "LX"),
    WormOf(kGenerations[5], "LTO-8 WORM", "LY"),
    WormOf(kGenerations[6], "LTO-9 WORM", "LZ"),
}};

std::string Canonical(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '_' || c == ' ') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::optional<MediaType> FindIn(std::span<const MediaType> types, std::string_view name) {
  std::string wanted = Canonical(name);
  for (const MediaType& type : types) {
    if (Canonical(type.name) == wanted) return type;
  }
  return std::nullopt;
}

}  // namespace

std::span<const MediaType> AllMediaTypes() {
  return std::span<const MediaType>(kGenerations).subspan(kFirstCreated);
}

std::span<const MediaType> AllLtoGenerations() {
  return kGenerations;
}

std::span<const MediaType> AllWormMediaTypes() {
  return kWorm;
}

std::optional<MediaType> FindMediaType(std::string_view name) {
  if (auto type = FindIn(AllMediaTypes(), name)) return type;
  return FindIn(kWorm, name);
}

std::optional<MediaType> FindLtoGeneration(std::string_view name) {
  if (auto type = FindIn(AllLtoGenerations(), name)) return type;
  return FindIn(kWorm, name);
}

std::optional<MediaType> WormMediaType(const MediaType& type) {
  if (type.worm) return type;
  for (const MediaType& w : kWorm) {
    if (w.density_code == type.density_code) return w;
  }
  return std::nullopt;
}

bool IsWormMedia(std::string_view media_type) {
  auto type = FindMediaType(media_type);
  return type && type->worm;
}

std::optional<MediaType> FindMediaTypeByDensity(std::uint8_t density_code) {
  for (const MediaType& type : AllMediaTypes()) {
    if (type.density_code == density_code) return type;
  }
  return std::nullopt;
}

std::uint32_t MaxPartitionsOf(std::string_view media_type) {
  auto type = FindLtoGeneration(media_type);
  if (!type) return 1;
  // By density, so a WORM cartridge counts as its generation.
  switch (type->density_code) {
    case 0x44:  // LTO-3
    case 0x46:  // LTO-4
      return 1;
    case 0x58:  // LTO-5
    case 0x5A:  // LTO-6
      return 2;
    default:
      return 4;
  }
}

Status CheckEarlyWarning(std::uint64_t capacity_bytes, std::uint64_t early_warning_bytes) {
  std::uint64_t zone = early_warning_bytes != 0 ? early_warning_bytes : kDefaultEarlyWarningBytes;
  if (zone < capacity_bytes) return Status::Ok();
  return Status::InvalidArgument("the early-warning zone (" + std::to_string(zone) + " bytes" +
                                 (early_warning_bytes == 0 ? ", the default" : "") +
                                 ") must be smaller than the capacity (" +
                                 std::to_string(capacity_bytes) +
                                 " bytes); give a larger capacity or a smaller early warning");
}

}  // namespace vtape
