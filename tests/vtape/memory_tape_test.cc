// The mem: backend is the reference the SSC engine and fuzzer run on; these
// pin its positioning against hand-computed layouts. (The conformance suite
// checks the interface's guarantees on every backend.)
#include "vtape/memory_tape.h"

#include <gtest/gtest.h>

#include "vtape/registry.h"

namespace vtape {
namespace {

std::vector<std::uint8_t> Bytes(std::size_t n, std::uint8_t seed) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(seed + i * 7);
  return v;
}

// Layout: R0 R1 FM R3 FM FM R6 | EOD at 7
std::unique_ptr<Tape> Layout() {
  std::unique_ptr<Tape> t;
  EXPECT_TRUE(OpenTape("mem:capacity=1000000", {}, t).ok());
  EXPECT_TRUE(t->Write(Bytes(10, 1)).ok());
  EXPECT_TRUE(t->Write(Bytes(20, 2)).ok());
  EXPECT_TRUE(t->WriteFilemarks(1, false).ok());
  EXPECT_TRUE(t->Write(Bytes(30, 3)).ok());
  EXPECT_TRUE(t->WriteFilemarks(2, true).ok());
  EXPECT_TRUE(t->Write(Bytes(40, 4)).ok());
  return t;
}

TEST(MemoryTape, SpaceRecordsStopsAfterFilemarkForwardBeforeItBackward) {
  auto t = Layout();
  ASSERT_TRUE(t->Rewind().ok());
  SpaceResult r;
  ASSERT_TRUE(t->SpaceRecords(5, r).ok());
  EXPECT_EQ(r.stop, Stop::kFilemark);
  EXPECT_EQ(r.not_crossed, 3u);
  EXPECT_EQ(t->GetPosition().object, 3u);
  ASSERT_TRUE(t->SpaceRecords(-2, r).ok());
  EXPECT_EQ(r.stop, Stop::kFilemark);
  EXPECT_EQ(r.not_crossed, 2u);
  EXPECT_EQ(t->GetPosition().object, 2u);
  ASSERT_TRUE(t->SpaceRecords(-5, r).ok());
  EXPECT_EQ(r.stop, Stop::kBeginningOfPartition);  // only R1 and R0 lie behind
  EXPECT_EQ(r.not_crossed, 3u);
  EXPECT_EQ(t->GetPosition().object, 0u);
}

TEST(MemoryTape, SpaceFilemarksAndEod) {
  auto t = Layout();
  ASSERT_TRUE(t->Rewind().ok());
  SpaceResult r;
  ASSERT_TRUE(t->SpaceFilemarks(2, r).ok());
  Position p = t->GetPosition();
  EXPECT_EQ(p.object, 5u);
  EXPECT_EQ(p.file, 2u);
  EXPECT_EQ(p.record_in_file, 0u);
  ASSERT_TRUE(t->SpaceFilemarks(4, r).ok());
  EXPECT_EQ(r.stop, Stop::kEndOfData);
  EXPECT_EQ(r.not_crossed, 3u);
  EXPECT_EQ(t->GetPosition().object, 7u);
  EXPECT_TRUE(t->GetPosition().at_eod);
  ASSERT_TRUE(t->SpaceFilemarks(-1, r).ok());
  EXPECT_EQ(t->GetPosition().object, 5u);  // just before the third filemark
  ASSERT_TRUE(t->SpaceFilemarks(-9, r).ok());
  EXPECT_EQ(r.stop, Stop::kBeginningOfPartition);
  EXPECT_EQ(r.not_crossed, 7u);
  EXPECT_TRUE(t->GetPosition().at_bop);
}

TEST(MemoryTape, ShortBufferGetsTrueLengthAndSkipsRecord) {
  auto t = Layout();
  ASSERT_TRUE(t->Rewind().ok());
  std::vector<std::uint8_t> buf(4);
  ReadResult r;
  ASSERT_TRUE(t->Read(buf, r).ok());
  EXPECT_EQ(r.kind, ObjectKind::kRecord);
  EXPECT_EQ(r.length, 10u);
  EXPECT_EQ(buf, (std::vector<std::uint8_t>{1, 8, 15, 22}));
  EXPECT_EQ(t->GetPosition().object, 1u);
}

TEST(MemoryTape, WriteDiscardsEverythingAfter) {
  auto t = Layout();
  SpaceResult r;
  ASSERT_TRUE(t->Locate(0, 1, r).ok());
  ASSERT_TRUE(t->Write(Bytes(5, 9)).ok());
  MediumInfo info;
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_EQ(info.records, 2u);
  EXPECT_EQ(info.filemarks, 0u);
  EXPECT_EQ(info.used_bytes, 15u);
  EXPECT_TRUE(t->GetPosition().at_eod);
}

TEST(MemoryTape, EarlyWarningThenHardEnd) {
  std::unique_ptr<Tape> t;
  ASSERT_TRUE(OpenTape("mem:capacity=100,early_warning=30", {}, t).ok());
  ASSERT_TRUE(t->Write(Bytes(60, 0)).ok());
  EXPECT_FALSE(t->GetPosition().beyond_early_warning);
  ASSERT_TRUE(t->Write(Bytes(20, 0)).ok());
  EXPECT_TRUE(t->GetPosition().beyond_early_warning);
  EXPECT_EQ(t->Write(Bytes(21, 0)).code(), Code::kEndOfMedium);
  EXPECT_EQ(t->GetPosition().object, 2u);
  EXPECT_TRUE(t->Write(Bytes(20, 0)).ok());
}

TEST(MemoryTape, UnloadedRefusesAndBadOptionsAreExplained) {
  std::unique_ptr<Tape> t;
  ASSERT_TRUE(OpenTape("mem:", {}, t).ok());
  ASSERT_TRUE(t->Unload().ok());
  ReadResult r;
  std::vector<std::uint8_t> buf(1);
  EXPECT_EQ(t->Read(buf, r).code(), Code::kNotLoaded);
  ASSERT_TRUE(t->Load().ok());
  Status s = OpenTape("mem:capacity=12x", {}, t);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("capacity"), std::string::npos);
  EXPECT_EQ(OpenTape("tape9:x", {}, t).code(), Code::kInvalidArgument);
}

