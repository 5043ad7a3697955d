// The tcmu config string: every key, every error, and medium opening with
// missing=refuse|create against a scripted backend.
#include "handler/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "rait/rait.h"
#include "vtape/memory_tape.h"
#include "vtape/registry.h"
#include "vtape/size.h"

namespace vtape::ssc {
namespace {

// A backend whose media exist only after Create (like file:), recording what it was asked.
class ProbeBackend final : public Backend {
 public:
  struct Log {
    std::map<std::string, CreateOptions> created;
    std::string last_open_rest;
    bool last_open_read_only = false;
    int opens = 0;
    Status access_override;  // returned by Access when not ok
  };
  explicit ProbeBackend(Log* log) : log_(log) {}
  std::string_view prefix() const override { return "probe"; }
  Status Open(std::string_view rest, const OpenOptions& options,
              std::unique_ptr<Tape>& tape) override {
    ++log_->opens;
    log_->last_open_rest = std::string(rest);
    log_->last_open_read_only = options.read_only;
    if (!log_->created.count(std::string(rest))) return Status::NotFound("no " + std::string(rest));
    MemoryTapeOptions m;
    m.medium.media_type = "LTO-8";
    m.medium.capacity_bytes = 1 << 20;
    m.medium.write_protected = options.read_only;
    tape = NewMemoryTape(m);
    return Status::Ok();
  }
  Status Create(std::string_view rest, const CreateOptions& options) override {
    log_->created[std::string(rest)] = options;
    return Status::Ok();
  }
  Status Access(std::string_view rest, bool) override {
    if (!log_->access_override.ok()) return log_->access_override;
    if (!log_->created.count(std::string(rest))) {
      return Status::NotFound("image " + std::string(rest) + " is missing");
    }
    return Status::Ok();
  }

 private:
  Log* log_;
};

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = std::make_unique<ProbeBackend::Log>();
    RegisterBackend(std::make_unique<ProbeBackend>(log_.get()));
  }
  void TearDown() override {
    // Replace our probe so no later test sees a dangling log.
    static ProbeBackend::Log orphan;
    RegisterBackend(std::make_unique<ProbeBackend>(&orphan));
  }
  Status Parse(std::string_view text) { return ParseConfig(text, config_); }
  std::string Error(std::string_view text) {
    Status s = ParseConfig(text, config_);
    EXPECT_FALSE(s.ok()) << text;
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << text;
    return s.message();
  }

  std::unique_ptr<ProbeBackend::Log> log_;
  Config config_;
};

TEST_F(ConfigTest, MediumAloneGivesDefaults) {
  ASSERT_TRUE(Parse("mem:").ok());
  EXPECT_EQ(config_.medium, "mem:");
  EXPECT_EQ(config_.model, "generic");
  EXPECT_EQ(config_.serial, "");
  EXPECT_FALSE(config_.read_only);
  EXPECT_EQ(config_.missing, MissingMedium::kRefuse);
  EXPECT_EQ(config_.create.media_type, "LTO-8");
  EXPECT_EQ(config_.create.capacity_bytes, 0u);
}

TEST_F(ConfigTest, SubtypePrefixIsOptional) {
  ASSERT_TRUE(Parse("vtape/probe:/t/a.img;model=hp-lto6").ok());
  EXPECT_EQ(config_.medium, "probe:/t/a.img");
  EXPECT_EQ(config_.model, "hp-lto6");
  ASSERT_TRUE(Parse("probe:/t/a.img;model=hp-lto6").ok());
  EXPECT_EQ(config_.medium, "probe:/t/a.img");
}

// targetcli refuses ':' in config strings, so a bare absolute path is a file: image.
TEST_F(ConfigTest, AbsolutePathIsAFileImage) {
  ASSERT_TRUE(Parse("vtape//var/lib/vtape/A.img;model=ibm-lto8").ok());
  EXPECT_EQ(config_.medium, "file:/var/lib/vtape/A.img");
  EXPECT_EQ(config_.model, "ibm-lto8");
  ASSERT_TRUE(Parse("/t/b.img").ok());
  EXPECT_EQ(config_.medium, "file:/t/b.img");
}

