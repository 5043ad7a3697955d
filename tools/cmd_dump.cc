// vtape dump: the records of one file, raw, to stdout.
#include <charconv>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "tools/command.h"
#include "vtape/record_codec.h"
#include "vtape/record_tag.h"

namespace vtape::tool {
namespace {

int Run(std::span<const std::string> command_line) {
  const Command& self = DumpCommand();
  Args args;
  if (int rc = kExitOk; !ParseCommandLine(self, command_line, args, rc)) return rc;
  const std::vector<std::string>& argv = args.positional;
  if (argv.size() != 2) return UsageError(self, "expected NAME and FILE_NUMBER");
  const std::string& number = argv[1];
  std::uint64_t file = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), file);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size()) {
    return UsageError(self, "FILE_NUMBER '" + number + "' is not a whole number");
  }
  std::string name = ResolveName(argv[0]);
  std::unique_ptr<Tape> tape;
  Status s = OpenMedium(name, false, tape);
  if (!s.ok()) return OperationError("open " + name, s);
  SpaceResult r;
  s = tape->LocateFile(0, file, r);
  if (!s.ok()) return OperationError("locate file " + number + " of " + name, s);
  // At EOD there is no such file: either too few filemarks, or the empty
  // stretch after the last one (which `vtape ls` does not list either).
  if (tape->GetPosition().at_eod) {
    s = tape->SpaceToEndOfData();
    if (!s.ok()) return OperationError("space to end of data of " + name, s);
    Position eod = tape->GetPosition();
    std::uint64_t files = eod.file + (eod.record_in_file > 0 ? 1 : 0);
    std::string have = files == 0 ? "the medium holds no files"
                                  : "files 0 to " + std::to_string(files - 1) + " do";
    return OperationError("dump " + name,
                          Status::NotFound("file " + number + " does not exist (" + have + ")"));
  }

  std::vector<std::uint8_t> buffer(kMaxRecordBytes), decoded;
  std::uint64_t bad = 0;
  // A record not dumped: counted, and named on stderr with why.
  auto leave_out = [&](const Position& at, const std::string& why, const std::string& detail) {
    ++bad;
    std::cerr << "vtape dump: file " << file << " record " << at.record_in_file << " " << why
              << " and was left out" << (detail.empty() ? "" : ": " + detail) << "\n";
  };
  for (;;) {
    Position before = tape->GetPosition();
    ReadResult result;
    s = tape->Read(buffer, result);
    if (s.code() == Code::kMediumError) {
      leave_out(before, "(object " + std::to_string(before.object) + ") is unreadable",
                s.message());
      if (tape->GetPosition().object == before.object) break;
      continue;
    }
    if (!s.ok()) return OperationError("read " + name, s);
    if (result.kind != ObjectKind::kRecord) break;
    std::size_t n = std::min<std::uint64_t>(result.length, buffer.size());
    if (result.length > buffer.size()) {
      std::cerr << "vtape dump: record " << before.record_in_file << " holds " << result.length
                << " bytes; only the first " << n << " are dumped\n";
    }
    // What the host wrote: a compressed record is decoded; an encrypted one
    // cannot be without the drive's key, so it is left out like an unreadable one.
    std::span<const std::uint8_t> host(buffer.data(), n);
    if (result.tag & kTagEncrypted) {
      leave_out(before, "is encrypted (the key lives only in the drive)", "");
      continue;
    }
    if (TagCodec(result.tag) != kTagRaw) {
      s = DecompressRecord(TagCodec(result.tag), host, decoded);
      if (!s.ok()) {
        leave_out(before, "does not decompress", s.message());
        continue;
      }
      host = decoded;
    }
    n = host.size();
    if (std::fwrite(host.data(), 1, n, stdout) != n) {
      return OperationError("write to stdout", Status::FromErrno(errno, "write stdout"));
    }
  }
  if (std::fflush(stdout) != 0) {
    return OperationError("write to stdout", Status::FromErrno(errno, "write stdout"));
  }
  return bad == 0 ? kExitOk : kExitDataProblem;
}

}  // namespace

const Command& DumpCommand() {
  static const Command command{
      "dump", "NAME FILE_NUMBER",
      "Writes the records of file FILE_NUMBER (0 = the first) to stdout, raw.",
      "Compressed records are written as the host wrote them. Unreadable and encrypted\n"
      "records are left out and named on stderr; the exit code is then 1.\n",
      Run};
  return command;
}

}  // namespace vtape::tool
