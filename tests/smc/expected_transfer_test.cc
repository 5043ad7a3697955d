// The changer's expected transfer lengths, per command, from the CDB alone.
#include "handler/smc/expected_transfer.h"

#include <gtest/gtest.h>

#include <vector>

namespace vtape::smc {
namespace {

using Bytes = std::vector<std::uint8_t>;

ChangerTransfer For(const Bytes& cdb, std::uint32_t max = 1u << 20) {
  return ExpectedTransfer(cdb, max);
}

TEST(ChangerExpectedTransfer, AllocationAndParameterListLengths) {
  EXPECT_EQ(For({0xB8, 0x10, 0, 0, 0xFF, 0xFF, 1, 0x01, 0x02, 0x03, 0, 0}).data_in, 0x010203u);
  EXPECT_EQ(For({0xB8, 0x10, 0, 0, 0xFF, 0xFF, 1, 0x01, 0x02, 0x03, 0, 0}).data_out, 0u);
  EXPECT_EQ(For({0x12, 1, 0x83, 0x01, 0x00, 0}).data_in, 256u);
  EXPECT_EQ(For({0x03, 0, 0, 0, 18, 0}).data_in, 18u);
  EXPECT_EQ(For({0x1A, 0, 0x3F, 0, 200, 0}).data_in, 200u);
  EXPECT_EQ(For({0x5A, 0, 0x3F, 0, 0, 0, 0, 0x10, 0x00, 0}).data_in, 4096u);
  EXPECT_EQ(For({0x4D, 0, 0x6E, 0, 0, 0, 0, 0x02, 0x00, 0}).data_in, 512u);
  EXPECT_EQ(For({0xA3, 0x0C, 0, 0, 0, 0, 0, 0, 0x08, 0x00, 0, 0}).data_in, 2048u);
  EXPECT_EQ(For({0x15, 0x10, 0, 0, 24, 0}).data_out, 24u);
  EXPECT_EQ(For({0x55, 0x10, 0, 0, 0, 0, 0, 0, 48, 0}).data_out, 48u);
  EXPECT_EQ(For({0x4C, 0x02, 0x40, 0, 0, 0, 0, 0, 4, 0}).data_out, 4u);
}

TEST(ChangerExpectedTransfer, MovesCarryNoDataAndLengthsAreCapped) {
  const ChangerTransfer move = For({0xA5, 0, 0, 0, 0x10, 0, 0x01, 0, 0, 0, 0, 0});
  EXPECT_EQ(move.data_in, 0u);
  EXPECT_EQ(move.data_out, 0u);
  EXPECT_EQ(For({0xB8, 0, 0, 0, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0xFF, 0, 0}, 65536).data_in, 65536u);
  EXPECT_EQ(For({}).data_in, 0u);
  EXPECT_EQ(For({0xB8}).data_in, 0u);  // a short CDB reads as zeros
}

}  // namespace
}  // namespace vtape::smc
