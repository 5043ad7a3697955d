// One record's bytes in pieces: the initiator's scatter/gather buffers (the
// TCMU data area's iovecs) as they are, so a record can go from them to its
// destination (the drive buffer, the image file) without being gathered into
// one buffer first.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace vtape {

using ConstPiece = std::span<const std::uint8_t>;
using RecordPieces = std::span<const ConstPiece>;

inline std::uint64_t TotalBytes(RecordPieces pieces) {
  std::uint64_t total = 0;
  for (ConstPiece p : pieces) total += p.size();
  return total;
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
inline void SlicePieces(RecordPieces pieces, std::uint64_t offset, std::uint64_t length,
                        std::vector<ConstPiece>& out) {
  out.clear();
  for (ConstPiece p : pieces) {
    if (length == 0) break;
    if (offset >= p.size()) {
      offset -= p.size();
      continue;
    }
    ConstPiece part = p.subspan(offset, std::min<std::uint64_t>(p.size() - offset, length));
    out.push_back(part);
    length -= part.size();
    offset = 0;
  }
}

}  // namespace vtape
