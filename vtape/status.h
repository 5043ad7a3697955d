// Errors as values for the vtape layer (LevelDB's Status, in small).
//
// Every fallible vtape operation returns a Status. An ok() status carries no
// message; any other carries a code the caller can branch on (the SSC layer maps
// codes to sense keys) and a message a person can act on ("image /x/a.img is
// locked by another process", not "EAGAIN").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vtape {

enum class Code : std::uint8_t {
  kOk = 0,
  kInvalidArgument,  // malformed name or option, argument out of range
  kNotFound,         // the image, member or attribute does not exist
  kNotLoaded,        // no medium loaded (after Unload)
  kWriteProtected,   // the medium is write protected
  kEndOfMedium,      // hard end of medium or host disk full: nothing was written
  kMediumError,      // unreadable or checksum mismatch: never returned as data
  kIoError,          // any other host I/O failure
  kBusy,             // another process holds the medium open for writing
  kUnsupported,      // this backend does not implement the operation
  kCorruptImage,     // the image's structure is damaged beyond recovery
};

// Short stable name of a code ("medium-error"), for logs and tools.
std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status NotLoaded(std::string m) { return {Code::kNotLoaded, std::move(m)}; }
  static Status WriteProtected(std::string m) { return {Code::kWriteProtected, std::move(m)}; }
  static Status EndOfMedium(std::string m) { return {Code::kEndOfMedium, std::move(m)}; }
  static Status MediumError(std::string m) { return {Code::kMediumError, std::move(m)}; }
  static Status IoError(std::string m) { return {Code::kIoError, std::move(m)}; }
  static Status Busy(std::string m) { return {Code::kBusy, std::move(m)}; }
  static Status Unsupported(std::string m) { return {Code::kUnsupported, std::move(m)}; }
  static Status CorruptImage(std::string m) { return {Code::kCorruptImage, std::move(m)}; }
  // An I/O failure from errno: ENOSPC/EDQUOT/EFBIG map to kEndOfMedium, the
  // rest to kIoError. `what` says what was being done ("write /x/a.img").
  static Status FromErrno(int err, std::string_view what);

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "medium-error: record 12 of /x/a.img fails its CRC32C" (or "ok").
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// Early return on error, for the common "do this, then that" chains.
#define VTAPE_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::vtape::Status vtape_status_ = (expr);        \
    if (!vtape_status_.ok()) return vtape_status_; \
  } while (0)

}  // namespace vtape
