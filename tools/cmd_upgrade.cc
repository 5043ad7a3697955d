// vtape upgrade: rewrites a file: image of format version 1 as version 2 (the
// version that holds partitions; vtape/FORMAT.md, "Partitions").
#include <iostream>

#include "tools/command.h"
#include "vtape/file_image.h"

namespace vtape::tool {
namespace {

int Run(std::span<const std::string> command_line) {
  const Command& self = UpgradeCommand();
  Args args;
  if (int rc = kExitOk; !ParseCommandLine(self, command_line, args, rc)) return rc;
  const std::vector<std::string>& argv = args.positional;
  if (argv.size() != 1) return UsageError(self, "expected exactly one NAME");
  std::string name = ResolveName(argv[0]);
  constexpr std::string_view kFile = "file:";
  if (name.rfind(kFile, 0) != 0) {
    return UsageError(self, "only file: images have format versions, not " + name);
  }
  std::string path = name.substr(kFile.size());
  file_format::Superblock before;
  Status s = ReadImageSuperblock(path, before);
  if (!s.ok()) return OperationError("read " + name, s);
  s = UpgradeImage(path);
  if (!s.ok()) return OperationError("upgrade " + name, s);
  if (before.format_version >= file_format::kFormatVersion2) {
    std::cout << name << ": already format version " << before.format_version << "\n";
  } else {
    std::cout << name << ": format version " << before.format_version << " -> "
              << file_format::kFormatVersion2 << "\n";
  }
  return kExitOk;
}

}  // namespace

const Command& UpgradeCommand() {
  static const Command command{
      "upgrade", "NAME", "Rewrites a file: image of format version 1 as version 2 (partitions).",
      "Only the superblock changes; the records stay where they are. Version 1 images\n"
      "work as they are (one partition); formatting one into more partitions\n"
      "upgrades it by itself. A vtape older than version 2 cannot open the result.\n",
      Run};
  return command;
}

}  // namespace vtape::tool
