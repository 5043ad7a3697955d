#include "tools/commands.h"

#include <string>

#include "tools/library_output.h"

namespace vtape::tool {

// To add a command: define `const Command& XCommand()` in tools/cmd_x.cc (or
// rait_x.cc) and add one line here. `vtape rebuild` (tools/rait_rebuild.cc) is
// already wired: tools/CMakeLists.txt compiles that file and defines
// VTAPE_TOOL_HAS_REBUILD as soon as it exists, so it needs no edit here.
std::span<const Command* const> AllCommands() {
  static const Command* const kAll[] = {
      &CreateCommand(),  &InfoCommand(),    &LsCommand(),      &VerifyCommand(),
      &DumpCommand(),    &ProtectCommand(), &UpgradeCommand(), &LibraryCommand(),
      &CopyCommand(),    &BreakLockCommand(),
#ifdef VTAPE_TOOL_HAS_REBUILD
      &RebuildCommand(),
#endif
  };
  return kAll;
}

const Command* FindCommand(std::string_view name) {
  for (const Command* c : AllCommands()) {
    if (c->name == name) return c;
  }
  return nullptr;
}

std::span<const Subcommand* const> SubcommandsOf(const Command& command) {
  if (&command == &LibraryCommand()) return LibrarySubcommands();
  return {};
}

void PrintOverview(std::ostream& out) {
  out << "usage: vtape COMMAND [ARGS]\n\n" << kOverview << "\ncommands:\n";
  for (const Command* c : AllCommands()) {
    std::string head = std::string(c->name) + " " + std::string(c->synopsis);
    out << "  " << head << "\n      " << c->summary << "\n";
  }
  out << "\nvtape help COMMAND (or vtape COMMAND --help) shows a command's details.\n"
         "exit codes:\n";
  for (const ExitCode& e : kExitCodes) out << "  " << e.code << "  " << e.meaning << "\n";
}

}  // namespace vtape::tool
