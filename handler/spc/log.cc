// LOG SENSE and LOG SELECT over a device's pages (spc/log.h).
#include <algorithm>
#include <array>

#include "handler/spc/log.h"

#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"
#include "handler/spc/sense.h"

namespace vtape::spc {
namespace {

// SP=1: the drive keeps no saved log parameters (both commands); SPC-4 answers
// INVALID FIELD IN CDB when saving is not implemented.
ScsiResult SavingNotSupported() {
  return InvalidCdbField(1, 0);
}

std::vector<std::uint8_t> PageHeader(std::uint8_t page, std::uint8_t subpage) {
  // DS (byte 0 bit 7) = 1: parameters are not saved; SPF for a subpage.
  return {static_cast<std::uint8_t>(0x80 | (subpage != 0 ? 0x40 : 0) | page), subpage, 0, 0};
}

void SetPageLength(std::vector<std::uint8_t>& d) {
  PutBe(d, 2, 2, d.size() - 4);
}

bool Supported(const LogPages& pages, std::uint8_t page, std::uint8_t subpage = 0) {
  return std::any_of(pages.supported.begin(), pages.supported.end(),
                     [&](const LogPageId& id) { return id.page == page && id.subpage == subpage; });
}

bool AnySubpage(const LogPages& pages, std::uint8_t page) {
  return std::any_of(pages.supported.begin(), pages.supported.end(),
                     [&](const LogPageId& id) { return id.page == page; });
}

bool IsCumulative(LogPageControl pc) {
  return pc == LogPageControl::kCumulative || pc == LogPageControl::kDefaultCumulative;
}

}  // namespace

ScsiResult LogSense(const ScsiCommand& command, const LogPages& pages) {
  const auto& cdb = command.cdb;
  if (cdb[1] & 0x01) return SavingNotSupported();
  const auto pc = static_cast<LogPageControl>(cdb[2] >> 6);
  const std::uint8_t page = cdb[2] & 0x3F, subpage = cdb[3];
  const auto pointer = static_cast<std::uint16_t>(GetBe(cdb, 5, 2));
  const std::size_t allocation = GetBe(cdb, 7, 2);

  if (page == kLogSupportedPages) {
    if (subpage != 0 && subpage != 0xFF) return InvalidCdbField(3);
    if (pointer != 0) return InvalidCdbField(5);
    std::vector<std::uint8_t> d = PageHeader(page, subpage);
    for (const LogPageId& id : pages.supported) {
      if (subpage == 0xFF) {  // supported pages and subpages: (page, subpage) pairs
        d.push_back(id.page);
        d.push_back(id.subpage);
        if (id.page == kLogSupportedPages && id.subpage == 0) {
          d.push_back(kLogSupportedPages);
          d.push_back(0xFF);
        }
      } else if (id.subpage == 0) {  // page codes, each once
        d.push_back(id.page);
      }
    }
    SetPageLength(d);
    return ReturnData(command, d, allocation);
  }
  if (!Supported(pages, page, subpage)) {
    return AnySubpage(pages, page) || subpage != 0 ? InvalidCdbField(3) : InvalidCdbField(2, 5);
  }

  bool needs_medium = false;
  auto params = pages.build(page, subpage, pc, needs_medium);
  if (!params) return InvalidCdbField(2, 5);
  if (needs_medium) return CheckCondition(kNotReady, kAscMediumNotPresent);
  if (pointer > (params->empty() ? 0 : params->back().code)) return InvalidCdbField(5);

  std::vector<std::uint8_t> d = PageHeader(page, subpage);
  for (const LogParameter& p : *params) {
    if (p.code < pointer) continue;
    const std::array<std::uint8_t, 4> header = {static_cast<std::uint8_t>(p.code >> 8),
                                                static_cast<std::uint8_t>(p.code & 0xFF), p.control,
                                                static_cast<std::uint8_t>(p.value.size())};
    Append(d, header);
    Append(d, p.value);
  }
  SetPageLength(d);
  return ReturnData(command, d, allocation);
}

ScsiResult LogSelect(const ScsiCommand& command, const LogPages& pages) {
  const auto& cdb = command.cdb;
  const bool pcr = cdb[1] & 0x02;
  if (cdb[1] & 0x01) return SavingNotSupported();
  const auto pc = static_cast<LogPageControl>(cdb[2] >> 6);
  const std::uint8_t page = cdb[2] & 0x3F, subpage = cdb[3];
  const std::size_t length = GetBe(cdb, 7, 2);

  if (pcr) {  // reset every cumulative parameter; thresholds are fixed
    if (length != 0) return InvalidCdbField(7);
    if (IsCumulative(pc)) pages.reset(kLogSupportedPages);
    return Good();
  }
  if (length == 0) {  // reset the named page (00h: all pages) to its defaults
    if (!Supported(pages, page)) return InvalidCdbField(2, 5);
    if (subpage != 0) return InvalidCdbField(3);
    if (IsCumulative(pc)) pages.reset(page);
    return Good();
  }
  // With parameter data the page comes from the data, not the CDB (SPC-4).
  if (page != 0) return InvalidCdbField(2, 5);
  if (subpage != 0) return InvalidCdbField(3);
  if (command.data_out.size() < length || length < 4) {
    return CheckCondition(kIllegalRequest, kAscParameterListLength);
  }
  const auto list = command.data_out.first(length);
  std::size_t offset = 0;
  while (offset < length) {
    if (offset + 4 > length) return CheckCondition(kIllegalRequest, kAscParameterListLength);
    const std::uint8_t sent_page = list[offset] & 0x3F;
    if ((list[offset] & 0x40) || sent_page == kLogSupportedPages || !Supported(pages, sent_page)) {
      return InvalidParameterField(static_cast<std::uint16_t>(offset), 5);
    }
    const std::size_t page_length = GetBe(list, offset + 2, 2);
    if (offset + 4 + page_length > length) {
      return CheckCondition(kIllegalRequest, kAscParameterListLength);
    }
    // No log parameter is settable: every value is a counter the drive keeps
    // or a fact about the medium. (Reset them with PCR=1 or a zero-length list.)
    if (page_length != 0) return InvalidParameterField(static_cast<std::uint16_t>(offset + 4));
    offset += 4;
  }
  return Good();
}

std::vector<LogParameter> TapeAlertParameters(TapeAlerts& flags, LogPageControl pc) {
  const bool cumulative = pc == LogPageControl::kCumulative;
  std::vector<LogParameter> params;
  for (std::uint16_t flag = 1; flag <= 64; ++flag) {
    const bool active = cumulative && flags.Raised(flag);
    params.push_back({flag, kLogBinaryList, {static_cast<std::uint8_t>(active ? 1 : 0)}});
  }
  if (cumulative) flags.Clear();  // flags clear when read
  return params;
}

}  // namespace vtape::spc
