// CRC32C (Castagnoli, the iSCSI CRC), as every file: record and index entry carries.
#pragma once

#include <cstdint>
#include <span>

namespace vtape {

// Standard CRC32C of `data` (check value: Crc32c("123456789") == 0xE3069283).
// `crc` continues a previous result: Crc32c(a+b) == Crc32c(b, Crc32c(a)).
std::uint32_t Crc32c(std::span<const std::uint8_t> data, std::uint32_t crc = 0);

}  // namespace vtape
