// The cross-backend conformance suite (tests/vtape/conformance.h) over rait:
// sets of 2, 3 and 5 members: keep: members (persistent, in memory) and file:
// members (persistent, on disk); and sets with member writes forced onto worker
// threads (parallel=on) or onto the caller's thread (parallel=off), so both
// paths run whatever the host's core count makes the default.
#include "rait/rait.h"
#include "tests/rait/kept_backend.h"
#include "tests/vtape/conformance.h"

namespace vtape::conformance {
namespace {

TapeFactory RaitFactory(const std::string& kind, std::size_t n, const std::string& parallel = "") {
  TapeFactory f;
  f.label = "rait" + std::to_string(n) + "_" + kind + (parallel.empty() ? "" : "_" + parallel);
  f.create = [kind, n, parallel](const std::string& dir, const CreateOptions& o,
                                 std::string& name) {
    rait::RegisterRait();
    rait::testing::RegisterKeptBackend();
    name = "rait:{";
    for (std::size_t i = 0; i < n; ++i) {
      if (i) name += ",";
      if (kind == "keep") name += "keep:" + dir + "/" + std::to_string(i);
      if (kind == "file") name += "file:" + dir + "/m" + std::to_string(i) + ".img";
    }
    name += parallel.empty() ? "}" : ";parallel=" + parallel + "}";
    return CreateTape(name, o);
  };
  return f;
}

// rait over mem: members is left out: every open of mem: starts blank, so such
// a set cannot record its own capacity and ends where its members do (before
// the nominal capacity, by the headers' share). keep: covers sets in memory.
INSTANTIATE_TEST_SUITE_P(Rait, TapeConformance,
                         testing::Values(RaitFactory("keep", 2), RaitFactory("keep", 3),
                                         RaitFactory("keep", 5), RaitFactory("file", 2),
                                         RaitFactory("file", 3), RaitFactory("file", 5),
                                         RaitFactory("keep", 2, "off"),
                                         RaitFactory("keep", 5, "on"),
                                         RaitFactory("file", 3, "on")),
                         FactoryLabel);

}  // namespace
}  // namespace vtape::conformance
