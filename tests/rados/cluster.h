// A one-node Ceph cluster for the rados: tests, started once per test binary by
// tests/ceph/cluster.sh (or an existing one: VTAPE_CEPH_CONF=PATH [VTAPE_CEPH_POOL=vtape]).
#pragma once

#include <string>

namespace vtape::rados::test {

struct Cluster {
  std::string conf;        // ceph.conf path
  std::string pool;        // a pool of size 1
  std::string dir;         // the script's directory (empty for an existing cluster)
  std::string skip_reason;  // non-empty: no Ceph here, the binary exits 77
};

// Starts the cluster (or finds VTAPE_CEPH_CONF's); `store` memstore or bluestore.
Cluster& StartCluster(const std::string& store = "memstore");
void StopCluster();
// Kills the OSD (SIGKILL) / starts it again (cluster.sh osd-stop / osd-start).
bool StopOsd();
bool StartOsd();

// "rados:{conf=...,timeout=T}POOL/NAME" for a fresh object name unique to this process.
std::string FreshName(const std::string& stem, unsigned timeout_seconds = 20);

}  // namespace vtape::rados::test
