// Backends selected by a name prefix, as in the classic virtual tape API:
//   file:/tapes/A00001L8.img     a tape image on disk (file_backend.cc)
//   null:                        only the layout kept, reads return zeros (memory_tape.cc)
//   mem:                         an in-memory tape, for tests and fuzzing (memory_tape.cc)
//   fault:{RULES}NAME            fault injection layered on NAME (fault_backend.cc)
//   rait:{NAME,NAME,...}         redundant array (rait/, registered by RegisterRait())
//   rados:[{OPTIONS}]POOL/NAME   a cartridge in a Ceph pool (rados/, RegisterRados())
// A name is PREFIX ":" REST; each backend parses its own REST. Unknown prefixes
// and malformed names are kInvalidArgument with a reason.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vtape/status.h"
#include "vtape/tape.h"

namespace vtape {

struct OpenOptions {
  bool read_only = false;  // no lock for writing is taken; writes fail kWriteProtected
};

// A blank medium's label and shape.
struct CreateOptions {
  std::string barcode;                    // printable ASCII, at most 32 characters; may be empty
  std::string media_type = "LTO-8";       // see media.h
  std::uint64_t capacity_bytes = 0;       // 0 = the media type's native capacity
  std::uint64_t early_warning_bytes = 0;  // 0 = the default (see media.h)
  bool write_protected = false;
  bool overwrite = false;  // replace an existing medium instead of failing kInvalidArgument
};

// Options that create a blank medium shaped like `info` (barcode, media type,
// capacity, early warning), for copies and rebuilt members.
CreateOptions CreateOptionsLike(const MediumInfo& info);

// One prefix's factory: the vtable's "access", "open" and medium creation.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view prefix() const = 0;  // without the colon
  // `rest` is the name after "PREFIX:".
  virtual Status Open(std::string_view rest, const OpenOptions& options,
                      std::unique_ptr<Tape>& tape) = 0;
  virtual Status Create(std::string_view rest, const CreateOptions& options) = 0;
  // Whether the medium exists and can be opened (for writing if `for_write`),
  // without opening it; the reason if not.
  virtual Status Access(std::string_view rest, bool for_write) = 0;
};

// The process-wide registry. Built in: file, null, mem, fault. Thread-safe.
void RegisterBackend(std::unique_ptr<Backend> backend);
Status OpenTape(std::string_view name, const OpenOptions& options, std::unique_ptr<Tape>& tape);
Status CreateTape(std::string_view name, const CreateOptions& options);
Status AccessTape(std::string_view name, bool for_write);
std::vector<std::string> RegisteredPrefixes();

// What a medium name as typed means, the one rule of the `vtape` tool and the
// handler's config string: a name whose text before its first ':' is a
// registered prefix is that backend's name ("file:/t/a.img", "rait:{...}",
// "mem:"); anything else is a path and means file:TEXT ("/var/lib/vtape/A.img",
// "A.img", "tapes/x:1.img"). Register every backend (RegisterRait) first.
std::string ResolveMediumName(std::string_view typed);

}  // namespace vtape
