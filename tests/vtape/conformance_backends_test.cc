// The conformance suite (conformance_test.cc) over the built-in backends. A
// file: case fails while the file backend is missing; that is the point.
#include "tests/vtape/conformance.h"

namespace vtape::conformance {
namespace {

INSTANTIATE_TEST_SUITE_P(Builtin, TapeConformance,
                         testing::Values(MemFactory(), FileFactory(), FaultFactory(MemFactory()),
                                         FaultFactory(FileFactory()),
                                         // A small drive buffer: writes wait for room too.
                                         BufferedFactory(MemFactory(), 64 << 10),
                                         BufferedFactory(FileFactory(), 64 << 10)),
                         FactoryLabel);

}  // namespace
}  // namespace vtape::conformance
