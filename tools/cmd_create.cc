// vtape create: a blank medium with a label and a shape.
#include <iostream>
#include <vector>

#include "tools/args.h"
#include "tools/command.h"
#include "vtape/media.h"

namespace vtape::tool {
namespace {

// --partitions N[:SIZE,...]: N partitions; the SIZEs (N-1 of them) are those
// of the first N-1, the last gets the rest. Without SIZEs the partitions share
// the capacity equally (the last gets what division leaves). The last size in
// `sizes` is 0 (the rest), as FormatPartitions takes it.
Status ParsePartitionSizes(const std::string& text, std::uint64_t capacity, std::uint32_t most,
                           std::vector<std::uint64_t>& sizes) {
  std::size_t colon = text.find(':');
  std::uint64_t n = 0;
  Status s = ParseSize(text.substr(0, colon), n);
  if (!s.ok() || n < 1 || n > most) {
    return Status::InvalidArgument("'" + text.substr(0, colon) +
                                   "' is no partition count this media type allows (1 to " +
                                   std::to_string(most) + ")");
  }
  sizes.clear();
  if (colon == std::string::npos) {
    sizes.assign(n, capacity / n);
  } else {
    std::string rest = text.substr(colon + 1);
    while (!rest.empty()) {
      std::size_t comma = rest.find(',');
      std::uint64_t size = 0;
      VTAPE_RETURN_IF_ERROR(ParseSize(rest.substr(0, comma), size));
      if (size == 0) return Status::InvalidArgument("a partition size must be more than 0");
      sizes.push_back(size);
      rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
    }
    if (sizes.size() != n - 1) {
      return Status::InvalidArgument("give " + std::to_string(n - 1) +
                                     " sizes for the first partitions (the last gets the rest)");
    }
    sizes.push_back(0);
  }
  sizes.back() = 0;
  return Status::Ok();
}

// Partitions the medium just created.
Status FormatNewMedium(const std::string& name, const CreateOptions& options,
                       const std::vector<std::uint64_t>& sizes) {
  std::unique_ptr<Tape> tape;
  VTAPE_RETURN_IF_ERROR(OpenMedium(name, true, tape));
  if (options.write_protected) VTAPE_RETURN_IF_ERROR(tape->SetWriteProtect(false));
  Status s = FormatPartitions(*tape, sizes);
  if (s.ok() && options.write_protected) s = tape->SetWriteProtect(true);
  Status closed = tape->Close();
  return s.ok() ? closed : s;
}

int Run(std::span<const std::string> argv) {
  const Command& self = CreateCommand();
  Args args;
  if (int rc = kExitOk; !ParseCommandLine(self, argv, args, rc)) return rc;
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
  if (args.has("--worm")) {
    type = WormMediaType(*type);
    if (!type) return UsageError(self, "--worm: " + media + " has no WORM cartridge");
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
  std::vector<std::uint64_t> sizes;
  if (auto text = args.value("--partitions")) {
    Status s = ParsePartitionSizes(*text, capacity, MaxPartitionsOf(options.media_type), sizes);
    if (!s.ok()) return UsageError(self, "--partitions: " + s.message());
  }

  std::string name = ResolveName(args.positional[0]);
  Status created = CreateTape(name, options);
  if (!created.ok()) return OperationError("create " + name, created);
  if (sizes.size() > 1) {
    Status formatted = FormatNewMedium(name, options, sizes);
    if (!formatted.ok()) return OperationError("partition " + name, formatted);
  }
  std::cout << "created " << name << ": barcode '" << options.barcode << "', " << options.media_type
            << ", capacity " << capacity << " bytes (" << HumanBytes(capacity) << ")"
            << (options.write_protected ? ", write protected" : "");
  if (sizes.size() > 1) {
    std::cout << ", " << sizes.size() << " partitions (";
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      std::cout << (i ? ", " : "") << sizes[i] << (i + 1 == sizes.size() ? " rest" : "");
    }
    std::cout << ")";
  }
  std::cout << "\n";
  return kExitOk;
}

}  // namespace

const Command& CreateCommand() {
  static const Command command{
      "create",
      "NAME [--barcode B] [--media LTO-8] [--capacity SIZE] [--early-warning SIZE] "
      "[--partitions N[:SIZE,...]] [--worm] [--write-protect] [--force]",
      "Creates a blank medium.",
      "  --barcode B          volume label, printable ASCII, at most 32 characters\n"
      "  --media TYPE         LTO-5 .. LTO-9, LTO-M8 (default LTO-8)\n"
      "  --capacity SIZE      hard end (default: the media type's native capacity);\n"
      "                       SIZE is bytes or 400M, 2G, 1T (1024-based), 400MB, 2GB (1000-based)\n"
      "  --early-warning SIZE early-warning point this far before the end (default 64M)\n"
      "  --partitions N[:SIZE,...]\n"
      "                       N partitions (LTO-5/6 media: at most 2, LTO-7 and later: 4);\n"
      "                       the SIZEs are the first N-1 partitions', the last gets the\n"
      "                       rest (default: equal shares). 2:1G is LTFS's usual layout\n"
      "  --worm               a WORM (write once) cartridge of that generation (LTO-5 ..\n"
      "                       LTO-9): data can only be appended; overwriting, ERASE and\n"
      "                       FORMAT MEDIUM of written data are refused (DATA PROTECT)\n"
      "  --write-protect      create it write protected\n"
      "  --force              replace an existing medium of that name\n",
      Run};
  return command;
}

}  // namespace vtape::tool
