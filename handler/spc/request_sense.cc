#include <array>

#include "handler/spc/data_in.h"
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
  const std::size_t n = EncodeSense(sense, bytes);
  return ReturnData(command, std::span(bytes).first(n), allocation);
}

}  // namespace vtape::spc
