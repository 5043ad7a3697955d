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

// What every --json answer shares (tools/json_output.h): the JSON OUTPUT
// section of vtape(1), the tail of --help.
inline constexpr std::string_view kJsonOutput =
    "vtape info, ls, verify and the library commands take --json: they then print one\n"
    "JSON object on stdout that starts with schema (its name: vtape-info, vtape-ls,\n"
    "vtape-verify, vtape-library-cli), version (a whole number), command and ok.\n"
    "Each command's help above names its fields (the library commands': LIBRARY.md,\n"
    "in /usr/share/doc/vtape); byte counts are exact integers.\n"
    "A version changes only when a field changes meaning or goes away; new fields\n"
    "may appear within a version, so readers should ignore fields they do not know.\n"
    "When the medium or library cannot be opened or the operation fails, ok is false\n"
    "and error is {reason, code, message} (reason: a library's refusal, else null;\n"
    "code: not-found, io-error, corrupt-image, ...); the exit code is 3 as without\n"
    "--json. Usage errors (exit code 2) are reported as text on stderr.\n";

// `vtape --help`: usage, the overview, every command, the exit codes.
void PrintOverview(std::ostream& out);

}  // namespace vtape::tool
