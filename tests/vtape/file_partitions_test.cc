// file: media with partitions (FORMAT.md, "Partitions"): a version-1 image as
// an older vtape wrote it opens, formats into version 2 and upgrades; the
// partition images are bound to their medium; and a format is atomic at every
// point a crash can stop it.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "tests/vtape/file_test_util.h"
#include "vtape/crc32c.h"
#include "vtape/file_format.h"
#include "vtape/file_image.h"
#include "vtape/file_tape.h"
#include "vtape/little_endian.h"

namespace vtape::testing {
namespace {

namespace fs = std::filesystem;
using file_format::Superblock;

// A version-1 image written byte by byte from the version-1 table of
// FORMAT.md (not by this build's encoder): one record "hello", no sidecars,
// label V1TAPE, LTO-8, 1'000'000 bytes, early warning 100'000.
void WriteVersion1Image(const std::string& path) {
  std::vector<std::uint8_t> image(65536 + 32 + 5, 0);
  std::uint8_t* sb = image.data();
  std::uint8_t id[16];
  for (int i = 0; i < 16; ++i) id[i] = static_cast<std::uint8_t>(0x11 * (i + 1));
  std::memcpy(sb, "VTAPEIMG", 8);
  Put32(sb + 8, 1);     // format version
  Put32(sb + 12, 168);  // used_len: 164 fixed bytes + CRC
  Put64(sb + 16, 1);    // sequence
  std::memcpy(sb + 24, id, 16);
  Put32(sb + 40, 0);               // epoch
  Put32(sb + 44, 0);               // flags
  Put64(sb + 48, 1);               // durable objects
  Put64(sb + 56, 65536 + 32 + 5);  // durable data end
  Put64(sb + 64, 0);               // durable filemarks
  Put32(sb + 72, 0);               // CRC of no filemark entries
  Put32(sb + 76, 1);               // partitions
  Put64(sb + 80, 1'000'000);
  Put64(sb + 88, 100'000);
  Put64(sb + 96, 1'000'000);
  std::memcpy(sb + 104, "LTO-8", 5);
  sb[120] = 6;
  std::memcpy(sb + 121, "V1TAPE", 6);
  Put32(sb + 160, 0);  // attribute count
  Put32(sb + 164, Crc32c(std::span<const std::uint8_t>(sb, 164)));
  std::uint8_t* rec = image.data() + 65536;
  const std::uint8_t hello[] = {'h', 'e', 'l', 'l', 'o'};
  Put32(rec, 0x43455256);  // "VREC"
  rec[4] = 1;              // a record
  Put64(rec + 8, 0);       // object 0
  Put32(rec + 16, 0);      // epoch
  Put32(rec + 20, 5);
  Put32(rec + 24, Crc32c(hello));
  Put32(rec + 28, Crc32c(std::span<const std::uint8_t>(rec, 28), Crc32c(id)));
  std::memcpy(rec + 32, hello, 5);
  WriteWholeFile(path, image, image.size());
}

Superblock SuperblockOf(const std::string& path) {
  Superblock sb;
  Status s = ReadImageSuperblock(path, sb);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return sb;
}

const std::vector<std::uint8_t> kHello = {'h', 'e', 'l', 'l', 'o'};

TEST(FilePartitions, Version1ImageOpensAsOnePartitionAndFormatsIntoVersion2) {
  ScratchDir dir;
  std::string path = dir.File("v1.img");
  WriteVersion1Image(path);
  {
    auto t = Reopen(path);  // writable: rebuilds the missing sidecars
    ASSERT_NE(t, nullptr);
    MediumInfo info;
    ASSERT_TRUE(t->Stat(info).ok());
    EXPECT_EQ(info.format_version, 1u);
    EXPECT_EQ(info.partitions, 1u);
    EXPECT_EQ(info.records, 1u);
    EXPECT_EQ(info.barcode, "V1TAPE");
    ExpectRecord(*t, kHello, "the version-1 record");
    ASSERT_NE(t->partitions(), nullptr);
    EXPECT_EQ(t->partitions()->MaxPartitions(), 4u);
    const std::uint8_t abc[] = {'a', 'b', 'c'};
    ASSERT_TRUE(t->attributes()->WriteAttribute(0, 0x0800, abc).ok());
    ASSERT_TRUE(t->Write(Pattern(10, 1)).ok());
    ASSERT_TRUE(t->Close().ok());
  }
  EXPECT_EQ(SuperblockOf(path).format_version, 1u) << "writing keeps version 1";
  {
    auto t = Reopen(path);
    ASSERT_NE(t, nullptr);
    const std::uint64_t sizes[] = {200'000, 0};
    ASSERT_TRUE(t->partitions()->FormatPartitions(sizes).ok());
    MediumInfo info;
    ASSERT_TRUE(t->Stat(info).ok());
    EXPECT_EQ(info.format_version, 2u);
    EXPECT_EQ(info.partitions, 2u);
    EXPECT_EQ(info.records, 0u);
    ASSERT_TRUE(t->Close().ok());
  }
  Superblock sb = SuperblockOf(path), p1 = SuperblockOf(PartitionPathOf(path, 1));
  EXPECT_EQ(sb.format_version, 2u);
  EXPECT_EQ(sb.partitions, 2u);
  EXPECT_EQ(sb.partition_bytes, 200'000u);
  EXPECT_EQ(sb.partition_ids[0], p1.image_id) << "PATH names its partition 1";
  EXPECT_EQ(p1.partition_index, 1u);
  EXPECT_EQ(p1.partition_bytes, 800'000u);
  auto t = Reopen(path, true);
  ASSERT_NE(t, nullptr);
  std::vector<std::uint8_t> value;
  ASSERT_TRUE(t->attributes()->ReadAttribute(0, 0x0800, value).ok());
  EXPECT_EQ(value, (std::vector<std::uint8_t>{'a', 'b', 'c'})) << "partition 0 keeps its MAM";
}

TEST(FilePartitions, UpgradeRewritesOnlyTheSuperblock) {
  ScratchDir dir;
  std::string path = dir.File("v1.img");
  WriteVersion1Image(path);
  ASSERT_TRUE(UpgradeImage(path).ok());
  Superblock sb = SuperblockOf(path);
  EXPECT_EQ(sb.format_version, 2u);
  EXPECT_EQ(sb.partitions, 1u);
  EXPECT_EQ(sb.durable_objects, 1u);
  EXPECT_EQ(sb.barcode, "V1TAPE");
  ASSERT_TRUE(UpgradeImage(path).ok()) << "upgrading version 2 does nothing";
  EXPECT_EQ(SuperblockOf(path).sequence, sb.sequence);
  auto t = Reopen(path, true);
  ASSERT_NE(t, nullptr);
  ExpectRecord(*t, kHello, "the record after the upgrade");
  MediumInfo info;
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_EQ(info.format_version, 2u);
}

TEST(FilePartitions, PartitionImagesBelongToTheirMedium) {
  ScratchDir dir;
  std::string path = dir.File("t.img");
  {
    auto t = CreateAndOpen(path);
    const std::uint64_t sizes[] = {1 << 20, 0};
    ASSERT_TRUE(t->partitions()->FormatPartitions(sizes).ok());
    ASSERT_TRUE(t->Close().ok());
  }
  std::unique_ptr<Tape> t;
  Status s = OpenTape("file:" + PartitionPathOf(path, 1), {}, t);
  EXPECT_EQ(s.code(), Code::kInvalidArgument) << "a partition image is no medium of its own";
  // Another medium's partition image in its place is not this medium's.
  std::string other = dir.File("o.img");
  {
    auto o = CreateAndOpen(other);
    const std::uint64_t sizes[] = {1 << 20, 0};
    ASSERT_TRUE(o->partitions()->FormatPartitions(sizes).ok());
    ASSERT_TRUE(o->Close().ok());
  }
  fs::rename(PartitionPathOf(other, 1), PartitionPathOf(path, 1));
  s = OpenTape("file:" + path, {}, t);
  EXPECT_EQ(s.code(), Code::kCorruptImage);
  EXPECT_NE(s.message().find("partition 1"), std::string::npos) << s.message();
}

// Copies every file of the medium at `path` into `to` (what a SIGKILL at this
// moment leaves: everything was handed to the kernel).
void SnapshotMedium(const std::string& dir, const std::string& to) {
  fs::create_directory(to);
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file()) fs::copy_file(e.path(), fs::path(to) / e.path().filename());
  }
}

bool Exists(const std::string& path) {
  return fs::exists(path);
}

// A medium of 2 partitions with data in both is formatted into 3; a copy of
// its files is taken between the steps. Each copy opens as the old medium
// with all its data, or as the new empty one; never a mix.
TEST(FilePartitions, FormatIsAtomicAtEveryStep) {
  ScratchDir dir, crashes;
  std::string path = dir.File("t.img");
  {
    auto t = CreateAndOpen(path);
    const std::uint64_t sizes[] = {1 << 20, 0};
    ASSERT_TRUE(t->partitions()->FormatPartitions(sizes).ok());
    ASSERT_TRUE(t->Write(Pattern(100, 1)).ok());
    SpaceResult r;
    ASSERT_TRUE(t->Locate(1, 0, r).ok());
    ASSERT_TRUE(t->Write(Pattern(200, 2)).ok());
    ASSERT_TRUE(t->WriteFilemarks(1, true).ok());
    ASSERT_TRUE(t->Close().ok());
  }
  std::vector<std::string> steps;
  {
    OpenedImage im;
    ASSERT_TRUE(OpenImage(path, true, im).ok());
    FileTapeTuning tuning;
    tuning.format_step = [&](std::string_view step) {
      steps.emplace_back(step);
      SnapshotMedium(dir.path(), crashes.File(std::string(step)));
    };
    auto t = NewFileTape(std::move(im), tuning);
    ASSERT_NE(t, nullptr);
    const std::uint64_t sizes[] = {1 << 20, 2 << 20, 0};
    ASSERT_TRUE(t->partitions()->FormatPartitions(sizes).ok());
    ASSERT_TRUE(t->Close().ok());
  }
  ASSERT_EQ(steps, (std::vector<std::string>{"built", "closed", "committed", "renamed"}));
  for (const std::string& step : steps) {
    SCOPED_TRACE("crash after " + step);
    std::string copy = crashes.File(step) + "/t.img";
    const bool committed = step == "committed" || step == "renamed";
    for (bool read_only : {true, false}) {
      SCOPED_TRACE(read_only ? "read-only open" : "writable open");
      auto t = Reopen(copy, read_only);
      ASSERT_NE(t, nullptr);
      MediumInfo info;
      ASSERT_TRUE(t->Stat(info).ok());
      SpaceResult r;
      if (committed) {
        EXPECT_EQ(info.partitions, 3u);
        EXPECT_EQ(info.records + info.filemarks, 0u) << "the new layout is empty";
        PartitionInfo p2;
        ASSERT_TRUE(t->partitions()->GetPartitionInfo(2, p2).ok());
        EXPECT_EQ(p2.eod_object, 0u);
      } else {
        EXPECT_EQ(info.partitions, 2u);
        ExpectRecord(*t, Pattern(100, 1), "old partition 0");
        ASSERT_TRUE(t->Locate(1, 0, r).ok());
        ExpectRecord(*t, Pattern(200, 2), "old partition 1");
        ExpectKind(*t, ObjectKind::kFilemark, "old partition 1's filemark");
      }
      ASSERT_TRUE(t->Close().ok());
    }
    // The writable open finished or undid the format's files.
    EXPECT_FALSE(Exists(NextPathOf(PartitionPathOf(copy, 1))));
    EXPECT_FALSE(Exists(NextPathOf(PartitionPathOf(copy, 2))));
    EXPECT_FALSE(Exists(IndexPathOf(NextPathOf(PartitionPathOf(copy, 1)))));
    EXPECT_EQ(Exists(PartitionPathOf(copy, 2)), committed);
    EXPECT_TRUE(Exists(PartitionPathOf(copy, 1)));
  }
}

}  // namespace
}  // namespace vtape::testing
