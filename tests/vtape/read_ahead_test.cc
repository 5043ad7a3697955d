// The drive buffer's read-ahead (vtape/buffered_tape.h): a Read served from
// what was read ahead answers exactly what reading the medium answers (data,
// kind, length, status, position, read statistics), whatever comes between
// the reads (writes, filemarks, spacing, locates, unload); a medium error met
// ahead is reported by the Read that reaches that record, not earlier.
//
// The differential test runs one random script on two media of the same kind,
// one plain and one behind a BufferedTape, and compares every answer.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "vtape/buffered_tape.h"
#include "vtape/registry.h"

namespace vtape {
namespace {

std::vector<std::uint8_t> Pattern(std::size_t n, std::uint32_t seed) {
  std::vector<std::uint8_t> v(n);
  std::uint32_t x = seed * 2654435761u + 7;
  for (auto& b : v) {
    x = x * 1103515245u + 12345u;
    b = static_cast<std::uint8_t>(x >> 16);
  }
  return v;
}

class Scratch {
 public:
  Scratch() {
    std::string pattern = "/tmp/vtape-read-ahead-XXXXXX";
    path_ = ::mkdtemp(pattern.data()) ? pattern : "";
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  // A medium name of `kind` ("mem", "file", "fault-mem", "fault-file"); file:
  // media are created first. The fault: rules mark records 6 and 40 corrupt.
  std::string Medium(const std::string& kind, const std::string& file) {
    std::string inner = "mem:";
    if (kind.find("file") != std::string::npos) {
      inner = "file:" + path_ + "/" + file;
      CreateOptions create;
      create.capacity_bytes = 256 << 20;
      create.early_warning_bytes = 1 << 20;
      EXPECT_TRUE(CreateTape(inner, create).ok());
    }
    if (kind.starts_with("fault")) return "fault:{write@6=corrupt,write@40=corrupt}" + inner;
    return inner;
  }

 private:
  std::string path_;
};

std::unique_ptr<Tape> Open(const std::string& name) {
  std::unique_ptr<Tape> tape;
  Status s = OpenTape(name, {}, tape);
  EXPECT_TRUE(s.ok()) << name << ": " << s.ToString();
  return tape;
}

std::string Describe(const Position& p) {
  return "p" + std::to_string(p.partition) + " o" + std::to_string(p.object) + " f" +
         std::to_string(p.file) + " r" + std::to_string(p.record_in_file) + " b" +
         std::to_string(p.bytes_before) + (p.at_bop ? " bop" : "") + (p.at_eod ? " eod" : "") +
         (p.beyond_early_warning ? " ew" : "");
}

std::string Describe(const Statistics& s) {
  return "records " + std::to_string(s.records_read) + " bytes " + std::to_string(s.bytes_read) +
         " marks " + std::to_string(s.filemarks_read) + " errors " +
         std::to_string(s.read_errors_uncorrected) + " written " +
         std::to_string(s.records_written);
}

// One step of the script, applied to a tape; returns what it answered.
struct Answer {
  Code code = Code::kOk;
  ObjectKind kind = ObjectKind::kEndOfData;
  std::uint64_t length = 0;
  std::vector<std::uint8_t> data;
  std::uint64_t not_crossed = 0;
  Stop stop = Stop::kNone;
  std::string position, statistics;
  bool operator==(const Answer&) const = default;
};

// An answer that so far holds only the status code.
Answer AnswerWith(Code code) {
  Answer a;
  a.code = code;
  return a;
}

std::string Describe(const Answer& a) {
  return "code " + std::to_string(static_cast<int>(a.code)) + " kind " +
         std::to_string(static_cast<int>(a.kind)) + " length " + std::to_string(a.length) +
         " data " + std::to_string(a.data.size()) + " not_crossed " +
         std::to_string(a.not_crossed) + " stop " + std::to_string(static_cast<int>(a.stop)) +
         " | " + a.position + " | " + a.statistics;
}

class Script {
 public:
  explicit Script(std::uint32_t seed) : rng_(seed) {}
  // Draws the next step: a function applied to both tapes.
  std::function<Answer(Tape&)> Next(std::string& what) {
    const int r = Uniform(0, 99);
    if (r < 45) {
      static const std::size_t kSizes[] = {0, 1, 100, 5000, 20000, 80000};
      const std::size_t size = kSizes[Uniform(0, 5)];
      what = "read " + std::to_string(size);
      return [size](Tape& t) {
        Answer a;
        std::vector<std::uint8_t> buffer(size, 0xEE);
        ReadResult result;
        a.code = t.Read(buffer, result).code();
        a.kind = result.kind;
        a.length = result.length;
        if (a.code == Code::kOk && result.kind == ObjectKind::kRecord) {
          buffer.resize(std::min<std::uint64_t>(size, result.length));
          a.data = std::move(buffer);
        }
        return a;
      };
    }
    if (r < 55) {
      // Mostly below the 64 KiB buffer, sometimes above it (read directly).
      const std::size_t size = Uniform(0, 9) == 0 ? 70000 : Uniform(1, 30000);
      const std::uint32_t seed = ++records_;
      what = "write " + std::to_string(size);
      return [size, seed](Tape& t) {
        Answer a;
        a.code = t.Write(Pattern(size, seed)).code();
        return a;
      };
    }
    if (r < 60) {
      const std::uint64_t n = Uniform(1, 2);
      const bool sync = Uniform(0, 1) == 1;
      what = "weof " + std::to_string(n);
      return [n, sync](Tape& t) { return AnswerWith(t.WriteFilemarks(n, sync).code()); };
    }
    if (r < 72) {
      const std::int64_t n = Uniform(-6, 6);
      what = "space records " + std::to_string(n);
      return [n](Tape& t) {
        SpaceResult s;
        Answer a = AnswerWith(t.SpaceRecords(n, s).code());
        a.not_crossed = s.not_crossed;
        a.stop = s.stop;
        return a;
      };
    }
    if (r < 78) {
      const std::int64_t n = Uniform(-2, 2);
      what = "space filemarks " + std::to_string(n);
      return [n](Tape& t) {
        SpaceResult s;
        Answer a = AnswerWith(t.SpaceFilemarks(n, s).code());
        a.not_crossed = s.not_crossed;
        a.stop = s.stop;
        return a;
      };
    }
    if (r < 86) {
      const std::uint64_t object = Uniform(0, 120);
      what = "locate " + std::to_string(object);
      return [object](Tape& t) {
        SpaceResult s;
        Answer a = AnswerWith(t.Locate(0, object, s).code());
        a.not_crossed = s.not_crossed;
        a.stop = s.stop;
        return a;
      };
    }
    if (r < 92) {
      what = "rewind";
      return [](Tape& t) { return AnswerWith(t.Rewind().code()); };
    }
    if (r < 94) {
      what = "space to eod";
      return [](Tape& t) { return AnswerWith(t.SpaceToEndOfData().code()); };
    }
    if (r < 96) {
      what = "sync";
      return [](Tape& t) { return AnswerWith(t.Sync().code()); };
    }
    what = "unload, load";
    return [](Tape& t) {
      Code unloaded = t.Unload().code();
      return AnswerWith(unloaded == Code::kOk ? t.Load().code() : unloaded);
    };
  }

