// Stable names derived from text: the NAA designator of VPD page 83h and the
// hash behind derived serial numbers. Shared by every device type.
#pragma once

#include <cstdint>
#include <string_view>

namespace vtape::spc {

// FNV-1a, 64-bit: small, stable across builds and platforms, good enough to
// tell two media names or two serials apart. Not a security property.
std::uint64_t Fnv1a64(std::string_view text);

// The 8-byte NAA designator of VPD page 83h: NAA type 3h (locally assigned)
// in the top nibble, the low 60 bits of Fnv1a64(serial) below it.
std::uint64_t NaaName(std::string_view serial);

}  // namespace vtape::spc
