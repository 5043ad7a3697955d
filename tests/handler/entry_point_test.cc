// RunEntryPoint (handler/entry_point.h): a pthread_cancel that reaches a thread
// inside a handler callout is acted on only after the callout finished, and a
// forced unwind is never swallowed. Each scenario runs in a child process (death
// test): without the guard glibc aborts the process ("exception not rethrown").
#include "handler/entry_point.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace vtape::ssc {
namespace {

// A worker thread and the two pipes that steer it: `started` tells the test the
// worker is inside the callout, `go` is what the worker's read() waits for.
struct Scenario {
  int started[2] = {-1, -1};
  int go[2] = {-1, -1};
  bool reenable_cancellation = false;  // as a library calling pthread_setcancelstate would
  bool body_finished = false;
  bool on_exception_called = false;
  bool passed_cancellation_point = false;
};

void* Worker(void* arg) {
  auto& s = *static_cast<Scenario*>(arg);
  int result = RunEntryPoint(
      [&] {
        if (s.reenable_cancellation) pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, nullptr);
        char c = 's';
        if (write(s.started[1], &c, 1) != 1) return -1;
        if (read(s.go[0], &c, 1) != 1) return -1;  // a cancellation point, blocked here
        s.body_finished = true;
        return 0;
      },
      [&](std::string_view) {
        s.on_exception_called = true;
        return -2;
      });
  (void)result;
  pthread_testcancel();  // the first cancellation point after the callout
  s.passed_cancellation_point = true;
  return nullptr;
}

// Starts the worker, cancels it while it waits inside the callout, then lets the
// callout go on. Returns how the worker ended.
void* CancelDuringCallout(Scenario& s) {
  if (pipe(s.started) != 0 || pipe(s.go) != 0) std::_Exit(10);
  pthread_t thread;
  if (pthread_create(&thread, nullptr, Worker, &s) != 0) std::_Exit(11);
  char c;
  if (read(s.started[0], &c, 1) != 1) std::_Exit(12);
  if (pthread_cancel(thread) != 0) std::_Exit(13);
  if (write(s.go[1], "g", 1) != 1) std::_Exit(14);  // a cancelled worker never reads it
  void* ret = nullptr;
  if (pthread_join(thread, &ret) != 0) std::_Exit(15);
  return ret;
}

class EntryPointDeathTest : public testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(EntryPointDeathTest, CancelWaitsUntilTheCalloutFinished) {
  EXPECT_EXIT(
      {
        Scenario s;
        void* ret = CancelDuringCallout(s);
        const bool ok = ret == PTHREAD_CANCELED && s.body_finished && !s.on_exception_called &&
                        !s.passed_cancellation_point;
        std::_Exit(ok ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
}

TEST_F(EntryPointDeathTest, ForcedUnwindInsideTheCalloutIsPassedOn) {
  EXPECT_EXIT(
      {
        Scenario s;
        s.reenable_cancellation = true;
        void* ret = CancelDuringCallout(s);
        const bool ok = ret == PTHREAD_CANCELED && !s.body_finished && !s.on_exception_called &&
                        !s.passed_cancellation_point;
        std::_Exit(ok ? 0 : 1);
      },
      testing::ExitedWithCode(0), "");
}

TEST(EntryPointTest, ExceptionsBecomeTheErrorValue) {
  std::string seen;
  int r = RunEntryPoint([]() -> int { throw std::runtime_error("disk on fire"); },
                        [&](std::string_view what) {
                          seen = std::string(what);
                          return -5;
                        });
  EXPECT_EQ(r, -5);
  EXPECT_EQ(seen, "disk on fire");
  r = RunEntryPoint([]() -> int { throw 42; },
                    [&](std::string_view what) {
                      seen = std::string(what);
                      return -6;
                    });
  EXPECT_EQ(r, -6);
  EXPECT_EQ(seen, "unknown error");
}

TEST(EntryPointTest, CancellationStateIsRestoredAfterTheCallout) {
  int during = -1;
  RunEntryPoint(
      [&] {
        pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &during);
        return 0;
      },
      [](std::string_view) { return 1; });
  EXPECT_EQ(during, PTHREAD_CANCEL_DISABLE);
  int after = -1;
  pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &after);
  EXPECT_EQ(after, PTHREAD_CANCEL_ENABLE);
}

}  // namespace
}  // namespace vtape::ssc
