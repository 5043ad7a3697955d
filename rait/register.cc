// The rait: prefix in the vtape registry, and the public entry points of rait.h.
#include <algorithm>
#include <mutex>

#include "rait/rait.h"
#include "rait/rait_tape.h"
#include "rait/spec.h"
#include "vtape/media.h"
#include "vtape/registry.h"

namespace vtape::rait {
namespace {

class RaitBackend final : public Backend {
 public:
  std::string_view prefix() const override { return "rait"; }

  Status Open(std::string_view rest, const OpenOptions& options,
              std::unique_ptr<Tape>& tape) override {
    RaitSpec spec;
    VTAPE_RETURN_IF_ERROR(ParseRaitName(rest, spec));
    std::unique_ptr<RaitTape> set;
    VTAPE_RETURN_IF_ERROR(RaitTape::Open(spec, options, set));
    tape = std::move(set);
    return Status::Ok();
  }

  // Creates every member with room for the set's capacity, then opens the
  // set once so each member gets its superblock.
  Status Create(std::string_view rest, const CreateOptions& options) override {
    RaitSpec spec;
    VTAPE_RETURN_IF_ERROR(ParseRaitName(rest, spec));
    std::uint64_t data_members = spec.members.size() == 2 ? 1 : spec.members.size() - 1;
    CreateOptions member = options;
    member.early_warning_bytes = options.early_warning_bytes / data_members;  // ends with members
    if (options.capacity_bytes != 0) {
      member.early_warning_bytes = 0;
      // The set, not a member, ends the medium: a member gets room for the
      // whole set's capacity (a set filemark costs every member what it costs
      // the set, so a set of filemarks only fills each member as far as the
      // set) plus the 64-byte headers and the parity's rounding (tiny records
      // may still fill a member first).
      member.capacity_bytes = options.capacity_bytes + options.capacity_bytes / 8 + (4u << 20);
    }
    for (std::size_t i = 0; i < spec.members.size(); ++i) {
      Status st = CreateTape(spec.members[i], member);
      if (!st.ok()) {
        return Status(st.code(), "creating member " + std::to_string(i) + " (" + spec.members[i] +
                                     ") of the rait set: " + st.message());
      }
    }
    std::unique_ptr<RaitTape> set;
    VTAPE_RETURN_IF_ERROR(RaitTape::Open(spec, {}, set));
    if (options.capacity_bytes != 0) {
      std::uint64_t ew = options.early_warning_bytes;
      if (ew == 0) ew = std::min<std::uint64_t>(kDefaultEarlyWarningBytes, options.capacity_bytes);
      VTAPE_RETURN_IF_ERROR(set->SetShape(options.capacity_bytes, ew));
    }
    return set->Close();
  }

  // Usable when at most one member is not.
  Status Access(std::string_view rest, bool for_write) override {
    RaitSpec spec;
    VTAPE_RETURN_IF_ERROR(ParseRaitName(rest, spec));
    Status first;
    std::size_t failures = 0;
    for (const std::string& name : spec.members) {
      Status st = AccessTape(name, for_write);
      if (st.ok()) continue;
      if (failures++ == 0) first = Status(st.code(), name + ": " + st.message());
    }
    if (failures > 1) {
      return Status(first.code(), std::to_string(failures) + " members of the rait set are " +
                                      "not usable (it survives one): " + first.message());
    }
    return Status::Ok();
  }
};

}  // namespace

void RegisterRait() {
  static std::once_flag once;
  std::call_once(once, [] { RegisterBackend(std::make_unique<RaitBackend>()); });
}

Status RebuildMember(Tape& set, std::size_t index, const ProgressFn& progress) {
  auto* rait = dynamic_cast<RaitTape*>(&set);
  if (!rait) return Status::InvalidArgument("not a rait: set, so there is nothing to rebuild");
  return rait->RebuildMember(index, progress);
}

Status RebuildMember(std::string_view name, std::size_t index, const ProgressFn& progress) {
  RegisterRait();
  if (!name.starts_with("rait:")) {
    return Status::InvalidArgument(std::string("'").append(name).append("' is not a rait: name"));
  }
  std::unique_ptr<Tape> set;
  VTAPE_RETURN_IF_ERROR(OpenTape(name, {}, set));
  VTAPE_RETURN_IF_ERROR(RebuildMember(*set, index, progress));
  return set->Close();
}

Tape* RaitMember(Tape& set, std::size_t index) {
  auto* rait = dynamic_cast<RaitTape*>(&set);
  return rait ? rait->member(index) : nullptr;
}

}  // namespace vtape::rait
