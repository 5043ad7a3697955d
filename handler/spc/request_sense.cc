#include <algorithm>
#include <array>

#include "handler/spc/device_state.h"

namespace vtape::spc {

ScsiResult RequestSense(DeviceState& state, const ScsiCommand& command, const SenseData& current) {
  if (command.cdb[1] & 0x01) return InvalidCdbField(1, 0);  // DESC: only fixed format is offered
  const std::size_t allocation = command.cdb[4];

  // Most urgent first. Reporting a unit attention or a deferred error clears it.
  SenseData sense = current;
  if (std::optional<Asc> ua = state.TakeUnitAttention()) {
    sense = Sense(kUnitAttention, *ua);
  } else if (state.has_deferred_sense) {
    sense = state.deferred_sense;
    state.has_deferred_sense = false;
    state.deferred_sense = {};
  }

  std::array<std::uint8_t, 18> bytes{};
  std::size_t n = EncodeSense(sense, bytes);
  n = std::min({n, allocation, command.data_in.size()});
  std::copy_n(bytes.begin(), n, command.data_in.begin());
  return Good(n);
}

}  // namespace vtape::spc
