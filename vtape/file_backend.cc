// The `file:` backend: file:PATH names one medium stored in PATH (+ PATH.idx,
// PATH.fm). See vtape/FORMAT.md for the format and its guarantees.
#include "vtape/builtin_backends.h"
#include "vtape/file_image.h"
#include "vtape/file_tape.h"

namespace vtape {
namespace {

Status CheckPath(std::string_view rest) {
  if (rest.empty()) {
    return Status::InvalidArgument("file: needs a path, e.g. file:/var/lib/vtape/A00001L8.img");
  }
  if (rest.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("file: path contains a NUL byte");
  }
  return Status::Ok();
}

class FileBackend final : public Backend {
 public:
  std::string_view prefix() const override { return "file"; }

  Status Open(std::string_view rest, const OpenOptions& options,
              std::unique_ptr<Tape>& tape) override {
    VTAPE_RETURN_IF_ERROR(CheckPath(rest));
    OpenedImage image;
    VTAPE_RETURN_IF_ERROR(OpenImage(std::string(rest), !options.read_only, image));
    return OpenFileTape(std::move(image), {}, tape);
  }
  Status Create(std::string_view rest, const CreateOptions& options) override {
    VTAPE_RETURN_IF_ERROR(CheckPath(rest));
    return CreateImage(std::string(rest), options);
  }
  Status Access(std::string_view rest, bool for_write) override {
    VTAPE_RETURN_IF_ERROR(CheckPath(rest));
    return AccessImage(std::string(rest), for_write);
  }
};

}  // namespace

std::unique_ptr<Backend> MakeFileBackend() {
  return std::make_unique<FileBackend>();
}

}  // namespace vtape
