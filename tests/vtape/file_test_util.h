// Shared helpers of the file: backend tests: scratch directories (on tmpfs
// when there is one, so fsync-heavy loops stay fast), record patterns, and
// whole-file snapshots for the crash tests.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "vtape/registry.h"
#include "vtape/tape.h"

namespace vtape::testing {

class ScratchDir {
 public:
  ScratchDir() {
    std::string base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string pattern = base + "/vtape-file-test-XXXXXX";
    path_ = ::mkdtemp(pattern.data()) ? pattern : "";
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::vector<std::uint8_t> Pattern(std::size_t n, std::uint32_t seed) {
  std::vector<std::uint8_t> v(n);
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    v[i] = static_cast<std::uint8_t>(x >> 16);
  }
  return v;
}

inline std::vector<std::uint8_t> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline void WriteWholeFile(const std::string& path, const std::vector<std::uint8_t>& bytes,
                           std::size_t length) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(length));
}

inline std::unique_ptr<Tape> CreateAndOpen(const std::string& path, CreateOptions create = {},
                                           OpenOptions open = {}) {
  std::unique_ptr<Tape> tape;
  Status s = CreateTape("file:" + path, create);
  EXPECT_TRUE(s.ok()) << s.ToString();
  s = OpenTape("file:" + path, open, tape);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return tape;
}

inline std::unique_ptr<Tape> Reopen(const std::string& path, bool read_only = false) {
  std::unique_ptr<Tape> tape;
  Status s = OpenTape("file:" + path, OpenOptions{read_only}, tape);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return tape;
}

// Reads one object and checks it is the record `expected`.
inline void ExpectRecord(Tape& tape, const std::vector<std::uint8_t>& expected,
                         const std::string& where) {
  std::vector<std::uint8_t> buffer(expected.size() + 16, 0xEE);
  ReadResult r;
  Status s = tape.Read(buffer, r);
  ASSERT_TRUE(s.ok()) << where << ": " << s.ToString();
  ASSERT_EQ(r.kind, ObjectKind::kRecord) << where;
  ASSERT_EQ(r.length, expected.size()) << where;
  buffer.resize(expected.size());
  EXPECT_TRUE(buffer == expected) << where << ": data differs";
}

inline void ExpectKind(Tape& tape, ObjectKind kind, const std::string& where) {
  std::vector<std::uint8_t> buffer(16);
  ReadResult r;
  Status s = tape.Read(buffer, r);
  ASSERT_TRUE(s.ok()) << where << ": " << s.ToString();
  EXPECT_EQ(r.kind, kind) << where;
}

}  // namespace vtape::testing
