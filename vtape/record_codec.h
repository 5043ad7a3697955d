// Record compression: the codecs of the record tag (record_tag.h, bits 0-3),
// over Debian's liblz4 and libzstd. The drive compresses a record on WRITE
// while data compression is enabled (mode page 0Fh DCE) and decodes it on
// READ whatever DCE says; the tools decode to report a medium's ratio.
//
// Stored forms (vtape/FORMAT.md, "Record codecs"):
//   lz4   the host length as 4 bytes little-endian, then one LZ4 block
//   zstd  one zstd frame with its content size
// A record is stored compressed only when that is smaller than the record:
// what is stored is never larger than the record itself.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "vtape/status.h"

namespace vtape {

// Compresses `record` with `codec` (kTagLz4 or kTagZstd) into `out`. Answers
// the codec of what `out` holds: `codec`, or kTagRaw (and `out` empty) when
// the compressed form would not be smaller, so the record is stored as it is.
std::uint8_t CompressRecord(std::uint8_t codec, std::span<const std::uint8_t> record,
                            std::vector<std::uint8_t>& out);

// The host's bytes of a record stored with `codec` (kTagRaw copies them).
// kCorruptImage when `stored` is not a whole, valid form of that codec or
// would decode to more than kMaxRecordBytes.
Status DecompressRecord(std::uint8_t codec, std::span<const std::uint8_t> stored,
                        std::vector<std::uint8_t>& out);

// The host length of a record stored with `codec`, from the first
// kCodecPrefixBytes (or fewer, if the record is shorter) of its stored form;
// nullopt when they do not say it.
inline constexpr std::size_t kCodecPrefixBytes = 18;  // a zstd frame header at most
std::optional<std::uint64_t> HostLengthFromPrefix(std::uint8_t codec,
                                                  std::span<const std::uint8_t> prefix);

}  // namespace vtape
