// rados: vs file: on the same machine, the record sizes of file_bench (4 KiB,
// 64 KiB, 256 KiB): write + Sync, then read back, 64 MiB per case (the one-node
// test cluster keeps memstore data in the OSD's RAM). Each rados: figure is
// printed as a ratio of file: in the same run (bench/RESULTS.md, "rados: vs file:").
//
//   D=$(mktemp -d /var/tmp/vtc.XXXXXX); eval "$(tests/ceph/cluster.sh up $D)"
//   VTAPE_CEPH_CONF=$CEPH_CONF out/release/bench/rados_bench; tests/ceph/cluster.sh down $D
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "rados/rados.h"
#include "vtape/registry.h"

namespace {

constexpr std::uint64_t kBytes = 64ull << 20;

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool Check(const vtape::Status& s, const char* what) {
  if (!s.ok()) std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
  return s.ok();
}

// MiB/s of write+sync and of the read pass of `name` with records of `size`.
bool Measure(const std::string& name, std::size_t size, double& write, double& read) {
  vtape::CreateOptions o;
  o.capacity_bytes = 1ull << 30;
  o.overwrite = true;
  if (!Check(vtape::CreateTape(name, o), "create")) return false;
  std::unique_ptr<vtape::Tape> t;
  if (!Check(vtape::OpenTape(name, {}, t), "open")) return false;
  std::vector<std::uint8_t> record(size);
  for (std::size_t i = 0; i < size; ++i) record[i] = static_cast<std::uint8_t>(i * 31 + 7);
  auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < kBytes / size; ++i) {
    if (!Check(t->Write(record), "write")) return false;
  }
  if (!Check(t->WriteFilemarks(1, true), "sync")) return false;
  write = kBytes / Seconds(t0) / (1 << 20);
  if (!Check(t->Close(), "close")) return false;
  if (!Check(vtape::OpenTape(name, {}, t), "reopen")) return false;
  t0 = std::chrono::steady_clock::now();
  vtape::ReadResult r;
  for (std::uint64_t i = 0; i < kBytes / size; ++i) {
    if (!Check(t->Read(record, r), "read")) return false;
  }
  read = kBytes / Seconds(t0) / (1 << 20);
  return Check(t->Close(), "close");
}

}  // namespace

int main() {
  vtape::rados::RegisterRados();
  const char* conf = getenv("VTAPE_CEPH_CONF");
  if (!conf || !*conf) {
    std::fprintf(stderr, "set VTAPE_CEPH_CONF to a cluster's ceph.conf (tests/ceph/cluster.sh up)\n");
    return 2;
  }
  const char* pool = getenv("VTAPE_CEPH_POOL");
  std::string dir = "/var/tmp/vtape-rados-bench-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  std::string rados = "rados:{conf=" + std::string(conf) + "}" + (pool ? pool : "vtape") +
                      "/bench-" + std::to_string(getpid());
  std::printf("%-8s %12s %12s %12s %12s %8s %8s\n", "record", "file: write", "rados: write",
              "file: read", "rados: read", "write", "read");
  for (std::size_t size : {4096u, 65536u, 262144u}) {
    double fw = 0, fr = 0, rw = 0, rr = 0;
    if (!Measure("file:" + dir + "/b.img", size, fw, fr)) return 1;
    if (!Measure(rados, size, rw, rr)) return 1;
    std::printf("%-8zu %8.0f MiB/s %8.0f MiB/s %8.0f MiB/s %8.0f MiB/s %7.2fx %7.2fx\n", size, fw,
                rw, fr, rr, rw / fw, rr / fr);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
