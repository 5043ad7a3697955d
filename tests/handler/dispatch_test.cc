// The dispatcher's shared checks: unknown opcodes, reserved CDB bits, unit
// attention ordering, medium presence.
#include <gtest/gtest.h>

#include "drive_harness.h"

namespace vtape::ssc::testing {
namespace {

TEST(Dispatch, UnknownOpcodeIsInvalidCommandOperationCode) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  h.Run({0xC7, 0, 0, 0, 0, 0});
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), (std::vector<std::uint8_t>{0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x20,
                                                  0x00, 0, 0, 0, 0}));
}

TEST(Dispatch, PowerOnUnitAttentionComesOnceThenClears) {
  DriveHarness h;
  h.Run({0x00, 0, 0, 0, 0, 0});
  EXPECT_EQ(h.SenseKey(), 0x6);
  EXPECT_EQ(h.Asc(), 0x29);
  EXPECT_EQ(h.Ascq(), 0x00);
}

TEST(Dispatch, ReservedBitInCdbPointsAtByteAndBit) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  h.Run({0x01, 0x04, 0, 0, 0, 0});  // REWIND with reserved bit 2 of byte 1 set
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), (std::vector<std::uint8_t>{0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24,
                                                  0x00, 0, 0xCA, 0x00, 0x01}));
}

TEST(Dispatch, NoMediumIsNotReadyMediumNotPresent) {
  DriveHarness h("");
  h.ClearPowerOnAttention();
  h.Run({0x01, 0, 0, 0, 0, 0});  // REWIND
  EXPECT_EQ(h.SenseKey(), 0x2);
  EXPECT_EQ(h.Asc(), 0x3A);
}

TEST(Dispatch, MediaChangeRaisesUnitAttention28) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  std::unique_ptr<Tape> tape;
  ASSERT_TRUE(OpenTape("mem:", {}, tape).ok());
  ASSERT_TRUE(h.drive().ChangeMedium(std::move(tape)).ok());
  h.Run({0x01, 0, 0, 0, 0, 0});
  EXPECT_EQ(h.SenseKey(), 0x6);
  EXPECT_EQ(h.Asc(), 0x28);
}

}  // namespace
}  // namespace vtape::ssc::testing
