// ApplyConfigString (handler/media_change.h): a media change by config string,
// on real file: images (their locks make a second open of the same image
// kBusy) and with openers that fail on purpose.
#include "handler/media_change.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "handler/ssc/drive.h"

namespace vtape::ssc {
namespace {

class MediaChangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/vtape_media_change_test.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    for (const char* name : {"a.img", "b.img"}) ASSERT_TRUE(CreateTape(Image(name), {}).ok());
    // The drive as the glue's open leaves it: a.img loaded by its string.
    ASSERT_TRUE(ParseConfig(Image("a.img"), loaded_.config).ok());
    std::unique_ptr<Tape> tape;
    ASSERT_TRUE(OpenConfiguredMedium(loaded_.config, tape).ok());
    loaded_.cfgstring = Image("a.img");
    drive_ = std::make_unique<Drive>(DriveConfig{}, std::move(tape));
  }
  void TearDown() override {
    drive_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string Image(const char* name) const { return "file:" + dir_ + "/" + name; }
  Status Apply(const std::string& text, const MediumOpener& open = OpenConfiguredMedium) {
    log_.clear();
    return ApplyConfigString(*drive_, loaded_, text, log_, open);
  }
  bool DriveHoldsMedium() const { return drive_->medium() != nullptr; }

  std::string dir_;
  LoadedMedium loaded_;
  std::unique_ptr<Drive> drive_;
  std::vector<LogLine> log_;
};

// Fails every open of `medium` with `code`, opens anything else.
MediumOpener FailingFor(std::string medium, Code code) {
  return [medium, code](const Config& config, std::unique_ptr<Tape>& tape) {
    if (config.medium == medium) return Status(code, "injected failure");
    return OpenConfiguredMedium(config, tape);
  };
}

TEST_F(MediaChangeTest, TheStringInEffectIsANoOp) {
  const Tape* before = drive_->medium();
  EXPECT_TRUE(Apply("vtape/" + Image("a.img")).ok());
  EXPECT_EQ(drive_->medium(), before);
}

TEST_F(MediaChangeTest, ADifferentMediumReplacesTheOld) {
  ASSERT_TRUE(Apply(Image("b.img")).ok());
  EXPECT_TRUE(DriveHoldsMedium());
  EXPECT_EQ(loaded_.cfgstring, Image("b.img"));
  EXPECT_EQ(loaded_.config.medium, Image("b.img"));
  // a.img was closed: its lock is free again.
  std::unique_ptr<Tape> a;
  EXPECT_TRUE(OpenTape(Image("a.img"), {}, a).ok());
}

TEST_F(MediaChangeTest, AMediumThatDoesNotOpenLeavesTheOldLoaded) {
  const Tape* before = drive_->medium();
  EXPECT_EQ(Apply(Image("missing.img")).code(), Code::kNotFound);
  EXPECT_EQ(drive_->medium(), before);
  EXPECT_EQ(loaded_.cfgstring, Image("a.img"));
  EXPECT_FALSE(Apply("nosuchprefix:x").ok());
  EXPECT_EQ(drive_->medium(), before);
}

TEST_F(MediaChangeTest, FailedReloadOfTheSameMediumIsRetryable) {
  // The same medium with other options is closed first; if it then fails to
  // open, the drive is empty and must not claim a.img any more.
  EXPECT_EQ(
      Apply(Image("a.img") + ";readonly=1", FailingFor(Image("a.img"), Code::kIoError)).code(),
      Code::kIoError);
  EXPECT_FALSE(DriveHoldsMedium());
  EXPECT_EQ(loaded_.cfgstring, "");
  // Writing the old string back (restoreconfig) loads it again.
  ASSERT_TRUE(Apply(Image("a.img")).ok());
  EXPECT_TRUE(DriveHoldsMedium());
  EXPECT_EQ(loaded_.cfgstring, Image("a.img"));
}

TEST_F(MediaChangeTest, BusyMediumIsOpenedAfterClosingTheOld) {
  // Another spelling of the loaded image: its lock is ours, so the first open
  // is kBusy; the old medium is closed and the open retried.
  const std::string other = "file:" + dir_ + "/./a.img";
  ASSERT_TRUE(Apply(other).ok()) << (log_.empty() ? "" : log_.back().text);
  EXPECT_TRUE(DriveHoldsMedium());
  EXPECT_EQ(loaded_.cfgstring, other);
}

TEST_F(MediaChangeTest, BusyRetryThatFailsLeavesAnEmptyRetryableDrive) {
  EXPECT_EQ(Apply(Image("b.img"), FailingFor(Image("b.img"), Code::kBusy)).code(), Code::kBusy);
  EXPECT_FALSE(DriveHoldsMedium());
  EXPECT_EQ(loaded_.cfgstring, "");
  ASSERT_TRUE(Apply(Image("a.img")).ok());
  EXPECT_TRUE(DriveHoldsMedium());
}

TEST_F(MediaChangeTest, BusyWhileEmptyIsNotRetried) {
  ASSERT_EQ(Apply(Image("b.img"), FailingFor(Image("b.img"), Code::kBusy)).code(), Code::kBusy);
  int opens = 0;
  MediumOpener counting = [&](const Config&, std::unique_ptr<Tape>&) {
    ++opens;
    return Status::Busy("injected");
  };
  EXPECT_EQ(Apply(Image("b.img"), counting).code(), Code::kBusy);
  EXPECT_EQ(opens, 1);
}

TEST_F(MediaChangeTest, ModelAndSerialStayTheDevices) {
  loaded_.config.model = "ibm-lto8";
  loaded_.config.serial = "S1";
  ASSERT_TRUE(Apply(Image("b.img") + ";model=hp-lto7;serial=S2").ok());
  EXPECT_EQ(loaded_.config.model, "ibm-lto8");
  EXPECT_EQ(loaded_.config.serial, "S1");
  ASSERT_FALSE(log_.empty());
  EXPECT_EQ(log_.front().severity, Severity::kWarning);
}

}  // namespace
}  // namespace vtape::ssc
