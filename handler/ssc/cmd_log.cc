// LOG SENSE and LOG SELECT: the drive's pages (log_pages.h) through the SPC
// plumbing (spc/log.h).
#include "handler/spc/log.h"
#include "handler/ssc/commands.h"
#include "handler/ssc/log_pages.h"

namespace vtape::ssc {
namespace {

LogPages DrivePages(DriveState& state) {
  return {SupportedLogPages(*state.personality),
          [&state](std::uint8_t page, std::uint8_t subpage, LogPageControl pc, bool& needs_medium) {
            return BuildLogPage(state, page, subpage, pc, needs_medium);
          },
          [&state](std::uint8_t page) { ResetLogPage(state, page); }};
}

}  // namespace

ScsiResult CmdLogSense(DriveState& state, const ScsiCommand& command) {
  return LogSense(command, DrivePages(state));
}

ScsiResult CmdLogSelect(DriveState& state, const ScsiCommand& command) {
  return LogSelect(command, DrivePages(state));
}

}  // namespace vtape::ssc
