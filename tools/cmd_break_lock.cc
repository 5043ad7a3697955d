// vtape break-lock: frees a rados: cartridge whose writing gateway died.
#include <charconv>
#include <iostream>

#include "rados/rados.h"
#include "tools/args.h"
#include "tools/command.h"

namespace vtape::tool {
namespace {

int Run(std::span<const std::string> argv) {
  const Command& self = BreakLockCommand();
  Args args;
  if (int rc = kExitOk; !ParseCommandLine(self, argv, args, rc)) return rc;
  std::uint32_t seconds = 3600;
  if (auto v = args.value("--blocklist-seconds")) {
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), seconds);
    if (ec != std::errc() || end != v->data() + v->size() || seconds == 0) {
      return UsageError(self, "--blocklist-seconds takes a whole number above 0");
    }
  }
  const std::vector<std::string>& names = args.positional;
  if (names.size() != 1) return UsageError(self, "expected exactly one rados: NAME");
  std::string name = ResolveName(names[0]);
  std::vector<std::string> holders;
  Status s = rados::BreakWriterLock(name, seconds, holders);
  if (!s.ok()) return OperationError("break the lock of " + name, s);
  if (holders.empty()) std::cout << name << ": not locked\n";
  for (const std::string& h : holders) {
    std::cout << name << ": fenced and unlocked " << h << " (blocklisted for " << seconds
              << " s)\n";
  }
  return kExitOk;
}

}  // namespace

const Command& BreakLockCommand() {
  static const Command command{
      "break-lock", "NAME [--blocklist-seconds N]",
      "Fences the gateway that holds a rados: cartridge open for writing, then frees it.",
      "Only for a gateway that is dead or cut off: its client address is added to the OSD\n"
      "blocklist so none of its writes can land any more, then the cartridge's exclusive lock\n"
      "is broken and another gateway can open it. A writer whose lock was broken also finds\n"
      "its epoch moved by the next writable open: its header writes fail. The client running\n"
      "this needs the monitor capability to blocklist (client.admin has it).\n"
      "  --blocklist-seconds N  how long the old gateway stays blocklisted (default 3600)\n",
      Run};
  return command;
}

}  // namespace vtape::tool
