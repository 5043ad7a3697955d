// Sessions, not commands: CHAP authentication, two initiators and
// reservations (which LIO answers itself), and task management (ABORT TASK,
// LUN RESET) in the middle of large writes.
#include <algorithm>

#include "tests/iscsi/fixture.h"

namespace vtape::iscsi_test {
namespace {

std::string LoginError(Target t) {
  std::string error;
  std::unique_ptr<Session> s = Session::Login(t, error);
  return s ? std::string() : error;
}

TEST(ChapTest, WrongSecretIsRefused) {
  Target t = Expect().target;
  t.chap_secret += "-wrong";
  EXPECT_NE(LoginError(t), "") << "login with a wrong CHAP secret succeeded";
}

TEST(ChapTest, NoCredentialsAreRefused) {
  Target t = Expect().target;
  t.chap_user.clear();
  EXPECT_NE(LoginError(t), "") << "login without CHAP succeeded";
}

TEST(ChapTest, InitiatorWithoutAnAclIsRefused) {
  Target t = Expect().target;
  t.initiator = "iqn.2026-11.org.vtape:stranger";
  EXPECT_NE(LoginError(t), "") << "an initiator outside the ACLs logged in";
}

TEST(ChapTest, RightSecretLogsIn) {
  EXPECT_EQ(LoginError(Expect().target), "");
}

// Two nexuses to the same drive: `session_` (initiator 1) and `other_`.
class TwoInitiatorsTest : public DriveTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(DriveTest::SetUp());
    other_ = LoginAs(Expect().second_initiator);
    ASSERT_NE(other_, nullptr);
  }
  // A medium access that changes nothing: READ(6) of zero bytes.
  Reply Probe(Session& s) { return s.Run(cdb::Read6(0)); }
  std::unique_ptr<Session> other_;
};

TEST_F(TwoInitiatorsTest, Reserve6ConflictsForTheOtherInitiatorUntilReleased) {
  ASSERT_GOOD(Run(cdb::Reserve6()));
  Reply conflict = Probe(*other_);
  EXPECT_EQ(conflict.status, kStatusReservationConflict) << conflict.Describe();
  EXPECT_GOOD(Probe(*session_)) << "the holder keeps access";
  ASSERT_GOOD(Run(cdb::Release6()));
  EXPECT_GOOD(Probe(*other_));
}

TEST_F(TwoInitiatorsTest, PersistentReservationConflictsForAnUnregisteredInitiator) {
  constexpr std::uint64_t kKey = 0xA1B2C3D4E5F60718ull;
  ASSERT_GOOD(Run(cdb::PersistentReserveOut(cdb::kPrRegister, 0), 0, cdb::PrParameters(0, kKey)));
  Reply reserve = Run(cdb::PersistentReserveOut(cdb::kPrReserve, cdb::kPrTypeExclusiveAccess), 0,
                      cdb::PrParameters(kKey, 0));
  EXPECT_GOOD(reserve);

  // The other initiator sees the reservation and is shut out.
  Reply in = other_->Run(cdb::PersistentReserveIn(0x01, 64), 64);
  EXPECT_GOOD(in);
  if (in.status == kStatusGood) {
    EXPECT_EQ(Get32(in.data, 4), 16u) << "one reservation descriptor";
    EXPECT_EQ(Get64(in.data, 8), kKey);
    EXPECT_EQ(in.data[21] & 0x0F, cdb::kPrTypeExclusiveAccess);
  }
  Reply conflict = Probe(*other_);
  EXPECT_EQ(conflict.status, kStatusReservationConflict) << conflict.Describe();
  EXPECT_GOOD(Probe(*session_));

  // CLEAR releases and unregisters everything, whatever happened above.
  ASSERT_GOOD(Run(cdb::PersistentReserveOut(cdb::kPrClear, 0), 0, cdb::PrParameters(kKey, 0)));
  EXPECT_GOOD(Probe(*other_));
}

// Large writes in flight, then task management; afterwards the drive must
// answer, and the tape must hold, in order and intact, every record whose
// WRITE got GOOD, plus possibly the ones that were aborted, and nothing else.
class TaskManagementTest : public DriveTest {
 protected:
  static constexpr int kWrites = 8;
  static constexpr std::uint32_t kSeed = 5000;

