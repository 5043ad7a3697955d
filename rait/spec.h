// The rait: name.
//
//   rait:{MEMBER,MEMBER,...}[;OPTION...]   each MEMBER any backend name (braces nest;
//                                           a name holding commas goes in braces:
//                                           rait:{{mem:capacity=9,barcode=A},...})
//   rait:PREFIX:PATH-{a,b,c}[;OPTION...]   shorthand: one brace list inside a name
//                                           expands to one member per item
// OPTION is KEY=VALUE; known:
//   degraded_writes=allow|refuse   keep writing when one member has failed
//                                  (default allow) or refuse writes until rebuilt
//   parallel=auto|on|off           member writes on worker threads, one member
//                                  each (on), or one after the other on the
//                                  caller's thread (off); auto (the default):
//                                  on when the host has a core per member.
//                                  Syncs always run in parallel.
// Options follow the first ';' outside braces, or close the brace list:
// rait:{A,B,C;degraded_writes=refuse} (the form for a drive config string, which
// itself splits at ';' outside braces). A member path cannot hold ';'.
// Examples: rait:{file:/t/a.img,file:/t/b.img,file:/t/c.img}
//           rait:file:/t/t1-{a,b,c}.img;degraded_writes=refuse
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vtape/status.h"

namespace vtape::rait {

enum class ParallelWrites : std::uint8_t { kAuto, kOn, kOff };

struct RaitSpec {
  std::vector<std::string> members;
  bool degraded_writes = true;
  ParallelWrites parallel = ParallelWrites::kAuto;
};

// The option's spelling: "auto", "on", "off".
std::string_view ParallelWritesName(ParallelWrites parallel);

// Whether member writes run on worker threads for this spec on this host.
bool WritesInParallel(const RaitSpec& spec);

// `rest` is the name after "rait:". Refuses, with the reason: fewer than 2 or
// more than 32 members, empty members, unbalanced braces, unknown member
// prefixes, the same persistent member twice, unknown options.
Status ParseRaitName(std::string_view rest, RaitSpec& spec);

}  // namespace vtape::rait
