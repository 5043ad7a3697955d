#include "handler/library_presenter.h"

#include <filesystem>
#include <vector>

#include "handler/config.h"
#include "handler/ssc/personality.h"
#include "library/library.h"

namespace vtape::presenter {
namespace {

// A drive device as the changer reaches it.
struct DriveSlot {
  std::mutex* mutex = nullptr;  // the device's command lock; null = no device open here
  ssc::Drive* drive = nullptr;
  std::string model = "generic";  // kept after the device closes (DVCID)
};

std::string DriveName(const std::string& dir, std::uint32_t index) {
  return "drive:" + std::to_string(index) + " of library " + dir;
}

// Opens a cartridge's medium as a lone drive opens its configured one: a
// write-protected image loads read only.
Status OpenCartridge(const std::string& medium, std::unique_ptr<Tape>& tape) {
  ssc::Config config;
  config.medium = medium;
  return ssc::OpenConfiguredMedium(config, tape);
}

}  // namespace

// One library presented by this process. `mutex` guards everything here and
// is held for a whole changer command (so the DrivePort calls run under it).
class PresentedLibrary final : public smc::DrivePort {
 public:
  PresentedLibrary(std::string dir, Presenter* owner) : dir(std::move(dir)), owner(owner) {}

  Status Load(std::uint32_t index, const smc::LoadRequest& cartridge) override;
  Status Unload(std::uint32_t index) override;
  bool MediumRemovalPrevented(std::uint32_t index) const override;
  smc::DriveIdentity Identity(std::uint32_t index) const override;

  // The cartridge the state puts in drive `config.drive` (`element`), opened
  // for its drive device; null (logged) when it cannot be loaded.
  std::unique_ptr<Tape> OpenHeld(const LibraryDeviceConfig& config, const library::Element& element,
                                 std::string& medium_name);

  void Log(LogLevel level, const std::string& text) const {
    if (log) log(level, text);
  }
  DriveSlot& Slot(std::uint32_t index) {
    if (drives.size() <= index) drives.resize(index + 1);
    return drives[index];
  }

