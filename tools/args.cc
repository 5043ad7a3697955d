#include "tools/args.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <utility>

namespace vtape::tool {

std::optional<std::string> Args::value(std::string_view option) const {
  auto it = values.find(option);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

Status ParseArgs(std::span<const std::string> argv,
                 std::initializer_list<std::string_view> with_value,
                 std::initializer_list<std::string_view> flags, Args& out) {
  out = Args{};
  auto takes_value = [&](std::string_view o) {
    return std::find(with_value.begin(), with_value.end(), o) != with_value.end();
  };
  auto is_flag = [&](std::string_view o) {
    return std::find(flags.begin(), flags.end(), o) != flags.end();
  };
  bool options_done = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      out.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    std::size_t eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    if (takes_value(name)) {
      if (eq != std::string::npos) {
        out.values[name] = arg.substr(eq + 1);
      } else if (i + 1 < argv.size()) {
        out.values[name] = argv[++i];
      } else {
        return Status::InvalidArgument("option " + name + " needs a value");
      }
    } else if (is_flag(name) && eq == std::string::npos) {
      out.flags.insert(name);
    } else if (is_flag(name)) {
      return Status::InvalidArgument("option " + name + " takes no value");
    } else {
      return Status::InvalidArgument("unknown option " + name);
    }
  }
  return Status::Ok();
}

}  // namespace vtape::tool
