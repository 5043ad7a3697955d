// vtape create: a blank medium with a label and a shape.
#include <iostream>

#include "tools/args.h"
#include "tools/command.h"
#include "vtape/media.h"

namespace vtape::tool {
namespace {

int Run(std::span<const std::string> argv) {
  const Command& self = CreateCommand();
  Args args;
  Status parsed = ParseArgs(argv, {"--barcode", "--media", "--capacity", "--early-warning"},
                            {"--write-protect", "--force"}, args);
  if (!parsed.ok()) return UsageError(self, parsed.message());
  if (args.positional.size() != 1) return UsageError(self, "expected exactly one NAME");

  CreateOptions options;
  options.barcode = args.value("--barcode").value_or("");
  if (options.barcode.size() > 32) return UsageError(self, "--barcode holds at most 32 characters");
  for (char c : options.barcode) {
    if (c < 0x20 || c > 0x7e) return UsageError(self, "--barcode must be printable ASCII");
  }
  std::string media = args.value("--media").value_or("LTO-8");
  auto type = FindMediaType(media);
  if (!type) {
    std::string known;
    for (const MediaType& t : AllMediaTypes())
      known += (known.empty() ? "" : ", ") + std::string(t.name);
    return UsageError(self, "unknown media type '" + media + "' (known: " + known + ")");
  }
  options.media_type = type->name;
  if (auto text = args.value("--capacity")) {
    Status s = ParseSize(*text, options.capacity_bytes);
    if (!s.ok()) return UsageError(self, "--capacity: " + s.message());
  }
  if (auto text = args.value("--early-warning")) {
    Status s = ParseSize(*text, options.early_warning_bytes);
    if (!s.ok()) return UsageError(self, "--early-warning: " + s.message());
  }
  std::uint64_t capacity = options.capacity_bytes ? options.capacity_bytes : type->native_bytes;
  if (Status s = CheckEarlyWarning(capacity, options.early_warning_bytes); !s.ok()) {
    return UsageError(self, "--early-warning: " + s.message());
  }
  options.write_protected = args.has("--write-protect");
  options.overwrite = args.has("--force");

  std::string name = ResolveName(args.positional[0]);
  Status created = CreateTape(name, options);
  if (!created.ok()) return OperationError("create " + name, created);
  std::cout << "created " << name << ": barcode '" << options.barcode << "', " << options.media_type
            << ", capacity " << capacity << " bytes (" << HumanBytes(capacity) << ")"
            << (options.write_protected ? ", write protected" : "") << "\n";
  return kExitOk;
}

}  // namespace

const Command& CreateCommand() {
  static const Command command{
      "create",
      "NAME [--barcode B] [--media LTO-8] [--capacity SIZE] [--early-warning SIZE] "
      "[--write-protect] [--force]",
      "Creates a blank medium.",
      "  --barcode B          volume label, printable ASCII, at most 32 characters\n"
      "  --media TYPE         LTO-5 .. LTO-9, LTO-M8 (default LTO-8)\n"
      "  --capacity SIZE      hard end (default: the media type's native capacity);\n"
      "                       SIZE is bytes or 400M, 2G, 1T (1024-based), 400MB, 2GB (1000-based)\n"
      "  --early-warning SIZE early-warning point this far before the end (default 64M)\n"
      "  --write-protect      create it write protected\n"
      "  --force              replace an existing medium of that name\n",
      Run};
  return command;
}

}  // namespace vtape::tool