 private:
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::mt19937 rng_;
  std::uint32_t records_ = 0;
};

class ReadAheadDifferential : public ::testing::TestWithParam<std::string> {};

TEST_P(ReadAheadDifferential, EveryAnswerAsWithoutTheBuffer) {
  Scratch scratch;
  auto plain = Open(scratch.Medium(GetParam(), "plain.img"));
  auto inner = Open(scratch.Medium(GetParam(), "buffered.img"));
  ASSERT_TRUE(plain && inner);
  auto buffered = std::make_unique<BufferedTape>(std::move(inner), 64 << 10);
  BufferedTape& b = *buffered;
  // Content to read: 60 records of 1..30000 bytes, a filemark every 9.
  for (int i = 0; i < 60; ++i) {
    const std::size_t size = 1 + (i * 7919) % 30000;
    for (Tape* t : {plain.get(), static_cast<Tape*>(&b)}) {
      ASSERT_TRUE(t->Write(Pattern(size, 1000 + i)).ok());
      if (i % 9 == 8) {
        ASSERT_TRUE(t->WriteFilemarks(1, false).ok());
      }
    }
  }
  Script script(20261201);
  for (int step = 0; step < 4000; ++step) {
    std::string what;
    auto op = script.Next(what);
    Answer want = op(*plain);
    Answer got = op(b);
    for (auto [tape, answer] : {std::pair<Tape*, Answer*>{plain.get(), &want}, {&b, &got}}) {
      answer->position = Describe(tape->GetPosition());
      Statistics s = tape->statistics();
      s.records_written = 0;  // the buffered writes count as soon as buffered: compare reads
      answer->statistics = Describe(s);
    }
    ASSERT_EQ(got, want) << "step " << step << " (" << what << ")\n  plain:    " << Describe(want)
                         << "\n  buffered: " << Describe(got);
  }
  EXPECT_GT(b.counters().objects_read_ahead, 100u) << "the read-ahead never ran";
  EXPECT_TRUE(buffered->Close().ok());
  EXPECT_TRUE(plain->Close().ok());
}

INSTANTIATE_TEST_SUITE_P(Media, ReadAheadDifferential,
                         ::testing::Values("mem", "file", "fault_mem", "fault_file"));

// Records 0..9 with record 5 corrupt (fault: reports it as a medium error):
// the read-ahead reads past record 1 up to the bad record and stops there; the
// error comes back on the Read of record 5, with the position after it.
class ReadAheadMediumError : public ::testing::TestWithParam<std::string> {};

TEST_P(ReadAheadMediumError, ReportedWhenTheInitiatorReachesTheRecord) {
  Scratch scratch;
  std::string name = scratch.Medium(GetParam(), "t.img");
  name.replace(0, name.find('}') + 1, "fault:{write@6=corrupt}");
  BufferedTape b(Open(name), 1 << 20);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(b.Write(Pattern(1000, i)).ok());
  ASSERT_TRUE(b.WriteFilemarks(1, true).ok());
  ASSERT_TRUE(b.Rewind().ok());
  std::vector<std::uint8_t> buffer(1000);
  ReadResult r;
  ASSERT_TRUE(b.Read(buffer, r).ok());
  EXPECT_EQ(buffer, Pattern(1000, 0));
  b.WaitReadAhead();
  // Records 1..4 and the bad record 5, which ends the read-ahead.
  EXPECT_EQ(b.read_ahead().objects, 5u);
  EXPECT_EQ(b.read_ahead().bytes, 4000u);
  EXPECT_EQ(b.GetPosition().object, 1u);
  EXPECT_EQ(b.statistics().read_errors_uncorrected, 0u) << "counted before it was reached";
  for (int i = 1; i <= 4; ++i) {
    ASSERT_TRUE(b.Read(buffer, r).ok()) << i;
    EXPECT_EQ(r.kind, ObjectKind::kRecord);
    EXPECT_EQ(r.length, 1000u);
    EXPECT_EQ(buffer, Pattern(1000, i)) << i;
    EXPECT_EQ(b.GetPosition().object, static_cast<std::uint64_t>(i + 1));
  }
  EXPECT_EQ(b.Read(buffer, r).code(), Code::kMediumError);
  EXPECT_EQ(b.GetPosition().object, 6u);
  EXPECT_EQ(b.statistics().read_errors_uncorrected, 1u);
  for (int i = 6; i <= 9; ++i) {
    ASSERT_TRUE(b.Read(buffer, r).ok()) << i;
    EXPECT_EQ(buffer, Pattern(1000, i)) << i;
  }
  ASSERT_TRUE(b.Read(buffer, r).ok());
  EXPECT_EQ(r.kind, ObjectKind::kFilemark);
  ASSERT_TRUE(b.Read(buffer, r).ok());
  EXPECT_EQ(r.kind, ObjectKind::kEndOfData);
  EXPECT_EQ(b.GetPosition().object, 11u);
  // Back before the bad record: the error is there again, no sooner.
  SpaceResult moved;
  ASSERT_TRUE(b.Locate(0, 4, moved).ok());
  ASSERT_TRUE(b.Read(buffer, r).ok());
  EXPECT_EQ(buffer, Pattern(1000, 4));
  EXPECT_EQ(b.Read(buffer, r).code(), Code::kMediumError);
  EXPECT_TRUE(b.Close().ok());
}

// A write after reads lands at the position the engine had reached, not where
// the read-ahead left the medium.
TEST_P(ReadAheadMediumError, WriteAfterReadsDiscardsTheReadAheadAndWritesInPlace) {
  Scratch scratch;
  std::string name = scratch.Medium(GetParam(), "t.img");
  BufferedTape b(Open(name), 1 << 20);
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(b.Write(Pattern(500, i)).ok());
  ASSERT_TRUE(b.Rewind().ok());
  std::vector<std::uint8_t> buffer(500);
  ReadResult r;
  ASSERT_TRUE(b.Read(buffer, r).ok());
  ASSERT_TRUE(b.Read(buffer, r).ok());
  b.WaitReadAhead();
  EXPECT_GT(b.read_ahead().objects, 0u);
  ASSERT_TRUE(b.Write(Pattern(77, 99)).ok());
  EXPECT_EQ(b.read_ahead().objects, 0u);
  EXPECT_EQ(b.GetPosition().object, 3u);
  ASSERT_TRUE(b.Rewind().ok());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(b.Read(buffer, r).ok());
    EXPECT_EQ(buffer, Pattern(500, i));
  }
  std::vector<std::uint8_t> small(77);
  ASSERT_TRUE(b.Read(small, r).ok());
  EXPECT_EQ(small, Pattern(77, 99));
  ASSERT_TRUE(b.Read(small, r).ok());
  EXPECT_EQ(r.kind, ObjectKind::kEndOfData);
  EXPECT_EQ(b.GetPosition().object, 3u);
  EXPECT_TRUE(b.Close().ok());
}

INSTANTIATE_TEST_SUITE_P(Media, ReadAheadMediumError, ::testing::Values("fault_mem", "fault_file"));

}  // namespace
}  // namespace vtape
