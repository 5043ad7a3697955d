// vtape library: creates, inspects and changes a tape library (library/).
// The subcommands live in cmd_library_*.cc; this file dispatches and holds
// what they share (library_output.h).
#include <iostream>

#include "tools/command.h"
#include "tools/library_output.h"

namespace vtape::tool {

std::span<const LibrarySubcommand* const> LibrarySubcommands() {
  static const LibrarySubcommand* const kAll[] = {
      &LibraryCreateSubcommand(), &LibraryLsSubcommand(),     &LibraryMoveSubcommand(),
      &LibraryImportSubcommand(), &LibraryExportSubcommand(), &LibraryAddSubcommand(),
  };
  return kAll;
}

namespace {

using nlohmann::ordered_json;

int Run(std::span<const std::string> argv) {
  const Command& self = LibraryCommand();
  if (argv.empty()) return UsageError(self, "expected a subcommand");
  for (const LibrarySubcommand* sub : LibrarySubcommands()) {
    if (sub->name == argv[0]) return sub->run(argv.subspan(1));
  }
  return UsageError(self, "no subcommand '" + argv[0] + "'");
}

std::string Help() {
  std::string text = "subcommands:\n";
  for (const LibrarySubcommand* sub : LibrarySubcommands()) {
    text += "  library " + std::string(sub->name) + " " + std::string(sub->synopsis) + "\n      " +
            std::string(sub->summary) + "\n";
  }
  text +=
      "\nvtape library SUBCOMMAND --help shows a subcommand's options.\n"
      "Elements: slot:N (1-based), drive:N (0-based, as mtx numbers drives), ie:N (1-based),\n"
      "or an address (4096, 0x1000). --json prints one JSON object (schema vtape-library-cli,\n"
      "version 1; library/README.md). While tcmu-runner presents the library, moves into or\n"
      "out of a drive are refused (use the changer, e.g. mtx); slots and mail slots work.\n"
      "Exit codes: 0 done, 2 usage error, 3 refused or cannot operate (the reason on stderr,\n"
      "or in \"error\" with --json).\n";
  return text;
}

}  // namespace

const Command& LibraryCommand() {
  static const std::string help = Help();
  static const Command command{"library", "SUBCOMMAND DIR [ARGS] [--json]",
                               "Creates, lists and changes a tape library in DIR.", help, Run};
  return command;
}

int LibraryUsageError(const LibrarySubcommand& self, std::string_view message) {
  std::cerr << "vtape library " << self.name << ": " << message << "\n"
            << "usage: vtape library " << self.name << " " << self.synopsis << "\n"
            << "(vtape help library for details)\n";
  return kExitUsage;
}

bool ParseLibraryArgs(const LibrarySubcommand& self, std::span<const std::string> argv,
                      std::size_t positional, Args& args, int& exit_code) {
  Status parsed = ParseArgs(self.synopsis, self.help, argv, args);
  if (!parsed.ok()) {
    exit_code = LibraryUsageError(self, parsed.message());
    return false;
  }
  if (args.positional.size() != positional) {
    exit_code = LibraryUsageError(self, "expected " + std::to_string(positional) + " argument" +
                                            (positional == 1 ? "" : "s") + ", got " +
                                            std::to_string(args.positional.size()));
    return false;
  }
  return true;
}

ordered_json JsonAnswer(std::string_view command, bool ok) {
  return JsonHead(kLibraryCliSchema, command, ok);
}

ordered_json JsonLibrary(const library::Library& lib) {
  const library::State& s = lib.state();
  ordered_json out;
  out["dir"] = lib.dir();
  out["name"] = s.name;
  out["serial"] = s.serial;
  out["generation"] = s.generation;
  out["operator_generation"] = s.operator_generation;
  out["media_type"] = s.default_media_type;
  out["removal_prevented"] = s.removal_prevented;
  out["layout"] = {{"drives", s.layout.drives},
                   {"slots", s.layout.slots},
                   {"import_export", s.layout.import_export}};
  return out;
}

ordered_json JsonElementRef(const library::Layout& layout, std::uint16_t address) {
  return {{"address", address}, {"name", library::ElementName(layout, address)}};
}

ordered_json JsonElement(const library::State& state, const library::Element& e) {
  ordered_json out;
  out["address"] = e.address;
  out["name"] = library::ElementName(state.layout, e.address);
  out["type"] = library::ElementTypeName(e.type);
  out["type_code"] = static_cast<int>(e.type);
  out["full"] = e.full();
  const library::Cartridge* c = e.full() ? state.FindCartridge(e.barcode) : nullptr;
  out["barcode"] = c ? ordered_json(c->barcode) : ordered_json(nullptr);
  out["media_type"] = c ? ordered_json(c->media_type) : ordered_json(nullptr);
  out["source"] = e.source ? JsonElementRef(state.layout, *e.source) : ordered_json(nullptr);
  if (e.type == library::ElementType::kImportExport) {
    out["placed_by_operator"] = e.placed_by_operator;
    out["door_open"] = e.door_open;
  }
  if (e.type == library::ElementType::kDataTransfer) out["drive_serial"] = e.drive_serial;
  return out;
}

ordered_json JsonCartridge(const library::Cartridge& c) {
  return {{"barcode", c.barcode}, {"media_type", c.media_type}, {"medium", c.medium}};
}

int LibraryFailure(const LibrarySubcommand& self, bool json, std::string_view what,
                   const library::Result& result) {
  if (!json) {
    std::cerr << "vtape library " << self.name << ": " << what << ": "
              << (result.reason == library::Reason::kNone
                      ? result.status.ToString()
                      : "refused (" + std::string(library::ReasonName(result.reason)) +
                            "): " + result.status.message())
              << "\n";
    return kExitCannotOperate;
  }
  return JsonFailure(kLibraryCliSchema, self.name, what, result.status,
                     result.reason == library::Reason::kNone ? std::string_view()
                                                             : library::ReasonName(result.reason));
}

int LibraryFailure(const LibrarySubcommand& self, bool json, std::string_view what,
                   const Status& status) {
  return LibraryFailure(self, json, what, library::Result::Failed(status));
}

int OpenLibrary(const LibrarySubcommand& self, bool json, const std::string& dir,
                std::unique_ptr<library::Library>& lib) {
  Status s = library::Library::Open(dir, {}, lib);
  if (!s.ok()) return LibraryFailure(self, json, "open library " + dir, s);
  return kExitOk;
}

bool ParseElement(const LibrarySubcommand& self, const library::Library& lib, std::string_view text,
                  std::uint16_t& address, int& exit_code) {
  Status s = library::ParseElementName(lib.state().layout, text, address);
  if (s.ok()) return true;
  exit_code = LibraryUsageError(self, s.message());
  return false;
}

}  // namespace vtape::tool
