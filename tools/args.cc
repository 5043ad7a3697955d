#include "tools/args.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <utility>

#include "tools/options.h"

namespace vtape::tool {

std::optional<std::string> Args::value(std::string_view option) const {
  auto it = values.find(option);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

Status ParseArgs(std::string_view synopsis, std::string_view help,
                 std::span<const std::string> argv, Args& out) {
  out = Args{};
  std::vector<OptionSpec> specs = OptionsOf(synopsis, help);
  std::erase_if(specs, [](const OptionSpec& o) { return o.name == "--help"; });
  // --key=VALUE goes to CLI11 as two arguments, --key and VALUE: it would read
  // --key= as --key without a value and take the next argument, where vtape
  // means an empty VALUE (--barcode=). CLI11 reads --force=yes as an override
  // of the flag's value; vtape's flags take none, and say so in words.
  std::vector<std::string> tokens;
  bool options_done = false;
  for (const std::string& arg : argv) {
    options_done = options_done || arg == "--";
    std::size_t eq = arg.find('=');
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& o : specs) {
      if (!options_done && eq != std::string::npos && o.name == arg.substr(0, eq)) spec = &o;
    }
    if (spec == nullptr) {
      tokens.push_back(arg);
    } else if (spec->takes_value) {
      tokens.push_back(spec->name);
      tokens.push_back(arg.substr(eq + 1));
    } else {
      return Status::InvalidArgument("option " + spec->name + " takes no value");
    }
  }

  CLI::App app;
  app.set_help_flag();  // answered before parsing (WantsHelp)
  app.allow_extras();   // unknown options: reported below in vtape's words
  app.add_option("arguments", out.positional);
  std::vector<std::string> values(specs.size());
  std::vector<CLI::Option*> given(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const OptionSpec& o = specs[i];
    given[i] = o.takes_value ? app.add_option(o.name, values[i])->type_name(o.placeholder)
                             : app.add_flag(o.name)->disable_flag_override();
  }
  // CLI11 takes a vector of arguments last first.
  std::vector<std::string> reversed(tokens.rbegin(), tokens.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return Status::InvalidArgument(e.what());
  }
  for (const std::string& extra : app.remaining()) {
    if (extra != "--") {
      return Status::InvalidArgument("unknown option " + extra.substr(0, extra.find('=')));
    }
  }
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (given[i]->count() == 0) continue;
    if (specs[i].takes_value) {
      out.values[specs[i].name] = values[i];
    } else {
      out.flags.insert(specs[i].name);
    }
  }
  return Status::Ok();
}

}  // namespace vtape::tool