// A relative file: path is refused wherever it appears: tcmu-runner's working
// directory means nothing to the writer of the string, and missing=create
// would make the image there.
TEST_F(ConfigTest, RelativeFilePathsAreRefused) {
  vtape::rait::RegisterRait();  // as the handler does before any config string
  for (const char* text :
       {"A00001L8.img;missing=create", "file:A00001L8.img", "file:tapes/A.img;missing=create",
        "./A.img", "rait:{file:/t/a.img,file:b.img}", "fault:{write@3=eio}file:x.img",
        "rait:file:t/{a,b,c}.img"}) {
    std::string error = Error(text);
    EXPECT_NE(error.find("relative path"), std::string::npos) << text << ": " << error;
    EXPECT_NE(error.find("absolute path"), std::string::npos) << text << ": " << error;
  }
  EXPECT_NE(Error("rait:{file:/t/a.img,file:b.img}").find("'b.img'"), std::string::npos);
  ASSERT_TRUE(Parse("rait:{file:/t/a.img,file:/t/b.img}").ok());
  ASSERT_TRUE(Parse("fault:{write@3=eio}file:/t/x.img").ok());
  ASSERT_TRUE(Parse("/t/profile:x.img").ok());  // "file:" inside a path is no medium name
  EXPECT_EQ(config_.medium, "file:/t/profile:x.img");
}

TEST_F(ConfigTest, TrailingNewlineFromEchoIsIgnored) {
  ASSERT_TRUE(Parse("vtape/mem:;serial=ABC\n").ok());
  EXPECT_EQ(config_.serial, "ABC");
}

TEST_F(ConfigTest, EveryKey) {
  ASSERT_TRUE(Parse("vtape/probe:/t/b.img;model=ibm-lto8;serial=XYZ0001;readonly=1;"
                    "missing=create;media=lto-7;capacity=6T;barcode=B00001L7;early_warning=64M")
                  .ok());
  EXPECT_EQ(config_.medium, "probe:/t/b.img");
  EXPECT_EQ(config_.model, "ibm-lto8");
  EXPECT_EQ(config_.serial, "XYZ0001");
  EXPECT_TRUE(config_.read_only);
  EXPECT_EQ(config_.missing, MissingMedium::kCreate);
  EXPECT_EQ(config_.create.media_type, "LTO-7");  // canonical name
  EXPECT_EQ(config_.create.capacity_bytes, 6ull << 40);
  EXPECT_EQ(config_.create.barcode, "B00001L7");
  EXPECT_EQ(config_.create.early_warning_bytes, 64ull << 20);

  DriveConfig drive = config_.ToDriveConfig();
  EXPECT_EQ(drive.personality, "ibm-lto8");
  EXPECT_EQ(drive.serial, "XYZ0001");
  EXPECT_EQ(drive.medium_name, "probe:/t/b.img");
}

TEST_F(ConfigTest, ReadonlyZeroAndMissingRefuse) {
  ASSERT_TRUE(Parse("mem:;readonly=0;missing=refuse").ok());
  EXPECT_FALSE(config_.read_only);
  EXPECT_EQ(config_.missing, MissingMedium::kRefuse);
}

TEST_F(ConfigTest, EveryPersonalityIsAModel) {
  for (const char* model : {"generic", "ibm-lto5", "ibm-lto9", "hp-lto5", "hp-lto9"}) {
    ASSERT_TRUE(Parse(std::string("mem:;model=") + model).ok()) << model;
    EXPECT_EQ(config_.model, model);
  }
}

TEST_F(ConfigTest, SemicolonInsideBracesBelongsToTheMedium) {
  ASSERT_TRUE(Parse("fault:{write@3=eio;x}mem:;serial=S1").ok());
  EXPECT_EQ(config_.medium, "fault:{write@3=eio;x}mem:");
  EXPECT_EQ(config_.serial, "S1");
}

