// The tiny command-line parser every subcommand uses: positional arguments,
// --key VALUE / --key=VALUE options, and --flags; plus SIZE parsing.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vtape/status.h"

namespace vtape::tool {

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string, std::less<>> values;  // "--capacity" -> "400M"
  std::set<std::string, std::less<>> flags;                // "--force"

  bool has(std::string_view flag) const { return flags.count(flag) > 0; }
  std::optional<std::string> value(std::string_view option) const;
};

// `with_value` and `flags` list the accepted options, each with its dashes.
// Unknown options and options missing their value are kInvalidArgument.
Status ParseArgs(std::span<const std::string> argv,
                 std::initializer_list<std::string_view> with_value,
                 std::initializer_list<std::string_view> flags, Args& out);

// "123", "400K", "400M", "2G", "1T" (powers of 1024; KiB/MiB/GiB/TiB too) or
// "400KB", "2GB", "12TB" (powers of 1000). Zero and overflow are refused.
Status ParseSize(std::string_view text, std::uint64_t& bytes);

}  // namespace vtape::tool
