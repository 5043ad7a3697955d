// MOVE MEDIUM (SMC-3 6.8) and EXCHANGE MEDIUM (6.4). The checks SMC asks for
// come first, from the library state, so a refused command touches nothing:
//   element addresses (transport 0000h or the default 0; the others must be
//   storing elements)                                      05h/21h/01h
//   source empty (EXCHANGE: first destination empty too)   05h/3Bh/0Eh
//   destination full                                       05h/3Bh/0Dh
//   import/export element with its door open               05h/3Bh/11h
//   into an import/export element while PREVENT MEDIUM
//   REMOVAL is in effect, or out of a drive that prevents
//   removal itself                                         05h/53h/02h
// Then the drive steps (changer.h): unloads, then loads, undone in reverse on
// failure; then the library records the move.
//   the drive cannot read the cartridge's media type      05h/30h/00h
//   the cartridge image is missing or damaged             03h/53h/00h
//   a drive fails to flush on eject                       03h/53h/00h
#include <functional>
#include <optional>
#include <vector>

#include "handler/smc/commands.h"
#include "handler/spc/cdb.h"

namespace vtape::smc {
namespace {

using library::Element;
using library::ElementType;

// One change to a drive: load `barcode`, or unload (empty barcode).
struct DriveStep {
  std::uint32_t drive;
  std::string barcode;  // loaded before an unload step (to undo it), loaded by a load step
  bool load;
};

std::optional<std::uint32_t> DriveIndex(const Element& e) {
  if (e.type != ElementType::kDataTransfer) return std::nullopt;
  return static_cast<std::uint32_t>(e.address - library::kFirstDriveAddress);
}

ScsiResult SenseForDriveStatus(const Status& status) {
  switch (status.code()) {
    case Code::kUnsupported:
      return CheckCondition(kIllegalRequest, kAscIncompatibleMedium);
    case Code::kNotFound:
    case Code::kCorruptImage:
    case Code::kMediumError:
    case Code::kIoError:
      return CheckCondition(kMediumError, kAscMediaLoadOrEjectFailed);
    default:
      return CheckCondition(kHardwareError, kAscInternalTargetFailure);
  }
}

Status LoadBarcode(ChangerState& state, std::uint32_t drive, const std::string& barcode) {
  LoadRequest request;
  request.barcode = barcode;
  VTAPE_RETURN_IF_ERROR(state.library->MediumName(barcode, request.medium));
  if (const library::Cartridge* c = state.lib().FindCartridge(barcode)) {
    request.media_type = c->media_type;
  }
  return state.drives->Load(drive, request);
}

// Runs `steps` in order; on a failure undoes the ones done, in reverse, and
// returns the failure's sense.
std::optional<ScsiResult> RunDriveSteps(ChangerState& state, const std::vector<DriveStep>& steps,
                                        std::size_t& done) {
  for (done = 0; done < steps.size(); ++done) {
    const DriveStep& step = steps[done];
    Status s =
        step.load ? LoadBarcode(state, step.drive, step.barcode) : state.drives->Unload(step.drive);
    if (!s.ok()) return SenseForDriveStatus(s);
  }
  return std::nullopt;
}

void UndoDriveSteps(ChangerState& state, const std::vector<DriveStep>& steps, std::size_t done) {
  while (done > 0) {
    const DriveStep& step = steps[--done];
    if (step.load) {
      (void)state.drives->Unload(step.drive);
    } else {
      (void)LoadBarcode(state, step.drive, step.barcode);
    }
  }
}

// The element at `address` that stores cartridges (not the transport), or the
// INVALID ELEMENT ADDRESS answer.
const Element* StoringElement(const ChangerState& state, std::uint16_t address) {
  const Element* e = state.lib().FindElement(address);
  if (e == nullptr || e->type == ElementType::kTransport) return nullptr;
  return e;
}

bool ValidTransport(std::uint16_t address) {
  return address == library::kTransportAddress;
}

// The refusals shared by a cartridge leaving `from` and one arriving in `to`.
std::optional<ScsiResult> CheckLeave(const ChangerState& state, const Element& from) {
  if (!from.full()) return CheckCondition(kIllegalRequest, kAscMediumSourceEmpty);
  if (from.type == ElementType::kImportExport && from.door_open) {
    return CheckCondition(kIllegalRequest, kAscMagazineNotAccessible);
  }
  if (auto drive = DriveIndex(from); drive && state.drives->MediumRemovalPrevented(*drive)) {
    return CheckCondition(kIllegalRequest, kAscMediumRemovalPrevented);
  }
  return std::nullopt;
}

std::optional<ScsiResult> CheckArrive(const ChangerState& state, const Element& to) {
  if (to.type == ElementType::kImportExport) {
    if (to.door_open) return CheckCondition(kIllegalRequest, kAscMagazineNotAccessible);
    if (state.lib().removal_prevented) {
      return CheckCondition(kIllegalRequest, kAscMediumRemovalPrevented);
    }
  }
  return std::nullopt;
}

// Drive steps, then the library change; drive steps undone when it refuses.
ScsiResult Commit(ChangerState& state, const std::vector<DriveStep>& steps,
                  const std::function<library::Result()>& change) {
  std::size_t done = 0;
  if (auto failed = RunDriveSteps(state, steps, done)) {
    UndoDriveSteps(state, steps, done);
    return *failed;
  }
  library::Result result = change();
  if (!result.ok()) {
    UndoDriveSteps(state, steps, done);
    return SenseForResult(result);
  }
  state.seen_generation = state.lib().generation;
  return Good();
}

}  // namespace

ScsiResult CmdMoveMedium(ChangerState& state, const ScsiCommand& command) {
  const auto& cdb = command.cdb;
  const auto transport = static_cast<std::uint16_t>(GetBe(cdb, 2, 2));
  const auto source = static_cast<std::uint16_t>(GetBe(cdb, 4, 2));
  const auto destination = static_cast<std::uint16_t>(GetBe(cdb, 6, 2));
  if (!state.library->Refresh().ok()) {
    return CheckCondition(kHardwareError, kAscInternalTargetFailure);
  }
  const Element* from = StoringElement(state, source);
  const Element* to = StoringElement(state, destination);
  if (!ValidTransport(transport) || from == nullptr || to == nullptr) {
    return CheckCondition(kIllegalRequest, kAscInvalidElementAddress);
  }
  if (auto refused = CheckLeave(state, *from)) return *refused;
  if (to->full()) return CheckCondition(kIllegalRequest, kAscMediumDestinationFull);
  if (auto refused = CheckArrive(state, *to)) return *refused;

  const std::string barcode = from->barcode;
  std::vector<DriveStep> steps;
  if (auto drive = DriveIndex(*from)) steps.push_back({*drive, barcode, false});
  if (auto drive = DriveIndex(*to)) steps.push_back({*drive, barcode, true});
  return Commit(state, steps, [&] { return state.library->Move(source, destination); });
}

ScsiResult CmdExchangeMedium(ChangerState& state, const ScsiCommand& command) {
  const auto& cdb = command.cdb;
  const auto transport = static_cast<std::uint16_t>(GetBe(cdb, 2, 2));
  const auto source = static_cast<std::uint16_t>(GetBe(cdb, 4, 2));
  const auto first = static_cast<std::uint16_t>(GetBe(cdb, 6, 2));
  const auto second = static_cast<std::uint16_t>(GetBe(cdb, 8, 2));
  if (!state.library->Refresh().ok()) {
    return CheckCondition(kHardwareError, kAscInternalTargetFailure);
  }
  const Element* src = StoringElement(state, source);
  const Element* dst1 = StoringElement(state, first);
  const Element* dst2 = StoringElement(state, second);
  if (!ValidTransport(transport) || src == nullptr || dst1 == nullptr || dst2 == nullptr) {
    return CheckCondition(kIllegalRequest, kAscInvalidElementAddress);
  }
  // source's cartridge -> first; first's cartridge -> second (second may be source).
  if (auto refused = CheckLeave(state, *src)) return *refused;
  if (auto refused = CheckLeave(state, *dst1)) return *refused;
  if (source == first) return CheckCondition(kIllegalRequest, kAscMediumDestinationFull);
  if (second != source && dst2->full()) {
    return CheckCondition(kIllegalRequest, kAscMediumDestinationFull);
  }
  if (auto refused = CheckArrive(state, *dst1)) return *refused;
  if (auto refused = CheckArrive(state, *dst2)) return *refused;

  const std::string moving_first = src->barcode, moving_second = dst1->barcode;
  std::vector<DriveStep> steps;
  if (auto drive = DriveIndex(*src)) steps.push_back({*drive, moving_first, false});
  if (auto drive = DriveIndex(*dst1)) steps.push_back({*drive, moving_second, false});
  if (auto drive = DriveIndex(*dst1)) steps.push_back({*drive, moving_first, true});
  if (auto drive = DriveIndex(*dst2)) steps.push_back({*drive, moving_second, true});
  return Commit(state, steps, [&] { return state.library->Exchange(source, first, second); });
}

}  // namespace vtape::smc
