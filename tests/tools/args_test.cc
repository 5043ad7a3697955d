// The tool's shared argument parser (SIZE: tests/vtape/size_test.cc).
#include "tools/args.h"

#include <gtest/gtest.h>

namespace vtape::tool {
namespace {

TEST(ParseArgs, PositionalValuesAndFlags) {
  std::vector<std::string> argv = {"file:/a.img", "--barcode", "A1",       "--capacity=2G",
                                   "--force",     "--",        "--literal"};
  Args args;
  ASSERT_TRUE(
      ParseArgs(argv, {"--barcode", "--capacity"}, {"--force", "--write-protect"}, args).ok());
  EXPECT_EQ(args.positional, (std::vector<std::string>{"file:/a.img", "--literal"}));
  EXPECT_EQ(args.value("--barcode"), "A1");
  EXPECT_EQ(args.value("--capacity"), "2G");
  EXPECT_FALSE(args.value("--media").has_value());
  EXPECT_TRUE(args.has("--force"));
  EXPECT_FALSE(args.has("--write-protect"));
}

TEST(ParseArgs, UnknownOrIncompleteOptionsAreRefused) {
  Args args;
  std::vector<std::string> unknown = {"x", "--bogus"};
  Status s = ParseArgs(unknown, {"--barcode"}, {"--force"}, args);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "unknown option --bogus");
  std::vector<std::string> missing = {"x", "--barcode"};
  s = ParseArgs(missing, {"--barcode"}, {"--force"}, args);
  EXPECT_EQ(s.message(), "option --barcode needs a value");
  std::vector<std::string> flag_value = {"x", "--force=yes"};
  s = ParseArgs(flag_value, {"--barcode"}, {"--force"}, args);
  EXPECT_EQ(s.message(), "option --force takes no value");
}

}  // namespace
}  // namespace vtape::tool
