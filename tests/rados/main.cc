// main() of the tests that need a Ceph cluster: starts one (tests/ceph/cluster.sh),
// runs the tests, tears it down. Without Ceph it says why and exits 77 (ctest: skipped).
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "rados/rados.h"
#include "tests/rados/cluster.h"

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  vtape::rados::RegisterRados();
  const char* store = std::getenv("VTAPE_CEPH_STORE");
  vtape::rados::test::Cluster& c = vtape::rados::test::StartCluster(store ? store : "memstore");
  if (!c.skip_reason.empty()) {
    std::cout << "SKIPPED: the rados: tests need a Ceph cluster: " << c.skip_reason << "\n";
    return 77;
  }
  int rc = RUN_ALL_TESTS();
  vtape::rados::test::StopCluster();
  return rc;
}