TEST(NullTape, KeepsLayoutNotData) {
  std::unique_ptr<Tape> t;
  ASSERT_TRUE(OpenTape("null:", {}, t).ok());
  ASSERT_TRUE(t->Write(Bytes(8, 5)).ok());
  ASSERT_TRUE(t->Rewind().ok());
  std::vector<std::uint8_t> buf(16, 0xff);
  ReadResult r;
  ASSERT_TRUE(t->Read(buf, r).ok());
  EXPECT_EQ(r.length, 8u);
  EXPECT_EQ(buf[0], 0);
  EXPECT_EQ(buf[7], 0);
  EXPECT_EQ(buf[8], 0xff);
}

// null: keeps no data but keeps each record's tag (runs of equal records
// split where the tag changes).
TEST(NullTape, KeepsTags) {
  std::unique_ptr<Tape> t;
  ASSERT_TRUE(OpenTape("null:", {}, t).ok());
  const std::vector<std::uint8_t> bytes(8, 5);
  const ConstPiece one[1] = {ConstPiece(bytes)};
  for (std::uint8_t tag : {0x00, 0x01, 0x01, 0x82, 0x00})
    ASSERT_TRUE(t->WriteTagged(one, tag).ok());
  ASSERT_TRUE(t->Rewind().ok());
  for (std::uint8_t tag : {0x00, 0x01, 0x01, 0x82, 0x00}) {
    std::vector<std::uint8_t> buf(16, 0xff);
    ReadResult r;
    ASSERT_TRUE(t->Read(buf, r).ok());
    EXPECT_EQ(r.length, 8u);
    EXPECT_EQ(r.tag, tag);
  }
  EXPECT_EQ(t->GetPosition().bytes_before, 5u * 8u);
}

