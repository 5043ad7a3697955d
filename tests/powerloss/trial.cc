#include "tests/powerloss/trial.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <vector>

#include "tests/powerloss/checker.h"
#include "tests/powerloss/log_writes.h"
#include "tests/powerloss/scratch_mount.h"

extern char** environ;

namespace vtape::powerloss {
namespace {

struct Point {
  LogEntry entry;
  std::optional<std::size_t> ack;  // the last ack mark at or before the entry
};

bool IsAckMark(const LogEntry& e) {
  return (e.flags & kLogMark) && e.mark.rfind("ack-", 0) == 0;
}

// Runs `vtape verify file:IMAGE`; false with the end of its output if it fails.
bool Verify(const std::string& vtape, const std::string& image, const std::string& log_path,
            std::string& error) {
  std::vector<std::string> argv = {vtape, "verify", "file:" + image};
  std::vector<char*> cargv;
  for (auto& s : argv) cargv.push_back(s.data());
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid;
  int rc = ::posix_spawn(&pid, vtape.c_str(), &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  if (rc == 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
      WEXITSTATUS(status) == 0) {
    return true;
  }
  std::ifstream in(log_path);
  std::stringstream out;
  out << in.rdbuf();
  std::string text = out.str();
  error = "vtape verify failed (status " + std::to_string(rc ? rc : status) +
          "): " + text.substr(text.size() > 400 ? text.size() - 400 : 0);
  return false;
}

}  // namespace

std::uint64_t RunTrial(const TrialOptions& o, const Workload& w) {
  LogReader log;
  std::string error;
  std::vector<LogEntry> entries;
  std::vector<Point> points;
  std::optional<std::size_t> ack;
  LogEntry e;
  bool opened = log.Open(o.log, error);
  while (opened && log.Next(e, error)) {
    if (IsAckMark(e)) ack = std::stoull(e.mark.substr(4));
    if (o.every_entry || (e.flags & (kLogFlush | kLogFua | kLogMark))) points.push_back({e, ack});
    entries.push_back(e);
  }
  if (!error.empty()) {
    std::cout << "FAIL: reading the log: " << error << "\n0 passed, 1 failed\n";
    return 1;
  }

  std::vector<std::size_t> chosen(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) chosen[i] = i;
  std::size_t marks = std::count_if(points.begin(), points.end(),
                                    [](const Point& p) { return IsAckMark(p.entry); });
  if (o.max_points > 0 && points.size() > o.max_points) {
    std::vector<std::size_t> keep, rest;
    for (std::size_t i : chosen) (IsAckMark(points[i].entry) ? keep : rest).push_back(i);
    std::mt19937_64 rng(w.seed());
    std::shuffle(rest.begin(), rest.end(), rng);
    std::size_t room = o.max_points > keep.size() ? o.max_points - keep.size() : 0;
    keep.insert(keep.end(), rest.begin(),
                rest.begin() + static_cast<long>(std::min(room, rest.size())));
    std::sort(keep.begin(), keep.end());
    chosen = std::move(keep);
  }
  std::cout << "log: " << entries.size() << " entries, " << points.size() << " crash points ("
            << (o.every_entry ? "every entry, " : "FLUSH/FUA/MARK entries, ") << marks
            << " ack marks); checking " << chosen.size() << std::endl;

  std::string replay = o.dir + "/replay.img", check = o.dir + "/check.img", chk = o.dir + "/chk";
  if (!CopySparse(o.base, replay, error)) {
    std::cout << "FAIL: " << error << "\n0 passed, 1 failed\n";
    return 1;
  }
  int fd = ::open(replay.c_str(), O_WRONLY | O_CLOEXEC);
  std::uint64_t passed = 0, failed = 0, checked = 0;
  std::size_t next = 0;  // the next entry to apply to replay.img
  for (std::size_t c : chosen) {
    const Point& p = points[c];
    std::string where = "entry " + std::to_string(p.entry.index) + " (" + p.entry.FlagNames() +
                        ", last mark " + (p.ack ? "ack-" + std::to_string(*p.ack) : "none") + ")";
    Outcome out;
    bool applied = true;
    for (; applied && next <= p.entry.index; ++next) applied = log.Apply(entries[next], fd, error);
    ScratchMount mount;
    if (!applied || !CopySparse(replay, check, error)) {
      out = {false, false, "replay: " + error};
    } else if (!mount.Mount(check, chk, o.fstype, error)) {
      out = {false, false, o.fstype + " does not mount: " + error};
    } else {
      out = CheckImage(chk + "/tape.img", o.acks, w, p.ack);
      ++checked;
      bool last = c == chosen.back();
      if (out.pass && out.opened && !o.verify.empty() && (checked % o.verify_every == 0 || last)) {
        if (Verify(o.verify, chk + "/tape.img", o.dir + "/verify.log", error)) {
          out.message += "; vtape verify clean";
        } else {
          out = {false, true, error};
        }
      }
      if (!mount.Unmount(error)) out = {false, out.opened, error};
    }
    (out.pass ? passed : failed) += 1;
    std::cout << (out.pass ? "PASS: " : "FAIL: ") << where << ": " << out.message << std::endl;
    if (!applied) break;
  }
  if (fd >= 0) ::close(fd);
  std::cout << passed << " passed, " << failed << " failed" << std::endl;
  return failed;
}

}  // namespace vtape::powerloss
