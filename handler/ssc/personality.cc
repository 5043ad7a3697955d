#include "handler/ssc/personality.h"

#include <array>

#include "handler/spc/personality.h"
#include "vtape/media.h"

namespace vtape::ssc {
namespace {

using Names = std::array<std::string_view, 2>;
// LTO compatibility: an LTO-N drive writes N and N-1; up to LTO-7 it also reads
// N-2; LTO-8 and LTO-9 read only what they write.
constexpr std::array<std::string_view, 6> kAllLto{"LTO-5", "LTO-6", "LTO-7",
                                                  "LTO-8", "LTO-9", "LTO-M8"};
constexpr Names kW5{"LTO-5", "LTO-4"}, kW6{"LTO-6", "LTO-5"}, kW7{"LTO-7", "LTO-6"},
    kW8{"LTO-8", "LTO-7"}, kW9{"LTO-9", "LTO-8"};
constexpr std::array<std::string_view, 1> kR5{"LTO-3"}, kR6{"LTO-4"}, kR7{"LTO-5"};
constexpr std::span<const std::string_view> kNone{};

// Identities as the real drives answer INQUIRY (and as LTFS's drive tables list
// them): HP's LTO-5..7 say "HP", LTO-8 and later "HPE".
constexpr std::array<Personality, 11> kPersonalities{{
    {"generic", "VTAPE", "VIRTUAL TAPE", "0100", kAllLto, kNone, false},
    {"ibm-lto5", "IBM", "ULT3580-TD5", "G9N1", kW5, kR5, true},
    {"ibm-lto6", "IBM", "ULT3580-TD6", "J451", kW6, kR6, true},
    {"ibm-lto7", "IBM", "ULT3580-TD7", "M9N0", kW7, kR7, true},
    {"ibm-lto8", "IBM", "ULT3580-TD8", "Q3F3", kW8, kNone, true},
    {"ibm-lto9", "IBM", "ULT3580-TD9", "S5C3", kW9, kNone, true},
    {"hp-lto5", "HP", "Ultrium 5-SCSI", "Z6ED", kW5, kR5, true},
    {"hp-lto6", "HP", "Ultrium 6-SCSI", "35GD", kW6, kR6, true},
    {"hp-lto7", "HP", "Ultrium 7-SCSI", "J5KW", kW7, kR7, true},
    {"hp-lto8", "HPE", "Ultrium 8-SCSI", "L4HW", kW8, kNone, true},
    {"hp-lto9", "HPE", "Ultrium 9-SCSI", "N3EW", kW9, kNone, true},
}};

}  // namespace

std::span<const Personality> AllPersonalities() {
  return kPersonalities;
}

const Personality* FindPersonality(std::string_view key) {
  return spc::FindByKey(AllPersonalities(), key);
}

bool ReadsMediaType(const Personality& p, std::string_view media_type) {
  auto wanted = FindMediaType(media_type);
  if (!wanted) return false;
  for (auto names : {p.writes, p.reads}) {
    for (std::string_view name : names) {
      auto type = FindMediaType(name);
      // By density: a WORM cartridge is its generation's format.
      if (type && type->density_code == wanted->density_code) return true;
    }
  }
  return false;
}

}  // namespace vtape::ssc
