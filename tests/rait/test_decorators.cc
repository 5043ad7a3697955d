#include "tests/rait/test_decorators.h"

#include <charconv>
#include <memory>
#include <mutex>
#include <string>

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

class CutTape final : public ForwardingTape {
 public:
  using ForwardingTape::ForwardingTape;

#define CUT_CHANGE(call)                                        \
  if (dead_ || Cut().budget == 0) {                             \
    dead_ = true;                                               \
    return Status::IoError("cut: the process was killed here"); \
  }                                                             \
  if (Cut().budget != kNoCut) --Cut().budget;                   \
  ++Cut().spent;                                                \
  return ForwardingTape::call
#define CUT_OTHER(call)                                                     \
  if (dead_) return Status::IoError("cut: the process was killed earlier"); \
  return ForwardingTape::call

  Status Write(std::span<const std::uint8_t> r) override {
    CUT_CHANGE(Write(r));
  }
  Status WriteFilemarks(std::uint64_t n, bool s) override {
    CUT_CHANGE(WriteFilemarks(n, s));
  }
  Status Sync() override {
    CUT_CHANGE(Sync());
  }
  Status Erase() override {
    CUT_CHANGE(Erase());
  }
  Status SetWriteProtect(bool on) override {
    CUT_CHANGE(SetWriteProtect(on));
  }
  Status SetEarlyWarning(std::uint64_t b) override {
    CUT_CHANGE(SetEarlyWarning(b));
  }
  Status FormatPartitions(std::span<const std::uint64_t> s) override {
    CUT_CHANGE(FormatPartitions(s));
  }
  Status WriteAttribute(std::uint16_t id, std::span<const std::uint8_t> v) override {
    CUT_CHANGE(WriteAttribute(id, v));
  }
  Status Read(std::span<std::uint8_t> b, ReadResult& r) override {
    CUT_OTHER(Read(b, r));
  }
  Status SpaceRecords(std::int64_t n, SpaceResult& r) override {
    CUT_OTHER(SpaceRecords(n, r));
  }
  Status SpaceFilemarks(std::int64_t n, SpaceResult& r) override {
    CUT_OTHER(SpaceFilemarks(n, r));
  }
  Status SpaceToEndOfData() override {
    CUT_OTHER(SpaceToEndOfData());
  }
  Status Locate(std::uint32_t p, std::uint64_t o, SpaceResult& r) override {
    CUT_OTHER(Locate(p, o, r));
  }
  Status LocateFile(std::uint32_t p, std::uint64_t f, SpaceResult& r) override {
    CUT_OTHER(LocateFile(p, f, r));
  }
  Status Rewind() override {
    CUT_OTHER(Rewind());
  }
  Status Load() override {
    CUT_OTHER(Load());
  }
  Status Unload() override {
    CUT_OTHER(Unload());
  }
  Status Close() override {
    if (dead_) return Status::IoError("cut: the process was killed earlier");
    return ForwardingTape::Close();
  }
#undef CUT_CHANGE
#undef CUT_OTHER

 private:
  bool dead_ = false;
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
