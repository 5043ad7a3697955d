// How many data bytes a command can move each way: what the glue gathers from
// the initiator's buffers (data-out) and how large a reply buffer it provides
// (data-in). The initiator's buffer total (its expected transfer length, which
// TCMU passes on for tape commands unchecked) never decides it alone, so a
// 1-byte WRITE announced with a 1 GiB transfer costs 1 byte, not 1 GiB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vtape::ssc {

struct TransferBytes {
  std::size_t data_out = 0;  // bytes of parameter/record data the command consumes
  std::size_t data_in = 0;   // bytes the command can return
};

// From the CDB alone: WRITE/READ transfer length (times `block_length` in fixed
// block mode, 0 = variable), MODE/LOG SELECT parameter list length, allocation
// lengths of the commands that return data; each capped at
// `max_transfer_bytes`, the most one command carries on the device's path
// (a larger READ or WRITE is refused by the engine). Unknown opcodes: 0 and 0.
TransferBytes ExpectedTransfer(std::span<const std::uint8_t> cdb, std::uint32_t block_length,
                               std::uint32_t max_transfer_bytes);

// The glue's buffer for gathering data-out from several iovecs, or for a reply
// that the initiator's buffer takes in pieces. Grows to what one command needs;
// after the command, more than kKeptBytes is given back, so a drive keeps at most
// that much between commands whatever its initiators sent.
class ScratchBuffer {
 public:
  static constexpr std::size_t kKeptBytes = 64 * 1024;

  // `bytes` bytes, contents unspecified.
  std::span<std::uint8_t> Get(std::size_t bytes);
  // Called after each command.
  void ReleaseIfLarge();
  std::size_t capacity() const { return bytes_.capacity(); }

 private:
  std::vector<std::uint8_t> bytes_;
};

}  // namespace vtape::ssc
