#include "handler/library_config.h"

#include <charconv>
#include <memory>
#include <vector>

#include "handler/config.h"
#include "handler/smc/personality.h"
#include "handler/ssc/personality.h"
#include "library/library.h"

namespace vtape::presenter {
namespace {

constexpr std::string_view kSubtypePrefix = "vtape/";
constexpr std::string_view kLibraryKey = "library=";

std::string Quote(std::string_view s) {
  std::string out = "'";
  out += s;
  out += "'";
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string_view WithoutPrefix(std::string_view text) {
  text = Trim(text);
  if (text.starts_with(kSubtypePrefix)) text.remove_prefix(kSubtypePrefix.size());
  return text;
}

template <class Table>
std::string Keys(const Table& table) {
  std::string out;
  for (const auto& p : table) {
    if (!out.empty()) out += ", ";
    out += p.key;
  }
  return out;
}

Status ParseDriveIndex(std::string_view value, std::uint32_t& index) {
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, index);
  if (value.empty() || ec != std::errc() || ptr != end) {
    return Status::InvalidArgument("drive=" + std::string(value) +
                                   ": expected the drive's 0-based index, e.g. drive=0");
  }
  if (index >= library::kMaxDrives) {
    return Status::InvalidArgument("drive=" + std::string(value) + ": a library has at most " +
                                   std::to_string(library::kMaxDrives) + " drives");
  }
  return Status::Ok();
}

Status CheckModel(const LibraryDeviceConfig& config) {
  if (config.role == LibraryRole::kChanger) {
    if (smc::FindPersonality(config.model) == nullptr) {
      return Status::InvalidArgument("unknown changer model " + Quote(config.model) +
                                     " (known: " + Keys(smc::AllPersonalities()) + ")");
    }
  } else if (ssc::FindPersonality(config.model) == nullptr) {
    return Status::InvalidArgument("unknown drive model " + Quote(config.model) +
                                   " (known: " + Keys(ssc::AllPersonalities()) + ")");
  }
  return Status::Ok();
}

}  // namespace

bool IsLibraryConfig(std::string_view text) {
  return WithoutPrefix(text).starts_with(kLibraryKey);
}

Status ParseLibraryConfig(std::string_view text, LibraryDeviceConfig& config) {
  config = LibraryDeviceConfig{};
  std::vector<std::string_view> items;
  std::string_view rest = WithoutPrefix(text);
  while (true) {
    const std::size_t semicolon = rest.find(';');
    items.push_back(Trim(rest.substr(0, semicolon)));
    if (semicolon == std::string_view::npos) break;
    rest.remove_prefix(semicolon + 1);
  }
  bool have_library = false, have_role = false, have_drive = false, have_model = false,
       have_buffer = false;
  std::string_view role;
  for (std::string_view item : items) {
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Status::InvalidArgument("setting " + Quote(item) +
                                     " in a library device's config string is not KEY=VALUE");
    }
    const std::string_view key = item.substr(0, eq), value = item.substr(eq + 1);
    bool* seen = key == "library"  ? &have_library
                 : key == "role"   ? &have_role
                 : key == "drive"  ? &have_drive
                 : key == "model"  ? &have_model
                 : key == "buffer" ? &have_buffer
                                   : nullptr;
    if (seen == nullptr) {
      return Status::InvalidArgument("unknown key " + Quote(key) +
                                     " for a library device (known: library, role, drive, model, "
                                     "buffer; "
                                     "the medium and serial come from the library)");
    }
    if (*seen) return Status::InvalidArgument("key " + Quote(key) + " is given twice");
    *seen = true;
    if (key == "library") {
      if (!value.starts_with('/')) {
        return Status::InvalidArgument("library=" + std::string(value) +
                                       ": the library directory must be an absolute path");
      }
      config.library = std::string(value);
    } else if (key == "role") {
      role = value;
    } else if (key == "drive") {
      VTAPE_RETURN_IF_ERROR(ParseDriveIndex(value, config.drive));
    } else if (key == "buffer") {
      VTAPE_RETURN_IF_ERROR(ssc::ParseBufferSize(value, config.buffer_bytes));
    } else {
      config.model = std::string(value);
    }
  }
  if (have_role && role != "changer" && role != "drive") {
    return Status::InvalidArgument("role=" + std::string(role) + ": expected changer or drive");
  }
  if (role == "changer") {
    if (have_drive) {
      return Status::InvalidArgument(
          "role=changer and drive= exclude each other: a changer "
          "device is the whole library's robot");
    }
    if (have_buffer) {
      return Status::InvalidArgument("buffer= is a drive's: the changer moves no data");
    }
    config.role = LibraryRole::kChanger;
  } else if (!have_drive) {
    return Status::InvalidArgument(
        "a library device needs role=changer or drive=N (e.g. "
        "library=" +
        config.library + ";drive=0)");
  }
  if (!have_model) config.model = "generic";
  return CheckModel(config);
}

Status CheckLibraryDevice(const LibraryDeviceConfig& config) {
  std::unique_ptr<library::Library> library;
  Status s = library::Library::Open(config.library, {}, library);
  if (!s.ok()) {
    if (s.code() == Code::kNotFound) {
      return Status::NotFound("no library in " + Quote(config.library) + " (" + s.message() +
                              "); create it with `vtape library create " + config.library + "`");
    }
    return Status(s.code(), "cannot open library " + Quote(config.library) + ": " + s.message());
  }
  const std::uint32_t drives = library->state().layout.drives;
  if (config.role == LibraryRole::kDrive && config.drive >= drives) {
    return Status::InvalidArgument("drive=" + std::to_string(config.drive) + ": library " +
                                   Quote(config.library) + " has " + std::to_string(drives) +
                                   " drive(s), numbered from 0");
  }
  return Status::Ok();
}

}  // namespace vtape::presenter
