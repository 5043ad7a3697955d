#include "tests/rados/cluster.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <iostream>

namespace vtape::rados::test {
namespace {

Cluster g_cluster;
bool g_started = false;
const std::string kScript = std::string(VTAPE_SOURCE_DIR) + "/tests/ceph/cluster.sh";

// Runs `command`, returns its exit code and stdout.
int Run(const std::string& command, std::string& out) {
  out.clear();
  FILE* f = popen(command.c_str(), "r");
  if (!f) return -1;
  char buf[512];
  while (fgets(buf, sizeof buf, f)) out += buf;
  int st = pclose(f);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::string Field(const std::string& out, const std::string& key) {
  std::size_t at = out.find(key + "=");
  if (at == std::string::npos) return "";
  std::size_t end = out.find('\n', at);
  return out.substr(at + key.size() + 1, end - at - key.size() - 1);
}

}  // namespace

Cluster& StartCluster(const std::string& store) {
  if (g_started) return g_cluster;
  g_started = true;
  if (const char* conf = getenv("VTAPE_CEPH_CONF"); conf && *conf) {
    g_cluster.conf = conf;
    const char* pool = getenv("VTAPE_CEPH_POOL");
    g_cluster.pool = pool && *pool ? pool : "vtape";
    return g_cluster;
  }
  std::string out;
  if (Run(kScript + " check 2>&1", out) == 77) {
    g_cluster.skip_reason = "no Ceph daemons on this machine (" + out.substr(0, out.find('\n')) +
                            "); tests/install-deps.sh installs them";
    return g_cluster;
  }
  char dir[] = "/var/tmp/vtc.XXXXXX";
  if (!mkdtemp(dir)) {
    g_cluster.skip_reason = "cannot make a directory under /var/tmp";
    return g_cluster;
  }
  g_cluster.dir = dir;
  int rc = Run("CEPH_STORE=" + store + " " + kScript + " up " + g_cluster.dir, out);
  if (rc != 0) {
    // A machine with the packages must run the tests: a failed start is a failure.
    std::cerr << "tests/ceph/cluster.sh up failed (" << rc << ")\n";
    exit(1);
  }
  g_cluster.conf = Field(out, "CEPH_CONF");
  g_cluster.pool = Field(out, "CEPH_POOL");
  return g_cluster;
}

void StopCluster() {
  if (g_cluster.dir.empty()) return;
  std::string out;
  Run(kScript + " down " + g_cluster.dir, out);
  g_cluster.dir.clear();
}

bool StopOsd() {
  std::string out;
  return !g_cluster.dir.empty() && Run(kScript + " osd-stop " + g_cluster.dir, out) == 0;
}
bool StartOsd() {
  std::string out;
  return !g_cluster.dir.empty() && Run(kScript + " osd-start " + g_cluster.dir, out) == 0;
}

std::string FreshName(const std::string& stem, unsigned timeout_seconds) {
  static std::atomic<unsigned> counter{0};
  return "rados:{conf=" + g_cluster.conf + ",timeout=" + std::to_string(timeout_seconds) + "}" +
         g_cluster.pool + "/" + stem + "-" + std::to_string(getpid()) + "-" +
         std::to_string(counter++);
}

}  // namespace vtape::rados::test
