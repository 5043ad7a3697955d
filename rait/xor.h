// XOR of equal-length chunks with ISA-L's SIMD xor_gen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace vtape::rait {

// dest = XOR of `sources` (at least 2). Every pointer must be 32-byte aligned
// and `len` a multiple of 32 (ChunkBytes guarantees it for N >= 3 members).
void XorChunks(std::span<const std::uint8_t* const> sources, std::uint8_t* dest, std::size_t len);

}  // namespace vtape::rait
