// Test support: `keep:ID`, an in-memory medium that outlives Close, so rait
// tests can reopen sets, remove members, damage them behind the set's back and
// rebuild them without touching the disk. Not part of the product.
#pragma once

#include <string>

#include "vtape/tape.h"

namespace vtape::rait::testing {

// Registers the keep: prefix (idempotent). Create makes (or with overwrite,
// replaces) medium ID from the CreateOptions; Open fails kNotFound when absent.
void RegisterKeptBackend();

// The stored medium, to inspect or damage directly (its position is shared
// with any open handle). nullptr when absent.
Tape* KeptMedium(const std::string& id);
// Deletes the medium: open handles fail every call with kIoError from now on
// (a member pulled out of the drive), and opening it fails kNotFound.
void RemoveKept(const std::string& id);
// Forgets every medium (between tests).
void ClearKept();
// Flips a byte in the middle of record `object` without the medium noticing
// (silent corruption); keeps the medium's position.
void CorruptKeptRecord(const std::string& id, std::uint64_t object);
// Swaps two media (either may be absent: swapping with an unused id hides one) (a member plugged
// into the wrong slot).
void SwapKept(const std::string& a, const std::string& b);

}  // namespace vtape::rait::testing
