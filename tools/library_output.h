// What the `vtape library` subcommands share: their table, how they print a
// library, an element or a cartridge as text or as JSON (schema
// kLibraryCliSchema, documented in library/README.md), and how they report
// refusals.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "library/library.h"
#include "tools/args.h"
#include "tools/command.h"
#include "tools/json_output.h"

namespace vtape::tool {

using LibrarySubcommand = Subcommand;  // tools/command.h

// Every subcommand, in the order `vtape help library` lists them (cmd_library.cc).
std::span<const LibrarySubcommand* const> LibrarySubcommands();
// One per cmd_library_*.cc.
const LibrarySubcommand& LibraryCreateSubcommand();
const LibrarySubcommand& LibraryLsSubcommand();
const LibrarySubcommand& LibraryMoveSubcommand();
const LibrarySubcommand& LibraryImportSubcommand();
const LibrarySubcommand& LibraryExportSubcommand();
const LibrarySubcommand& LibraryAddSubcommand();

// "vtape library move: MESSAGE" and the synopsis on stderr; returns kExitUsage.
int LibraryUsageError(const LibrarySubcommand& self, std::string_view message);
// Parses argv against the options the subcommand's synopsis and help document
// (ParseArgs) and checks it has `positional` arguments; on failure prints why
// and returns false with `exit_code` set.
bool ParseLibraryArgs(const LibrarySubcommand& self, std::span<const std::string> argv,
                      std::size_t positional, Args& args, int& exit_code);

// The start of every JSON answer: schema (kLibraryCliSchema), version, command, ok.
nlohmann::ordered_json JsonAnswer(std::string_view command, bool ok);
nlohmann::ordered_json JsonLibrary(const library::Library& library);
nlohmann::ordered_json JsonElementRef(const library::Layout& layout, std::uint16_t address);
nlohmann::ordered_json JsonElement(const library::State& state, const library::Element& element);
nlohmann::ordered_json JsonCartridge(const library::Cartridge& cartridge);

// Reports a failed open or operation (text on stderr, or a JSON answer with
// "error" on stdout) and returns kExitCannotOperate.
int LibraryFailure(const LibrarySubcommand& self, bool json, std::string_view what,
                   const library::Result& result);
int LibraryFailure(const LibrarySubcommand& self, bool json, std::string_view what,
                   const Status& status);

// Opens DIR (never as the presenter); reports failure as above.
int OpenLibrary(const LibrarySubcommand& self, bool json, const std::string& dir,
                std::unique_ptr<library::Library>& library);
// An element as typed (slot:3, drive:0, ie:1, 4096, 0x1000); false after a usage error.
bool ParseElement(const LibrarySubcommand& self, const library::Library& library,
                  std::string_view text, std::uint16_t& address, int& exit_code);

}  // namespace vtape::tool
