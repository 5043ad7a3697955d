// The tool's argument parser (CLI11 behind tools/args.h), fed the options a
// synopsis and help document as the command table does (SIZE:
// tests/vtape/size_test.cc).
#include "tools/args.h"

#include <gtest/gtest.h>

namespace vtape::tool {
namespace {

constexpr std::string_view kSynopsis = "NAME [--barcode B] [--capacity SIZE] [--force]";
constexpr std::string_view kHelp =
    "  --barcode B          a label\n"
    "  --capacity SIZE      a size\n"
    "  --write-protect      a flag only the help names\n"
    "  --force              another flag\n";

Status Parse(std::vector<std::string> argv, Args& args) {
  return ParseArgs(kSynopsis, kHelp, argv, args);
}

TEST(ParseArgs, PositionalValuesAndFlags) {
  Args args;
  ASSERT_TRUE(
      Parse({"file:/a.img", "--barcode", "A1", "--capacity=2G", "--force", "--", "--literal"}, args)
          .ok());
  EXPECT_EQ(args.positional, (std::vector<std::string>{"file:/a.img", "--literal"}));
  EXPECT_EQ(args.value("--barcode"), "A1");
  EXPECT_EQ(args.value("--capacity"), "2G");
  EXPECT_FALSE(args.value("--media").has_value());
  EXPECT_TRUE(args.has("--force"));
  EXPECT_FALSE(args.has("--write-protect"));
  ASSERT_TRUE(Parse({"--write-protect", "x", "y", "--barcode", "", "-"}, args).ok());
  EXPECT_EQ(args.positional, (std::vector<std::string>{"x", "y", "-"}));
  EXPECT_TRUE(args.has("--write-protect"));
  EXPECT_EQ(args.value("--barcode"), "");
  // An empty value after '=' is a value, not a missing one.
  ASSERT_TRUE(Parse({"--barcode=", "--force", "x", "--capacity=a=b"}, args).ok());
  EXPECT_EQ(args.value("--barcode"), "");
  EXPECT_TRUE(args.has("--force"));
  EXPECT_EQ(args.value("--capacity"), "a=b");
  EXPECT_EQ(args.positional, (std::vector<std::string>{"x"}));
  ASSERT_TRUE(Parse({"x", "--", "--force=1"}, args).ok());
  EXPECT_EQ(args.positional, (std::vector<std::string>{"x", "--force=1"}));
}

TEST(ParseArgs, UnknownOrIncompleteOptionsAreRefused) {
  Args args;
  Status s = Parse({"x", "--bogus"}, args);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "unknown option --bogus");
  EXPECT_EQ(Parse({"x", "--bogus=1"}, args).message(), "unknown option --bogus");
  EXPECT_EQ(Parse({"x", "-b"}, args).message(), "unknown option -b");
  // The placeholder of the help names what is missing.
  EXPECT_EQ(Parse({"x", "--capacity"}, args).message(), "--capacity: 1 required SIZE missing");
  EXPECT_EQ(Parse({"x", "--force=yes"}, args).message(), "option --force takes no value");
  EXPECT_EQ(Parse({"x", "--capacity", "1G", "--capacity=2G"}, args).message(),
            "--capacity: At Most 1 required but received 2");
  // --help is answered before parsing (the dispatcher): here it is no option.
  EXPECT_EQ(Parse({"x", "--help"}, args).message(), "unknown option --help");
}

}  // namespace
}  // namespace vtape::tool
