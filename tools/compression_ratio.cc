#include "tools/compression_ratio.h"

#include <array>

#include "vtape/record_codec.h"
#include "vtape/record_tag.h"

namespace vtape::tool {

Status TallyCompression(Tape& tape, std::uint32_t partitions, CompressionTally& out) {
  out = CompressionTally{};
  std::array<std::uint8_t, kCodecPrefixBytes> prefix;
  for (std::uint32_t p = 0; p < partitions; ++p) {
    SpaceResult moved;
    VTAPE_RETURN_IF_ERROR(tape.Locate(p, 0, moved));
    for (;;) {
      ReadResult got;
      VTAPE_RETURN_IF_ERROR(tape.Read(prefix, got));
      if (got.kind == ObjectKind::kEndOfData) break;
      if (got.kind != ObjectKind::kRecord) continue;
      ++out.records;
      if (got.tag & kTagEncrypted) {
        ++out.encrypted_records;
        continue;
      }
      std::uint64_t host = got.length;
      if (TagCodec(got.tag) != kTagRaw) {
        const std::size_t seen = std::min<std::uint64_t>(got.length, prefix.size());
        const auto length = HostLengthFromPrefix(TagCodec(got.tag), std::span(prefix).first(seen));
        if (!length) {
          return Status::CorruptImage("record " + std::to_string(tape.GetPosition().object - 1) +
                                      " of partition " + std::to_string(p) +
                                      ": its codec header does not say its length");
        }
        host = *length;
        ++out.compressed_records;
      }
      out.host_bytes += host;
      out.stored_bytes += got.length;
    }
  }
  return Status::Ok();
}

}  // namespace vtape::tool
