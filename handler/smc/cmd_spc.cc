// The SPC commands of the changer: INQUIRY (peripheral type 08h, the library's
// serial), TEST UNIT READY, REQUEST SENSE, REPORT SUPPORTED OPERATION CODES,
// LOG SENSE/SELECT (pages 00h and 2Eh).
#include <array>

#include "handler/smc/commands.h"
#include "handler/spc/inquiry.h"
#include "handler/spc/log.h"

namespace vtape::smc {
namespace {

InquiryIdentity Identity(const ChangerState& state) {
  const Personality& p = *state.personality;
  return {kMediumChangerDevice, true, p.vendor, p.product, p.revision, state.lib().serial};
}

// Recommended timeouts (seconds): a move opens, flushes or closes cartridge
// images, which on a busy host takes far longer than answering from memory.
std::uint32_t RecommendedTimeout(const CommandInfo& c) {
  switch (c.opcode) {
    case 0xA5:  // MOVE MEDIUM
    case 0xA6:  // EXCHANGE MEDIUM
      return 900;
    default:
      return 60;
  }
}

constexpr std::array<LogPageId, 2> kLogPages = {{{kLogSupportedPages, 0}, {kLogTapeAlert, 0}}};

LogPages ChangerPages(ChangerState& state) {
  return {kLogPages,
          [&state](std::uint8_t page, std::uint8_t, LogPageControl pc,
                   bool&) -> std::optional<std::vector<LogParameter>> {
            if (page != kLogTapeAlert) return std::nullopt;
            return TapeAlertParameters(state.tapealert, pc);
          },
          [&state](std::uint8_t page) {
            if (page == kLogSupportedPages || page == kLogTapeAlert) state.tapealert.Clear();
          }};
}

}  // namespace

ScsiResult CmdInquiry(ChangerState& state, const ScsiCommand& command) {
  const InquiryIdentity id = Identity(state);
  auto no_device_pages = [](std::uint8_t) { return std::vector<std::uint8_t>{}; };
  return Inquiry(command, id, StandardInquiryData(id), {}, no_device_pages);
}

ScsiResult CmdTestUnitReady(ChangerState&, const ScsiCommand&) {
  return Good();  // the inventory is always known: no scan to wait for
}

ScsiResult CmdRequestSense(ChangerState& state, const ScsiCommand& command) {
  return RequestSense(state, command, SenseData{});
}

ScsiResult CmdReportSupportedOpcodes(ChangerState&, const ScsiCommand& command) {
  return ReportSupportedOpcodes(Syntaxes(AllCommands(), RecommendedTimeout), command);
}

ScsiResult CmdLogSense(ChangerState& state, const ScsiCommand& command) {
  return LogSense(command, ChangerPages(state));
}

ScsiResult CmdLogSelect(ChangerState& state, const ScsiCommand& command) {
  return LogSelect(command, ChangerPages(state));
}

}  // namespace vtape::smc
