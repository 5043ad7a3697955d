// PLACEHOLDER until the fault: backend lands: every call is refused.
#include "vtape/builtin_backends.h"

namespace vtape {
namespace {
class Placeholder final : public Backend {
 public:
  std::string_view prefix() const override { return "fault"; }
  Status Open(std::string_view, const OpenOptions&, std::unique_ptr<Tape>&) override {
    return Status::Unsupported("fault: is not implemented yet");
  }
  Status Create(std::string_view, const CreateOptions&) override {
    return Status::Unsupported("fault: is not implemented yet");
  }
  Status Access(std::string_view, bool) override {
    return Status::Unsupported("fault: is not implemented yet");
  }
};
}  // namespace
std::unique_ptr<Backend> MakeFaultBackend() { return std::make_unique<Placeholder>(); }
}  // namespace vtape
