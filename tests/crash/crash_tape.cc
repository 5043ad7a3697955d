// The writer and the reader of the crash trials (tests/crash/README.md), talking
// to a tape through the kernel's st driver (/dev/nstN) like backup software does.
//
//   crash_tape write --device /dev/nstN --seed S --trial T --acks LOG [--files N]
//                    [--stop FILE]
//       Spaces to end of data, then appends files of trial T: each file's records
//       (crash_record.h) with write(2), then MTWEOF (st sends WRITE FILEMARKS with
//       IMMED=0: returns once the filemark and everything before it are durable).
//       After each filemark returns it appends "T F RECORDS" to LOG. Stops at the
//       first error (exit 1), after N files (exit 0), or before the next record
//       once FILE exists (exit 3).
//   crash_tape check --device /dev/nstN --seed S --trial T --acks LOG
//                    [--state FILE | --from-bot]
//       Reads the tape from where the last check ended (FILE, see
//       stretch_check.h; none yet: from the beginning) to end of data and checks
//       it against LOG (trial T's acknowledgements); writes the next start to
//       FILE. --from-bot reads everything and checks every trial's
//       acknowledgements. --must-hold 'T F R': that record must be there too
//       (after a clean stop, every record the drive accepted; the writer prints
//       "accepted T F R" for the last one when it ends). Exit 0 when everything
//       holds, 1 when not, 2 usage.
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mtio.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/crash/crash_record.h"
#include "tests/crash/stretch_check.h"
#include "tools/args.h"

