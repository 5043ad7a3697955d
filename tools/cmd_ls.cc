// vtape ls: one line per file, computed from the filemark index (spacing and
// Position::bytes_before), never by reading data: fast on any size of tape.
#include <iostream>

#include "tools/command.h"

namespace vtape::tool {
namespace {

struct FileEntry {
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;
};

// Lists the files of `partition`; returns the totals through `total`.
Status ListPartition(Tape& tape, std::uint32_t partition, bool show_partition, FileEntry& total,
                     std::uint64_t& files) {
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
    FileEntry entry{end.object - start.object, end.bytes_before - start.bytes_before};
    // The stretch after the last filemark is a file only if it holds records.
    if (!at_filemark && entry.records == 0) return Status::Ok();
    if (show_partition) std::cout << partition << "\t";
    std::cout << file << "\t" << entry.records << "\t" << entry.bytes << "\t"
              << (at_filemark ? "filemark" : "EOD") << "\n";
    total.records += entry.records;
    total.bytes += entry.bytes;
    ++files;
    if (!at_filemark) return Status::Ok();
    VTAPE_RETURN_IF_ERROR(tape.LocateFile(partition, file + 1, r));
  }
}

int Run(std::span<const std::string> argv) {
  std::string name;
  std::unique_ptr<Tape> tape;
  MediumInfo info;
  if (int rc = OpenAndStat(LsCommand(), argv, name, tape, info); rc != kExitOk) return rc;
  Status s;
  bool show_partition = info.partitions > 1;
  std::cout << (show_partition ? "PART\t" : "") << "FILE\tRECORDS\tBYTES\tENDS AT\n";
  FileEntry total;
  std::uint64_t files = 0;
  for (std::uint32_t p = 0; p < info.partitions; ++p) {
    s = ListPartition(*tape, p, show_partition, total, files);
    if (!s.ok()) return OperationError("list " + name, s);
  }
  std::cout << "total: " << files << " files, " << total.records << " records, " << total.bytes
            << " bytes (" << HumanBytes(total.bytes) << ")\n";
  s = tape->Close();
  if (!s.ok()) return OperationError("close " + name, s);
  return kExitOk;
}

}  // namespace

const Command& LsCommand() {
  static const Command command{
      "ls", "NAME", "Lists the files on a medium: number, records, bytes, and what ends it.",
      "Computed from the filemark index, without reading data (vtape verify reads it all).\n"
      "A file ends at a filemark, or at end of data for records after the last filemark.\n",
      Run};
  return command;
}

}  // namespace vtape::tool
