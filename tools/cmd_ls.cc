// vtape ls: one line per file, computed from the filemark index (spacing and
// Position::bytes_before), never by reading data: fast on any size of tape.
#include <iostream>
#include <vector>

#include "tools/command.h"

namespace vtape::tool {
namespace {

using nlohmann::ordered_json;

struct FileEntry {
  std::uint32_t partition = 0;
  std::uint64_t file = 0;
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
  bool at_filemark = false;  // else it ends at EOD
};

// Appends the files of `partition` to `files`.
Status ListPartition(Tape& tape, std::uint32_t partition, std::vector<FileEntry>& files) {
  SpaceResult r;
  VTAPE_RETURN_IF_ERROR(tape.LocateFile(partition, 0, r));
  for (std::uint64_t file = 0;; ++file) {
    Position start = tape.GetPosition();
    VTAPE_RETURN_IF_ERROR(tape.SpaceFilemarks(1, r));
    Position end = tape.GetPosition();
    bool at_filemark = r.stop == Stop::kNone;
    if (at_filemark) {
      // Measure up to the filemark itself, then step back over it.
      VTAPE_RETURN_IF_ERROR(tape.Locate(partition, end.object - 1, r));
      end = tape.GetPosition();
    }
    FileEntry entry{partition, file, end.object - start.object,
                    end.bytes_before - start.bytes_before, at_filemark};
    // The stretch after the last filemark is a file only if it holds records.
    if (!at_filemark && entry.records == 0) return Status::Ok();
    files.push_back(entry);
    if (!at_filemark) return Status::Ok();
    VTAPE_RETURN_IF_ERROR(tape.LocateFile(partition, file + 1, r));
  }
}

const char* EndsAt(const FileEntry& f) {
  return f.at_filemark ? "filemark" : "EOD";
}

int Run(std::span<const std::string> argv) {
  const Command& self = LsCommand();
  OpenedMedium m;
  if (int rc = OpenAndStat(self, kLsSchema, argv, m); rc != kExitOk) return rc;
  std::vector<FileEntry> files;
  for (std::uint32_t p = 0; p < m.info.partitions; ++p) {
    if (Status s = ListPartition(*m.tape, p, files); !s.ok()) {
      return Failure(m.json, kLsSchema, self, "list " + m.name, s);
    }
  }
  if (Status s = m.tape->Close(); !s.ok()) {
    return Failure(m.json, kLsSchema, self, "close " + m.name, s);
  }
  std::uint64_t records = 0, bytes = 0;
  for (const FileEntry& f : files) {
    records += f.records;
    bytes += f.bytes;
  }
  if (m.json) {
    ordered_json answer = JsonHead(kLsSchema, self.name, true);
    answer["name"] = m.name;
    answer["partitions"] = m.info.partitions;
    ordered_json list = ordered_json::array();
    for (const FileEntry& f : files) {
      list.push_back({{"partition", f.partition},
                      {"file", f.file},
                      {"records", f.records},
                      {"bytes", f.bytes},
                      {"ends_at", EndsAt(f)}});
    }
    answer["files"] = list;
    answer["total"] = {{"files", files.size()}, {"records", records}, {"bytes", bytes}};
    PrintJson(answer);
    return kExitOk;
  }
  bool show_partition = m.info.partitions > 1;
  std::cout << (show_partition ? "PART\t" : "") << "FILE\tRECORDS\tBYTES\tENDS AT\n";
  for (const FileEntry& f : files) {
    if (show_partition) std::cout << f.partition << "\t";
    std::cout << f.file << "\t" << f.records << "\t" << f.bytes << "\t" << EndsAt(f) << "\n";
  }
  std::cout << "total: " << files.size() << " files, " << records << " records, " << bytes
            << " bytes (" << HumanBytes(bytes) << ")\n";
  return kExitOk;
}

}  // namespace

const Command& LsCommand() {
  static const Command command{
      "ls", "NAME [--json]",
      "Lists the files on a medium: number, records, bytes, and what ends it.",
      "Computed from the filemark index, without reading data (vtape verify reads it all).\n"
      "A file ends at a filemark, or at end of data for records after the last filemark.\n"
      "  --json               print one JSON object (schema vtape-ls, version 1): name,\n"
      "                       partitions (their number), files [{partition, file,\n"
      "                       records, bytes, ends_at (\"filemark\" or \"EOD\")}], total\n"
      "                       {files, records, bytes}. See vtape(1), JSON OUTPUT.\n",
      Run};
  return command;
}

}  // namespace vtape::tool
