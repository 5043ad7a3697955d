// The log pages LOG SENSE returns, as lists of parameters built from the drive
// state and the medium. Layouts: SPC-4 (00h supported pages, 02h/03h error
// counters), SSC-4 (0Ch sequential-access device, 2Eh TapeAlert), the IBM/HP
// tape capacity page (31h) and one vtape page (3Dh, medium health).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "handler/spc/log.h"
#include "handler/ssc/drive_state.h"

namespace vtape::ssc {

using spc::kLogSupportedPages;
using spc::kLogTapeAlert;
using spc::LogPageControl;
using spc::LogParameter;
inline constexpr std::uint8_t kLogWriteErrors = 0x02, kLogReadErrors = 0x03,
                              kLogSequentialAccess = 0x0C, kLogVolumeStatistics = 0x17,
                              kLogTapeCapacity = 0x31, kLogMediumHealth = 0x3D;

// Log page 17h (SSC-4 volume statistics) of the loaded medium:
//   0000h  page valid: 1 byte, 01h
//   0001h  volume mounts: the medium's load count (attribute 0003h), 8 bytes;
//          absent when the medium keeps no attributes
//   0040h  volume serial number: the barcode, ASCII, 32 bytes
//   0202h  approximate native capacity of each partition, MB (10^6 bytes)
//   0203h  approximate used native capacity of each partition, MB
//   0204h  approximate remaining native capacity of each partition (to its
//          early-warning point), MB
// The 0202h-0204h values are partition records: length 07h, reserved,
// partition number (2 bytes), 4-byte value (saturating). LTFS reads 0202h and
// 0204h for capacity and 0203h (16 bytes on its two-partition media) for the
// state of end of data.

// Log page 3Dh (vendor specific, vtape): the medium's redundancy state.
//   0000h  degraded: 1 byte, 01h while Tape::health().degraded
//   0001h  detail: ASCII, "member I failed" for each failed member I (joined
//          by "; "), or "degraded" when the medium names no members; space
//          padded to a multiple of 4 bytes, at most 128; empty when healthy.
//          Never member names or paths (those go to the runner's log only).
//   0002h  records the medium rebuilt or corrected (Statistics::
//          read_errors_corrected, 8 bytes)
// While the medium is degraded, TapeAlert flag 26h (38, "predictive failure":
// one more failure loses data) is raised whenever page 2Eh is read.

// Page codes in ascending order (page 00h's list).
std::span<const std::uint8_t> SupportedLogPages();

// The parameters of `page` (not 00h) for `pc`, or nullopt for an unknown page.
// Reading page 2Eh's cumulative values clears the TapeAlert flags (SSC-4).
// `needs_medium` is set when the page describes the medium and none is loaded.
std::optional<std::vector<LogParameter>> BuildLogPage(DriveState& state, std::uint8_t page,
                                                      LogPageControl pc, bool& needs_medium);

// Sets the cumulative values of `page` (00h = every page) to their defaults.
void ResetLogPage(DriveState& state, std::uint8_t page);

}  // namespace vtape::ssc
