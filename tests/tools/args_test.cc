// The tool's shared argument and size parser.
#include "tools/args.h"

#include <gtest/gtest.h>

namespace vtape::tool {
namespace {

TEST(ParseSize, UnitsAreBinaryOrDecimalByTheirSpelling) {
  struct Case {
    const char* text;
    std::uint64_t bytes;
  };
  const Case cases[] = {
      {"1", 1},
      {"512B", 512},
      {"4K", 4096},
      {"4k", 4096},
      {"400M", 400ull << 20},
      {"400MiB", 400ull << 20},
      {"2G", 2ull << 30},
      {"1T", 1ull << 40},
      {"400MB", 400'000'000},
      {"2GB", 2'000'000'000},
      {"12TB", 12'000'000'000'000},
      {"18446744073709551615", 18446744073709551615ull},
  };
  for (const Case& c : cases) {
    std::uint64_t bytes = 0;
    Status s = ParseSize(c.text, bytes);
    ASSERT_TRUE(s.ok()) << c.text << ": " << s.ToString();
    EXPECT_EQ(bytes, c.bytes) << c.text;
  }
}

TEST(ParseSize, RefusesWithAReason) {
  struct Case {
    const char* text;
    const char* reason;
  };
  const Case cases[] = {
      {"", "must start with a whole number"},
      {"M", "must start with a whole number"},
      {"-5M", "must start with a whole number"},
      {"4Q", "unknown unit 'Q'"},
      {"1.5G", "unknown unit '.5G'"},
      {"0", "more than 0"},
      {"0M", "more than 0"},
      {"16385P", "too large"},
      {"99999999999999999999", "too large"},
  };
  for (const Case& c : cases) {
    std::uint64_t bytes = 7;
    Status s = ParseSize(c.text, bytes);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << c.text;
    EXPECT_NE(s.message().find(c.reason), std::string::npos) << c.text << ": " << s.message();
    EXPECT_EQ(bytes, 7u) << "unchanged on error";
  }
}

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
