// The backend conformance suite (tests/vtape/conformance_test.cc) over rados:
// names on a real one-node cluster.
#include <rados/librados.h>

#include <algorithm>
#include <cstring>

#include "rados/connection.h"
#include "rados/layout.h"
#include "rados/spec.h"
#include "rait/rait.h"
#include "tests/rados/cluster.h"
#include "tests/vtape/conformance.h"

namespace vtape::conformance {
namespace {

// Flips the first bytes of `marker` in the data objects of partition 0 of `name`.
Status FlipInRados(const std::string& name, const std::vector<std::uint8_t>& marker) {
  rados::RadosSpec spec;
  VTAPE_RETURN_IF_ERROR(rados::ParseRadosName(std::string_view(name).substr(6), spec));
  rados::Connection conn;
  VTAPE_RETURN_IF_ERROR(conn.Connect(spec));
  for (std::uint64_t stripe = 0;; ++stripe) {
    std::string oid = rados::DataObject(spec.name, 0, stripe);
    std::vector<std::uint8_t> bytes(rados::kDataObjectBytes);
    int r = rados_read(conn.io(), oid.c_str(), reinterpret_cast<char*>(bytes.data()),
                       bytes.size(), 0);
    if (r < 0) return rados::FromRados(r, "reading " + oid);
    bytes.resize(r);
    auto at = std::search(bytes.begin(), bytes.end(), marker.begin(), marker.end());
    if (at == bytes.end()) continue;
    for (std::size_t i = 0; i < marker.size(); ++i) at[i] ^= 0x5a;
    r = rados_write(conn.io(), oid.c_str(), reinterpret_cast<const char*>(&*at), marker.size(),
                    at - bytes.begin());
    return r < 0 ? rados::FromRados(r, "writing " + oid) : Status::Ok();
  }
}

TapeFactory RadosFactory() {
  TapeFactory f;
  f.label = "rados";
  f.create = [](const std::string&, const CreateOptions& o, std::string& name) {
    name = rados::test::FreshName("conf");
    return CreateTape(name, o);
  };
  f.damage_record = FlipInRados;
  return f;
}

// A rait: set of three rados: members: rados: names nest in rait:{...} lists.
TapeFactory RaitOfRadosFactory() {
  TapeFactory f;
  f.label = "rait3_rados";
  f.partition_ends_exact = false;  // as for every rait: set
  f.create = [](const std::string&, const CreateOptions& o, std::string& name) {
    rait::RegisterRait();
    name = "rait:{" + rados::test::FreshName("m") + "," + rados::test::FreshName("m") + "," +
           rados::test::FreshName("m") + "}";
    return CreateTape(name, o);
  };
  return f;
}

INSTANTIATE_TEST_SUITE_P(Rados, TapeConformance,
                         testing::Values(RadosFactory(), FaultFactory(RadosFactory()),
                                         BufferedFactory(RadosFactory(), 64 << 10),
                                         RaitOfRadosFactory()),
                         FactoryLabel);

}  // namespace
}  // namespace vtape::conformance
