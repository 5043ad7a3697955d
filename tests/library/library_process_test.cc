// Processes: kill -9 in the middle of moves, two writers at once, and the
// presented lock that keeps the tool off the drives while tcmu-runner has them.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <random>

#include "tests/library/library_fixture.h"

namespace vtape::library {
namespace {

// Counts where each barcode is over every element: each must be exactly once.
std::map<std::string, int> Places(const State& s) {
  std::map<std::string, int> places;
  for (const std::vector<Element>* group : {&s.drives, &s.import_export, &s.slots}) {
    for (const Element& e : *group) {
      if (e.full()) ++places[e.barcode];
    }
  }
  return places;
}

// The child's loop: random moves and exchanges between random elements,
// forever. Writes one byte to `ready` after its first successful change.
[[noreturn]] void MoveForever(const std::string& dir, unsigned seed, int ready) {
  std::unique_ptr<Library> lib;
  if (!Library::Open(dir, {}, lib).ok()) _exit(90);
  std::mt19937 random(seed);
  std::vector<std::uint16_t> addresses;
  for (const std::vector<Element>* group :
       {&lib->state().drives, &lib->state().import_export, &lib->state().slots}) {
    for (const Element& e : *group) addresses.push_back(e.address);
  }
  auto pick = [&] { return addresses[random() % addresses.size()]; };
  bool told = false;
  for (;;) {
    Result r =
        random() % 4 == 0 ? lib->Exchange(pick(), pick(), pick()) : lib->Move(pick(), pick());
    if (!r.ok() && r.reason == Reason::kNone) _exit(91);  // a failure, not a refusal
    if (r.ok() && !told) {
      if (write(ready, "x", 1) != 1) _exit(92);
      told = true;
    }
  }
}

TEST_F(LibraryTest, KillNineDuringMovesLeavesEveryCartridgeInExactlyOnePlace) {
  Make(20, {2, 30, 2});
  std::mt19937 random(20261130);
  std::uint64_t generation = 1;
  const int kRounds = 40;
  for (int round = 0; round < kRounds; ++round) {
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(ready[0]);
      MoveForever(dir_, static_cast<unsigned>(round), ready[1]);
    }
    close(ready[1]);
    char byte = 0;
    ASSERT_EQ(read(ready[0], &byte, 1), 1) << "the child made no move (round " << round << ")";
    close(ready[0]);
    usleep(static_cast<useconds_t>(random() % 8000));  // somewhere inside a later move
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status))
        << "child exited " << WEXITSTATUS(status) << " in round " << round;

    Reopen();
    const State& s = lib_->state();
    ASSERT_GT(s.generation, generation) << "round " << round;  // at least the announced move
    generation = s.generation;
    std::map<std::string, int> places = Places(s);
    ASSERT_EQ(places.size(), 20u) << "round " << round;
    for (const auto& [barcode, count] : places) {
      ASSERT_EQ(count, 1) << barcode << " in round " << round;
      ASSERT_NE(s.FindCartridge(barcode), nullptr);
    }
    ASSERT_EQ(s.cartridges.size(), 20u);
  }
  // The library still works after all that.
  std::uint16_t full = 0, empty = 0;
  for (const Element& e : lib_->state().slots) (e.full() ? full : empty) = e.address;
  EXPECT_DONE(lib_->Move(full, empty));
}

// Child: ping-pongs its cartridge between two slots `moves` times; exits with
// the number of operations that did not succeed.
[[noreturn]] void PingPong(const std::string& dir, std::uint16_t a, std::uint16_t b, int moves) {
  std::unique_ptr<Library> lib;
  if (!Library::Open(dir, {}, lib).ok()) _exit(100);
  int failed = 0;
  for (int i = 0; i < moves; ++i) {
    Result r = i % 2 == 0 ? lib->Move(a, b) : lib->Move(b, a);
    if (!r.ok()) ++failed;
  }
  _exit(failed);
}

TEST_F(LibraryTest, TwoProcessesChangingTheLibraryAreSerialised) {
  Make(4, {1, 10, 1});
  const int kMoves = 60;
  pid_t first = fork();
  ASSERT_GE(first, 0);
  if (first == 0) PingPong(dir_, kSlot1, kSlot5, kMoves);
  pid_t second = fork();
  ASSERT_GE(second, 0);
  if (second == 0) PingPong(dir_, kSlot2, kSlot6, kMoves + 1);
  for (pid_t child : {first, second}) {
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "a move was refused: another process's update was lost";
  }
  Reopen();
  // Every change of both is in the file: none overwrote another's.
  EXPECT_EQ(lib_->state().generation, 1u + kMoves + kMoves + 1);
  EXPECT_EQ(At(kSlot1).barcode, "A00001L8");  // an even number of moves: back home
  EXPECT_FALSE(At(kSlot5).full());
  EXPECT_EQ(At(kSlot6).barcode, "A00002L8");  // odd: in the other slot
  EXPECT_EQ(At(kSlot6).source, kSlot2);
  EXPECT_FALSE(At(kSlot2).full());
}

TEST_F(LibraryTest, OnlyTheProcessPresentingTheLibraryTouchesItsDrives) {
  Make();
  std::unique_ptr<Library> runner;
  ASSERT_TRUE(Library::Open(dir_, {.present = true}, runner).ok());
  std::unique_ptr<Library> second;
  Status busy = Library::Open(dir_, {.present = true}, second);
  EXPECT_EQ(busy.code(), Code::kBusy);
  EXPECT_NE(busy.message().find("already presented by another process"), std::string::npos);

  EXPECT_REFUSED(lib_->Move(kSlot1, kDrive0), Reason::kPresented,
                 "drive:0 is a drive of a library that tcmu-runner presents");
  EXPECT_REFUSED(lib_->Exchange(kSlot1, kSlot2, kDrive1), Reason::kPresented, "drive:1");
  EXPECT_DONE(lib_->Move(kSlot1, kSlot5));     // slots: fine
  EXPECT_DONE(lib_->Move(kSlot5, kIe1));       // mail slots: fine
  EXPECT_DONE(lib_->Export(kIe1));             // the operator: fine
  EXPECT_DONE(runner->Move(kSlot2, kDrive0));  // the presenter loads drives
  EXPECT_REFUSED(lib_->Move(kDrive0, kSlot2), Reason::kPresented, "drive:0");
  // An invalid address is still reported as such.
  EXPECT_REFUSED(lib_->Move(kDrive0, 0x0400), Reason::kInvalidElement, "0x0400");

  runner.reset();  // tcmu-runner let go of the library
  EXPECT_DONE(lib_->Move(kDrive0, kSlot2));
  ASSERT_TRUE(Library::Open(dir_, {.present = true}, second).ok());
}

TEST_F(LibraryTest, APresenterInAnotherProcessKeepsTheToolOffTheDrives) {
  Make();
  int ready[2], stop[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(stop), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::unique_ptr<Library> runner;
    if (!Library::Open(dir_, {.present = true}, runner).ok()) _exit(1);
    char byte = 0;
    if (write(ready[1], "x", 1) != 1 || read(stop[0], &byte, 1) != 1) _exit(2);
    _exit(0);
  }
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  EXPECT_REFUSED(lib_->Move(kSlot1, kDrive1), Reason::kPresented, "drive:1");
  ASSERT_EQ(write(stop[1], "x", 1), 1);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_DONE(lib_->Move(kSlot1, kDrive1));
  for (int fd : {ready[0], ready[1], stop[0], stop[1]}) close(fd);
}

}  // namespace
}  // namespace vtape::library
