#include "vtape/status.h"

#include <cerrno>
#include <cstring>

namespace vtape {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      return "invalid-argument";
    case Code::kNotFound:
      return "not-found";
    case Code::kNotLoaded:
      return "not-loaded";
    case Code::kWriteProtected:
      return "write-protected";
    case Code::kEndOfMedium:
      return "end-of-medium";
    case Code::kMediumError:
      return "medium-error";
    case Code::kIoError:
      return "io-error";
    case Code::kBusy:
      return "busy";
    case Code::kUnsupported:
      return "unsupported";
    case Code::kCorruptImage:
      return "corrupt-image";
  }
  return "unknown";
}

Status Status::FromErrno(int err, std::string_view what) {
  std::string message = std::string(what) + ": " + std::strerror(err);
  switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return EndOfMedium(std::move(message) + " (treated as end of medium)");
    case ENOENT:
      return NotFound(std::move(message));
    case EROFS:
    case EACCES:
    case EPERM:
      return WriteProtected(std::move(message));
    default:
      return IoError(std::move(message));
  }
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(CodeName(code_)) + ": " + message_;
}

}  // namespace vtape
