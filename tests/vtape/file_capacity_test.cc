// Capacity of the file: backend: early warning, hard end, and a full host disk
// (a tiny tmpfs when the test may mount one, RLIMIT_FSIZE otherwise).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "tests/vtape/file_test_util.h"
#include "vtape/file_image.h"
#include "vtape/media.h"

namespace vtape::testing {
namespace {

class CapacityTest : public ::testing::Test {
 protected:
  ScratchDir dir_;
  std::string path_ = dir_.File("c.img");
};

TEST_F(CapacityTest, EarlyWarningThenHardEndStoresNothing) {
  CreateOptions create;
  create.capacity_bytes = 10000;
  create.early_warning_bytes = 3000;
  auto t = CreateAndOpen(path_, create);
  for (int i = 0; i < 7; ++i) {
    EXPECT_FALSE(t->GetPosition().beyond_early_warning) << "at " << i * 1000 << " bytes";
    ASSERT_TRUE(t->Write(Pattern(1000, i)).ok());
  }
  EXPECT_TRUE(t->GetPosition().beyond_early_warning) << "7000 of 10000 bytes with EW at 3000";
  ASSERT_TRUE(t->Write(Pattern(2999, 7)).ok()) << "the early-warning zone still takes writes";
  Status s = t->Write(Pattern(2, 8));
  EXPECT_EQ(s.code(), Code::kEndOfMedium);
  EXPECT_NE(s.message().find("hard end"), std::string::npos) << s.message();
  ASSERT_TRUE(t->Write(Pattern(1, 9)).ok()) << "exactly up to the hard end fits";
  EXPECT_EQ(t->Write(Pattern(1, 10)).code(), Code::kEndOfMedium);
  s = t->WriteFilemarks(1, true);
  EXPECT_EQ(s.code(), Code::kEndOfMedium) << "a filemark costs capacity too";
  EXPECT_NE(s.message().find("(0 of 1 filemarks written)"), std::string::npos) << s.message();
  EXPECT_EQ(t->statistics().write_errors, 3u);
  ASSERT_TRUE(t->SetEarlyWarning(500).ok());
  ASSERT_TRUE(t->Close().ok());

  auto again = Reopen(path_);
  MediumInfo info;
  ASSERT_TRUE(again->Stat(info).ok());
  EXPECT_EQ(info.records, 9u) << "failed writes stored nothing";
  EXPECT_EQ(info.used_bytes, 10000u);
  EXPECT_EQ(info.early_warning_bytes, 500u);
  SpaceResult r;
  ASSERT_TRUE(again->Locate(0, 8, r).ok());  // objects: 7 x 1000, 2999, 1
  EXPECT_EQ(again->GetPosition().bytes_before, 9999u);
  EXPECT_TRUE(again->GetPosition().beyond_early_warning);
  ASSERT_TRUE(again->Locate(0, 7, r).ok());
  EXPECT_EQ(again->GetPosition().bytes_before, 7000u);
  EXPECT_FALSE(again->GetPosition().beyond_early_warning) << "the moved EW point persisted";
  ExpectRecord(*again, Pattern(2999, 7), "record in the EW zone");
}

// WRITE FILEMARKS FFFFFFh: every filemark costs kFilemarkBytes, so the flood
// stops at the hard end with exactly the marks that fit written, the position
// after them, and kEndOfMedium saying how many were written.
TEST_F(CapacityTest, FilemarkFloodStopsAtTheHardEndWithExactlyWhatFits) {
  CreateOptions create;
  create.capacity_bytes = 100 * kFilemarkBytes + 50;
  create.early_warning_bytes = 10 * kFilemarkBytes;
  auto t = CreateAndOpen(path_, create);
  ASSERT_TRUE(t->Write(Pattern(100, 1)).ok());
  ASSERT_TRUE(t->WriteFilemarks(3, false).ok());
  EXPECT_EQ(t->GetPosition().bytes_before, 100 + 3 * kFilemarkBytes);
  Status s = t->WriteFilemarks(0xFFFFFF, true);
  ASSERT_EQ(s.code(), Code::kEndOfMedium) << s.ToString();
  EXPECT_NE(s.message().find("(96 of 16777215 filemarks written)"), std::string::npos)
      << s.message();
  Position p = t->GetPosition();
  EXPECT_EQ(p.object, 100u) << "1 record + 3 + 96 filemarks";
  EXPECT_EQ(p.file, 99u);
  EXPECT_EQ(p.bytes_before, 100 + 99 * kFilemarkBytes);
  EXPECT_TRUE(p.beyond_early_warning);
  EXPECT_EQ(t->WriteFilemarks(1, false).code(), Code::kEndOfMedium);
  ASSERT_TRUE(t->Write(Pattern(50, 2)).ok()) << "the last bytes still take a record";
  ASSERT_TRUE(t->Close().ok());
  auto again = Reopen(path_);
  MediumInfo info;
  ASSERT_TRUE(again->Stat(info).ok());
  EXPECT_EQ(info.filemarks, 99u) << "the written marks were made durable (sync=true)";
  EXPECT_EQ(info.records, 2u);
  EXPECT_EQ(info.used_bytes, 150 + 99 * kFilemarkBytes);
  SpaceResult r;
  ASSERT_TRUE(again->SpaceFilemarks(99, r).ok());
  EXPECT_EQ(r.stop, Stop::kNone);
  ExpectRecord(*again, Pattern(50, 2), "the record after the flood");
}

TEST_F(CapacityTest, DiskSpaceReservedAheadStopsAtTheMediumsCapacity) {
  CreateOptions create;
  create.capacity_bytes = 100000;
  create.early_warning_bytes = 1000;
  auto t = CreateAndOpen(path_, create);
  ASSERT_TRUE(t->Write(Pattern(1000, 0)).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  // 16 MiB ahead is the default chunk; a 100 kB cartridge reserves its capacity.
  EXPECT_LT(static_cast<std::uint64_t>(st.st_blocks) * 512, 1u << 20)
      << "allocated " << st.st_blocks * 512 << " bytes for a 100000-byte medium";
  for (int i = 1; i < 99; ++i) ASSERT_TRUE(t->Write(Pattern(1000, i)).ok()) << "record " << i;
  ASSERT_TRUE(t->Write(Pattern(1000, 99)).ok()) << "the last record that fits";
  EXPECT_EQ(t->Write(Pattern(1, 100)).code(), Code::kEndOfMedium);
  ASSERT_TRUE(t->Close().ok());
  auto again = Reopen(path_);
  ExpectRecord(*again, Pattern(1000, 0), "record 0 after the capped reserve");
}

// Bytes the file system has allocated for `path` (fallocate's reserve included).
std::uint64_t AllocatedBytes(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return static_cast<std::uint64_t>(st.st_blocks) * 512;
}

TEST_F(CapacityTest, IndexAndFilemarkListReserveInProportionToWhatTheyHold) {
  CreateOptions create;
  create.capacity_bytes = 1u << 30;
  create.early_warning_bytes = 1u << 20;
  auto t = CreateAndOpen(path_, create);
  ASSERT_TRUE(t->Write(Pattern(100, 0)).ok());
  ASSERT_TRUE(t->WriteFilemarks(1, false).ok());
  // The full chunks (1 MiB of index, 64 KiB of filemark list) wait until the
  // files hold that much: one object reserves a page or two.
  EXPECT_LE(AllocatedBytes(IndexPathOf(path_)), 8192u);
  EXPECT_LE(AllocatedBytes(FilemarkPathOf(path_)), 8192u);
  for (int i = 1; i < 3000; ++i) ASSERT_TRUE(t->Write(Pattern(10, i)).ok()) << "record " << i;
  // 3001 index entries of 16 bytes: reserved at most twice that, plus a page.
  EXPECT_LE(AllocatedBytes(IndexPathOf(path_)), 2 * (64 + 3001 * 16) + 8192u);
  ASSERT_TRUE(t->Close().ok());
  auto again = Reopen(path_);
  ExpectRecord(*again, Pattern(100, 0), "record 0");
  ExpectKind(*again, ObjectKind::kFilemark, "the filemark");
  for (int i = 1; i < 3000; ++i) ExpectRecord(*again, Pattern(10, i), "record after the mark");
  ExpectKind(*again, ObjectKind::kEndOfData, "end of data");
}

TEST_F(CapacityTest, DefaultsComeFromTheMediaType) {
  CreateOptions create;
  create.media_type = "LTO-6";
  auto t = CreateAndOpen(path_, create);
  MediumInfo info;
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_EQ(info.capacity_bytes, FindMediaType("LTO-6")->native_bytes);
  EXPECT_EQ(info.early_warning_bytes, kDefaultEarlyWarningBytes);
}

// Writes `record_bytes` records until the host refuses; checks the refusal is
// kEndOfMedium and everything accepted before stays readable, now and after reopen.
void FillUntilTheHostIsFull(const std::string& path, std::size_t record_bytes) {
  auto t = CreateAndOpen(path);
  ASSERT_TRUE(t);
  std::uint64_t written = 0;
  Status s;
  for (; written < 100000; ++written) {
    s = t->Write(Pattern(record_bytes, written));
    if (!s.ok()) break;
  }
  ASSERT_EQ(s.code(), Code::kEndOfMedium) << s.ToString();
  ASSERT_GT(written, 3u);
  MediumInfo info;
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_EQ(info.records, written);
  EXPECT_EQ(t->Write(Pattern(record_bytes, 0)).code(), Code::kEndOfMedium) << "still full";
  ASSERT_TRUE(t->Rewind().ok());
  for (std::uint64_t i = 0; i < written; ++i) {
    ExpectRecord(*t, Pattern(record_bytes, i), "record " + std::to_string(i));
  }
  ExpectKind(*t, ObjectKind::kEndOfData, "nothing of the refused record");
  Status closed = t->Close();
  EXPECT_TRUE(closed.ok()) << closed.ToString();
  auto again = Reopen(path);
  ASSERT_TRUE(again);
  ASSERT_TRUE(again->Stat(info).ok());
  EXPECT_EQ(info.records, written);
  ASSERT_TRUE(again->Locate(0, written - 1, *std::make_unique<SpaceResult>()).ok());
  ExpectRecord(*again, Pattern(record_bytes, written - 1), "last record after reopen");
}

class TinyTmpfs {
 public:
  explicit TinyTmpfs(const std::string& dir) : dir_(dir) {
    std::filesystem::create_directory(dir_);
    mounted_ = ::geteuid() == 0 && ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, "size=2m") == 0;
  }
  ~TinyTmpfs() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }

 private:
  std::string dir_;
  bool mounted_ = false;
};

TEST_F(CapacityTest, FullTmpfsIsEndOfMediumForLargeRecords) {
  TinyTmpfs fs(dir_.File("mnt"));
  if (!fs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (not root or no CAP_SYS_ADMIN)";
  FillUntilTheHostIsFull(dir_.File("mnt/full.img"), 100000);
}

TEST_F(CapacityTest, FullTmpfsIsEndOfMediumForBufferedSmallRecords) {
  TinyTmpfs fs(dir_.File("mnt"));
  if (!fs.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (not root or no CAP_SYS_ADMIN)";
  FillUntilTheHostIsFull(dir_.File("mnt/full.img"), 3000);
}

TEST_F(CapacityTest, FileSizeLimitIsEndOfMedium) {
  struct rlimit saved {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limited = saved;
  limited.rlim_cur = 1u << 20;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  FillUntilTheHostIsFull(path_, 5000);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);
  ::signal(SIGXFSZ, old_handler);
}

}  // namespace
}  // namespace vtape::testing