namespace vtape::crash {
namespace {

std::string Errno(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

bool TapeOp(int fd, short op, int count, std::string& why) {
  mtop m{};
  m.mt_op = op;
  m.mt_count = count;
  if (ioctl(fd, MTIOCTOP, &m) == 0) return true;
  why = Errno("MTIOCTOP " + std::to_string(op) + " " + std::to_string(count));
  return false;
}

// The drive's logical object number (READ POSITION).
bool Tell(int fd, std::uint64_t& object, std::string& why) {
  mtpos pos{};
  if (ioctl(fd, MTIOCPOS, &pos) != 0) {
    why = Errno("MTIOCPOS");
    return false;
  }
  object = static_cast<std::uint64_t>(pos.mt_blkno);
  return true;
}

struct Options {
  std::string device;
  std::uint64_t seed = 0;
  std::uint32_t trial = 0;
  std::string acks;
  std::uint64_t files = UINT64_MAX;
  std::string state;
  std::string stop;
  std::optional<RecordId> must_hold;
  bool from_bot = false;
};

int Write(const Options& o) {
  const int fd = open(o.device.c_str(), O_RDWR);
  if (fd < 0) {
    std::cerr << Errno("open " + o.device) << "\n";
    return 1;
  }
  const int log = open(o.acks.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (log < 0) {
    std::cerr << Errno("open " + o.acks) << "\n";
    return 1;
  }
  std::string why;
  if (!TapeOp(fd, MTEOM, 1, why)) {
    std::cerr << "trial " << o.trial << ": space to end of data: " << why << "\n";
    return 1;
  }
  std::vector<std::uint8_t> record;
  std::uint64_t bytes = 0;
  std::optional<RecordId> accepted;  // the last record the drive took (write returned)
  struct Report {  // on every way out: what the drive accepted last (for --must-hold)
    const std::optional<RecordId>& last;
    ~Report() {
      if (last)
        std::cout << "accepted " << last->trial << " " << last->file << " " << last->record << "\n";
    }
  } report{accepted};
  for (std::uint32_t file = 0; file < o.files; ++file) {
    const std::uint32_t n = RecordsInFile(o.seed, o.trial, file);
    for (std::uint32_t r = 0; r < n; ++r) {
      if (!o.stop.empty() && access(o.stop.c_str(), F_OK) == 0) {
        std::cout << "trial " << o.trial << ": stopped before file " << file << " record " << r
                  << ", " << bytes << " bytes written\n";
        TapeOp(fd, MTFSR, 0, why);  // a torn file stays torn (see below)
        return 3;
      }
      const RecordId id{o.trial, file, r};
      MakeRecord(o.seed, id, record);
      const ssize_t done = write(fd, record.data(), record.size());
      if (done != static_cast<ssize_t>(record.size())) {
        std::cerr << "trial " << o.trial << ": writing " << ToString(id) << " (" << record.size()
                  << " bytes): " << (done < 0 ? Errno("write") : "wrote " + std::to_string(done))
                  << "\n";
        // Keep st from writing a filemark of its own when the device closes: after
        // a restart the drive is back at BOT and st (before Linux 6.13) does not
        // know. Any positioning ioctl ends st's "was writing" state; spacing 0
        // records moves nothing.
        TapeOp(fd, MTFSR, 0, why);
        return 1;
      }
      bytes += record.size();
      accepted = id;
    }
    if (!TapeOp(fd, MTWEOF, 1, why)) {
      std::cerr << "trial " << o.trial << ": filemark after file " << file << ": " << why << "\n";
      TapeOp(fd, MTFSR, 0, why);
      return 1;
    }
    const std::string line =
        std::to_string(o.trial) + " " + std::to_string(file) + " " + std::to_string(n) + "\n";
    if (write(log, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      std::cerr << Errno("appending to " + o.acks) << "\n";
      return 1;
    }
  }
  std::cout << "trial " << o.trial << ": " << o.files << " files, " << bytes << " bytes written\n";
  return 0;
}

bool ReadAcks(const std::string& path, std::vector<Ack>& acks, std::string& why) {
  std::ifstream in(path);
  if (!in) return true;  // nothing acknowledged yet
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    Ack a;
    if (!(fields >> a.trial >> a.file >> a.records)) {
      why = path + ": malformed line '" + line + "'";
      return false;
    }
    acks.push_back(a);
  }
  return true;
}

int Check(const Options& o) {
  std::vector<Ack> acks;
  std::string why;
  if (!ReadAcks(o.acks, acks, why)) {
    std::cerr << why << "\n";
    return 2;
  }
  StretchStart start;
  if (!o.from_bot && !o.state.empty()) {
    std::ifstream in(o.state);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      if (!ParseStart(text.str(), start, why)) {
        std::cerr << o.state << ": " << why << "\n";
        return 2;
      }
    }
  }
  const int fd = open(o.device.c_str(), O_RDONLY);
  if (fd < 0) {
    std::cerr << Errno("open " + o.device) << "\n";
    return 1;
  }
  // Where end of data is, first: st reports a read that meets end of data right
  // after records (a torn file) as EIO, as it does a medium error; the position
  // tells the two apart.
  std::uint64_t eod = 0;
  if (!TapeOp(fd, MTEOM, 1, why) || !Tell(fd, eod, why)) {
    std::cerr << "finding end of data: " << why << "\n";
    return 1;
  }
  const bool positioned = start.object == 0
                              ? TapeOp(fd, MTREW, 1, why)
                              : TapeOp(fd, MTSEEK, static_cast<int>(start.object), why);
  if (!positioned) {
    std::cerr << "positioning at object " << start.object << ": " << why << "\n";
    return 1;
  }
  StretchChecker checker(o.seed, o.trial, acks, o.from_bot ? 0 : o.trial, start);
  if (o.must_hold) checker.RequireRecord(*o.must_hold);
  // Records are at most kMaxRecordBytes: a larger one would fail the read (and the check).
  std::vector<std::uint8_t> buffer(kMaxRecordBytes);
  std::uint64_t at = start.object;
  for (;;) {
    const ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      checker.Record({buffer.data(), static_cast<std::size_t>(n)});
      at++;
      continue;
    }
    if (n < 0) {
      if (errno == EIO && at == eod) break;  // end of data after a torn file
      checker.ReadError(Errno("read") + " (end of data is at object " + std::to_string(eod) + ")");
      break;
    }
    // 0 bytes: a filemark, or end of data (st then reports EOD in its status).
    mtget status{};
    if (ioctl(fd, MTIOCGET, &status) != 0) {
      checker.ReadError(Errno("MTIOCGET"));
      break;
    }
    if (GMT_EOD(status.mt_gstat)) {
      if (at != eod) {
        checker.ReadError("st reports end of data at object " + std::to_string(at) +
                          ", the drive at " + std::to_string(eod));
      }
      break;
    }
    checker.Filemark();
    at++;
  }
  checker.EndOfData();
  close(fd);
  if (!o.state.empty() && !o.from_bot) {
    std::ofstream out(o.state, std::ios::trunc);
    out << FormatStart(checker.Next());
  }
  std::cout << "trial " << o.trial << ": " << checker.Summary() << "\n";
  for (const std::string& e : checker.errors()) std::cout << "  " << e << "\n";
  return checker.ok() ? 0 : 1;
}

// The options the parser accepts are read from this synopsis (tools/options.h).
constexpr std::string_view kSynopsis =
    "write|check --device DEV --seed S --trial T --acks LOG [--files N] [--stop FILE] "
    "[--state FILE | --from-bot] [--must-hold 'T F R']";

int Main(int argc, char** argv) {
  std::vector<std::string> argv_s(argv + 1, argv + argc);
  tool::Args args;
  Status s = tool::ParseArgs(kSynopsis, "", argv_s, args);
  if (!s.ok() || args.positional.size() != 1 || !args.value("--device") || !args.value("--seed") ||
      !args.value("--trial") || !args.value("--acks")) {
    std::cerr << (s.ok() ? "" : s.message() + "\n") << "usage: crash_tape " << kSynopsis << "\n";
    return 2;
  }
  Options o;
  o.device = *args.value("--device");
  o.acks = *args.value("--acks");
  try {
    o.seed = std::stoull(*args.value("--seed"));
    o.trial = static_cast<std::uint32_t>(std::stoul(*args.value("--trial")));
    if (args.value("--files")) o.files = std::stoull(*args.value("--files"));
    if (args.value("--must-hold")) {  // "T F R"
      std::istringstream id(*args.value("--must-hold"));
      RecordId r;
      if (!(id >> r.trial >> r.file >> r.record)) throw std::invalid_argument("--must-hold");
      o.must_hold = r;
    }
  } catch (const std::exception&) {
    std::cerr << "--seed, --trial, --files and --must-hold take numbers\n";
    return 2;
  }
  if (o.trial == 0) {
    std::cerr << "--trial counts from 1\n";
    return 2;
  }
  o.state = args.value("--state").value_or("");
  o.stop = args.value("--stop").value_or("");
  o.from_bot = args.has("--from-bot");
  if (args.positional[0] == "write") return Write(o);
  if (args.positional[0] == "check") return Check(o);
  std::cerr << "unknown command " << args.positional[0] << "\n";
  return 2;
}

}  // namespace
}  // namespace vtape::crash

int main(int argc, char** argv) {
  return vtape::crash::Main(argc, argv);
}
