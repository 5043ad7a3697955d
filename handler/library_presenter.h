// The libraries this process (tcmu-runner) presents: for each library directory
// the open Library (OpenOptions::present), its Changer once the changer device
// opens, and the DrivePort through which the changer loads and unloads the
// library's drive devices. No tcmu types here, so it is unit tested without a
// kernel (tests/smc/presenter_test.cc); tcmu_glue.cc attaches its devices.
//
// Lifetime. The first device of a library to open (changer or drive, in any
// order: tcmu-runner re-opens its devices in configfs order after a restart)
// opens the library and takes DIR/presented; the last to close releases it.
//
// Drives. A drive device registers its engine and its command lock when it
// opens, with the cartridge the library state puts in that drive loaded (or
// empty), and unregisters when it closes. So after a restart, even a SIGKILL,
// every drive holds what the state says: the changer records a move only after
// the drive steps succeeded (handler/smc/changer.h).
//   * A move into a drive whose device is not open here is refused with
//     HARDWARE ERROR, INTERNAL TARGET FAILURE (04h/44h/00h), the changer's
//     answer to a drive that cannot load; the runner's log names the missing
//     device. The cartridge stays where it was.
//   * A move out of such a drive is done: no device holds the cartridge open,
//     so there is nothing to flush.
//   * DVCID for such a drive names the model it had when last open here
//     (generic before), with the library's drive serial.
//
// Locking. Each library has one lock, held for a whole changer command and for
// a drive's attach and detach; the changer's loads and unloads then take the
// drive device's own command lock (the one the device's commands run under),
// so a move never runs in the middle of a drive command. Order: library lock,
// then drive lock; a drive command takes only its own.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "handler/library_config.h"
#include "handler/smc/changer.h"
#include "handler/ssc/drive.h"
#include "vtape/status.h"

namespace vtape::presenter {

class PresentedLibrary;  // library_presenter.cc

// A changer device's hold on its library (ends with the object).
class ChangerAttachment {
 public:
  explicit ChangerAttachment(std::shared_ptr<PresentedLibrary> library);  // by Presenter
  ~ChangerAttachment();
  ChangerAttachment(const ChangerAttachment&) = delete;
  ChangerAttachment& operator=(const ChangerAttachment&) = delete;
  // Executes one changer command under the library lock.
  spc::ScsiResult Execute(const spc::ScsiCommand& command);

 private:
  std::shared_ptr<PresentedLibrary> library_;
};

// A drive device's registration. Destroy it before the drive and its lock:
// destruction waits for a changer command in flight and unregisters the drive.
class DriveAttachment {
 public:
  DriveAttachment(std::shared_ptr<PresentedLibrary> library, std::uint32_t index);  // by Presenter
  ~DriveAttachment();
  DriveAttachment(const DriveAttachment&) = delete;
  DriveAttachment& operator=(const DriveAttachment&) = delete;

 private:
  std::shared_ptr<PresentedLibrary> library_;
  std::uint32_t index_;
};

enum class LogLevel : std::uint8_t { kError, kWarning, kInfo };
using LogSink = std::function<void(LogLevel, const std::string&)>;

class Presenter {
 public:
  // The one of this process (the glue's). Tests make their own.
  static Presenter& Process();

  Presenter();
  ~Presenter();
  Presenter(const Presenter&) = delete;
  Presenter& operator=(const Presenter&) = delete;

  // Where moves, loads at open and refusals are logged (default: nowhere).
  // Set before the first attach.
  void SetLogSink(LogSink sink);

  // A changer device opens. kBusy when the library already has a changer
  // here, or another process presents it; the library's open errors as they are.
  Status AttachChanger(const LibraryDeviceConfig& config,
                       std::unique_ptr<ChangerAttachment>& attachment);

  // A drive device opens: builds `drive` (serial from the library, the
  // cartridge the state puts in this drive loaded) and registers it with the
  // device's command lock `device_mutex`. kBusy when the drive is open here
  // already; kInvalidArgument for an index outside the library. A cartridge
  // that cannot be opened (image missing or damaged, a model that cannot read
  // it) leaves the drive empty, logged: the changer can still move it out.
  Status AttachDrive(const LibraryDeviceConfig& config, std::uint32_t max_transfer_bytes,
                     std::mutex& device_mutex, std::unique_ptr<ssc::Drive>& drive,
                     std::unique_ptr<DriveAttachment>& attachment);

  // How many libraries are open here (tests).
  std::size_t open_libraries() const;

 private:
  friend class ChangerAttachment;
  friend class DriveAttachment;
  // Finds or opens the library of `dir`; counts one more user.
  Status Acquire(const std::string& dir, std::shared_ptr<PresentedLibrary>& library);
  // One user fewer; the last one closes it.
  void Release(const std::shared_ptr<PresentedLibrary>& library);

  mutable std::mutex mutex_;  // guards libraries_; taken before a library's lock
  std::map<std::string, std::shared_ptr<PresentedLibrary>> libraries_;  // by canonical path
  LogSink log_;
};

}  // namespace vtape::presenter
