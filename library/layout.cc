// Element addresses and names (library.h, "Elements").
#include <charconv>
#include <cstdio>

#include "library/library.h"

namespace vtape::library {
namespace {

std::uint16_t FirstAddress(ElementType type) {
  switch (type) {
    case ElementType::kTransport:
      return kTransportAddress;
    case ElementType::kDataTransfer:
      return kFirstDriveAddress;
    case ElementType::kImportExport:
      return kFirstImportExportAddress;
    case ElementType::kStorage:
      return kFirstStorageAddress;
  }
  return kFirstStorageAddress;
}

std::uint32_t CountOf(const Layout& layout, ElementType type) {
  switch (type) {
    case ElementType::kTransport:
      return 1;
    case ElementType::kDataTransfer:
      return layout.drives;
    case ElementType::kImportExport:
      return layout.import_export;
    case ElementType::kStorage:
      return layout.slots;
  }
  return 0;
}

bool ParseNumber(std::string_view text, std::uint64_t& value) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  return ec == std::errc() && end == text.data() + text.size();
}

// "slot" -> storage, 1-based; "drive" -> data transfer, 0-based; "ie" -> import/export, 1-based.
struct NameForm {
  std::string_view word;
  ElementType type;
  std::uint32_t first_number;
};
constexpr NameForm kNameForms[] = {
    {"slot", ElementType::kStorage, 1},
    {"drive", ElementType::kDataTransfer, 0},
    {"ie", ElementType::kImportExport, 1},
};

}  // namespace

std::optional<ElementRef> FindElement(const Layout& layout, std::uint16_t address) {
  for (ElementType type : {ElementType::kStorage, ElementType::kImportExport,
                           ElementType::kDataTransfer, ElementType::kTransport}) {
    std::uint16_t first = FirstAddress(type);
    if (address >= first && static_cast<std::uint32_t>(address - first) < CountOf(layout, type)) {
      return ElementRef{type, static_cast<std::uint32_t>(address - first)};
    }
  }
  return std::nullopt;
}

std::uint16_t AddressOf(ElementType type, std::uint32_t index) {
  return static_cast<std::uint16_t>(FirstAddress(type) + index);
}

std::string_view ElementTypeName(ElementType type) {
  switch (type) {
    case ElementType::kTransport:
      return "transport";
    case ElementType::kStorage:
      return "storage";
    case ElementType::kImportExport:
      return "import-export";
    case ElementType::kDataTransfer:
      return "drive";
  }
  return "unknown";
}

Status ParseElementName(const Layout& layout, std::string_view text, std::uint16_t& address) {
  const std::string quoted = "element '" + std::string(text) + "'";
  if (text == "transport") {
    address = kTransportAddress;
    return Status::Ok();
  }
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    std::uint64_t raw = 0;
    if (!ParseNumber(text, raw)) {
      return Status::InvalidArgument(
          quoted + ": expected slot:N, drive:N, ie:N, transport or an address (4096, 0x1000)");
    }
    if (raw > 0xFFFF || !FindElement(layout, static_cast<std::uint16_t>(raw))) {
      return Status::InvalidArgument(quoted + ": no element has that address in this library");
    }
    address = static_cast<std::uint16_t>(raw);
    return Status::Ok();
  }
  std::string_view word = text.substr(0, colon);
  for (const NameForm& form : kNameForms) {
    if (form.word != word) continue;
    std::uint64_t number = 0;
    if (!ParseNumber(text.substr(colon + 1), number)) {
      return Status::InvalidArgument(quoted + ": '" + std::string(text.substr(colon + 1)) +
                                     "' is not a number");
    }
    std::uint32_t count = CountOf(layout, form.type);
    if (number < form.first_number || number - form.first_number >= count) {
      return Status::InvalidArgument(
          quoted + ": this library has " + std::string(word) + ":" +
          std::to_string(form.first_number) + " to " + std::string(word) + ":" +
          std::to_string(static_cast<std::uint64_t>(form.first_number) + count - 1) +
          (count == 0 ? " (none)" : ""));
    }
    address = AddressOf(form.type, static_cast<std::uint32_t>(number - form.first_number));
    return Status::Ok();
  }
  return Status::InvalidArgument(quoted + ": unknown element kind '" + std::string(word) +
                                 "' (slot, drive, ie)");
}

std::string ElementName(const Layout& layout, std::uint16_t address) {
  std::optional<ElementRef> ref = FindElement(layout, address);
  if (ref) {
    if (ref->type == ElementType::kTransport) return "transport";
    for (const NameForm& form : kNameForms) {
      if (form.type == ref->type) {
        return std::string(form.word) + ":" + std::to_string(ref->index + form.first_number);
      }
    }
  }
  char text[8];
  std::snprintf(text, sizeof text, "0x%04x", address);
  return text;
}

std::string DriveSerial(std::string_view library_serial, std::uint32_t drive_index) {
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "D%03u", drive_index);
  std::string serial(library_serial.substr(0, 32 - 4));
  return serial + suffix;
}

}  // namespace vtape::library
