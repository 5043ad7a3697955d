#include "library/state_json.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "vtape/media.h"

namespace vtape::library {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// A defect found while decoding; caught in DecodeState, never leaves this file.
struct Defect {
  std::string message;
};

const json& Field(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) throw Defect{where + " has no \"" + key + "\""};
  return *it;
}

std::uint64_t Unsigned(const json& object, const char* key, const std::string& where) {
  const json& v = Field(object, key, where);
  if (!v.is_number_unsigned()) throw Defect{where + "." + key + " is not a whole number >= 0"};
  return v.get<std::uint64_t>();
}

std::uint32_t Count(const json& object, const char* key, std::uint32_t max,
                    const std::string& where) {
  std::uint64_t v = Unsigned(object, key, where);
  if (v > max)
    throw Defect{where + "." + key + " is " + std::to_string(v) + ", at most " +
                 std::to_string(max)};
  return static_cast<std::uint32_t>(v);
}

std::string Text(const json& object, const char* key, const std::string& where) {
  const json& v = Field(object, key, where);
  if (!v.is_string()) throw Defect{where + "." + key + " is not a string"};
  return v.get<std::string>();
}

bool Flag(const json& object, const char* key, const std::string& where) {
  const json& v = Field(object, key, where);
  if (!v.is_boolean()) throw Defect{where + "." + key + " is not true or false"};
  return v.get<bool>();
}

const json& Array(const json& object, const char* key, const std::string& where) {
  const json& v = Field(object, key, where);
  if (!v.is_array()) throw Defect{where + "." + key + " is not an array"};
  return v;
}

// null, or the address of an element of the layout other than the transport.
std::optional<std::uint16_t> OptionalAddress(const json& object, const char* key,
                                             const Layout& layout, const std::string& where) {
  const json& v = Field(object, key, where);
  if (v.is_null()) return std::nullopt;
  if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 0xFFFF) {
    throw Defect{where + "." + key + " is neither null nor an element address"};
  }
  auto address = v.get<std::uint16_t>();
  std::optional<ElementRef> ref = FindElement(layout, address);
  if (!ref || ref->type == ElementType::kTransport) {
    throw Defect{where + "." + key + " is " + std::to_string(address) +
                 ", no element that holds a cartridge"};
  }
  return address;
}

std::string KnownMediaType(const json& object, const std::string& where) {
  std::string name = Text(object, "media_type", where);
  if (!FindMediaType(name)) throw Defect{where + ".media_type '" + name + "' is unknown"};
  return name;
}

void DecodeCartridge(const json& item, const std::string& where, State& state) {
  if (!item.is_object()) throw Defect{where + " is not an object"};
  Cartridge c;
  c.barcode = Text(item, "barcode", where);
  if (Status s = CheckBarcode(c.barcode); !s.ok()) throw Defect{where + ": " + s.message()};
  c.medium = Text(item, "medium", where);
  if (c.medium.empty()) throw Defect{where + ".medium is empty"};
  c.media_type = KnownMediaType(item, where);
  std::optional<std::uint16_t> at = OptionalAddress(item, "element", state.layout, where);
  std::optional<std::uint16_t> source = OptionalAddress(item, "source", state.layout, where);
  bool by_operator = Flag(item, "placed_by_operator", where);
  if (at) {
    Element& e = *state.FindElement(*at);
    if (e.full()) {
      throw Defect{where + " (" + c.barcode + ") is in element " + std::to_string(*at) +
                   ", which already holds " + e.barcode};
    }
    if (by_operator && e.type != ElementType::kImportExport) {
      throw Defect{where + ".placed_by_operator is true outside an import/export element"};
    }
    e.barcode = c.barcode;
    e.source = source;
    e.placed_by_operator = by_operator;
  } else if (source || by_operator) {
    throw Defect{where + " is on the shelf but has a source or placed_by_operator"};
  }
  state.cartridges.push_back(std::move(c));
}

void Decode(const json& root, State& state) {
  const std::string top = "state";
  if (!root.is_object()) throw Defect{"the state is not a JSON object"};
  if (Text(root, "schema", top) != kStateSchema) {
    throw Defect{"state.schema is not \"" + std::string(kStateSchema) + "\""};
  }
  state.generation = Unsigned(root, "generation", top);
  state.operator_generation = Unsigned(root, "operator_generation", top);
  state.name = Text(root, "name", top);
  state.serial = Text(root, "serial", top);
  if (Status s = CheckBarcode(state.serial); !s.ok() || state.serial.size() > 28) {
    throw Defect{"state.serial must be 1 to 28 printable characters without spaces"};
  }
  state.default_media_type = KnownMediaType(root, top);
  state.removal_prevented = Flag(root, "removal_prevented", top);
  const json& layout = Field(root, "layout", top);
  if (!layout.is_object()) throw Defect{"state.layout is not an object"};
  state.layout.drives = Count(layout, "drives", kMaxDrives, "state.layout");
  state.layout.slots = Count(layout, "slots", kMaxSlots, "state.layout");
  state.layout.import_export = Count(layout, "import_export", kMaxImportExport, "state.layout");
  if (state.layout.slots == 0) throw Defect{"state.layout.slots is 0"};
  LayOutElements(state);

  const json& drives = Array(root, "drives", top);
  if (drives.size() != state.layout.drives) throw Defect{"state.drives has the wrong length"};
  for (std::size_t i = 0; i < drives.size(); ++i) {
    std::string where = "state.drives[" + std::to_string(i) + "]";
    if (!drives[i].is_object()) throw Defect{where + " is not an object"};
    state.drives[i].drive_serial = Text(drives[i], "serial", where);
    if (Status s = CheckBarcode(state.drives[i].drive_serial); !s.ok()) {
      throw Defect{where + ".serial must be 1 to 32 printable characters without spaces"};
    }
  }
  const json& ie = Array(root, "import_export", top);
  if (ie.size() != state.layout.import_export) {
    throw Defect{"state.import_export has the wrong length"};
  }
  for (std::size_t i = 0; i < ie.size(); ++i) {
    std::string where = "state.import_export[" + std::to_string(i) + "]";
    if (!ie[i].is_object()) throw Defect{where + " is not an object"};
    state.import_export[i].door_open = Flag(ie[i], "door_open", where);
  }
  const json& cartridges = Array(root, "cartridges", top);
  state.cartridges.reserve(cartridges.size());
  for (std::size_t i = 0; i < cartridges.size(); ++i) {
    DecodeCartridge(cartridges[i], "state.cartridges[" + std::to_string(i) + "]", state);
  }
  std::sort(state.cartridges.begin(), state.cartridges.end(),
            [](const Cartridge& a, const Cartridge& b) { return a.barcode < b.barcode; });
  auto twin = std::adjacent_find(
      state.cartridges.begin(), state.cartridges.end(),
      [](const Cartridge& a, const Cartridge& b) { return a.barcode == b.barcode; });
  if (twin != state.cartridges.end()) {
    throw Defect{"state.cartridges lists barcode " + twin->barcode + " twice"};
  }
}

