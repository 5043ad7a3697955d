// The library presenter (handler/library_presenter.h) without tcmu: devices of
// one library attach in any order, the changer's moves load and unload the
// attached drive devices under their command locks, drives open holding what
// the library state says (also after a "restart": a new Presenter over the
// same directory), a drive without a device refuses loads with exact sense,
// and the library is presented (DIR/presented) exactly while a device is open.
#include "handler/library_presenter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "changer_harness.h"
#include "ssc_test_util.h"
#include "vtape/buffered_tape.h"

namespace vtape::presenter {
namespace {

using smc::testing::Answer;
using smc::testing::Bytes;
using smc::testing::MoveMedium;
using smc::testing::ReadElementStatus;
using smc::testing::RunOn;
using ssc::testing::SenseBytes;

constexpr std::uint16_t kSlot1 = 0x1000, kSlot2 = 0x1001, kSlot3 = 0x1002;
constexpr std::uint16_t kDrive0 = 0x0100, kDrive1 = 0x0101, kIe = 0x0300;
constexpr char kSerial[] = "VLPRES0001";
const Bytes kTur = {0x00, 0, 0, 0, 0, 0};

// A drive device as the glue keeps one: its command lock and engine.
struct DriveDevice {
  std::mutex mutex;
  std::unique_ptr<ssc::Drive> drive;
  std::unique_ptr<DriveAttachment> attachment;  // destroyed first
  ~DriveDevice() { attachment.reset(); }

  Answer Run(const Bytes& cdb, const Bytes& out = {}, std::size_t in = 0) {
    std::lock_guard lock(mutex);
    return RunOn(*drive, cdb, out, in);
  }
};

class PresenterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/vtape_presenter_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    dir_ = root_ + "/lib";
    library::CreateSpec spec;
    spec.serial = kSerial;
    spec.layout = {2, 10, 1};
    ASSERT_TRUE(library::ExpandBarcodes("A00001L8", 10, spec.barcodes).ok());
    spec.capacity_bytes = 256ull << 20;
    Status s = library::Library::Create(dir_, spec);
    ASSERT_TRUE(s.ok()) << s.ToString();
    presenter_ = std::make_unique<Presenter>();
  }
  void TearDown() override {
    changer_.reset();
    drives_[0].reset();
    drives_[1].reset();
    presenter_.reset();
    std::filesystem::remove_all(root_);
  }

