// vtape verify: reads every record so every checksum is checked.
#include <unistd.h>

#include <iostream>
#include <vector>

#include "tools/command.h"
#include "tools/progress.h"

namespace vtape::tool {
namespace {

struct BadRecord {
  Position where;
  std::string message;
};

struct Tally {
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  std::uint64_t filemarks = 0;
  std::vector<BadRecord> bad;
};

// Reads partition `partition` to EOD. Medium errors are collected (the
// backend moves past a bad record); anything else stops the verify.
Status VerifyPartition(Tape& tape, std::uint32_t partition, std::uint64_t bytes_done_before,
                       std::vector<std::uint8_t>& buffer, Progress& progress, Tally& tally) {
  SpaceResult r;
  VTAPE_RETURN_IF_ERROR(tape.Locate(partition, 0, r));
  for (;;) {
    Position before = tape.GetPosition();
    ReadResult result;
    Status s = tape.Read(buffer, result);
    if (s.code() == Code::kMediumError) {
      tally.bad.push_back({before, s.message()});
      if (tape.GetPosition().object == before.object) {
        return Status::MediumError("the backend cannot move past the unreadable record at object " +
                                   std::to_string(before.object));
      }
    } else if (!s.ok()) {
      return s;
    } else if (result.kind == ObjectKind::kEndOfData) {
      return Status::Ok();
    } else if (result.kind == ObjectKind::kFilemark) {
      ++tally.filemarks;
    } else {
      ++tally.records;
      tally.bytes += result.length;
    }
    progress.Update(bytes_done_before + tape.GetPosition().bytes_before);
  }
}

std::string Where(const MediumInfo& info, const BadRecord& b) {
  return (info.partitions > 1 ? "partition " + std::to_string(b.where.partition) + " " : "") +
         "file " + std::to_string(b.where.file) + " record " +
         std::to_string(b.where.record_in_file) + " (object " + std::to_string(b.where.object) +
         ")";
}

void PrintJsonResult(const OpenedMedium& m, const Tally& tally, const Status& stopped,
                     const Statistics& stats, const Health& health) {
  nlohmann::ordered_json answer = JsonHead(kVerifySchema, "verify", true);
  answer["name"] = m.name;
  answer["records"] = tally.records;
  answer["bytes"] = tally.bytes;
  answer["filemarks"] = tally.filemarks;
  nlohmann::ordered_json bad = nlohmann::ordered_json::array();
  for (const BadRecord& b : tally.bad) {
    bad.push_back({{"partition", b.where.partition},
                   {"file", b.where.file},
                   {"record", b.where.record_in_file},
                   {"object", b.where.object},
                   {"message", b.message}});
  }
  answer["unreadable"] = bad;
  answer["stopped_early"] =
      stopped.ok() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(stopped.message());
  answer["corrected"] = stats.read_errors_corrected;
  answer["health"] = JsonHealth(health);
  answer["result"] = tally.bad.empty() ? "clean" : "unreadable-records";
  PrintJson(answer);
}

int Run(std::span<const std::string> argv) {
  const Command& self = VerifyCommand();
  OpenedMedium m;
  if (int rc = OpenAndStat(self, kVerifySchema, argv, m); rc != kExitOk) return rc;
  Tape& tape = *m.tape;
  const MediumInfo& info = m.info;
  Status s;

  std::vector<std::uint8_t> buffer(kMaxRecordBytes);
  Progress progress("verify", info.used_bytes, isatty(STDERR_FILENO) == 1);
  Tally tally;
  std::uint64_t bytes_done = 0;
  for (std::uint32_t p = 0; p < info.partitions; ++p) {
    s = VerifyPartition(tape, p, bytes_done, buffer, progress, tally);
    if (s.code() == Code::kMediumError) break;  // reported with the bad records below
    if (!s.ok()) return Failure(m.json, kVerifySchema, self, "read " + m.name, s);
    bytes_done += tape.GetPosition().bytes_before;
  }
  progress.Finish();

  Statistics stats = tape.statistics();
  Health health = tape.health();
  int rc = tally.bad.empty() ? kExitOk : kExitDataProblem;
  if (m.json) {
    PrintJsonResult(m, tally, s, stats, health);
    return rc;
  }
  std::cout << "verified " << m.name << ": " << tally.records << " records, " << tally.bytes
            << " bytes (" << HumanBytes(tally.bytes) << "), " << tally.filemarks << " filemarks\n";
  for (const BadRecord& b : tally.bad) {
    std::cout << "medium error: " << Where(info, b) << ": " << b.message << "\n";
  }
  if (!s.ok()) std::cout << "stopped early: " << s.message() << "\n";
  if (stats.read_errors_corrected > 0) {
    std::cout << "corrected: " << stats.read_errors_corrected
              << " read errors repaired from redundancy\n";
  }
  if (health.degraded) std::cout << "health: degraded: " << health.detail << "\n";
  if (tally.bad.empty()) {
    std::cout << "result: clean\n";
  } else {
    std::cout << "result: " << tally.bad.size() << " unreadable record"
              << (tally.bad.size() == 1 ? "" : "s") << "\n";
  }
  return rc;
}

}  // namespace

const Command& VerifyCommand() {
  static const Command command{
      "verify", "NAME [--json]",
      "Reads every record so every checksum is checked; names bad records.",
      "Shows a progress bar on stderr when it is a terminal, plain progress lines otherwise.\n"
      "Exit 0 when every record reads back, 1 when any record is unreadable (each is named\n"
      "by file and record number), 3 when the medium cannot be opened or read at all.\n"
      "  --json               print one JSON object (schema vtape-verify, version 1): name,\n"
      "                       records, bytes, filemarks (those read back), unreadable\n"
      "                       [{partition, file, record, object, message}],\n"
      "                       stopped_early (why the read ended before EOD, else null),\n"
      "                       corrected (read errors repaired from redundancy), health\n"
      "                       {degraded, failed_members, detail}, result (\"clean\" or\n"
      "                       \"unreadable-records\": ok stays true, the verify ran; the\n"
      "                       exit code is 1). See vtape(1), JSON OUTPUT.\n",
      Run};
  return command;
}

}  // namespace vtape::tool
