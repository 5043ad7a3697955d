// RAII around librados' C handles: one cluster connection and one pool context per
// opened medium (librados is thread-safe; a connection costs a few ms on open).
#pragma once

#include <rados/librados.h>

#include <string>
#include <string_view>

#include "rados/spec.h"
#include "vtape/status.h"

namespace vtape::rados {

// An errno-style librados result (negative) as a Status naming `what`.
// -ENOENT -> kNotFound, -ENOSPC/-EDQUOT -> kEndOfMedium, -EBUSY -> kBusy, else kIoError.
Status FromRados(int ret, std::string_view what);

class Connection {
 public:
  Connection() = default;
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects to the cluster `spec` names and opens its pool.
  Status Connect(const RadosSpec& spec);
  rados_t cluster() const { return cluster_; }
  rados_ioctx_t io() const { return io_; }
  // This client's address as the OSDs see it ("127.0.0.1:0/1234"), for lock descriptions.
  std::string Address() const;

 private:
  rados_t cluster_ = nullptr;
  rados_ioctx_t io_ = nullptr;
};

}  // namespace vtape::rados
