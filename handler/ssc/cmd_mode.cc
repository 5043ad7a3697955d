// MODE SENSE(6/10) and MODE SELECT(6/10): the mode parameter header, the block
// descriptor (density, block length) and the pages of mode_pages.h.
#include <limits>
#include <optional>

#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"
#include "handler/ssc/commands.h"
#include "handler/ssc/lbp.h"
#include "handler/ssc/medium_layout.h"
#include "handler/ssc/mode_pages.h"
#include "handler/ssc/partition_page.h"
#include "vtape/media.h"

namespace vtape::ssc {
namespace {

constexpr std::uint8_t kModeSense6 = 0x1A, kModeSelect6 = 0x15;
constexpr std::size_t kBlockDescriptorLength = 8;
constexpr std::uint8_t kDensityNoChange = 0x7F;  // SSC-4: MODE SELECT keeps the density

const Tape* LoadedTape(const DriveState& state) {
  return state.tape && state.tape->loaded() ? state.tape.get() : nullptr;
}

// The medium's label, if a medium is loaded and answers.
std::optional<MediumInfo> LoadedMedium(const DriveState& state) {
  const Tape* tape = LoadedTape(state);
  MediumInfo info;
  if (tape == nullptr || !tape->Stat(info).ok()) return std::nullopt;
  return info;
}

std::uint8_t MediumDensity(const std::optional<MediumInfo>& medium) {
  if (!medium) return 0;
  auto type = FindMediaType(medium->media_type);
  return type ? type->density_code : 0;
}

// The mode header's MEDIUM TYPE: IBM LTO drives name the cartridge there (LTFS
// checks it before it formats), other drives report 00h.
std::uint8_t MediumTypeCode(const DriveState& state, const std::optional<MediumInfo>& medium) {
  if (!medium) return 0;
  auto type = FindMediaType(medium->media_type);
  if (!type) return 0;
  return state.personality->vendor == "IBM" ? type->ibm_medium_type : type->medium_type;
}

// The density MODE SENSE reports: the one MODE SELECT set, else the medium's.
std::uint8_t EffectiveDensity(const DriveState& state, const std::optional<MediumInfo>& medium) {
  return state.mode.density_code != 0 ? state.mode.density_code : MediumDensity(medium);
}

std::uint32_t MaxBlockLength(const DriveState& state) {
  std::uint64_t max = std::min<std::uint64_t>(state.config.max_transfer_bytes, kMaxRecordBytes);
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(max, 0xFFFFFF));
}

// Pages selected by PAGE CODE and SUBPAGE CODE, or nullopt if none match.
std::optional<std::vector<const ModePageDef*>> SelectPages(std::uint8_t page,
                                                           std::uint8_t subpage) {
  std::vector<const ModePageDef*> out;
  if (page == 0) {  // no page: header and block descriptor only (what st asks for)
    if (subpage != 0) return std::nullopt;
    return out;
  }
  for (const ModePageDef& def : AllModePages()) {
    bool page_matches = page == kModePageAll || def.page == page;
    bool subpage_matches = subpage == 0xFF || def.subpage == subpage;
    if (page_matches && subpage_matches) out.push_back(&def);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

bool WriteProtected(const std::optional<MediumInfo>& medium) {
  return medium && medium->write_protected;
}

// What a MODE SELECT parameter list sets, once its header and block descriptor passed.
struct ModeSelection {
  std::uint8_t buffered_mode = 0;
  std::size_t bd_length = 0;  // 0 or kBlockDescriptorLength
  std::optional<std::uint8_t> density;
  std::optional<std::uint32_t> block_length;
};

// The mode parameter header of MODE SELECT(6/10): medium type, device-specific
// parameter (buffered mode; speed 0), LONGLBA, block descriptor length. MODE
// DATA LENGTH is reserved in MODE SELECT (st and sg3_utils send 0, others echo
// what MODE SENSE said), so it is ignored.
std::optional<ScsiResult> CheckSelectHeader(const DriveState& state,
                                            std::span<const std::uint8_t> list, bool six,
                                            const std::optional<MediumInfo>& medium,
                                            ModeSelection& selection) {
  const std::size_t medium_type_at = six ? 1 : 2, device_specific_at = six ? 2 : 3;
  if (list[medium_type_at] != 0 && list[medium_type_at] != MediumTypeCode(state, medium)) {
    return InvalidParameterField(static_cast<std::uint16_t>(medium_type_at));
  }
  const std::uint8_t device_specific = list[device_specific_at];
  selection.buffered_mode = (device_specific >> 4) & 0x07;
  if (selection.buffered_mode > 2) return InvalidParameterField(device_specific_at, 6);
  if (device_specific & 0x0F) return InvalidParameterField(device_specific_at, 3);  // speed
  if (!six && (list[4] & 0x01)) return InvalidParameterField(4, 0);                 // LONGLBA
  const std::size_t bd_length_at = six ? 3 : 6;
  selection.bd_length = six ? list[3] : GetBe(list, 6, 2);
  if (selection.bd_length != 0 && selection.bd_length != kBlockDescriptorLength) {
    return InvalidParameterField(static_cast<std::uint16_t>(bd_length_at));
  }
  return std::nullopt;
}

// The block descriptor at `at`: a density the drive writes (or 0, or the
// current one, or 7Fh for no change), number of blocks 0, a block length the
// drive can transfer.
std::optional<ScsiResult> CheckBlockDescriptor(const DriveState& state,
                                               std::span<const std::uint8_t> list, std::size_t at,
                                               const std::optional<MediumInfo>& medium,
                                               ModeSelection& selection) {
  const std::uint8_t density = list[at];
  if (density != kDensityNoChange) {
    bool allowed = density == 0 || density == EffectiveDensity(state, medium);
    for (std::string_view name : state.personality->writes) {
      auto type = FindMediaType(name);
      if (type && type->density_code == density) allowed = true;
    }
    if (!allowed) return InvalidParameterField(static_cast<std::uint16_t>(at));
    selection.density = density;
  }
  if (GetBe(list, at + 1, 3) != 0) return InvalidParameterField(static_cast<std::uint16_t>(at + 1));
  if (list[at + 4] != 0) return InvalidParameterField(static_cast<std::uint16_t>(at + 4));
  const auto block_length = static_cast<std::uint32_t>(GetBe(list, at + 5, 3));
  if (block_length > MaxBlockLength(state)) {
    return InvalidParameterField(static_cast<std::uint16_t>(at + 5));
  }
  selection.block_length = block_length;
  return std::nullopt;
}

// Page 11h as sent: a layout the medium can take (partition_page.h). Without a
// medium any size passes; the layout is dropped when a medium is loaded.
std::optional<ScsiResult> CheckPartitionRequest(const DriveState& state,
                                                std::span<const std::uint8_t> list,
                                                std::span<const std::uint8_t> page,
                                                std::optional<PartitionRequest>& request) {
  std::uint32_t max_partitions = 1;
  std::uint64_t capacity = std::numeric_limits<std::uint64_t>::max();
  MediumLayout layout;
  if (const Tape* tape = LoadedTape(state);
      tape != nullptr && ReadMediumLayout(*tape, layout).ok()) {
    max_partitions = layout.max_partitions;
    capacity = ScaledCapacity(*tape, layout.capacity_bytes);
  }
  const auto offset = static_cast<std::size_t>(page.data() - list.data());
  return ParsePartitionPage(page, offset, max_partitions, capacity, request);
}

}  // namespace

ScsiResult CmdModeSense(DriveState& state, const ScsiCommand& command) {
  const auto& cdb = command.cdb;
  const bool six = cdb[0] == kModeSense6;
  const bool dbd = cdb[1] & 0x08;
  const auto pc = static_cast<PageControl>(cdb[2] >> 6);
  const std::uint8_t page = cdb[2] & 0x3F, subpage = cdb[3];
  const std::size_t allocation = six ? cdb[4] : GetBe(cdb, 7, 2);

  auto pages = SelectPages(page, subpage);
  if (!pages) return (page == 0 || subpage != 0) ? InvalidCdbField(3) : InvalidCdbField(2, 5);

  const std::optional<MediumInfo> medium = LoadedMedium(state);
  const ModeState defaults = PowerOnModeState(*state.personality);
  const ModeState& values = pc == PageControl::kCurrent ? state.mode : defaults;
  const bool changeable = pc == PageControl::kChangeable;

  // Header. Device-specific parameter: WP (bit 7) is the medium's; buffered
  // mode in bits 6-4 (the changeable view marks those bits); speed 0.
  std::vector<std::uint8_t> d(six ? 4 : 8, 0);
  const std::uint8_t device_specific =
      changeable ? 0x70
                 : static_cast<std::uint8_t>((WriteProtected(medium) ? 0x80 : 0) |
                                             ((values.buffered_mode & 0x07) << 4));
  d[six ? 1 : 2] = changeable ? 0 : MediumTypeCode(state, medium);
  d[six ? 2 : 3] = device_specific;
  if (!dbd) {
    if (six) {
      d[3] = kBlockDescriptorLength;
    } else {
      PutBe(d, 6, 2, kBlockDescriptorLength);
    }
    std::vector<std::uint8_t> bd(kBlockDescriptorLength, 0);
    if (changeable) {
      bd[0] = 0xFF;
      PutBe(bd, 5, 3, 0xFFFFFF);
    } else {
      bd[0] = pc == PageControl::kCurrent ? EffectiveDensity(state, medium) : MediumDensity(medium);
      PutBe(bd, 5, 3, values.block_length);  // 0 = variable
    }
    Append(d, bd);
  }
  const ModePageContext ctx{state.mode, defaults, LoadedTape(state)};
  for (const ModePageDef* def : *pages) {
    std::vector<std::uint8_t> bytes = def->build(ctx, pc);
    Append(d, bytes);
  }
  // MODE DATA LENGTH: every page together stays far below MODE SENSE(6)'s 255 bytes.
  SetModeDataLength(d, six);
  return ReturnData(command, d, allocation);
}

ScsiResult CmdModeSelect(DriveState& state, const ScsiCommand& command) {
  const auto& cdb = command.cdb;
  const bool six = cdb[0] == kModeSelect6;
  // SP: nothing is saved. SPC-4 (MODE SELECT) wants INVALID FIELD IN CDB here,
  // not SAVING PARAMETERS NOT SUPPORTED.
  if (cdb[1] & 0x01) return InvalidCdbField(1, 0);
  const std::size_t length = six ? cdb[4] : GetBe(cdb, 7, 2);
  if (length == 0) return Good();  // no parameter data: nothing changes
  if (command.data_out.size() < length) {
    return CheckCondition(kIllegalRequest, kAscParameterListLength);
  }
  const std::span<const std::uint8_t> list = command.data_out.first(length);
  const std::size_t header = six ? 4 : 8;
  if (length < header) return CheckCondition(kIllegalRequest, kAscParameterListLength);

  const std::optional<MediumInfo> medium = LoadedMedium(state);
  ModeSelection selection;
  if (auto bad = CheckSelectHeader(state, list, six, medium, selection)) return *bad;
  if (header + selection.bd_length > length) {
    return CheckCondition(kIllegalRequest, kAscParameterListLength);
  }
  if (selection.bd_length != 0) {
    if (auto bad = CheckBlockDescriptor(state, list, header, medium, selection)) return *bad;
  }

  // Pages: each must be one the drive has, at its exact length, changing only
  // changeable bits. All are checked before any is applied.
  const ModeState defaults = PowerOnModeState(*state.personality);
  const ModePageContext ctx{state.mode, defaults, LoadedTape(state),
                            LbpMethods(*state.personality)};
  auto lookup = [&](std::uint8_t page, std::uint8_t subpage) -> std::optional<ModePageImage> {
    const ModePageDef* def = FindModePage(page, subpage);
    if (def == nullptr) return std::nullopt;
    return ModePageImage{def->build(ctx, PageControl::kCurrent),
                         def->build(ctx, PageControl::kChangeable)};
  };
  std::vector<SentModePage> updates;
  if (auto bad = CheckModePages(list, header + selection.bd_length, lookup, updates)) return *bad;
  for (const SentModePage& u : updates) {
    const ModePageDef* def = FindModePage(u.page, u.subpage);
    if (def->check == nullptr) continue;
    if (auto field = def->check(ctx, u.bytes)) {
      const auto at = static_cast<std::size_t>(u.bytes.data() - list.data()) + field->first;
      return InvalidParameterField(static_cast<std::uint16_t>(at), field->second);
    }
  }
  std::optional<std::optional<PartitionRequest>> partitioning;
  for (const SentModePage& u : updates) {
    if (u.page != kModePagePartition) continue;
    std::optional<PartitionRequest> request;
    if (auto bad = CheckPartitionRequest(state, list, u.bytes, request)) return *bad;
    partitioning = std::move(request);
  }

  state.mode.buffered_mode = selection.buffered_mode;
  if (selection.density) state.mode.density_code = *selection.density;
  if (selection.block_length) state.mode.block_length = *selection.block_length;
  for (const SentModePage& u : updates) FindModePage(u.page, u.subpage)->apply(state.mode, u.bytes);
  if (partitioning) state.mode.pending_partitions = std::move(*partitioning);
  return Good();
}

}  // namespace vtape::ssc
