#include "handler/smc/expected_transfer.h"

#include <algorithm>

#include "handler/spc/cdb.h"
#include "handler/spc/transfer.h"

namespace vtape::smc {

ChangerTransfer ExpectedTransfer(std::span<const std::uint8_t> cdb,
                                 std::uint32_t max_transfer_bytes) {
  using spc::GetBe;
  ChangerTransfer t;
  if (cdb.empty()) return t;
  std::uint64_t out = 0, in = 0;
  if (auto spc = spc::SpcCommandTransfer(cdb)) {
    out = spc->data_out;
    in = spc->data_in;
  } else if (cdb[0] == 0xB8) {  // READ ELEMENT STATUS
    in = GetBe(cdb, 7, 3);
  }
  t.data_in = static_cast<std::size_t>(std::min<std::uint64_t>(in, max_transfer_bytes));
  t.data_out = static_cast<std::size_t>(std::min<std::uint64_t>(out, max_transfer_bytes));
  return t;
}

}  // namespace vtape::smc
