// The drive's identity as INQUIRY reports it: the unit serial number and the
// NAA name derived from it. Shared by cmd_inquiry.cc and the tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "handler/ssc/drive.h"

namespace vtape::ssc {

// FNV-1a, 64-bit: small, stable across builds and platforms, good enough to
// tell two media names or two serials apart. Not a security property.
std::uint64_t Fnv1a64(std::string_view text);

// DriveConfig.serial when set; otherwise a stable 10-character serial derived
// from the medium name: the low 40 bits of Fnv1a64(medium_name) as 10
// upper-case hex digits. The same medium name always gives the same serial, so
// a host sees the same drive across restarts.
std::string UnitSerial(const DriveConfig& config);

// The 8-byte NAA designator of VPD page 83h: NAA type 3h (locally assigned)
// in the top nibble, the low 60 bits of Fnv1a64(serial) below it.
std::uint64_t NaaName(std::string_view serial);

}  // namespace vtape::ssc
