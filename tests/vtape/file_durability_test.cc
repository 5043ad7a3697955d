// Durability rules of the file: backend (FORMAT.md, "Durability"): what a
// durable point covers, that it never covers data that may not be on disk,
// that it moves on its own, and that open stays cheap whatever the tape holds.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

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
    EXPECT_EQ(im.sb.filemarks_crc, Crc32c(std::span(fm).subspan(kSidecarHeaderBytes, 24)))
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

// fdatasync that fails `fail_count` times with EIO, then works again (as Linux
// does: a write-back error is reported once).
int fail_count = 0;
int FlakySync(int fd) {
  if (fail_count > 0) {
    --fail_count;
    errno = EIO;
    return -1;
  }
  return ::fdatasync(fd);
}

class FlakySyncScope {
 public:
  explicit FlakySyncScope(int failures) {
    fail_count = failures;
    SetDataSyncForTesting(FlakySync);
  }
  ~FlakySyncScope() { SetDataSyncForTesting(nullptr); }
};

TEST_F(DurabilityTest, FailedFdatasyncRefusesEveryLaterDurablePoint) {
  auto t = CreateAndOpen(path_);
  ASSERT_TRUE(t->Write(Pattern(100, 1)).ok());
  ASSERT_TRUE(t->Sync().ok());
  FlakySyncScope flaky(1);
  ASSERT_TRUE(t->Write(Pattern(100, 2)).ok());
  Status s = t->Sync();
  EXPECT_EQ(s.code(), Code::kIoError) << s.ToString();
  EXPECT_EQ(fail_count, 0);
  // fdatasync works again, but the pages of record 1 may be lost: nothing may
  // now claim them durable.
  EXPECT_EQ(t->Sync().code(), Code::kIoError);
  EXPECT_EQ(t->WriteFilemarks(1, true).code(), Code::kIoError);
  EXPECT_EQ(t->WriteFilemarks(1, false).code(), Code::kIoError);
  EXPECT_EQ(t->Write(Pattern(10, 3)).code(), Code::kIoError);
  EXPECT_EQ(t->SetWriteProtect(true).code(), Code::kIoError);
  EXPECT_EQ(t->SetEarlyWarning(1000).code(), Code::kIoError);
  std::vector<std::uint8_t> value{1, 2};
  EXPECT_EQ(t->attributes()->WriteAttribute(0, 0x0800, value).code(), Code::kIoError);
  EXPECT_EQ(t->Unload().code(), Code::kIoError);
  s = t->Close();
  EXPECT_EQ(s.code(), Code::kIoError);
  EXPECT_NE(s.message().find("may not be on disk"), std::string::npos) << s.message();
  OpenedImage im;
  ASSERT_TRUE(OpenImage(path_, false, im).ok());
  EXPECT_EQ(im.sb.durable_objects, 1u) << "no superblock covers record 1";
  EXPECT_FALSE(im.sb.write_protected);
}

TEST_F(DurabilityTest, FailedFdatasyncInAFilemarkOrCloseIsReportedThere) {
  {
    auto t = CreateAndOpen(path_);
    ASSERT_TRUE(t->Write(Pattern(100, 1)).ok());
    FlakySyncScope flaky(1);
    EXPECT_EQ(t->WriteFilemarks(1, true).code(), Code::kIoError);
    EXPECT_EQ(t->Close().code(), Code::kIoError);
  }
  {
    auto t = Reopen(path_);
    ASSERT_TRUE(t->Write(Pattern(100, 2)).ok());
    FlakySyncScope flaky(1);
    EXPECT_EQ(t->Close().code(), Code::kIoError) << "Close is a durable point too";
  }
}

// Copies the image files as they are now (a SIGKILL of the writer: everything
// handed to the kernel is there, nothing else happened).
void CrashCopy(const std::string& from, const std::string& to) {
  for (const char* suffix : {"", ".idx", ".fm"}) {
    std::vector<std::uint8_t> bytes = ReadWholeFile(from + suffix);
    WriteWholeFile(to + suffix, bytes, bytes.size());
  }
}

std::unique_ptr<Tape> OpenTuned(const std::string& path, const FileTapeTuning& tuning) {
  OpenedImage im;
  Status s = OpenImage(path, true, im);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return s.ok() ? NewFileTape(std::move(im), tuning) : nullptr;
}

// A writer that never syncs (only IMMED filemarks) still moves the durable
// point every auto_durable_objects objects, so recovery reads only the tail.
TEST_F(DurabilityTest, DurablePointMovesOnItsOwnEveryThresholdOfObjects) {
  CreateAndOpen(path_).reset();
  FileTapeTuning tuning;
  tuning.auto_durable_objects = 100;
  auto t = OpenTuned(path_, tuning);
  ASSERT_NE(t, nullptr);
  for (int i = 0; i < 250; ++i) {
    if (i % 10 == 9) {
      ASSERT_TRUE(t->WriteFilemarks(1, false).ok());
    } else {
      ASSERT_TRUE(t->Write(Pattern(1, i)).ok());
    }
  }
  std::string crash = dir_.File("crash.img");
  CrashCopy(path_, crash);
  OpenedImage im;
  ASSERT_TRUE(OpenImage(crash, false, im).ok());
  EXPECT_EQ(im.sb.durable_objects, 200u);
  EXPECT_EQ(im.sb.durable_filemarks, 20u);
  EXPECT_EQ(im.eod, 250u);
  EXPECT_EQ(im.recovery_note, "recovered 50 objects written after the last durable point")
      << "recovery scans only the tail";
  auto again = Reopen(crash, true);
  ASSERT_NE(again, nullptr);
  SpaceResult r;
  ASSERT_TRUE(again->SpaceFilemarks(25, r).ok());
  EXPECT_EQ(r.not_crossed, 0u);
  EXPECT_EQ(again->GetPosition().object, 250u);
}

