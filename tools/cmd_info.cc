// vtape info: the label, shape and fill of a medium.
#include <cstdio>
#include <iostream>

#include "tools/command.h"
#include "vtape/media.h"

namespace vtape::tool {
namespace {

std::string WithHuman(std::uint64_t bytes) {
  return std::to_string(bytes) + " bytes (" + HumanBytes(bytes) + ")";
}

int Run(std::span<const std::string> argv) {
  std::string name;
  std::unique_ptr<Tape> tape;
  MediumInfo info;
  if (int rc = OpenAndStat(InfoCommand(), argv, name, tape, info); rc != kExitOk) return rc;
  Health health = tape->health();

  std::uint64_t remaining =
      info.capacity_bytes > info.used_bytes ? info.capacity_bytes - info.used_bytes : 0;
  char percent[16];
  std::snprintf(percent, sizeof percent, "%.1f%%",
                info.capacity_bytes ? 100.0 * static_cast<double>(info.used_bytes) /
                                          static_cast<double>(info.capacity_bytes)
                                    : 0.0);
  std::cout << "name:           " << name << "\n"
            << "barcode:        " << info.barcode << "\n"
            << "media:          " << info.media_type
            << (IsWormMedia(info.media_type) ? " (WORM: write once, data only appended)" : "")
            << "\n"
            << "format version: " << info.format_version << "\n"
            << "capacity:       " << WithHuman(info.capacity_bytes) << "\n"
            << "early warning:  " << WithHuman(info.early_warning_bytes) << " before the end\n"
            << "used:           " << WithHuman(info.used_bytes) << ", " << percent << "\n"
            << "remaining:      " << WithHuman(remaining) << "\n"
            << "records:        " << info.records << "\n"
            << "filemarks:      " << info.filemarks << "\n"
            << "partitions:     " << info.partitions << "\n";
  if (info.partitions > 1 && tape->partitions() != nullptr) {
    for (std::uint32_t p = 0; p < info.partitions; ++p) {
      PartitionInfo part;
      Status s = tape->partitions()->GetPartitionInfo(p, part);
      if (!s.ok()) return OperationError("partition " + std::to_string(p) + " of " + name, s);
      std::cout << "  partition " << p << ":    capacity " << WithHuman(part.capacity_bytes)
                << ", used " << WithHuman(part.used_bytes) << ", " << part.records << " records, "
                << part.filemarks << " filemarks, early warning " << part.early_warning_bytes
                << " bytes before its end\n";
    }
  }
  std::cout << "write protect:  " << (info.write_protected ? "on" : "off") << "\n"
            << "health:         " << (health.degraded ? "degraded: " + health.detail : "ok")
            << "\n";
  Status s = tape->Close();
  if (!s.ok()) return OperationError("close " + name, s);
  return kExitOk;
}

}  // namespace

const Command& InfoCommand() {
  static const Command command{
      "info", "NAME",
      "Shows a medium's label, capacity, use, record and filemark counts (and each "
      "partition's), write protect and health.",
      "", Run};
  return command;
}

}  // namespace vtape::tool