  const std::string dir;
  Presenter* const owner;
  LogSink log;
  std::mutex mutex;
  int users = 0;  // attachments; guarded by the owner's mutex
  std::unique_ptr<library::Library> library;
  std::unique_ptr<smc::Changer> changer;
  std::vector<DriveSlot> drives;  // by index; grows as drives attach
};

Status PresentedLibrary::Load(std::uint32_t index, const smc::LoadRequest& cartridge) {
  DriveSlot* slot = index < drives.size() ? &drives[index] : nullptr;
  if (slot == nullptr || slot->drive == nullptr) {
    Log(LogLevel::kError, "cannot load " + cartridge.barcode + " into " + DriveName(dir, index) +
                              ": no device of that drive is open in this tcmu-runner (create "
                              "one with config library=" +
                              dir + ";drive=" + std::to_string(index) + ")");
    return Status::Busy(DriveName(dir, index) + " has no device");
  }
  const ssc::Personality* p = ssc::FindPersonality(slot->model);
  if (p != nullptr && !ssc::ReadsMediaType(*p, cartridge.media_type)) {
    return Status::Unsupported(slot->model + " does not read " + cartridge.media_type);
  }
  std::unique_ptr<Tape> tape;
  Status s = OpenCartridge(cartridge.medium, tape);
  if (!s.ok()) {
    Log(LogLevel::kError,
        "cannot load " + cartridge.barcode + " into " + DriveName(dir, index) + ": " + s.message());
    return s;
  }
  std::lock_guard drive_lock(*slot->mutex);
  s = slot->drive->ChangeMedium(std::move(tape));
  if (!s.ok()) {
    Log(LogLevel::kWarning,
        DriveName(dir, index) + ": closing the previous medium: " + s.message());
  }
  Log(LogLevel::kInfo, cartridge.barcode + " loaded into " + DriveName(dir, index));
  return Status::Ok();
}

Status PresentedLibrary::Unload(std::uint32_t index) {
  DriveSlot* slot = index < drives.size() ? &drives[index] : nullptr;
  if (slot == nullptr || slot->drive == nullptr) return Status::Ok();  // nothing holds it open
  std::lock_guard drive_lock(*slot->mutex);
  if (slot->drive->medium() == nullptr) return Status::Ok();
  Status s = slot->drive->Flush();
  if (s.ok()) s = slot->drive->ChangeMedium(nullptr);
  if (!s.ok()) {
    Log(LogLevel::kError, "unloading " + DriveName(dir, index) + " failed: " + s.message());
    return s;
  }
  Log(LogLevel::kInfo, DriveName(dir, index) + " unloaded");
  return Status::Ok();
}

bool PresentedLibrary::MediumRemovalPrevented(std::uint32_t index) const {
  if (index >= drives.size() || drives[index].drive == nullptr) return false;
  std::lock_guard drive_lock(*drives[index].mutex);
  return drives[index].drive->medium_removal_prevented();
}

smc::DriveIdentity PresentedLibrary::Identity(std::uint32_t index) const {
  const std::string model = index < drives.size() ? drives[index].model : "generic";
  const ssc::Personality* p = ssc::FindPersonality(model);
  smc::DriveIdentity id;
  if (p != nullptr) {
    id.vendor = std::string(p->vendor);
    id.product = std::string(p->product);
  }
  const library::State& state = library->state();
  if (index < state.drives.size()) id.serial = state.drives[index].drive_serial;
  return id;
}

std::unique_ptr<Tape> PresentedLibrary::OpenHeld(const LibraryDeviceConfig& config,
                                                 const library::Element& element,
                                                 std::string& medium_name) {
  const std::string name = DriveName(dir, config.drive);
  const library::Cartridge* cartridge = library->state().FindCartridge(element.barcode);
  const ssc::Personality* p = ssc::FindPersonality(config.model);
  std::unique_ptr<Tape> tape;
  Status opened;
  if (cartridge != nullptr && p != nullptr && !ssc::ReadsMediaType(*p, cartridge->media_type)) {
    opened = Status::Unsupported(config.model + " does not read " + cartridge->media_type);
  } else {
    opened = library->MediumName(element.barcode, medium_name);
    if (opened.ok()) opened = OpenCartridge(medium_name, tape);
  }
  if (opened.ok()) {
    Log(LogLevel::kInfo, name + " opens holding " + element.barcode);
    return tape;
  }
  Log(LogLevel::kError, name + " holds " + element.barcode +
                            " by the library state, but it cannot be loaded (" + opened.message() +
                            "): the drive starts empty; move it out with mtx");
  return nullptr;
}

// --- Attachments -----------------------------------------------------------------------

ChangerAttachment::ChangerAttachment(std::shared_ptr<PresentedLibrary> library)
    : library_(std::move(library)) {}

ChangerAttachment::~ChangerAttachment() {
  {
    std::lock_guard lock(library_->mutex);
    library_->changer.reset();
  }
  library_->owner->Release(library_);
}

spc::ScsiResult ChangerAttachment::Execute(const spc::ScsiCommand& command) {
  std::lock_guard lock(library_->mutex);
  return library_->changer->Execute(command);
}

DriveAttachment::DriveAttachment(std::shared_ptr<PresentedLibrary> library, std::uint32_t index)
    : library_(std::move(library)), index_(index) {}

DriveAttachment::~DriveAttachment() {
  {
    std::lock_guard lock(library_->mutex);
    DriveSlot& slot = library_->Slot(index_);
    slot.mutex = nullptr;
    slot.drive = nullptr;
  }
  library_->owner->Release(library_);
}

// --- Presenter -------------------------------------------------------------------------

Presenter& Presenter::Process() {
  static Presenter presenter;
  return presenter;
}

Presenter::Presenter() = default;
Presenter::~Presenter() = default;

void Presenter::SetLogSink(LogSink sink) {
  std::lock_guard lock(mutex_);
  log_ = std::move(sink);
}

std::size_t Presenter::open_libraries() const {
  std::lock_guard lock(mutex_);
  return libraries_.size();
}

Status Presenter::Acquire(const std::string& dir, std::shared_ptr<PresentedLibrary>& library) {
  std::error_code ec;
  std::string key = std::filesystem::weakly_canonical(dir, ec).string();
  if (ec || key.empty()) key = dir;
  std::lock_guard lock(mutex_);
  auto it = libraries_.find(key);
  if (it == libraries_.end()) {
    auto opened = std::make_shared<PresentedLibrary>(key, this);
    opened->log = log_;
    library::OpenOptions options;
    options.present = true;
    Status s = library::Library::Open(key, options, opened->library);
    if (!s.ok()) {
      if (s.code() == Code::kBusy) {
        return Status::Busy("library " + key + " is presented by another process (" + s.message() +
                            ")");
      }
      return Status(s.code(), "cannot open library " + key + ": " + s.message());
    }
    opened->Log(LogLevel::kInfo, "presenting library " + key);
    it = libraries_.emplace(key, std::move(opened)).first;
  }
  ++it->second->users;
  library = it->second;
  return Status::Ok();
}

void Presenter::Release(const std::shared_ptr<PresentedLibrary>& library) {
  std::lock_guard lock(mutex_);
  if (--library->users > 0) return;
  std::lock_guard library_lock(library->mutex);
  library->changer.reset();
  library->library.reset();  // gives up DIR/presented
  library->Log(LogLevel::kInfo, "library " + library->dir + " no longer presented");
  libraries_.erase(library->dir);
}

Status Presenter::AttachChanger(const LibraryDeviceConfig& config,
                                std::unique_ptr<ChangerAttachment>& attachment) {
  std::shared_ptr<PresentedLibrary> library;
  VTAPE_RETURN_IF_ERROR(Acquire(config.library, library));
  {
    std::lock_guard lock(library->mutex);
    if (library->changer == nullptr) {
      smc::ChangerConfig changer_config;
      changer_config.personality = config.model;
      library->changer =
          std::make_unique<smc::Changer>(changer_config, *library->library, *library);
      attachment = std::make_unique<ChangerAttachment>(library);
      return Status::Ok();
    }
  }
  Release(library);
  return Status::Busy("library " + library->dir + " has a changer device already");
}

Status Presenter::AttachDrive(const LibraryDeviceConfig& config, std::uint32_t max_transfer_bytes,
                              std::mutex& device_mutex, std::unique_ptr<ssc::Drive>& drive,
                              std::unique_ptr<DriveAttachment>& attachment) {
  std::shared_ptr<PresentedLibrary> library;
  VTAPE_RETURN_IF_ERROR(Acquire(config.library, library));
  Status s;
  {
    std::lock_guard lock(library->mutex);
    // The state as of now, under the library lock: no move can come between
    // reading what is in the drive and registering the drive.
    s = library->library->Refresh();
    const library::State& state = library->library->state();
    const std::string name = DriveName(library->dir, config.drive);
    if (s.ok() && config.drive >= state.layout.drives) {
      s = Status::InvalidArgument(
          "library " + library->dir + " has " + std::to_string(state.layout.drives) +
          " drive(s), numbered from 0; there is no drive " + std::to_string(config.drive));
    }
    if (s.ok() && library->Slot(config.drive).drive != nullptr) {
      s = Status::Busy(name + " has a device already");
    }
    if (s.ok()) {
      const library::Element& element = state.drives[config.drive];
      ssc::DriveConfig drive_config;
      drive_config.personality = config.model;
      drive_config.serial = element.drive_serial;
      drive_config.max_transfer_bytes = max_transfer_bytes;
      drive_config.buffer_bytes = config.buffer_bytes;
      std::unique_ptr<Tape> tape;
      if (element.full()) tape = library->OpenHeld(config, element, drive_config.medium_name);
      drive = std::make_unique<ssc::Drive>(std::move(drive_config), std::move(tape));
      DriveSlot& slot = library->Slot(config.drive);
      slot.mutex = &device_mutex;
      slot.drive = drive.get();
      slot.model = config.model;
      attachment = std::make_unique<DriveAttachment>(library, config.drive);
      return Status::Ok();
    }
  }
  Release(library);
  return s;
}

}  // namespace vtape::presenter
