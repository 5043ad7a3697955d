#include "handler/smc/expected_transfer.h"

#include <algorithm>

#include "handler/spc/cdb.h"

namespace vtape::smc {

ChangerTransfer ExpectedTransfer(std::span<const std::uint8_t> cdb,
                                 std::uint32_t max_transfer_bytes) {
  using spc::GetBe;
  ChangerTransfer t;
  if (cdb.empty()) return t;
  switch (cdb[0]) {
    case 0x03:  // REQUEST SENSE
    case 0x1A:  // MODE SENSE(6)
      t.data_in = GetBe(cdb, 4, 1);
      break;
    case 0x12:  // INQUIRY
      t.data_in = GetBe(cdb, 3, 2);
      break;
    case 0x4D:  // LOG SENSE
    case 0x5A:  // MODE SENSE(10)
      t.data_in = GetBe(cdb, 7, 2);
      break;
    case 0xA3:  // REPORT SUPPORTED OPERATION CODES (MAINTENANCE IN)
      t.data_in = GetBe(cdb, 6, 4);
      break;
    case 0xB8:  // READ ELEMENT STATUS
      t.data_in = GetBe(cdb, 7, 3);
      break;
    case 0x15:  // MODE SELECT(6)
      t.data_out = GetBe(cdb, 4, 1);
      break;
    case 0x4C:  // LOG SELECT
    case 0x55:  // MODE SELECT(10)
      t.data_out = GetBe(cdb, 7, 2);
      break;
    default:
      break;
  }
  t.data_in = std::min<std::size_t>(t.data_in, max_transfer_bytes);
  t.data_out = std::min<std::size_t>(t.data_out, max_transfer_bytes);
  return t;
}

}  // namespace vtape::smc
