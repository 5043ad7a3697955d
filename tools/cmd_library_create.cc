// vtape library create: a new library directory with its cartridges.
#include <charconv>
#include <iostream>

#include "tools/command.h"
#include "tools/library_output.h"

namespace vtape::tool {
namespace {

Status ParseCount(std::string_view option, const std::string& text, std::uint32_t& count) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Status::InvalidArgument(std::string(option) + " '" + text + "' is not a whole number");
  }
  return Status::Ok();
}

// "A00001L8:20,CLN001" -> A00001L8..A00020L8, CLN001.
Status ParseBarcodes(const std::string& text, std::vector<std::string>& barcodes) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? comma : comma - start);
    std::uint32_t count = 1;
    std::size_t colon = item.rfind(':');
    if (colon != std::string::npos) {
      VTAPE_RETURN_IF_ERROR(ParseCount("--barcodes count", item.substr(colon + 1), count));
      item.resize(colon);
    }
    VTAPE_RETURN_IF_ERROR(library::ExpandBarcodes(item, count, barcodes));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return Status::Ok();
}

int Run(std::span<const std::string> argv) {
  const LibrarySubcommand& self = LibraryCreateSubcommand();
  Args args;
  int rc = kExitOk;
  if (!ParseLibraryArgs(self, argv, 1, args, rc)) return rc;
  bool json = args.has("--json");
  library::CreateSpec spec;
  spec.layout = {1, 10, 1};
  struct CountOption {
    const char* option;
    std::uint32_t* count;
  };
  for (CountOption c :
       {CountOption{"--drives", &spec.layout.drives}, CountOption{"--slots", &spec.layout.slots},
        CountOption{"--ie", &spec.layout.import_export}}) {
    if (auto text = args.value(c.option)) {
      if (Status s = ParseCount(c.option, *text, *c.count); !s.ok()) {
        return LibraryUsageError(self, s.message());
      }
    }
  }
  spec.media_type = args.value("--media").value_or("LTO-8");
  spec.name = args.value("--name").value_or("");
  spec.serial = args.value("--serial").value_or("");
  if (auto text = args.value("--barcodes")) {
    if (Status s = ParseBarcodes(*text, spec.barcodes); !s.ok()) {
      return LibraryUsageError(self, "--barcodes: " + s.message());
    }
  }
  if (auto text = args.value("--capacity")) {
    if (Status s = ParseSize(*text, spec.capacity_bytes); !s.ok()) {
      return LibraryUsageError(self, "--capacity: " + s.message());
    }
  }
  if (auto text = args.value("--early-warning")) {
    if (Status s = ParseSize(*text, spec.early_warning_bytes); !s.ok()) {
      return LibraryUsageError(self, "--early-warning: " + s.message());
    }
  }
  const std::string& dir = args.positional[0];
  if (Status s = library::Library::Create(dir, spec); !s.ok()) {
    return LibraryFailure(self, json, "create library " + dir, s);
  }
  std::unique_ptr<library::Library> lib;
  if (int open_rc = OpenLibrary(self, json, dir, lib); open_rc != kExitOk) return open_rc;
  const library::State& s = lib->state();
  if (json) {
    nlohmann::ordered_json answer = JsonAnswer(self.name, true);
    answer["library"] = JsonLibrary(*lib);
    nlohmann::ordered_json cartridges = nlohmann::ordered_json::array();
    for (const std::string& b : spec.barcodes) {
      nlohmann::ordered_json c = JsonCartridge(*s.FindCartridge(b));
      c["element"] = JsonElementRef(s.layout, *s.LocationOf(b));
      cartridges.push_back(c);
    }
    answer["cartridges"] = cartridges;
    PrintJson(answer);
    return kExitOk;
  }
  std::cout << "created library " << s.name << " (serial " << s.serial << ") in " << lib->dir()
            << ": " << s.layout.drives << " drives, " << s.layout.slots << " slots, "
            << s.layout.import_export << " import/export, " << spec.barcodes.size()
            << " cartridges";
  if (!spec.barcodes.empty()) {
    std::cout << " (" << spec.barcodes.front() << " .. " << spec.barcodes.back() << " in slot:1"
              << (spec.barcodes.size() > 1 ? " .. slot:" + std::to_string(spec.barcodes.size())
                                           : std::string())
              << ")";
  }
  std::cout << "\n";
  return kExitOk;
}

}  // namespace

const LibrarySubcommand& LibraryCreateSubcommand() {
  static const LibrarySubcommand sub{
      "create",
      "DIR [--drives 1] [--slots 10] [--ie 1] [--media LTO-8] [--barcodes A00001L8:20,...] "
      "[--name NAME] [--serial S] [--capacity SIZE] [--early-warning SIZE] [--json]",
      "Creates a library: drives, slots and import/export elements, and cartridges\n"
      "      FIRST:COUNT (images in DIR/media) in slots 1, 2, ...",
      "  --drives N           tape drives (default 1)\n"
      "  --slots N            storage slots (default 10)\n"
      "  --ie N               import/export elements, i.e. mail slots (default 1)\n"
      "  --media TYPE         media type of the cartridges: LTO-5 .. LTO-9, LTO-M8 (default "
      "LTO-8)\n"
      "  --barcodes LIST      cartridges to create, comma-separated FIRST[:COUNT] items:\n"
      "                       A00001L8:20 is A00001L8 .. A00020L8 (default: none)\n"
      "  --name NAME          the library's name (default: DIR's base name)\n"
      "  --serial S           the changer's serial number (default: generated)\n"
      "  --capacity SIZE      capacity of each cartridge image (default: the media type's)\n"
      "  --early-warning SIZE early-warning point this far before the end (default 64M)\n"
      "  --json               print the answer as one JSON object\n",
      Run};
  return sub;
}

}  // namespace vtape::tool
