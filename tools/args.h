// The command line of a `vtape` subcommand, parsed by CLI11 against the options
// its table entry documents (tools/options.h): positional arguments,
// --key VALUE / --key=VALUE options, --flags, and -- before arguments that
// start with a dash. Plus SIZE parsing.
#pragma once

#include <cstdint>
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

// Accepts exactly the options OptionsOf(synopsis, help) finds (--help aside:
// the dispatcher answers it first). kInvalidArgument, with a message for the
// user, for an unknown option, an option missing its value or given twice, or
// a value given to a flag.
Status ParseArgs(std::string_view synopsis, std::string_view help,
                 std::span<const std::string> argv, Args& out);

// SIZE: vtape::ParseSize (vtape/size.h), the parser the handler's config string uses too.
using vtape::ParseSize;

}  // namespace vtape::tool