  void StartWrites() {
    record_ = Expect().max_block;
    // An empty medium: what the tape holds afterwards is then only this test's writes.
    ASSERT_GOOD(Run(cdb::Rewind()));
    ASSERT_GOOD(Run(cdb::Erase6(/*long_erase=*/true)));
    for (int i = 0; i < kWrites; ++i) {
      Session::Pending* p = session_->Start(
          cdb::Write6(record_), Pattern(record_, kSeed + static_cast<std::uint32_t>(i)));
      ASSERT_NE(p, nullptr) << "queueing write " << i;
      writes_.push_back(p);
    }
    ASSERT_TRUE(session_->SendQueued(120)) << "the writes never left the initiator";
  }

  void ExpectConsistentTape() {
    ASSERT_TRUE(session_->WaitAll(300)) << "commands still outstanding after the TMF";
    std::vector<int> good;
    for (int i = 0; i < kWrites; ++i) {
      int st = session_->StatusOf(writes_[i]);
      EXPECT_TRUE(st == kStatusGood || st == Session::kCancelled) << "write " << i << ": " << st;
      if (st == kStatusGood) good.push_back(i);
    }
    ASSERT_NO_FATAL_FAILURE(ClearUnitAttentions());
    // An aborted WRITE may or may not have been carried out (SAM-5): the medium
    // is judged by what it holds, read from BOP to BLANK CHECK, and the drive's
    // position must agree with it.
    std::uint32_t first_seen = Position();
    std::string good_list;
    for (int g : good) good_list += " " + std::to_string(g);
    SCOPED_TRACE("READ POSITION after the TMF: " + std::to_string(first_seen) +
                 "; writes answered GOOD:" + (good_list.empty() ? " none" : good_list));
    ASSERT_GOOD(Run(cdb::Rewind()));
    std::vector<int> found;
    for (int n = 0;; ++n) {
      Reply r = Run(cdb::Read6(record_), record_);
      if (r.status != kStatusGood) {
        EXPECT_SENSE(r, 0x8, 0x00, 0x05);  // end of data, nothing else
        break;
      }
      ASSERT_LE(n, kWrites) << "more records than were written";
      int which = -1;
      for (int i = 0; i < kWrites && which < 0; ++i) {
        if (r.data == Pattern(record_, kSeed + static_cast<std::uint32_t>(i))) which = i;
      }
      ASSERT_GE(which, 0) << "record " << n << " is not any record that was written whole";
      found.push_back(which);
    }
    EXPECT_EQ(Position(), found.size()) << "the drive's position disagrees with its medium";
    EXPECT_EQ(first_seen, found.size())
        << "the position after the TMF was not after the last write";
    EXPECT_TRUE(std::is_sorted(found.begin(), found.end())) << "records out of order";
    EXPECT_EQ(std::adjacent_find(found.begin(), found.end()), found.end()) << "a record twice";
    for (int g : good) {
      EXPECT_NE(std::find(found.begin(), found.end(), g), found.end())
          << "write " << g << " got GOOD but is not on the tape";
    }
    // And the drive still works: append one more record and read it back.
    ASSERT_NO_FATAL_FAILURE(WriteRecord(64, 1));
    ASSERT_GOOD(Run(cdb::Space6(cdb::kSpaceBlocks, -1)));
    Reply last = Run(cdb::Read6(64), 64);
    ASSERT_GOOD(last);
    EXPECT_EQ(last.data, Pattern(64, 1));
  }

  std::uint32_t record_ = 0;
  std::vector<Session::Pending*> writes_;
};

TEST_F(TaskManagementTest, AbortTaskDuringLargeWrites) {
  ASSERT_NO_FATAL_FAILURE(StartWrites());
  // The last write is the one most likely still queued when the abort arrives.
  int response = session_->AbortTask(writes_.back());
  // 0: function complete; 1: the task had already finished.
  EXPECT_TRUE(response == 0 || response == 1) << "ABORT TASK response " << response;
  ExpectConsistentTape();
}

TEST_F(TaskManagementTest, LunResetDuringLargeWrites) {
  ASSERT_NO_FATAL_FAILURE(StartWrites());
  ASSERT_EQ(session_->LunReset(), 0) << "LUN RESET response; " << session_->last_error();
  ExpectConsistentTape();
}

}  // namespace
}  // namespace vtape::iscsi_test
