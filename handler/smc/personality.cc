#include "handler/smc/personality.h"

#include <array>

#include "handler/spc/personality.h"

namespace vtape::smc {
namespace {

// IBM TS3100/TS3200 and TS4300 answer "3573-TL"; HPE's MSL2024/4048/8096
// (and the MSL G3 series) "MSL G3 Series".
constexpr std::array<Personality, 3> kPersonalities{{
    {"generic", "VTAPE", "VIRTUAL LIBRARY", "0100"},
    {"ibm-ts3100", "IBM", "3573-TL", "F.11"},
    {"hpe-msl", "HP", "MSL G3 Series", "9.90"},
}};

}  // namespace

std::span<const Personality> AllPersonalities() {
  return kPersonalities;
}

const Personality* FindPersonality(std::string_view key) {
  return spc::FindByKey(AllPersonalities(), key);
}

}  // namespace vtape::smc
