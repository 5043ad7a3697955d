#include "vtape/name.h"

#include <gtest/gtest.h>

namespace vtape {
namespace {

TEST(SplitPrefix, SplitsAtFirstColon) {
  std::string_view prefix, rest;
  ASSERT_TRUE(SplitPrefix("file:/a:b", prefix, rest).ok());
  EXPECT_EQ(prefix, "file");
  EXPECT_EQ(rest, "/a:b");
}

TEST(SplitPrefix, RejectsMissingOrBadPrefix) {
  std::string_view prefix, rest;
  EXPECT_EQ(SplitPrefix("/tapes/a.img", prefix, rest).code(), Code::kInvalidArgument);
  EXPECT_EQ(SplitPrefix(":x", prefix, rest).code(), Code::kInvalidArgument);
  EXPECT_EQ(SplitPrefix("Fi le:x", prefix, rest).code(), Code::kInvalidArgument);
}

TEST(SplitBraceList, SplitsTopLevelOnly) {
  std::vector<std::string> items;
  ASSERT_TRUE(SplitBraceList("{file:/a,fault:{w@1=eio,r@2=eio}file:/b,null:}", items).ok());
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0], "file:/a");
  EXPECT_EQ(items[1], "fault:{w@1=eio,r@2=eio}file:/b");
  EXPECT_EQ(items[2], "null:");
}

TEST(SplitBraceList, RejectsMalformed) {
  std::vector<std::string> items;
  EXPECT_FALSE(SplitBraceList("{a,b", items).ok());
  EXPECT_FALSE(SplitBraceList("{a,,b}", items).ok());
  EXPECT_FALSE(SplitBraceList("{a}x", items).ok());
  EXPECT_FALSE(SplitBraceList("a,b", items).ok());
  EXPECT_FALSE(SplitBraceList("{}", items).ok());
}

TEST(ExpandBraces, ExpandsOneListInsideAWord) {
  std::vector<std::string> out;
  ASSERT_TRUE(ExpandBraces("file:/t/t1-{a,b,c}.img", out).ok());
  EXPECT_EQ(out,
            (std::vector<std::string>{"file:/t/t1-a.img", "file:/t/t1-b.img", "file:/t/t1-c.img"}));
  ASSERT_TRUE(ExpandBraces("file:/plain", out).ok());
  EXPECT_EQ(out, std::vector<std::string>{"file:/plain"});
  EXPECT_FALSE(ExpandBraces("file:/{a,b}/{c,d}", out).ok());
  EXPECT_FALSE(ExpandBraces("file:/a}", out).ok());
}

}  // namespace
}  // namespace vtape
