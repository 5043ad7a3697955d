#include "tests/rait/kept_backend.h"

#include <map>
#include <memory>
#include <mutex>

#include "tests/rait/gated_tape.h"
#include "vtape/memory_tape.h"
#include "vtape/registry.h"

namespace vtape::rait::testing {
namespace {

struct Entry {
  std::shared_ptr<Tape> medium;
  bool removed = false;
};

std::map<std::string, std::shared_ptr<Entry>>& Store() {
  static std::map<std::string, std::shared_ptr<Entry>> store;
  return store;
}

// A handle on a kept medium: forwards everything unless the medium was removed
// or the handle closed. Closing the handle leaves the medium as it is.
class Handle final : public GatedTape {
 public:
  Handle(std::string id, std::shared_ptr<Entry> entry)
      : GatedTape(entry->medium), id_(std::move(id)), e_(std::move(entry)) {}

  Position GetPosition() const override {
    return e_->removed ? Position{} : GatedTape::GetPosition();
  }
  bool loaded() const override { return !e_->removed && !closed_ && GatedTape::loaded(); }
  Health health() const override { return {}; }
  Status Close() override {
    closed_ = true;
    return e_->removed ? Status::IoError("keep:" + id_ + " was removed") : Status::Ok();
  }

 protected:
  Status Gate(Call) const override {
    if (e_->removed) return Status::IoError("keep:" + id_ + " was removed");
    if (closed_) return Status::InvalidArgument("keep:" + id_ + " handle is closed");
    return Status::Ok();
  }

 private:
  std::string id_;
  std::shared_ptr<Entry> e_;
  bool closed_ = false;
};

class KeptBackend final : public Backend {
 public:
  std::string_view prefix() const override { return "keep"; }
  Status Open(std::string_view rest, const OpenOptions&, std::unique_ptr<Tape>& tape) override {
    auto it = Store().find(std::string(rest));
    if (it == Store().end() || !it->second)
      return Status::NotFound("keep:" + std::string(rest) + " does not exist");
    Tape& m = *it->second->medium;
    if (!m.loaded()) VTAPE_RETURN_IF_ERROR(m.Load());
    VTAPE_RETURN_IF_ERROR(m.Rewind());
    tape = std::make_unique<Handle>(std::string(rest), it->second);
    return Status::Ok();
  }
  Status Create(std::string_view rest, const CreateOptions& o) override {
    std::string id(rest);
    if (KeptMedium(id) && !o.overwrite) {
      return Status::InvalidArgument("keep:" + id + " exists");
    }
    if (auto it = Store().find(id); it != Store().end() && it->second) it->second->removed = true;
    MemoryTapeOptions options;
    VTAPE_RETURN_IF_ERROR(ParseMemoryTapeOptions("", options));
    options.medium.barcode = o.barcode;
    options.medium.media_type = o.media_type;
    if (o.capacity_bytes) options.medium.capacity_bytes = o.capacity_bytes;
    if (o.early_warning_bytes) options.medium.early_warning_bytes = o.early_warning_bytes;
    options.medium.write_protected = o.write_protected;
    auto entry = std::make_shared<Entry>();
    entry->medium = NewMemoryTape(options);
    Store()[id] = entry;
    return Status::Ok();
  }
  Status Access(std::string_view rest, bool) override {
    return KeptMedium(std::string(rest)) ? Status::Ok()
                                         : Status::NotFound("keep:" + std::string(rest));
  }
};

}  // namespace

void RegisterKeptBackend() {
  static std::once_flag once;
  std::call_once(once, [] { RegisterBackend(std::make_unique<KeptBackend>()); });
}

Tape* KeptMedium(const std::string& id) {
  auto it = Store().find(id);
  return it == Store().end() || !it->second ? nullptr : it->second->medium.get();
}

void RemoveKept(const std::string& id) {
  auto it = Store().find(id);
  if (it == Store().end()) return;
  if (it->second) it->second->removed = true;
  Store().erase(it);
}

void ClearKept() {
  for (auto& [id, e] : Store()) {
    if (e) e->removed = true;
  }
  Store().clear();
}

void SwapKept(const std::string& a, const std::string& b) {
  std::swap(Store()[a], Store()[b]);
}

void CorruptKeptRecord(const std::string& id, std::uint64_t object) {
  Tape* m = KeptMedium(id);
  if (!m) return;
  std::uint64_t position = m->GetPosition().object;
  SpaceResult r;
  std::vector<std::pair<bool, std::vector<std::uint8_t>>> objects;
  std::vector<std::uint8_t> buf(kMaxRecordBytes + 4096);
  (void)m->Locate(0, 0, r);
  for (;;) {
    ReadResult rr;
    if (!m->Read(buf, rr).ok() || rr.kind == ObjectKind::kEndOfData) break;
    objects.emplace_back(rr.kind == ObjectKind::kFilemark,
                         std::vector<std::uint8_t>(buf.begin(), buf.begin() + rr.length));
  }
  if (object < objects.size() && !objects[object].first) {
    auto& bytes = objects[object].second;
    bytes[bytes.size() / 2] ^= 0x5A;  // silently: the medium itself delivers it as good data
  }
  (void)m->Locate(0, 0, r);
  (void)m->Erase();
  for (auto& [filemark, bytes] : objects) {
    (void)(filemark ? m->WriteFilemarks(1, false) : m->Write(bytes));
  }
  (void)m->Locate(0, position, r);
}

}  // namespace vtape::rait::testing
