// The file: backend's behaviour through the Tape interface: data, positions,
// persistence across runs, locking, read-only opens, MAM and label.
#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/vtape/file_test_util.h"
#include "vtape/file_format.h"
#include "vtape/file_image.h"

namespace vtape::testing {
namespace {

using file_format::kDataStart;
using file_format::kRecordHeaderBytes;

class FileTapeTest : public ::testing::Test {
 protected:
  ScratchDir dir_;
  std::string path_ = dir_.File("t.img");
};

TEST_F(FileTapeTest, RecordsOfOneByteFourKiBAndSixteenMiBReadBackExactly) {
  auto tape = CreateAndOpen(path_);
  auto one = Pattern(1, 1), page = Pattern(4096, 2), max = Pattern(kMaxRecordBytes, 3);
  ASSERT_TRUE(tape->Write(one).ok());
  ASSERT_TRUE(tape->Write(page).ok());
  ASSERT_TRUE(tape->Write(max).ok());
  ASSERT_TRUE(tape->Rewind().ok());
  ExpectRecord(*tape, one, "1 byte");
  ExpectRecord(*tape, page, "4 KiB");
  ExpectRecord(*tape, max, "16 MiB");
  ExpectKind(*tape, ObjectKind::kEndOfData, "after the last record");
  EXPECT_EQ(tape->GetPosition().object, 3u) << "EOD does not move";
  std::vector<std::uint8_t> too_big(kMaxRecordBytes + 1);
  EXPECT_EQ(tape->Write(too_big).code(), Code::kInvalidArgument);
  EXPECT_EQ(tape->Write({}).code(), Code::kInvalidArgument);
}

TEST_F(FileTapeTest, ShortBufferGetsPrefixAndTrueLengthAndSkipsRecord) {
  auto tape = CreateAndOpen(path_);
  auto big = Pattern(100000, 4), small = Pattern(3000, 5);
  ASSERT_TRUE(tape->Write(big).ok());
  ASSERT_TRUE(tape->Write(small).ok());
  ASSERT_TRUE(tape->Rewind().ok());
  std::vector<std::uint8_t> buffer(10);
  ReadResult r;
  ASSERT_TRUE(tape->Read(buffer, r).ok());
  EXPECT_EQ(r.length, 100000u);
  EXPECT_TRUE(std::equal(buffer.begin(), buffer.end(), big.begin()));
  ASSERT_TRUE(tape->Read(buffer, r).ok());
  EXPECT_EQ(r.length, 3000u);
  EXPECT_TRUE(std::equal(buffer.begin(), buffer.end(), small.begin()));
  EXPECT_EQ(tape->GetPosition().object, 2u);
}

TEST_F(FileTapeTest, FilemarksReadAsFilemarksAndCountInPosition) {
  auto tape = CreateAndOpen(path_);
  ASSERT_TRUE(tape->Write(Pattern(10, 1)).ok());
  ASSERT_TRUE(tape->WriteFilemarks(2, false).ok());
  ASSERT_TRUE(tape->Write(Pattern(20, 2)).ok());
  ASSERT_TRUE(tape->Rewind().ok());
  ExpectRecord(*tape, Pattern(10, 1), "R0");
  ExpectKind(*tape, ObjectKind::kFilemark, "FM1");
  ExpectKind(*tape, ObjectKind::kFilemark, "FM2");
  Position p = tape->GetPosition();
  EXPECT_EQ(p.object, 3u);
  EXPECT_EQ(p.file, 2u);
  EXPECT_EQ(p.record_in_file, 0u);
  EXPECT_EQ(p.bytes_before, 10u + 2 * kFilemarkBytes) << "a filemark costs kFilemarkBytes";
  ExpectRecord(*tape, Pattern(20, 2), "R3");
  ExpectKind(*tape, ObjectKind::kEndOfData, "EOD");
  Statistics s = tape->statistics();
  EXPECT_EQ(s.records_written, 2u);
  EXPECT_EQ(s.bytes_written, 30u);
  EXPECT_EQ(s.filemarks_written, 2u);
  EXPECT_EQ(s.records_read, 2u);
  EXPECT_EQ(s.bytes_read, 30u);
  EXPECT_EQ(s.filemarks_read, 2u);
}

TEST_F(FileTapeTest, WritingInTheMiddleDiscardsEverythingAfter) {
  auto tape = CreateAndOpen(path_);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(tape->Write(Pattern(100 + i, i)).ok());
  ASSERT_TRUE(tape->WriteFilemarks(1, true).ok());
  ASSERT_TRUE(tape->Write(Pattern(70000, 9)).ok());
  SpaceResult r;
  ASSERT_TRUE(tape->Locate(0, 2, r).ok());
  ASSERT_TRUE(tape->Write(Pattern(7, 77)).ok());
  MediumInfo info;
  ASSERT_TRUE(tape->Stat(info).ok());
  EXPECT_EQ(info.records, 3u);
  EXPECT_EQ(info.filemarks, 0u);
  EXPECT_EQ(info.used_bytes, 100u + 101u + 7u);
  ASSERT_TRUE(tape->Close().ok());
  auto again = Reopen(path_);
  ExpectRecord(*again, Pattern(100, 0), "R0");
  ExpectRecord(*again, Pattern(101, 1), "R1");
  ExpectRecord(*again, Pattern(7, 77), "new R2");
  ExpectKind(*again, ObjectKind::kEndOfData, "the old tail is gone after reopen");
  ASSERT_TRUE(again->Locate(0, 1, r).ok());
  ASSERT_TRUE(again->Erase().ok());
  ASSERT_TRUE(again->Stat(info).ok());
  EXPECT_EQ(info.records, 1u);
  ASSERT_TRUE(again->Rewind().ok());
  ExpectRecord(*again, Pattern(100, 0), "R0 survives the erase");
  ExpectKind(*again, ObjectKind::kEndOfData, "erase made EOD");
}

// Layout: R0 R1 FM R3 FM FM R6 | EOD at 7
std::unique_ptr<Tape> Layout(const std::string& path) {
  auto t = CreateAndOpen(path);
  EXPECT_TRUE(t->Write(Pattern(10, 0)).ok());
  EXPECT_TRUE(t->Write(Pattern(20, 1)).ok());
  EXPECT_TRUE(t->WriteFilemarks(1, false).ok());
  EXPECT_TRUE(t->Write(Pattern(30, 3)).ok());
  EXPECT_TRUE(t->WriteFilemarks(2, true).ok());
  EXPECT_TRUE(t->Write(Pattern(40, 6)).ok());
  return t;
}

TEST_F(FileTapeTest, SpaceAndLocateStopExactly) {
  auto t = Layout(path_);
  SpaceResult r;
  ASSERT_TRUE(t->Rewind().ok());
  ASSERT_TRUE(t->SpaceRecords(5, r).ok());
  EXPECT_EQ(r.stop, Stop::kFilemark);
  EXPECT_EQ(r.not_crossed, 3u);
  EXPECT_EQ(t->GetPosition().object, 3u);
  ExpectRecord(*t, Pattern(30, 3), "R3 after spacing over FM");
  ASSERT_TRUE(t->SpaceRecords(-1, r).ok());
  ASSERT_TRUE(t->SpaceRecords(-3, r).ok());
  EXPECT_EQ(r.stop, Stop::kFilemark);
  EXPECT_EQ(r.not_crossed, 3u);
  EXPECT_EQ(t->GetPosition().object, 2u);
  ASSERT_TRUE(t->SpaceFilemarks(2, r).ok());
  EXPECT_EQ(r.stop, Stop::kNone);
  EXPECT_EQ(t->GetPosition().object, 5u);
  ASSERT_TRUE(t->SpaceFilemarks(3, r).ok());
  EXPECT_EQ(r.stop, Stop::kEndOfData);
  EXPECT_EQ(r.not_crossed, 2u);
  EXPECT_EQ(t->GetPosition().object, 7u);
  EXPECT_TRUE(t->GetPosition().at_eod);
  ASSERT_TRUE(t->SpaceFilemarks(-4, r).ok());
  EXPECT_EQ(r.stop, Stop::kBeginningOfPartition);
  EXPECT_EQ(r.not_crossed, 1u);
  EXPECT_EQ(t->GetPosition().object, 0u);
  ASSERT_TRUE(t->LocateFile(0, 3, r).ok());
  EXPECT_EQ(t->GetPosition().object, 6u);
  EXPECT_EQ(t->GetPosition().bytes_before, 60u + 3 * kFilemarkBytes);
  ExpectRecord(*t, Pattern(40, 6), "R6 = first record of file 3");
  ASSERT_TRUE(t->LocateFile(0, 9, r).ok());
  EXPECT_EQ(r.stop, Stop::kEndOfData);
  EXPECT_EQ(r.not_crossed, 6u);
  ASSERT_TRUE(t->Locate(0, 1, r).ok());
  ExpectRecord(*t, Pattern(20, 1), "R1 by locate");
  ASSERT_TRUE(t->Locate(0, 100, r).ok());
  EXPECT_EQ(r.stop, Stop::kEndOfData);
  EXPECT_EQ(r.not_crossed, 93u);
  EXPECT_EQ(t->Locate(1, 0, r).code(), Code::kInvalidArgument);
  ASSERT_TRUE(t->SpaceToEndOfData().ok());
  EXPECT_EQ(t->GetPosition().object, 7u);
  EXPECT_EQ(t->GetPosition().file, 3u);
  EXPECT_EQ(t->GetPosition().record_in_file, 1u);
}

TEST_F(FileTapeTest, ImageWrittenInOneRunReadsBackInTheNext) {
  CreateOptions create;
  create.barcode = "A00001L8";
  create.media_type = "LTO-7";
  create.capacity_bytes = 1 << 30;
  {
    auto t = CreateAndOpen(path_, create);
    for (int i = 0; i < 50; ++i) ASSERT_TRUE(t->Write(Pattern(1 + i * 997, i)).ok());
    ASSERT_TRUE(t->WriteFilemarks(1, false).ok());
    ASSERT_TRUE(t->Write(Pattern(300000, 99)).ok());
    std::vector<std::uint8_t> value{'h', 'i'};
    ASSERT_TRUE(t->attributes()->WriteAttribute(0, 0x0800, value).ok());
    ASSERT_TRUE(t->SetEarlyWarning(12345).ok());
    ASSERT_TRUE(t->Close().ok());
    EXPECT_FALSE(t->Write(Pattern(1, 1)).ok()) << "a closed tape refuses calls";
  }
  auto t = Reopen(path_);
  MediumInfo info;
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_EQ(info.barcode, "A00001L8");
  EXPECT_EQ(info.media_type, "LTO-7");
  EXPECT_EQ(info.capacity_bytes, 1u << 30);
  EXPECT_EQ(info.early_warning_bytes, 12345u);
  EXPECT_EQ(info.format_version, 1u);
  EXPECT_EQ(info.records, 51u);
  EXPECT_EQ(info.filemarks, 1u);
  for (int i = 0; i < 50; ++i)
    ExpectRecord(*t, Pattern(1 + i * 997, i), "record " + std::to_string(i));
  ExpectKind(*t, ObjectKind::kFilemark, "FM");
  ExpectRecord(*t, Pattern(300000, 99), "large record");
  std::vector<std::uint8_t> value;
  ASSERT_TRUE(t->attributes()->ReadAttribute(0, 0x0800, value).ok());
  EXPECT_EQ(value, (std::vector<std::uint8_t>{'h', 'i'}));
  std::vector<std::uint16_t> ids;
  ASSERT_TRUE(t->attributes()->ListAttributes(0, ids).ok());
  EXPECT_EQ(ids, std::vector<std::uint16_t>{0x0800});
  EXPECT_EQ(t->attributes()->ReadAttribute(0, 0x0801, value).code(), Code::kNotFound);
}

TEST_F(FileTapeTest, AttributeStoreDeletesAndRefusesOverflow) {
  auto t = CreateAndOpen(path_);
  std::vector<std::uint8_t> big(20000, 1);
  ASSERT_TRUE(t->attributes()->WriteAttribute(0, 1, big).ok());
  Status s = t->attributes()->WriteAttribute(0, 2, big);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("full"), std::string::npos) << s.message();
  ASSERT_TRUE(t->attributes()->WriteAttribute(0, 1, {}).ok());
  ASSERT_TRUE(t->attributes()->WriteAttribute(0, 2, big).ok());
  ASSERT_TRUE(t->Close().ok());
  auto again = Reopen(path_);
  std::vector<std::uint16_t> ids;
  ASSERT_TRUE(again->attributes()->ListAttributes(0, ids).ok());
  EXPECT_EQ(ids, std::vector<std::uint16_t>{2});
}

TEST_F(FileTapeTest, SecondWriterIsBusyEvenInTheSameProcess) {
  auto first = CreateAndOpen(path_);
  std::unique_ptr<Tape> second;
  Status s = OpenTape("file:" + path_, {}, second);
  EXPECT_EQ(s.code(), Code::kBusy);
  EXPECT_NE(s.message().find(path_), std::string::npos) << "names the image: " << s.message();
  EXPECT_EQ(AccessTape("file:" + path_, true).code(), Code::kBusy);
  EXPECT_EQ(AccessTape("file:" + path_, false).code(), Code::kBusy);
  CreateOptions replace;
  replace.overwrite = true;
  EXPECT_EQ(CreateTape("file:" + path_, replace).code(), Code::kBusy)
      << "a medium in use is never replaced";
  std::unique_ptr<Tape> reader;
  s = OpenTape("file:" + path_, OpenOptions{true}, reader);
  EXPECT_EQ(s.code(), Code::kBusy) << "a reader would see a tape changing under it";
  EXPECT_NE(s.message().find("open for writing"), std::string::npos) << s.message();
  ASSERT_TRUE(first->Close().ok());
  ASSERT_TRUE(OpenTape("file:" + path_, {}, second).ok()) << "Close releases the lock";
}

TEST_F(FileTapeTest, ReadersShareTheImageAndKeepWritersOut) {
  CreateAndOpen(path_).reset();
  std::unique_ptr<Tape> reader1, reader2, writer;
  ASSERT_TRUE(OpenTape("file:" + path_, OpenOptions{true}, reader1).ok());
  ASSERT_TRUE(OpenTape("file:" + path_, OpenOptions{true}, reader2).ok()) << "readers share";
  EXPECT_TRUE(AccessTape("file:" + path_, false).ok());
  Status s = OpenTape("file:" + path_, {}, writer);
  EXPECT_EQ(s.code(), Code::kBusy);
  EXPECT_NE(s.message().find("open read-only"), std::string::npos) << s.message();
  EXPECT_EQ(AccessTape("file:" + path_, true).code(), Code::kBusy);
  CreateOptions replace;
  replace.overwrite = true;
  EXPECT_EQ(CreateTape("file:" + path_, replace).code(), Code::kBusy)
      << "a medium being read is never replaced";
  ASSERT_TRUE(reader1->Close().ok());
  EXPECT_EQ(OpenTape("file:" + path_, {}, writer).code(), Code::kBusy) << "one reader is left";
  ASSERT_TRUE(reader2->Close().ok());
  ASSERT_TRUE(OpenTape("file:" + path_, {}, writer).ok());
}

TEST_F(FileTapeTest, ReadOnlyOpenRefusesEveryWrite) {
  {
    auto t = CreateAndOpen(path_);
    ASSERT_TRUE(t->Write(Pattern(5, 5)).ok());
  }
  auto t = Reopen(path_, true);
  EXPECT_EQ(t->Write(Pattern(5, 5)).code(), Code::kWriteProtected);
  EXPECT_EQ(t->WriteFilemarks(1, true).code(), Code::kWriteProtected);
  EXPECT_EQ(t->Erase().code(), Code::kWriteProtected);
  EXPECT_EQ(t->SetWriteProtect(false).code(), Code::kWriteProtected);
  EXPECT_EQ(t->attributes()->WriteAttribute(0, 1, Pattern(2, 2)).code(), Code::kWriteProtected);
  ExpectRecord(*t, Pattern(5, 5), "reads work");
  EXPECT_TRUE(t->Sync().ok());
}

TEST_F(FileTapeTest, WriteProtectFlagPersistsAndCanBeCleared) {
  {
    auto t = CreateAndOpen(path_);
    ASSERT_TRUE(t->SetWriteProtect(true).ok());
    EXPECT_EQ(t->Write(Pattern(5, 5)).code(), Code::kWriteProtected);
  }
  EXPECT_EQ(AccessTape("file:" + path_, true).code(), Code::kWriteProtected);
  auto t = Reopen(path_);
  MediumInfo info;
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_TRUE(info.write_protected);
  EXPECT_EQ(t->Write(Pattern(5, 5)).code(), Code::kWriteProtected);
  ASSERT_TRUE(t->SetWriteProtect(false).ok());
  EXPECT_TRUE(t->Write(Pattern(5, 5)).ok());
}

TEST_F(FileTapeTest, MissingImageIsNotFoundWithAHint) {
  std::unique_ptr<Tape> t;
  Status s = OpenTape("file:" + dir_.File("nope.img"), {}, t);
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_NE(s.message().find("vtape create"), std::string::npos) << s.message();
  EXPECT_EQ(AccessTape("file:" + dir_.File("nope.img"), false).code(), Code::kNotFound);
  EXPECT_EQ(OpenTape("file:", {}, t).code(), Code::kInvalidArgument);
}

TEST_F(FileTapeTest, CreateRefusesToOverwriteUnlessAsked) {
  {
    auto t = CreateAndOpen(path_);
    ASSERT_TRUE(t->Write(Pattern(9, 9)).ok());
  }
  Status s = CreateTape("file:" + path_, {});
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("already exists"), std::string::npos) << s.message();
  CreateOptions replace;
  replace.overwrite = true;
  replace.barcode = "NEW001L8";
  ASSERT_TRUE(CreateTape("file:" + path_, replace).ok());
  auto t = Reopen(path_);
  MediumInfo info;
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_EQ(info.barcode, "NEW001L8");
  EXPECT_EQ(info.records, 0u);
  CreateOptions bad;
  bad.media_type = "DDS-4";
  EXPECT_EQ(CreateTape("file:" + dir_.File("b.img"), bad).code(), Code::kInvalidArgument);
  bad = {};
  bad.barcode = std::string(33, 'A');
  EXPECT_EQ(CreateTape("file:" + dir_.File("b.img"), bad).code(), Code::kInvalidArgument);
}

