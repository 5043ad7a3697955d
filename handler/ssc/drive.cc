// Drive: the dispatcher. The SPC checks (unit attention, reserved CDB bits)
// and the drive's own (medium presence) run here once, before the family's
// function runs.
#include "handler/ssc/drive.h"

#include "handler/ssc/commands.h"
#include "handler/ssc/data_common.h"
#include "handler/ssc/drive_state.h"
#include "handler/ssc/volume_change.h"

namespace vtape::ssc {

struct Drive::State : DriveState {};

Tape* DriveState::ReadyTape(ScsiResult& result) {
  if (!tape || !tape->loaded()) {
    result = CheckCondition(kNotReady, kAscMediumNotPresent);
    return nullptr;
  }
  return tape.get();
}

void DriveState::InstallMedium(std::unique_ptr<Tape> medium) {
  buffer = nullptr;
  if (medium && config.buffer_bytes > 0) {
    auto buffered = std::make_unique<BufferedTape>(std::move(medium), config.buffer_bytes);
    buffer = buffered.get();
    medium = std::move(buffered);
  }
  tape = std::move(medium);
}

namespace {

// Commands that never report a deferred error: they describe the device and
// must answer even while one is pending (SPC-4 lets INQUIRY and REPORT LUNS
// through); REQUEST SENSE returns it as its sense data (CmdRequestSense).
bool ReportsDeferredErrors(std::uint8_t opcode) {
  return opcode != 0x12 && opcode != 0xA0 && opcode != 0x03;
}

// The pending deferred error of the buffer, as the answer to a command.
std::optional<ScsiResult> TakeDeferred(DriveState& s) {
  std::optional<SenseData> sense = TakeDeferredSense(s);
  if (!sense) return std::nullopt;
  return CheckCondition(*sense);
}

}  // namespace

ScsiResult SenseForStatus(DriveState& state, const Status& status) {
  switch (status.code()) {
    case Code::kOk:
      return Good();
    case Code::kNotLoaded:
      return CheckCondition(kNotReady, kAscMediumNotPresent);
    case Code::kWriteProtected:
      return CheckCondition(kDataProtect, kAscWriteProtected);
    case Code::kEndOfMedium: {
      SenseData s = Sense(kVolumeOverflow, kAscEndOfPartition);
      s.eom = true;
      return CheckCondition(s);
    }
    case Code::kMediumError:
    case Code::kCorruptImage:
      state.tapealert.Raise(spc::TapeAlertFlag::kMedia);
      return CheckCondition(kMediumError, kAscUnrecoveredReadError);
    case Code::kInvalidArgument:
      return CheckCondition(kIllegalRequest, kAscInvalidFieldInCdb);
    case Code::kUnsupported:
      return CheckCondition(kIllegalRequest, kAscInvalidFieldInCdb);
    case Code::kNotFound:
    case Code::kIoError:
    case Code::kBusy:
      state.tapealert.Raise(spc::TapeAlertFlag::kHardError);
      return CheckCondition(kHardwareError, kAscInternalTargetFailure);
  }
  return CheckCondition(kHardwareError, kAscInternalTargetFailure);
}

Drive::Drive(DriveConfig config, std::unique_ptr<Tape> medium) : state_(std::make_unique<State>()) {
  state_->personality = FindPersonality(config.personality);
  if (state_->personality == nullptr) state_->personality = FindPersonality("generic");
  state_->mode = PowerOnModeState(*state_->personality);
  state_->config = std::move(config);
  state_->InstallMedium(std::move(medium));
  NoteMediumLoaded(*state_);
  state_->unit_attentions.push_back(kAscPowerOnReset);
}

Drive::~Drive() {
  if (state_->tape) {
    NoteMediumUnloading(*state_);
    (void)state_->tape->Close();
  }
}

ScsiResult Drive::Execute(const ScsiCommand& command) {
  DriveState& s = *state_;
  ScsiResult result;
  const CommandInfo* info = spc::Admit(s, AllCommands(), command, result);
  if (info == nullptr) return result;
  const bool deferred_here = ReportsDeferredErrors(command.cdb[0]);
  // An error the buffer met after GOOD is this command's answer; the command
  // itself is not performed.
  if (deferred_here) {
    if (auto deferred = TakeDeferred(s)) return *deferred;
  }
  if (info->needs_medium && s.ReadyTape(result) == nullptr) return result;
  NoteVolumeChange(s, command);
  result = info->fn(s, command);
  // A drain during the command met it: the command failed because of it.
  if (deferred_here && result.status != kStatusGood) {
    if (auto deferred = TakeDeferred(s)) result = *deferred;
  }
  if (s.tape) {
    Health health = s.tape->health();
    if (health.degraded != s.medium_degraded) {
      s.medium_degraded = health.degraded;
      s.log_messages.push_back(health.degraded ? "medium degraded: " + health.detail
                                               : "medium redundancy restored");
    }
  }
  return result;
}

TransferBytes Drive::ExpectedTransfer(std::span<const std::uint8_t> cdb) const {
  return vtape::ssc::ExpectedTransfer(cdb, state_->mode.block_length,
                                      state_->config.max_transfer_bytes);
}

Status Drive::ChangeMedium(std::unique_ptr<Tape> medium) {
  Status closed;
  if (state_->tape) {
    NoteMediumUnloading(*state_);
    closed = state_->tape->Close();
    state_->encryption.OnDemount();  // CKOD: the old volume left the drive
  }
  state_->InstallMedium(std::move(medium));
  if (state_->tape && !state_->tape->loaded()) (void)state_->tape->Load();
  NoteMediumLoaded(*state_);
  state_->buffered_objects = state_->buffered_bytes = 0;
  state_->medium_degraded = false;
  state_->prevent_removal = false;
  if (state_->tape) state_->unit_attentions.push_back(kAscMediumMayHaveChanged);
  return closed;
}

Status Drive::Flush() {
  if (!state_->tape || !state_->tape->loaded()) return Status::Ok();
  Status synced = state_->tape->Sync();
  if (synced.ok()) state_->buffered_objects = state_->buffered_bytes = 0;
  return synced;
}

std::vector<std::string> Drive::TakeLogMessages() {
  std::vector<std::string> out;
  out.swap(state_->log_messages);
  return out;
}

const Tape* Drive::medium() const {
  return state_->tape.get();
}

bool Drive::medium_removal_prevented() const {
  return state_->prevent_removal;
}

}  // namespace vtape::ssc