  LibraryDeviceConfig DriveConfig(std::uint32_t index, const std::string& model = "generic") {
    LibraryDeviceConfig c;
    c.library = dir_;
    c.role = LibraryRole::kDrive;
    c.drive = index;
    c.model = model;
    return c;
  }
  Status AttachDrive(std::uint32_t index, const std::string& model = "generic",
                     std::uint64_t buffer_bytes = 0) {
    auto device = std::make_unique<DriveDevice>();
    LibraryDeviceConfig config = DriveConfig(index, model);
    config.buffer_bytes = buffer_bytes;
    Status s =
        presenter_->AttachDrive(config, 1u << 20, device->mutex, device->drive, device->attachment);
    if (s.ok()) drives_[index] = std::move(device);
    return s;
  }
  Status AttachChanger(std::unique_ptr<ChangerAttachment>& out) {
    LibraryDeviceConfig c;
    c.library = dir_;
    c.role = LibraryRole::kChanger;
    c.model = "generic";
    return presenter_->AttachChanger(c, out);
  }
  void AttachAll() {
    Status s = AttachChanger(changer_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_TRUE((s = AttachDrive(0)).ok()) << s.ToString();
    ASSERT_TRUE((s = AttachDrive(1)).ok()) << s.ToString();
    EXPECT_EQ(Changer(kTur).sense(), SenseBytes(0x06, 0x29, 0x00));
    EXPECT_EQ(Drive(0, kTur).sense(), SenseBytes(0x06, 0x29, 0x00));
  }
  Answer Changer(const Bytes& cdb, std::size_t in = 0) { return RunOn(*changer_, cdb, {}, in); }
  Answer Drive(std::uint32_t i, const Bytes& cdb, const Bytes& out = {}, std::size_t in = 0) {
    return drives_[i]->Run(cdb, out, in);
  }
  // Takes the unit attentions a drive has pending (power on, medium changed).
  void ClearAttentions(std::uint32_t i) {
    for (int n = 0; n < 3 && Drive(i, kTur).status() != spc::kStatusGood; ++n) {
    }
    EXPECT_EQ(Drive(i, kTur).status(), spc::kStatusGood);
  }
  // The barcode at `address` as another process reads the state ("" = empty).
  std::string At(std::uint16_t address) {
    std::unique_ptr<library::Library> other;
    Status s = library::Library::Open(dir_, {}, other);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return other ? other->state().FindElement(address)->barcode : "?";
  }
  Status OperatorMove(std::uint16_t from, std::uint16_t to) {
    std::unique_ptr<library::Library> other;
    VTAPE_RETURN_IF_ERROR(library::Library::Open(dir_, {}, other));
    return other->Move(from, to).status;
  }
  std::string LoadedBarcode(std::uint32_t i) {
    std::lock_guard lock(drives_[i]->mutex);
    const Tape* medium = drives_[i]->drive->medium();
    if (medium == nullptr) return "";
    MediumInfo info;
    EXPECT_TRUE(medium->Stat(info).ok());
    return info.barcode;
  }

  std::string root_, dir_;
  std::unique_ptr<Presenter> presenter_;
  std::unique_ptr<ChangerAttachment> changer_;
  std::unique_ptr<DriveDevice> drives_[2];
};

TEST_F(PresenterTest, AMoveIntoADriveLoadsItsDeviceAndOutUnloadsIt) {
  AttachAll();
  ASSERT_EQ(Changer(MoveMedium(kSlot3, kDrive1)).status(), spc::kStatusGood);
  EXPECT_EQ(At(kDrive1), "A00003L8");
  EXPECT_EQ(LoadedBarcode(1), "A00003L8");
  EXPECT_EQ(Drive(1, kTur).sense(), SenseBytes(0x06, 0x29, 0x00));  // still the power-on one
  EXPECT_EQ(Drive(1, kTur).sense(), SenseBytes(0x06, 0x28, 0x00));
  EXPECT_EQ(Drive(1, kTur).status(), spc::kStatusGood);
  const Bytes record = ssc::testing::Pattern(4000, 7);
  ASSERT_EQ(Drive(1, ssc::testing::Write6(4000), record).status(), spc::kStatusGood);
  ASSERT_EQ(Changer(MoveMedium(kDrive1, kSlot3)).status(), spc::kStatusGood);
  EXPECT_EQ(LoadedBarcode(1), "");
  EXPECT_EQ(Drive(1, kTur).sense(), SenseBytes(0x02, 0x3A, 0x00));
  EXPECT_EQ(At(kSlot3), "A00003L8");
  // Into the other drive: the record is on the cartridge.
  ASSERT_EQ(Changer(MoveMedium(kSlot3, kDrive0)).status(), spc::kStatusGood);
  EXPECT_EQ(Drive(0, kTur).sense(), SenseBytes(0x06, 0x28, 0x00));
  Answer read = Drive(0, ssc::testing::Read6(4000), {}, 4000);
  EXPECT_EQ(read.status(), spc::kStatusGood);
  EXPECT_EQ(read.data, record);
}

// buffer= of a library drive: every cartridge loaded into it sits behind the
// drive's write-behind buffer, and a move out writes the buffer to it first.
TEST_F(PresenterTest, ABufferedLibraryDriveBuffersEachCartridgeItLoads) {
  ASSERT_TRUE(AttachChanger(changer_).ok());
  ASSERT_TRUE(AttachDrive(0, "generic", 1u << 20).ok());
  ASSERT_TRUE(AttachDrive(1).ok());
  EXPECT_EQ(Changer(kTur).sense(), SenseBytes(0x06, 0x29, 0x00));
  for (int pass = 0; pass < 2; ++pass) {
    ASSERT_EQ(Changer(MoveMedium(kSlot1, kDrive0)).status(), spc::kStatusGood);
    {
      std::lock_guard lock(drives_[0]->mutex);
      EXPECT_NE(dynamic_cast<const BufferedTape*>(drives_[0]->drive->medium()), nullptr);
    }
    ClearAttentions(0);
    if (pass == 0) {
      // The first write reaches the medium; the next ones wait in the buffer.
      for (std::uint8_t seed = 1; seed <= 3; ++seed) {
        ASSERT_EQ(Drive(0, ssc::testing::Write6(4000), ssc::testing::Pattern(4000, seed)).status(),
                  spc::kStatusGood);
      }
    }
    ASSERT_EQ(Changer(MoveMedium(kDrive0, kSlot1)).status(), spc::kStatusGood);
  }
  {
    std::lock_guard lock(drives_[1]->mutex);
    EXPECT_EQ(dynamic_cast<const BufferedTape*>(drives_[1]->drive->medium()), nullptr);
  }
  // Read back in the unbuffered drive: all three records are on the cartridge.
  ASSERT_EQ(Changer(MoveMedium(kSlot1, kDrive1)).status(), spc::kStatusGood);
  ClearAttentions(1);
  for (std::uint8_t seed = 1; seed <= 3; ++seed) {
    Answer read = Drive(1, ssc::testing::Read6(4000), {}, 4000);
    EXPECT_EQ(read.status(), spc::kStatusGood);
    EXPECT_EQ(read.data, ssc::testing::Pattern(4000, seed));
  }
}

TEST_F(PresenterTest, DevicesAttachInAnyOrderAndDrivesHoldWhatTheStateSays) {
  ASSERT_TRUE(OperatorMove(kSlot2, kDrive1).ok());
  Status s = AttachDrive(1);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(LoadedBarcode(1), "A00002L8");
  ASSERT_TRUE((s = AttachDrive(0)).ok()) << s.ToString();
  EXPECT_EQ(LoadedBarcode(0), "");
  ASSERT_TRUE((s = AttachChanger(changer_)).ok()) << s.ToString();
  EXPECT_EQ(Drive(1, kTur).sense(), SenseBytes(0x06, 0x29, 0x00));
  EXPECT_EQ(Drive(1, kTur).status(), spc::kStatusGood);
  EXPECT_EQ(Drive(0, kTur).sense(), SenseBytes(0x06, 0x29, 0x00));
  EXPECT_EQ(Drive(0, kTur).sense(), SenseBytes(0x02, 0x3A, 0x00));
  // The drive's unit serial (VPD 80h) is the library's drive serial.
  Answer vpd = Drive(1, {0x12, 0x01, 0x80, 0, 64, 0}, {}, 64);
  ASSERT_EQ(vpd.status(), spc::kStatusGood);
  EXPECT_EQ(std::string(vpd.data.begin() + 4, vpd.data.end()), "VLPRES0001D001");
}

TEST_F(PresenterTest, ARestartBringsEveryCartridgeBackWhereTheStateSays) {
  AttachAll();
  ASSERT_EQ(Changer(MoveMedium(kSlot1, kDrive0)).status(), spc::kStatusGood);
  Drive(0, kTur);
  const Bytes record = ssc::testing::Pattern(3000, 3);
  ASSERT_EQ(Drive(0, ssc::testing::Write6(3000), record).status(), spc::kStatusGood);
  ASSERT_EQ(Drive(0, ssc::testing::WriteFilemarks6(1)).status(), spc::kStatusGood);
  ASSERT_EQ(Changer(MoveMedium(kSlot2, kDrive1)).status(), spc::kStatusGood);
  ASSERT_EQ(Changer(MoveMedium(kDrive1, kIe)).status(), spc::kStatusGood);
  // Every device goes, then a new process's presenter; drive 1's device first.
  changer_.reset();
  drives_[0].reset();
  drives_[1].reset();
  EXPECT_EQ(presenter_->open_libraries(), 0u);
  presenter_ = std::make_unique<Presenter>();
  ASSERT_TRUE(AttachDrive(1).ok());
  ASSERT_TRUE(AttachDrive(0).ok());
  ASSERT_TRUE(AttachChanger(changer_).ok());
  EXPECT_EQ(LoadedBarcode(0), "A00001L8");
  EXPECT_EQ(LoadedBarcode(1), "");
  EXPECT_EQ(At(kIe), "A00002L8");
  EXPECT_EQ(At(kSlot2), "");
  Drive(0, kTur);  // power on
  Answer read = Drive(0, ssc::testing::Read6(3000), {}, 3000);
  EXPECT_EQ(read.status(), spc::kStatusGood);
  EXPECT_EQ(read.data, record);
}

TEST_F(PresenterTest, AMoveIntoADriveWithoutADeviceIsRefusedAndChangesNothing) {
  ASSERT_TRUE(AttachChanger(changer_).ok());
  ASSERT_TRUE(AttachDrive(0).ok());
  Changer(kTur);
  Answer a = Changer(MoveMedium(kSlot1, kDrive1));
  EXPECT_EQ(a.status(), spc::kStatusCheckCondition);
  EXPECT_EQ(a.sense(), SenseBytes(0x04, 0x44, 0x00));
  EXPECT_EQ(At(kSlot1), "A00001L8");
  EXPECT_EQ(At(kDrive1), "");
  // The drive's device opens: now the same move works.
  ASSERT_TRUE(AttachDrive(1).ok());
  EXPECT_EQ(Changer(MoveMedium(kSlot1, kDrive1)).status(), spc::kStatusGood);
  EXPECT_EQ(LoadedBarcode(1), "A00001L8");
}

TEST_F(PresenterTest, AMoveOutOfADriveWithoutADeviceIsDone) {
  ASSERT_TRUE(OperatorMove(kSlot1, kDrive1).ok());
  ASSERT_TRUE(AttachChanger(changer_).ok());
  Changer(kTur);
  EXPECT_EQ(Changer(MoveMedium(kDrive1, kSlot1)).status(), spc::kStatusGood);
  EXPECT_EQ(At(kDrive1), "");
  EXPECT_EQ(At(kSlot1), "A00001L8");
}

TEST_F(PresenterTest, TheDriveDecidesWhatItReadsAndWhenRemovalIsPrevented) {
  ASSERT_TRUE(AttachChanger(changer_).ok());
  ASSERT_TRUE(AttachDrive(0, "ibm-lto8").ok());
  ASSERT_TRUE(AttachDrive(1, "ibm-lto7").ok());
  Changer(kTur);
  // A00001L8 is LTO-8: an LTO-7 drive cannot read it.
  EXPECT_EQ(Changer(MoveMedium(kSlot1, kDrive1)).sense(), SenseBytes(0x05, 0x30, 0x00));
  EXPECT_EQ(At(kSlot1), "A00001L8");
  EXPECT_EQ(LoadedBarcode(1), "");
  ASSERT_EQ(Changer(MoveMedium(kSlot1, kDrive0)).status(), spc::kStatusGood);
  Drive(0, kTur);
  Drive(0, kTur);
  ASSERT_EQ(Drive(0, ssc::testing::PreventAllow(1)).status(), spc::kStatusGood);
  EXPECT_EQ(Changer(MoveMedium(kDrive0, kSlot1)).sense(), SenseBytes(0x05, 0x53, 0x02));
  ASSERT_EQ(Drive(0, ssc::testing::PreventAllow(0)).status(), spc::kStatusGood);
  EXPECT_EQ(Changer(MoveMedium(kDrive0, kSlot1)).status(), spc::kStatusGood);
}

TEST_F(PresenterTest, ACartridgeTheDriveCannotLoadAtOpenLeavesItEmptyAndMovable) {
  ASSERT_TRUE(OperatorMove(kSlot1, kDrive1).ok());  // LTO-8: an LTO-7 drive cannot read it
  ASSERT_TRUE(OperatorMove(kSlot2, kDrive0).ok());
  std::filesystem::remove(dir_ + "/media/A00002L8.img");  // its image is gone
  ASSERT_TRUE(AttachDrive(1, "ibm-lto7").ok());
  ASSERT_TRUE(AttachDrive(0).ok());
  EXPECT_EQ(LoadedBarcode(1), "");
  EXPECT_EQ(LoadedBarcode(0), "");
  ASSERT_TRUE(AttachChanger(changer_).ok());
  Changer(kTur);
  EXPECT_EQ(Changer(MoveMedium(kDrive1, kSlot1)).status(), spc::kStatusGood);
  EXPECT_EQ(Changer(MoveMedium(kDrive0, kSlot2)).status(), spc::kStatusGood);
  EXPECT_EQ(At(kSlot1), "A00001L8");
  EXPECT_EQ(At(kSlot2), "A00002L8");
}

TEST_F(PresenterTest, DvcidNamesEachDriveByItsModelAndTheLibrarySerial) {
  ASSERT_TRUE(AttachChanger(changer_).ok());
  ASSERT_TRUE(AttachDrive(0, "ibm-lto8").ok());
  Changer(kTur);
  Answer a = Changer(ReadElementStatus(4, kDrive0, 2, 1024, false, true), 1024);
  ASSERT_EQ(a.status(), spc::kStatusGood);
  const std::string data(a.data.begin(), a.data.end());
  // Drive 0 as it is open; drive 1 (no device yet) as generic.
  EXPECT_NE(data.find("IBM     ULT3580-TD8     VLPRES0001D000"), std::string::npos);
  EXPECT_NE(data.find("VTAPE   VIRTUAL TAPE    VLPRES0001D001"), std::string::npos);
}

TEST_F(PresenterTest, OneDevicePerRoleAndTheLibraryIsPresentedWhileOneIsOpen) {
  AttachAll();
  std::unique_ptr<ChangerAttachment> second;
  Status s = AttachChanger(second);
  EXPECT_EQ(s.code(), Code::kBusy);
  EXPECT_EQ(s.message(), "library " + dir_ + " has a changer device already");
  s = AttachDrive(0);
  EXPECT_EQ(s.code(), Code::kBusy);
  EXPECT_EQ(s.message(), "drive:0 of library " + dir_ + " has a device already");
  std::mutex m;
  std::unique_ptr<ssc::Drive> d;
  std::unique_ptr<DriveAttachment> att;
  s = presenter_->AttachDrive(DriveConfig(2), 1u << 20, m, d, att);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "library " + dir_ + " has 2 drive(s), numbered from 0; there is no drive 2");
  // Another presenter (another process) cannot present it meanwhile.
  std::unique_ptr<library::Library> other;
  EXPECT_EQ(library::Library::Open(dir_, {.present = true}, other).code(), Code::kBusy);
  Presenter second_process;
  LibraryDeviceConfig c = DriveConfig(0);
  s = second_process.AttachDrive(c, 1u << 20, m, d, att);
  EXPECT_EQ(s.code(), Code::kBusy);
  EXPECT_EQ(presenter_->open_libraries(), 1u);
  changer_.reset();
  drives_[0].reset();
  EXPECT_EQ(presenter_->open_libraries(), 1u);
  drives_[1].reset();
  EXPECT_EQ(presenter_->open_libraries(), 0u);
  EXPECT_TRUE(library::Library::Open(dir_, {.present = true}, other).ok());
}

TEST_F(PresenterTest, MovesAndDriveCommandsOnOtherThreadsStayConsistent) {
  AttachAll();
  Drive(1, kTur);
  std::atomic<bool> stop{false};
  std::atomic<int> commands{0};
  // The drive's own command thread, as tcmu-runner runs it.
  std::thread drive_thread([&] {
    while (!stop) {
      Answer a = Drive(0, kTur);
      EXPECT_TRUE(a.status() == spc::kStatusGood || a.status() == spc::kStatusCheckCondition);
      ++commands;
    }
  });
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(Changer(MoveMedium(kSlot1, kDrive0)).status(), spc::kStatusGood) << i;
    ASSERT_EQ(Changer(MoveMedium(kDrive0, kSlot1)).status(), spc::kStatusGood) << i;
  }
  stop = true;
  drive_thread.join();
  EXPECT_GT(commands.load(), 0);
  EXPECT_EQ(At(kSlot1), "A00001L8");
  EXPECT_EQ(LoadedBarcode(0), "");
}

}  // namespace
}  // namespace vtape::presenter
