#include "tests/powerloss/writer.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <vector>

#include "vtape/registry.h"

extern char** environ;

namespace vtape::powerloss {

int Writer::Run() {
  std::string name = "file:" + image_;
  CreateOptions create;
  create.barcode = "PWRLOSS1";
  if (!Check(CreateTape(name, create), "create " + name)) return 1;
  if (!Check(OpenTape(name, {}, tape_), "open " + name)) return 1;
  if (!Ack(0)) return 1;
  std::size_t ack = 1;
  for (std::size_t i = 0; i < w_.ops().size(); ++i) {
    if (!Perform(i)) return 1;
    if (w_.ops()[i].acknowledged() && !Ack(ack++)) return 1;
  }
  if (!Check(tape_->Close(), "final close")) return 1;
  if (!Ack(ack++)) return 1;
  if (ack != w_.ack_states().size()) {
    std::cerr << "writer: " << ack << " acks, the model has " << w_.ack_states().size() << "\n";
    return 1;
  }
  std::cout << "writer: " << w_.ops().size() << " ops, " << ack << " acks, "
            << w_.states().back().size() << " objects at the end\n";
  return 0;
}

bool Writer::Check(const Status& s, const std::string& what) {
  if (s.ok()) return true;
  std::cerr << "writer: " << what << ": " << s.ToString() << "\n";
  return false;
}

bool Writer::Perform(std::size_t i) {
  const Op& op = w_.ops()[i];
  std::string at = "op " + std::to_string(i) + " (" + OpKindName(op.kind) + ")";
  if (op.truncates()) {
    SpaceResult r;
    if (!Check(tape_->Locate(0, op.locate_to, r), at + ": locate")) return false;
    if (r.stop != Stop::kNone || tape_->GetPosition().object != op.locate_to) {
      std::cerr << "writer: " << at << ": locate to " << op.locate_to << " ended at "
                << tape_->GetPosition().object << "\n";
      return false;
    }
  }
  for (std::uint32_t length : op.records) {
    std::uint64_t object = tape_->GetPosition().object;
    auto bytes = RecordBytes(w_.seed(), static_cast<std::uint32_t>(i), object, length);
    if (!Check(tape_->Write(bytes), at + ": write object " + std::to_string(object))) return false;
  }
  switch (op.kind) {
    case OpKind::kFileSyncFilemark:
    case OpKind::kOverwriteSync:
      return Check(tape_->WriteFilemarks(1, true), at + ": filemark");
    case OpKind::kFileAsyncFilemark:
      return Check(tape_->WriteFilemarks(1, false), at + ": filemark");
    case OpKind::kRecordsSync:
      return Check(tape_->Sync(), at + ": sync");
    case OpKind::kUnload:
      if (!Check(tape_->Unload(), at + ": unload")) return false;
      return Check(tape_->Load(), at + ": load") &&
             Check(tape_->SpaceToEndOfData(), at + ": space to EOD");
    case OpKind::kCloseReopen:
      if (!Check(tape_->Close(), at + ": close")) return false;
      tape_.reset();
      return Check(OpenTape("file:" + image_, {}, tape_), at + ": reopen") &&
             Check(tape_->SpaceToEndOfData(), at + ": space to EOD");
    case OpKind::kAttribute:
      return Check(
          tape_->attributes()->WriteAttribute(0, 
              kAttributeId, std::span(reinterpret_cast<const std::uint8_t*>(op.attribute.data()),
                                      op.attribute.size())),
          at + ": write attribute");
    case OpKind::kErase:
      return Check(tape_->Erase(), at + ": erase");
    case OpKind::kRecordsUnsynced:
    case OpKind::kOverwriteUnsynced:
      return true;
  }
  return true;
}

// Records acknowledgement k: the log line first (so a mark never names an
// ack the log lacks), then the dm-log-writes mark.
bool Writer::Ack(std::size_t k) {
  std::string line =
      "ack " + std::to_string(k) + " state " + std::to_string(w_.ack_states()[k]) + "\n";
  int fd = ::open(acks_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0 || ::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
      ::fsync(fd) != 0) {
    std::cerr << "writer: appending to " << acks_ << ": " << std::strerror(errno) << "\n";
    if (fd >= 0) ::close(fd);
    return false;
  }
  ::close(fd);
  if (dm_.empty()) return true;
  std::string mark = "ack-" + std::to_string(k);
  std::vector<std::string> argv = {"dmsetup", "message", dm_, "0", "mark", mark};
  std::vector<char*> cargv;
  for (auto& s : argv) cargv.push_back(s.data());
  cargv.push_back(nullptr);
  pid_t pid;
  int rc = ::posix_spawnp(&pid, "dmsetup", nullptr, nullptr, cargv.data(), environ);
  int status = 0;
  if (rc != 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    std::cerr << "writer: dmsetup message " << dm_ << " 0 mark " << mark << " failed\n";
    return false;
  }
  return true;
}

}  // namespace vtape::powerloss
