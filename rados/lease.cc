#include "rados/lease.h"

#include <rados/librados.h>

#include <cerrno>

#include "rados/layout.h"

namespace vtape::rados {

Lease::Lease(const Connection& conn, std::string oid, std::string cookie, std::string description,
             std::uint32_t seconds, std::chrono::steady_clock::time_point granted,
             std::string label)
    : conn_(conn),
      oid_(std::move(oid)),
      cookie_(std::move(cookie)),
      description_(std::move(description)),
      label_(std::move(label)),
      length_(seconds),
      granted_(granted),
      renewer_([this] { Renew(); }) {}

Lease::~Lease() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  renewer_.join();
}

Status Lease::Valid() const {
  std::lock_guard lock(mu_);
  if (!refused_.empty()) {
    return Status::IoError("rados:" + label_ + ": the writer's lease was lost (" + refused_ +
                           "): another gateway may own the cartridge; reopen it");
  }
  if (std::chrono::steady_clock::now() - granted_ >= length_) {
    return Status::IoError("rados:" + label_ + ": the writer's lease expired (not renewed for " +
                           std::to_string(length_.count()) +
                           " s): another gateway may own the cartridge; reopen it");
  }
  return Status::Ok();
}

void Lease::Renew() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (wake_.wait_for(lock, length_ / 3, [this] { return stopping_; })) return;
    if (!refused_.empty()) continue;  // lost for good: nothing to renew
    const auto sent = std::chrono::steady_clock::now();
    lock.unlock();
    timeval duration{static_cast<time_t>(length_.count()), 0};
    // MUST_RENEW: an expired lock another gateway has taken (or broken) is not
    // taken back behind its back.
    int r = rados_lock_exclusive(conn_.io(), oid_.c_str(), kLockName, cookie_.c_str(),
                                 description_.c_str(), &duration, LIBRADOS_LOCK_FLAG_MUST_RENEW);
    lock.lock();
    if (r == 0) {
      granted_ = sent;
    } else if (r == -ENOENT || r == -EBUSY || r == -EEXIST || r == -ESHUTDOWN) {
      refused_ = r == -ESHUTDOWN ? "this gateway was fenced (blocklisted)"
                                 : "the lock was broken or taken over";
    }
    // Other errors (cluster unreachable): retried; Valid() fails once the lease ran out.
  }
}

}  // namespace vtape::rados
