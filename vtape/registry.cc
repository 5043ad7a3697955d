#include "vtape/registry.h"

#include <algorithm>
#include <mutex>

#include "vtape/builtin_backends.h"
#include "vtape/name.h"

namespace vtape {
namespace {

class Registry {
 public:
  Registry() {
    backends_.push_back(MakeFileBackend());
    backends_.push_back(MakeNullBackend());
    backends_.push_back(MakeMemBackend());
    backends_.push_back(MakeFaultBackend());
  }

  void Add(std::unique_ptr<Backend> backend) {
    std::lock_guard lock(mutex_);
    for (auto& b : backends_) {
      if (b->prefix() == backend->prefix()) {
        retired_.push_back(std::move(b));
        b = std::move(backend);
        return;
      }
    }
    backends_.push_back(std::move(backend));
  }

  Status Find(std::string_view name, Backend*& backend, std::string_view& rest) {
    std::string_view prefix;
    VTAPE_RETURN_IF_ERROR(SplitPrefix(name, prefix, rest));
    std::lock_guard lock(mutex_);
    for (const auto& b : backends_) {
      if (b->prefix() == prefix) {
        backend = b.get();  // backends are never removed while the process runs
        return Status::Ok();
      }
    }
    std::string known;
    for (const auto& b : backends_) known += (known.empty() ? "" : ", ") + std::string(b->prefix());
    return Status::InvalidArgument("unknown backend prefix '" + std::string(prefix) + ":' in '" +
                                   std::string(name) + "' (known: " + known + ")");
  }

  std::vector<std::string> Prefixes() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& b : backends_) out.emplace_back(b->prefix());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<Backend>> backends_;
  // Replaced backends stay alive: a Backend* handed out by Find must not dangle.
  std::vector<std::unique_ptr<Backend>> retired_;
};

Registry& Global() {
  static Registry registry;
  return registry;
}

}  // namespace

void RegisterBackend(std::unique_ptr<Backend> backend) {
  Global().Add(std::move(backend));
}

Status OpenTape(std::string_view name, const OpenOptions& options, std::unique_ptr<Tape>& tape) {
  Backend* backend = nullptr;
  std::string_view rest;
  VTAPE_RETURN_IF_ERROR(Global().Find(name, backend, rest));
  return backend->Open(rest, options, tape);
}

Status CreateTape(std::string_view name, const CreateOptions& options) {
  Backend* backend = nullptr;
  std::string_view rest;
  VTAPE_RETURN_IF_ERROR(Global().Find(name, backend, rest));
  return backend->Create(rest, options);
}

Status AccessTape(std::string_view name, bool for_write) {
  Backend* backend = nullptr;
  std::string_view rest;
  VTAPE_RETURN_IF_ERROR(Global().Find(name, backend, rest));
  return backend->Access(rest, for_write);
}

std::vector<std::string> RegisteredPrefixes() {
  return Global().Prefixes();
}

std::string ResolveMediumName(std::string_view typed) {
  std::string_view prefix, rest;
  if (SplitPrefix(typed, prefix, rest).ok()) {
    for (const std::string& known : RegisteredPrefixes()) {
      if (known == prefix) return std::string(typed);
    }
  }
  return "file:" + std::string(typed);
}

CreateOptions CreateOptionsLike(const MediumInfo& info) {
  CreateOptions create;
  create.barcode = info.barcode;
  create.media_type = info.media_type;
  create.capacity_bytes = info.capacity_bytes;
  create.early_warning_bytes = info.early_warning_bytes;
  return create;
}

}  // namespace vtape
