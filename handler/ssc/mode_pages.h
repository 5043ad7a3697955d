// The mode pages MODE SENSE returns and MODE SELECT changes, with their four
// page-control views (SPC-4 6.13: current, changeable, default, saved).
//
// No page image is stored: every page is built from ModeState (the values the
// data path obeys) and the medium, so a page can never disagree with the
// behaviour. MODE SELECT compares the sent page with the current image under
// the changeable mask and writes the changeable fields back into ModeState.
// Nothing is saved: the saved values are the defaults.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "handler/spc/mode.h"
#include "handler/ssc/mode_state.h"
#include "vtape/tape.h"

namespace vtape::ssc {

// The drive speaks SPC (as in drive.h): PageControl, kModePageAll, CDB fields.
using namespace vtape::spc;

// What a page is built from. `tape` is null when no medium is loaded.
struct ModePageContext {
  const ModeState& mode;
  const ModeState& defaults;  // the power-on values (PowerOnModeState)
  const Tape* tape;
  std::span<const std::uint8_t> lbp_methods = {};  // what MODE SELECT of 0Ah/F0h may choose
};

struct ModePageDef {
  std::uint8_t page;
  std::uint8_t subpage;  // 0 = page_0 format (2-byte header), else sub_page format (4-byte header)
  // The whole page, header included. With kChangeable the body is the mask of
  // bits MODE SELECT may change (header as for the current values).
  std::vector<std::uint8_t> (*build)(const ModePageContext&, PageControl);
  // Writes the changeable fields of a validated page (header included) into `mode`.
  void (*apply)(ModeState&, std::span<const std::uint8_t>);
  // Checks the values of a page that passed the changeable mask (null: any
  // value the mask lets through is valid): the {byte, bit} within the page of
  // the first bad field, or nullopt.
  std::optional<std::pair<std::uint16_t, std::int8_t>> (*check)(
      const ModePageContext&, std::span<const std::uint8_t>) = nullptr;
};

// In ascending page, then subpage order (the order of page 3Fh).
std::span<const ModePageDef> AllModePages();
const ModePageDef* FindModePage(std::uint8_t page, std::uint8_t subpage);
// Header size of a page: 2 for page_0 format, 4 for sub_page format.
inline std::size_t ModePageHeaderSize(const ModePageDef& def) {
  return def.subpage == 0 ? 2 : 4;
}

inline constexpr std::uint8_t kModePageControl = 0x0A, kModePageCompression = 0x0F,
                              kModePageDeviceConfig = 0x10, kModePagePartition = 0x11,
                              kSubpageDataProtection = 0xF0, kModePageInfoExceptions = 0x1C,
                              kModePageMediumConfiguration = 0x1D;

}  // namespace vtape::ssc
