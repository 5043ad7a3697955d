// Logical block protection (SSC-4 4.2.26): with LBP_W set in the control data
// protection mode page (0Ah/F0h), every record the host writes ends with 4
// bytes of protection information the drive checks and strips; with LBP_R set,
// READ and VERIFY hand every record back with those 4 bytes appended. The
// medium stores records without them.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "handler/ssc/personality.h"

namespace vtape::ssc {

// LOGICAL BLOCK PROTECTION METHOD values (SSC-4, mode page 0Ah/F0h byte 4).
inline constexpr std::uint8_t kLbpNone = 0x00;
inline constexpr std::uint8_t kLbpReedSolomon = 0x01;  // ECMA-319 RS-CRC: LTO-5 and later
inline constexpr std::uint8_t kLbpCrc32c = 0x02;       // CRC32C: LTO-7 and later
// LOGICAL BLOCK PROTECTION INFORMATION LENGTH of both methods.
inline constexpr std::uint8_t kLbpLength = 4;

// The ECMA-319 (Annex C) Reed-Solomon CRC over GF(2^8) with field polynomial
// x^8+x^4+x^3+x^2+1 and generator (x+a^126)(x+a^127)(x+a^128)(x+a^129): the
// remainder of data(x)*x^4 mod G(x), first byte highest. It travels big-endian.
std::uint32_t ReedSolomonCrc(std::span<const std::uint8_t> data);

// The 4 protection bytes of `data` as they travel after it: RS-CRC
// big-endian, CRC32C little-endian (as LTO drives and LTFS put them).
// `method` is kLbpReedSolomon or kLbpCrc32c.
std::array<std::uint8_t, kLbpLength> ProtectionBytes(std::uint8_t method,
                                                     std::span<const std::uint8_t> data);

// True when the last 4 bytes of `protected_record` are the protection bytes
// of the bytes before them.
bool ProtectionMatches(std::uint8_t method, std::span<const std::uint8_t> protected_record);

// The methods a drive of `p` offers (VPD B5h, MODE SELECT 0Ah/F0h): RS-CRC on
// every LTO drive, CRC32C too from LTO-7 on (the generic drive: both).
std::span<const std::uint8_t> LbpMethods(const Personality& p);
bool SupportsLbpMethod(const Personality& p, std::uint8_t method);

}  // namespace vtape::ssc