// SIZE is vtape::ParseSize, the parser of `vtape create` (tests/vtape/size_test.cc):
// 400GB is 400 * 10^9 bytes here too, 400G 400 * 2^30.
TEST_F(ConfigTest, SizesMeanWhatTheyMeanInTheTool) {
  ASSERT_TRUE(Parse("mem:;missing=create;capacity=400GB;early_warning=64MB").ok());
  EXPECT_EQ(config_.create.capacity_bytes, 400'000'000'000u);
  EXPECT_EQ(config_.create.early_warning_bytes, 64'000'000u);
  ASSERT_TRUE(Parse("mem:;missing=create;capacity=2500G;early_warning=1MiB").ok());
  EXPECT_EQ(config_.create.capacity_bytes, 2500ull << 30);
  EXPECT_EQ(config_.create.early_warning_bytes, 1u << 20);
  ASSERT_TRUE(Parse("mem:;missing=create;capacity=18446744073709551615").ok());
  EXPECT_EQ(config_.create.capacity_bytes, 18446744073709551615ull);
  for (const char* size : {"1k", "3M", "400GB", "12TB", "2T", "512B", "4KiB"}) {
    std::uint64_t expected = 0;
    ASSERT_TRUE(ParseSize(size, expected).ok()) << size;
    ASSERT_TRUE(
        Parse(std::string("mem:;missing=create;capacity=") + size + ";early_warning=1").ok())
        << size;
    EXPECT_EQ(config_.create.capacity_bytes, expected) << size;
  }
}

TEST_F(ConfigTest, ErrorsNameTheProblem) {
  EXPECT_NE(Error("").find("names no medium"), std::string::npos);
  EXPECT_NE(Error("vtape/").find("names no medium"), std::string::npos);
  EXPECT_NE(Error(";model=generic").find("names no medium"), std::string::npos);
  // Not a backend name: a path (file:), which must be absolute.
  EXPECT_NE(Error("t/a.img").find("names the relative path 't/a.img'"), std::string::npos);

  std::string unknown_prefix = Error("tape:/t/a.img");
  EXPECT_NE(unknown_prefix.find("relative path 'tape:/t/a.img'"), std::string::npos);
  EXPECT_NE(unknown_prefix.find("'tape:' is no backend prefix"), std::string::npos);
  EXPECT_NE(unknown_prefix.find("mem:"), std::string::npos) << "lists the known prefixes";

  std::string unknown_key = Error("mem:;colour=blue");
  EXPECT_NE(unknown_key.find("unknown key 'colour'"), std::string::npos);
  EXPECT_NE(unknown_key.find("early_warning"), std::string::npos) << "lists the known keys";

  EXPECT_NE(Error("mem:;model").find("'model' in config string is not KEY=VALUE"),
            std::string::npos);
  EXPECT_NE(Error("mem:;=x").find("is not KEY=VALUE"), std::string::npos);
  EXPECT_NE(Error("mem:;;model=generic").find("'' in config string is not KEY=VALUE"),
            std::string::npos);
  EXPECT_NE(Error("mem:;model=generic;model=hp-lto5").find("'model' is given twice"),
            std::string::npos);

  std::string model = Error("mem:;model=ibm-lto4");
  EXPECT_NE(model.find("unknown model 'ibm-lto4'"), std::string::npos);
  EXPECT_NE(model.find("hp-lto9"), std::string::npos) << "lists the known models";

  EXPECT_NE(Error("mem:;serial=").find("1-20 printable"), std::string::npos);
  EXPECT_NE(Error("mem:;serial=123456789012345678901").find("1-20 printable"), std::string::npos);
  EXPECT_NE(Error("mem:;serial=has space").find("without spaces"), std::string::npos);
  EXPECT_NE(Error("mem:;serial=tab\there").find("1-20 printable"), std::string::npos);
  EXPECT_TRUE(Parse("mem:;serial=12345678901234567890").ok());

  EXPECT_NE(Error("mem:;readonly=yes").find("readonly=yes: expected 0 or 1"), std::string::npos);
  EXPECT_NE(Error("mem:;missing=ignore").find("missing=ignore: expected refuse or create"),
            std::string::npos);

  std::string media = Error("mem:;missing=create;media=DDS-4");
  EXPECT_NE(media.find("unknown media type 'DDS-4'"), std::string::npos);
  EXPECT_NE(media.find("LTO-8"), std::string::npos) << "lists the known media types";

  EXPECT_NE(Error("mem:;missing=create;capacity=lots")
                .find("capacity: size 'lots' must start with a whole number"),
            std::string::npos);
  EXPECT_NE(Error("mem:;missing=create;capacity=0").find("capacity: size '0' must be more than 0"),
            std::string::npos);
  EXPECT_NE(Error("mem:;missing=create;early_warning=0")
                .find("early_warning: size '0' must be more than 0"),
            std::string::npos);
  EXPECT_NE(Error("mem:;missing=create;capacity=64M;early_warning=64M")
                .find("early_warning (67108864 bytes) must be less than capacity (67108864 bytes)"),
            std::string::npos);
  EXPECT_NE(Error("mem:;missing=create;capacity=64M")
                .find("capacity (67108864 bytes) must exceed the default early-warning zone "
                      "(67108864 bytes)"),
            std::string::npos);
  EXPECT_TRUE(Parse("mem:;missing=create;capacity=64M;early_warning=1M").ok());
  EXPECT_TRUE(Parse("mem:;missing=create;capacity=65M").ok());
  EXPECT_NE(Error("mem:;missing=create;barcode=" + std::string(33, 'A')).find("at most 32"),
            std::string::npos);
  EXPECT_TRUE(Parse("mem:;missing=create;barcode=" + std::string(32, 'A')).ok());

  for (const char* key : {"media=LTO-8", "capacity=1G", "barcode=A", "early_warning=1M"}) {
    std::string m = Error(std::string("mem:;") + key);
    EXPECT_NE(m.find("only shapes a medium created by ;missing=create"), std::string::npos) << m;
  }

  EXPECT_NE(Error("rait:{mem:,mem:").find("'{' that is never closed"), std::string::npos);
  EXPECT_NE(Error("mem:}").find("'}' without '{'"), std::string::npos);
}

TEST_F(ConfigTest, MissingMediumIsRefusedWithAFix) {
  ASSERT_TRUE(Parse("vtape/probe:/t/c.img").ok());
  Status check = CheckConfiguredMedium(config_);
  EXPECT_EQ(check.code(), Code::kNotFound);
  EXPECT_EQ(check.message(),
            "medium 'probe:/t/c.img' does not exist (image /t/c.img is missing); create it with "
            "`vtape create probe:/t/c.img` or add ;missing=create to the config string");

  std::unique_ptr<Tape> tape;
  Status open = OpenConfiguredMedium(config_, tape);
  EXPECT_EQ(open.code(), Code::kNotFound);
  EXPECT_EQ(open.message(), check.message());
  EXPECT_EQ(tape, nullptr);
  EXPECT_TRUE(log_->created.empty()) << "refuse must not create anything";
  EXPECT_EQ(log_->opens, 0);
}

TEST_F(ConfigTest, MissingMediumHintIsNotRepeated) {
  log_->access_override =
      Status::NotFound("tape image /t/g.img does not exist; create it with `vtape create x`");
  ASSERT_TRUE(Parse("probe:/t/g.img").ok());
  Status check = CheckConfiguredMedium(config_);
  EXPECT_EQ(check.code(), Code::kNotFound);
  EXPECT_EQ(check.message(),
            "medium 'probe:/t/g.img' does not exist: tape image /t/g.img does not exist; create "
            "it with `vtape create x`; or add ;missing=create to the config string");
}

TEST_F(ConfigTest, MissingMediumIsCreatedBlankWithTheGivenShape) {
  ASSERT_TRUE(Parse("probe:/t/d.img;missing=create;media=LTO-6;capacity=100M;barcode=D00001L6;"
                    "early_warning=1M")
                  .ok());
  EXPECT_TRUE(CheckConfiguredMedium(config_).ok());
  EXPECT_TRUE(log_->created.empty()) << "check_config must not create anything";

  std::unique_ptr<Tape> tape;
  ASSERT_TRUE(OpenConfiguredMedium(config_, tape).ok());
  ASSERT_NE(tape, nullptr);
  ASSERT_EQ(log_->created.count("/t/d.img"), 1u);
  const CreateOptions& c = log_->created["/t/d.img"];
  EXPECT_EQ(c.media_type, "LTO-6");
  EXPECT_EQ(c.capacity_bytes, 100u << 20);
  EXPECT_EQ(c.barcode, "D00001L6");
  EXPECT_EQ(c.early_warning_bytes, 1u << 20);
  EXPECT_FALSE(c.overwrite);
  EXPECT_EQ(log_->last_open_rest, "/t/d.img");
  EXPECT_FALSE(log_->last_open_read_only);

  // The second open finds it and creates nothing new.
  log_->created["/t/d.img"].barcode = "marker";
  std::unique_ptr<Tape> again;
  ASSERT_TRUE(OpenConfiguredMedium(config_, again).ok());
  EXPECT_EQ(log_->created["/t/d.img"].barcode, "marker");
}

TEST_F(ConfigTest, ReadonlyOpensReadOnly) {
  log_->created["/t/e.img"] = {};
  ASSERT_TRUE(Parse("probe:/t/e.img;readonly=1").ok());
  std::unique_ptr<Tape> tape;
  ASSERT_TRUE(OpenConfiguredMedium(config_, tape).ok());
  EXPECT_TRUE(log_->last_open_read_only);
  MediumInfo info;
  ASSERT_TRUE(tape->Stat(info).ok());
  EXPECT_TRUE(info.write_protected);
}

// Real file: images (the probe backend fakes write protection for read-only
// opens; the file: backend reports only the flag stored in the image). st
// decides whether it may write from the WP bit, so readonly=1 must show as WP,
// and a `vtape protect`ed image must still load, read-only
// (tests/vm/t_protect.sh checks both through /dev/nst).
class FileImageConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/vtape_config_test.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Image(const char* name) { return "file:" + dir_ + "/" + name; }
  std::string dir_;
};

