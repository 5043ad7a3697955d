#include "vtape/crc32c.h"

#include <isa-l/crc.h>

#include <algorithm>
#include <climits>

namespace vtape {

// ISA-L's crc32_iscsi neither pre- nor post-inverts and takes an int length:
// invert around it (so results chain) and feed it at most 1 GiB at a time.
std::uint32_t Crc32c(std::span<const std::uint8_t> data, std::uint32_t crc) {
  std::uint32_t state = ~crc;
  constexpr std::size_t kChunk = 1u << 30;
  while (!data.empty()) {
    std::size_t n = std::min(data.size(), kChunk);
    state = crc32_iscsi(const_cast<unsigned char*>(data.data()), static_cast<int>(n), state);
    data = data.subspan(n);
  }
  return ~state;
}

}  // namespace vtape