TEST_F(FileTapeTest, NotAnImageIsCorruptWithReason) {
  WriteWholeFile(path_, Pattern(100000, 1), 100000);
  std::unique_ptr<Tape> t;
  Status s = OpenTape("file:" + path_, {}, t);
  EXPECT_EQ(s.code(), Code::kCorruptImage);
  EXPECT_NE(s.message().find("no valid superblock"), std::string::npos) << s.message();
  WriteWholeFile(path_, {}, 0);
  EXPECT_EQ(OpenTape("file:" + path_, {}, t).code(), Code::kCorruptImage);
}

TEST_F(FileTapeTest, FormatIntoOnePartitionErasesAndKeepsVersion1) {
  auto t = CreateAndOpen(path_);
  ASSERT_TRUE(t->Write(Pattern(100, 1)).ok());
  std::uint64_t one[] = {150};
  ASSERT_TRUE(t->partitions()->FormatPartitions(one).ok());
  MediumInfo info;
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_EQ(info.records, 0u);
  EXPECT_EQ(info.format_version, 1u) << "one partition needs no version 2";
  EXPECT_EQ(t->GetPosition().object, 0u);
  ASSERT_TRUE(t->Write(Pattern(100, 2)).ok());
  EXPECT_EQ(t->Write(Pattern(51, 3)).code(), Code::kEndOfMedium) << "the partition holds 150 bytes";
}

