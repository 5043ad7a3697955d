#include "vtape/size.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <utility>

namespace vtape {

Status ParseSize(std::string_view text, std::uint64_t& bytes) {
  const std::string quoted = "size '" + std::string(text) + "'";
  std::uint64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec == std::errc::result_out_of_range)
    return Status::InvalidArgument(quoted + " is too large");
  if (ec != std::errc() || end == text.data()) {
    return Status::InvalidArgument(quoted + " must start with a whole number (e.g. 400M, 2G)");
  }
  std::string suffix;
  for (const char* p = end; p != text.data() + text.size(); ++p) {
    suffix.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(*p))));
  }
  static constexpr std::array<std::pair<std::string_view, std::uint64_t>, 17> kUnits{{
      {"", 1},
      {"B", 1},
      {"K", 1ull << 10},
      {"KIB", 1ull << 10},
      {"KB", 1000ull},
      {"M", 1ull << 20},
      {"MIB", 1ull << 20},
      {"MB", 1000ull * 1000},
      {"G", 1ull << 30},
      {"GIB", 1ull << 30},
      {"GB", 1000ull * 1000 * 1000},
      {"T", 1ull << 40},
      {"TIB", 1ull << 40},
      {"TB", 1000ull * 1000 * 1000 * 1000},
      {"P", 1ull << 50},
      {"PIB", 1ull << 50},
      {"PB", 1000ull * 1000 * 1000 * 1000 * 1000},
  }};
  auto unit =
      std::find_if(kUnits.begin(), kUnits.end(), [&](const auto& u) { return u.first == suffix; });
  if (unit == kUnits.end()) {
    return Status::InvalidArgument(quoted + ": unknown unit '" + suffix +
                                   "' (use K, M, G, T for powers of 1024, KB, MB, GB, TB for "
                                   "powers of 1000)");
  }
  if (number == 0) return Status::InvalidArgument(quoted + " must be more than 0");
  if (number > UINT64_MAX / unit->second) return Status::InvalidArgument(quoted + " is too large");
  bytes = number * unit->second;
  return Status::Ok();
}

}  // namespace vtape
