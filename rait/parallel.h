// Runs one job per member at the same time: members are distinct Tapes (which
// the interface lets distinct threads use concurrently), usually distinct
// files, so their copies, checksums and system calls overlap.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vtape::rait {

class ParallelFor {
 public:
  explicit ParallelFor(std::size_t workers);
  ~ParallelFor();
  ParallelFor(const ParallelFor&) = delete;
  ParallelFor& operator=(const ParallelFor&) = delete;

  // Calls job(i) for every i in [0, count) and returns when all are done. The
  // calling thread takes part. `job` must not throw.
  void Run(std::size_t count, const std::function<void(std::size_t)>& job);

 private:
  void Work();
  bool TakeOne();  // runs one pending job; false when none is left

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t)>* job_ = nullptr;
  std::size_t next_ = 0, count_ = 0, finished_ = 0;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace vtape::rait
