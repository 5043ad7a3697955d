#include "handler/media_change.h"

#include <utility>

namespace vtape::ssc {

std::string_view WithoutSubtypePrefix(std::string_view cfgstring) {
  constexpr std::string_view kPrefix = "vtape/";
  if (cfgstring.starts_with(kPrefix)) cfgstring.remove_prefix(kPrefix.size());
  return cfgstring;
}

namespace {

// Closes the medium in the drive; from here on the drive is empty.
void Unload(Drive& drive, LoadedMedium& loaded, std::vector<LogLine>& log) {
  const bool had_medium = !loaded.cfgstring.empty();
  Status closed = drive.ChangeMedium(nullptr);
  loaded.cfgstring.clear();
  if (!closed.ok()) {
    log.push_back({Severity::kError,
                   "closing medium " + loaded.config.medium + " failed: " + closed.message()});
  } else if (had_medium) {
    log.push_back({Severity::kInfo, "medium " + loaded.config.medium + " closed"});
  }
}

}  // namespace

Status ApplyConfigString(Drive& drive, LoadedMedium& loaded, std::string_view text,
                         std::vector<LogLine>& log, const MediumOpener& open) {
  if (!loaded.cfgstring.empty() &&
      WithoutSubtypePrefix(text) == WithoutSubtypePrefix(loaded.cfgstring)) {
    log.push_back({Severity::kInfo, "config string re-applied unchanged; the medium stays loaded"});
    return Status::Ok();
  }
  Config config;
  Status s = ParseConfig(text, config);
  if (!s.ok()) {
    log.push_back(
        {Severity::kError, "media change to '" + std::string(text) + "' refused: " + s.message()});
    return s;
  }
  if (config.model != loaded.config.model || config.serial != loaded.config.serial) {
    log.push_back({Severity::kWarning,
                   "model/serial changes take effect only when the device is re-created"});
  }
  config.model = loaded.config.model;
  config.serial = loaded.config.serial;

  std::unique_ptr<Tape> tape;
  const bool same_medium = config.medium == loaded.config.medium;
  if (same_medium) Unload(drive, loaded, log);
  s = open(config, tape);
  if (s.code() == Code::kBusy && !loaded.cfgstring.empty()) {
    log.push_back({Severity::kInfo, "medium " + config.medium + " is busy; closing " +
                                        loaded.config.medium +
                                        " (it may share an image or member) and retrying"});
    Unload(drive, loaded, log);
    tape.reset();
    s = open(config, tape);
  }
  if (!s.ok()) {
    const bool empty = loaded.cfgstring.empty();
    log.push_back({Severity::kError,
                   "media change to '" + std::string(text) + "' failed" +
                       (empty ? " and the drive is now empty (write the string again to retry)"
                              : "; the previous medium stays loaded") +
                       ": " + s.message()});
    return s;
  }
  Status closed = drive.ChangeMedium(std::move(tape));
  if (!closed.ok()) {
    log.push_back({Severity::kError, "closing the previous medium " + loaded.config.medium +
                                         " failed: " + closed.message()});
  }
  loaded.config = std::move(config);
  loaded.cfgstring = std::string(text);
  log.push_back({Severity::kInfo, "medium changed to " + loaded.config.medium +
                                      (loaded.config.read_only ? " (read only)" : "")});
  return Status::Ok();
}

}  // namespace vtape::ssc