TEST_F(FileImageConfigTest, ReadonlyImageLooksWriteProtectedAndRefusesWrites) {
  ASSERT_TRUE(CreateTape(Image("a.img"), {}).ok());
  Config config;
  ASSERT_TRUE(ParseConfig(Image("a.img") + ";readonly=1", config).ok());
  std::unique_ptr<Tape> tape;
  ASSERT_TRUE(OpenConfiguredMedium(config, tape).ok());
  MediumInfo info;
  ASSERT_TRUE(tape->Stat(info).ok());
  EXPECT_TRUE(info.write_protected);
  const std::uint8_t record[4] = {1, 2, 3, 4};
  EXPECT_EQ(tape->Write(record).code(), Code::kWriteProtected);
  // The image itself stays unprotected: a writable open sees no protection.
  tape.reset();
  ASSERT_TRUE(ParseConfig(Image("a.img"), config).ok());
  ASSERT_TRUE(OpenConfiguredMedium(config, tape).ok());
  ASSERT_TRUE(tape->Stat(info).ok());
  EXPECT_FALSE(info.write_protected);
  EXPECT_TRUE(tape->Write(record).ok());
}

TEST_F(FileImageConfigTest, ProtectedImageLoadsReadOnly) {
  CreateOptions create;
  create.write_protected = true;
  ASSERT_TRUE(CreateTape(Image("p.img"), create).ok());
  Config config;
  ASSERT_TRUE(ParseConfig(Image("p.img"), config).ok());
  EXPECT_TRUE(CheckConfiguredMedium(config).ok());
  std::unique_ptr<Tape> tape;
  Status opened = OpenConfiguredMedium(config, tape);
  ASSERT_TRUE(opened.ok()) << opened.message();
  MediumInfo info;
  ASSERT_TRUE(tape->Stat(info).ok());
  EXPECT_TRUE(info.write_protected);
  const std::uint8_t record[1] = {7};
  EXPECT_EQ(tape->Write(record).code(), Code::kWriteProtected);
}

