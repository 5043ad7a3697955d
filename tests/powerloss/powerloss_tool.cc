// powerloss_tool: the writer and the checker of the power-loss trials
// (tests/powerloss/README.md).
//
//   powerloss_tool write --image PATH --acks FILE --seed S --ops N [--dm NAME]
//     Creates file:PATH and performs the seed's workload (workload.h). After
//     each acknowledged durable point K returns it appends "ack K state I" to
//     FILE (fsync'ed; FILE lives on another file system) and, with --dm, drops
//     the dm-log-writes mark "ack-K" (dmsetup message NAME 0 mark ack-K).
//   powerloss_tool check --image PATH --acks FILE --seed S --ops N --ack K|none
//     Opens file:PATH for writing (recovery), reads it all back and judges it
//     (workload.h: Judge) against acknowledgement K, the last mark the crash
//     state holds; closes, reopens read-only and expects the same tape again.
//     Prints one line, "PASS: ..." or "FAIL: ...".
//   powerloss_tool trial --log LOG --base IMG --dir DIR --acks FILE --seed S --ops N
//                        [--fs ext4] [--max-points N] [--verify VTAPE] [--verify-every N]
//                        [--every-entry 1]
//     Replays the dm-log-writes log LOG onto a copy of IMG (the data device
//     when logging began) crash point by crash point, mounts each state and
//     checks it as `check` does, running `VTAPE verify` at every Nth (trial.h).
// Exit status: 0 pass, 1 fail, 2 usage.
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/powerloss/checker.h"
#include "tests/powerloss/trial.h"
#include "tests/powerloss/workload.h"
#include "vtape/registry.h"
#include "vtape/tape.h"

extern char** environ;

