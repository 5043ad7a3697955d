#include "rait/xor.h"

#include <isa-l/raid.h>

#include <cassert>
#include <cstring>
#include <vector>

namespace vtape::rait {

void XorChunks(std::span<const std::uint8_t* const> sources, std::uint8_t* dest, std::size_t len) {
  assert(sources.size() >= 2 && len % 32 == 0);
  if (len == 0) return;
  // xor_gen takes (sources..., dest) as one array of at least 3 vectors.
  std::vector<void*> vectors;
  vectors.reserve(sources.size() + 1);
  for (const std::uint8_t* s : sources) vectors.push_back(const_cast<std::uint8_t*>(s));
  vectors.push_back(dest);
  int rc = xor_gen(static_cast<int>(vectors.size()), static_cast<int>(len), vectors.data());
  if (rc != 0) {
    // Only on misuse (alignment/length); fall back to a plain loop rather than
    // return wrong parity.
    std::memcpy(dest, sources[0], len);
    for (std::size_t s = 1; s < sources.size(); ++s) {
      for (std::size_t i = 0; i < len; ++i) dest[i] ^= sources[s][i];
    }
  }
}

}  // namespace vtape::rait
