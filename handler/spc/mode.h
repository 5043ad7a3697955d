// MODE SENSE/SELECT plumbing any device shares (SPC-4 6.11-6.14, 7.5): the page
// control values, the mode data length, and the check of the pages a MODE
// SELECT parameter list carries. A device brings its own header fields (the
// drive: block descriptor, buffered mode) and its own pages.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "handler/spc/scsi.h"

namespace vtape::spc {

enum class PageControl : std::uint8_t { kCurrent = 0, kChangeable = 1, kDefault = 2, kSaved = 3 };

inline constexpr std::uint8_t kModePageAll = 0x3F;

// Sets MODE DATA LENGTH (the bytes after itself): one byte for MODE SENSE(6)
// (saturating), two for MODE SENSE(10).
void SetModeDataLength(std::vector<std::uint8_t>& data, bool six);

// A page the device has, as MODE SELECT compares against it.
struct ModePageImage {
  std::vector<std::uint8_t> current;  // the whole page, header included
  std::vector<std::uint8_t> mask;     // the changeable view: bits MODE SELECT may change
};

// The device's page (page, subpage), or nullopt when it has none.
using ModePageLookup =
    std::function<std::optional<ModePageImage>(std::uint8_t page, std::uint8_t subpage)>;

// One page of a MODE SELECT list that passed CheckModePages.
struct SentModePage {
  std::uint8_t page, subpage;
  std::span<const std::uint8_t> bytes;  // the whole page as sent
};

// Checks the pages in `list` from `offset` to its end: each must be one the
// device has (SPF matching the page's format), at its exact length, changing
// only changeable bits. nullopt with `pages` filled when all pass; otherwise
// the answer (INVALID FIELD IN PARAMETER LIST pointing at the field, or
// PARAMETER LIST LENGTH ERROR for a page cut short).
std::optional<ScsiResult> CheckModePages(std::span<const std::uint8_t> list, std::size_t offset,
                                         const ModePageLookup& lookup,
                                         std::vector<SentModePage>& pages);

}  // namespace vtape::spc
