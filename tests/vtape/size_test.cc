// vtape::ParseSize (vtape/size.h): the one SIZE parser of the tool and the
// handler's config string.
#include "vtape/size.h"

#include <gtest/gtest.h>

#include "vtape/registry.h"

namespace vtape {
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

// The one rule for what a typed medium name means (tool and handler).
TEST(ResolveMediumName, BackendNamesStayPathsMeanFile) {
  EXPECT_EQ(ResolveMediumName("file:/t/a.img"), "file:/t/a.img");
  EXPECT_EQ(ResolveMediumName("mem:"), "mem:");
  EXPECT_EQ(ResolveMediumName("fault:{write@1=eio}mem:"), "fault:{write@1=eio}mem:");
  EXPECT_EQ(ResolveMediumName("/var/lib/vtape/A.img"), "file:/var/lib/vtape/A.img");
  EXPECT_EQ(ResolveMediumName("A.img"), "file:A.img");
  EXPECT_EQ(ResolveMediumName("tapes/x:1.img"), "file:tapes/x:1.img");
  EXPECT_EQ(ResolveMediumName("tape:/t/a.img"), "file:tape:/t/a.img");  // no backend "tape"
}

}  // namespace
}  // namespace vtape
