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

#include "vtape/size.h"
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

// SIZE: vtape::ParseSize (vtape/size.h), the parser the handler's config string uses too.
using vtape::ParseSize;

}  // namespace vtape::tool
