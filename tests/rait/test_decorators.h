// Test support: two decorators for rait members, registered as backends so a
// set names them like any member. Not part of the product.
//
//   cut:NAME       forwards to NAME until the shared crash budget runs out:
//                  every call that changes a medium (Write, WriteFilemarks,
//                  Erase, Sync, WriteAttribute, ...) spends one unit, over all
//                  cut: handles together. The call that finds the budget empty
//                  and every later call fail with kIoError and reach nothing:
//                  the process died between two member writes.
//   fmroom:K:NAME  forwards to NAME, but a WriteFilemarks finds room for only K
//                  more filemarks in all: it writes what fits and fails with
//                  kEndOfMedium (a host disk filling up mid-command).
#pragma once

#include <cstdint>
#include <limits>

namespace vtape::rait::testing {

void RegisterTestDecorators();  // idempotent

inline constexpr std::uint64_t kNoCut = std::numeric_limits<std::uint64_t>::max();
// Arms the crash: `changes` more medium-changing calls go through (kNoCut: no crash).
void SetCrashCut(std::uint64_t changes);
// How many medium-changing calls cut: handles made since the last SetCrashCut.
std::uint64_t ChangesSinceCut();

}  // namespace vtape::rait::testing
