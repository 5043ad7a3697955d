// `vtape`: create, inspect, verify and dump tape media of any backend.
// One dispatch over a table of subcommands (each in its own cmd_*.cc).
#include <iostream>
#include <span>
#include <string>
#include <vector>

#include "rait/rait.h"
#include "tools/command.h"

namespace vtape::tool {
namespace {

// The subcommands, in the order `vtape --help` lists them.
// To add one: define `const Command& XCommand()` in tools/cmd_x.cc (or
// rait_x.cc) and add one line here. `vtape rebuild` (tools/rait_rebuild.cc) is
// already wired: tools/CMakeLists.txt compiles that file and defines
// VTAPE_TOOL_HAS_REBUILD as soon as it exists, so it needs no edit here.
std::vector<const Command*> Commands() {
  return {
      &CreateCommand(),  &InfoCommand(),    &LsCommand(),      &VerifyCommand(),
      &DumpCommand(),    &ProtectCommand(), &UpgradeCommand(), &LibraryCommand(),
#ifdef VTAPE_TOOL_HAS_REBUILD
      &RebuildCommand(),
#endif
  };
}

void PrintOverview(std::ostream& out) {
  out << "usage: vtape COMMAND [ARGS]\n\n"
         "Creates and inspects virtual tape media. NAME is a backend name such as\n"
         "file:/tapes/A00001L8.img or rait:{...}; anything else (its text before ':'\n"
         "names no backend) is a path and means file:PATH, as in the handler's config\n"
         "string. SIZE: bytes, or K, M, G, T (1024-based), KB, MB, GB, TB (1000-based).\n\n"
         "commands:\n";
  for (const Command* c : Commands()) {
    std::string head = std::string(c->name) + " " + std::string(c->synopsis);
    out << "  " << head << "\n      " << c->summary << "\n";
  }
  out << "\nvtape help COMMAND shows a command's details.\n"
         "exit codes: 0 ok, 1 data problem found, 2 usage error, 3 cannot open or operate\n";
}

const Command* Find(std::string_view name) {
  for (const Command* c : Commands()) {
    if (c->name == name) return c;
  }
  return nullptr;
}

int Main(std::span<const std::string> args) {
  if (args.empty()) {
    PrintOverview(std::cerr);
    return kExitUsage;
  }
  const std::string& first = args[0];
  if (first == "-h" || first == "--help") {
    PrintOverview(std::cout);
    return kExitOk;
  }
  if (first == "help") {
    if (args.size() == 1) {
      PrintOverview(std::cout);
      return kExitOk;
    }
    const Command* c = Find(args[1]);
    if (!c) {
      std::cerr << "vtape help: no command '" << args[1] << "'\n";
      return kExitUsage;
    }
    PrintHelp(*c);
    return kExitOk;
  }
  const Command* c = Find(first);
  if (!c) {
    std::cerr << "vtape: no command '" << first << "'\n\n";
    PrintOverview(std::cerr);
    return kExitUsage;
  }
  if (WantsHelp(*c, args.subspan(1))) return kExitOk;
  return c->run(args.subspan(1));
}

}  // namespace
}  // namespace vtape::tool

int main(int argc, char** argv) {
  vtape::rait::RegisterRait();  // before any name is resolved
  std::vector<std::string> args(argv + 1, argv + argc);
  return vtape::tool::Main(args);
}
