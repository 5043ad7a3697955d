#include "rait/parallel.h"

namespace vtape::rait {

ParallelFor::ParallelFor(std::size_t workers) {
  for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(); });
}

ParallelFor::~ParallelFor() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

bool ParallelFor::TakeOne() {
  std::size_t i;
  const std::function<void(std::size_t)>* job;
  {
    std::lock_guard lock(mutex_);
    if (!job_ || next_ >= count_) return false;
    i = next_++;
    job = job_;
  }
  (*job)(i);
  {
    std::lock_guard lock(mutex_);
    if (++finished_ == count_) done_.notify_all();
  }
  return true;
}

void ParallelFor::Work() {
  std::uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    while (TakeOne()) {
    }
  }
}

void ParallelFor::Run(std::size_t count, const std::function<void(std::size_t)>& job) {
  if (count == 0) return;
  if (threads_.empty() || count == 1) {
    for (std::size_t i = 0; i < count; ++i) job(i);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    job_ = &job;
    next_ = 0;
    count_ = count;
    finished_ = 0;
    ++generation_;
  }
  wake_.notify_all();
  while (TakeOne()) {
  }
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return finished_ == count_; });
  job_ = nullptr;
}

}  // namespace vtape::rait
