// BUFFERED MODE (MODE SELECT header byte 2 bits 6-4) and what READ POSITION
// reports as buffered: in unbuffered mode (0) a WRITE or WRITE FILEMARKS returns
// GOOD only after Tape::Sync; the short and extended READ POSITION forms count
// the objects and bytes written since the last durable point.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ssc_test_util.h"
#include "vtape/forwarding_tape.h"

namespace vtape::ssc::testing {
namespace {

// Records the calls that decide durability; Sync fails while `fail_sync`.
class SyncRecordingTape final : public ForwardingTape {
 public:
  using ForwardingTape::ForwardingTape;
  Status Write(std::span<const std::uint8_t> r) override {
    calls.push_back("write " + std::to_string(r.size()));
    return ForwardingTape::Write(r);
  }
  Status WriteFilemarks(std::uint64_t n, bool sync) override {
    calls.push_back("weof " + std::to_string(n) + (sync ? " sync" : " async"));
    return ForwardingTape::WriteFilemarks(n, sync);
  }
  Status Sync() override {
    calls.push_back("sync");
    if (fail_sync) return Status::IoError("fdatasync: Input/output error");
    return ForwardingTape::Sync();
  }
  std::vector<std::string> calls;
  bool fail_sync = false;
};

struct Fixture {
  Fixture() {
    std::unique_ptr<Tape> mem;
    EXPECT_TRUE(OpenTape("mem:", {}, mem).ok());
    auto owned = std::make_unique<SyncRecordingTape>(std::move(mem));
    tape = owned.get();
    drive = std::make_unique<DirectDrive>(std::move(owned));
  }
  // MODE SELECT(6), header only, BUFFERED MODE `mode`.
  void SetBufferedMode(std::uint8_t mode) {
    drive->Run({0x15, 0x10, 0, 0, 4, 0}, Bytes{0, 0, static_cast<std::uint8_t>(mode << 4), 0});
    ASSERT_EQ(drive->status(), kStatusGood);
    ASSERT_EQ(drive->state().mode.buffered_mode, mode);
  }
  Bytes ShortPosition() {
    drive->Run(ReadPositionCdb(0x00), {}, 20);
    EXPECT_EQ(drive->status(), kStatusGood);
    return drive->data();
  }
  Bytes ExtendedPosition() {
    drive->Run(ReadPositionCdb(0x08, 32), {}, 32);
    EXPECT_EQ(drive->status(), kStatusGood);
    return drive->data();
  }
  SyncRecordingTape* tape;
  std::unique_ptr<DirectDrive> drive;
};

// The short form: BOP flag, first = last = `object`, `objects`/`bytes` buffered.
Bytes ShortForm(bool bop, std::uint32_t object, std::uint32_t objects, std::uint32_t bytes) {
  Bytes b(20, 0);
  b[0] = bop ? 0x80 : 0;
  Put(b, 4, 4, object);
  Put(b, 8, 4, object);
  Put(b, 13, 3, objects);
  Put(b, 16, 4, bytes);
  return b;
}

Bytes ExtendedForm(bool bop, std::uint64_t object, std::uint32_t objects, std::uint64_t bytes) {
  Bytes b(32, 0);
  b[0] = bop ? 0x80 : 0;
  b[3] = 28;
  Put(b, 5, 3, objects);
  Put(b, 8, 8, object);
  Put(b, 16, 8, object);
  Put(b, 24, 8, bytes);
  return b;
}

TEST(BufferedMode, UnbufferedWriteReturnsGoodOnlyAfterSync) {
  Fixture f;
  f.SetBufferedMode(0);
  f.drive->Run(Write6(100), Pattern(100));
  EXPECT_EQ(f.drive->status(), kStatusGood);
  f.drive->Run(Write6(7), Pattern(7));
  EXPECT_EQ(f.drive->status(), kStatusGood);
  EXPECT_EQ(f.tape->calls, (std::vector<std::string>{"write 100", "sync", "write 7", "sync"}));
  EXPECT_EQ(f.ShortPosition(), ShortForm(false, 2, 0, 0));
}

TEST(BufferedMode, UnbufferedFilemarksAreSynchronousEvenWithImmed) {
  Fixture f;
  f.SetBufferedMode(0);
  f.drive->Run(WriteFilemarks6(2, /*immed=*/true));
  EXPECT_EQ(f.drive->status(), kStatusGood);
  f.drive->Run(WriteFilemarks6(0, /*immed=*/true));  // a flush request in unbuffered mode
  EXPECT_EQ(f.drive->status(), kStatusGood);
  EXPECT_EQ(f.tape->calls, (std::vector<std::string>{"weof 2 sync", "sync"}));
}

TEST(BufferedMode, BufferedWriteDoesNotSync) {
  Fixture f;  // power-on default: buffered mode 1
  f.drive->Run(Write6(100), Pattern(100));
  f.drive->Run(WriteFilemarks6(1, /*immed=*/true));
  EXPECT_EQ(f.tape->calls, (std::vector<std::string>{"write 100", "weof 1 async"}));
}

TEST(BufferedMode, UnbufferedWriteWhoseSyncFailsIsNotGood) {
  Fixture f;
  f.SetBufferedMode(0);
  f.tape->fail_sync = true;
  f.drive->Run(Write6(100), Pattern(100));
  // HARDWARE ERROR 44h/00h: the record is not known to be durable.
  EXPECT_EQ(f.drive->sense(), ExpectSense(0x04, 0x44, 0x00));
  f.drive->Run(Write6(4, /*fixed=*/false), Pattern(4));
  EXPECT_EQ(f.drive->status(), kStatusCheckCondition);
  f.tape->fail_sync = false;
  // Neither record became durable: both still count as buffered.
  EXPECT_EQ(f.ShortPosition(), ShortForm(false, 2, 2, 104));
}

TEST(BufferedMode, ReadPositionCountsWhatIsNotDurableYet) {
  Fixture f;
  EXPECT_EQ(f.ShortPosition(), ShortForm(true, 0, 0, 0));
  f.drive->Run(Write6(100), Pattern(100));
  f.drive->Run(Write6(3000), Pattern(3000));
  EXPECT_EQ(f.ShortPosition(), ShortForm(false, 2, 2, 3100));
  EXPECT_EQ(f.ExtendedPosition(), ExtendedForm(false, 2, 2, 3100));
  f.drive->Run(WriteFilemarks6(1, /*immed=*/true));  // a buffered filemark is an object too
  EXPECT_EQ(f.ShortPosition(), ShortForm(false, 3, 3, 3100));
  f.drive->Run(WriteFilemarks6(1));  // synchronous: everything so far is durable
  EXPECT_EQ(f.ShortPosition(), ShortForm(false, 4, 0, 0));
  EXPECT_EQ(f.ExtendedPosition(), ExtendedForm(false, 4, 0, 0));
  f.drive->Run(Write6(5), Pattern(5));
  EXPECT_EQ(f.ShortPosition(), ShortForm(false, 5, 1, 5));
  f.drive->Run(WriteFilemarks6(0));  // flush
  EXPECT_EQ(f.ShortPosition(), ShortForm(false, 5, 0, 0));
}

TEST(BufferedMode, UnloadIsADurablePoint) {
  Fixture f;
  f.drive->Run(Write6(10), Pattern(10));
  EXPECT_EQ(f.ShortPosition(), ShortForm(false, 1, 1, 10));
  f.drive->Run(LoadUnload(0x00));
  ASSERT_EQ(f.drive->status(), kStatusGood);
  f.drive->Run(LoadUnload(0x01));
  ASSERT_EQ(f.drive->status(), kStatusGood);
  EXPECT_EQ(f.ShortPosition(), ShortForm(true, 0, 0, 0));
}

// A drive writes its buffer to the medium before it repositions: REWIND,
// LOCATE and SPACE after buffered writes are durable points; with nothing
// buffered they sync nothing.
TEST(BufferedMode, RepositioningWritesTheBufferToTheMedium) {
  Fixture f;
  f.drive->Run(Write6(10), Pattern(10));
  f.drive->Run(RewindCdb());
  ASSERT_EQ(f.drive->status(), kStatusGood);
  EXPECT_EQ(f.ShortPosition(), ShortForm(true, 0, 0, 0));
  f.drive->Run(Space6(0, 1));  // nothing buffered: no sync
  f.drive->Run(Write6(20), Pattern(20));
  f.drive->Run(Locate10(1));
  ASSERT_EQ(f.drive->status(), kStatusGood);
  f.drive->Run(Write6(30), Pattern(30));
  f.drive->Run(Space6(0, -1));
  ASSERT_EQ(f.drive->status(), kStatusGood);
  EXPECT_EQ(f.tape->calls,
            (std::vector<std::string>{"write 10", "sync", "write 20", "sync", "write 30", "sync"}));
  EXPECT_EQ(f.ShortPosition(), ShortForm(false, 1, 0, 0));
}

TEST(BufferedMode, RepositioningWhoseFlushFailsDoesNotMove) {
  Fixture f;
  f.drive->Run(Write6(10), Pattern(10));
  f.tape->fail_sync = true;
  f.drive->Run(RewindCdb());
  EXPECT_EQ(f.drive->sense(), ExpectSense(0x04, 0x44, 0x00));
  f.tape->fail_sync = false;
  EXPECT_EQ(f.ShortPosition(), ShortForm(false, 1, 1, 10)) << "still after the record, buffered";
}

}  // namespace
}  // namespace vtape::ssc::testing
