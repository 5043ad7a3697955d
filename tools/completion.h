// The bash completion of `vtape`, rendered from the command table (tools/commands.h):
// commands, subcommands, each command's options, option values and fixed words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vtape::tool {

struct OptionSpec {
  std::string name;  // "--capacity"
  bool takes_value = false;
};

// The options a command documents: those in its synopsis ("[--capacity SIZE]")
// and in its help's option lines ("  --capacity SIZE  ..."), plus --help. An
// option takes a value when a placeholder follows it in either place.
std::vector<OptionSpec> OptionsOf(std::string_view synopsis, std::string_view help);
// The words a positional argument of the synopsis allows ("NAME on|off" ->
// {"", "on off"}): a lowercase token with '|' lists them; "" = anything (files).
std::vector<std::string> PositionalChoices(std::string_view synopsis);

std::string RenderBashCompletion();

}  // namespace vtape::tool
