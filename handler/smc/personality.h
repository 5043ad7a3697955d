// Changer identities: what INQUIRY says. Backup software matches libraries by
// vendor/product, so the real products' strings are used.
#pragma once

#include <span>
#include <string_view>

namespace vtape::smc {

struct Personality {
  std::string_view key;       // config name: "generic", "ibm-ts3100", "hpe-msl"
  std::string_view vendor;    // INQUIRY T10 vendor (8 chars on the wire)
  std::string_view product;   // 16 chars
  std::string_view revision;  // 4 chars
};

std::span<const Personality> AllPersonalities();
const Personality* FindPersonality(std::string_view key);

}  // namespace vtape::smc
