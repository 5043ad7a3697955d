// How many data bytes a changer command can move each way, from its CDB: the
// glue gathers at most `data_out` bytes of the initiator's data and offers a
// reply buffer of at most `data_in` bytes (the drive's counterpart is
// ssc/transfer_size.h; both start from spc/transfer.h; of the changer's own
// commands READ ELEMENT STATUS has a 24-bit allocation length, moves carry no
// data at all).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace vtape::smc {

struct ChangerTransfer {
  std::size_t data_out = 0;
  std::size_t data_in = 0;
};

// Parameter list lengths (MODE SELECT, LOG SELECT) and allocation lengths
// (INQUIRY, REQUEST SENSE, MODE SENSE, LOG SENSE, REPORT SUPPORTED OPERATION
// CODES, READ ELEMENT STATUS), each capped at `max_transfer_bytes`; 0 and 0
// for every other opcode (the engine then answers without data).
ChangerTransfer ExpectedTransfer(std::span<const std::uint8_t> cdb,
                                 std::uint32_t max_transfer_bytes);

}  // namespace vtape::smc
