// vtape rebuild: recreates one member of a rait: set from the others.
#include <unistd.h>

#include <charconv>
#include <iostream>
#include <optional>

#include "rait/rait.h"
#include "tools/command.h"
#include "tools/progress.h"

namespace vtape::tool {
namespace {

int Run(std::span<const std::string> command_line) {
  const Command& self = RebuildCommand();
  Args args;
  if (int rc = kExitOk; !ParseCommandLine(self, command_line, args, rc)) return rc;
  const std::vector<std::string>& argv = args.positional;
  if (argv.size() != 2) return UsageError(self, "expected RAITNAME and MEMBER_INDEX");
  const std::string& name = argv[0];
  if (!name.starts_with("rait:")) {
    return UsageError(self, "'" + name + "' is not a rait: set (rait:{NAME,NAME,...})");
  }
  std::size_t index = 0;
  auto [end, ec] = std::from_chars(argv[1].data(), argv[1].data() + argv[1].size(), index);
  if (ec != std::errc() || end != argv[1].data() + argv[1].size()) {
    return UsageError(self, "MEMBER_INDEX '" + argv[1] + "' is not a whole number (0 = first)");
  }
  std::optional<Progress> progress;
  bool terminal = isatty(STDERR_FILENO) == 1;
  Status s = rait::RebuildMember(name, index, [&](std::uint64_t done, std::uint64_t total) {
    if (!progress) progress.emplace("rebuild member " + std::to_string(index), total, terminal);
    progress->Update(done);
  });
  if (progress) progress->Finish();
  if (!s.ok()) return OperationError("rebuild member " + argv[1] + " of " + name, s);
  std::cout << name << ": member " << index << " rebuilt; the set is complete\n";
  return kExitOk;
}

}  // namespace

const Command& RebuildCommand() {
  static const Command command{
      "rebuild", "RAITNAME MEMBER_INDEX",
      "Recreates a missing or corrupt member of a rait: set from the others.",
      "MEMBER_INDEX counts from 0 in the order the name lists the members. The member is\n"
      "created anew (replacing what is there) with the set's label and attributes and\n"
      "every record and filemark byte-identical to what it held; afterwards the set is\n"
      "no longer degraded. Every other member must be present and intact.\n"
      "Shows a progress bar on stderr when it is a terminal, plain progress lines otherwise.\n"
      "Example: vtape rebuild 'rait:file:/tapes/t1-{a,b,c}.img' 1",
      Run};
  return command;
}

}  // namespace vtape::tool
