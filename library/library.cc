// The Library class: each operation is read state under DIR/lock, apply the
// transition (operations.cc), write the state atomically (state_file.cc).
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>

#include "library/operations.h"
#include "library/state_file.h"
#include "library/state_json.h"
#include "vtape/media.h"
#include "vtape/registry.h"

namespace vtape::library {

class Library::Impl {
 public:
  Fd state_file;  // the state file last read or written (see StateReplaced)
  Fd presented;   // held while this object presents the library
};

namespace {

constexpr std::string_view kFilePrefix = "file:";

Status MakeDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) return Status::Ok();
  return Status::FromErrno(errno, "create directory " + path);
}

// FNV-1a: a short, stable-looking serial from the name and the creation time.
std::string DefaultSerial(const std::string& name) {
  std::uint32_t hash = 2166136261u;
  std::string seed = name + "/" +
                     std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) +
                     "/" + std::to_string(::getpid());
  for (unsigned char c : seed) hash = (hash ^ c) * 16777619u;
  char text[16];
  std::snprintf(text, sizeof text, "VL%08X", hash);
  return text;
}

Status CheckLayout(const Layout& layout) {
  if (layout.slots == 0 || layout.slots > kMaxSlots) {
    return Status::InvalidArgument("a library has 1 to " + std::to_string(kMaxSlots) +
                                   " slots, not " + std::to_string(layout.slots));
  }
  if (layout.drives > kMaxDrives) {
    return Status::InvalidArgument("a library has at most " + std::to_string(kMaxDrives) +
                                   " drives, not " + std::to_string(layout.drives));
  }
  if (layout.import_export > kMaxImportExport) {
    return Status::InvalidArgument("a library has at most " + std::to_string(kMaxImportExport) +
                                   " import/export elements, not " +
                                   std::to_string(layout.import_export));
  }
  return Status::Ok();
}

// A relative file: name is relative to the library directory.
std::string Absolute(const std::string& dir, const std::string& medium) {
  if (medium.starts_with(kFilePrefix) && medium.size() > kFilePrefix.size() &&
      medium[kFilePrefix.size()] != '/') {
    return std::string(kFilePrefix) + dir + "/" + medium.substr(kFilePrefix.size());
  }
  return medium;
}

// Opens an existing medium read-only for its label.
Status ReadLabel(const std::string& name, MediumInfo& info) {
  std::unique_ptr<Tape> tape;
  vtape::OpenOptions options;
  options.read_only = true;
  VTAPE_RETURN_IF_ERROR(OpenTape(name, options, tape));
  VTAPE_RETURN_IF_ERROR(tape->Stat(info));
  return tape->Close();
}

// The medium of a new cartridge: `wanted.medium`, an image already in
// DIR/media, or a blank image created there. Fills `cartridge`.
Result ProvideMedium(const std::string& dir, const State& state, const NewCartridge& wanted,
                     Cartridge& cartridge) {
  std::string media_type;
  if (Result r = ResolveMediaType(state, wanted.barcode, wanted.media_type, media_type); !r.ok()) {
    return r;
  }
  cartridge.barcode = wanted.barcode;
  std::string name;
  if (!wanted.medium.empty()) {
    if (!IsValidUtf8(wanted.medium)) {
      return Result::Failed(
          Status::InvalidArgument("medium name of cartridge " + wanted.barcode +
                                  " is not valid UTF-8; the state file (JSON) cannot hold it"));
    }
    cartridge.medium = wanted.medium;
    name = Absolute(dir, wanted.medium);
  } else {
    if (wanted.barcode.find('/') != std::string::npos || wanted.barcode == "." ||
        wanted.barcode == "..") {
      return Result::Refused(Reason::kInvalidBarcode,
                             "barcode '" + wanted.barcode +
                                 "' cannot name an image file; give the cartridge a medium");
    }
    cartridge.medium = std::string(kFilePrefix) + "media/" + wanted.barcode + ".img";
    name = Absolute(dir, cartridge.medium);
    if (::access(name.c_str() + kFilePrefix.size(), F_OK) != 0) {
      CreateOptions options;
      options.barcode = wanted.barcode;
      options.media_type = media_type;
      options.capacity_bytes = wanted.capacity_bytes;
      options.early_warning_bytes = wanted.early_warning_bytes;
      std::uint64_t capacity = wanted.capacity_bytes;
      std::optional<MediaType> type = FindMediaType(media_type);
      if (capacity == 0 && type) capacity = type->native_bytes;
      if (Status s = CheckEarlyWarning(capacity, wanted.early_warning_bytes); !s.ok()) {
        return Result::Failed(Status(s.code(), "cartridge " + wanted.barcode + ": " + s.message()));
      }
      if (Status s = CreateTape(name, options); !s.ok()) return Result::Failed(s);
      cartridge.media_type = media_type;
      return Result::Ok();
    }
  }
  MediumInfo info;
  if (Status s = ReadLabel(name, info); !s.ok()) {
    return Result::Failed(
        Status(s.code(), "cartridge " + wanted.barcode + ": medium " + name + ": " + s.message()));
  }
  // The medium's own label decides; a type asked for or implied must agree.
  bool asked = !wanted.media_type.empty() || MediaTypeOfBarcode(wanted.barcode);
  if (asked && info.media_type != media_type) {
    return Result::Refused(Reason::kMediaTypeMismatch,
                           "medium " + name + " is " + info.media_type + ", not " + media_type);
  }
  cartridge.media_type = info.media_type;
  return Result::Ok();
}

}  // namespace

