// SEND DIAGNOSTIC and RECEIVE DIAGNOSTIC RESULTS (SPC-4 6.42, 6.28): the
// default self-test, the supported diagnostic pages page (00h), and IBM's
// "force drive dump" page (80h, diagnostic ID 0160h) LTFS sends after an error
// on an IBM drive before it reads the dump with READ BUFFER.
#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"
#include "handler/ssc/commands.h"

namespace vtape::ssc {
namespace {

constexpr std::uint8_t kPageSupported = 0x00, kPageForceDump = 0x80;
constexpr std::uint16_t kDiagnosticIdForceDump = 0x0160;
constexpr Asc kAscSelfTestFailed{0x3E, 0x03};  // LOGICAL UNIT FAILED SELF-TEST

// The default self-test: what can fail in a virtual drive is its medium's
// storage, so a loaded medium must answer Stat.
ScsiResult DefaultSelfTest(DriveState& state) {
  if (state.tape && state.tape->loaded()) {
    MediumInfo info;
    if (!state.tape->Stat(info).ok()) {
      state.tapealert.Raise(spc::TapeAlertFlag::kHardError);
      return CheckCondition(kHardwareError, kAscSelfTestFailed);
    }
  }
  return Good();
}

}  // namespace

ScsiResult CmdSendDiagnostic(DriveState& state, const ScsiCommand& cmd) {
  const auto& cdb = cmd.cdb;
  const bool pf = cdb[1] & 0x10, selftest = cdb[1] & 0x04;
  const std::size_t length = GetBe(cdb, 3, 2);
  if (selftest) {
    if (length != 0) return InvalidCdbField(3);
    return DefaultSelfTest(state);
  }
  if (length == 0) return Good();         // no self-test, no page: nothing to do
  if (!pf) return InvalidCdbField(1, 4);  // only the page format is defined
  if (cmd.data_out.size() < length || length < 4) {
    return CheckCondition(kIllegalRequest, kAscParameterListLength);
  }
  const auto list = cmd.data_out.first(length);
  // One page per command: its length must be what the list holds.
  if (4 + GetBe(list, 2, 2) != length) return InvalidParameterField(2);
  switch (list[0]) {
    case kPageSupported:  // asks RECEIVE DIAGNOSTIC RESULTS for the supported pages
      if (length != 4) return InvalidParameterField(2);
      return Good();
    case kPageForceDump:
      if (length < 6) return InvalidParameterField(2);
      if (GetBe(list, 4, 2) != kDiagnosticIdForceDump) return InvalidParameterField(4);
      state.dump = DriveDump(state);
      return Good();
    default:
      return InvalidParameterField(0);
  }
}

ScsiResult CmdReceiveDiagnosticResults(DriveState&, const ScsiCommand& cmd) {
  const auto& cdb = cmd.cdb;
  const bool pcv = cdb[1] & 0x01;
  const std::size_t allocation = GetBe(cdb, 3, 2);
  // PCV 0: the results of the last SEND DIAGNOSTIC. Page 80h returns none, so
  // that is always the supported pages page.
  if (pcv && cdb[2] != kPageSupported) return InvalidCdbField(2);
  const std::vector<std::uint8_t> page = {kPageSupported, 0, 0, 2, kPageSupported, kPageForceDump};
  return ReturnData(cmd, page, allocation);
}

}  // namespace vtape::ssc
