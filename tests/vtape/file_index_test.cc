// Indexed positioning on a large file: tape: a million tiny records with a
// filemark after every hundred, located at random points and checked exactly.
#include <gtest/gtest.h>

#include <random>

#include "tests/vtape/file_test_util.h"

namespace vtape::testing {
namespace {

constexpr std::uint64_t kRecordsPerFile = 100;
constexpr std::uint64_t kFiles = 10000;  // 1e6 records, 1e4 filemarks
constexpr std::uint64_t kObjectsPerFile = kRecordsPerFile + 1;

std::uint8_t ByteOf(std::uint64_t object) {
  return static_cast<std::uint8_t>(object * 31 + 7);
}

TEST(FileIndex, LocateAndSpaceAreExactOnAMillionRecords) {
  ScratchDir dir;
  std::string path = dir.File("big.img");
  {
    auto t = CreateAndOpen(path);
    std::uint8_t byte[1];
    for (std::uint64_t f = 0; f < kFiles; ++f) {
      for (std::uint64_t r = 0; r < kRecordsPerFile; ++r) {
        byte[0] = ByteOf(f * kObjectsPerFile + r);
        ASSERT_TRUE(t->Write(byte).ok());
      }
      ASSERT_TRUE(t->WriteFilemarks(1, false).ok());
    }
    ASSERT_TRUE(t->Close().ok());
  }
  auto t = Reopen(path, true);
  MediumInfo info;
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_EQ(info.records, kFiles * kRecordsPerFile);
  EXPECT_EQ(info.filemarks, kFiles);
  std::mt19937_64 rng(12345);
  std::uint64_t eod = kFiles * kObjectsPerFile;
  for (int i = 0; i < 2000; ++i) {
    std::uint64_t object = rng() % eod;
    SpaceResult r;
    ASSERT_TRUE(t->Locate(0, object, r).ok());
    Position p = t->GetPosition();
    ASSERT_EQ(p.object, object);
    ASSERT_EQ(p.file, object / kObjectsPerFile);
    ASSERT_EQ(p.record_in_file, object % kObjectsPerFile);
    std::uint64_t filemarks = object / kObjectsPerFile;
    ASSERT_EQ(p.bytes_before, object - filemarks + filemarks * kFilemarkBytes)
        << "one byte per record, kFilemarkBytes per filemark";
    std::uint8_t got[4];
    ReadResult rr;
    ASSERT_TRUE(t->Read(got, rr).ok());
    if (object % kObjectsPerFile == kRecordsPerFile) {
      ASSERT_EQ(rr.kind, ObjectKind::kFilemark) << object;
    } else {
      ASSERT_EQ(rr.kind, ObjectKind::kRecord) << object;
      ASSERT_EQ(rr.length, 1u);
      ASSERT_EQ(got[0], ByteOf(object)) << object;
    }
    std::uint64_t file = rng() % (kFiles + 1);
    ASSERT_TRUE(t->LocateFile(0, file, r).ok());
    ASSERT_EQ(t->GetPosition().object, file * kObjectsPerFile);
    std::int64_t k = static_cast<std::int64_t>(rng() % 50) - 25;
    ASSERT_TRUE(t->SpaceFilemarks(k, r).ok());
    std::uint64_t want = 0;
    if (k >= 0 && file + k <= kFiles) want = (file + k) * kObjectsPerFile;
    if (k >= 0 && file + k > kFiles) want = eod;
    if (k < 0 && static_cast<std::int64_t>(file) + k >= 0)
      want = (file + k) * kObjectsPerFile + kRecordsPerFile;
    if (k < 0 && static_cast<std::int64_t>(file) + k < 0) want = 0;
    ASSERT_EQ(t->GetPosition().object, want) << "file " << file << " space " << k;
  }
}

}  // namespace
}  // namespace vtape::testing
