// State lookups and reason names (library.h, "State" and "Results").
#include <algorithm>
#include <unordered_set>

#include "library/library.h"

namespace vtape::library {
namespace {

template <typename StateT>
auto* FindIn(StateT& state, std::uint16_t address) {
  using ElementT = std::remove_reference_t<decltype((state.transport))>;
  std::optional<ElementRef> ref = library::FindElement(state.layout, address);
  ElementT* none = nullptr;
  if (!ref) return none;
  switch (ref->type) {
    case ElementType::kTransport:
      return &state.transport;
    case ElementType::kDataTransfer:
      return &state.drives[ref->index];
    case ElementType::kImportExport:
      return &state.import_export[ref->index];
    case ElementType::kStorage:
      return &state.slots[ref->index];
  }
  return none;
}

}  // namespace

const Element* State::FindElement(std::uint16_t address) const {
  return FindIn(*this, address);
}

Element* State::FindElement(std::uint16_t address) {
  return FindIn(*this, address);
}

const Cartridge* State::FindCartridge(std::string_view barcode) const {
  auto it = std::lower_bound(cartridges.begin(), cartridges.end(), barcode,
                             [](const Cartridge& c, std::string_view b) { return c.barcode < b; });
  if (it == cartridges.end() || it->barcode != barcode) return nullptr;
  return &*it;
}

std::optional<std::uint16_t> State::LocationOf(std::string_view barcode) const {
  for (const std::vector<Element>* group : {&drives, &import_export, &slots}) {
    for (const Element& e : *group) {
      if (e.barcode == barcode) return e.address;
    }
  }
  return std::nullopt;
}

std::vector<const Cartridge*> State::Shelf() const {
  std::unordered_set<std::string_view> inside;
  for (const std::vector<Element>* group : {&drives, &import_export, &slots}) {
    for (const Element& e : *group) {
      if (e.full()) inside.insert(e.barcode);
    }
  }
  std::vector<const Cartridge*> shelf;
  for (const Cartridge& c : cartridges) {
    if (!inside.count(c.barcode)) shelf.push_back(&c);
  }
  return shelf;
}

std::string_view ReasonName(Reason reason) {
  switch (reason) {
    case Reason::kNone:
      return "none";
    case Reason::kInvalidElement:
      return "invalid-element";
    case Reason::kSourceEmpty:
      return "source-empty";
    case Reason::kDestinationFull:
      return "destination-full";
    case Reason::kFirstDestinationEmpty:
      return "first-destination-empty";
    case Reason::kDoorOpen:
      return "door-open";
    case Reason::kNotImportExport:
      return "not-import-export";
    case Reason::kRemovalPrevented:
      return "removal-prevented";
    case Reason::kPresented:
      return "presented";
    case Reason::kInvalidBarcode:
      return "invalid-barcode";
    case Reason::kDuplicateBarcode:
      return "duplicate-barcode";
    case Reason::kAlreadyInLibrary:
      return "already-in-library";
    case Reason::kUnknownMediaType:
      return "unknown-media-type";
    case Reason::kMediaTypeMismatch:
      return "media-type-mismatch";
    case Reason::kNoFreeElement:
      return "no-free-element";
    case Reason::kWrongElementType:
      return "wrong-element-type";
  }
  return "unknown";
}

}  // namespace vtape::library
