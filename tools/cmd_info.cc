// vtape info: the label, shape and fill of a medium.
#include <cstdio>
#include <iostream>
#include <optional>
#include <vector>

#include "rait/spec.h"
#include "tools/command.h"
#include "tools/compression_ratio.h"
#include "vtape/media.h"

namespace vtape::tool {
namespace {

using nlohmann::ordered_json;

std::string WithHuman(std::uint64_t bytes) {
  return std::to_string(bytes) + " bytes (" + HumanBytes(bytes) + ")";
}

// Every partition's figures; a medium of one partition whose backend has no
// partition interface is that one partition, the whole medium.
Status Partitions(Tape& tape, const MediumInfo& info, std::vector<PartitionInfo>& parts) {
  parts.clear();
  if (tape.partitions() == nullptr) {
    PartitionInfo whole;
    whole.capacity_bytes = info.capacity_bytes;
    whole.early_warning_bytes = info.early_warning_bytes;
    whole.used_bytes = info.used_bytes;
    whole.records = info.records;
    whole.filemarks = info.filemarks;
    parts.push_back(whole);
    return Status::Ok();
  }
  for (std::uint32_t p = 0; p < info.partitions; ++p) {
    PartitionInfo part;
    Status s = tape.partitions()->GetPartitionInfo(p, part);
    if (!s.ok()) return Status(s.code(), "partition " + std::to_string(p) + ": " + s.message());
    parts.push_back(part);
  }
  return Status::Ok();
}

// A rait: set's members in the order its name lists them, each marked failed
// or not; null for any other medium.
ordered_json JsonRait(const std::string& name, const Health& health) {
  constexpr std::string_view kRait = "rait:";
  rait::RaitSpec spec;
  if (!name.starts_with(kRait) || !rait::ParseRaitName(name.substr(kRait.size()), spec).ok()) {
    return nullptr;
  }
  ordered_json members = ordered_json::array();
  for (std::size_t i = 0; i < spec.members.size(); ++i) {
    bool failed = false;
    for (std::uint32_t f : health.failed_members) failed = failed || f == i;
    members.push_back({{"index", i}, {"name", spec.members[i]}, {"failed", failed}});
  }
  return {{"members", members},
          {"degraded_writes", spec.degraded_writes ? "allow" : "refuse"},
          {"parallel", std::string(rait::ParallelWritesName(spec.parallel))}};
}

// "3.21:1"
std::string RatioText(double ratio) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f:1", ratio);
  return text;
}

ordered_json JsonCompression(const std::optional<CompressionTally>& tally) {
  if (!tally) return nullptr;
  return {{"records", tally->records},
          {"compressed_records", tally->compressed_records},
          {"encrypted_records", tally->encrypted_records},
          {"host_bytes", tally->host_bytes},
          {"stored_bytes", tally->stored_bytes},
          {"ratio", tally->ratio()}};
}

void PrintJsonInfo(const OpenedMedium& m, const std::vector<PartitionInfo>& parts,
                   const Health& health, std::uint64_t remaining,
                   const std::optional<CompressionTally>& tally) {
  const MediumInfo& info = m.info;
  ordered_json answer = JsonHead(kInfoSchema, "info", true);
  answer["name"] = m.name;
  answer["barcode"] = info.barcode;
  answer["media_type"] = info.media_type;
  answer["format_version"] = info.format_version;
  answer["capacity_bytes"] = info.capacity_bytes;
  answer["early_warning_bytes"] = info.early_warning_bytes;
  answer["used_bytes"] = info.used_bytes;
  answer["remaining_bytes"] = remaining;
  answer["records"] = info.records;
  answer["filemarks"] = info.filemarks;
  ordered_json partitions = ordered_json::array();
  for (std::size_t p = 0; p < parts.size(); ++p) {
    partitions.push_back({{"partition", p},
                          {"capacity_bytes", parts[p].capacity_bytes},
                          {"early_warning_bytes", parts[p].early_warning_bytes},
                          {"used_bytes", parts[p].used_bytes},
                          {"records", parts[p].records},
                          {"filemarks", parts[p].filemarks}});
  }
  answer["partitions"] = partitions;
  answer["write_protected"] = info.write_protected;
  answer["health"] = JsonHealth(health);
  answer["rait"] = JsonRait(m.name, health);
  answer["compression"] = JsonCompression(tally);
  PrintJson(answer);
}

void PrintTextInfo(const OpenedMedium& m, const std::vector<PartitionInfo>& parts,
                   const Health& health, std::uint64_t remaining,
                   const std::optional<CompressionTally>& tally) {
  const MediumInfo& info = m.info;
  char percent[16];
  std::snprintf(percent, sizeof percent, "%.1f%%",
                info.capacity_bytes ? 100.0 * static_cast<double>(info.used_bytes) /
                                          static_cast<double>(info.capacity_bytes)
                                    : 0.0);
  std::cout << "name:           " << m.name << "\n"
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
  for (std::size_t p = 0; parts.size() > 1 && p < parts.size(); ++p) {
    const PartitionInfo& part = parts[p];
    std::cout << "  partition " << p << ":    capacity " << WithHuman(part.capacity_bytes)
              << ", used " << WithHuman(part.used_bytes) << ", " << part.records << " records, "
              << part.filemarks << " filemarks, early warning " << part.early_warning_bytes
              << " bytes before its end\n";
  }
  std::cout << "write protect:  " << (info.write_protected ? "on" : "off") << "\n"
            << "health:         " << (health.degraded ? "degraded: " + health.detail : "ok")
            << "\n";
  if (!tally) return;
  std::cout << "compression:    " << RatioText(tally->ratio()) << ", "
            << HumanBytes(tally->host_bytes) << " written by hosts in "
            << HumanBytes(tally->stored_bytes) << " stored; " << tally->compressed_records << " of "
            << tally->records << " records compressed";
  if (tally->encrypted_records) {
    std::cout << ", " << tally->encrypted_records << " encrypted (not in the ratio)";
  }
  std::cout << "\n";
}

int Run(std::span<const std::string> argv) {
  const Command& self = InfoCommand();
  OpenedMedium m;
  if (int rc = OpenAndStat(self, kInfoSchema, argv, m); rc != kExitOk) return rc;
  Health health = m.tape->health();
  std::vector<PartitionInfo> parts;
  if (Status s = Partitions(*m.tape, m.info, parts); !s.ok()) {
    return Failure(m.json, kInfoSchema, self, "info " + m.name, s);
  }
  const MediumInfo& info = m.info;
  std::uint64_t remaining =
      info.capacity_bytes > info.used_bytes ? info.capacity_bytes - info.used_bytes : 0;
  std::optional<CompressionTally> tally;
  if (m.args.has("--ratio")) {
    tally.emplace();
    if (Status s = TallyCompression(*m.tape, info.partitions, *tally); !s.ok()) {
      return Failure(m.json, kInfoSchema, self, "read " + m.name, s);
    }
  }
  if (Status s = m.tape->Close(); !s.ok()) {
    return Failure(m.json, kInfoSchema, self, "close " + m.name, s);
  }
  if (m.json) {
    PrintJsonInfo(m, parts, health, remaining, tally);
  } else {
    PrintTextInfo(m, parts, health, remaining, tally);
  }
  return kExitOk;
}

}  // namespace

const Command& InfoCommand() {
  static const Command command{
      "info", "NAME [--ratio] [--json]",
      "Shows a medium's label, capacity, use, record and filemark counts (and each "
      "partition's), write protect and health; with --ratio, its compression ratio.",
      "  --ratio              also read every record and show the compression ratio:\n"
      "                       the bytes hosts wrote against the bytes stored, and how\n"
      "                       many records a drive compressed (encrypted records hide\n"
      "                       their length and are left out). Reads the whole medium.\n"
      "  --json               print one JSON object (schema vtape-info, version 1):\n"
      "                       name, barcode, media_type, format_version,\n"
      "                       capacity_bytes, early_warning_bytes, used_bytes,\n"
      "                       remaining_bytes, records, filemarks, partitions (one\n"
      "                       {partition, capacity_bytes, early_warning_bytes,\n"
      "                       used_bytes, records, filemarks} each), write_protected,\n"
      "                       health {degraded, failed_members, detail}, and rait\n"
      "                       {members [{index, name, failed}], degraded_writes,\n"
      "                       parallel} for a rait: set (else null). See vtape(1),\n"
      "                       JSON OUTPUT.\n",
      Run};
  return command;
}

}  // namespace vtape::tool
