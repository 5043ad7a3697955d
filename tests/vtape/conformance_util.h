// Helpers the conformance suite's files share (conformance_test.cc,
// conformance_partitions_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "vtape/tape.h"

namespace vtape::conformance {

// Distinct, non-repeating bytes per (size, seed) so a misplaced byte shows.
inline std::vector<std::uint8_t> Pattern(std::size_t n, std::uint32_t seed) {
  std::vector<std::uint8_t> v(n);
  std::uint32_t x = seed * 2654435761u + 12345u;
  for (auto& b : v) {
    x = x * 1664525u + 1013904223u;
    b = static_cast<std::uint8_t>(x >> 24);
  }
  return v;
}

#define ASSERT_OK(expr)                                       \
  do {                                                        \
    ::vtape::Status s_ = (expr);                              \
    ASSERT_TRUE(s_.ok()) << #expr << " -> " << s_.ToString(); \
  } while (0)
#define EXPECT_CODE(expr, want)                                     \
  do {                                                              \
    ::vtape::Status s_ = (expr);                                    \
    EXPECT_EQ(s_.code(), want) << #expr << " -> " << s_.ToString(); \
  } while (0)

// With `tag`, the record's tag (vtape/record_tag.h) must be that too.
inline void ExpectRecord(Tape& t, const std::vector<std::uint8_t>& want, const char* where,
                         std::optional<std::uint8_t> tag = std::nullopt) {
  std::vector<std::uint8_t> buf(want.size() + 16, 0xee);
  ReadResult r;
  Status s = t.Read(buf, r);
  ASSERT_TRUE(s.ok()) << where << ": " << s.ToString();
  ASSERT_EQ(r.kind, ObjectKind::kRecord) << where;
  ASSERT_EQ(r.length, want.size()) << where;
  if (tag) {
    EXPECT_EQ(r.tag, *tag) << where;
  }
  buf.resize(want.size());
  EXPECT_TRUE(buf == want) << where << ": record bytes differ";
}

inline void ExpectKind(Tape& t, ObjectKind kind, const char* where) {
  std::vector<std::uint8_t> buf(64);
  ReadResult r;
  Status s = t.Read(buf, r);
  ASSERT_TRUE(s.ok()) << where << ": " << s.ToString();
  EXPECT_EQ(r.kind, kind) << where;
}

}  // namespace vtape::conformance
