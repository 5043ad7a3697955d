// Crash safety of the file: backend. A "crash" is a snapshot of the image files
// taken while the tape is open (everything flushed to the files, nothing
// closed), then cut or damaged and reopened. Recovery must always open, keep
// everything before the last durable point, keep later records intact or cut
// them at a record boundary, and never hand out wrong data.
#include <gtest/gtest.h>

#include "tests/vtape/file_test_util.h"
#include "vtape/file_format.h"
#include "vtape/file_image.h"

namespace vtape::testing {
namespace {

using file_format::kDataStart;
using file_format::kRecordHeaderBytes;
using file_format::kSlotBytes;

struct Object {
  bool filemark = false;
  std::vector<std::uint8_t> data;
};

struct Files {
  std::vector<std::uint8_t> data, index, filemarks;
};

class RecoveryTest : public ::testing::Test {
 protected:
  // Durable: R0 R1 R2 R3 FM4 (synced). Tail: R5 R6 R7 FM8 R9, flushed but not synced.
  void SetUp() override {
    auto t = CreateAndOpen(source_);
    for (std::size_t n : {50, 1, 200, 300}) Add(*t, Pattern(n, objects_.size()));
    AddFilemark(*t, true);
    durable_ = objects_.size();
    durable_end_ = end_;
    for (std::size_t n : {17, 1, 250}) Add(*t, Pattern(n, objects_.size()));
    AddFilemark(*t, false);
    Add(*t, Pattern(40, objects_.size()));
    ASSERT_TRUE(t->SpaceToEndOfData().ok());  // flushes the buffers, commits nothing
    snapshot_ = {ReadWholeFile(source_), ReadWholeFile(IndexPathOf(source_)),
                 ReadWholeFile(FilemarkPathOf(source_))};
    ASSERT_EQ(snapshot_.data.size(), end_);
    t.reset();  // (closing commits, but only into source_, never into the snapshot)
  }

  void Add(Tape& t, std::vector<std::uint8_t> data) {
    ASSERT_TRUE(t.Write(data).ok());
    end_ += kRecordHeaderBytes + data.size();
    ends_.push_back(end_);
    objects_.push_back({false, std::move(data)});
  }
  void AddFilemark(Tape& t, bool sync) {
    ASSERT_TRUE(t.WriteFilemarks(1, sync).ok());
    end_ += kRecordHeaderBytes;
    ends_.push_back(end_);
    objects_.push_back({true, {}});
  }

  void Install(const Files& f, std::size_t data_len, std::size_t index_len,
               std::size_t filemarks_len) {
    WriteWholeFile(crash_, f.data, data_len);
    WriteWholeFile(IndexPathOf(crash_), f.index, index_len);
    WriteWholeFile(FilemarkPathOf(crash_), f.filemarks, filemarks_len);
  }
  void Install(const Files& f) { Install(f, f.data.size(), f.index.size(), f.filemarks.size()); }

  // Objects whose bytes lie wholly before `cut`.
  std::uint64_t CompleteBefore(std::uint64_t cut) const {
    std::uint64_t n = 0;
    while (n < ends_.size() && ends_[n] <= cut) ++n;
    return n;
  }

  // Reads the whole tape: every object that reads must be exactly the one
  // written; returns the EOD reached and counts objects that reported errors.
  std::uint64_t ReadAll(Tape& t, int& errors, const std::string& where) {
    errors = 0;
    EXPECT_TRUE(t.Rewind().ok()) << where;
    std::vector<std::uint8_t> buffer(4096);
    for (std::uint64_t i = 0;; ++i) {
      ReadResult r;
      Status s = t.Read(buffer, r);
      if (s.code() == Code::kMediumError || s.code() == Code::kCorruptImage) {
        ++errors;
        if (s.code() == Code::kCorruptImage) return t.GetPosition().object;
        continue;
      }
      EXPECT_TRUE(s.ok()) << where << ": object " << i << ": " << s.ToString();
      if (!s.ok() || r.kind == ObjectKind::kEndOfData) return i;
      if (i >= objects_.size()) {
        ADD_FAILURE() << where << ": object " << i << " should not exist";
        return i;
      }
      const Object& o = objects_[i];
      EXPECT_EQ(r.kind, o.filemark ? ObjectKind::kFilemark : ObjectKind::kRecord)
          << where << ": object " << i;
      if (!o.filemark) {
        EXPECT_EQ(r.length, o.data.size()) << where << ": object " << i;
        EXPECT_TRUE(std::equal(o.data.begin(), o.data.end(), buffer.begin()))
            << where << ": object " << i << " returned wrong data";
      }
    }
  }

