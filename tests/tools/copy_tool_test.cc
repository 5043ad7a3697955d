// vtape copy between file: media (tests/rados has file: -> rados: -> file:).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "tests/tools/same_medium.h"
#include "tests/tools/tool_run.h"

namespace vtape {
namespace {

class CopyTool : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "vtape-copy-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(CopyTool, FileToFileBitForBit) {
  std::string src = "file:" + dir_ + "/src.img", dst = "file:" + dir_ + "/dst.img";
  WriteSampleMedium(src);
  ToolRun r = RunVtapeTool({"copy", src, dst}, dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "copied " + src + " to " + dst + ": 4 records, 5 filemarks, " +
                       std::to_string(1 + (5 << 20) + 17 + 65537 + 4096 + 5 * 4096) +
                       " bytes (5.1 MiB)\n");
  ExpectSameMedium(src, dst);
  // DST exists now: refused unless --overwrite.
  r = RunVtapeTool({"copy", src, dst}, dir_);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  r = RunVtapeTool({"copy", src, dst, "--overwrite"}, dir_);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunVtapeTool({"copy", src}, dir_);
  EXPECT_EQ(r.exit_code, 2);
}

// Records with a tag (an encrypted record: its stored bytes are a ciphertext
// longer than any host record may be) are copied with it.
TEST_F(CopyTool, RecordTagsAreCopied) {
  std::string src = "file:" + dir_ + "/src.img", dst = "file:" + dir_ + "/dst.img";
  CreateOptions o;
  o.capacity_bytes = 64ull << 20;
  o.early_warning_bytes = 1 << 20;
  ASSERT_TRUE(CreateTape(src, o).ok());
  {
    std::unique_ptr<Tape> t;
    ASSERT_TRUE(OpenTape(src, {}, t).ok());
    ASSERT_TRUE(t->Write(std::vector<std::uint8_t>(100, 1)).ok());
    const std::vector<std::uint8_t> stored(kMaxRecordBytes + 40, 2);
    const ConstPiece piece[1] = {stored};
    ASSERT_TRUE(t->WriteTagged(piece, kTagEncrypted).ok());
    ASSERT_TRUE(t->WriteFilemarks(1, true).ok());
  }
  ToolRun r = RunVtapeTool({"copy", src, dst}, dir_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectSameMedium(src, dst);
  std::unique_ptr<Tape> copy;
  ASSERT_TRUE(OpenTape(dst, {}, copy).ok());
  std::vector<std::uint8_t> buffer(kMaxRecordBytes + kMaxTaggedRecordOverhead);
  ReadResult got;
  ASSERT_TRUE(copy->Read(buffer, got).ok());
  EXPECT_EQ(got.tag, 0);
  ASSERT_TRUE(copy->Read(buffer, got).ok());
  EXPECT_EQ(got.tag, kTagEncrypted);
  EXPECT_EQ(got.length, kMaxRecordBytes + 40);
}

}  // namespace
}  // namespace vtape
