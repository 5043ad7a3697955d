// The cross-backend conformance suite (tests/vtape/conformance.h) over rait:
// sets of 2, 3 and 5 members: mem: members (one open), keep: members
// (persistent, in memory) and file: members (persistent, on disk).
#include "rait/rait.h"
#include "tests/rait/kept_backend.h"
#include "tests/vtape/conformance.h"

namespace vtape::conformance {
namespace {

// Member options for a mem: member carrying its share of the set's shape.
std::string MemMember(const CreateOptions& o, std::size_t data_members) {
  std::string name = "mem:barcode=" + o.barcode + ",media=" + o.media_type +
                     ",write_protected=" + (o.write_protected ? "1" : "0");
  if (o.capacity_bytes != 0) {
    name += ",capacity=" + std::to_string(o.capacity_bytes / data_members);
  }
  if (o.early_warning_bytes != 0) {
    name += ",early_warning=" + std::to_string(o.early_warning_bytes / data_members);
  }
  return name;
}

TapeFactory RaitFactory(const std::string& kind, std::size_t n) {
  TapeFactory f;
  f.label = "rait" + std::to_string(n) + "_" + kind;
  f.persistent = kind != "mem";
  f.create = [kind, n](const std::string& dir, const CreateOptions& o, std::string& name) {
    rait::RegisterRait();
    rait::testing::RegisterKeptBackend();
    name = "rait:{";
    for (std::size_t i = 0; i < n; ++i) {
      if (i) name += ",";
      if (kind == "mem") name += "{" + MemMember(o, n == 2 ? 1 : n - 1) + "}";
      if (kind == "keep") name += "keep:" + dir + "/" + std::to_string(i);
      if (kind == "file") name += "file:" + dir + "/m" + std::to_string(i) + ".img";
    }
    name += "}";
    return CreateTape(name, o);
  };
  return f;
}

INSTANTIATE_TEST_SUITE_P(Rait, TapeConformance,
                         testing::Values(RaitFactory("mem", 2), RaitFactory("mem", 3),
                                         RaitFactory("mem", 5), RaitFactory("keep", 2),
                                         RaitFactory("keep", 3), RaitFactory("keep", 5),
                                         RaitFactory("file", 2), RaitFactory("file", 3),
                                         RaitFactory("file", 5)),
                         FactoryLabel);

}  // namespace
}  // namespace vtape::conformance
