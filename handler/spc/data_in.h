// Returning built parameter data to the initiator: every non-data command
// builds its whole response, then this copies as much as both the CDB's
// allocation length and the initiator's buffer allow (SPC-4 4.2.5.6: a
// truncated response is not an error).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "handler/spc/scsi.h"
#include "handler/spc/sense.h"

namespace vtape::spc {

inline ScsiResult ReturnData(const ScsiCommand& command, std::span<const std::uint8_t> response,
                             std::size_t allocation_length) {
  std::size_t n = std::min({response.size(), allocation_length, command.data_in.size()});
  std::copy_n(response.begin(), n, command.data_in.begin());
  return Good(n);
}

// Appends `bytes` to `out`. (resize + copy rather than vector::insert, which
// trips GCC 12's -Warray-bounds false positive on small vectors.)
inline void Append(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> bytes) {
  const std::size_t at = out.size();
  out.resize(at + bytes.size());
  std::copy(bytes.begin(), bytes.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
}

// Appends `text` to `out` as a fixed-width ASCII field, space padded or cut.
inline void AppendPadded(std::vector<std::uint8_t>& out, std::string_view text, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) {
    out.push_back(i < text.size() ? static_cast<std::uint8_t>(text[i]) : ' ');
  }
}

}  // namespace vtape::spc