// Record tags (FORMAT.md, "Record tags"): an image stays version 1 while its
// records are untagged; the first tagged record makes it version 3 (durably,
// before the record), its header byte 5 holds the tag, and it reads back
// tagged after a reopen.
TEST_F(FileTapeTest, FirstTaggedRecordMakesVersion3AndHeaderByte5HoldsTheTag) {
  auto t = CreateAndOpen(path_);
  ASSERT_TRUE(t->Write(Pattern(100, 1)).ok());
  MediumInfo info;
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_EQ(info.format_version, 1u) << "untagged records keep version 1";
  const std::vector<std::uint8_t> stored = Pattern(40, 2);
  const ConstPiece one[1] = {ConstPiece(stored)};
  ASSERT_TRUE(t->WriteTagged(one, kTagEncrypted | kTagLz4).ok());
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_EQ(info.format_version, 3u);
  ASSERT_TRUE(t->Close().ok());

  const std::vector<std::uint8_t> image = ReadWholeFile(path_);
  const std::size_t second = kDataStart + kRecordHeaderBytes + 100;
  ASSERT_GE(image.size(), second + kRecordHeaderBytes + 40);
  EXPECT_EQ(image[kDataStart + 5], 0x00) << "the untagged record's byte 5";
  EXPECT_EQ(image[second + 4], 0x01) << "kind: record";
  EXPECT_EQ(image[second + 5], 0x81) << "the tag";
  EXPECT_EQ(std::vector<std::uint8_t>(image.begin() + second + 20, image.begin() + second + 24),
            (std::vector<std::uint8_t>{40, 0, 0, 0}))
      << "the stored length";
  file_format::Superblock sb;
  ASSERT_TRUE(ReadImageSuperblock(path_, sb).ok());
  EXPECT_EQ(sb.format_version, 3u) << "durable before the record";

  t = Reopen(path_, true);
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_EQ(info.format_version, 3u);
  ExpectRecord(*t, Pattern(100, 1), "untagged");
  std::vector<std::uint8_t> buffer(64, 0);
  ReadResult r;
  ASSERT_TRUE(t->Read(buffer, r).ok());
  EXPECT_EQ(r.tag, 0x81);
  EXPECT_EQ(r.length, 40u);
  buffer.resize(40);
  EXPECT_EQ(buffer, stored);
}

