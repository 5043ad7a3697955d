// LOG SENSE / LOG SELECT plumbing any device shares (SPC-4 6.6, 6.7, 7.3): page
// 00h (supported pages), the parameter list format, the parameter pointer,
// resets. A device brings its pages as a LogPages.
#pragma once

#include <bitset>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "handler/spc/scsi.h"

namespace vtape::spc {

inline constexpr std::uint8_t kLogSupportedPages = 0x00, kLogTapeAlert = 0x2E;

// Parameter control bytes (SPC-4 7.3.2.2.2, FORMAT AND LINKING in bits 1-0).
inline constexpr std::uint8_t kLogCounter = 0x00;     // bounded data counter
inline constexpr std::uint8_t kLogAsciiList = 0x01;   // ASCII format list
inline constexpr std::uint8_t kLogBinaryList = 0x03;  // binary format list (flags, plain values)

// PAGE CONTROL of LOG SENSE/SELECT (SPC-4 6.6).
enum class LogPageControl : std::uint8_t {
  kThreshold = 0,
  kCumulative = 1,
  kDefaultThreshold = 2,
  kDefaultCumulative = 3
};

struct LogParameter {
  std::uint16_t code;
  std::uint8_t control;  // DU/TSD/ETC/TMC/FORMAT AND LINKING byte
  std::vector<std::uint8_t> value;
};

// A page and subpage LOG SENSE answers (subpage 00h: the page itself).
struct LogPageId {
  std::uint8_t page;
  std::uint8_t subpage;
};

struct LogPages {
  // Pages and subpages in ascending order, (00h, 00h) first: page 00h lists
  // the page codes, page 00h subpage FFh every pair (with 00h/FFh itself).
  // LOG SENSE refuses what is not listed: an unknown page with INVALID FIELD
  // IN CDB at byte 2, an unknown subpage of a known page at byte 3.
  std::span<const LogPageId> supported;
  // The parameters of `page`/`subpage` (listed, not 00h) for `pc`, or nullopt
  // for an unknown one. Sets `needs_medium` when the page describes the medium
  // and none is loaded.
  std::function<std::optional<std::vector<LogParameter>>(std::uint8_t page, std::uint8_t subpage,
                                                         LogPageControl pc, bool& needs_medium)>
      build;
  // Sets the cumulative values of `page` (00h = every page) to their defaults.
  std::function<void(std::uint8_t page)> reset;
};

ScsiResult LogSense(const ScsiCommand& command, const LogPages& pages);
// No parameter is settable: LOG SELECT resets (PCR=1 or a zero-length list)
// and accepts parameter data only when it changes nothing.
ScsiResult LogSelect(const ScsiCommand& command, const LogPages& pages);

// TapeAlert flags by number (SSC-4 Annex A), the ones the drive raises.
enum class TapeAlertFlag : std::uint8_t {
  kHardError = 0x03,
  kMedia = 0x04,
  kWriteProtect = 0x09,
  kPredictiveFailure = 0x26,  // one more failure loses data
  kWormOverwriteAttempted = 0x3C,
};

// The TapeAlert flags (0001h-0040h) raised since page 2Eh's cumulative values
// were last read.
class TapeAlerts {
 public:
  void Raise(TapeAlertFlag flag) { bits_.set(Bit(flag)); }
  bool Raised(TapeAlertFlag flag) const { return bits_.test(Bit(flag)); }
  bool Raised(std::uint16_t number) const { return bits_.test(number - 1u); }
  void Clear() { bits_.reset(); }

 private:
  static std::size_t Bit(TapeAlertFlag flag) { return static_cast<std::size_t>(flag) - 1; }
  std::bitset<64> bits_;
};

// TapeAlert (page 2Eh, SSC-4 / SMC-3 8.4.3): flags 0001h-0040h, one byte each
// (bit 0 = active). Reading the cumulative values clears the flags.
std::vector<LogParameter> TapeAlertParameters(TapeAlerts& flags, LogPageControl pc);

}  // namespace vtape::spc
