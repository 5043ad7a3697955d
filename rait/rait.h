// The rait: backend: a redundant array of inexpensive tapes. Composition roots
// (the tcmu glue, the tools, tests) call RegisterRait() once to add the prefix.
//
// Names (spec.h): rait:{NAME,NAME,...}[;degraded_writes=allow|refuse][;parallel=auto|on|off] or the
// shorthand rait:file:/t/t1-{a,b,c}.img. Two members mirror each other; with
// N >= 3 each record is striped over N-1 members plus one XOR parity member
// (format.h). The set survives the loss of any one member.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "vtape/status.h"
#include "vtape/tape.h"

namespace vtape::rait {

// Adds the `rait:` prefix to the vtape registry. Idempotent.
void RegisterRait();

// Called now and then while a rebuild runs (bytes of the set walked so far).
using ProgressFn = std::function<void(std::uint64_t done_bytes, std::uint64_t total_bytes)>;

// Recreates member `index` of an open set from the other members: afterwards it
// holds byte-identical records, the same filemarks, label and attributes, and
// the set is no longer degraded. `set` must come from OpenTape("rait:...")
// without read_only; it is left at BOP. Sets with several partitions are not
// supported (kUnsupported).
Status RebuildMember(Tape& set, std::size_t index, const ProgressFn& progress);
// The same on the set `name` ("rait:..."): opens it, rebuilds, closes it.
Status RebuildMember(std::string_view name, std::size_t index, const ProgressFn& progress);

// Member `index` of an open rait: set, or nullptr (not a rait set, no such
// member, or the member could not be opened). For tools and tests.
Tape* RaitMember(Tape& set, std::size_t index);

}  // namespace vtape::rait
