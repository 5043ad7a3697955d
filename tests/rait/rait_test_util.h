// Shared helpers of the rait tests: deterministic payloads, set names over
// keep: members, and whole-tape snapshots to compare members byte for byte.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rait/rait.h"
#include "tests/rait/kept_backend.h"
#include "vtape/registry.h"
#include "vtape/tape.h"

namespace vtape::rait::testing {

inline std::vector<std::uint8_t> Payload(std::size_t n, std::uint32_t seed) {
  std::vector<std::uint8_t> v(n);
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    v[i] = static_cast<std::uint8_t>(x >> 24);
  }
  return v;
}

// keep: member ids "PREFIX0".."PREFIX{n-1}" and the rait name over them.
inline std::vector<std::string> MemberIds(const std::string& prefix, std::size_t n) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < n; ++i) ids.push_back(prefix + std::to_string(i));
  return ids;
}
inline std::string SetName(const std::vector<std::string>& ids, const std::string& options = "") {
  std::string name = "rait:{";
  for (std::size_t i = 0; i < ids.size(); ++i) name += (i ? ",keep:" : "keep:") + ids[i];
  return name + "}" + options;
}

// One object as read back: a record's bytes, or a filemark.
struct Object {
  bool filemark = false;
  std::vector<std::uint8_t> bytes;
  bool operator==(const Object&) const = default;
};
inline void PrintTo(const Object& o, std::ostream* os) {
  if (o.filemark) {
    *os << "FM";
  } else {
    *os << "R" << o.bytes.size() << ":" << (o.bytes.empty() ? 0 : int(o.bytes[0]));
  }
}

// Every object from BOP to EOD of partition 0 (asserting clean reads).
inline std::vector<Object> Snapshot(Tape& tape) {
  std::vector<Object> out;
  SpaceResult r;
  EXPECT_TRUE(tape.Locate(0, 0, r).ok());
  std::vector<std::uint8_t> buf(kMaxRecordBytes + 4096);
  for (;;) {
    ReadResult rr;
    Status st = tape.Read(buf, rr);
    EXPECT_TRUE(st.ok()) << st.ToString() << " at object " << out.size();
    if (!st.ok() || rr.kind == ObjectKind::kEndOfData) break;
    if (rr.kind == ObjectKind::kFilemark) {
      out.push_back({true, {}});
    } else {
      out.push_back({false, std::vector<std::uint8_t>(buf.begin(), buf.begin() + rr.length)});
    }
  }
  return out;
}

class RaitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterRait();
    RegisterKeptBackend();
    ClearKept();
  }
  void TearDown() override { ClearKept(); }

  // Creates a set of `n` keep: members and returns its name.
  std::string CreateSet(std::size_t n, const std::string& options = "",
                        std::uint64_t set_capacity = 0) {
    ids_ = MemberIds("m", n);
    std::string name = SetName(ids_, options);
    CreateOptions o;
    o.barcode = "RAIT01L8";
    o.capacity_bytes = set_capacity;
    Status st = CreateTape(name, o);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return name;
  }
  std::unique_ptr<Tape> OpenSet(const std::string& name) {
    std::unique_ptr<Tape> t;
    Status st = OpenTape(name, {}, t);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return t;
  }

  std::vector<std::string> ids_;
};

}  // namespace vtape::rait::testing
