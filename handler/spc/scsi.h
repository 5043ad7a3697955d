// A SCSI command as every device type sees it: a CDB and data buffers in;
// status, sense and data out. No transport here (tcmu_glue.cc adapts tcmu).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace vtape::spc {

// SCSI status bytes the engines return.
inline constexpr std::uint8_t kStatusGood = 0x00;
inline constexpr std::uint8_t kStatusCheckCondition = 0x02;

struct ScsiCommand {
  std::span<const std::uint8_t> cdb;
  // Data from the initiator (WRITE, MODE SELECT, LOG SELECT ...); its size is
  // what the initiator sent, which for READ(6)/WRITE(6) LIO takes from the
  // initiator, not from the CDB.
  std::span<const std::uint8_t> data_out;
  // Buffer for data to the initiator; its size is the initiator's transfer length.
  std::span<std::uint8_t> data_in;
  // The same data in the pieces the transport holds it in, when the glue
  // leaves it scattered (a WRITE over several iovecs: its records go from them
  // to the medium without being gathered); data_out is then empty. Only the
  // WRITE commands accept data this way (ssc cmd_data.cc, WriteData).
  std::span<const std::span<const std::uint8_t>> data_out_pieces = {};
  // The same for data_in: a READ's buffer as the transport's pieces, filled in
  // place (data_in is then empty). Only the READ commands accept it.
  std::span<const std::span<std::uint8_t>> data_in_pieces = {};
};

struct ScsiResult {
  std::uint8_t status = kStatusGood;
  // Bytes of data_in that hold data. Meaningful with CHECK CONDITION too: a
  // short read returns its data together with ILI sense (the glue must pass
  // this length to the kernel, see handler/tcmu_glue.cc).
  std::size_t data_in_len = 0;
  std::array<std::uint8_t, 96> sense{};  // fixed format (70h), valid with CHECK CONDITION
  std::size_t sense_len = 0;
};

}  // namespace vtape::spc
