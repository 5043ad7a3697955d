// The header object, the writer's lock on it, and breaking a dead gateway's lock.
#pragma once

#include <string>
#include <vector>

#include "rados/connection.h"
#include "rados/layout.h"
#include "rados/spec.h"
#include "vtape/registry.h"

namespace vtape::rados {

struct Locker {
  std::string client;   // "client.4123"
  std::string cookie;   // "HOST:PID:RANDOM" of the gateway
  std::string address;  // "127.0.0.1:0/2345"
};

Status ReadHeader(const Connection& conn, const RadosSpec& spec, Header& header);
// Writes a blank medium's header (epoch 1), or replaces one when `options.overwrite`
// (refused while a writer holds the lock; the epoch moves on, so the old writer is fenced).
Status CreateMedium(const Connection& conn, const RadosSpec& spec, const CreateOptions& options);
// The holders of the writer's lock (empty when free).
Status ListLockers(const Connection& conn, const std::string& oid, std::vector<Locker>& out);
// Fences every holder of the writer's lock (adds its address to the OSD blocklist for
// `blocklist_seconds`, so none of its writes can land again) and then breaks the lock.
// `broken` gets who held it.
Status BreakLock(const Connection& conn, const RadosSpec& spec, std::uint32_t blocklist_seconds,
                 std::vector<Locker>& broken);

}  // namespace vtape::rados
