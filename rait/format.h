// What a rait: set stores on its members.
//
// Every set record becomes exactly one record on every member (so object
// numbers on the set equal object numbers on each member), and every set
// filemark a filemark on every member. A member record is a 64-byte header
// followed by the member's stripe of the record:
//   2 members (mirror): the whole set record on both;
//   N >= 3 members: the record is cut into N-1 stripes of chunk = ceil(length /
//   (N-1)) bytes (the last ones shorter, possibly empty); member i < N-1 stores
//   stripe i, member N-1 the XOR parity of the stripes zero-padded to chunk.
//   Storing stripes unpadded keeps the data members' payload bytes summing to
//   exactly the set's bytes (capacity accounting needs no index).
// A mirror record too large for a header (above kMaxRecordBytes - 64 bytes) is
// stored raw on both members: only the members' own checksums guard it.
//
// Header (little endian), everything a reader needs to refuse a member record
// that is not the one it expects (another set, another member, another place,
// another write generation):
//   0  "RAIT"          4  version (2; 3 when tagged)  5  member index  6  member count
//   7  record tag      8  set id (u64)   16  partition (u32) 20 reserved (0)
//  24  object number (u64)               32  set record length (u64)
//  40  payload CRC32C (u32)              44  reserved (0)
//  48  write generation (u64)            56  header CRC32C of bytes 0..55 (u32)
//  60..63 zero
// CRC32C is vtape's (vtape/crc32c.h, the one the file: format uses).
// Record tags (vtape/record_tag.h): a set record written with a nonzero tag
// has it in byte 7 of its headers, whose version is then 3, so that a build
// that does not know tags refuses the record (a medium error) instead of
// returning its stored (compressed, encrypted) bytes as data; untagged records
// keep version 2 with byte 7 zero. A headerless large mirror record keeps its
// tag as the members' own record tag.
// The header holds nothing a rebuild cannot recompute from the survivors, so a
// rebuilt member is byte-identical to the one it replaces.
//
// Write generations. Every record carries the set's write generation. Writing
// or erasing anywhere but at end of data starts a new one: the members are
// first cut back to the position (Erase), then the superblocks record the new
// generation and where it starts, and are synced on every member, and only then
// is the new object written. So after a crash at any point every member holds
// a prefix of one history, and a member whose superblock missed the new
// generation is trusted only up to where it starts. Reads never assemble a
// record from members of different generations: the newest generation wins
// when enough members hold it, otherwise the read is a medium error.
//
// Each member also carries a superblock in a private MAM attribute
// (kSuperblockAttribute): set id, member index/count, an epoch, the mask of
// members known failed, the set's capacity, and the write generation with the
// partition and object where it started, and the sizes of its partitions.
// Whenever the set goes degraded the
// survivors get a higher epoch, so a member that missed writes is recognised as
// stale.
//
// Format version 2 (this one) differs from version 1 by the write generation
// (header and superblock) and by the CRC32C, now standard (version 1 did not
// invert the result). Version 1 sets are refused at open with kUnsupported
// ("rait set format 1 ... is no longer supported"): copy the data to a new set.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vtape/status.h"

namespace vtape::rait {

inline constexpr std::size_t kHeaderBytes = 64;
inline constexpr std::size_t kXorUnit = 32;
inline constexpr std::size_t kMaxMembers = 32;  // the failed mask is 32 bits
// A reserved MAM attribute id (SPC reserves 1400h..FFFFh), hidden from the set's users.
inline constexpr std::uint16_t kSuperblockAttribute = 0xFF52;

struct RecordHeader {
  bool raw = false;  // not stored: a headerless large mirror record
  std::uint8_t member_index = 0;
  std::uint8_t member_count = 0;
  std::uint64_t set_id = 0;
  std::uint32_t partition = 0;
  std::uint64_t object = 0;
  std::uint64_t length = 0;  // of the set record
  std::uint32_t payload_crc = 0;
  std::uint64_t generation = 0;  // the set's write generation when it was written
  // The set record's tag (record_tag.h); of a raw mirror record, the member
  // record's own tag.
  std::uint8_t tag = 0;
};

// The stripe length for a set record of `length` bytes (a mirror: `length`).
std::size_t ChunkBytes(std::uint64_t length, std::size_t member_count);
// Payload bytes member `index` stores for it.
std::size_t StripeBytes(std::uint64_t length, std::size_t member_count, std::size_t index);
// `chunk` rounded up to ISA-L's XOR unit: the in-memory size of a stripe.
inline std::size_t PaddedBytes(std::size_t chunk) {
  return (chunk + kXorUnit - 1) / kXorUnit * kXorUnit;
}
// Whether a mirror stores a record of `length` bytes without a header.
bool RawMirrorRecord(std::uint64_t length, std::size_t member_count);

void EncodeHeader(const RecordHeader& header, std::uint8_t* out);  // writes kHeaderBytes
// Fails (with the reason) when the bytes are not a well-formed header.
Status DecodeHeader(std::span<const std::uint8_t> bytes, RecordHeader& header);

struct Superblock {
  std::uint64_t set_id = 0;
  std::uint64_t epoch = 0;
  std::uint8_t member_index = 0;
  std::uint8_t member_count = 0;
  std::uint32_t failed_mask = 0;  // bit i: member i is known failed (needs a rebuild)
  // The set's own hard end and early-warning size in set bytes (0: derived from
  // the members). Members are created with headroom for headers and parity, so
  // the set, not a member, decides where the medium ends.
  std::uint64_t capacity_bytes = 0;
  std::uint64_t early_warning_bytes = 0;
  // The current write generation and the first object written in it.
  std::uint64_t write_generation = 0;
  std::uint32_t generation_partition = 0;
  std::uint64_t generation_start = 0;
  // Each partition's own hard end in set bytes when the set was formatted into
  // partitions with a capacity of its own (all 0: the partitions end where the
  // members' do). Stored only when one is set, so other superblocks keep their
  // original 76 bytes (a vtape older than this field refuses the 108-byte form
  // as malformed rather than misreading it).
  std::array<std::uint64_t, 4> partition_bytes{};
};

std::vector<std::uint8_t> EncodeSuperblock(const Superblock& sb);
// kUnsupported for a superblock of format version 1, kCorruptImage when damaged.
Status DecodeSuperblock(std::span<const std::uint8_t> bytes, Superblock& sb);

}  // namespace vtape::rait
