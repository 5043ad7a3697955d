// A media change by config string (tcmu reconfig of dev_config): which medium
// to close, which to open, in what order, and what the device remembers
// afterwards. No tcmu types here, so the decisions are unit tested
// (tests/handler/media_change_test.cc); tcmu_glue.cc calls it under the
// device's lock.
//
// Rules:
//  * The string that loaded the medium now in the drive, written again,
//    changes nothing (rtslib's restoreconfig re-applies dev_config).
//  * A different medium is opened before the old one is closed, so a bad string
//    leaves the drive as it was.
//  * The same medium (e.g. again with readonly=1) is closed first: our handle
//    holds its lock, and a second handle would not see what the first buffers.
//  * A new medium that cannot be opened because it is busy (kBusy: it shares an
//    image or RAIT member with the medium in the drive, e.g. rait:{a,b} ->
//    rait:{a,c}, or the same file under another spelling) is retried once
//    after the old medium is closed.
//  * Whenever the old medium was closed and the new one did not open, the
//    drive is empty and `cfgstring` is cleared: writing the old string back
//    (or restoreconfig) then loads it again instead of being a no-op.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "handler/config.h"
#include "handler/ssc/drive.h"
#include "vtape/status.h"
#include "vtape/tape.h"

namespace vtape::ssc {

// What the glue remembers of a device's medium.
struct LoadedMedium {
  Config config;          // the config last applied (model and serial are the device's)
  std::string cfgstring;  // the string whose medium is in the drive; empty = drive empty
};

enum class Severity { kInfo, kWarning, kError };
struct LogLine {
  Severity severity;
  std::string text;
};

// Opens the medium a config names (OpenConfiguredMedium; tests substitute).
using MediumOpener = std::function<Status(const Config&, std::unique_ptr<Tape>&)>;

// Applies config string `text` to `drive` (see the rules above). Returns the
// reason when the change did not happen; `log` gets what the host log should say.
Status ApplyConfigString(Drive& drive, LoadedMedium& loaded, std::string_view text,
                         std::vector<LogLine>& log,
                         const MediumOpener& open = OpenConfiguredMedium);

// The string without the tcmu subtype prefix "vtape/" (tcmu-runner hands the
// string over with or without it).
std::string_view WithoutSubtypePrefix(std::string_view cfgstring);

}  // namespace vtape::ssc
