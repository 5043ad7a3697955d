// INITIALIZE ELEMENT STATUS (SMC-3 6.2) and its WITH RANGE form (6.3), POSITION
// TO ELEMENT (6.9), PREVENT ALLOW MEDIUM REMOVAL (6.11: locks the
// import/export elements against the operator) and OPEN/CLOSE IMPORT/EXPORT
// ELEMENT (6.6: action code 0 opens the element's door to the operator, 1
// closes it; while open the transport cannot reach it).
#include "handler/smc/commands.h"
#include "handler/spc/cdb.h"

namespace vtape::smc {
namespace {

// Records this changer's own change, so it raises no unit attention.
ScsiResult Changed(ChangerState& state, const library::Result& result) {
  if (!result.ok()) return SenseForResult(result);
  state.seen_generation = state.lib().generation;
  return Good();
}

}  // namespace

// The inventory is the state file, always current: there is nothing to scan,
// only the state to re-read.
ScsiResult CmdInitializeElementStatus(ChangerState& state, const ScsiCommand&) {
  if (!state.library->Refresh().ok()) {
    return CheckCondition(kHardwareError, kAscInternalTargetFailure);
  }
  return Good();
}

ScsiResult CmdInitializeElementStatusWithRange(ChangerState& state, const ScsiCommand& command) {
  const bool range = command.cdb[1] & 0x01;  // FAST (bit 1) changes nothing here
  const auto start = static_cast<std::uint16_t>(GetBe(command.cdb, 2, 2));
  if (range && state.lib().FindElement(start) == nullptr) {
    return CheckCondition(kIllegalRequest, kAscInvalidElementAddress);
  }
  return CmdInitializeElementStatus(state, command);
}

ScsiResult CmdPositionToElement(ChangerState& state, const ScsiCommand& command) {
  const auto transport = static_cast<std::uint16_t>(GetBe(command.cdb, 2, 2));
  const auto destination = static_cast<std::uint16_t>(GetBe(command.cdb, 4, 2));
  const library::Element* e = state.lib().FindElement(destination);
  if (transport != library::kTransportAddress || e == nullptr ||
      e->type == library::ElementType::kTransport) {
    return CheckCondition(kIllegalRequest, kAscInvalidElementAddress);
  }
  return Good();  // a virtual transport is in front of every element at once
}

ScsiResult CmdPreventAllow(ChangerState& state, const ScsiCommand& command) {
  switch (command.cdb[4] & 0x03) {
    case 0x00:
      return Changed(state, state.library->SetRemovalPrevented(false));
    case 0x01:
      return Changed(state, state.library->SetRemovalPrevented(true));
    default:  // 10b/11b are obsolete
      return InvalidCdbField(4, 1);
  }
}

ScsiResult CmdOpenCloseImportExport(ChangerState& state, const ScsiCommand& command) {
  const auto address = static_cast<std::uint16_t>(GetBe(command.cdb, 2, 2));
  const std::uint8_t action = command.cdb[4] & 0x1F;
  const library::Element* e = state.lib().FindElement(address);
  if (e == nullptr || e->type != library::ElementType::kImportExport) {
    return CheckCondition(kIllegalRequest, kAscInvalidElementAddress);
  }
  if (action > 1) return InvalidCdbField(4, 4);
  return Changed(state, state.library->SetDoor(address, action == 0));
}

}  // namespace vtape::smc
