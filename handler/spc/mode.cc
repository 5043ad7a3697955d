#include "handler/spc/mode.h"

#include <algorithm>

#include "handler/spc/cdb.h"
#include "handler/spc/sense.h"

namespace vtape::spc {
namespace {

// The first bit where `sent` differs from `current` outside `mask`, from byte
// `from` on, as a parameter-list field pointer.
std::optional<ScsiResult> CheckMasked(std::span<const std::uint8_t> sent,
                                      std::span<const std::uint8_t> current,
                                      std::span<const std::uint8_t> mask, std::size_t from,
                                      std::size_t list_offset) {
  for (std::size_t i = from; i < sent.size(); ++i) {
    std::uint8_t bad = (sent[i] ^ current[i]) & static_cast<std::uint8_t>(~mask[i]);
    for (int bit = 7; bad != 0 && bit >= 0; --bit) {
      if (bad & (1u << bit)) {
        return InvalidParameterField(static_cast<std::uint16_t>(list_offset + i),
                                     static_cast<std::int8_t>(bit));
      }
    }
  }
  return std::nullopt;
}

}  // namespace

void SetModeDataLength(std::vector<std::uint8_t>& d, bool six) {
  if (six) {
    d[0] = static_cast<std::uint8_t>(std::min<std::size_t>(d.size() - 1, 0xFF));
  } else {
    PutBe(d, 0, 2, d.size() - 2);
  }
}

std::optional<ScsiResult> CheckModePages(std::span<const std::uint8_t> list, std::size_t offset,
                                         const ModePageLookup& lookup,
                                         std::vector<SentModePage>& pages) {
  const std::size_t length = list.size();
  while (offset < length) {
    const bool spf = list[offset] & 0x40;
    const std::size_t page_header = spf ? 4 : 2;
    if (offset + page_header > length) {
      return CheckCondition(kIllegalRequest, kAscParameterListLength);
    }
    const std::uint8_t page = list[offset] & 0x3F;
    const std::uint8_t subpage = spf ? list[offset + 1] : 0;
    std::optional<ModePageImage> image = lookup(page, subpage);
    // A page_0 format page is one whose current image has SPF clear.
    if (!image || ((image->current[0] & 0x40) != 0) != spf) {
      return InvalidParameterField(static_cast<std::uint16_t>(spf ? offset + 1 : offset),
                                   spf ? -1 : 5);
    }
    const std::size_t page_length = spf ? GetBe(list, offset + 2, 2) : list[offset + 1];
    const std::vector<std::uint8_t>& current = image->current;
    if (page_header + page_length != current.size()) {
      return InvalidParameterField(static_cast<std::uint16_t>(spf ? offset + 2 : offset + 1));
    }
    if (offset + current.size() > length) {
      return CheckCondition(kIllegalRequest, kAscParameterListLength);
    }
    const auto sent = list.subspan(offset, current.size());
    if (auto bad = CheckMasked(sent, current, image->mask, page_header, offset)) return *bad;
    pages.push_back({page, subpage, sent});
    offset += current.size();
  }
  return std::nullopt;
}

}  // namespace vtape::spc
