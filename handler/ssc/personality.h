// Drive identities ("personalities"): what INQUIRY and REPORT DENSITY SUPPORT
// say, and which media the drive accepts. Backup software keys its behaviour on
// vendor/product, so the identities follow the real drives' strings.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace vtape::ssc {

struct Personality {
  std::string_view key;       // config string name: "generic", "ibm-lto8", "hp-lto6", ...
  std::string_view vendor;    // INQUIRY T10 vendor (8 chars, space padded on the wire)
  std::string_view product;   // INQUIRY product (16 chars)
  std::string_view revision;  // INQUIRY revision (4 chars)
  // LTO generations this drive writes (and reads), as media type names of vtape/media.h.
  std::span<const std::string_view> writes;
  std::span<const std::string_view> reads;  // reads only (older generations)
  // Data compression (mode page 0Fh DCE) at power-on: on for the IBM and HP
  // drives as shipped, off for the generic drive.
  bool compression_by_default = false;
};

std::span<const Personality> AllPersonalities();
const Personality* FindPersonality(std::string_view key);

// Whether a drive of personality `p` reads media of `media_type` (a name of
// vtape/media.h, any spelling FindMediaType accepts): a changer loading an
// unreadable cartridge is refused with INCOMPATIBLE MEDIUM.
bool ReadsMediaType(const Personality& p, std::string_view media_type);

}  // namespace vtape::ssc
