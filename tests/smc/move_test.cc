// MOVE MEDIUM and EXCHANGE MEDIUM across slots, import/export element and real
// drives: the drive sees UNIT ATTENTION 28h then READY at BOT after a load; a
// refused move answers exact sense and changes nothing (library state on disk,
// drives, cartridges).
#include <gtest/gtest.h>

#include <filesystem>

#include "changer_harness.h"
#include "ssc_test_util.h"

namespace vtape::smc::testing {
namespace {

using ssc::testing::InvalidCdbSense;

constexpr std::uint16_t kSlot1 = 0x1000, kSlot2 = 0x1001, kSlot3 = 0x1002, kSlot4 = 0x1003;
constexpr std::uint16_t kDrive0 = 0x0100, kDrive1 = 0x0101, kIe = 0x0300;
const Bytes kTur = {0x00, 0, 0, 0, 0, 0};

Bytes ReadPosition(Answer a) {
  return a.data;
}

// The short READ POSITION form at BOP of partition 0, object 0.
Bytes AtBop() {
  Bytes b(20, 0);
  b[0] = 0x80;
  return b;
}

TEST(MoveMedium, IntoADriveLoadsItThereUnitAttentionThenReadyAtBot) {
  ChangerHarness h;
  ASSERT_EQ(h.Run(MoveMedium(kSlot1, kDrive0)).status(), spc::kStatusGood);
  EXPECT_EQ(h.At(kSlot1), "");
  EXPECT_EQ(h.At(kDrive0), "A00001L8");
  EXPECT_EQ(h.Drive(kTur, 0).sense(), SenseBytes(0x06, 0x28, 0x00));
  EXPECT_EQ(h.Drive(kTur, 0).status(), spc::kStatusGood);
  EXPECT_EQ(ReadPosition(h.Drive({0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, {}, 20)), AtBop());
  MediumInfo info;
  ASSERT_TRUE(h.port().drive(0).medium()->Stat(info).ok());
  EXPECT_EQ(info.barcode, "A00001L8");
  // SValid and the source address after the move; no unit attention for it.
  library::State s = h.DiskState();
  EXPECT_EQ(s.drives[0].source, std::optional<std::uint16_t>(kSlot1));
  EXPECT_EQ(h.Run(kTur).status(), spc::kStatusGood);
}

TEST(MoveMedium, OutOfADriveEjectsEvenWithoutUnloadAndKeepsTheData) {
  ChangerHarness h;
  ASSERT_EQ(h.Run(MoveMedium(kSlot1, kDrive0)).status(), spc::kStatusGood);
  h.Drive(kTur, 0);  // the 28h
  const Bytes record = ssc::testing::Pattern(1000);
  ASSERT_EQ(h.Drive(ssc::testing::Write6(1000), 0, record).status(), spc::kStatusGood);
  // No UNLOAD from st: the move ejects.
  ASSERT_EQ(h.Run(MoveMedium(kDrive0, kSlot3)).status(), spc::kStatusGood);
  EXPECT_EQ(h.At(kDrive0), "");
  EXPECT_EQ(h.At(kSlot3), "A00001L8");
  EXPECT_EQ(h.DiskState().slots[2].source, std::optional<std::uint16_t>(kDrive0));
  // Ejected: NOT READY, no unit attention (no not-ready-to-ready change).
  EXPECT_EQ(h.Drive(kTur, 0).sense(), SenseBytes(0x02, 0x3A, 0x00));
  // Back into the same drive: the record is there.
  ASSERT_EQ(h.Run(MoveMedium(kSlot3, kDrive0)).status(), spc::kStatusGood);
  h.Drive(kTur, 0);
  Answer read = h.Drive(ssc::testing::Read6(1000), 0, {}, 1000);
  EXPECT_EQ(read.status(), spc::kStatusGood);
  EXPECT_EQ(read.data, record);
}

TEST(MoveMedium, DriveToDriveUnloadsOneAndLoadsTheOther) {
  ChangerHarness h;
  ASSERT_TRUE(h.library().Add(NewCartridge("C00001L7"), kSlot3).ok());
  EXPECT_EQ(h.Run(kTur).sense(), SenseBytes(0x06, 0x28, 0x00));  // Add is the operator's
  ASSERT_EQ(h.Run(MoveMedium(kSlot3, kDrive0)).status(), spc::kStatusGood);
  ASSERT_EQ(h.Run(MoveMedium(kDrive0, kDrive1)).status(), spc::kStatusGood);
  EXPECT_EQ(h.port().drive(0).medium(), nullptr);
  ASSERT_NE(h.port().drive(1).medium(), nullptr);
  EXPECT_EQ(h.At(kDrive1), "C00001L7");
}

TEST(MoveMedium, RefusalsAnswerExactSenseAndChangeNothing) {
  ChangerHarness h;
  const std::uint64_t generation = h.DiskState().generation;
  // source empty, destination full, invalid addresses (the transport included)
  EXPECT_EQ(h.Run(MoveMedium(kSlot3, kSlot4)).sense(), SenseBytes(0x05, 0x3B, 0x0E));
  EXPECT_EQ(h.Run(MoveMedium(kSlot1, kSlot2)).sense(), SenseBytes(0x05, 0x3B, 0x0D));
  EXPECT_EQ(h.Run(MoveMedium(kSlot1, kSlot1)).sense(), SenseBytes(0x05, 0x3B, 0x0D));
  EXPECT_EQ(h.Run(MoveMedium(0x2000, kSlot3)).sense(), InvalidElementSense());
  EXPECT_EQ(h.Run(MoveMedium(kSlot1, 0x1004)).sense(), InvalidElementSense());
  EXPECT_EQ(h.Run(MoveMedium(0x0000, kSlot3)).sense(), InvalidElementSense());
  EXPECT_EQ(h.Run(MoveMedium(kSlot1, kSlot3, /*transport=*/1)).sense(), InvalidElementSense());
  // INVERT is not offered.
  Bytes invert = MoveMedium(kSlot1, kSlot3);
  invert[10] = 0x01;
  EXPECT_EQ(h.Run(invert).sense(), InvalidCdbSense(10, 0));
  EXPECT_EQ(h.DiskState().generation, generation);
  EXPECT_EQ(h.At(kSlot1), "A00001L8");
  EXPECT_EQ(h.port().loads + h.port().unloads, 0);
}

TEST(MoveMedium, IntoTheImportExportElementWhilePreventedIsRefused) {
  ChangerHarness h;
  ASSERT_EQ(h.Run({0x1E, 0, 0, 0, 0x01, 0}).status(), spc::kStatusGood);
  EXPECT_EQ(h.Run(MoveMedium(kSlot1, kIe)).sense(), SenseBytes(0x05, 0x53, 0x02));
  EXPECT_EQ(h.At(kSlot1), "A00001L8");
  ASSERT_EQ(h.Run({0x1E, 0, 0, 0, 0x00, 0}).status(), spc::kStatusGood);
  EXPECT_EQ(h.Run(MoveMedium(kSlot1, kIe)).status(), spc::kStatusGood);
  EXPECT_EQ(h.At(kIe), "A00001L8");
  // Out of it while prevented is fine: the cartridge stays inside the library.
  ASSERT_EQ(h.Run({0x1E, 0, 0, 0, 0x01, 0}).status(), spc::kStatusGood);
  EXPECT_EQ(h.Run(MoveMedium(kIe, kSlot1)).status(), spc::kStatusGood);
}

TEST(MoveMedium, ImportExportElementWithItsDoorOpenIsNotAccessible) {
  ChangerHarness h;
  ASSERT_EQ(h.Run({0x1B, 0, 0x03, 0x00, 0x00, 0}).status(), spc::kStatusGood);
  EXPECT_EQ(h.Run(MoveMedium(kSlot1, kIe)).sense(), SenseBytes(0x05, 0x3B, 0x11));
  ASSERT_EQ(h.Run({0x1B, 0, 0x03, 0x00, 0x01, 0}).status(), spc::kStatusGood);
  EXPECT_EQ(h.Run(MoveMedium(kSlot1, kIe)).status(), spc::kStatusGood);
}

TEST(MoveMedium, OutOfADrivePreventingRemovalIsRefused) {
  ChangerHarness h;
  ASSERT_EQ(h.Run(MoveMedium(kSlot1, kDrive0)).status(), spc::kStatusGood);
  h.Drive(kTur, 0);
  ASSERT_EQ(h.Drive({0x1E, 0, 0, 0, 0x01, 0}, 0).status(), spc::kStatusGood);
  EXPECT_EQ(h.Run(MoveMedium(kDrive0, kSlot1)).sense(), SenseBytes(0x05, 0x53, 0x02));
  EXPECT_EQ(h.At(kDrive0), "A00001L8");
  EXPECT_EQ(h.Drive(kTur, 0).status(), spc::kStatusGood);  // still loaded, no attention
  ASSERT_EQ(h.Drive({0x1E, 0, 0, 0, 0x00, 0}, 0).status(), spc::kStatusGood);
  EXPECT_EQ(h.Run(MoveMedium(kDrive0, kSlot1)).status(), spc::kStatusGood);
}

TEST(MoveMedium, IncompatibleMediumInDriveIsRefused) {
  ChangerHarness h;
  // Drive 1 is an LTO-7 drive: it cannot read LTO-8.
  EXPECT_EQ(h.Run(MoveMedium(kSlot1, kDrive1)).sense(), SenseBytes(0x05, 0x30, 0x00));
  EXPECT_EQ(h.At(kSlot1), "A00001L8");
  EXPECT_EQ(h.At(kDrive1), "");
  EXPECT_EQ(h.port().drive(1).medium(), nullptr);
  EXPECT_EQ(h.Drive(kTur, 1).sense(), SenseBytes(0x02, 0x3A, 0x00));
}

TEST(MoveMedium, MissingOrDamagedImageLeavesTheCartridgeWhereItWas) {
  ChangerHarness h;
  std::filesystem::remove(h.dir() + "/media/A00002L8.img");
  EXPECT_EQ(h.Run(MoveMedium(kSlot2, kDrive0)).sense(), SenseBytes(0x03, 0x53, 0x00));
  EXPECT_EQ(h.At(kSlot2), "A00002L8");
  EXPECT_EQ(h.At(kDrive0), "");
  EXPECT_EQ(h.port().drive(0).medium(), nullptr);
  // A damaged image: garbage where the image was.
  {
    std::FILE* f = std::fopen((h.dir() + "/media/A00001L8.img").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("not a tape image", f);
    std::fclose(f);
  }
  EXPECT_EQ(h.Run(MoveMedium(kSlot1, kDrive0)).sense(), SenseBytes(0x03, 0x53, 0x00));
  EXPECT_EQ(h.At(kSlot1), "A00001L8");
  // Slot to slot needs no image: the cartridge still moves.
  EXPECT_EQ(h.Run(MoveMedium(kSlot1, kSlot3)).status(), spc::kStatusGood);
}

TEST(ExchangeMedium, SwapsADriveCartridgeWithASlotCartridge) {
  ChangerHarness h;
  ASSERT_EQ(h.Run(MoveMedium(kSlot1, kDrive0)).status(), spc::kStatusGood);
  h.Drive(kTur, 0);
  // slot 2 -> drive 0, drive 0's cartridge -> slot 1.
  ASSERT_EQ(h.Run(ExchangeMedium(kSlot2, kDrive0, kSlot1)).status(), spc::kStatusGood);
  EXPECT_EQ(h.At(kDrive0), "A00002L8");
  EXPECT_EQ(h.At(kSlot1), "A00001L8");
  EXPECT_EQ(h.At(kSlot2), "");
  EXPECT_EQ(h.Drive(kTur, 0).sense(), SenseBytes(0x06, 0x28, 0x00));
  MediumInfo info;
  ASSERT_TRUE(h.port().drive(0).medium()->Stat(info).ok());
  EXPECT_EQ(info.barcode, "A00002L8");
  // A swap: second destination = source.
  ASSERT_EQ(h.Run(ExchangeMedium(kSlot1, kDrive0, kSlot1)).status(), spc::kStatusGood);
  EXPECT_EQ(h.At(kDrive0), "A00001L8");
  EXPECT_EQ(h.At(kSlot1), "A00002L8");
}

TEST(ExchangeMedium, Refusals) {
  ChangerHarness h;
  EXPECT_EQ(h.Run(ExchangeMedium(kSlot3, kSlot1, kSlot4)).sense(), SenseBytes(0x05, 0x3B, 0x0E));
  EXPECT_EQ(h.Run(ExchangeMedium(kSlot1, kSlot3, kSlot4)).sense(), SenseBytes(0x05, 0x3B, 0x0E));
  EXPECT_EQ(h.Run(ExchangeMedium(kSlot1, kSlot2, kSlot2)).sense(), SenseBytes(0x05, 0x3B, 0x0D));
  EXPECT_EQ(h.Run(ExchangeMedium(kSlot1, kSlot2, 0x4000)).sense(), InvalidElementSense());
  // The LTO-8 cartridge cannot go into the LTO-7 drive: nothing moves.
  ASSERT_TRUE(h.library().Add(NewCartridge("C00001L7"), kSlot3).ok());
  h.Run(kTur);
  ASSERT_EQ(h.Run(MoveMedium(kSlot3, kDrive1)).status(), spc::kStatusGood);
  EXPECT_EQ(h.Run(ExchangeMedium(kSlot1, kDrive1, kSlot3)).sense(), SenseBytes(0x05, 0x30, 0x00));
  EXPECT_EQ(h.At(kDrive1), "C00001L7");
  EXPECT_EQ(h.At(kSlot1), "A00001L8");
  ASSERT_NE(h.port().drive(1).medium(), nullptr);  // reloaded after the refusal
}

}  // namespace
}  // namespace vtape::smc::testing

namespace vtape::smc::testing {
namespace {

TEST(MoveMedium, IntoADriveOfALibraryAnotherProcessPresentsIsRefusedAndUndone) {
  ChangerHarness h;  // presents the library
  std::unique_ptr<library::Library> second;
  ASSERT_TRUE(library::Library::Open(h.dir(), {}, second).ok());
  DrivesPort port({ssc::DriveConfig{}, ssc::DriveConfig{}});
  Changer other({}, *second, port);
  RunOn(other, {0x00, 0, 0, 0, 0, 0});  // power-on attention
  EXPECT_EQ(RunOn(other, MoveMedium(0x1000, 0x0100)).sense(), SenseBytes(0x02, 0x04, 0x03));
  EXPECT_EQ(port.drive(0).medium(), nullptr);  // loaded, then unloaded again
  EXPECT_EQ(h.At(0x1000), "A00001L8");
  // Slot to slot involves no drive: allowed.
  EXPECT_EQ(RunOn(other, MoveMedium(0x1000, 0x1002)).status(), spc::kStatusGood);
}

}  // namespace
}  // namespace vtape::smc::testing