// Version 3 is the newest this build reads: a version-4 image is refused
// (kUnsupported), as older builds refuse version 3.
TEST_F(FileTapeTest, Version4IsRefused) {
  auto t = CreateAndOpen(path_);
  ASSERT_TRUE(t->Close().ok());
  file_format::Superblock sb;
  ASSERT_TRUE(ReadImageSuperblock(path_, sb).ok());
  sb.format_version = 4;
  std::vector<std::uint8_t> slot = file_format::EncodeSuperblock(sb);
  std::vector<std::uint8_t> image = ReadWholeFile(path_);
  for (std::size_t at : {std::size_t{0}, std::size_t{file_format::kSlotBytes}}) {
    std::copy(slot.begin(), slot.end(), image.begin() + static_cast<long>(at));
  }
  WriteWholeFile(path_, image, image.size());
  std::unique_ptr<Tape> opened;
  Status s = OpenTape("file:" + path_, {}, opened);
  EXPECT_EQ(s.code(), Code::kUnsupported) << s.ToString();
  EXPECT_NE(s.message().find("versions 1 to 3"), std::string::npos) << s.ToString();
}

TEST_F(FileTapeTest, UnloadedTapeRefusesDataCalls) {
  auto t = CreateAndOpen(path_);
  ASSERT_TRUE(t->Write(Pattern(5, 5)).ok());
  ASSERT_TRUE(t->Unload().ok());
  EXPECT_FALSE(t->loaded());
  ReadResult r;
  std::vector<std::uint8_t> buffer(8);
  EXPECT_EQ(t->Read(buffer, r).code(), Code::kNotLoaded);
  EXPECT_EQ(t->Write(Pattern(5, 5)).code(), Code::kNotLoaded);
  MediumInfo info;
  EXPECT_TRUE(t->Stat(info).ok());
  ASSERT_TRUE(t->Load().ok());
  ExpectRecord(*t, Pattern(5, 5), "after Load at BOP");
}

}  // namespace
}  // namespace vtape::testing
