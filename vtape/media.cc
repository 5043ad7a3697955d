#include "vtape/media.h"

#include <array>
#include <cctype>
#include <string>

namespace vtape {
namespace {

// Native capacities and density codes as LTO drives report them.
constexpr std::array<MediaType, 6> kMediaTypes{{
    {"LTO-5", 0x58, 0x00, 1500ull * 1000 * 1000 * 1000, "L5"},
    {"LTO-6", 0x5A, 0x00, 2500ull * 1000 * 1000 * 1000, "L6"},
    {"LTO-7", 0x5C, 0x00, 6000ull * 1000 * 1000 * 1000, "L7"},
    {"LTO-8", 0x5E, 0x00, 12000ull * 1000 * 1000 * 1000, "L8"},
    {"LTO-9", 0x60, 0x00, 18000ull * 1000 * 1000 * 1000, "L9"},
    {"LTO-M8", 0x5D, 0x00, 9000ull * 1000 * 1000 * 1000, "M8"},
}};

std::string Canonical(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '_' || c == ' ') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

std::span<const MediaType> AllMediaTypes() {
  return kMediaTypes;
}

std::optional<MediaType> FindMediaType(std::string_view name) {
  std::string wanted = Canonical(name);
  for (const MediaType& type : kMediaTypes) {
    if (Canonical(type.name) == wanted) return type;
  }
  return std::nullopt;
}

std::optional<MediaType> FindMediaTypeByDensity(std::uint8_t density_code) {
  for (const MediaType& type : kMediaTypes) {
    if (type.density_code == density_code) return type;
  }
  return std::nullopt;
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
