// REPORT TIMESTAMP and SET TIMESTAMP (SPC-4 6.31, 6.46): milliseconds since
// 1970-01-01 UTC. Until SET TIMESTAMP the drive reports the host's clock with
// TIMESTAMP ORIGIN 011b ("initialized by a method outside this standard");
// after it, the value set plus the time since, with origin 010b.
#include <chrono>

#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"
#include "handler/ssc/commands.h"

namespace vtape::ssc {
namespace {

constexpr std::uint8_t kOriginSetTimestamp = 0x02, kOriginOutside = 0x03;
constexpr std::size_t kTimestampParameterLength = 12;
constexpr std::int64_t kTimestampMask = (std::int64_t{1} << 48) - 1;  // a 6-byte field

std::int64_t HostMilliseconds() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ScsiResult CmdReportTimestamp(DriveState& state, const ScsiCommand& cmd) {
  std::vector<std::uint8_t> d(kTimestampParameterLength, 0);
  PutBe(d, 0, 2, kTimestampParameterLength - 2);
  d[2] = state.timestamp_set ? kOriginSetTimestamp : kOriginOutside;
  PutBe(d, 4, 6,
        static_cast<std::uint64_t>((HostMilliseconds() + state.timestamp_offset_ms) &
                                   kTimestampMask));
  return ReturnData(cmd, d, GetBe(cmd.cdb, 6, 4));
}

ScsiResult CmdSetTimestamp(DriveState& state, const ScsiCommand& cmd) {
  const std::size_t length = GetBe(cmd.cdb, 6, 4);
  if (length == 0) return Good();  // no parameter data: nothing changes
  if (length < kTimestampParameterLength || cmd.data_out.size() < length) {
    return CheckCondition(kIllegalRequest, kAscParameterListLength);
  }
  const auto list = cmd.data_out.first(kTimestampParameterLength);
  for (std::size_t reserved : {0, 1, 2, 3, 10, 11}) {
    if (list[reserved] != 0) return InvalidParameterField(static_cast<std::uint16_t>(reserved));
  }
  state.timestamp_offset_ms = static_cast<std::int64_t>(GetBe(list, 4, 6)) - HostMilliseconds();
  state.timestamp_set = true;
  return Good();
}

}  // namespace vtape::ssc
