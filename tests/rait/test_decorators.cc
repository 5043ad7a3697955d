#include "tests/rait/test_decorators.h"

#include <charconv>
#include <memory>
#include <mutex>
#include <string>

#include "tests/rait/gated_tape.h"
#include "vtape/forwarding_tape.h"
#include "vtape/registry.h"

namespace vtape::rait::testing {
namespace {

struct CutState {
  std::uint64_t budget = kNoCut;
  std::uint64_t spent = 0;
};
CutState& Cut() {
  static CutState state;
  return state;
}

class CutTape final : public GatedTape {
 public:
  using GatedTape::GatedTape;

 protected:
  // Every change spends the budget; once it is gone the process is dead and
  // nothing reaches the medium any more. Queries pass: they change nothing.
  Status Gate(Call call) const override {
    if (call == Call::kChange) {
      if (dead_ || Cut().budget == 0) {
        dead_ = true;
        return Status::IoError("cut: the process was killed here");
      }
      if (Cut().budget != kNoCut) --Cut().budget;
      ++Cut().spent;
      return Status::Ok();
    }
    if (call == Call::kMove && dead_) return Status::IoError("cut: the process was killed earlier");
    return Status::Ok();
  }

 private:
  mutable bool dead_ = false;
};

class FilemarkRoomTape final : public ForwardingTape {
 public:
  FilemarkRoomTape(std::unique_ptr<Tape> target, std::uint64_t room)
      : ForwardingTape(std::move(target)), room_(room) {}
  Status WriteFilemarks(std::uint64_t count, bool sync) override {
    std::uint64_t fit = std::min(count, room_);
    room_ -= fit;
    VTAPE_RETURN_IF_ERROR(ForwardingTape::WriteFilemarks(fit, sync));
    if (fit < count) return Status::EndOfMedium("fmroom: disk full after " + std::to_string(fit));
    return Status::Ok();
  }

 private:
  std::uint64_t room_;
};

class CutBackend final : public Backend {
 public:
  std::string_view prefix() const override { return "cut"; }
  Status Open(std::string_view rest, const OpenOptions& o, std::unique_ptr<Tape>& tape) override {
    std::unique_ptr<Tape> inner;
    VTAPE_RETURN_IF_ERROR(OpenTape(rest, o, inner));
    tape = std::make_unique<CutTape>(std::move(inner));
    return Status::Ok();
  }
  Status Create(std::string_view rest, const CreateOptions& o) override {
    return CreateTape(rest, o);
  }
  Status Access(std::string_view rest, bool w) override { return AccessTape(rest, w); }
};

class FilemarkRoomBackend final : public Backend {
 public:
  std::string_view prefix() const override { return "fmroom"; }
  Status Open(std::string_view rest, const OpenOptions& o, std::unique_ptr<Tape>& tape) override {
    std::size_t colon = rest.find(':');
    std::uint64_t room = 0;
    if (colon == std::string_view::npos ||
        std::from_chars(rest.data(), rest.data() + colon, room).ec != std::errc()) {
      return Status::InvalidArgument("fmroom:K:NAME");
    }
    std::unique_ptr<Tape> inner;
    VTAPE_RETURN_IF_ERROR(OpenTape(rest.substr(colon + 1), o, inner));
    tape = std::make_unique<FilemarkRoomTape>(std::move(inner), room);
    return Status::Ok();
  }
  Status Create(std::string_view rest, const CreateOptions& o) override {
    return CreateTape(rest.substr(rest.find(':') + 1), o);
  }
  Status Access(std::string_view rest, bool w) override {
    return AccessTape(rest.substr(rest.find(':') + 1), w);
  }
};

}  // namespace

void RegisterTestDecorators() {
  static std::once_flag once;
  std::call_once(once, [] {
    RegisterBackend(std::make_unique<CutBackend>());
    RegisterBackend(std::make_unique<FilemarkRoomBackend>());
  });
}

void SetCrashCut(std::uint64_t changes) {
  Cut().budget = changes;
  Cut().spent = 0;
}

std::uint64_t ChangesSinceCut() {
  return Cut().spent;
}

}  // namespace vtape::rait::testing
