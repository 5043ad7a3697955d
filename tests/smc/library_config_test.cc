// The config string of a library device (handler/library_config.h): the two
// roles, every refusal, and check_config against a library on disk.
#include "handler/library_config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "library/library.h"

namespace vtape::presenter {
namespace {

Status Parse(const std::string& text, LibraryDeviceConfig& config) {
  return ParseLibraryConfig(text, config);
}

std::string ErrorOf(const std::string& text) {
  LibraryDeviceConfig config;
  Status s = Parse(text, config);
  EXPECT_FALSE(s.ok()) << text;
  EXPECT_EQ(s.code(), Code::kInvalidArgument) << text;
  return s.message();
}

TEST(LibraryConfig, RecognisedByTheLibraryKeyWithOrWithoutTheSubtypePrefix) {
  EXPECT_TRUE(IsLibraryConfig("library=/l;drive=0"));
  EXPECT_TRUE(IsLibraryConfig("vtape/library=/l;role=changer"));
  EXPECT_TRUE(IsLibraryConfig("  library=/l;drive=0"));
  EXPECT_FALSE(IsLibraryConfig("/var/lib/vtape/library=x.img"));
  EXPECT_FALSE(IsLibraryConfig("file:/l/a.img;model=ibm-lto8"));
  EXPECT_FALSE(IsLibraryConfig("mem:"));
}

TEST(LibraryConfig, ChangerWithAndWithoutModel) {
  LibraryDeviceConfig c;
  ASSERT_TRUE(Parse("vtape/library=/var/lib/vtape/lib1;role=changer", c).ok());
  EXPECT_EQ(c.library, "/var/lib/vtape/lib1");
  EXPECT_EQ(c.role, LibraryRole::kChanger);
  EXPECT_EQ(c.model, "generic");
  ASSERT_TRUE(Parse("library=/var/lib/vtape/lib1;role=changer;model=ibm-ts3100", c).ok());
  EXPECT_EQ(c.model, "ibm-ts3100");
}

TEST(LibraryConfig, DriveByIndexWithAndWithoutModel) {
  LibraryDeviceConfig c;
  ASSERT_TRUE(Parse("library=/lib;drive=3", c).ok());
  EXPECT_EQ(c.role, LibraryRole::kDrive);
  EXPECT_EQ(c.drive, 3u);
  EXPECT_EQ(c.model, "generic");
  ASSERT_TRUE(Parse("library=/lib; role=drive ;drive=0;model=ibm-lto8", c).ok());
  EXPECT_EQ(c.role, LibraryRole::kDrive);
  EXPECT_EQ(c.drive, 0u);
  EXPECT_EQ(c.model, "ibm-lto8");
}

TEST(LibraryConfig, DriveBufferAsALoneDrives) {
  LibraryDeviceConfig c;
  ASSERT_TRUE(Parse("library=/lib;drive=1", c).ok());
  EXPECT_EQ(c.buffer_bytes, 0u);
  ASSERT_TRUE(Parse("library=/lib;drive=1;buffer=32M", c).ok());
  EXPECT_EQ(c.buffer_bytes, 32u << 20);
  ASSERT_TRUE(Parse("library=/lib;buffer=0;drive=1", c).ok());
  EXPECT_EQ(c.buffer_bytes, 0u);
  EXPECT_EQ(ErrorOf("library=/lib;drive=0;buffer=lots"),
            "buffer: size 'lots' must start with a whole number (e.g. 400M, 2G)");
  EXPECT_EQ(ErrorOf("library=/lib;drive=0;buffer=1M;buffer=2M"), "key 'buffer' is given twice");
  EXPECT_EQ(ErrorOf("library=/lib;role=changer;buffer=32M"),
            "buffer= is a drive's: the changer moves no data");
}

TEST(LibraryConfig, Refusals) {
  EXPECT_EQ(ErrorOf("library=var/lib/vtape/lib1;drive=0"),
            "library=var/lib/vtape/lib1: the library directory must be an absolute path");
  EXPECT_EQ(ErrorOf("library=/lib"),
            "a library device needs role=changer or drive=N (e.g. library=/lib;drive=0)");
  EXPECT_EQ(ErrorOf("library=/lib;role=drive"),
            "a library device needs role=changer or drive=N (e.g. library=/lib;drive=0)");
  EXPECT_EQ(ErrorOf("library=/lib;role=changer;drive=1"),
            "role=changer and drive= exclude each other: a changer device is the whole "
            "library's robot");
  EXPECT_EQ(ErrorOf("library=/lib;role=robot"), "role=robot: expected changer or drive");
  EXPECT_EQ(ErrorOf("library=/lib;drive=x"),
            "drive=x: expected the drive's 0-based index, e.g. drive=0");
  EXPECT_EQ(ErrorOf("library=/lib;drive=-1"),
            "drive=-1: expected the drive's 0-based index, e.g. drive=0");
  EXPECT_EQ(ErrorOf("library=/lib;drive=512"), "drive=512: a library has at most 512 drives");
  EXPECT_EQ(ErrorOf("library=/lib;drive=0;drive=1"), "key 'drive' is given twice");
  EXPECT_EQ(
      ErrorOf("library=/lib;drive=0;serial=X"),
      "unknown key 'serial' for a library device (known: library, role, drive, model, buffer; "
      "the medium and serial come from the library)");
  EXPECT_EQ(ErrorOf("library=/lib;drive=0;readonly"),
            "setting 'readonly' in a library device's config string is not KEY=VALUE");
  EXPECT_EQ(ErrorOf("library=/lib;drive=0;model=ibm-ts3100"),
            "unknown drive model 'ibm-ts3100' (known: generic, ibm-lto5, ibm-lto6, ibm-lto7, "
            "ibm-lto8, ibm-lto9, hp-lto5, hp-lto6, hp-lto7, hp-lto8, hp-lto9)");
  EXPECT_EQ(ErrorOf("library=/lib;role=changer;model=ibm-lto8"),
            "unknown changer model 'ibm-lto8' (known: generic, ibm-ts3100, hpe-msl)");
}

class LibraryCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/vtape_libcfg_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    library::CreateSpec spec;
    spec.layout = {2, 4, 1};
    spec.barcodes = {"A00001L8"};
    spec.capacity_bytes = 256ull << 20;
    Status s = library::Library::Create(root_ + "/lib", spec);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  Status Check(const std::string& text) {
    LibraryDeviceConfig c;
    Status s = ParseLibraryConfig(text, c);
    return s.ok() ? CheckLibraryDevice(c) : s;
  }
  std::string root_;
};

TEST_F(LibraryCheck, TheLibraryMustExistAndTheDriveBeInIt) {
  EXPECT_TRUE(Check("library=" + root_ + "/lib;role=changer").ok());
  EXPECT_TRUE(Check("library=" + root_ + "/lib;drive=1").ok());
  Status s = Check("library=" + root_ + "/lib;drive=2");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "drive=2: library '" + root_ + "/lib' has 2 drive(s), numbered from 0");
  s = Check("library=" + root_ + "/none;role=changer");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_NE(s.message().find("no library in '" + root_ + "/none'"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("create it with `vtape library create " + root_ + "/none`"),
            std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace vtape::presenter
