// dm_log_replay: lists and replays a dm-log-writes log (log_writes.h), the
// part of xfstests' replay-log the power-loss trials need.
//
//   dm_log_replay list LOG
//     One line per entry: INDEX OFFSET FLAGS SECTOR NR_SECTORS [MARK]
//     (OFFSET: the entry's byte offset in LOG, for `replay`).
//   dm_log_replay replay LOG TARGET FROM OFFSET TO
//     Applies entries FROM..TO (inclusive; entry FROM's header at byte OFFSET,
//     as `list` printed it) to TARGET, a file or block device that holds the
//     state before entry FROM.
// Exit status: 0 ok, 1 a damaged log or failed write, 2 usage.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "tests/powerloss/log_writes.h"

namespace {

using vtape::powerloss::LogEntry;
using vtape::powerloss::LogReader;

int Usage() {
  std::cerr << "usage: dm_log_replay list LOG\n"
               "       dm_log_replay replay LOG TARGET FROM OFFSET TO\n";
  return 2;
}

bool ParseNumber(const char* s, std::uint64_t& v) {
  char* end = nullptr;
  errno = 0;
  v = std::strtoull(s, &end, 10);
  return *s != '\0' && *end == '\0' && errno == 0;
}

int List(LogReader& log) {
  LogEntry e;
  std::string error;
  while (log.Next(e, error)) {
    std::cout << e.index << ' ' << e.offset << ' ' << e.FlagNames() << ' ' << e.sector << ' '
              << e.nr_sectors;
    if (!e.mark.empty()) std::cout << ' ' << e.mark;
    std::cout << '\n';
  }
  if (!error.empty()) {
    std::cerr << "dm_log_replay: " << error << "\n";
    return 1;
  }
  return 0;
}

int Replay(LogReader& log, const char* target, std::uint64_t from, std::uint64_t offset,
           std::uint64_t to) {
  int fd = ::open(target, O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    std::cerr << "dm_log_replay: " << target << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  log.Seek(from, offset);
  LogEntry e;
  std::string error;
  int rc = 0;
  for (std::uint64_t i = from; i <= to; ++i) {
    if (!log.Next(e, error)) {
      std::cerr << "dm_log_replay: " << (error.empty() ? "no entry " + std::to_string(i) : error)
                << "\n";
      rc = 1;
      break;
    }
    if (!log.Apply(e, fd, error)) {
      std::cerr << "dm_log_replay: " << error << "\n";
      rc = 1;
      break;
    }
  }
  if (::close(fd) != 0 && rc == 0) {
    std::cerr << "dm_log_replay: closing " << target << ": " << std::strerror(errno) << "\n";
    rc = 1;
  }
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return Usage();
  std::string command = argv[1];
  LogReader log;
  std::string error;
  if (!log.Open(argv[2], error)) {
    std::cerr << "dm_log_replay: " << error << "\n";
    return 1;
  }
  if (command == "list" && argc == 3) return List(log);
  std::uint64_t from = 0, offset = 0, to = 0;
  if (command == "replay" && argc == 7 && ParseNumber(argv[4], from) &&
      ParseNumber(argv[5], offset) && ParseNumber(argv[6], to)) {
    return Replay(log, argv[3], from, offset, to);
  }
  return Usage();
}
