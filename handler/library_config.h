// The config string of a library device: the changer or one drive of a vtape
// library (library/README.md), presented by the same handler (backstore
// user:vtape) as a lone drive. No tcmu types here, so it is unit tested without
// a kernel (tests/handler/library_config_test.cc).
//
// Syntax:   [vtape/]library=DIR;role=changer[;model=KEY]
//           [vtape/]library=DIR;drive=N[;model=KEY][;buffer=SIZE|0]
//
//   library=DIR   the library directory (`vtape library create DIR`), an
//                 absolute path: tcmu-runner's working directory is no place
//                 to look for it, and targetcli refuses ':' (so no "file:").
//   role=changer  the medium changer (SMC, peripheral type 08h), usually LUN 0.
//   drive=N       the library's drive N (0-based, as mtx numbers drives; element
//                 address 0100h + N), usually LUN N+1. `role=drive` may be
//                 written too, but drive=N is what names the drive.
//   model=KEY     changer: generic (default), ibm-ts3100, hpe-msl
//                 (handler/smc/personality.h); drive: generic (default),
//                 ibm-lto5 .. ibm-lto9, hp-lto5 .. hp-lto9 (handler/ssc/personality.h).
//   buffer=SIZE|0 drive only: the drive's write-behind buffer, as a lone drive's
//                 (handler/config.h); every cartridge the changer loads into
//                 the drive gets it. 0 (default): none.
//
// A library drive has no medium in its string: it holds what the library state
// says is in drive N (empty or a cartridge) and the changer's moves load and
// unload it. Its serial number is the library's DriveSerial(N), so the
// changer's DVCID descriptors match the drive's VPD 80h. The changer's serial is
// the library's. Keys of a lone drive (serial=, readonly=, missing= ...) are
// refused here. Each device of one library opens the same directory; one
// tcmu-runner presents it (library/README.md, "Presenting").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vtape/status.h"

namespace vtape::presenter {

enum class LibraryRole : std::uint8_t { kChanger, kDrive };

struct LibraryDeviceConfig {
  std::string library;  // the directory, absolute, as written
  LibraryRole role = LibraryRole::kDrive;
  std::uint32_t drive = 0;         // kDrive: 0-based index
  std::string model;               // personality key; "generic" unless given
  std::uint64_t buffer_bytes = 0;  // kDrive: buffer=; 0 = no write-behind buffer
};

// Whether `text` (with or without the "vtape/" prefix) is a library device's
// string, i.e. starts with "library=". Everything else is a lone drive's
// (handler/config.h).
bool IsLibraryConfig(std::string_view text);

// Parses a library device's string. kInvalidArgument with what is wrong.
Status ParseLibraryConfig(std::string_view text, LibraryDeviceConfig& config);

// For tcmu's check_config: the library exists and is readable, and the drive
// index is within its layout.
Status CheckLibraryDevice(const LibraryDeviceConfig& config);

}  // namespace vtape::presenter
