// The rados: backend: cartridges in a Ceph RADOS pool (rados/FORMAT.md), so any
// gateway of a cluster can load any cartridge. RegisterRados() adds the prefix to
// the vtape registry (the handler and the tool call it with RegisterRait()).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vtape/status.h"

namespace vtape::rados {

void RegisterRados();

// `vtape break-lock`: fences the gateway holding the writer's lock on the
// rados: cartridge `name` (OSD blocklist for `blocklist_seconds`) and breaks the
// lock. `holders` gets one line per broken lock (client, address, cookie); empty
// when nobody held it.
Status BreakWriterLock(std::string_view name, std::uint32_t blocklist_seconds,
                       std::vector<std::string>& holders);

}  // namespace vtape::rados
