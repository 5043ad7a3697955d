#include "handler/config.h"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <vector>

#include "handler/ssc/personality.h"
#include "vtape/forwarding_tape.h"
#include "vtape/media.h"
#include "vtape/name.h"
#include "vtape/size.h"

namespace vtape::ssc {
namespace {

constexpr std::string_view kSubtypePrefix = "vtape/";
constexpr std::size_t kMaxSerialChars = 20;
constexpr std::size_t kMaxBarcodeChars = 32;
constexpr std::array<std::string_view, 9> kKnownKeys = {"model",   "serial",        "readonly",
                                                        "missing", "media",         "capacity",
                                                        "barcode", "early_warning", "buffer"};

// Built by appending: GCC 12 -O3 warns falsely (-Wrestrict, GCC bug 105329)
// about "literal" + std::string&&.
std::string Quote(std::string_view s) {
  std::string quoted = "'";
  quoted.append(s).append("'");
  return quoted;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Splits at ';' outside braces, so a backend's own syntax inside {...} may use ';'.
Status SplitSettings(std::string_view text, std::vector<std::string_view>& items) {
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : ';';
    if (c == '{') ++depth;
    if (c == '}' && --depth < 0) {
      return Status::InvalidArgument("config string " + Quote(text) +
                                     " has a '}' without '{' at offset " + std::to_string(i));
    }
    if (c == ';' && depth == 0) {
      items.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (depth != 0) {
    return Status::InvalidArgument("config string " + Quote(text) +
                                   " has a '{' that is never closed");
  }
  return Status::Ok();
}

bool IsPrintableNoSpace(char c) {
  return c > ' ' && c <= '~';
}
bool IsPrintable(char c) {
  return c >= ' ' && c <= '~';
}

std::string KnownModels() {
  std::string out;
  for (const Personality& p : AllPersonalities()) {
    out += (out.empty() ? "" : ", ") + std::string(p.key);
  }
  return out;
}

std::string KnownMediaTypes() {
  std::string out;
  for (const MediaType& m : AllMediaTypes()) out += (out.empty() ? "" : ", ") + std::string(m.name);
  return out;
}

std::string KnownKeys() {
  std::string out;
  for (std::string_view k : kKnownKeys) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

std::string KnownPrefixes() {
  std::string list;
  for (const auto& k : RegisteredPrefixes()) list += (list.empty() ? "" : ", ") + k + ":";
  return list;
}

// The first file: path in `medium` that is not absolute, at any nesting (rait
// members, fault's inner name): a file: name starts the string or follows one
// of "{,}:" (rait:{file:a,...}, fault:{...}file:a, rait:file:/t/{a,b}.img).
std::optional<std::string_view> RelativeFilePath(std::string_view medium) {
  constexpr std::string_view kFile = "file:";
  for (std::size_t at = medium.find(kFile); at != std::string_view::npos;
       at = medium.find(kFile, at + 1)) {
    if (at != 0 && std::string_view("{,}:").find(medium[at - 1]) == std::string_view::npos) {
      continue;
    }
    std::string_view path = medium.substr(at + kFile.size());
    if (path.starts_with('/')) continue;
    return path.substr(0, path.find_first_of(",};"));
  }
  return std::nullopt;
}

// The medium as typed, resolved by the one rule of tool and handler
// (ResolveMediumName: not a backend name = a file: path), then checked: tcmu-runner's
// working directory means nothing to whoever writes the config string, so every
// file: path must be absolute.
Status ResolveConfiguredMedium(std::string_view typed, std::string& medium) {
  if (typed.empty()) {
    return Status::InvalidArgument(
        "config string names no medium: it must start with a backend name such as "
        "file:/var/lib/vtape/A00001L8.img, mem: or rait:{...}, or an absolute path");
  }
  medium = ResolveMediumName(typed);
  std::optional<std::string_view> relative = RelativeFilePath(medium);
  if (!relative) return Status::Ok();
  std::string message = "medium " + Quote(typed) + " names the relative path " + Quote(*relative) +
                        "; tcmu-runner's working directory is no place for media: give an "
                        "absolute path such as /var/lib/vtape/A00001L8.img";
  std::string_view prefix, rest;
  if (medium == "file:" + std::string(typed) && SplitPrefix(typed, prefix, rest).ok()) {
    message += " (and " + Quote(std::string(prefix) + ":") +
               " is no backend prefix; known: " + KnownPrefixes() + ")";
  }
  return Status::InvalidArgument(message);
}

Status ApplySetting(std::string_view key, std::string_view value, Config& config) {
  if (key == "model") {
    if (FindPersonality(value) == nullptr) {
      return Status::InvalidArgument("unknown model " + Quote(value) + " (known: " + KnownModels() +
                                     ")");
    }
    config.model = std::string(value);
  } else if (key == "serial") {
    if (value.empty() || value.size() > kMaxSerialChars ||
        !std::all_of(value.begin(), value.end(), IsPrintableNoSpace)) {
      return Status::InvalidArgument("serial " + Quote(value) +
                                     " must be 1-20 printable ASCII characters without spaces");
    }
    config.serial = std::string(value);
  } else if (key == "readonly") {
    if (value != "0" && value != "1") {
      return Status::InvalidArgument("readonly=" + std::string(value) + ": expected 0 or 1");
    }
    config.read_only = value == "1";
  } else if (key == "missing") {
    if (value == "refuse") {
      config.missing = MissingMedium::kRefuse;
    } else if (value == "create") {
      config.missing = MissingMedium::kCreate;
    } else {
      return Status::InvalidArgument("missing=" + std::string(value) +
                                     ": expected refuse or create");
    }
  } else if (key == "media") {
    std::optional<MediaType> type = FindMediaType(value);
    if (!type) {
      return Status::InvalidArgument("unknown media type " + Quote(value) +
                                     " (known: " + KnownMediaTypes() + ")");
    }
    config.create.media_type = std::string(type->name);
  } else if (key == "capacity" || key == "early_warning") {
    std::uint64_t bytes = 0;
    Status s = ParseSize(value, bytes);
    if (!s.ok()) return Status::InvalidArgument(std::string(key) + ": " + s.message());
    (key == "capacity" ? config.create.capacity_bytes : config.create.early_warning_bytes) = bytes;
  } else if (key == "buffer") {
    VTAPE_RETURN_IF_ERROR(ParseBufferSize(value, config.buffer_bytes));
  } else if (key == "barcode") {
    if (value.size() > kMaxBarcodeChars || !std::all_of(value.begin(), value.end(), IsPrintable)) {
      return Status::InvalidArgument("barcode " + Quote(value) +
                                     " must be at most 32 printable ASCII characters");
    }
    config.create.barcode = std::string(value);
  } else {
    return Status::InvalidArgument("unknown key " + Quote(key) +
                                   " in config string (known: " + KnownKeys() + ")");
  }
  return Status::Ok();
}

}  // namespace

Status ParseBufferSize(std::string_view value, std::uint64_t& bytes) {
  // 0 turns the buffer off; ParseSize refuses 0 for the other sizes.
  bytes = 0;
  if (value == "0") return Status::Ok();
  Status s = ParseSize(value, bytes);
  if (!s.ok()) return Status::InvalidArgument("buffer: " + s.message());
  return Status::Ok();
}

DriveConfig Config::ToDriveConfig() const {
  DriveConfig drive;
  drive.personality = model;
  drive.serial = serial;
  drive.medium_name = medium;
  drive.buffer_bytes = buffer_bytes;
  return drive;
}

std::span<const std::string_view> KnownConfigKeys() {
  return kKnownKeys;
}

Status ParseConfig(std::string_view text, Config& config) {
  config = Config{};
  text = TrimSpace(text);
  if (text.starts_with(kSubtypePrefix)) text.remove_prefix(kSubtypePrefix.size());

  std::vector<std::string_view> items;
  VTAPE_RETURN_IF_ERROR(SplitSettings(text, items));
  // targetcli (rtslib) refuses ':' in config strings and cuts them at ':' when
  // reading them back for saveconfig, so an absolute path stands for file:PATH.
  VTAPE_RETURN_IF_ERROR(ResolveConfiguredMedium(TrimSpace(items.front()), config.medium));

  std::vector<std::string_view> seen;
  bool create_only_key = false;
  std::string_view first_create_only_key;
  for (std::size_t i = 1; i < items.size(); ++i) {
    std::string_view item = TrimSpace(items[i]);
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Status::InvalidArgument("setting " + Quote(item) +
                                     " in config string is not KEY=VALUE (settings follow the "
                                     "medium, separated by ';')");
    }
    std::string_view key = item.substr(0, eq);
    std::string_view value = item.substr(eq + 1);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      return Status::InvalidArgument("key " + Quote(key) + " is given twice in config string");
    }
    seen.push_back(key);
    VTAPE_RETURN_IF_ERROR(ApplySetting(key, value, config));
    if (key == "media" || key == "capacity" || key == "barcode" || key == "early_warning") {
      if (!create_only_key) first_create_only_key = key;
      create_only_key = true;
    }
  }

  if (create_only_key && config.missing != MissingMedium::kCreate) {
    return Status::InvalidArgument("key " + Quote(first_create_only_key) +
                                   " only shapes a medium created by ;missing=create; add that or "
                                   "remove the key");
  }
  const CreateOptions& c = config.create;
  if (c.capacity_bytes != 0 && c.early_warning_bytes == 0 &&
      c.capacity_bytes <= kDefaultEarlyWarningBytes) {
    // Otherwise every write would land in the early-warning zone (st: ENOSPC).
    return Status::InvalidArgument("capacity (" + std::to_string(c.capacity_bytes) +
                                   " bytes) must exceed the default early-warning zone (" +
                                   std::to_string(kDefaultEarlyWarningBytes) +
                                   " bytes); give a larger capacity or a "
                                   "smaller early_warning=");
  }
  if (c.capacity_bytes != 0 && c.early_warning_bytes >= c.capacity_bytes) {
    return Status::InvalidArgument("early_warning (" + std::to_string(c.early_warning_bytes) +
                                   " bytes) must be less than capacity (" +
                                   std::to_string(c.capacity_bytes) + " bytes)");
  }
  return Status::Ok();
}

namespace {

Status MissingMediumError(const Config& config, const Status& access) {
  // The file: backend already names the `vtape create` command; do not say it twice
  // (tcmu-runner's log cuts long lines).
  if (access.message().find("vtape create") != std::string::npos) {
    return Status::NotFound("medium " + Quote(config.medium) + " does not exist: " +
                            access.message() + "; or add ;missing=create to the config string");
  }
  return Status::NotFound("medium " + Quote(config.medium) + " does not exist (" +
                          access.message() + "); create it with `vtape create " + config.medium +
                          "` or add ;missing=create to the config string");
}

// A medium the drive opened read only is, to the drive, a write-protected
// cartridge. The backends refuse its writes but report write protection in Stat()
// only when the medium itself carries the flag (file: keeps it in the image), so
// this wrapper makes Stat() say it too: the engine then sets WP in MODE SENSE and
// st refuses to open /dev/nst for writing (EROFS) instead of failing each write.
class ReadOnlyMedium final : public ForwardingTape {
 public:
  using ForwardingTape::ForwardingTape;
  Status Stat(MediumInfo& info) const override {
    VTAPE_RETURN_IF_ERROR(target().Stat(info));
    info.write_protected = true;
    return Status::Ok();
  }
};

// Access as the config asks; a medium that is write protected by itself (vtape
// protect) loads read only, as a real drive loads a cartridge with its tab set.
Status AccessConfiguredMedium(const Config& config, bool& read_only) {
  read_only = config.read_only;
  Status access = AccessTape(config.medium, !read_only);
  if (access.code() == Code::kWriteProtected) {
    read_only = true;
    access = AccessTape(config.medium, false);
  }
  return access;
}

}  // namespace

Status CheckConfiguredMedium(const Config& config) {
  bool read_only = false;
  Status access = AccessConfiguredMedium(config, read_only);
  if (access.ok()) return access;
  if (access.code() == Code::kNotFound) {
    if (config.missing == MissingMedium::kCreate) return Status::Ok();
    return MissingMediumError(config, access);
  }
  return Status(access.code(),
                "cannot use medium " + Quote(config.medium) + ": " + access.message());
}

Status OpenConfiguredMedium(const Config& config, std::unique_ptr<Tape>& tape) {
  bool read_only = false;
  Status access = AccessConfiguredMedium(config, read_only);
  if (access.code() == Code::kNotFound) {
    if (config.missing != MissingMedium::kCreate) return MissingMediumError(config, access);
    Status created = CreateTape(config.medium, config.create);
    if (!created.ok()) {
      return Status(created.code(), "cannot create blank medium " + Quote(config.medium) +
                                        " (missing=create): " + created.message());
    }
  } else if (!access.ok()) {
    return Status(access.code(),
                  "cannot use medium " + Quote(config.medium) + ": " + access.message());
  }
  OpenOptions options;
  options.read_only = read_only;
  Status opened = OpenTape(config.medium, options, tape);
  if (!opened.ok()) {
    tape.reset();
    return Status(opened.code(),
                  "cannot open medium " + Quote(config.medium) + ": " + opened.message());
  }
  if (read_only) tape = std::make_unique<ReadOnlyMedium>(std::move(tape));
  return Status::Ok();
}

}  // namespace vtape::ssc
