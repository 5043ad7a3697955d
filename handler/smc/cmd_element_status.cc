// READ ELEMENT STATUS (SMC-3 6.12): the element status header, one element
// status page per run of elements of one type, in address order (transport
// 0000h, drives 0100h, import/export 0300h, slots 1000h; library.h).
//
// Element descriptor (all types):
//   0-1  element address        2  flags (below)      4-5  ASC/ASCQ (00h)
//   9    SVALID (bit 7), medium type (bits 2-0: 1 = data) when full
//   10-11 source storage element address (with SVALID)
//   12-47 primary volume tag with VOLTAG: barcode, 32 bytes space padded, then
//         2 reserved and 2 volume sequence bytes (0); all zero when empty
//   then 4 bytes: code set, identifier type, reserved, identifier length, and
//   with DVCID on drive elements the identifier: the drive's VPD 83h T10 vendor
//   ID designator (code set 2 ASCII, type 1: vendor 8, product 16, serial), the
//   serial being the one the drive reports in VPD 80h, so applications map
//   element to drive by it.
// Flags: FULL (bit 0) and EXCEPT (bit 2, never: the inventory is always known)
// for all; ACCESS (bit 3) for slots, drives and import/export elements (the
// latter only while its door is closed); IMPEXP (bit 1: the operator put it
// there), EXENAB (bit 4) and INENAB (bit 5) for import/export elements.
#include <algorithm>

#include "handler/smc/commands.h"
#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"

