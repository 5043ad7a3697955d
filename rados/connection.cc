#include "rados/connection.h"

#include <cerrno>
#include <cstring>

namespace vtape::rados {

Status FromRados(int ret, std::string_view what) {
  std::string m = std::string(what) + ": " + std::strerror(-ret);
  switch (-ret) {
    case ENOENT: return Status::NotFound(std::move(m));
    case ENOSPC:
    case EDQUOT: return Status::EndOfMedium(std::move(m));
    case EBUSY: return Status::Busy(std::move(m));
    default: return Status::IoError(std::move(m));
  }
}

Connection::~Connection() {
  if (io_) rados_ioctx_destroy(io_);
  if (cluster_) rados_shutdown(cluster_);
}

Status Connection::Connect(const RadosSpec& spec) {
  int r = rados_create(&cluster_, spec.id.empty() ? nullptr : spec.id.c_str());
  if (r < 0) {
    cluster_ = nullptr;
    return FromRados(r, "rados: creating the cluster handle");
  }
  r = rados_conf_read_file(cluster_, spec.conf.empty() ? nullptr : spec.conf.c_str());
  if (r < 0) {
    return FromRados(r, "rados: reading the ceph.conf " +
                            (spec.conf.empty() ? std::string("(default search)") : spec.conf));
  }
  if (!spec.keyring.empty()) {
    r = rados_conf_set(cluster_, "keyring", spec.keyring.c_str());
    if (r < 0) return FromRados(r, "rados: keyring=" + spec.keyring);
  }
  // Without timeouts an operation waits for an OSD that went away forever; the
  // drive must report the error instead (and retry is the host's choice).
  std::string t = std::to_string(spec.timeout_seconds);
  for (const char* key : {"rados_osd_op_timeout", "rados_mon_op_timeout", "client_mount_timeout"}) {
    rados_conf_set(cluster_, key, t.c_str());
  }
  r = rados_connect(cluster_);
  if (r < 0) return FromRados(r, "rados: connecting to the cluster");
  r = rados_ioctx_create(cluster_, spec.pool.c_str(), &io_);
  if (r < 0) {
    io_ = nullptr;
    return FromRados(r, "rados: opening pool " + spec.pool);
  }
  return Status::Ok();
}

std::string Connection::Address() const {
  char* addrs = nullptr;
  if (rados_getaddrs(cluster_, &addrs) < 0 || !addrs) return "?";
  std::string a = addrs;
  rados_buffer_free(addrs);
  return a;
}

}  // namespace vtape::rados
