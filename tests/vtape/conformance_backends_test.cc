// The conformance suite (conformance_test.cc) over the built-in backends. A
// file: case fails while the file backend is missing; that is the point.
#include "tests/vtape/conformance.h"

namespace vtape::conformance {
namespace {

INSTANTIATE_TEST_SUITE_P(Builtin, TapeConformance,
                         testing::Values(MemFactory(), FileFactory(), FaultFactory(MemFactory()),
                                         FaultFactory(FileFactory())),
                         FactoryLabel);

}  // namespace
}  // namespace vtape::conformance