  std::unique_ptr<Tape> Open(const std::string& where, bool read_only = false) {
    std::unique_ptr<Tape> t;
    Status s = OpenTape("file:" + crash_, OpenOptions{read_only}, t);
    EXPECT_TRUE(s.ok()) << where << ": " << s.ToString();
    return t;
  }

  ScratchDir dir_;
  std::string source_ = dir_.File("source.img");
  std::string crash_ = dir_.File("crash.img");
  std::vector<Object> objects_;
  std::vector<std::uint64_t> ends_;  // data file offset after each object
  std::uint64_t end_ = kDataStart;
  std::uint64_t durable_ = 0, durable_end_ = 0;
  Files snapshot_;
};

TEST_F(RecoveryTest, CutDataFileAtEveryByteAfterTheDurablePoint) {
  for (std::uint64_t cut = durable_end_; cut <= snapshot_.data.size(); ++cut) {
    std::string where = "data cut at " + std::to_string(cut);
    Install(snapshot_, cut, snapshot_.index.size(), snapshot_.filemarks.size());
    auto t = Open(where);
    if (!t) continue;
    int errors = 0;
    std::uint64_t eod = ReadAll(*t, errors, where);
    EXPECT_EQ(errors, 0) << where;
    EXPECT_EQ(eod, CompleteBefore(cut)) << where << ": recovery must keep every whole record";
    MediumInfo info;
    ASSERT_TRUE(t->Stat(info).ok());
    EXPECT_EQ(info.records + info.filemarks, eod) << where;
    t.reset();
    auto again = Open(where + " (second open)");  // recovery made its result durable
    if (again) {
      EXPECT_EQ(ReadAll(*again, errors, where), eod) << where;
    }
  }
}

TEST_F(RecoveryTest, RecoveredImageTakesNewWrites) {
  std::uint64_t cut = ends_[durable_ + 1] + 5;  // inside T7
  Install(snapshot_, cut, snapshot_.index.size(), snapshot_.filemarks.size());
  {
    auto t = Open("cut");
    ASSERT_TRUE(t);
    ASSERT_TRUE(t->SpaceToEndOfData().ok());
    EXPECT_EQ(t->GetPosition().object, durable_ + 2);
    ASSERT_TRUE(t->Write(Pattern(123, 42)).ok());
    ASSERT_TRUE(t->Close().ok());
  }
  objects_.resize(durable_ + 2);
  objects_.push_back({false, Pattern(123, 42)});
  auto t = Open("reopen");
  int errors = 0;
  EXPECT_EQ(ReadAll(*t, errors, "reopen"), durable_ + 3);
  EXPECT_EQ(errors, 0);
}

TEST_F(RecoveryTest, CutBeforeTheDurablePointIsCorruptNeverAccepted) {
  std::vector<std::uint64_t> cuts = {0, 1, 100, kSlotBytes, kDataStart - 1, kDataStart};
  for (std::uint64_t cut = ends_[durable_ - 2]; cut < durable_end_; ++cut) cuts.push_back(cut);
  for (std::uint64_t cut : cuts) {
    Install(snapshot_, cut, snapshot_.index.size(), snapshot_.filemarks.size());
    std::unique_ptr<Tape> t;
    Status s = OpenTape("file:" + crash_, {}, t);
    EXPECT_EQ(s.code(), Code::kCorruptImage) << "cut at " << cut << ": " << s.ToString();
    EXPECT_FALSE(s.message().empty());
  }
}

TEST_F(RecoveryTest, CutIndexOrFilemarkFileAtEveryByte) {
  for (std::uint64_t cut = 0; cut <= snapshot_.index.size(); ++cut) {
    std::string where = "index cut at " + std::to_string(cut);
    Install(snapshot_, snapshot_.data.size(), cut, snapshot_.filemarks.size());
    auto t = Open(where);
    if (!t) continue;
    int errors = 0;
    EXPECT_EQ(ReadAll(*t, errors, where), objects_.size()) << where;
    EXPECT_EQ(errors, 0) << where;
    SpaceResult r;
    ASSERT_TRUE(t->LocateFile(0, 2, r).ok()) << where;
    EXPECT_EQ(t->GetPosition().object, durable_ + 4) << where;
  }
  for (std::uint64_t cut = 0; cut <= snapshot_.filemarks.size(); ++cut) {
    std::string where = "filemark file cut at " + std::to_string(cut);
    Install(snapshot_, snapshot_.data.size(), snapshot_.index.size(), cut);
    auto t = Open(where);
    if (!t) continue;
    SpaceResult r;
    ASSERT_TRUE(t->LocateFile(0, 1, r).ok()) << where;
    EXPECT_EQ(t->GetPosition().object, durable_) << where;
    ASSERT_TRUE(t->LocateFile(0, 2, r).ok()) << where;
    EXPECT_EQ(t->GetPosition().object, durable_ + 4) << where;
    int errors = 0;
    EXPECT_EQ(ReadAll(*t, errors, where), objects_.size()) << where;
  }
}

TEST_F(RecoveryTest, FlippedBytesAreErrorsNeverWrongData) {
  std::vector<std::pair<std::vector<std::uint8_t>*, std::vector<std::uint64_t>>> targets;
  std::vector<std::uint64_t> data_offsets;
  for (std::uint64_t i = 0; i < 200; ++i) data_offsets.push_back(i);
  for (std::uint64_t i = kSlotBytes; i < kSlotBytes + 200; ++i) data_offsets.push_back(i);
  for (std::uint64_t i = kDataStart; i < snapshot_.data.size(); ++i) data_offsets.push_back(i);
  std::vector<std::uint64_t> index_offsets, fm_offsets;
  for (std::uint64_t i = 0; i < snapshot_.index.size(); ++i) index_offsets.push_back(i);
  for (std::uint64_t i = 0; i < snapshot_.filemarks.size(); ++i) fm_offsets.push_back(i);
  targets = {{&snapshot_.data, data_offsets},
             {&snapshot_.index, index_offsets},
             {&snapshot_.filemarks, fm_offsets}};
  const char* names[] = {"data", "index", "filemarks"};
  for (std::size_t f = 0; f < targets.size(); ++f) {
    auto& [bytes, offsets] = targets[f];
    for (std::uint64_t at : offsets) {
      std::string where = std::string(names[f]) + " byte " + std::to_string(at) + " flipped";
      (*bytes)[at] ^= 0x5A;
      Install(snapshot_);
      (*bytes)[at] ^= 0x5A;
      std::unique_ptr<Tape> t;
      Status s = OpenTape("file:" + crash_, {}, t);
      if (!s.ok()) {
        EXPECT_EQ(s.code(), Code::kCorruptImage) << where << ": " << s.ToString();
        continue;
      }
      int errors = 0;
      std::uint64_t eod = ReadAll(*t, errors, where);
      EXPECT_LE(errors, 1) << where;
      if (errors == 0) {
        EXPECT_GE(eod, durable_) << where << ": durable objects lost";
      }
      if (at >= durable_end_ && f == 0) {
        // Damage after the durable point cuts the tape exactly before the damaged object.
        std::uint64_t damaged = CompleteBefore(at);
        EXPECT_EQ(eod, damaged) << where;
      }
      // Locate to every object: the right object or an error, never another one.
      for (std::uint64_t i = 0; i < objects_.size(); ++i) {
        SpaceResult r;
        Status ls = t->Locate(0, i, r);
        if (!ls.ok()) {
          EXPECT_EQ(ls.code(), Code::kCorruptImage) << where;
          continue;
        }
        if (t->GetPosition().object != i) continue;  // beyond a cut EOD
        std::vector<std::uint8_t> buffer(4096);
        ReadResult rr;
        Status rs = t->Read(buffer, rr);
        if (!rs.ok()) {
          EXPECT_TRUE(rs.code() == Code::kMediumError || rs.code() == Code::kCorruptImage)
              << where << ": " << rs.ToString();
          continue;
        }
        if (rr.kind == ObjectKind::kEndOfData) continue;
        EXPECT_EQ(rr.kind == ObjectKind::kFilemark, objects_[i].filemark) << where << " @" << i;
        if (!objects_[i].filemark) {
          EXPECT_TRUE(std::equal(objects_[i].data.begin(), objects_[i].data.end(), buffer.begin()))
              << where << ": locate " << i << " read wrong data";
        }
      }
    }
  }
}

TEST_F(RecoveryTest, StaleRecordsAfterAnOverwriteNeverComeBack) {
  // A medium of ten durable 100-byte records; then record 5 is overwritten by
  // a record of the same size. The crash images model a lost ftruncate: the
  // old bytes after the new record are still in the file.
  ScratchDir dir;
  std::string path = dir.File("o.img");
  std::vector<std::vector<std::uint8_t>> old;
  auto t = CreateAndOpen(path);
  for (int i = 0; i < 10; ++i) {
    old.push_back(Pattern(100, 1000 + i));
    ASSERT_TRUE(t->Write(old.back()).ok());
  }
  ASSERT_TRUE(t->Sync().ok());
  std::vector<std::uint8_t> before = ReadWholeFile(path);
  SpaceResult r;
  ASSERT_TRUE(t->Locate(0, 5, r).ok());
  auto replacement = Pattern(100, 5555);
  ASSERT_TRUE(t->Write(replacement).ok());
  ASSERT_TRUE(t->SpaceToEndOfData().ok());
  std::vector<std::uint8_t> after = ReadWholeFile(path);
  std::vector<std::uint8_t> index = ReadWholeFile(IndexPathOf(path));
  std::vector<std::uint8_t> fm = ReadWholeFile(FilemarkPathOf(path));
  ASSERT_LT(after.size(), before.size());
  t.reset();

  auto check = [&](std::vector<std::uint8_t> image, bool has_replacement, const char* what) {
    WriteWholeFile(crash_, image, image.size());
    WriteWholeFile(IndexPathOf(crash_), index, index.size());
    WriteWholeFile(FilemarkPathOf(crash_), fm, fm.size());
    auto c = Open(what);
    ASSERT_TRUE(c);
    for (int i = 0; i < 5; ++i) ExpectRecord(*c, old[i], std::string(what) + " old record");
    if (has_replacement) ExpectRecord(*c, replacement, std::string(what) + " new record 5");
    ExpectKind(*c, ObjectKind::kEndOfData, std::string(what) + ": stale records stay gone");
  };
  // New record on disk, old tail behind it.
  std::vector<std::uint8_t> image = before;
  std::copy(after.begin(), after.end(), image.begin());
  check(image, true, "new record and stale tail");
  // Only the superblock made it (written and synced before any overwrite).
  image = before;
  std::copy(after.begin(), after.begin() + kDataStart, image.begin());
  check(image, false, "superblock only");
}

TEST_F(RecoveryTest, LostIndexIsRebuiltOnWritableOpenOnly) {
  Install(snapshot_);
  ASSERT_EQ(::unlink(IndexPathOf(crash_).c_str()), 0);
  std::unique_ptr<Tape> t;
  Status s = OpenTape("file:" + crash_, OpenOptions{true}, t);
  EXPECT_EQ(s.code(), Code::kCorruptImage);
  EXPECT_NE(s.message().find("rebuild"), std::string::npos) << s.message();
  t = Open("writable");
  ASSERT_TRUE(t);
  int errors = 0;
  EXPECT_EQ(ReadAll(*t, errors, "rebuilt"), objects_.size());
  t.reset();
  ASSERT_EQ(::unlink(FilemarkPathOf(crash_).c_str()), 0);
  t = Open("read-only without filemark list", true);
  ASSERT_TRUE(t);
  SpaceResult r;
  ASSERT_TRUE(t->SpaceFilemarks(2, r).ok());
  EXPECT_EQ(t->GetPosition().object, durable_ + 4);
}

TEST_F(RecoveryTest, ReadOnlyOpenSeesTheTailWithoutChangingFiles) {
  Install(snapshot_);
  auto t = Open("read-only", true);
  ASSERT_TRUE(t);
  int errors = 0;
  EXPECT_EQ(ReadAll(*t, errors, "read-only"), objects_.size());
  SpaceResult r;
  ASSERT_TRUE(t->Locate(0, durable_ + 2, r).ok());
  ExpectRecord(*t, objects_[durable_ + 2].data, "tail record by locate");
  EXPECT_EQ(ReadWholeFile(crash_), snapshot_.data);
  EXPECT_EQ(ReadWholeFile(IndexPathOf(crash_)), snapshot_.index);
}

TEST_F(RecoveryTest, DamagedIndexEntryIsReportedNotFollowed) {
  Files f = snapshot_;
  f.index[file_format::kSidecarHeaderBytes + 2 * file_format::kIndexEntryBytes] ^= 1;
  Install(f);
  auto t = Open("damaged entry 2");
  ASSERT_TRUE(t);
  SpaceResult r;
  Status s = t->Locate(0, 2, r);
  EXPECT_EQ(s.code(), Code::kCorruptImage);
  EXPECT_NE(s.message().find(".idx"), std::string::npos) << s.message();
  ASSERT_TRUE(t->Locate(0, 3, r).ok());
  ExpectRecord(*t, objects_[3].data, "entry 3 is fine");
}

}  // namespace
}  // namespace vtape::testing
