// How every tcmu-runner callout of the handler runs its body: with pthread
// cancellation disabled, and with C++ exceptions turned into an error value.
// No tcmu types here, so it is unit tested without a kernel (tests/handler).
//
// Why. tcmu-runner 1.5.4 stops a device's cmdproc thread with pthread_cancel
// (main.c dev_removed -> tcmu_thread_cancel), on device removal and on SIGTERM
// (tcmulib_close removes every device). A cancel acted on inside a handler
// callout, e.g. in pwrite/fdatasync of the medium or a RAIT member wait, starts
// glibc's forced unwind (abi::__forced_unwind) through our frames: a
// `catch (...)` that does not rethrow it makes glibc abort the whole process
// ("FATAL: exception not rethrown"), and even a rethrown unwind abandons the
// command halfway. So each callout disables cancellation for its whole body;
// a pending cancel is then acted on at the runner's own next cancellation point
// (ppoll in the cmdproc loop), after the command finished and its data is where
// the command says it is. The runner's cleanup handler (tcmur_stop_device) then
// calls close(), which flushes and closes the medium.
//
// abi::__forced_unwind is still caught and rethrown before any catch-all:
// should something re-enable cancellation inside (a library calling
// pthread_setcancelstate), the thread ends cancelled instead of the process
// aborting.
#pragma once

#include <cxxabi.h>
#include <pthread.h>

#include <exception>
#include <string_view>

namespace vtape::ssc {

// Disables pthread cancellation for its lifetime and restores the previous
// state after. pthread_setcancelstate is no cancellation point: a cancel that
// arrived meanwhile stays pending until the thread's next cancellation point.
class CancellationDisabled {
 public:
  CancellationDisabled() { pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &previous_); }
  ~CancellationDisabled() { pthread_setcancelstate(previous_, nullptr); }
  CancellationDisabled(const CancellationDisabled&) = delete;
  CancellationDisabled& operator=(const CancellationDisabled&) = delete;

 private:
  int previous_ = PTHREAD_CANCEL_ENABLE;
};

// Runs `body()` as a handler callout: cancellation disabled throughout, a C++
// exception answered by `on_exception(what)` (its value is returned), a forced
// unwind passed on. `body` and `on_exception` return the same type.
template <typename Body, typename OnException>
auto RunEntryPoint(Body&& body, OnException&& on_exception) -> decltype(body()) {
  CancellationDisabled no_cancel;
  try {
    return body();
  } catch (abi::__forced_unwind&) {
    throw;  // thread cancellation: must reach the thread's start, or glibc aborts
  } catch (const std::exception& e) {
    return on_exception(std::string_view(e.what()));
  } catch (...) {
    return on_exception(std::string_view("unknown error"));
  }
}

}  // namespace vtape::ssc