Library::Library(std::string dir, std::unique_ptr<Impl> impl)
    : dir_(std::move(dir)), impl_(std::move(impl)) {}

Library::~Library() = default;

Status Library::Create(const std::string& dir_typed, const CreateSpec& spec) {
  std::error_code ec;
  std::string dir = std::filesystem::absolute(dir_typed, ec).lexically_normal().string();
  if (ec) return Status::InvalidArgument("directory '" + dir_typed + "': " + ec.message());
  if (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  VTAPE_RETURN_IF_ERROR(CheckLayout(spec.layout));
  if (spec.barcodes.size() > spec.layout.slots) {
    return Status::InvalidArgument(std::to_string(spec.barcodes.size()) +
                                   " cartridges do not fit in " +
                                   std::to_string(spec.layout.slots) + " slots");
  }
  State state;
  state.generation = 1;
  state.name = spec.name.empty() ? std::filesystem::path(dir).filename().string() : spec.name;
  state.serial = spec.serial.empty() ? DefaultSerial(state.name) : spec.serial;
  if (!CheckBarcode(state.serial).ok() || state.serial.size() > 28) {
    return Status::InvalidArgument("serial '" + state.serial +
                                   "' must be 1 to 28 printable characters without spaces");
  }
  std::optional<MediaType> type = FindMediaType(spec.media_type);
  if (!type) return Status::InvalidArgument("unknown media type '" + spec.media_type + "'");
  state.default_media_type = type->name;
  // Checked before anything is made: a refused spec leaves no half-made library.
  VTAPE_RETURN_IF_ERROR(
      CheckEarlyWarning(spec.capacity_bytes != 0 ? spec.capacity_bytes : type->native_bytes,
                        spec.early_warning_bytes));
  state.layout = spec.layout;
  LayOutElements(state);

  VTAPE_RETURN_IF_ERROR(MakeDirectory(dir));
  Fd lock;
  VTAPE_RETURN_IF_ERROR(LockLibrary(dir, lock));
  if (::access(StatePath(dir).c_str(), F_OK) == 0) {
    return Status::InvalidArgument(dir + " already holds a library (" + StatePath(dir) + ")");
  }
  VTAPE_RETURN_IF_ERROR(MakeDirectory(MediaDir(dir)));
  for (std::size_t i = 0; i < spec.barcodes.size(); ++i) {
    NewCartridge wanted;
    wanted.barcode = spec.barcodes[i];
    wanted.capacity_bytes = spec.capacity_bytes;
    wanted.early_warning_bytes = spec.early_warning_bytes;
    std::uint16_t slot = 0;
    Result r =
        ChooseAddElement(state, wanted.barcode,
                         AddressOf(ElementType::kStorage, static_cast<std::uint32_t>(i)), slot);
    Cartridge cartridge;
    if (r.ok()) r = ProvideMedium(dir, state, wanted, cartridge);
    if (!r.ok()) return r.status;
    PlaceNew(state, std::move(cartridge), slot);
  }
  Fd written;
  return WriteStateFile(dir, state, written);
}

Status Library::Open(const std::string& dir_typed, const OpenOptions& options,
                     std::unique_ptr<Library>& library) {
  std::error_code ec;
  std::string dir = std::filesystem::absolute(dir_typed, ec).lexically_normal().string();
  if (ec) return Status::InvalidArgument("directory '" + dir_typed + "': " + ec.message());
  if (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  auto impl = std::make_unique<Impl>();
  State state;
  if (options.present) {
    // Under DIR/lock, so a tool's IsPresented check stays true for its whole change.
    Fd lock;
    VTAPE_RETURN_IF_ERROR(LockLibrary(dir, lock));
    VTAPE_RETURN_IF_ERROR(ReadStateFile(dir, state, impl->state_file));
    VTAPE_RETURN_IF_ERROR(TakePresented(dir, impl->presented));
  } else {
    VTAPE_RETURN_IF_ERROR(ReadStateFile(dir, state, impl->state_file));
  }
  library.reset(new Library(dir, std::move(impl)));
  library->state_ = std::move(state);
  return Status::Ok();
}

Status Library::Refresh(bool* changed) {
  bool replaced = true;
  if (impl_->state_file.valid()) {
    VTAPE_RETURN_IF_ERROR(StateReplaced(impl_->state_file.get(), replaced));
  }
  if (changed) *changed = false;
  if (!replaced) return Status::Ok();
  State fresh;
  Fd file;
  VTAPE_RETURN_IF_ERROR(ReadStateFile(dir_, fresh, file));
  if (changed) *changed = fresh.generation != state_.generation;
  state_ = std::move(fresh);
  impl_->state_file = std::move(file);
  return Status::Ok();
}

Status Library::MediumName(std::string_view barcode, std::string& name) const {
  const Cartridge* c = state_.FindCartridge(barcode);
  if (!c) return Status::NotFound("library " + dir_ + " has no cartridge " + std::string(barcode));
  name = Absolute(dir_, c->medium);
  return Status::Ok();
}

Result Library::Change(bool by_operator,
                       const std::function<Result(State& state, bool drives_reachable)>& apply) {
  Fd lock;
  if (Status s = LockLibrary(dir_, lock); !s.ok()) return Result::Failed(s);
  if (Status s = Refresh(); !s.ok()) return Result::Failed(s);
  bool presented_elsewhere = false;
  if (!impl_->presented.valid()) {
    if (Status s = IsPresented(dir_, presented_elsewhere); !s.ok()) return Result::Failed(s);
  }
  Result r = apply(state_, !presented_elsewhere);
  if (!r.ok()) return r;  // a refusal leaves state_ as it was
  ++state_.generation;
  if (by_operator) state_.operator_generation = state_.generation;
  Fd written;
  if (Status s = WriteStateFile(dir_, state_, written); !s.ok()) {
    impl_->state_file.reset();  // state_ is ahead of the file: the next Refresh re-reads it
    return Result::Failed(s);
  }
  impl_->state_file = std::move(written);
  return Result::Ok();
}

Result Library::Move(std::uint16_t from, std::uint16_t to) {
  return Change(false, [&](State& state, bool drives_reachable) {
    return ApplyMove(state, from, to, drives_reachable);
  });
}

Result Library::Exchange(std::uint16_t source, std::uint16_t first_dest,
                         std::uint16_t second_dest) {
  return Change(false, [&](State& state, bool drives_reachable) {
    return ApplyExchange(state, source, first_dest, second_dest, drives_reachable);
  });
}

Result Library::Import(const NewCartridge& cartridge, std::optional<std::uint16_t> ie) {
  return Change(true, [&](State& state, bool) {
    std::uint16_t at = 0;
    bool known = false;
    if (Result r = ChooseImportElement(state, cartridge.barcode, ie, at, known); !r.ok()) return r;
    if (known) {
      const Cartridge& c = *state.FindCartridge(cartridge.barcode);
      if (!cartridge.media_type.empty() && FindMediaType(cartridge.media_type) &&
          FindMediaType(cartridge.media_type)->name != c.media_type) {
        return Result::Refused(
            Reason::kMediaTypeMismatch,
            "cartridge " + c.barcode + " is " + c.media_type + ", not " + cartridge.media_type);
      }
      PlaceFromShelf(state, cartridge.barcode, at);
      return Result::Ok();
    }
    Cartridge made;
    if (Result r = ProvideMedium(dir_, state, cartridge, made); !r.ok()) return r;
    PlaceNew(state, std::move(made), at);
    return Result::Ok();
  });
}

Result Library::Export(std::uint16_t ie) {
  return Change(true, [&](State& state, bool) { return ApplyExport(state, ie); });
}

Result Library::Add(const NewCartridge& cartridge, std::optional<std::uint16_t> element) {
  return Change(true, [&](State& state, bool) {
    std::uint16_t at = 0;
    if (Result r = ChooseAddElement(state, cartridge.barcode, element, at); !r.ok()) return r;
    Cartridge made;
    if (Result r = ProvideMedium(dir_, state, cartridge, made); !r.ok()) return r;
    PlaceNew(state, std::move(made), at);
    return Result::Ok();
  });
}

Result Library::SetDoor(std::uint16_t ie, bool open) {
  return Change(false, [&](State& state, bool) { return ApplySetDoor(state, ie, open); });
}

Result Library::SetRemovalPrevented(bool prevented) {
  return Change(false, [&](State& state, bool) {
    state.removal_prevented = prevented;
    return Result::Ok();
  });
}

}  // namespace vtape::library
