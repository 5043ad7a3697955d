// Changer: the dispatcher. Before the SPC checks it looks whether another
// process changed the library (one fstat when nothing did) and queues UNIT
// ATTENTION 28h/00h if so: the initiator's inventory is stale.
#include "handler/smc/changer.h"

#include "handler/smc/commands.h"

namespace vtape::smc {

struct Changer::State : ChangerState {};

Changer::Changer(ChangerConfig config, library::Library& library, DrivePort& drives)
    : state_(std::make_unique<State>()) {
  state_->personality = FindPersonality(config.personality);
  if (state_->personality == nullptr) state_->personality = FindPersonality("generic");
  state_->config = std::move(config);
  state_->library = &library;
  state_->drives = &drives;
  // A power-on ends PREVENT MEDIUM REMOVAL (SPC-4 6.13): a runner restart must
  // not leave the import/export elements locked for an initiator that is gone.
  if (library.state().removal_prevented) (void)library.SetRemovalPrevented(false);
  state_->seen_generation = library.state().generation;
  state_->unit_attentions.push_back(kAscPowerOnReset);
}

Changer::~Changer() = default;

ScsiResult Changer::Execute(const ScsiCommand& command) {
  ChangerState& s = *state_;
  // When the state file cannot be read, the last good snapshot stays: the
  // moves re-read it under the lock and answer its failure themselves.
  if (s.library->Refresh().ok() && s.lib().generation != s.seen_generation) {
    s.seen_generation = s.lib().generation;
    s.unit_attentions.push_back(kAscMediumMayHaveChanged);
  }
  ScsiResult result;
  const CommandInfo* info = spc::Admit(s, AllCommands(), command, result);
  if (info == nullptr) return result;
  return info->fn(s, command);
}

ScsiResult SenseForResult(const library::Result& result) {
  using library::Reason;
  switch (result.reason) {
    case Reason::kInvalidElement:
    case Reason::kNotImportExport:
    case Reason::kWrongElementType:
      return CheckCondition(kIllegalRequest, kAscInvalidElementAddress);
    case Reason::kSourceEmpty:
    case Reason::kFirstDestinationEmpty:
      return CheckCondition(kIllegalRequest, kAscMediumSourceEmpty);
    case Reason::kDestinationFull:
      return CheckCondition(kIllegalRequest, kAscMediumDestinationFull);
    case Reason::kDoorOpen:
      return CheckCondition(kIllegalRequest, kAscMagazineNotAccessible);
    case Reason::kRemovalPrevented:
      return CheckCondition(kIllegalRequest, kAscMediumRemovalPrevented);
    case Reason::kPresented:
      return CheckCondition(kNotReady, kAscManualInterventionRequired);
    default:
      break;
  }
  if (result.ok()) return Good();
  return CheckCondition(kHardwareError, kAscInternalTargetFailure);
}

}  // namespace vtape::smc
