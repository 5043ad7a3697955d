#include "handler/ssc/transfer_size.h"

#include <algorithm>

#include "handler/spc/cdb.h"
#include "handler/spc/transfer.h"

namespace vtape::ssc {

using spc::GetBe;

TransferBytes ExpectedTransfer(std::span<const std::uint8_t> cdb, std::uint32_t block_length,
                               std::uint32_t max_transfer_bytes) {
  TransferBytes t;
  if (cdb.empty()) return t;
  // READ/WRITE: bytes = transfer length, or blocks of the mode's length (FIXED).
  auto data_bytes = [&](std::size_t length_at) -> std::uint64_t {
    const bool fixed = cdb.size() > 1 && (cdb[1] & 0x01);
    const std::uint64_t length = GetBe(cdb, length_at, 3);
    return fixed ? length * block_length : length;
  };
  std::uint64_t out = 0, in = 0;
  if (auto spc = spc::SpcCommandTransfer(cdb)) {
    out = spc->data_out;
    in = spc->data_in;
  }
  switch (cdb[0]) {
    case 0x0A:  // WRITE(6)
      out = data_bytes(2);
      break;
    case 0x8A:  // WRITE(16)
      out = data_bytes(12);
      break;
    case 0x08:  // READ(6)
      in = data_bytes(2);
      break;
    case 0x88:  // READ(16)
      in = data_bytes(12);
      break;
    case 0x13:  // VERIFY(6): data-out only with BYTCMP (byte 1 bit 1)
      if (cdb.size() > 1 && (cdb[1] & 0x02)) out = data_bytes(2);
      break;
    case 0x8F:  // VERIFY(16)
      if (cdb.size() > 1 && (cdb[1] & 0x02)) out = data_bytes(12);
      break;
    case 0x05:  // READ BLOCK LIMITS: 6 bytes, 20 with MLOI (byte 1 bit 0)
      in = cdb.size() > 1 && (cdb[1] & 0x01) ? 20 : 6;
      break;
    case 0x34:  // READ POSITION: 20 (short) or 32 (long, extended) bytes at most
      in = 32;
      break;
    case 0x44:  // REPORT DENSITY SUPPORT
      in = GetBe(cdb, 7, 2);
      break;
    default:
      break;
  }
  t.data_out = static_cast<std::size_t>(std::min<std::uint64_t>(out, max_transfer_bytes));
  t.data_in = static_cast<std::size_t>(std::min<std::uint64_t>(in, max_transfer_bytes));
  return t;
}

std::span<std::uint8_t> ScratchBuffer::Get(std::size_t bytes) {
  if (bytes_.size() < bytes) bytes_.resize(bytes);
  return {bytes_.data(), bytes};
}

void ScratchBuffer::ReleaseIfLarge() {
  if (bytes_.capacity() > kKeptBytes) std::vector<std::uint8_t>().swap(bytes_);
}

}  // namespace vtape::ssc
