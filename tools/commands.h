// The table of `vtape` subcommands and the overview text: the one source of
// `vtape --help`, `vtape help COMMAND`, the vtape(1) man page and the bash
// completion (tools/docgen.cc renders the last two at build time).
#pragma once

#include <ostream>
#include <span>
#include <string_view>

#include "tools/command.h"

namespace vtape::tool {

// Every subcommand, in the order `vtape --help` lists them.
std::span<const Command* const> AllCommands();
const Command* FindCommand(std::string_view name);
// The subcommands of `command` (`vtape library create ...`); empty for most.
std::span<const Subcommand* const> SubcommandsOf(const Command& command);

// What vtape is and how it names media: the DESCRIPTION of vtape(1), the head of --help.
inline constexpr std::string_view kOverview =
    "Creates and inspects virtual tape media. NAME is a backend name such as\n"
    "file:/tapes/A00001L8.img or rait:{...}; anything else (its text before ':'\n"
    "names no backend) is a path and means file:PATH, as in the handler's config\n"
    "string. SIZE: bytes, or K, M, G, T (1024-based), KB, MB, GB, TB (1000-based).\n";

// `vtape --help`: usage, the overview, every command, the exit codes.
void PrintOverview(std::ostream& out);

}  // namespace vtape::tool
