// vtape protect: sets or clears the medium's write protect.
#include <iostream>

#include "tools/command.h"

namespace vtape::tool {
namespace {

int Run(std::span<const std::string> command_line) {
  const Command& self = ProtectCommand();
  Args args;
  if (int rc = kExitOk; !ParseCommandLine(self, command_line, args, rc)) return rc;
  const std::vector<std::string>& argv = args.positional;
  if (argv.size() != 2) return UsageError(self, "expected NAME and on or off");
  if (argv[1] != "on" && argv[1] != "off") {
    return UsageError(self, "expected on or off, not '" + argv[1] + "'");
  }
  bool on = argv[1] == "on";
  std::string name = ResolveName(argv[0]);
  std::unique_ptr<Tape> tape;
  Status s = OpenMedium(name, true, tape);
  if (!s.ok()) return OperationError("open " + name, s);
  s = tape->SetWriteProtect(on);
  if (!s.ok()) return OperationError("set write protect of " + name, s);
  s = tape->Close();
  if (!s.ok()) return OperationError("close " + name, s);
  std::cout << name << ": write protect " << (on ? "on" : "off") << "\n";
  return kExitOk;
}

}  // namespace

const Command& ProtectCommand() {
  static const Command command{"protect", "NAME on|off",
                               "Sets (on) or clears (off) the medium's write protect.", "", Run};
  return command;
}

}  // namespace vtape::tool
