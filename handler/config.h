// The tcmu config string of a vtape device: which medium to load and how the
// drive presents itself. No tcmu types here, so it is unit tested without a kernel.
//
// Syntax:   [vtape/]MEDIUM[;KEY=VALUE]...
//
//   MEDIUM   a backend name (vtape/registry.h): file:/var/lib/vtape/A00001L8.img,
//            rait:{file:/t/a.img,file:/t/b.img,file:/t/p.img}, mem:, null: ...
//            The string is split at ';' outside braces, so backend names may
//            hold ';' inside {...} but not elsewhere.
//            What is not a backend name (its text before the first ':' names
//            no registered backend) is a path and means file:PATH: the rule of
//            the `vtape` tool too (vtape::ResolveMediumName). So
//            /var/lib/vtape/A.img means file:/var/lib/vtape/A.img; targetcli
//            (python3-rtslib-fb) refuses ':' in a config string and truncates
//            one at ':' or ' ' when reading it back, so use this form with
//            targetcli and saveconfig.json.
//            Every file: path must be absolute, also inside rait:{...} and
//            fault:{...}NAME: a relative one (A.img, file:tapes/A.img) is
//            refused with the reason, because tcmu-runner's working directory
//            means nothing to whoever writes the string (and missing=create
//            would create the image there).
//   The optional "vtape/" is the tcmu subtype prefix: tcmu-runner passes the
//   string with it (dev_config=vtape/...), targetcli's CheckConfig too.
//
// Keys (each at most once):
//   model=KEY           drive personality (handler/ssc/personality.h): generic,
//                       ibm-lto5 .. ibm-lto9, hp-lto5 .. hp-lto9. Default generic.
//   serial=TEXT         unit serial number, 1-20 printable ASCII characters, no
//                       spaces. Default: derived from the medium name by the engine.
//   readonly=0|1        1 = open the medium read only (write protected).
//   missing=refuse|create
//                       what to do when the medium does not exist. refuse
//                       (default) fails the device open with a reason; create
//                       makes a blank medium first, shaped by:
//     media=TYPE          LTO-5 .. LTO-9 (vtape/media.h), default LTO-8
//     capacity=SIZE       default: the media type's native capacity; without
//                         early_warning= it must exceed the default 64 MiB zone
//     barcode=LABEL       printable ASCII, at most 32 characters
//     early_warning=SIZE  early-warning point this far before the end (< capacity)
//   These four are rejected without missing=create (they would silently do nothing).
//   buffer=SIZE|0       the drive's write-behind buffer (vtape/buffered_tape.h):
//                       WRITE in buffered mode 1 returns GOOD once the record is
//                       in it; errors met later are deferred errors. 0 (default):
//                       no buffer, every WRITE reaches the medium before GOOD.
//
// SIZE is vtape::ParseSize's (vtape/size.h), as in `vtape create`: bytes, or
// K, M, G, T, P (and KiB ... PiB) for powers of 1024, KB, MB, GB, TB, PB for
// powers of 1000, case-insensitive: 2500G, 64M, 400GB, 1048576. Not 0.
//
// Separators. The kernel splits a device's LIO `control` file at ',' and
// newlines, so a MEDIUM holding commas (rait:{a,b}) must be written to the
// device's attrib/dev_config file instead (tests/vm/guest-setup.sh does). targetcli
// (rtslib) writes the string through `control` and refuses ':' outright, so with
// targetcli use the absolute-path form and no commas; ';' passes both. The kernel
// limits dev_config to 255 bytes including the "vtape/" prefix.
//
// Library devices. A string that starts with "library=" is no lone drive's: it
// makes the device the changer or one drive of a vtape library (library/README.md),
// parsed by handler/library_config.h, which has the full syntax:
//   library=/var/lib/vtape/lib1;role=changer[;model=ibm-ts3100]
//   library=/var/lib/vtape/lib1;drive=0[;model=ibm-lto8]
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "handler/ssc/drive.h"
#include "vtape/registry.h"
#include "vtape/status.h"
#include "vtape/tape.h"

namespace vtape::ssc {

enum class MissingMedium { kRefuse, kCreate };

struct Config {
  std::string medium;  // backend name
  std::string model = "generic";
  std::string serial;  // empty: the engine derives one
  bool read_only = false;
  MissingMedium missing = MissingMedium::kRefuse;
  CreateOptions create;            // used only with missing=create
  std::uint64_t buffer_bytes = 0;  // buffer=; 0 = no write-behind buffer

  DriveConfig ToDriveConfig() const;
};

// The keys ParseConfig accepts, in the order its error message lists them
// (doc/vtape-config.5 documents each; tests/handler/config_manpage_test.cc checks).
std::span<const std::string_view> KnownConfigKeys();

// Parses a config string. On error `config` is unspecified and the status
// (kInvalidArgument) says what is wrong and how to fix it. Checks the medium's
// backend prefix against the registry, so call RegisterRait() first.
Status ParseConfig(std::string_view text, Config& config);

// The value of buffer= (a lone drive's and a library drive's): "0" (no
// buffer) or a SIZE. kInvalidArgument "buffer: ..." otherwise.
Status ParseBufferSize(std::string_view value, std::uint64_t& bytes);

// Whether the configured medium can be opened, without opening it (for
// tcmu's check_config): the medium exists, or missing=create.
Status CheckConfiguredMedium(const Config& config);

// Opens the configured medium; with missing=create a medium the backend says
// does not exist (kNotFound) is created blank first.
Status OpenConfiguredMedium(const Config& config, std::unique_ptr<Tape>& tape);

}  // namespace vtape::ssc
