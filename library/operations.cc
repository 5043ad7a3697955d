#include "library/operations.h"

#include <algorithm>

#include "vtape/media.h"

namespace vtape::library {
namespace {

std::string Hex(std::uint16_t address) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%04x", address);
  return text;
}

// The element at `address` if a cartridge can be there (not the transport).
Result Locate(State& state, std::uint16_t address, Element*& element) {
  element = state.FindElement(address);
  if (!element || element->type == ElementType::kTransport) {
    return Result::Refused(
        Reason::kInvalidElement,
        "no storage, import/export or drive element has address " + Hex(address));
  }
  return Result::Ok();
}

// Whether the transport may reach `element` now.
Result Reach(const State& state, const Element& element, bool drives_reachable) {
  std::string name = ElementName(state.layout, element.address);
  if (element.type == ElementType::kDataTransfer && !drives_reachable) {
    return Result::Refused(Reason::kPresented,
                           name +
                               " is a drive of a library that tcmu-runner presents: load and "
                               "unload through the changer (mtx) instead");
  }
  if (element.type == ElementType::kImportExport && element.door_open) {
    return Result::Refused(Reason::kDoorOpen,
                           name + " has its door open: the transport cannot reach it");
  }
  return Result::Ok();
}

Result Empty(const State& state, const Element& e) {
  return Result::Refused(Reason::kSourceEmpty, ElementName(state.layout, e.address) + " is empty");
}

Result Full(const State& state, const Element& e) {
  return Result::Refused(Reason::kDestinationFull,
                         ElementName(state.layout, e.address) + " is full (" + e.barcode + ")");
}

// Moves the cartridge of `from` into the empty `to` as the transport does.
void Carry(Element& from, Element& to) {
  to.barcode = std::move(from.barcode);
  to.source = from.address;
  to.placed_by_operator = false;
  from.barcode.clear();
  from.source.reset();
  from.placed_by_operator = false;
}

Result OperatorAccess(const State& state) {
  if (!state.removal_prevented) return Result::Ok();
  return Result::Refused(Reason::kRemovalPrevented,
                         "medium removal is prevented (PREVENT ALLOW MEDIUM REMOVAL): the "
                         "import/export elements are locked");
}

// The import/export element at `address`, or a refusal.
Result ImportExportElement(const State& state, std::uint16_t address, const Element*& element) {
  element = state.FindElement(address);
  if (!element) {
    return Result::Refused(Reason::kInvalidElement, "no element has address " + Hex(address));
  }
  if (element->type != ElementType::kImportExport) {
    return Result::Refused(Reason::kNotImportExport,
                           ElementName(state.layout, address) + " is no import/export element");
  }
  return Result::Ok();
}

// The first empty element of `group`, or nullopt.
std::optional<std::uint16_t> FirstEmpty(const std::vector<Element>& group) {
  for (const Element& e : group) {
    if (!e.full()) return e.address;
  }
  return std::nullopt;
}

}  // namespace

Result ApplyMove(State& state, std::uint16_t from, std::uint16_t to, bool drives_reachable) {
  Element *source = nullptr, *dest = nullptr;
  if (Result r = Locate(state, from, source); !r.ok()) return r;
  if (Result r = Locate(state, to, dest); !r.ok()) return r;
  for (const Element* e : {source, dest}) {
    if (Result r = Reach(state, *e, drives_reachable); !r.ok()) return r;
  }
  if (!source->full()) return Empty(state, *source);
  if (dest->full()) return Full(state, *dest);
  Carry(*source, *dest);
  return Result::Ok();
}

Result ApplyExchange(State& state, std::uint16_t source, std::uint16_t first_dest,
                     std::uint16_t second_dest, bool drives_reachable) {
  Element *s = nullptr, *first = nullptr, *second = nullptr;
  if (Result r = Locate(state, source, s); !r.ok()) return r;
  if (Result r = Locate(state, first_dest, first); !r.ok()) return r;
  if (Result r = Locate(state, second_dest, second); !r.ok()) return r;
  for (const Element* e : {s, first, second}) {
    if (Result r = Reach(state, *e, drives_reachable); !r.ok()) return r;
  }
  if (!s->full()) return Empty(state, *s);
  if (first == s) {
    return Result::Refused(Reason::kDestinationFull, "the first destination is the source (" +
                                                         ElementName(state.layout, source) + ")");
  }
  if (!first->full()) {
    return Result::Refused(Reason::kFirstDestinationEmpty,
                           ElementName(state.layout, first_dest) +
                               " (the first destination) is empty: nothing to exchange");
  }
  if (second != s && second->full()) return Full(state, *second);
  // Through the transport: the first destination's cartridge leaves first.
  Element in_hand;
  in_hand.address = first->address;
  Carry(*first, in_hand);
  Carry(*s, *first);
  Carry(in_hand, *second);  // its source: in_hand.address, the first destination
  return Result::Ok();
}

