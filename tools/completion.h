// The bash completion of `vtape`, rendered from the command table (tools/commands.h):
// commands, subcommands, each command's options, option values and fixed words.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tools/options.h"  // OptionsOf

namespace vtape::tool {

// The words a positional argument of the synopsis allows ("NAME on|off" ->
// {"", "on off"}): a lowercase token with '|' lists them; "" = anything (files).
std::vector<std::string> PositionalChoices(std::string_view synopsis);

std::string RenderBashCompletion();

}  // namespace vtape::tool
