// SIZE, as people write byte counts everywhere in vtape: `vtape create
// --capacity`, the handler's config string (capacity=, early_warning=), backend
// options. One parser, so 400GB means the same wherever it is typed.
//
//   123                  bytes (also 123B)
//   4K 400M 2G 1T 1P     powers of 1024 (also KiB, MiB, GiB, TiB, PiB)
//   400KB 2GB 12TB 1PB   powers of 1000
// Units are case-insensitive; no spaces, no fractions. Zero and values beyond
// 2^64-1 are refused with a reason.
#pragma once

#include <cstdint>
#include <string_view>

#include "vtape/status.h"

namespace vtape {

// Parses SIZE (above); `bytes` is unchanged on error (kInvalidArgument).
Status ParseSize(std::string_view text, std::uint64_t& bytes);

}  // namespace vtape
