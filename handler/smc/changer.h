// The SMC-3 medium changer engine: a CDB and data buffers in; status, sense and
// data out, over a library model (library/library.h). Like the drive it knows
// nothing of tcmu, so it is unit tested and fuzzed without a kernel.
//
// Drives: a move into a drive element loads that cartridge in that drive, a
// move out of one unloads it, through the DrivePort the presenter implements
// (the glue over its ssc::Drive objects; tests over real Drives too). A move out
// of a drive whose cartridge st did not eject (no UNLOAD) ejects it, as most
// libraries do: the drive flushes, unloads and goes NOT READY. It is refused
// with 05h/53h/02h only while the drive has PREVENT MEDIUM REMOVAL in effect.
//
// Every move works drive side first, library state last: drives are unloaded
// and loaded, then the library records the move; when a drive step or the
// library refuses, the drive steps already taken are undone, so the state file,
// the drives and the cartridges agree and a refused cartridge stays where it was.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "handler/spc/scsi.h"
#include "library/library.h"
#include "vtape/status.h"

namespace vtape::smc {

using spc::ScsiCommand;
using spc::ScsiResult;

// What a drive needs to load a cartridge.
struct LoadRequest {
  std::string barcode;
  std::string medium;      // backend name to open (Library::MediumName)
  std::string media_type;  // "LTO-8"
};

// A drive as its INQUIRY names it: T10 vendor, product, unit serial (VPD 80h).
struct DriveIdentity {
  std::string vendor;
  std::string product;
  std::string serial;
};

// The changer's way to the drives of its library, by 0-based drive index
// (element address kFirstDriveAddress + index).
class DrivePort {
 public:
  virtual ~DrivePort() = default;
  // Opens the cartridge's medium and loads it: the drive reports UNIT ATTENTION
  // 28h/00h, then READY at BOT. Failures the changer answers distinctly:
  //   kUnsupported                 the drive cannot read this media type (05h/30h/00h)
  //   kNotFound, kCorruptImage,
  //   kMediumError                 the image is missing or damaged (03h/53h/00h)
  //   anything else                HARDWARE ERROR 44h/00h
  // On failure the drive stays empty.
  virtual Status Load(std::uint32_t drive_index, const LoadRequest& cartridge) = 0;
  // Flushes and ejects the drive's cartridge; the drive goes NOT READY (3Ah).
  // A failed flush leaves the cartridge loaded and returns the error.
  virtual Status Unload(std::uint32_t drive_index) = 0;
  // PREVENT MEDIUM REMOVAL in effect in the drive (st's MTLOCK).
  virtual bool MediumRemovalPrevented(std::uint32_t drive_index) const = 0;
  // What the drive reports in INQUIRY (READ ELEMENT STATUS with DVCID). The
  // serial is the library's DriveSerial for that drive when the presenter
  // configures its drives from the library.
  virtual DriveIdentity Identity(std::uint32_t drive_index) const = 0;
};

struct ChangerConfig {
  std::string personality = "generic";  // key into smc/personality.h
};

class Changer {
 public:
  // `library` and `drives` outlive the changer.
  Changer(ChangerConfig config, library::Library& library, DrivePort& drives);
  ~Changer();
  Changer(const Changer&) = delete;
  Changer& operator=(const Changer&) = delete;

  // Executes one command. Commands run one at a time, in order.
  ScsiResult Execute(const ScsiCommand& command);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace vtape::smc
