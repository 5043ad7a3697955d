// vtape library ls: every element, what it holds and where that came from.
#include <iostream>

#include "tools/command.h"
#include "tools/library_output.h"

namespace vtape::tool {
namespace {

std::vector<const library::Element*> AllElements(const library::State& s) {
  std::vector<const library::Element*> all{&s.transport};
  for (const std::vector<library::Element>* group : {&s.drives, &s.import_export, &s.slots}) {
    for (const library::Element& e : *group) all.push_back(&e);
  }
  return all;
}

void PrintText(const library::Library& lib) {
  const library::State& s = lib.state();
  std::cout << "library " << s.name << " (serial " << s.serial << ") in " << lib.dir()
            << ", generation " << s.generation
            << (s.removal_prevented ? ", medium removal prevented" : "") << "\n";
  std::cout << "ELEMENT\tADDRESS\tBARCODE\tMEDIA\tSOURCE\tNOTES\n";
  for (const library::Element* e : AllElements(s)) {
    char address[8];
    std::snprintf(address, sizeof address, "0x%04x", e->address);
    const library::Cartridge* c = e->full() ? s.FindCartridge(e->barcode) : nullptr;
    std::string notes;
    if (e->type == library::ElementType::kDataTransfer) notes = "serial " + e->drive_serial;
    if (e->type == library::ElementType::kImportExport) {
      notes = e->door_open ? "door open" : "door closed";
      if (e->placed_by_operator) notes += ", placed by operator";
    }
    std::cout << library::ElementName(s.layout, e->address) << "\t" << address << "\t"
              << (c ? c->barcode : "-") << "\t" << (c ? c->media_type : "-") << "\t"
              << (e->source ? library::ElementName(s.layout, *e->source) : "-") << "\t" << notes
              << "\n";
  }
  std::vector<const library::Cartridge*> shelf = s.Shelf();
  if (!shelf.empty()) {
    std::cout << "shelf (exported):";
    for (const library::Cartridge* c : shelf) std::cout << " " << c->barcode;
    std::cout << "\n";
  }
  std::cout << "total: " << s.cartridges.size() << " cartridges, "
            << s.cartridges.size() - shelf.size() << " in the library\n";
}

int Run(std::span<const std::string> argv) {
  const LibrarySubcommand& self = LibraryLsSubcommand();
  Args args;
  int rc = kExitOk;
  if (!ParseLibraryArgs(self, argv, 1, args, rc)) return rc;
  bool json = args.has("--json");
  std::unique_ptr<library::Library> lib;
  if (int open_rc = OpenLibrary(self, json, args.positional[0], lib); open_rc != kExitOk) {
    return open_rc;
  }
  if (!json) {
    PrintText(*lib);
    return kExitOk;
  }
  const library::State& s = lib->state();
  nlohmann::ordered_json answer = JsonAnswer(self.name, true);
  answer["library"] = JsonLibrary(*lib);
  nlohmann::ordered_json elements = nlohmann::ordered_json::array();
  for (const library::Element* e : AllElements(s)) elements.push_back(JsonElement(s, *e));
  answer["elements"] = elements;
  nlohmann::ordered_json shelf = nlohmann::ordered_json::array();
  for (const library::Cartridge* c : s.Shelf()) shelf.push_back(JsonCartridge(*c));
  answer["shelf"] = shelf;
  PrintJson(answer);
  return kExitOk;
}

}  // namespace

const LibrarySubcommand& LibraryLsSubcommand() {
  static const LibrarySubcommand sub{
      "ls", "DIR [--json]",
      "Lists every element (address, type, barcode, source) and the exported cartridges.",
      "  --json               print the answer as one JSON object\n", Run};
  return sub;
}

}  // namespace vtape::tool