TEST_F(DurabilityTest, DurablePointMovesOnItsOwnEveryThresholdOfBytes) {
  CreateAndOpen(path_).reset();
  FileTapeTuning tuning;
  tuning.auto_durable_bytes = 64 << 10;
  auto t = OpenTuned(path_, tuning);
  ASSERT_NE(t, nullptr);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(t->Write(Pattern(10240, i)).ok());
  std::string crash = dir_.File("crash.img");
  CrashCopy(path_, crash);
  OpenedImage im;
  ASSERT_TRUE(OpenImage(crash, false, im).ok());
  // Each record takes 10240 + 32 bytes: the 7th and the 14th cross 64 KiB.
  EXPECT_EQ(im.sb.durable_objects, 14u);
  EXPECT_EQ(im.recovery_note, "recovered 6 objects written after the last durable point");
}

// Every acknowledged record is in the kernel when Write returns: a copy of the
// files right after it (what SIGKILL leaves) holds all of them.
TEST_F(DurabilityTest, EveryAcknowledgedRecordSurvivesTheProcess) {
  auto t = CreateAndOpen(path_);
  for (std::size_t n : {1, 100, 4000, 70000}) ASSERT_TRUE(t->Write(Pattern(n, n)).ok());
  ASSERT_TRUE(t->WriteFilemarks(2, false).ok());
  std::string crash = dir_.File("crash.img");
  CrashCopy(path_, crash);
  auto again = Reopen(crash, true);
  ASSERT_NE(again, nullptr);
  for (std::size_t n : {1, 100, 4000, 70000}) ExpectRecord(*again, Pattern(n, n), "record");
  ExpectKind(*again, ObjectKind::kFilemark, "FM 1");
  ExpectKind(*again, ObjectKind::kFilemark, "FM 2");
  ExpectKind(*again, ObjectKind::kEndOfData, "EOD");
}

// A disk full (here: the file size limit) at filemark i of n leaves exactly i
// marks written, the position after them, and says i in the error.
TEST_F(DurabilityTest, PartialWriteFilemarksLeavesExactlyTheMarksWritten) {
  struct rlimit saved {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limited = saved;
  limited.rlim_cur = kDataStart + 1032 + 32 * 1000 + 7;  // room for 1000 headers and a bit
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  auto t = CreateAndOpen(path_);
  ASSERT_TRUE(t->Write(Pattern(1000, 1)).ok());
  Status s = t->WriteFilemarks(5000, false);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);
  ::signal(SIGXFSZ, old_handler);
  EXPECT_EQ(s.code(), Code::kEndOfMedium) << s.ToString();
  EXPECT_NE(s.message().find("(1000 of 5000 filemarks written)"), std::string::npos) << s.message();
  EXPECT_EQ(t->GetPosition().object, 1001u);
  EXPECT_EQ(t->GetPosition().file, 1000u);
  ASSERT_TRUE(t->Close().ok());
  auto again = Reopen(path_);
  MediumInfo info;
  ASSERT_TRUE(again->Stat(info).ok());
  EXPECT_EQ(info.filemarks, 1000u);
  EXPECT_EQ(info.records, 1u);
}

// Create is atomic: a create that fails half way (here: the file size limit
// stops it) leaves no image, so `missing=create` simply creates it next time.
TEST_F(DurabilityTest, CreateThatDiesHalfWayLeavesNoImage) {
  struct rlimit saved {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limited = saved;
  limited.rlim_cur = 40000;  // inside the superblock area
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  Status s = CreateTape("file:" + path_, {});
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);
  ::signal(SIGXFSZ, old_handler);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(AccessTape("file:" + path_, true).code(), Code::kNotFound)
      << "no half-made image at the path";
  auto t = CreateAndOpen(path_);
  ASSERT_NE(t, nullptr);
  ASSERT_TRUE(t->Write(Pattern(10, 1)).ok());
  EXPECT_NE(::access((path_ + ".creating").c_str(), F_OK), 0) << "no temporary left behind";
}

// A create interrupted after the data file was renamed into place (sidecars
// still the old medium's) opens, read-only too: the new medium is empty.
TEST_F(DurabilityTest, ImageWithAnotherImagesSidecarsOpensWhileEmpty) {
  std::string other = dir_.File("other.img");
  {
    auto t = CreateAndOpen(other);
    ASSERT_TRUE(t->Write(Pattern(10, 1)).ok());
    ASSERT_TRUE(t->WriteFilemarks(1, true).ok());
  }
  CreateAndOpen(path_).reset();
  for (const char* suffix : {".idx", ".fm"}) {
    std::vector<std::uint8_t> bytes = ReadWholeFile(other + suffix);
    WriteWholeFile(path_ + suffix, bytes, bytes.size());
  }
  auto reader = Reopen(path_, true);
  ASSERT_NE(reader, nullptr);
  ExpectKind(*reader, ObjectKind::kEndOfData, "empty");
  reader.reset();
  auto writer = Reopen(path_);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Write(Pattern(5, 2)).ok());
  ASSERT_TRUE(writer->Rewind().ok());
  ExpectRecord(*writer, Pattern(5, 2), "written after the repair");
}

}  // namespace
}  // namespace vtape::testing
