#include "handler/ssc/log_pages.h"

#include <algorithm>
#include <array>

#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"
#include "handler/ssc/mam.h"
#include "handler/ssc/medium_layout.h"
#include "handler/ssc/volume_change.h"
#include "vtape/media.h"

namespace vtape::ssc {
namespace {

// Every identity's pages, the ones the IBM and HP LTO identities add (their
// data compression page 32h) and the ones only IBM identities add (LTFS reads
// page 37h from IBM drives): all ascending.
constexpr std::array<LogPageId, 9> kPages = {{{kLogSupportedPages, 0},
                                              {kLogWriteErrors, 0},
                                              {kLogReadErrors, 0},
                                              {kLogSequentialAccess, 0},
                                              {kLogVolumeStatistics, 0},
                                              {kLogDataCompression, 0},
                                              {kLogTapeAlert, 0},
                                              {kLogTapeCapacity, 0},
                                              {kLogMediumHealth, 0}}};
constexpr std::array<LogPageId, 1> kLtoVendorPages = {{{kLogVendorDataCompression, 0}}};
constexpr std::array<LogPageId, 2> kIbmOnlyPages = {
    {{kLogIbmPerformance, 0}, {kLogIbmPerformance, kLogIbmPerformanceCapacity}}};

constexpr bool Before(const LogPageId& a, const LogPageId& b) {
  return a.page != b.page ? a.page < b.page : a.subpage < b.subpage;
}

// The ascending merge of two ascending lists.
template <std::size_t N, std::size_t M>
constexpr std::array<LogPageId, N + M> Merged(const std::array<LogPageId, N>& a,
                                              const std::array<LogPageId, M>& b) {
  std::array<LogPageId, N + M> out{};
  std::size_t i = 0, j = 0;
  for (LogPageId& slot : out) slot = j == M || (i < N && Before(a[i], b[j])) ? a[i++] : b[j++];
  return out;
}

constexpr auto kHpPages = Merged(kPages, kLtoVendorPages);
constexpr auto kIbmPages = Merged(kHpPages, kIbmOnlyPages);

constexpr std::uint64_t kMegabyte = 1000 * 1000;  // SSC capacities: 10^6 bytes
constexpr std::uint64_t kMebibyte = 1 << 20;      // tape capacity page: MiB

std::vector<std::uint8_t> Be(std::size_t width, std::uint64_t value) {
  std::vector<std::uint8_t> v(width, 0);
  PutBe(v, 0, width, value);
  return v;
}

// A 4-byte field that saturates instead of wrapping.
std::vector<std::uint8_t> Be32(std::uint64_t value) {
  return Be(4, std::min<std::uint64_t>(value, 0xFFFFFFFF));
}

// Counters are reported only as cumulative values; thresholds and the
// default cumulative values are 0.
bool Cumulative(LogPageControl pc) {
  return pc == LogPageControl::kCumulative;
}

const Tape* LoadedTape(const DriveState& state) {
  return state.tape && state.tape->loaded() ? state.tape.get() : nullptr;
}

// Pages 02h and 03h (SPC-4): the engine corrects nothing itself; corrected
// errors are the records a redundant medium (RAIT) rebuilt.
std::vector<LogParameter> ErrorCounterPage(std::uint64_t corrected, std::uint64_t bytes,
                                           std::uint64_t uncorrected, LogPageControl pc) {
  const bool c = Cumulative(pc);
  return {
      {0x0000, spc::kLogCounter, Be(8, 0)},                    // corrected without delay
      {0x0001, spc::kLogCounter, Be(8, 0)},                    // corrected with possible delay
      {0x0002, spc::kLogCounter, Be(8, 0)},                    // total rewrites or rereads
      {0x0003, spc::kLogCounter, Be(8, c ? corrected : 0)},    // total errors corrected
      {0x0004, spc::kLogCounter, Be(8, c ? corrected : 0)},    // times correction was processed
      {0x0005, spc::kLogCounter, Be(8, c ? bytes : 0)},        // total bytes processed
      {0x0006, spc::kLogCounter, Be(8, c ? uncorrected : 0)},  // total uncorrected errors
  };
}

// Page 0Ch (SSC-4): byte counters, then the medium's capacities in megabytes.
std::vector<LogParameter> SequentialAccessPage(const DriveState& state, LogPageControl pc) {
  const bool c = Cumulative(pc);
  const LogCounters& n = state.counters;
  MediumInfo info;
  Position pos;
  const Tape* tape = LoadedTape(state);
  if (tape == nullptr || !tape->Stat(info).ok()) {
    info = MediumInfo{};
  } else {
    pos = tape->GetPosition();
  }
  const std::uint64_t early_warning = std::min(info.early_warning_bytes, info.capacity_bytes);
  return {
      {0x0000, spc::kLogCounter, Be(8, c ? n.bytes_written_by_initiator : 0)},
      {0x0001, spc::kLogCounter, Be(8, c ? n.bytes_written_to_medium : 0)},
      {0x0002, spc::kLogCounter, Be(8, c ? n.bytes_read_from_medium : 0)},
      {0x0003, spc::kLogCounter, Be(8, c ? n.bytes_read_by_initiator : 0)},
      {0x0004, spc::kLogBinaryList, Be32(info.used_bytes / kMegabyte)},  // BOP to EOD
      {0x0005, spc::kLogBinaryList, Be32((info.capacity_bytes - early_warning) / kMegabyte)},
      {0x0006, spc::kLogBinaryList, Be32(early_warning / kMegabyte)},  // early warning to EOP
      {0x0007, spc::kLogBinaryList, Be32(tape ? pos.bytes_before / kMegabyte : 0)},  // BOP to here
      {0x0100, spc::kLogBinaryList, Be(1, 0)},  // cleaning required: never
  };
}

// The ratio x100 of `host` to `medium` bytes (2 bytes, saturating); 0 before
// any byte reached the medium.
std::vector<std::uint8_t> RatioX100(std::uint64_t host, std::uint64_t medium) {
  if (medium == 0) return Be(2, 0);
  const unsigned __int128 ratio = static_cast<unsigned __int128>(host) * 100 / medium;
  return Be(2, static_cast<std::uint64_t>(std::min<unsigned __int128>(ratio, 0xFFFF)));
}

// Pages 1Bh (SSC-4 data compression) and 32h (the IBM and HP LTO drives'
// data compression page, the same parameters without 0100h): the byte
// counters of page 0Ch as compression ratios and as MiB plus the bytes left
// over (parameters 0002h-0009h in pairs, as those drives report them).
std::vector<LogParameter> DataCompressionPage(const DriveState& state, LogPageControl pc,
                                              bool standard) {
  const bool c = Cumulative(pc);
  const LogCounters& n = state.counters;
  const std::uint64_t to_server = c ? n.bytes_read_by_initiator : 0;
  const std::uint64_t from_medium = c ? n.bytes_read_from_medium : 0;
  const std::uint64_t from_server = c ? n.bytes_written_by_initiator : 0;
  const std::uint64_t to_medium = c ? n.bytes_written_to_medium : 0;
  std::vector<LogParameter> out = {
      {0x0000, spc::kLogBinaryList, RatioX100(to_server, from_medium)},
      {0x0001, spc::kLogBinaryList, RatioX100(from_server, to_medium)},
  };
  std::uint16_t code = 0x0002;
  for (std::uint64_t bytes : {to_server, from_medium, from_server, to_medium}) {
    out.push_back({code++, spc::kLogCounter, Be32(bytes / kMebibyte)});
    out.push_back({code++, spc::kLogCounter, Be32(bytes % kMebibyte)});
  }
  if (standard) {
    out.push_back({0x0100, spc::kLogBinaryList, Be(1, state.mode.compression_enabled ? 1 : 0)});
  }
  return out;
}

// One partition record per partition: length 07h, reserved, partition, value.
std::vector<std::uint8_t> PartitionRecords(const MediumLayout& layout,
                                           std::uint64_t (*value)(const PartitionInfo&)) {
  std::vector<std::uint8_t> v;
  for (std::size_t p = 0; p < layout.partitions.size(); ++p) {
    std::vector<std::uint8_t> record(8, 0);
    record[0] = 0x07;
    PutBe(record, 2, 2, p);
    PutBe(record, 4, 4,
          std::min<std::uint64_t>(value(layout.partitions[p]) / kMegabyte, 0xFFFFFFFF));
    Append(v, record);
  }
  return v;
}

// Page 17h (SSC-4 volume statistics), log_pages.h.
std::vector<LogParameter> VolumeStatisticsPage(const DriveState& state, bool& needs_medium) {
  const Tape* tape = LoadedTape(state);
  MediumInfo info;
  MediumLayout layout;
  if (tape == nullptr || !tape->Stat(info).ok() || !ReadMediumLayout(*tape, layout).ok()) {
    needs_medium = true;
    return {};
  }
  const Statistics stats = tape->statistics();
  const MediumTraffic traffic = TrafficOf(state);
  const std::optional<std::uint64_t> loads = StoredCounter(*tape, kAttrLoadCount, 8);
  const std::optional<MediaType> type = FindMediaType(info.media_type);
  std::vector<LogParameter> out;
  auto count = [&out](std::uint16_t code, std::uint64_t value) {
    out.push_back({code, spc::kLogCounter, Be32(value)});
  };
  out.push_back({0x0000, spc::kLogBinaryList, Be(1, 1)});
  if (loads) out.push_back({0x0001, spc::kLogCounter, Be(8, *loads)});
  count(0x0002, stats.records_written + stats.filemarks_written);
  count(0x0003, 0);
  count(0x0004, stats.write_errors);
  count(0x0007, stats.records_read + stats.filemarks_read);
  count(0x0008, stats.read_errors_corrected);
  count(0x0009, stats.read_errors_uncorrected);
  count(0x000C, stats.write_errors);
  count(0x000D, stats.read_errors_uncorrected);
  count(0x000E, traffic.load_written / kMegabyte);  // last mount
  count(0x000F, traffic.load_read / kMegabyte);
  // Lifetime: the MAM's totals; a medium without a store knows only this load.
  count(0x0010, traffic.life_written.value_or(traffic.load_written) / kMegabyte);
  count(0x0011, traffic.life_read.value_or(traffic.load_read) / kMegabyte);
  count(0x0016, info.capacity_bytes / kMegabyte);  // total native capacity
  count(0x0017, info.used_bytes / kMegabyte);      // total used native capacity
  std::vector<std::uint8_t> serial;
  AppendPadded(serial, info.barcode, 32);
  out.push_back({0x0040, spc::kLogAsciiList, serial});
  out.push_back({0x0080, spc::kLogBinaryList, Be(1, info.write_protected ? 1 : 0)});
  out.push_back({0x0081, spc::kLogBinaryList, Be(1, type && type->worm ? 1 : 0)});
  if (loads) count(0x0101, *loads);
  count(0x0102, 0);
  out.push_back({0x0202, spc::kLogBinaryList, PartitionRecords(layout, [](const PartitionInfo& p) {
                   return p.capacity_bytes;
                 })});
  out.push_back({0x0203, spc::kLogBinaryList,
                 PartitionRecords(layout, [](const PartitionInfo& p) { return p.used_bytes; })});
  out.push_back({0x0204, spc::kLogBinaryList, PartitionRecords(layout, [](const PartitionInfo& p) {
                   const std::uint64_t end =
                       p.capacity_bytes - std::min(p.early_warning_bytes, p.capacity_bytes);
                   return end > p.used_bytes ? end - p.used_bytes : 0;
                 })});
  return out;
}

// Page 2Eh (SSC-4), with the predictive failure flag while the medium is degraded.
std::vector<LogParameter> TapeAlertPage(DriveState& state, LogPageControl pc) {
  const Tape* tape = LoadedTape(state);
  if (Cumulative(pc) && tape != nullptr && tape->health().degraded) {
    state.tapealert.Raise(spc::TapeAlertFlag::kPredictiveFailure);
  }
  return spc::TapeAlertParameters(state.tapealert, pc);
}

// Page 31h (IBM/HP tape capacity), MiB: main partition = partition 0,
// alternate = partition 1 (0 on a medium of one partition), as LTFS reads it
// from LTO-5 drives. The remaining capacity of the partition holding the
// position is what a write there could still use (writing discards everything
// after the position); of the other, what lies after its end of data.
std::vector<LogParameter> TapeCapacityPage(const DriveState& state, bool& needs_medium) {
  const Tape* tape = LoadedTape(state);
  MediumLayout layout;
  if (tape == nullptr || !ReadMediumLayout(*tape, layout).ok()) {
    needs_medium = true;
    return {};
  }
  const Position pos = tape->GetPosition();
  std::uint64_t remaining[2] = {0, 0}, maximum[2] = {0, 0};
  for (std::uint32_t p = 0; p < 2 && p < layout.partitions.size(); ++p) {
    const PartitionInfo& info = layout.partitions[p];
    const std::uint64_t used = p == pos.partition ? pos.bytes_before : info.used_bytes;
    maximum[p] = info.capacity_bytes;
    remaining[p] = info.capacity_bytes > used ? info.capacity_bytes - used : 0;
  }
  return {
      {0x0001, spc::kLogBinaryList, Be32(remaining[0] / kMebibyte)},
      {0x0002, spc::kLogBinaryList, Be32(remaining[1] / kMebibyte)},
      {0x0003, spc::kLogBinaryList, Be32(maximum[0] / kMebibyte)},
      {0x0004, spc::kLogBinaryList, Be32(maximum[1] / kMebibyte)},
  };
}

// Page 37h (IBM performance characteristics), log_pages.h.
std::optional<std::vector<LogParameter>> IbmPerformancePage(const DriveState& state,
                                                            std::uint8_t subpage) {
  if (subpage == kLogIbmPerformanceCapacity) {
    return std::vector<LogParameter>{{0x7113, spc::kLogBinaryList, Be(4, 0)}};
  }
  if (subpage != 0) return std::nullopt;
  const Tape* tape = LoadedTape(state);
  const std::uint8_t efficiency = tape == nullptr ? 0x00 : tape->health().degraded ? 0xFF : 0x01;
  return std::vector<LogParameter>{{0x0001, spc::kLogBinaryList, Be(1, efficiency)}};
}

// What initiators see of a degraded medium: member indices and their state.
// Health::detail names member paths and host errors, which stay in the
// runner's log (drive.cc logs them).
std::string HealthSummary(const Health& health) {
  std::string text;
  for (std::uint32_t member : health.failed_members) {
    text +=
        (text.empty() ? "" : "; ") + std::string("member ") + std::to_string(member) + " failed";
  }
  return text.empty() ? "degraded" : text;
}

std::vector<LogParameter> MediumHealthPage(const DriveState& state) {
  const Tape* tape = LoadedTape(state);
  Health health;
  std::uint64_t corrected = 0;
  if (tape != nullptr) {
    health = tape->health();
    corrected = tape->statistics().read_errors_corrected;
  }
  std::vector<std::uint8_t> detail;
  if (health.degraded) {
    std::string text = HealthSummary(health).substr(0, 128);
    detail.assign(text.begin(), text.end());
    while (detail.size() % 4 != 0) detail.push_back(' ');
  }
  return {
      {0x0000, spc::kLogBinaryList, {static_cast<std::uint8_t>(health.degraded ? 1 : 0)}},
      {0x0001, spc::kLogAsciiList, detail},
      {0x0002, spc::kLogCounter, Be(8, corrected)},
  };
}

}  // namespace

std::span<const LogPageId> SupportedLogPages(const Personality& p) {
  if (p.vendor == "IBM") return kIbmPages;
  if (p.vendor == "HP" || p.vendor == "HPE") return kHpPages;
  return kPages;
}

std::optional<std::vector<LogParameter>> BuildLogPage(DriveState& state, std::uint8_t page,
                                                      std::uint8_t subpage, LogPageControl pc,
                                                      bool& needs_medium) {
  needs_medium = false;
  const LogCounters& n = state.counters;
  if (page == kLogIbmPerformance) return IbmPerformancePage(state, subpage);
  if (subpage != 0) return std::nullopt;
  switch (page) {
    case kLogWriteErrors:
      return ErrorCounterPage(n.write_errors_corrected, n.bytes_written_to_medium,
                              n.write_errors_uncorrected, pc);
    case kLogReadErrors:
      return ErrorCounterPage(n.read_errors_corrected, n.bytes_read_from_medium,
                              n.read_errors_uncorrected, pc);
    case kLogSequentialAccess:
      return SequentialAccessPage(state, pc);
    case kLogVolumeStatistics:
      return VolumeStatisticsPage(state, needs_medium);
    case kLogDataCompression:
      return DataCompressionPage(state, pc, true);
    case kLogVendorDataCompression:  // listed for the IBM and HP identities only
      return DataCompressionPage(state, pc, false);
    case kLogTapeAlert:
      return TapeAlertPage(state, pc);
    case kLogTapeCapacity:
      return TapeCapacityPage(state, needs_medium);
    case kLogMediumHealth:
      return MediumHealthPage(state);
    default:
      return std::nullopt;
  }
}

void ResetLogPage(DriveState& state, std::uint8_t page) {
  LogCounters& n = state.counters;
  const bool all = page == kLogSupportedPages;
  // Pages 02h/03h and 0Ch share the byte counters: resetting either resets them.
  if (all || page == kLogWriteErrors) {
    n.write_errors_corrected = n.write_errors_uncorrected = n.bytes_written_to_medium = 0;
  }
  if (all || page == kLogReadErrors) {
    n.read_errors_corrected = n.read_errors_uncorrected = n.bytes_read_from_medium = 0;
  }
  // Pages 1Bh and 32h report page 0Ch's byte counters.
  if (all || page == kLogSequentialAccess || page == kLogDataCompression ||
      page == kLogVendorDataCompression) {
    n.bytes_written_by_initiator = n.bytes_written_to_medium = 0;
    n.bytes_read_by_initiator = n.bytes_read_from_medium = 0;
  }
  if (all) n = LogCounters{};
  if (all || page == kLogTapeAlert) state.tapealert.Clear();
}

}  // namespace vtape::ssc
