// One record's bytes in pieces: the initiator's scatter/gather buffers (the
// TCMU data area's iovecs) as they are, so a record can go from them to its
// destination (the drive buffer, the image file) without being gathered into
// one buffer first.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace vtape {

using ConstPiece = std::span<const std::uint8_t>;
using RecordPieces = std::span<const ConstPiece>;
// Where a read record goes: the initiator's buffers, in pieces.
using Piece = std::span<std::uint8_t>;
using ReadPieces = std::span<const Piece>;

template <class T>
std::uint64_t TotalBytes(std::span<const std::span<T>> pieces) {
  std::uint64_t total = 0;
  for (std::span<T> p : pieces) total += p.size();
  return total;
}
inline std::uint64_t TotalBytes(RecordPieces pieces) {
  return TotalBytes<const std::uint8_t>(pieces);
}
inline std::uint64_t TotalBytes(ReadPieces pieces) {
  return TotalBytes<std::uint8_t>(pieces);
}

// Copies `bytes` into the pieces, in order, as far as they reach.
inline void ScatterInto(ConstPiece bytes, ReadPieces pieces) {
  for (Piece p : pieces) {
    if (bytes.empty()) break;
    const std::size_t n = std::min(bytes.size(), p.size());
    if (n != 0) std::memcpy(p.data(), bytes.data(), n);
    bytes = bytes.subspan(n);
  }
}

// Zeroes the first `count` bytes of the pieces.
inline void ZeroPieces(ReadPieces pieces, std::uint64_t count) {
  for (Piece p : pieces) {
    if (count == 0) break;
    const std::size_t n = std::min<std::uint64_t>(count, p.size());
    if (n != 0) std::memset(p.data(), 0, n);
    count -= n;
  }
}

// Copies the pieces, in order, to `out` (at least TotalBytes(pieces) long).
inline void GatherInto(RecordPieces pieces, std::uint8_t* out) {
  for (ConstPiece p : pieces) {
    if (p.empty()) continue;  // an empty span may have a null data()
    std::memcpy(out, p.data(), p.size());
    out += p.size();
  }
}

// Sets `out` to the pieces of bytes [offset, offset + length) of `pieces`
// (fewer bytes when they end first).
template <class T>
void SlicePieces(std::span<const std::span<T>> pieces, std::uint64_t offset, std::uint64_t length,
                 std::vector<std::span<T>>& out) {
  out.clear();
  for (std::span<T> p : pieces) {
    if (length == 0) break;
    if (offset >= p.size()) {
      offset -= p.size();
      continue;
    }
    std::span<T> part = p.subspan(offset, std::min<std::uint64_t>(p.size() - offset, length));
    out.push_back(part);
    length -= part.size();
    offset = 0;
  }
}

}  // namespace vtape
