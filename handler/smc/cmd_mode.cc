// MODE SENSE/SELECT(6/10) of the changer (SMC-3 7.3): element address
// assignment (1Dh), transport geometry (1Eh) and device capabilities (1Fh).
// No block descriptors (a changer has none) and no changeable fields: the
// layout is the library's, so MODE SELECT accepts the pages only unchanged.
#include <optional>

#include "handler/smc/commands.h"
#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"
#include "handler/spc/mode.h"

namespace vtape::smc {
namespace {

constexpr std::uint8_t kModeSense6 = 0x1A, kModeSelect6 = 0x15;
constexpr std::uint8_t kElementAddressPage = 0x1D, kTransportGeometryPage = 0x1E,
                       kDeviceCapabilitiesPage = 0x1F;
constexpr std::array<std::uint8_t, 3> kPages = {kElementAddressPage, kTransportGeometryPage,
                                                kDeviceCapabilitiesPage};
// Device capabilities bits, one per element type: DT, I/E, ST, MT (bits 3-0).
// Every type but the transport stores cartridges, and a cartridge moves (or is
// exchanged) from any of them to any of them.
constexpr std::uint8_t kStorageTypes = 0x0E;

std::vector<std::uint8_t> ElementAddressPage(const library::Layout& layout) {
  using library::AddressOf;
  using library::ElementType;
  std::vector<std::uint8_t> d(20, 0);
  d[0] = kElementAddressPage;
  d[1] = 0x12;
  PutBe(d, 2, 2, library::kTransportAddress);
  PutBe(d, 4, 2, 1);
  PutBe(d, 6, 2, library::kFirstStorageAddress);
  PutBe(d, 8, 2, layout.slots);
  PutBe(d, 10, 2, library::kFirstImportExportAddress);
  PutBe(d, 12, 2, layout.import_export);
  PutBe(d, 14, 2, library::kFirstDriveAddress);
  PutBe(d, 16, 2, layout.drives);
  return d;
}

// One transport, ROTATE 0 (cartridges have one side), member number 0.
std::vector<std::uint8_t> TransportGeometryPage() {
  return {kTransportGeometryPage, 0x02, 0x00, 0x00};
}

std::vector<std::uint8_t> DeviceCapabilitiesPage() {
  std::vector<std::uint8_t> d(20, 0);
  d[0] = kDeviceCapabilitiesPage;
  d[1] = 0x12;
  d[2] = kStorageTypes;   // StorDT, StorI/E, StorST
  d[5] = kStorageTypes;   // ST -> DT, I/E, ST
  d[6] = kStorageTypes;   // I/E -> ...
  d[7] = kStorageTypes;   // DT -> ...
  d[13] = kStorageTypes;  // ST <> (EXCHANGE MEDIUM)
  d[14] = kStorageTypes;  // I/E <>
  d[15] = kStorageTypes;  // DT <>
  return d;
}

// The page as MODE SENSE returns it for `pc`: with kChangeable the body is
// the (all-zero) mask of changeable bits.
std::optional<std::vector<std::uint8_t>> BuildPage(const ChangerState& state, std::uint8_t page,
                                                   PageControl pc) {
  std::vector<std::uint8_t> d;
  switch (page) {
    case kElementAddressPage:
      d = ElementAddressPage(state.lib().layout);
      break;
    case kTransportGeometryPage:
      d = TransportGeometryPage();
      break;
    case kDeviceCapabilitiesPage:
      d = DeviceCapabilitiesPage();
      break;
    default:
      return std::nullopt;
  }
  if (pc == PageControl::kChangeable) std::fill(d.begin() + 2, d.end(), 0);
  return d;
}

}  // namespace

ScsiResult CmdModeSense(ChangerState& state, const ScsiCommand& command) {
  const auto& cdb = command.cdb;
  const bool six = cdb[0] == kModeSense6;
  const auto pc = static_cast<PageControl>(cdb[2] >> 6);
  const std::uint8_t page = cdb[2] & 0x3F, subpage = cdb[3];
  const std::size_t allocation = six ? cdb[4] : GetBe(cdb, 7, 2);
  if (subpage != 0 && !(page == kModePageAll && subpage == 0xFF)) return InvalidCdbField(3);

  std::vector<std::uint8_t> d(six ? 4 : 8, 0);  // medium type, device-specific, no block descriptor
  if (page == kModePageAll) {
    for (std::uint8_t p : kPages) Append(d, *BuildPage(state, p, pc));
  } else if (auto built = BuildPage(state, page, pc)) {
    Append(d, *built);
  } else {
    return InvalidCdbField(2, 5);
  }
  SetModeDataLength(d, six);
  return ReturnData(command, d, allocation);
}

ScsiResult CmdModeSelect(ChangerState& state, const ScsiCommand& command) {
  const auto& cdb = command.cdb;
  const bool six = cdb[0] == kModeSelect6;
  if (cdb[1] & 0x01) return InvalidCdbField(1, 0);  // SP: nothing is saved
  const std::size_t length = six ? cdb[4] : GetBe(cdb, 7, 2);
  if (length == 0) return Good();
  const std::size_t header = six ? 4 : 8;
  if (command.data_out.size() < length || length < header) {
    return CheckCondition(kIllegalRequest, kAscParameterListLength);
  }
  const auto list = command.data_out.first(length);
  // MODE DATA LENGTH is reserved here; medium type and device-specific are 0.
  const std::size_t medium_type_at = six ? 1 : 2, device_specific_at = six ? 2 : 3;
  if (list[medium_type_at] != 0) return InvalidParameterField(medium_type_at);
  if (list[device_specific_at] != 0) return InvalidParameterField(device_specific_at);
  if (!six && list[4] != 0) return InvalidParameterField(4);
  const std::size_t bd_length_at = six ? 3 : 6;
  if (GetBe(list, bd_length_at, six ? 1 : 2) != 0) return InvalidParameterField(bd_length_at);

  auto lookup = [&state](std::uint8_t page, std::uint8_t subpage) -> std::optional<ModePageImage> {
    auto current = subpage == 0 ? BuildPage(state, page, PageControl::kCurrent) : std::nullopt;
    if (!current) return std::nullopt;
    return ModePageImage{*current, *BuildPage(state, page, PageControl::kChangeable)};
  };
  std::vector<SentModePage> pages;
  if (auto bad = CheckModePages(list, header, lookup, pages)) return *bad;
  return Good();  // nothing is changeable: the pages were sent back unchanged
}

}  // namespace vtape::smc
