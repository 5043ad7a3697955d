#include "library/state_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "library/state_json.h"

namespace vtape::library {
namespace {

std::string LockPath(const std::string& dir) {
  return dir + "/lock";
}

std::string PresentedPath(const std::string& dir) {
  return dir + "/presented";
}

// flock(2), retried on EINTR; false with errno set when it fails.
bool Flock(int fd, int operation) {
  while (::flock(fd, operation) != 0) {
    if (errno != EINTR) return false;
  }
  return true;
}

Status ReadAll(int fd, const std::string& path, std::string& text) {
  text.clear();
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno(errno, "read " + path);
    if (n == 0) return Status::Ok();
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

Status WriteAll(int fd, const std::string& path, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno(errno, "write " + path);
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::Ok();
}

}  // namespace

std::string StatePath(const std::string& dir) {
  return dir + "/state.json";
}

std::string MediaDir(const std::string& dir) {
  return dir + "/media";
}

Status ReadStateFile(const std::string& dir, State& state, Fd& fd) {
  const std::string path = StatePath(dir);
  Fd file;
  Status s = OpenFile(path, O_RDONLY, file);
  if (s.code() == Code::kNotFound) {
    return Status::NotFound(dir + " holds no library (no " + path +
                            "); create one with `vtape library create " + dir + "`");
  }
  VTAPE_RETURN_IF_ERROR(s);
  std::string text;
  VTAPE_RETURN_IF_ERROR(ReadAll(file.get(), path, text));
  VTAPE_RETURN_IF_ERROR(DecodeState(text, "library state " + path, state));
  fd = std::move(file);
  return Status::Ok();
}

Status WriteStateFile(const std::string& dir, const State& state, Fd& fd) {
  const std::string path = StatePath(dir);
  const std::string temp = path + ".tmp";
  Fd file;
  VTAPE_RETURN_IF_ERROR(OpenFile(temp, O_RDWR | O_CREAT | O_TRUNC, file, 0644));
  VTAPE_RETURN_IF_ERROR(WriteAll(file.get(), temp, EncodeState(state)));
  if (::fsync(file.get()) != 0) return Status::FromErrno(errno, "fsync " + temp);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    return Status::FromErrno(errno, "rename " + temp + " to " + path);
  }
  VTAPE_RETURN_IF_ERROR(SyncDirectoryOf(path));
  fd = std::move(file);
  return Status::Ok();
}

Status StateReplaced(int fd, bool& replaced) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Status::FromErrno(errno, "fstat the library state");
  replaced = st.st_nlink == 0;
  return Status::Ok();
}

Status LockLibrary(const std::string& dir, Fd& fd) {
  const std::string path = LockPath(dir);
  Fd file;
  VTAPE_RETURN_IF_ERROR(OpenFile(path, O_RDWR | O_CREAT, file, 0644));
  if (!Flock(file.get(), LOCK_EX)) return Status::FromErrno(errno, "lock " + path);
  fd = std::move(file);
  return Status::Ok();
}

Status TakePresented(const std::string& dir, Fd& fd) {
  const std::string path = PresentedPath(dir);
  Fd file;
  VTAPE_RETURN_IF_ERROR(OpenFile(path, O_RDWR | O_CREAT, file, 0644));
  if (!Flock(file.get(), LOCK_EX | LOCK_NB)) {
    if (errno == EWOULDBLOCK) {
      return Status::Busy("library " + dir + " is already presented by another process (" + path +
                          " is locked)");
    }
    return Status::FromErrno(errno, "lock " + path);
  }
  fd = std::move(file);
  return Status::Ok();
}

Status IsPresented(const std::string& dir, bool& presented) {
  const std::string path = PresentedPath(dir);
  Fd file;
  VTAPE_RETURN_IF_ERROR(OpenFile(path, O_RDWR | O_CREAT, file, 0644));
  if (Flock(file.get(), LOCK_SH | LOCK_NB)) {
    presented = false;  // closing the descriptor releases the probe
    return Status::Ok();
  }
  if (errno != EWOULDBLOCK) return Status::FromErrno(errno, "lock " + path);
  presented = true;
  return Status::Ok();
}

}  // namespace vtape::library