ordered_json Address(std::optional<std::uint16_t> address) {
  return address ? ordered_json(*address) : ordered_json(nullptr);
}

}  // namespace

void LayOutElements(State& state) {
  auto make = [](ElementType type, std::uint32_t count) {
    std::vector<Element> elements(count);
    for (std::uint32_t i = 0; i < count; ++i) {
      elements[i].type = type;
      elements[i].address = AddressOf(type, i);
    }
    return elements;
  };
  state.transport = Element{};
  state.transport.type = ElementType::kTransport;
  state.transport.address = kTransportAddress;
  state.drives = make(ElementType::kDataTransfer, state.layout.drives);
  state.import_export = make(ElementType::kImportExport, state.layout.import_export);
  state.slots = make(ElementType::kStorage, state.layout.slots);
  for (std::uint32_t i = 0; i < state.layout.drives; ++i) {
    state.drives[i].drive_serial = DriveSerial(state.serial, i);
  }
}

std::string EncodeState(const State& state) {
  ordered_json head;
  head["schema"] = kStateSchema;
  head["version"] = kStateVersion;
  head["generation"] = state.generation;
  head["operator_generation"] = state.operator_generation;
  head["name"] = state.name;
  head["serial"] = state.serial;
  head["media_type"] = state.default_media_type;
  head["removal_prevented"] = state.removal_prevented;
  head["layout"] = {{"drives", state.layout.drives},
                    {"slots", state.layout.slots},
                    {"import_export", state.layout.import_export}};
  ordered_json drives = ordered_json::array();
  for (const Element& d : state.drives) drives.push_back({{"serial", d.drive_serial}});
  head["drives"] = drives;
  ordered_json ie = ordered_json::array();
  for (const Element& e : state.import_export) ie.push_back({{"door_open", e.door_open}});
  head["import_export"] = ie;

  // Everything but the cartridges on one line each, then one line per cartridge.
  std::string text = head.dump(2);
  text.erase(text.size() - 2);  // "\n}"
  text += ",\n  \"cartridges\": [";
  std::unordered_map<std::string_view, const Element*> holder;
  for (const std::vector<Element>* group : {&state.drives, &state.import_export, &state.slots}) {
    for (const Element& e : *group) {
      if (e.full()) holder[e.barcode] = &e;
    }
  }
  bool first = true;
  for (const Cartridge& c : state.cartridges) {
    auto found = holder.find(c.barcode);
    const Element* e = found == holder.end() ? nullptr : found->second;
    ordered_json item;
    item["barcode"] = c.barcode;
    item["media_type"] = c.media_type;
    item["medium"] = c.medium;
    item["element"] = e ? ordered_json(e->address) : ordered_json(nullptr);
    item["source"] = Address(e ? e->source : std::nullopt);
    item["placed_by_operator"] = e ? e->placed_by_operator : false;
    text += first ? "\n    " : ",\n    ";
    text += item.dump();
    first = false;
  }
  text += "\n  ]\n}\n";
  return text;
}

Status DecodeState(std::string_view text, const std::string& what, State& state) {
  state = State{};
  json root;
  try {
    root = json::parse(text);
  } catch (const json::exception& e) {
    return Status::CorruptImage(what + " is not valid JSON (" + e.what() +
                                "); restore it from a backup or recreate the library");
  }
  if (root.is_object()) {
    auto version = root.find("version");
    if (version != root.end() && version->is_number_unsigned() &&
        version->get<std::uint64_t>() > static_cast<std::uint64_t>(kStateVersion)) {
      return Status::Unsupported(what + " has version " + version->dump() +
                                 "; this vtape reads version " + std::to_string(kStateVersion));
    }
  }
  try {
    if (root.is_object() && Unsigned(root, "version", "state") != kStateVersion) {
      throw Defect{"state.version is not " + std::to_string(kStateVersion)};
    }
    Decode(root, state);
  } catch (const Defect& d) {
    state = State{};
    return Status::CorruptImage(what + ": " + d.message);
  } catch (const json::exception& e) {
    state = State{};
    return Status::CorruptImage(what + ": " + e.what());
  }
  return Status::Ok();
}

}  // namespace vtape::library
