// vtape library move|import|export|add: one change of the library each.
#include <algorithm>
#include <cctype>
#include <iostream>

#include "tools/command.h"
#include "tools/library_output.h"

namespace vtape::tool {
namespace {

using nlohmann::ordered_json;

// Opens DIR (the first positional argument) after parsing; shared prologue.
struct Session {
  Args args;
  bool json = false;
  std::unique_ptr<library::Library> lib;
};

bool Start(const LibrarySubcommand& self, std::span<const std::string> argv, std::size_t positional,
           Session& session, int& rc) {
  if (!ParseLibraryArgs(self, argv, positional, session.args, rc)) return false;
  session.json = session.args.has("--json");
  rc = OpenLibrary(self, session.json, session.args.positional[0], session.lib);
  return rc == kExitOk;
}

// "--ie 2" means ie:2 and "--slot 3" slot:3; a name or address is taken as is.
bool ParseNumbered(const LibrarySubcommand& self, const library::Library& lib,
                   std::string_view kind, const std::string& text, std::uint16_t& address,
                   int& rc) {
  bool digits = !text.empty() && std::all_of(text.begin(), text.end(),
                                             [](unsigned char c) { return std::isdigit(c) != 0; });
  return ParseElement(self, lib, digits ? std::string(kind) + ":" + text : text, address, rc);
}

void PrintDone(const Session& session, ordered_json answer, const std::string& text) {
  if (!session.json) {
    std::cout << text << "\n";
    return;
  }
  answer["generation"] = session.lib->state().generation;
  PrintJson(answer);
}

std::string Describe(const library::Cartridge& c) {
  return c.barcode + " (" + c.media_type + ", " + c.medium + ")";
}

int RunMove(std::span<const std::string> argv) {
  const LibrarySubcommand& self = LibraryMoveSubcommand();
  Session session;
  int rc = kExitOk;
  if (!Start(self, argv, 3, session, rc)) return rc;
  library::Library& lib = *session.lib;
  std::uint16_t from = 0, to = 0;
  if (!ParseElement(self, lib, session.args.positional[1], from, rc) ||
      !ParseElement(self, lib, session.args.positional[2], to, rc)) {
    return rc;
  }
  const library::Layout& layout = lib.state().layout;
  std::string what =
      "move " + library::ElementName(layout, from) + " to " + library::ElementName(layout, to);
  if (library::Result r = lib.Move(from, to); !r.ok()) {
    return LibraryFailure(self, session.json, what, r);
  }
  const std::string& barcode = lib.state().FindElement(to)->barcode;
  ordered_json answer = JsonAnswer(self.name, true);
  answer["cartridge"] = barcode;
  answer["from"] = JsonElementRef(layout, from);
  answer["to"] = JsonElementRef(layout, to);
  PrintDone(session, answer,
            "moved " + barcode + " from " + library::ElementName(layout, from) + " to " +
                library::ElementName(layout, to));
  return kExitOk;
}

// The wanted cartridge of import/add from --media, --medium, --capacity, --early-warning.
bool NewCartridgeFrom(const LibrarySubcommand& self, const Args& args,
                      library::NewCartridge& wanted, int& rc) {
  wanted.barcode = args.positional[1];
  wanted.media_type = args.value("--media").value_or("");
  wanted.medium = args.value("--medium").value_or("");
  if (auto text = args.value("--capacity")) {
    if (Status s = ParseSize(*text, wanted.capacity_bytes); !s.ok()) {
      rc = LibraryUsageError(self, "--capacity: " + s.message());
      return false;
    }
  }
  if (auto text = args.value("--early-warning")) {
    if (Status s = ParseSize(*text, wanted.early_warning_bytes); !s.ok()) {
      rc = LibraryUsageError(self, "--early-warning: " + s.message());
      return false;
    }
  }
  return true;
}

// Prints the cartridge and where it went, after import and add.
int PlacedAnswer(const LibrarySubcommand& self, const Session& session, std::string_view verb,
                 const std::string& barcode) {
  const library::State& s = session.lib->state();
  const library::Cartridge& c = *s.FindCartridge(barcode);
  std::uint16_t at = *s.LocationOf(barcode);
  ordered_json answer = JsonAnswer(self.name, true);
  answer["cartridge"] = JsonCartridge(c);
  answer["element"] = JsonElementRef(s.layout, at);
  PrintDone(session, answer,
            std::string(verb) + " " + Describe(c) + " into " + library::ElementName(s.layout, at));
  return kExitOk;
}

int RunImport(std::span<const std::string> argv) {
  const LibrarySubcommand& self = LibraryImportSubcommand();
  Session session;
  int rc = kExitOk;
  if (!Start(self, argv, 2, session, rc)) return rc;
  library::NewCartridge wanted;
  if (!NewCartridgeFrom(self, session.args, wanted, rc)) return rc;
  std::optional<std::uint16_t> ie;
  if (auto text = session.args.value("--ie")) {
    std::uint16_t address = 0;
    if (!ParseNumbered(self, *session.lib, "ie", *text, address, rc)) return rc;
    ie = address;
  }
  if (library::Result r = session.lib->Import(wanted, ie); !r.ok()) {
    return LibraryFailure(self, session.json, "import " + wanted.barcode, r);
  }
  return PlacedAnswer(self, session, "imported", wanted.barcode);
}

int RunAdd(std::span<const std::string> argv) {
  const LibrarySubcommand& self = LibraryAddSubcommand();
  Session session;
  int rc = kExitOk;
  if (!Start(self, argv, 2, session, rc)) return rc;
  library::NewCartridge wanted;
  if (!NewCartridgeFrom(self, session.args, wanted, rc)) return rc;
  std::optional<std::uint16_t> element;
  auto slot = session.args.value("--slot");
  auto ie = session.args.value("--ie");
  if (slot && ie) return LibraryUsageError(self, "give --slot or --ie, not both");
  if (slot || ie) {
    std::uint16_t address = 0;
    if (!ParseNumbered(self, *session.lib, slot ? "slot" : "ie", slot ? *slot : *ie, address, rc)) {
      return rc;
    }
    element = address;
  }
  if (library::Result r = session.lib->Add(wanted, element); !r.ok()) {
    return LibraryFailure(self, session.json, "add " + wanted.barcode, r);
  }
  return PlacedAnswer(self, session, "added", wanted.barcode);
}

int RunExport(std::span<const std::string> argv) {
  const LibrarySubcommand& self = LibraryExportSubcommand();
  Session session;
  int rc = kExitOk;
  if (!Start(self, argv, 2, session, rc)) return rc;
  library::Library& lib = *session.lib;
  const std::string& typed = session.args.positional[1];
  std::uint16_t from = 0;
  // A barcode names the import/export element that holds it.
  if (lib.state().FindCartridge(typed)) {
    std::optional<std::uint16_t> at = lib.state().LocationOf(typed);
    if (!at) {
      return LibraryFailure(self, session.json, "export " + typed,
                            Status::NotFound(typed + " is not in the library (already exported)"));
    }
    from = *at;
  } else if (!ParseElement(self, lib, typed, from, rc)) {
    return rc;
  }
  const library::Layout& layout = lib.state().layout;
  std::string barcode = lib.state().FindElement(from)->barcode;
  if (library::Result r = lib.Export(from); !r.ok()) {
    return LibraryFailure(self, session.json, "export " + library::ElementName(layout, from), r);
  }
  const library::Cartridge& c = *lib.state().FindCartridge(barcode);
  ordered_json answer = JsonAnswer(self.name, true);
  answer["cartridge"] = JsonCartridge(c);
  answer["from"] = JsonElementRef(layout, from);
  PrintDone(session, answer,
            "exported " + Describe(c) + " from " + library::ElementName(layout, from) +
                "; it is on the shelf (import brings it back)");
  return kExitOk;
}

}  // namespace

const LibrarySubcommand& LibraryMoveSubcommand() {
  static const LibrarySubcommand sub{
      "move", "DIR FROM TO [--json]",
      "Moves the cartridge in element FROM to the empty element TO.",
      "FROM and TO are elements: slot:N, drive:N, ie:N or an address.\n"
      "  --json               print the answer as one JSON object\n",
      RunMove};
  return sub;
}

const LibrarySubcommand& LibraryImportSubcommand() {
  static const LibrarySubcommand sub{
      "import",
      "DIR BARCODE [--ie N] [--media TYPE] [--medium NAME] [--capacity SIZE] [--early-warning "
      "SIZE] [--json]",
      "The operator puts a cartridge into a mail slot (the first empty one, or ie:N):\n"
      "      an exported one comes back, a new one is created (see add).",
      "  --ie N               the mail slot to put it in (default: the first empty one)\n"
      "  --media TYPE         media type of a new cartridge (default: the barcode's LTO\n"
      "                       suffix, else the library's)\n"
      "  --medium NAME        a new cartridge's medium, any backend name\n"
      "                       (default: DIR/media/BARCODE.img)\n"
      "  --capacity SIZE      capacity of a new cartridge image\n"
      "  --early-warning SIZE early-warning point of a new cartridge image\n"
      "  --json               print the answer as one JSON object\n",
      RunImport};
  return sub;
}

const LibrarySubcommand& LibraryExportSubcommand() {
  static const LibrarySubcommand sub{
      "export", "DIR FROM [--json]",
      "The operator takes the cartridge out of mail slot FROM (or the one holding\n"
      "      barcode FROM); its image stays in DIR/media.",
      "  --json               print the answer as one JSON object\n", RunExport};
  return sub;
}

const LibrarySubcommand& LibraryAddSubcommand() {
  static const LibrarySubcommand sub{
      "add",
      "DIR BARCODE [--slot N | --ie N] [--media TYPE] [--medium NAME] [--capacity SIZE] "
      "[--early-warning SIZE] "
      "[--json]",
      "Creates a cartridge (DIR/media/BARCODE.img, or adopts that image if it exists, or\n"
      "      uses --medium NAME of any backend) in the first empty slot, slot:N or ie:N.",
      "  --slot N             the slot to put it in (default: the first empty slot)\n"
      "  --ie N               a mail slot to put it in instead\n"
      "  --media TYPE         media type (default: the barcode's LTO suffix, else the\n"
      "                       library's)\n"
      "  --medium NAME        the cartridge's medium, any backend name\n"
      "                       (default: DIR/media/BARCODE.img)\n"
      "  --capacity SIZE      capacity of a new image\n"
      "  --early-warning SIZE early-warning point of a new image\n"
      "  --json               print the answer as one JSON object\n",
      RunAdd};
  return sub;
}

}  // namespace vtape::tool
