// The writer's lock as a lease (rados:{lease=SEC}): a thread renews it every third
// of its length while the cartridge is open; once a renewal is overdue or refused,
// this writer may have lost the cartridge to another gateway and must not write.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "rados/connection.h"
#include "vtape/status.h"

namespace vtape::rados {

class Lease {
 public:
  // Starts renewing the exclusive lock `cookie` on `oid`, taken with a duration of
  // `seconds` by a request sent at `granted`. `label` names the cartridge in errors.
  Lease(const Connection& conn, std::string oid, std::string cookie, std::string description,
        std::uint32_t seconds, std::chrono::steady_clock::time_point granted, std::string label);
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  // Ok while the lock is certainly still ours: the last successful renewal (or the
  // taking) was less than the lease ago, measured from before the request was sent.
  Status Valid() const;

 private:
  void Renew();

  const Connection& conn_;
  const std::string oid_, cookie_, description_, label_;
  const std::chrono::seconds length_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point granted_;  // when the lock was last (re)taken
  std::string refused_;                             // why a renewal was refused, for good
  std::thread renewer_;
};

}  // namespace vtape::rados
