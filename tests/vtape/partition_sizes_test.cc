// The one rule for partition sizes (vtape::ResolvePartitionSizes): the
// `vtape create --partitions` path and FORMAT MEDIUM's page 11h both use it.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "vtape/partitions.h"

namespace vtape {
namespace {

using Sizes = std::vector<std::uint64_t>;

Sizes Resolve(const Sizes& sizes, std::uint64_t capacity, std::uint32_t most, Code& code) {
  Sizes bytes;
  code = ResolvePartitionSizes(sizes, capacity, most, "LTO-8", bytes).code();
  return bytes;
}

TEST(PartitionSizes, TheZeroSizeTakesTheRestWhereverItStands) {
  Code code{};
  EXPECT_EQ(Resolve({100, 0}, 1000, 4, code), (Sizes{100, 900}));
  EXPECT_EQ(code, Code::kOk);
  EXPECT_EQ(Resolve({0, 100, 200}, 1000, 4, code), (Sizes{700, 100, 200}));
  EXPECT_EQ(code, Code::kOk);
  EXPECT_EQ(Resolve({250, 250, 250, 250}, 1000, 4, code), (Sizes{250, 250, 250, 250}));
  EXPECT_EQ(code, Code::kOk);
}

TEST(PartitionSizes, RefusesWhatDoesNotFit) {
  Code code{};
  Resolve({0, 0}, 1000, 4, code);
  EXPECT_EQ(code, Code::kInvalidArgument) << "two partitions cannot both take the rest";
  Resolve({1000, 0}, 1000, 4, code);
  EXPECT_EQ(code, Code::kInvalidArgument) << "the rest must keep at least a byte";
  Resolve({999, 0}, 1000, 4, code);
  EXPECT_EQ(code, Code::kOk);
  Resolve({600, 401}, 1000, 4, code);
  EXPECT_EQ(code, Code::kInvalidArgument);
  Resolve({UINT64_MAX, UINT64_MAX}, 1000, 4, code);
  EXPECT_EQ(code, Code::kInvalidArgument) << "no overflow of the sum";
  Resolve({100, 100, 0}, 1000, 2, code);
  EXPECT_EQ(code, Code::kInvalidArgument) << "more partitions than the medium holds";
  Resolve({}, 1000, 2, code);
  EXPECT_EQ(code, Code::kInvalidArgument);
}

}  // namespace
}  // namespace vtape
