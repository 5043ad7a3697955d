// The rait: backend: a redundant array of inexpensive tapes. Composition roots
// (the tcmu glue, the tools, tests) call RegisterRait() once to add the prefix.
#pragma once

namespace vtape::rait {

// Adds the `rait:` prefix to the vtape registry. Idempotent.
void RegisterRait();

}  // namespace vtape::rait
