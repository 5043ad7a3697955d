// `vtape`: create, inspect, verify and dump tape media of any backend.
// One dispatch over a table of subcommands (each in its own cmd_*.cc).
#include <iostream>
#include <span>
#include <string>
#include <vector>

#include "rados/rados.h"
#include "rait/rait.h"
#include "tools/command.h"
#include "tools/commands.h"

namespace vtape::tool {
namespace {

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
    const Command* c = FindCommand(args[1]);
    if (!c) {
      std::cerr << "vtape help: no command '" << args[1] << "'\n";
      return kExitUsage;
    }
    if (args.size() > 2) {  // vtape help library move
      for (const Subcommand* sub : SubcommandsOf(*c)) {
        if (sub->name == args[2]) {
          PrintSubcommandHelp(*c, *sub);
          return kExitOk;
        }
      }
      std::cerr << "vtape help: no command '" << args[1] << " " << args[2] << "'\n";
      return kExitUsage;
    }
    PrintHelp(*c);
    return kExitOk;
  }
  const Command* c = FindCommand(first);
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
  vtape::rados::RegisterRados();
  std::vector<std::string> args(argv + 1, argv + argc);
  return vtape::tool::Main(args);
}
