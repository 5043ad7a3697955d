// Builders for each mode page. Field layouts: SPC-4 (control 0Ah, informational
// exceptions 1Ch), SSC-4 (data compression 0Fh, device configuration 10h and its
// extension 10h/01h, medium partition 11h, medium configuration 1Dh).
#include "handler/ssc/mode_pages.h"

#include <algorithm>

#include "handler/spc/cdb.h"
#include "handler/ssc/lbp.h"
#include "handler/ssc/medium_layout.h"
#include "handler/ssc/partition_page.h"
#include "handler/ssc/worm.h"
#include "vtape/buffered_tape.h"

namespace vtape::ssc {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Page 0Fh's (DE)COMPRESSION ALGORITHM 00000001h and page 10h's SELECT DATA
// COMPRESSION ALGORITHM 01h: "the default algorithm" (SSC-4), the drive's one.
constexpr std::uint32_t kDefaultCompressionAlgorithm = 1;
constexpr std::uint8_t kSelectDefaultCompression = 1;

bool Changeable(PageControl pc) {
  return pc == PageControl::kChangeable;
}

// Current values for kCurrent; the power-on values for kDefault and kSaved
// (nothing is saved, so saved = default).
const ModeState& ValuesFor(const ModePageContext& ctx, PageControl pc) {
  return pc == PageControl::kCurrent ? ctx.mode : ctx.defaults;
}

// Control (0Ah), 12 bytes. TST 0, D_SENSE 0 (fixed-format sense only), QErr 0,
// no autoload changes, no busy timeout: nothing here is changeable.
Bytes ControlPage(const ModePageContext&, PageControl) {
  return {kModePageControl, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
}

// Data compression (0Fh), 16 bytes, as LTO drives report it: DCE (byte 2 bit
// 7) the one changeable bit; DCC (bit 6) set, the drive compresses; DDE (byte 3
// bit 7) set and RED 00b, compressed records are decompressed on read whatever
// DCE says; COMPRESSION and DECOMPRESSION ALGORITHM (bytes 4-7, 8-11) 1, the
// drive's default algorithm (vtape/record_codec.h).
Bytes CompressionPage(const ModePageContext& ctx, PageControl pc) {
  Bytes d(16, 0);
  d[0] = kModePageCompression;
  d[1] = 0x0E;
  if (Changeable(pc)) {
    d[2] = 0x80;
    return d;
  }
  d[2] = static_cast<std::uint8_t>((ValuesFor(ctx, pc).compression_enabled ? 0x80 : 0) | 0x40);
  d[3] = 0x80;
  PutBe(d, 4, 4, kDefaultCompressionAlgorithm);
  PutBe(d, 8, 4, kDefaultCompressionAlgorithm);
  return d;
}

void ApplyCompression(ModeState& mode, std::span<const std::uint8_t> page) {
  mode.compression_enabled = page[2] & 0x80;
}

// Device configuration (10h), 16 bytes. Active partition from the medium,
// LOIS (byte 8 bit 6: logical object identifiers supported), REW (byte 8 bit 0:
// report early warning, changeable), SELECT DATA COMPRESSION ALGORITHM (byte
// 14, changeable: 01h the default algorithm while page 0Fh's DCE is set, 00h
// none; the two are one setting, as on LTO drives), EEG (byte 10 bit 4: EOD is
// always generated) and, with a drive buffer, SEW (byte 10 bit 3: the buffer is
// written to the medium before early warning is reported; the buffer never
// holds objects past the early-warning point, vtape/buffered_tape.h).
Bytes DeviceConfigPage(const ModePageContext& ctx, PageControl pc) {
  Bytes d(16, 0);
  d[0] = kModePageDeviceConfig;
  d[1] = 0x0E;
  if (Changeable(pc)) {
    d[8] = 0x01;
    d[14] = 0xFF;
    return d;
  }
  const ModeState& m = ValuesFor(ctx, pc);
  if (ctx.tape != nullptr) d[3] = static_cast<std::uint8_t>(ctx.tape->GetPosition().partition);
  d[8] = (m.block_identifiers_supported ? 0x40 : 0) | (m.report_early_warning ? 0x01 : 0);
  const bool buffered = dynamic_cast<const BufferedTape*>(ctx.tape) != nullptr;
  d[10] = 0x10 | (buffered ? 0x08 : 0x00);
  d[14] = m.compression_enabled ? kSelectDefaultCompression : 0x00;
  return d;
}

// SELECT DATA COMPRESSION ALGORITHM 00h or 01h; the reserved and vendor
// specific values are refused.
std::optional<std::pair<std::uint16_t, std::int8_t>> CheckDeviceConfig(
    const ModePageContext&, std::span<const std::uint8_t> page) {
  if (page[14] > kSelectDefaultCompression) return std::pair<std::uint16_t, std::int8_t>{14, -1};
  return std::nullopt;
}

void ApplyDeviceConfig(ModeState& mode, std::span<const std::uint8_t> page) {
  mode.report_early_warning = page[8] & 0x01;
  mode.compression_enabled = page[14] == kSelectDefaultCompression;
}

// Device configuration extension (10h/01h), 32 bytes: WRITE MODE (byte 5 bits
// 7-4: 0h overwrite allowed, 1h append-only, worm.h) and PEWS (bytes 6-7:
// programmable early warning, programmable_early_warning.h) are changeable, as
// on IBM LTO drives (LTFS sets PEWS); short erase mode 0.
Bytes DeviceConfigExtensionPage(const ModePageContext& ctx, PageControl pc) {
  Bytes d(32, 0);
  d[0] = kModePageDeviceConfig | 0x40;  // SPF
  d[1] = 0x01;
  PutBe(d, 2, 2, 32 - 4);
  if (Changeable(pc)) {
    d[5] = 0xF0;
    d[6] = d[7] = 0xFF;
    return d;
  }
  const ModeState m = ValuesFor(ctx, pc);
  d[5] = m.append_only ? 0x10 : 0x00;
  PutBe(d, 6, 2, m.programmable_early_warning_mb);
  return d;
}

// WRITE MODE 0h or 1h; 0Eh/0Fh (vendor specific) and the reserved values are
// refused.
std::optional<std::pair<std::uint16_t, std::int8_t>> CheckDeviceConfigExtension(
    const ModePageContext&, std::span<const std::uint8_t> page) {
  if ((page[5] >> 4) > 1) return std::pair<std::uint16_t, std::int8_t>{5, 7};
  return std::nullopt;
}

void ApplyDeviceConfigExtension(ModeState& mode, std::span<const std::uint8_t> page) {
  mode.append_only = (page[5] >> 4) == 1;
  mode.programmable_early_warning_mb = static_cast<std::uint16_t>(GetBe(page, 6, 2));
}

// Medium partition (11h): partition_page.h. The medium's partitions, or the
// layout a MODE SELECT asked for until FORMAT MEDIUM applies it. Default and
// saved values are the medium's layout.
Bytes PartitionPage(const ModePageContext& ctx, PageControl pc) {
  PartitionPageInputs in;
  MediumLayout layout;
  if (ctx.tape != nullptr && ReadMediumLayout(*ctx.tape, layout).ok()) {
    in.max_partitions = layout.max_partitions;
    for (const PartitionInfo& p : layout.partitions) in.sizes.push_back(p.capacity_bytes);
  }
  if (pc == PageControl::kCurrent && ctx.mode.pending_partitions) {
    in.pending = &*ctx.mode.pending_partitions;
  }
  return BuildPartitionPage(in, Changeable(pc));
}

// Control data protection (0Ah/F0h), 32 bytes (SSC-4): LOGICAL BLOCK
// PROTECTION METHOD (byte 4), its INFORMATION LENGTH (byte 5, bits 5-0), LBP_W
// and LBP_R (byte 6 bits 7, 6). RBDP (bit 5) stays 0: RECOVER BUFFERED DATA
// is not implemented.
Bytes DataProtectionPage(const ModePageContext& ctx, PageControl pc) {
  Bytes d(32, 0);
  d[0] = kModePageControl | 0x40;  // SPF
  d[1] = kSubpageDataProtection;
  PutBe(d, 2, 2, 32 - 4);
  if (Changeable(pc)) {
    d[4] = 0xFF;
    d[5] = 0x3F;
    d[6] = 0xC0;
    return d;
  }
  const ModeState& m = ValuesFor(ctx, pc);
  d[4] = m.lbp_method;
  d[5] = m.lbp_method == kLbpNone ? 0 : kLbpLength;
  d[6] = static_cast<std::uint8_t>((m.lbp_write ? 0x80 : 0) | (m.lbp_read ? 0x40 : 0));
  return d;
}

// A method the drive offers with its length (4), or none with length 0 and
// neither LBP_W nor LBP_R.
std::optional<std::pair<std::uint16_t, std::int8_t>> CheckDataProtection(
    const ModePageContext& ctx, std::span<const std::uint8_t> page) {
  const std::uint8_t method = page[4];
  if (method != kLbpNone &&
      std::find(ctx.lbp_methods.begin(), ctx.lbp_methods.end(), method) == ctx.lbp_methods.end()) {
    return std::pair<std::uint16_t, std::int8_t>{4, -1};
  }
  if ((page[5] & 0x3F) != (method == kLbpNone ? 0 : kLbpLength)) {
    return std::pair<std::uint16_t, std::int8_t>{5, 5};
  }
  if (method == kLbpNone && (page[6] & 0x80)) return std::pair<std::uint16_t, std::int8_t>{6, 7};
  if (method == kLbpNone && (page[6] & 0x40)) return std::pair<std::uint16_t, std::int8_t>{6, 6};
  return std::nullopt;
}

void ApplyDataProtection(ModeState& mode, std::span<const std::uint8_t> page) {
  mode.lbp_method = page[4];
  mode.lbp_write = page[6] & 0x80;
  mode.lbp_read = page[6] & 0x40;
}

// Informational exceptions control (1Ch), 12 bytes. DEXCPT=1 and MRIE 0:
// exceptions are reported only through the TapeAlert log page; not changeable.
Bytes InfoExceptionsPage(const ModePageContext&, PageControl pc) {
  Bytes d(12, 0);
  d[0] = kModePageInfoExceptions;
  d[1] = 0x0A;
  if (!Changeable(pc)) d[2] = 0x08;
  return d;
}

// Medium configuration (1Dh), 32 bytes (SSC-4): WORMM (byte 2 bit 0) set
// while a WORM cartridge is loaded; WORM MODE LABEL RESTRICTIONS 00h (no
// logical block may be overwritten) and WORM MODE FILEMARK RESTRICTIONS 02h
// (filemarks before EOD may be, but the one closest to BOP) as LTO drives
// report them. Nothing changeable.
Bytes MediumConfigurationPage(const ModePageContext& ctx, PageControl pc) {
  Bytes d(32, 0);
  d[0] = kModePageMediumConfiguration;
  d[1] = 0x1E;
  if (Changeable(pc)) return d;
  d[2] = ctx.tape != nullptr && WormMedium(*ctx.tape) ? 0x01 : 0x00;
  d[5] = 0x02;
  return d;
}

// IBM LTO read/write control (25h, vendor specific), 32 bytes, as LTFS reads
// it from IBM drives (for the encryption state it reports): encryption off
// (byte 20 bits 1-0 00b), the medium without encryption support (byte 24 bit
// 0), ENCRYPTION METHOD 00h "none" (byte 27); the density byte 10 0 (the
// medium's). The drive encrypts nothing, so nothing here is changeable.
Bytes IbmReadWriteControlPage(const ModePageContext&, PageControl) {
  Bytes d(32, 0);
  d[0] = kModePageIbmReadWriteControl;
  d[1] = 32 - 2;
  return d;
}

void ApplyNothing(ModeState&, std::span<const std::uint8_t>) {}

constexpr ModePageDef kPages[] = {
    {kModePageControl, 0, ControlPage, ApplyNothing},
    {kModePageControl, kSubpageDataProtection, DataProtectionPage, ApplyDataProtection,
     CheckDataProtection},
    {kModePageCompression, 0, CompressionPage, ApplyCompression},
    {kModePageDeviceConfig, 0, DeviceConfigPage, ApplyDeviceConfig, CheckDeviceConfig},
    {kModePageDeviceConfig, 1, DeviceConfigExtensionPage, ApplyDeviceConfigExtension,
     CheckDeviceConfigExtension},
    {kModePagePartition, 0, PartitionPage, ApplyNothing},
    {kModePageInfoExceptions, 0, InfoExceptionsPage, ApplyNothing},
    {kModePageMediumConfiguration, 0, MediumConfigurationPage, ApplyNothing},
    {kModePageIbmReadWriteControl, 0, IbmReadWriteControlPage, ApplyNothing, nullptr, "IBM"},
};

}  // namespace

std::span<const ModePageDef> AllModePages() {
  return kPages;
}

bool ModePageOffered(const ModePageDef& def, std::string_view vendor) {
  return def.vendor.empty() || def.vendor == vendor;
}

const ModePageDef* FindModePage(std::uint8_t page, std::uint8_t subpage, std::string_view vendor) {
  for (const ModePageDef& def : kPages) {
    if (def.page == page && def.subpage == subpage && ModePageOffered(def, vendor)) return &def;
  }
  return nullptr;
}

}  // namespace vtape::ssc