TEST_F(ConfigTest, OtherAccessErrorsKeepTheirCodeAndReason) {
  log_->access_override = Status::Busy("image /t/f.img is locked by process 42");
  ASSERT_TRUE(Parse("probe:/t/f.img;missing=create").ok());
  Status check = CheckConfiguredMedium(config_);
  EXPECT_EQ(check.code(), Code::kBusy);
  EXPECT_EQ(check.message(),
            "cannot use medium 'probe:/t/f.img': image /t/f.img is locked by process 42");
  std::unique_ptr<Tape> tape;
  Status open = OpenConfiguredMedium(config_, tape);
  EXPECT_EQ(open.code(), Code::kBusy);
  EXPECT_EQ(open.message(), check.message());
  EXPECT_TRUE(log_->created.empty()) << "busy is not missing: nothing is created";
}

TEST_F(ConfigTest, MemMediumOpens) {
  ASSERT_TRUE(Parse("vtape/mem:capacity=1048576;serial=M1").ok());
  std::unique_ptr<Tape> tape;
  ASSERT_TRUE(OpenConfiguredMedium(config_, tape).ok());
  MediumInfo info;
  ASSERT_TRUE(tape->Stat(info).ok());
  EXPECT_EQ(info.capacity_bytes, 1u << 20);
}

TEST_F(ConfigTest, BadBackendOptionsSurfaceOnOpen) {
  ASSERT_TRUE(Parse("mem:bogus=1").ok()) << "the backend parses its own rest";
  Status check = CheckConfiguredMedium(config_);
  EXPECT_EQ(check.code(), Code::kInvalidArgument);
  EXPECT_EQ(check.message().rfind("cannot use medium 'mem:bogus=1': ", 0), 0u) << check.message();
}

TEST(ConfigBufferTest, BufferSizeReachesTheDrive) {
  rait::RegisterRait();
  Config config;
  ASSERT_TRUE(ParseConfig("mem:", config).ok());
  EXPECT_EQ(config.ToDriveConfig().buffer_bytes, 0u) << "off by default";
  ASSERT_TRUE(ParseConfig("mem:;buffer=32M", config).ok());
  EXPECT_EQ(config.ToDriveConfig().buffer_bytes, 32u << 20);
  ASSERT_TRUE(ParseConfig("mem:;buffer=0", config).ok());
  EXPECT_EQ(config.ToDriveConfig().buffer_bytes, 0u);
  Status bad = ParseConfig("mem:;buffer=lots", config);
  EXPECT_EQ(bad.code(), Code::kInvalidArgument);
  EXPECT_NE(bad.message().find("buffer: "), std::string::npos) << bad.message();
}

}  // namespace
}  // namespace vtape::ssc
