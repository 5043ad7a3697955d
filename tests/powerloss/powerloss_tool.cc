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
//                        [--every-entry 1] [--reorder N]
//     Replays the dm-log-writes log LOG onto a copy of IMG (the data device
//     when logging began) crash point by crash point, mounts each state and
//     checks it as `check` does, running `VTAPE verify` at every Nth; with
//     --reorder, N more states per FLUSH point with its writes reordered and torn
//     (trial.h).
// Exit status: 0 pass, 1 fail, 2 usage.
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/powerloss/checker.h"
#include "tests/powerloss/trial.h"
#include "tests/powerloss/workload.h"
#include "tests/powerloss/writer.h"

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
  std::uint64_t reorder = 0;       // trial: reordered states per FLUSH point
};

int Usage(const std::string& why) {
  std::cerr
      << "powerloss_tool: " << why << "\n"
      << "usage: powerloss_tool write --image PATH --acks FILE --seed S --ops N [--dm NAME]\n"
      << "       powerloss_tool check --image PATH --acks FILE --seed S --ops N --ack K|none\n"
      << "       powerloss_tool trial --log LOG --base IMG --dir DIR --acks FILE --seed S --ops N\n"
      << "                            [--fs ext4|xfs] [--max-points N] [--verify VTAPE]\n"
      << "                            [--verify-every N] [--every-entry 0|1]\n"
      << "                            [--reorder N]\n";
  return 2;
}

bool ParseArgs(int argc, char** argv, Args& a, std::string& error) {
  std::map<std::string, std::string*> strings = {
      {"--image", &a.image}, {"--acks", &a.acks}, {"--dm", &a.dm},
      {"--ack", &a.ack},     {"--log", &a.log},   {"--base", &a.base},
      {"--dir", &a.dir},     {"--fs", &a.fs},     {"--verify", &a.verify}};
  std::map<std::string, std::uint64_t*> numbers = {{"--seed", &a.seed},
                                                   {"--max-points", &a.max_points},
                                                   {"--verify-every", &a.verify_every},
                                                   {"--every-entry", &a.every_entry},
                                                   {"--reorder", &a.reorder}};
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
      if (key == "--ops")
        a.ops = static_cast<std::uint32_t>(v);
      else
        *numbers[key] = v;
    } else {
      return error = "unknown option " + key, false;
    }
  }
  if (a.acks.empty()) return error = "--acks is required", false;
  return true;
}

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
    return Writer(a.image, a.acks, a.dm, w).Run();
  }
  if (command == "check") {
    if (a.ack.empty() || a.image.empty()) return Usage("check needs --image and --ack K|none");
    return Check(a, w);
  }
  if (command == "trial") {
    if (a.log.empty() || a.base.empty() || a.dir.empty()) {
      return Usage("trial needs --log, --base and --dir");
    }
    TrialOptions o;
    o.log = a.log, o.base = a.base, o.dir = a.dir, o.fstype = a.fs, o.acks = a.acks;
    o.verify = a.verify, o.verify_every = a.verify_every, o.max_points = a.max_points;
    o.every_entry = a.every_entry != 0, o.reorder = a.reorder;
    return RunTrial(o, w) == 0 ? 0 : 1;
  }
  return Usage("unknown command " + command);
}