Result ChooseImportElement(const State& state, std::string_view barcode,
                           std::optional<std::uint16_t> ie, std::uint16_t& chosen, bool& known) {
  if (Status s = CheckBarcode(barcode); !s.ok()) {
    return Result::Refused(Reason::kInvalidBarcode, s.message());
  }
  if (Result r = OperatorAccess(state); !r.ok()) return r;
  known = state.FindCartridge(barcode) != nullptr;
  if (known) {
    if (std::optional<std::uint16_t> at = state.LocationOf(barcode)) {
      return Result::Refused(Reason::kAlreadyInLibrary, std::string(barcode) +
                                                            " is already in the library, in " +
                                                            ElementName(state.layout, *at));
    }
  }
  if (ie) {
    const Element* e = nullptr;
    if (Result r = ImportExportElement(state, *ie, e); !r.ok()) return r;
    if (e->full()) return Full(state, *e);
    chosen = *ie;
    return Result::Ok();
  }
  std::optional<std::uint16_t> free = FirstEmpty(state.import_export);
  if (!free) {
    return Result::Refused(Reason::kNoFreeElement, state.import_export.empty()
                                                       ? "the library has no import/export elements"
                                                       : "every import/export element is full");
  }
  chosen = *free;
  return Result::Ok();
}

Result ChooseAddElement(const State& state, std::string_view barcode,
                        std::optional<std::uint16_t> element, std::uint16_t& chosen) {
  if (Status s = CheckBarcode(barcode); !s.ok()) {
    return Result::Refused(Reason::kInvalidBarcode, s.message());
  }
  if (state.FindCartridge(barcode)) {
    std::optional<std::uint16_t> at = state.LocationOf(barcode);
    return Result::Refused(Reason::kDuplicateBarcode,
                           "the library already has a cartridge " + std::string(barcode) + " (" +
                               (at ? "in " + ElementName(state.layout, *at)
                                   : std::string("on the shelf; import it instead")) +
                               ")");
  }
  if (element) {
    const Element* e = state.FindElement(*element);
    if (!e) {
      return Result::Refused(Reason::kInvalidElement, "no element has address " + Hex(*element));
    }
    if (e->type != ElementType::kStorage && e->type != ElementType::kImportExport) {
      return Result::Refused(Reason::kWrongElementType,
                             ElementName(state.layout, *element) +
                                 " is no slot or import/export element: a new cartridge goes "
                                 "into one of those");
    }
    if (e->full()) return Full(state, *e);
    chosen = *element;
    return Result::Ok();
  }
  std::optional<std::uint16_t> free = FirstEmpty(state.slots);
  if (!free) return Result::Refused(Reason::kNoFreeElement, "every slot is full");
  chosen = *free;
  return Result::Ok();
}

Result ResolveMediaType(const State& state, std::string_view barcode, std::string_view requested,
                        std::string& media_type) {
  std::optional<std::string> labelled = MediaTypeOfBarcode(barcode);
  if (requested.empty()) {
    media_type = labelled ? *labelled : state.default_media_type;
    return Result::Ok();
  }
  std::optional<MediaType> type = FindMediaType(requested);
  if (!type) {
    std::string known;
    for (const MediaType& t : AllMediaTypes()) {
      known += (known.empty() ? "" : ", ") + std::string(t.name);
    }
    return Result::Refused(
        Reason::kUnknownMediaType,
        "unknown media type '" + std::string(requested) + "' (known: " + known + ")");
  }
  if (labelled && *labelled != type->name) {
    return Result::Refused(Reason::kMediaTypeMismatch,
                           "barcode " + std::string(barcode) + " labels an " + *labelled +
                               " cartridge, not " + std::string(type->name));
  }
  media_type = type->name;
  return Result::Ok();
}

void PlaceNew(State& state, Cartridge cartridge, std::uint16_t at) {
  Element& e = *state.FindElement(at);
  e.barcode = cartridge.barcode;
  e.source.reset();
  e.placed_by_operator = e.type == ElementType::kImportExport;
  auto it =
      std::lower_bound(state.cartridges.begin(), state.cartridges.end(), cartridge.barcode,
                       [](const Cartridge& c, const std::string& b) { return c.barcode < b; });
  state.cartridges.insert(it, std::move(cartridge));
}

void PlaceFromShelf(State& state, std::string_view barcode, std::uint16_t at) {
  Element& e = *state.FindElement(at);
  e.barcode = std::string(barcode);
  e.source.reset();
  e.placed_by_operator = e.type == ElementType::kImportExport;
}

Result ApplyExport(State& state, std::uint16_t ie) {
  const Element* found = nullptr;
  if (Result r = ImportExportElement(state, ie, found); !r.ok()) return r;
  if (Result r = OperatorAccess(state); !r.ok()) return r;
  Element& e = *state.FindElement(ie);
  if (!e.full()) return Empty(state, e);
  e.barcode.clear();
  e.source.reset();
  e.placed_by_operator = false;
  return Result::Ok();
}

Result ApplySetDoor(State& state, std::uint16_t ie, bool open) {
  const Element* found = nullptr;
  if (Result r = ImportExportElement(state, ie, found); !r.ok()) return r;
  if (open && !found->door_open) {
    if (Result r = OperatorAccess(state); !r.ok()) return r;
  }
  state.FindElement(ie)->door_open = open;
  return Result::Ok();
}

}  // namespace vtape::library
