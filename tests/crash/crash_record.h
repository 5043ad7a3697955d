// The self-describing records of the crash trials (tests/crash/README.md).
//
// Every record of a trial is a pure function of (seed, trial, file, record): its
// length, its header and its payload. A writer appends them; a reader that meets
// one on the tape can tell which record it is from the header, and check every
// byte by generating it again.
//
// Layout (little endian), 32-byte header then payload:
//   0 magic "VTCR"   4 trial   8 file   12 record   16 length (whole record)
//   20 CRC32C of the payload (bytes 32..length)   24 CRC32C of bytes 0..23
//   28 zero
// Records shorter than the header (1..31 bytes) are the first `length` bytes of
// that same layout; they only occur at record >= 1, so a file's first record
// always carries a whole header and a record's identity is never ambiguous.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vtape::crash {

inline constexpr std::uint32_t kMagic = 0x52435456;  // "VTCR"
inline constexpr std::size_t kHeaderBytes = 32;
inline constexpr std::uint32_t kMaxRecordBytes = 256 * 1024;

struct RecordId {
  std::uint32_t trial = 0;
  std::uint32_t file = 0;
  std::uint32_t record = 0;
  bool operator==(const RecordId&) const = default;
};

std::string ToString(const RecordId& id);

// How many records file `file` of trial `trial` holds (1..16).
std::uint32_t RecordsInFile(std::uint64_t seed, std::uint32_t trial, std::uint32_t file);

// The length of a record: 1 B .. 256 KiB, about 10% below 32 bytes (never for
// record 0), 40% up to 4 KiB, 35% up to 64 KiB, 15% up to 256 KiB.
std::uint32_t RecordLength(std::uint64_t seed, const RecordId& id);

// The record's bytes (RecordLength of them).
void MakeRecord(std::uint64_t seed, const RecordId& id, std::vector<std::uint8_t>& out);

// What a record found on the tape claims to be. Only for records of at least
// kHeaderBytes: false (with `why`) when the magic, the header CRC, the length
// field or the payload CRC is wrong.
bool ParseHeader(const std::uint8_t* data, std::size_t length, RecordId& id, std::string& why);

}  // namespace vtape::crash
