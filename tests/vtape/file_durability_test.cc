// Durability rules of the file: backend (FORMAT.md, "Durability"): what a
// durable point covers, that it never covers data that may not be on disk,
// that it moves on its own, and that open stays cheap whatever the tape holds.
#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/vtape/file_test_util.h"
#include "vtape/crc32c.h"
#include "vtape/file_format.h"
#include "vtape/file_image.h"
#include "vtape/file_io.h"
#include "vtape/file_tape.h"

namespace vtape::testing {
namespace {

using file_format::kDataStart;
using file_format::kRecordHeaderBytes;
using file_format::kSidecarHeaderBytes;

class DurabilityTest : public ::testing::Test {
 protected:
  Status OpenImageAt(const std::string& path, bool writable, OpenedImage& im) {
    return OpenImage(path, writable, im);
  }
  ScratchDir dir_;
  std::string path_ = dir_.File("t.img");
};

// Overwriting after filemark c-1 of c and writing filemark c again keeps the
// filemark count but changes the last entry: the superblock's list CRC must
// follow, or the next open walks every header (and a damaged one below the
// durable point would make the image unopenable).
TEST_F(DurabilityTest, FilemarkCrcFollowsAnOverwriteThatKeepsTheCount) {
  {
    auto t = CreateAndOpen(path_);
    for (int f = 0; f < 3; ++f) {
      ASSERT_TRUE(t->Write(Pattern(100, f)).ok());
      ASSERT_TRUE(t->WriteFilemarks(1, true).ok());
    }
    SpaceResult r;
    ASSERT_TRUE(t->LocateFile(0, 2, r).ok());  // after filemark 1 (c-1 of c = 3)
    ASSERT_TRUE(t->Write(Pattern(300, 7)).ok());
    ASSERT_TRUE(t->Write(Pattern(300, 8)).ok());
    ASSERT_TRUE(t->WriteFilemarks(1, true).ok());  // 3 filemarks again, the last one moved
    ASSERT_TRUE(t->Close().ok());
  }
  {
    OpenedImage im;
    ASSERT_TRUE(OpenImage(path_, false, im).ok());
    std::vector<std::uint8_t> fm = ReadWholeFile(FilemarkPathOf(path_));
    ASSERT_EQ(im.sb.durable_filemarks, 3u);
    ASSERT_GE(fm.size(), kSidecarHeaderBytes + 24);
    EXPECT_EQ(im.sb.filemarks_crc,
              Crc32c(std::span(fm).subspan(kSidecarHeaderBytes, 24)))
        << "the superblock must describe the filemark list as it now is";
    EXPECT_EQ(im.recovery_note, "") << "open must not walk the headers";
  }
  // Damage the header of record 0, below the durable point.
  {
    std::vector<std::uint8_t> data = ReadWholeFile(path_);
    data[kDataStart + 9] ^= 0xff;
    WriteWholeFile(path_, data, data.size());
  }
  auto t = Reopen(path_);
  ASSERT_NE(t, nullptr);
  std::vector<std::uint8_t> buffer(1000);
  ReadResult r;
  EXPECT_EQ(t->Read(buffer, r).code(), Code::kMediumError);
  ExpectKind(*t, ObjectKind::kFilemark, "after the damaged record");
  ExpectRecord(*t, Pattern(100, 1), "file 1");
}

}  // namespace
}  // namespace vtape::testing