namespace vtape::powerloss {
namespace {

struct Args {
  std::string image, acks, dm, ack;
  std::string log, base, dir, fs = "ext4", verify;  // trial
  std::uint64_t seed = 1;
  std::uint32_t ops = 40;
  std::uint64_t max_points = 0;    // trial: 0 = every crash point
  std::uint64_t verify_every = 8;  // trial: `vtape verify` at every Nth point checked
  std::uint64_t every_entry = 0;   // trial: 1 = every log entry is a crash point
};

int Usage(const std::string& why) {
  std::cerr << "powerloss_tool: " << why << "\n"
            << "usage: powerloss_tool write --image PATH --acks FILE --seed S --ops N [--dm NAME]\n"
            << "       powerloss_tool check --image PATH --acks FILE --seed S --ops N --ack K|none\n"
            << "       powerloss_tool trial --log LOG --base IMG --dir DIR --acks FILE --seed S --ops N\n"
            << "                            [--fs ext4|xfs] [--max-points N] [--verify VTAPE]\n"
            << "                            [--verify-every N] [--every-entry 0|1]\n";
  return 2;
}

bool ParseArgs(int argc, char** argv, Args& a, std::string& error) {
  std::map<std::string, std::string*> strings = {
      {"--image", &a.image}, {"--acks", &a.acks}, {"--dm", &a.dm},       {"--ack", &a.ack},
      {"--log", &a.log},     {"--base", &a.base}, {"--dir", &a.dir},     {"--fs", &a.fs},
      {"--verify", &a.verify}};
  std::map<std::string, std::uint64_t*> numbers = {
      {"--seed", &a.seed}, {"--max-points", &a.max_points}, {"--verify-every", &a.verify_every},
      {"--every-entry", &a.every_entry}};
  for (int i = 2; i < argc; i += 2) {
    std::string key = argv[i];
    if (i + 1 >= argc) return error = key + " needs a value", false;
    std::string value = argv[i + 1];
    if (auto it = strings.find(key); it != strings.end()) {
      *it->second = value;
    } else if (numbers.count(key) || key == "--ops") {
      char* end = nullptr;
      unsigned long long v = std::strtoull(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0') return error = key + " " + value + ": not a number", false;
      if (key == "--ops") a.ops = static_cast<std::uint32_t>(v);
      else *numbers[key] = v;
    } else {
      return error = "unknown option " + key, false;
    }
  }
  if (a.acks.empty()) return error = "--acks is required", false;
  return true;
}

// ---------------------------------------------------------------------------
// The writer.

class Writer {
 public:
  Writer(const Args& a, const Workload& w) : args_(a), w_(w) {}

  int Run() {
    std::string name = "file:" + args_.image;
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

 private:
  bool Check(const Status& s, const std::string& what) {
    if (s.ok()) return true;
    std::cerr << "writer: " << what << ": " << s.ToString() << "\n";
    return false;
  }

  bool Perform(std::size_t i) {
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
        return Check(OpenTape("file:" + args_.image, {}, tape_), at + ": reopen") &&
               Check(tape_->SpaceToEndOfData(), at + ": space to EOD");
      case OpKind::kRecordsUnsynced:
      case OpKind::kOverwriteUnsynced:
        return true;
    }
    return true;
  }

  // Records acknowledgement k: the log line first (so a mark never names an
  // ack the log lacks), then the dm-log-writes mark.
  bool Ack(std::size_t k) {
    std::string line = "ack " + std::to_string(k) + " state " + std::to_string(w_.ack_states()[k]) + "\n";
    int fd = ::open(args_.acks.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0 || ::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
        ::fsync(fd) != 0) {
      std::cerr << "writer: appending to " << args_.acks << ": " << std::strerror(errno) << "\n";
      if (fd >= 0) ::close(fd);
      return false;
    }
    ::close(fd);
    if (args_.dm.empty()) return true;
    std::string mark = "ack-" + std::to_string(k);
    std::vector<std::string> argv = {"dmsetup", "message", args_.dm, "0", "mark", mark};
    std::vector<char*> cargv;
    for (auto& s : argv) cargv.push_back(s.data());
    cargv.push_back(nullptr);
    pid_t pid;
    int rc = ::posix_spawnp(&pid, "dmsetup", nullptr, nullptr, cargv.data(), environ);
    int status = 0;
    if (rc != 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
      std::cerr << "writer: dmsetup message " << args_.dm << " 0 mark " << mark << " failed\n";
      return false;
    }
    return true;
  }

  const Args& args_;
  const Workload& w_;
  std::unique_ptr<Tape> tape_;
};

int Check(const Args& a, const Workload& w) {
  std::optional<std::size_t> ack;
  if (!ParseAck(a.ack, ack)) return Usage("--ack " + a.ack + ": a number or none");
  Outcome o = CheckImage(a.image, a.acks, w, ack);
  std::cout << (o.pass ? "PASS: " : "FAIL: ") << o.message << "\n";
  return o.pass ? 0 : 1;
}

}  // namespace
}  // namespace vtape::powerloss

int main(int argc, char** argv) {
  using namespace vtape::powerloss;
  if (argc < 2) return Usage("no command");
  std::string command = argv[1];
  Args a;
  std::string error;
  if (!ParseArgs(argc, argv, a, error)) return Usage(error);
  Workload w(a.seed, a.ops);
  if (command == "write") {
    if (a.image.empty()) return Usage("write needs --image");
    return Writer(a, w).Run();
  }
  if (command == "check") {
    if (a.ack.empty() || a.image.empty()) return Usage("check needs --image and --ack K|none");
    return Check(a, w);
  }
  if (command == "trial") {
    if (a.log.empty() || a.base.empty() || a.dir.empty()) {
      return Usage("trial needs --log, --base and --dir");
    }
    TrialOptions o{a.log,    a.base,         a.dir,        a.fs,
                   a.acks,   a.verify,       a.verify_every, a.max_points,
                   a.every_entry != 0};
    return RunTrial(o, w) == 0 ? 0 : 1;
  }
  return Usage("unknown command " + command);
}