// Equal objects are stored as runs: positions inside runs, overwrites that
// split a run, and runs of filemarks must all come out exact.
TEST(MemoryTape, RunsOfEqualObjectsPositionAndOverwriteExactly) {
  for (const char* name : {"mem:", "null:"}) {
    bool keep = std::string(name) == "mem:";
    std::unique_ptr<Tape> t;
    ASSERT_TRUE(OpenTape(name, {}, t).ok());
    for (std::uint8_t i = 0; i < 5; ++i) ASSERT_TRUE(t->Write(Bytes(100, i)).ok());      // 0..4
    ASSERT_TRUE(t->WriteFilemarks(1000, false).ok());                                    // 5..1004
    for (std::uint8_t i = 0; i < 3; ++i) ASSERT_TRUE(t->Write(Bytes(50, 10 + i)).ok());  // ..1007
    SpaceResult r;
    ASSERT_TRUE(t->LocateFile(0, 700, r).ok());
    EXPECT_EQ(t->GetPosition().object, 705u) << name;
    EXPECT_EQ(t->GetPosition().bytes_before, 500 + 700 * kFilemarkBytes) << name;
    ASSERT_TRUE(t->Locate(0, 1006, r).ok());
    Position p = t->GetPosition();
    EXPECT_EQ(p.file, 1000u);
    EXPECT_EQ(p.record_in_file, 1u);
    EXPECT_EQ(p.bytes_before, 550 + 1000 * kFilemarkBytes);
    std::vector<std::uint8_t> buf(100);
    ReadResult rr;
    ASSERT_TRUE(t->Read(buf, rr).ok());
    EXPECT_EQ(rr.length, 50u);
    if (keep) {
      EXPECT_EQ(std::vector(buf.begin(), buf.begin() + 50), Bytes(50, 11)) << name;
    }
    // Split the record run at 2 and the filemark run by a new EOD.
    ASSERT_TRUE(t->Locate(0, 2, r).ok());
    ASSERT_TRUE(t->Write(Bytes(7, 99)).ok());
    ASSERT_TRUE(t->WriteFilemarks(2, false).ok());
    ASSERT_TRUE(t->Write(Bytes(100, 98)).ok());
    MediumInfo info;
    ASSERT_TRUE(t->Stat(info).ok());
    EXPECT_EQ(info.records, 4u) << name;
    EXPECT_EQ(info.filemarks, 2u) << name;
    EXPECT_EQ(info.used_bytes, 307 + 2 * kFilemarkBytes) << name;
    ASSERT_TRUE(t->Rewind().ok());
    ASSERT_TRUE(t->SpaceFilemarks(2, r).ok());
    EXPECT_EQ(t->GetPosition().object, 5u);
    ASSERT_TRUE(t->Read(buf, rr).ok());
    EXPECT_EQ(rr.length, 100u);
    if (keep) {
      EXPECT_EQ(buf, Bytes(100, 98)) << name;
    }
    ASSERT_TRUE(t->Locate(0, 1, r).ok());
    ASSERT_TRUE(t->Read(buf, rr).ok());
    if (keep) {
      EXPECT_EQ(buf, Bytes(100, 1)) << name;
    }
    ASSERT_TRUE(t->Read(buf, rr).ok());
    EXPECT_EQ(rr.length, 7u);
    if (keep) {
      EXPECT_EQ(std::vector(buf.begin(), buf.begin() + 7), Bytes(7, 99)) << name;
    }
    ASSERT_TRUE(t->Read(buf, rr).ok());
    EXPECT_EQ(rr.kind, ObjectKind::kFilemark);
  }
}

// A filemark flood to the hard end of a large medium stores one run: it
// finishes at once and the counts are exact (per-object storage would need
// gigabytes here).
TEST(MemoryTape, FilemarkFloodToTheEndOfALargeMediumIsCheap) {
  for (const char* name : {"mem:capacity=1099511627776", "null:capacity=1099511627776"}) {
    std::unique_ptr<Tape> t;
    ASSERT_TRUE(OpenTape(name, {}, t).ok());
    int calls = 0;
    Status s;
    while ((s = t->WriteFilemarks(0xFFFFFF, false)).ok()) ++calls;
    EXPECT_EQ(s.code(), Code::kEndOfMedium);
    EXPECT_EQ(calls, 16) << name;  // 2^28 marks of 4096 bytes in 1 TiB: 16 full calls
    EXPECT_EQ(t->GetPosition().object, 1ull << 28) << name;
    SpaceResult r;
    ASSERT_TRUE(t->SpaceFilemarks(-(1 << 27), r).ok());
    EXPECT_EQ(t->GetPosition().object, 1ull << 27) << name;  // just before filemark 2^27
    EXPECT_EQ(t->GetPosition().file, 1ull << 27) << name;
  }
}

}  // namespace
}  // namespace vtape
