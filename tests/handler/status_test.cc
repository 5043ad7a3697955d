// TEST UNIT READY, REQUEST SENSE, PREVENT ALLOW MEDIUM REMOVAL.
#include <gtest/gtest.h>

#include "drive_harness.h"
#include "ssc_test_util.h"

namespace vtape::ssc::testing {
namespace {

TEST(TestUnitReady, GoodWithAMediumNotReadyWithout) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  h.Run(Tur());
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.result().sense_len, 0u);

  DriveHarness empty("");
  empty.ClearPowerOnAttention();
  empty.Run(Tur());
  EXPECT_EQ(empty.status(), kStatusCheckCondition);
  EXPECT_EQ(empty.sense(), ExpectSense(0x2, 0x3A, 0x00));
}

TEST(TestUnitReady, UnloadedMediumIsNotReady) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  h.Run(LoadUnload(0x00));
  h.Run(Tur());
  EXPECT_EQ(h.sense(), ExpectSense(0x2, 0x3A, 0x00));
}

TEST(RequestSense, ReportsAndClearsThePendingUnitAttention) {
  DriveHarness h;
  h.Run(RequestSenseCdb(18), {}, 18);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), ExpectSense(0x6, 0x29, 0x00));
  h.Run(Tur());  // the attention was consumed
  EXPECT_EQ(h.status(), kStatusGood);
  h.Run(RequestSenseCdb(18), {}, 18);
  EXPECT_EQ(h.data(), ExpectSense(0x0, 0x00, 0x00));
}

TEST(RequestSense, ReportsAndClearsDeferredSense) {
  DirectDrive d;
  d.state().has_deferred_sense = true;
  d.state().deferred_sense.key = kMediumError;
  d.state().deferred_sense.asc = 0x0C;
  d.Run(RequestSenseCdb(18), {}, 18);
  EXPECT_EQ(d.status(), kStatusGood);
  EXPECT_EQ(d.data(), ExpectSense(0x3, 0x0C, 0x00));
  EXPECT_FALSE(d.state().has_deferred_sense);
  d.Run(RequestSenseCdb(18), {}, 18);
  EXPECT_EQ(d.data(), ExpectSense(0x0, 0x00, 0x00));
}

TEST(RequestSense, NoMediumIsNotReadySenseWithGoodStatus) {
  DriveHarness h("");
  h.ClearPowerOnAttention();
  h.Run(RequestSenseCdb(18), {}, 18);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), ExpectSense(0x2, 0x3A, 0x00));
}

TEST(RequestSense, EomBeyondEarlyWarning) {
  DriveHarness h("mem:capacity=10000,early_warning=5000");
  h.ClearPowerOnAttention();
  h.Run(Write6(6000), Pattern(6000));
  h.Run(RequestSenseCdb(18), {}, 18);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), ExpectSense(0x0, 0x00, 0x02, kEom));
}

TEST(RequestSense, DescriptorFormatIsInvalid) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  h.Run(RequestSenseCdb(18, /*desc=*/true), {}, 18);
  EXPECT_EQ(h.status(), kStatusCheckCondition);
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(1, 0));
}

TEST(RequestSense, HonoursAllocationLengthAndBufferSize) {
  DriveHarness h;
  const Bytes attention = ExpectSense(0x6, 0x29, 0x00);
  h.Run(RequestSenseCdb(8), {}, 18);
  EXPECT_EQ(h.data(), Bytes(attention.begin(), attention.begin() + 8));
  h.Run(RequestSenseCdb(0), {}, 18);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_TRUE(h.data().empty());
  h.Run(RequestSenseCdb(252), {}, 5);
  EXPECT_EQ(h.data(), (Bytes{0x70, 0, 0, 0, 0}));
  h.Run(RequestSenseCdb(252), {}, 252);
  EXPECT_EQ(h.data().size(), 18u);
}

TEST(PreventAllow, PreventAllowAndInvalidValues) {
  DirectDrive d;
  d.Run(PreventAllow(1));
  EXPECT_EQ(d.status(), kStatusGood);
  EXPECT_TRUE(d.state().prevent_removal);
  d.Run(PreventAllow(0));
  EXPECT_EQ(d.status(), kStatusGood);
  EXPECT_FALSE(d.state().prevent_removal);
  d.Run(PreventAllow(2));
  EXPECT_EQ(d.sense(), ExpectInvalidCdb(4, 1));
  d.Run(PreventAllow(3));
  EXPECT_EQ(d.sense(), ExpectInvalidCdb(4, 1));
  EXPECT_FALSE(d.state().prevent_removal);
}

TEST(PreventAllow, WorksWithoutAMedium) {
  DriveHarness h("");
  h.ClearPowerOnAttention();
  h.Run(PreventAllow(1));
  EXPECT_EQ(h.status(), kStatusGood);
}

}  // namespace
}  // namespace vtape::ssc::testing
