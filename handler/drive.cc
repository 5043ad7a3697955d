// Drive: the dispatcher. Everything a command family shares (unit attention,
// medium presence, reserved CDB bits) is checked here once, before the family's
// function runs.
#include "handler/drive.h"

#include "handler/commands.h"
#include "handler/drive_state.h"

namespace vtape::ssc {

struct Drive::State : DriveState {};

namespace {

constexpr std::uint8_t kMaintenanceIn = 0xA3;
constexpr std::uint8_t kInquiry = 0x12;

// Bits the dispatcher ignores although the usage data does not list them: the
// SCSI-2 LUN field (byte 1, bits 7-5) of INQUIRY. Linux fills it in while it
// still takes a new target for SCSI-2, i.e. in its first INQUIRY to a LUN other
// than 0 when LUN 0 is not known yet (restoreconfig links a tcm_loop target's
// LUNs 3, 2, 1, 0); refusing that INQUIRY hides the LUN from the host. SPC
// allows ignoring reserved bits.
std::uint8_t IgnoredBits(const CommandInfo& info, std::size_t byte) {
  return info.opcode == kInquiry && byte == 1 ? 0xE0 : 0x00;
}

// The first CDB bit set outside the command's usage data: {byte, bit}.
std::optional<std::pair<std::uint16_t, std::int8_t>> FirstReservedBit(
    const CommandInfo& info, std::span<const std::uint8_t> cdb) {
  for (std::size_t i = 1; i < info.cdb_length; ++i) {
    std::uint8_t bad = cdb[i] & static_cast<std::uint8_t>(~(info.usage[i] | IgnoredBits(info, i)));
    for (int bit = 7; bad != 0 && bit >= 0; --bit) {
      if (bad & (1u << bit)) return std::pair<std::uint16_t, std::int8_t>(i, bit);
    }
  }
  return std::nullopt;
}

}  // namespace

Tape* DriveState::ReadyTape(ScsiResult& result) {
  if (!tape || !tape->loaded()) {
    result = CheckCondition(kNotReady, kAscMediumNotPresent);
    return nullptr;
  }
  return tape.get();
}

ScsiResult SenseForStatus(DriveState& state, const Status& status) {
  switch (status.code()) {
    case Code::kOk:
      return Good();
    case Code::kNotLoaded:
      return CheckCondition(kNotReady, kAscMediumNotPresent);
    case Code::kWriteProtected:
      return CheckCondition(kDataProtect, kAscWriteProtected);
    case Code::kEndOfMedium: {
      SenseData s;
      s.key = kVolumeOverflow;
      s.eom = true;
      s.asc = kAscEndOfPartition.asc;
      s.ascq = kAscEndOfPartition.ascq;
      return CheckCondition(s);
    }
    case Code::kMediumError:
    case Code::kCorruptImage:
      state.tapealert.set(3);  // flag 4: media
      return CheckCondition(kMediumError, kAscUnrecoveredReadError);
    case Code::kInvalidArgument:
      return CheckCondition(kIllegalRequest, kAscInvalidFieldInCdb);
    case Code::kUnsupported:
      return CheckCondition(kIllegalRequest, kAscInvalidFieldInCdb);
    case Code::kNotFound:
    case Code::kIoError:
    case Code::kBusy:
      state.tapealert.set(2);  // flag 3: hard error
      return CheckCondition(kHardwareError, kAscInternalTargetFailure);
  }
  return CheckCondition(kHardwareError, kAscInternalTargetFailure);
}

Drive::Drive(DriveConfig config, std::unique_ptr<Tape> medium) : state_(std::make_unique<State>()) {
  state_->personality = FindPersonality(config.personality);
  if (state_->personality == nullptr) state_->personality = FindPersonality("generic");
  state_->config = std::move(config);
  state_->tape = std::move(medium);
  state_->unit_attentions.push_back(kAscPowerOnReset);
}

Drive::~Drive() {
  if (state_->tape) (void)state_->tape->Close();
}

ScsiResult Drive::Execute(const ScsiCommand& command) {
  DriveState& s = *state_;
  if (command.cdb.empty()) return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
  std::uint8_t opcode = command.cdb[0];
  std::uint16_t service_action = 0;
  if (opcode == kMaintenanceIn && command.cdb.size() > 1) service_action = command.cdb[1] & 0x1F;
  const CommandInfo* info = FindCommand(opcode, service_action);
  if (info == nullptr) {
    if (opcode == kMaintenanceIn) return InvalidCdbField(1, 4);
    return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
  }
  if (command.cdb.size() < info->cdb_length) {
    return CheckCondition(kIllegalRequest, kAscInvalidFieldInCdb);
  }
  if (!s.unit_attentions.empty() && !info->allowed_with_ua) {
    Asc ua = s.unit_attentions.front();
    s.unit_attentions.pop_front();
    return CheckCondition(kUnitAttention, ua);
  }
  if (auto bad = FirstReservedBit(*info, command.cdb))
    return InvalidCdbField(bad->first, bad->second);
  ScsiResult result;
  if (info->needs_medium && s.ReadyTape(result) == nullptr) return result;
  result = info->fn(s, command);
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
  if (state_->tape) closed = state_->tape->Close();
  state_->tape = std::move(medium);
  if (state_->tape && !state_->tape->loaded()) (void)state_->tape->Load();
  state_->buffered_objects = state_->buffered_bytes = 0;
  state_->medium_degraded = false;
  state_->prevent_removal = false;
  state_->unit_attentions.push_back(kAscMediumMayHaveChanged);
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

}  // namespace vtape::ssc
