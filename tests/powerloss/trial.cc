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

// Replays the log onto replay.img incrementally and checks copies of it.
class Replayer {
 public:
  Replayer(const TrialOptions& o, const Workload& w, LogReader& log,
           const std::vector<LogEntry>& entries, std::string replay)
      : o_(o), w_(w), log_(log), entries_(entries), replay_(std::move(replay)) {
    fd_ = ::open(replay_.c_str(), O_WRONLY | O_CLOEXEC);
  }
  ~Replayer() {
    if (fd_ >= 0) ::close(fd_);
  }
  Replayer(const Replayer&) = delete;
  Replayer& operator=(const Replayer&) = delete;

  // Applies entries up to (not including) `end`; false (and a FAIL) on error.
  bool ApplyUpTo(std::size_t end) {
    std::string error;
    if (fd_ < 0) error = "cannot open " + replay_;
    for (; error.empty() && next_ < end; ++next_) log_.Apply(entries_[next_], fd_, error);
    if (error.empty()) return true;
    Report("replay up to entry " + std::to_string(end), {false, false, error});
    return false;
  }

  // Checks replay.img plus `extra` (entry, sectors applied) as a crash state.
  void Check(const std::string& where, std::optional<std::size_t> ack,
             const std::vector<std::pair<std::size_t, std::uint64_t>>& extra, bool last) {
    std::string error, check = o_.dir + "/check.img", chk = o_.dir + "/chk";
    if (!CopySparse(replay_, check, error)) return Report(where, {false, false, error});
    if (!extra.empty()) {
      int fd = ::open(check.c_str(), O_WRONLY | O_CLOEXEC);
      for (const auto& [entry, sectors] : extra) {
        if (fd < 0 || !log_.Apply(entries_[entry], fd, error, sectors)) break;
      }
      if (fd >= 0) ::close(fd);
      if (fd < 0 || !error.empty()) return Report(where, {false, false, "replay: " + error});
    }
    ScratchMount mount;
    if (!mount.Mount(check, chk, o_.fstype, error)) {
      return Report(where, {false, false, o_.fstype + " does not mount: " + error});
    }
    Outcome out = CheckImage(chk + "/tape.img", o_.acks, w_, ack);
    ++checked_;
    if (out.pass && out.opened && !o_.verify.empty() && (checked_ % o_.verify_every == 0 || last)) {
      if (Verify(o_.verify, chk + "/tape.img", o_.dir + "/verify.log", error)) {
        out.message += "; vtape verify clean";
      } else {
        out = {false, true, error};
      }
    }
    if (!mount.Unmount(error)) out = {false, out.opened, error};
    Report(where, out);
  }

  std::uint64_t passed() const { return passed_; }
  std::uint64_t failed() const { return failed_; }

 private:
  void Report(const std::string& where, const Outcome& out) {
    (out.pass ? passed_ : failed_) += 1;
    std::cout << (out.pass ? "PASS: " : "FAIL: ") << where << ": " << out.message << std::endl;
  }

  const TrialOptions& o_;
  const Workload& w_;
  LogReader& log_;
  const std::vector<LogEntry>& entries_;
  std::string replay_;
  int fd_ = -1;
  std::size_t next_ = 0;  // the next entry to apply to replay.img
  std::uint64_t passed_ = 0, failed_ = 0, checked_ = 0;
};

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

  std::string replay = o.dir + "/replay.img";
  if (!CopySparse(o.base, replay, error)) {
    std::cout << "FAIL: " << error << "\n0 passed, 1 failed\n";
    return 1;
  }
  Replayer r(o, w, log, entries, replay);
  std::mt19937_64 rng(w.seed() ^ 0x5eed);
  for (std::size_t c : chosen) {
    const Point& p = points[c];
    std::string where = "entry " + std::to_string(p.entry.index) + " (" + p.entry.FlagNames() +
                        ", last mark " + (p.ack ? "ack-" + std::to_string(*p.ack) : "none") + ")";
    // The writes this FLUSH covers are the entries just before it (see log_writes.h).
    std::size_t run = p.entry.index;
    while (run > 0 &&
           (entries[run - 1].flags & (kLogFlush | kLogFua | kLogMark | kLogDiscard)) == 0) {
      --run;
    }
    if ((p.entry.flags & kLogFlush) && run < p.entry.index && r.ApplyUpTo(run)) {
      for (std::uint64_t k = 0; k < o.reorder; ++k) {
        std::vector<std::pair<std::size_t, std::uint64_t>> subset;  // entry, sectors
        std::size_t torn = 0;
        for (std::size_t i = run; i < p.entry.index; ++i) {
          if (rng() % 2) continue;
          std::uint64_t sectors = entries[i].nr_sectors;
          if (sectors > 1 && rng() % 4 == 0) sectors = 1 + rng() % (sectors - 1), ++torn;
          subset.push_back({i, sectors});
        }
        r.Check(where + " reordered: " + std::to_string(subset.size()) + " of its " +
                    std::to_string(p.entry.index - run) + " unflushed writes, " +
                    std::to_string(torn) + " torn",
                p.ack, subset, false);
      }
    }
    if (!r.ApplyUpTo(p.entry.index + 1)) break;
    r.Check(where, p.ack, {}, c == chosen.back());
  }
  std::cout << r.passed() << " passed, " << r.failed() << " failed" << std::endl;
  return r.failed();
}

}  // namespace vtape::powerloss
