// The record tag: one byte every backend stores with a record, saying how the
// record's stored bytes relate to the bytes the host wrote. The storage layer
// does not interpret it (it only refuses tags with unknown bits on write); the
// drive encodes (compresses, encrypts) on write and decodes on read
// (vtape/record_codec.h).
//
//   bits 0-3  codec of the stored bytes: 0 raw (stored as written), 1 lz4
//             (one LZ4 block), 2 zstd (one zstd frame); 3-15 reserved
//   bits 4-6  reserved (0)
//   bit 7     encrypted: the stored bytes are a ciphertext (the drive's
//             encryption; decrypt first, then decode the codec)
//
// Tag 0 is a record as every backend stored records before tags existed: a
// medium of only tag-0 records is unchanged by this (file: keeps its format
// version until a tagged record is written, vtape/FORMAT.md).
#pragma once

#include <cstdint>
#include <string>

#include "vtape/status.h"

namespace vtape {

inline constexpr std::uint8_t kTagCodecMask = 0x0F;
inline constexpr std::uint8_t kTagRaw = 0x00;
inline constexpr std::uint8_t kTagLz4 = 0x01;
inline constexpr std::uint8_t kTagZstd = 0x02;
inline constexpr std::uint8_t kTagEncrypted = 0x80;

inline constexpr std::uint8_t TagCodec(std::uint8_t tag) {
  return tag & kTagCodecMask;
}

// A tagged record may be stored a little larger than kMaxRecordBytes (an
// encrypted record carries its IV and authentication tag): what backends
// accept beyond the record limit for a record with a nonzero tag.
inline constexpr std::uint64_t kMaxTaggedRecordOverhead = 256;

// Whether `tag` is one this build knows: a known codec, no reserved bit. The
// one message for writers (kInvalidArgument) and readers (kCorruptImage: a
// record that says it is stored in a way this build cannot undo).
inline Status CheckRecordTag(std::uint8_t tag, bool reading) {
  if ((tag & 0x70) == 0 && TagCodec(tag) <= kTagZstd) return Status::Ok();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string message = std::string("record tag 0x") + kHex[tag >> 4] + kHex[tag & 0xF] +
                        " has bits this vtape does not know (codec " +
                        std::to_string(TagCodec(tag)) + ", reserved bits " +
                        std::to_string((tag >> 4) & 0x7) + ")";
  return reading ? Status::CorruptImage(message + ": the record cannot be decoded")
                 : Status::InvalidArgument(message);
}

}  // namespace vtape