namespace vtape::smc {
namespace {

using library::Element;
using library::ElementType;

constexpr std::size_t kBaseLength = 12, kVolumeTagLength = 36, kBarcodeLength = 32,
                      kIdentificationHeader = 4;
constexpr std::uint8_t kFull = 0x01, kImpExp = 0x02, kAccess = 0x08, kExEnab = 0x10, kInEnab = 0x20;
constexpr std::uint8_t kSValid = 0x80, kDataMedium = 0x01;

struct Request {
  bool voltag = false;
  std::uint8_t type = 0;  // 0 = all
  std::uint16_t start = 0;
  std::uint16_t count = 0;
  bool dvcid = false;
  std::size_t allocation = 0;
};

// Every element of the library, in address order.
std::vector<const Element*> AllElements(const library::State& s) {
  std::vector<const Element*> out = {&s.transport};
  for (const auto* group : {&s.drives, &s.import_export, &s.slots}) {
    for (const Element& e : *group) out.push_back(&e);
  }
  return out;
}

// A starting address must be an element's, or the first address of a type as
// MODE page 1Dh reports it even when the library has no element of that type
// (an application reading "all import/export elements" of a library without
// any asks from 0300h).
bool ValidStart(const library::State& s, std::uint16_t start) {
  return s.FindElement(start) != nullptr || start == library::kFirstDriveAddress ||
         start == library::kFirstImportExportAddress || start == library::kFirstStorageAddress;
}

std::string DriveIdentifier(const ChangerState& state, const Element& drive) {
  const DriveIdentity id = state.drives->Identity(
      static_cast<std::uint32_t>(drive.address - library::kFirstDriveAddress));
  std::vector<std::uint8_t> prefix;
  AppendPadded(prefix, id.vendor, 8);
  AppendPadded(prefix, id.product, 16);
  return std::string(prefix.begin(), prefix.end()) + id.serial;
}

std::uint8_t Flags(const Element& e) {
  std::uint8_t flags = e.full() ? kFull : 0;
  switch (e.type) {
    case ElementType::kTransport:
      break;
    case ElementType::kImportExport:
      flags |= kInEnab | kExEnab;
      if (!e.door_open) flags |= kAccess;
      if (e.placed_by_operator) flags |= kImpExp;
      break;
    default:
      flags |= kAccess;
      break;
  }
  return flags;
}

void AppendDescriptor(std::vector<std::uint8_t>& d, const Element& e, const Request& r,
                      const std::string* identifier, std::size_t identifier_length) {
  const std::size_t at = d.size();
  d.resize(at + kBaseLength, 0);
  PutBe(d, at, 2, e.address);
  d[at + 2] = Flags(e);
  if (e.full()) {
    d[at + 9] = kDataMedium;
    if (e.source) {
      d[at + 9] |= kSValid;
      PutBe(d, at + 10, 2, *e.source);
    }
  }
  if (r.voltag) {
    const std::size_t tag = d.size();
    d.resize(tag + kVolumeTagLength, 0);
    if (e.full()) {
      for (std::size_t i = 0; i < kBarcodeLength; ++i) {
        d[tag + i] = i < e.barcode.size() ? static_cast<std::uint8_t>(e.barcode[i]) : ' ';
      }
    }
  }
  if (identifier != nullptr) {
    d.push_back(0x02);  // code set: ASCII
    d.push_back(0x01);  // identifier type: T10 vendor ID
    d.push_back(0x00);
    d.push_back(static_cast<std::uint8_t>(identifier_length));
    AppendPadded(d, *identifier, identifier_length);
  } else {
    d.resize(d.size() + kIdentificationHeader, 0);
  }
}

// Appends the element status page of `elements` (all of one type).
void AppendPage(std::vector<std::uint8_t>& d, const ChangerState& state,
                std::span<const Element* const> elements, const Request& r) {
  const bool with_ids = r.dvcid && elements.front()->type == ElementType::kDataTransfer;
  std::vector<std::string> ids;
  std::size_t id_length = 0;
  if (with_ids) {
    for (const Element* e : elements) {
      ids.push_back(DriveIdentifier(state, *e));
      id_length = std::max(id_length, ids.back().size());
    }
    id_length = std::min<std::size_t>(id_length, 0xFF);  // IDENTIFIER LENGTH is one byte
  }
  const std::size_t descriptor_length =
      kBaseLength + (r.voltag ? kVolumeTagLength : 0) + kIdentificationHeader + id_length;
  const std::size_t at = d.size();
  d.resize(at + 8, 0);
  d[at] = static_cast<std::uint8_t>(elements.front()->type);
  d[at + 1] = r.voltag ? 0x80 : 0x00;  // PVOLTAG; no alternate volume tags
  PutBe(d, at + 2, 2, descriptor_length);
  PutBe(d, at + 5, 3, descriptor_length * elements.size());
  for (std::size_t i = 0; i < elements.size(); ++i) {
    AppendDescriptor(d, *elements[i], r, with_ids ? &ids[i] : nullptr, id_length);
  }
}

}  // namespace

ScsiResult CmdReadElementStatus(ChangerState& state, const ScsiCommand& command) {
  const auto& cdb = command.cdb;
  Request r;
  r.voltag = cdb[1] & 0x10;
  r.type = cdb[1] & 0x0F;
  r.start = static_cast<std::uint16_t>(GetBe(cdb, 2, 2));
  r.count = static_cast<std::uint16_t>(GetBe(cdb, 4, 2));
  r.dvcid = cdb[6] & 0x01;  // CURDATA (bit 1) changes nothing: the data is always current
  r.allocation = GetBe(cdb, 7, 3);
  if (r.type > static_cast<std::uint8_t>(ElementType::kDataTransfer)) return InvalidCdbField(1, 3);
  const library::State& lib = state.lib();
  if (!ValidStart(lib, r.start)) return CheckCondition(kIllegalRequest, kAscInvalidElementAddress);

  std::vector<const Element*> chosen;
  for (const Element* e : AllElements(lib)) {
    if (chosen.size() >= r.count) break;
    if (e->address < r.start) continue;
    if (r.type != 0 && static_cast<std::uint8_t>(e->type) != r.type) continue;
    chosen.push_back(e);
  }

  // Header: first address, number of elements and the byte count of the whole
  // report, none of them cut by the allocation length (SMC-3).
  std::vector<std::uint8_t> d(8, 0);
  std::size_t begin = 0;
  while (begin < chosen.size()) {
    std::size_t end = begin + 1;
    while (end < chosen.size() && chosen[end]->type == chosen[begin]->type) ++end;
    AppendPage(d, state, std::span(chosen).subspan(begin, end - begin), r);
    begin = end;
  }
  PutBe(d, 0, 2, chosen.empty() ? 0 : chosen.front()->address);
  PutBe(d, 2, 2, chosen.size());
  PutBe(d, 5, 3, d.size() - 8);
  return ReturnData(command, d, r.allocation);
}

}  // namespace vtape::smc
