// The crash trials are only as good as their verdict: each test builds what a
// tape could hold after a crash and checks that StretchChecker accepts the
// legitimate outcomes and names each kind of loss or damage.
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "tests/crash/crash_record.h"
#include "tests/crash/stretch_check.h"

namespace vtape::crash {
namespace {

constexpr std::uint64_t kSeed = 12345;

struct Fm {};
using Object = std::variant<std::vector<std::uint8_t>, Fm>;

class TapeModel {
 public:
  // Records first..last-1 of a file (all of them by default), then a filemark if `close`.
  TapeModel& File(std::uint32_t trial, std::uint32_t file, bool close = true,
                  std::uint32_t count = UINT32_MAX) {
    const std::uint32_t n = std::min(count, RecordsInFile(kSeed, trial, file));
    for (std::uint32_t r = 0; r < n; ++r) {
      std::vector<std::uint8_t> rec;
      MakeRecord(kSeed, {trial, file, r}, rec);
      objects.emplace_back(std::move(rec));
    }
    if (close) objects.emplace_back(Fm{});
    return *this;
  }
  std::vector<Object> objects;
};

std::vector<Ack> Acks(std::uint32_t trial, std::uint32_t files) {
  std::vector<Ack> acks;
  for (std::uint32_t f = 0; f < files; ++f)
    acks.push_back({trial, f, RecordsInFile(kSeed, trial, f)});
  return acks;
}

StretchChecker Check(const std::vector<Object>& objects, std::uint32_t max_trial,
                     const std::vector<Ack>& acks, std::uint32_t from_trial,
                     StretchStart start = {}, std::size_t skip = 0) {
  StretchChecker c(kSeed, max_trial, acks, from_trial, start);
  for (std::size_t i = skip; i < objects.size(); ++i) {
    if (const auto* rec = std::get_if<std::vector<std::uint8_t>>(&objects[i])) {
      c.Record(*rec);
    } else {
      c.Filemark();
    }
  }
  c.EndOfData();
  return c;
}

std::string Errors(const StretchChecker& c) {
  std::string all;
  for (const std::string& e : c.errors()) all += e + "\n";
  return all;
}

bool HasError(const StretchChecker& c, const std::string& part) {
  return Errors(c).find(part) != std::string::npos;
}

// A file of trial 1 with at least `min` records; its number.
std::uint32_t FileWithRecords(std::uint32_t min) {
  for (std::uint32_t f = 0;; ++f) {
    if (RecordsInFile(kSeed, 1, f) >= min) return f;
  }
}

TEST(CrashRecord, LengthsSpanOneByteTo256KiBAndFilesStartWithAWholeHeader) {
  std::uint32_t shortest = UINT32_MAX, longest = 0;
  std::vector<std::uint8_t> rec;
  for (std::uint32_t f = 0; f < 200; ++f) {
    for (std::uint32_t r = 0; r < RecordsInFile(kSeed, 3, f); ++r) {
      const std::uint32_t len = RecordLength(kSeed, {3, f, r});
      ASSERT_GE(len, 1u);
      ASSERT_LE(len, kMaxRecordBytes);
      if (r == 0) {
        ASSERT_GE(len, kHeaderBytes);
      }
      shortest = std::min(shortest, len);
      longest = std::max(longest, len);
      MakeRecord(kSeed, {3, f, r}, rec);
      ASSERT_EQ(rec.size(), len);
      if (len >= kHeaderBytes) {
        RecordId id;
        std::string why;
        ASSERT_TRUE(ParseHeader(rec.data(), rec.size(), id, why)) << why;
        EXPECT_EQ(id, (RecordId{3, f, r}));
      }
    }
  }
  EXPECT_LT(shortest, 8u);
  EXPECT_GT(longest, 200u * 1024);
}

TEST(CrashRecord, ParseHeaderRefusesDamage) {
  std::vector<std::uint8_t> rec;
  MakeRecord(kSeed, {1, 0, 0}, rec);
  RecordId id;
  std::string why;
  auto flipped = rec;
  flipped.back() ^= 1;
  EXPECT_FALSE(ParseHeader(flipped.data(), flipped.size(), id, why));
  EXPECT_NE(why.find("payload checksum"), std::string::npos) << why;
  flipped = rec;
  flipped[5] ^= 1;
  EXPECT_FALSE(ParseHeader(flipped.data(), flipped.size(), id, why));
  EXPECT_NE(why.find("header checksum"), std::string::npos) << why;
  EXPECT_FALSE(ParseHeader(rec.data(), rec.size() - 1, id, why));
}

TEST(StretchCheck, AcceptsCompleteAcknowledgedFiles) {
  TapeModel t;
  t.File(1, 0).File(1, 1).File(1, 2);
  StretchChecker c = Check(t.objects, 1, Acks(1, 3), 1);
  EXPECT_TRUE(c.ok()) << Errors(c);
}

TEST(StretchCheck, AcceptsATornUnacknowledgedFileAndRemembersIt) {
  const std::uint32_t f = FileWithRecords(3);
  TapeModel t;
  for (std::uint32_t i = 0; i < f; ++i) t.File(1, i);
  t.File(1, f, /*close=*/false, 2);
  StretchChecker c = Check(t.objects, 1, Acks(1, f), 1);
  ASSERT_TRUE(c.ok()) << Errors(c);
  StretchStart next = c.Next();
  ASSERT_EQ(next.tail.size(), 2u);
  EXPECT_EQ(next.tail[1], (RecordId{1, f, 1}));
  EXPECT_EQ(next.last_closed, f == 0 ? std::nullopt : std::optional<FileRef>(FileRef{1, f - 1}));
  EXPECT_EQ(next.object, t.objects.size() - 2);
}

TEST(StretchCheck, AcceptsAClosedButUnacknowledgedLastFile) {
  TapeModel t;
  t.File(1, 0).File(1, 1);
  StretchChecker c = Check(t.objects, 1, Acks(1, 1), 1);
  EXPECT_TRUE(c.ok()) << Errors(c);
}

TEST(StretchCheck, ALostAcknowledgedFileFails) {
  TapeModel t;
  t.File(1, 0).File(1, 1);
  StretchChecker c = Check(t.objects, 1, Acks(1, 3), 1);
  EXPECT_TRUE(HasError(c, "LOST: trial 1 file 2")) << Errors(c);
}

TEST(StretchCheck, AnAcknowledgedFileMissingItsFilemarkFails) {
  TapeModel t;
  t.File(1, 0).File(1, 1, /*close=*/false);
  StretchChecker c = Check(t.objects, 1, Acks(1, 2), 1);
  EXPECT_TRUE(HasError(c, "and no filemark")) << Errors(c);
}

TEST(StretchCheck, AFileClosedEarlyFails) {
  const std::uint32_t f = FileWithRecords(2);
  TapeModel t;
  for (std::uint32_t i = 0; i < f; ++i) t.File(1, i);
  t.File(1, f, /*close=*/true, RecordsInFile(kSeed, 1, f) - 1);
  StretchChecker c = Check(t.objects, 1, Acks(1, f), 1);
  EXPECT_TRUE(HasError(c, "its writer puts")) << Errors(c);
}

TEST(StretchCheck, AFlippedByteFails) {
  TapeModel t;
  t.File(1, 0).File(1, 1);
  std::get<0>(t.objects[0]).back() ^= 0x40;
  StretchChecker c = Check(t.objects, 1, Acks(1, 2), 1);
  EXPECT_TRUE(HasError(c, "payload checksum mismatch")) << Errors(c);
}

TEST(StretchCheck, AShortRecordIsComparedByteForByte) {
  // find a record shorter than a header
  for (std::uint32_t f = 0; f < 100; ++f) {
    for (std::uint32_t r = 1; r < RecordsInFile(kSeed, 1, f); ++r) {
      if (RecordLength(kSeed, {1, f, r}) >= kHeaderBytes) continue;
      TapeModel t;
      for (std::uint32_t i = 0; i <= f; ++i) t.File(1, i);
      std::size_t at = t.objects.size() - 1 - RecordsInFile(kSeed, 1, f) + r;
      ASSERT_LT(std::get<0>(t.objects[at]).size(), kHeaderBytes);
      EXPECT_TRUE(Check(t.objects, 1, Acks(1, f + 1), 1).ok());
      std::get<0>(t.objects[at]).back() ^= 1;
      StretchChecker c = Check(t.objects, 1, Acks(1, f + 1), 1);
      EXPECT_TRUE(HasError(c, "content differs")) << Errors(c);
      return;
    }
  }
  FAIL() << "no short record in 100 files";
}

TEST(StretchCheck, AGapInsideAFileFails) {
  const std::uint32_t f = FileWithRecords(3);
  TapeModel t;
  for (std::uint32_t i = 0; i <= f; ++i) t.File(1, i);
  const std::size_t second = t.objects.size() - 1 - RecordsInFile(kSeed, 1, f) + 1;
  t.objects.erase(t.objects.begin() + static_cast<std::ptrdiff_t>(second));
  StretchChecker c = Check(t.objects, 1, Acks(1, f), 1);
  EXPECT_FALSE(c.ok());
  EXPECT_TRUE(HasError(c, "out of order") || HasError(c, "content differs")) << Errors(c);
}

TEST(StretchCheck, ARepeatedFileFails) {
  TapeModel t;
  t.File(1, 0).File(1, 0);
  StretchChecker c = Check(t.objects, 1, Acks(1, 1), 1);
  EXPECT_TRUE(HasError(c, "out of order")) << Errors(c);
}

TEST(StretchCheck, AnEmptyFileFails) {
  TapeModel t;
  t.File(1, 0);
  t.objects.emplace_back(Fm{});
  StretchChecker c = Check(t.objects, 1, Acks(1, 1), 1);
  EXPECT_TRUE(HasError(c, "empty file")) << Errors(c);
}

TEST(StretchCheck, ARecordOfAFutureTrialFails) {
  TapeModel t;
  t.File(2, 0);
  StretchChecker c = Check(t.objects, 1, {}, 1);
  EXPECT_TRUE(HasError(c, "out of order")) << Errors(c);
}

TEST(StretchCheck, FilesBeyondTheAcknowledgedOnesFail) {
  TapeModel t;
  t.File(1, 0).File(1, 1).File(1, 2);
  StretchChecker c = Check(t.objects, 1, Acks(1, 1), 1);
  EXPECT_TRUE(HasError(c, "cannot have started")) << Errors(c);
}

TEST(StretchCheck, TheNextTrialAppendsAfterATornFile) {
  TapeModel t;
  t.File(1, 0);
  const std::size_t stretch = t.objects.size();
  t.File(1, 1, /*close=*/false, 1);  // torn file 1 of trial 1
  StretchChecker first = Check(t.objects, 1, Acks(1, 1), 1);
  ASSERT_TRUE(first.ok()) << Errors(first);
  StretchStart start = first.Next();
  EXPECT_EQ(start.object, stretch);
  t.File(2, 0).File(2, 1);
  StretchChecker second = Check(t.objects, 2, Acks(2, 2), 2, start, stretch);
  EXPECT_TRUE(second.ok()) << Errors(second);
  // The whole tape from BOT, every trial's acknowledgements.
  std::vector<Ack> all = Acks(1, 1);
  for (const Ack& a : Acks(2, 2)) all.push_back(a);
  StretchChecker whole = Check(t.objects, 2, all, 0);
  EXPECT_TRUE(whole.ok()) << Errors(whole);
}

TEST(StretchCheck, ALostTornFileFailsTheNextCheck) {
  TapeModel t;
  t.File(1, 0);
  const std::size_t stretch = t.objects.size();
  TapeModel torn = t;
  torn.File(1, 1, /*close=*/false, 1);
  StretchChecker first = Check(torn.objects, 1, Acks(1, 1), 1);
  ASSERT_TRUE(first.ok()) << Errors(first);
  t.File(2, 0);  // trial 2 wrote where the torn record was
  StretchChecker second = Check(t.objects, 2, Acks(2, 1), 2, first.Next(), stretch);
  EXPECT_TRUE(HasError(second, "torn file found by the last check is gone")) << Errors(second);
}

TEST(StretchCheck, StaleDataBeyondTheLastEndOfDataFails) {
  // The last check found file 1 of trial 1 torn after 1 record; since then only
  // trial 2 wrote. Record 1 of that file showing up now is stale data come back.
  TapeModel t;
  t.File(1, 0);
  const std::size_t stretch = t.objects.size();
  TapeModel torn = t;
  torn.File(1, 1, /*close=*/false, 1);
  StretchChecker first = Check(torn.objects, 1, Acks(1, 1), 1);
  ASSERT_TRUE(first.ok()) << Errors(first);
  ASSERT_TRUE(first.Next().end_known);
  ASSERT_GE(RecordsInFile(kSeed, 1, 1), 2u);
  t.File(1, 1, /*close=*/false, 2);
  StretchChecker second = Check(t.objects, 2, {}, 2, first.Next(), stretch);
  EXPECT_TRUE(HasError(second, "stale data came back")) << Errors(second);
  // Without an earlier check the same tape is a legitimate torn file.
  EXPECT_TRUE(Check(t.objects, 2, Acks(1, 1), 0).ok());
}

TEST(StretchCheck, AnOverwrittenTapeFailsTheFullCheck) {
  TapeModel t;
  t.File(2, 0);  // trial 2 wrote at BOT over trial 1's acknowledged file
  std::vector<Ack> all = Acks(1, 1);
  all.push_back({2, 0, RecordsInFile(kSeed, 2, 0)});
  StretchChecker c = Check(t.objects, 2, all, 0);
  EXPECT_TRUE(HasError(c, "LOST: trial 1 file 0")) << Errors(c);
}

TEST(StretchCheck, ARequiredRecordMustBeThere) {
  TapeModel t;
  t.File(1, 0).File(1, 1, /*close=*/false, 1);
  StretchChecker present(kSeed, 1, Acks(1, 1), 1, {});
  present.RequireRecord({1, 1, 0});
  StretchChecker absent(kSeed, 1, Acks(1, 1), 1, {});
  absent.RequireRecord({1, 1, 1});
  for (StretchChecker* c : {&present, &absent}) {
    for (const Object& o : t.objects) {
      if (const auto* rec = std::get_if<std::vector<std::uint8_t>>(&o)) {
        c->Record(*rec);
      } else {
        c->Filemark();
      }
    }
    c->EndOfData();
  }
  EXPECT_TRUE(present.ok()) << Errors(present);
  EXPECT_TRUE(HasError(absent, "LOST: trial 1 file 1 record 1 was accepted")) << Errors(absent);
}

TEST(StretchCheck, AReadErrorFails) {
  StretchChecker c(kSeed, 1, {}, 1, {});
  c.ReadError("Input/output error");
  c.EndOfData();
  EXPECT_FALSE(c.ok());
}

TEST(StretchCheck, StartRoundTripsThroughText) {
  StretchStart s;
  s.object = 77;
  s.last_closed = FileRef{3, 4};
  s.tail = {{3, 5, 0}, {3, 5, 1}};
  s.end_known = true;
  StretchStart back;
  std::string why;
  ASSERT_TRUE(ParseStart(FormatStart(s), back, why)) << why;
  EXPECT_EQ(back.object, 77u);
  EXPECT_EQ(back.last_closed, s.last_closed);
  EXPECT_EQ(back.tail, s.tail);
  EXPECT_TRUE(back.end_known);
  EXPECT_FALSE(ParseStart("bogus 1\n", back, why));
}

}  // namespace
}  // namespace vtape::crash
