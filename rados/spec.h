// A rados: name: rados:[{OPTIONS}]POOL/NAME
//   OPTIONS, a comma list (in braces, so the name nests in rait:{...} lists):
//     conf=PATH      the cluster's ceph.conf (default: librados' search: $CEPH_CONF,
//                    /etc/ceph/ceph.conf, ...)
//     id=NAME        the client id, without "client." (default: admin)
//     keyring=PATH   the client's keyring (default: the conf's)
//     timeout=SEC    how long an OSD or monitor operation may take before it fails
//                    with an I/O error instead of waiting for the cluster (default 30)
//     lease=SEC      the writer's lock expires SEC seconds after its last renewal
//                    (renewed every SEC/3 while the cartridge is open); the next
//                    writer fences the expired one (OSD blocklist) before it writes.
//                    0 (default): no expiry, only `vtape break-lock` frees the lock
//   POOL/NAME: the pool, and the cartridge's name inside it (the header object's name;
//   letters, digits, '.', '_', '-').
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vtape/status.h"

namespace vtape::rados {

struct RadosSpec {
  std::string conf;
  std::string id;
  std::string keyring;
  std::uint32_t timeout_seconds = 30;
  std::uint32_t lease_seconds = 0;  // 0: the lock never expires
  std::string pool;
  std::string name;
  // "POOL/NAME", for messages (no cluster options: they may name key files).
  std::string Label() const { return pool + "/" + name; }
};

Status ParseRadosName(std::string_view rest, RadosSpec& spec);

}  // namespace vtape::rados
