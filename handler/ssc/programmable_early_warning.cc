#include "handler/ssc/programmable_early_warning.h"

#include <algorithm>

#include "handler/ssc/data_common.h"
#include "handler/ssc/medium_layout.h"

namespace vtape::ssc {
namespace {

constexpr std::uint64_t kMegabyte = 1000 * 1000;
constexpr Asc kAscProgrammableEarlyWarning{0x00, 0x07};

}  // namespace

std::optional<std::uint64_t> ProgrammableEarlyWarningPoint(DriveState& state, const Tape& tape,
                                                           std::uint32_t partition) {
  const std::uint16_t pews = state.mode.programmable_early_warning_mb;
  if (pews == 0) return std::nullopt;
  ProgrammableEarlyWarningCache& cache = state.pew_cache;
  if (cache.valid && cache.partition == partition && cache.pews == pews) return cache.point;
  MediumLayout layout;
  if (!ReadMediumLayout(tape, layout).ok() || partition >= layout.partitions.size()) {
    return std::nullopt;
  }
  const PartitionInfo& p = layout.partitions[partition];
  const std::uint64_t early_warning =
      p.capacity_bytes - std::min(p.early_warning_bytes, p.capacity_bytes);
  const std::uint64_t before = std::uint64_t{pews} * kMegabyte;
  cache = {true, partition, pews, early_warning > before ? early_warning - before : 0};
  return cache.point;
}

void ForgetProgrammableEarlyWarning(DriveState& state) {
  state.pew_cache = {};
}

bool InProgrammableEarlyWarningZone(DriveState& state, const Tape& tape, const Position& pos) {
  if (pos.beyond_early_warning) return false;
  const std::optional<std::uint64_t> point =
      ProgrammableEarlyWarningPoint(state, tape, pos.partition);
  return point && pos.bytes_before >= *point;
}

bool CrossedProgrammableEarlyWarning(DriveState& state, const Tape& tape, const Position& before,
                                     const Position& after) {
  if (before.partition != after.partition || after.beyond_early_warning) return false;
  const std::optional<std::uint64_t> point =
      ProgrammableEarlyWarningPoint(state, tape, after.partition);
  return point && before.bytes_before < *point && after.bytes_before >= *point;
}

ScsiResult ProgrammableEarlyWarningSense() {
  SenseData s = ResidualSense(kNoSense, kAscProgrammableEarlyWarning, 0);
  s.eom = true;
  return CheckCondition(s);
}

}  // namespace vtape::ssc
