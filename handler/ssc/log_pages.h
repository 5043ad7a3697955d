// The log pages LOG SENSE returns, as lists of parameters built from the drive
// state and the medium. Layouts: SPC-4 (00h supported pages, 02h/03h error
// counters), SSC-4 (0Ch sequential-access device, 17h volume statistics, 2Eh
// TapeAlert), the IBM/HP tape capacity page (31h), IBM's performance
// characteristics page (37h, IBM identities only) and one vtape page (3Dh,
// medium health).
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
using spc::LogPageId;
using spc::LogParameter;
inline constexpr std::uint8_t kLogWriteErrors = 0x02, kLogReadErrors = 0x03,
                              kLogSequentialAccess = 0x0C, kLogVolumeStatistics = 0x17,
                              kLogDataCompression = 0x1B, kLogTapeCapacity = 0x31,
                              kLogVendorDataCompression = 0x32, kLogIbmPerformance = 0x37,
                              kLogMediumHealth = 0x3D;
// Page 37h subpage 64h: scope "mount values" (bits 7-6 = 01b), level
// "advanced counters" (5-4 = 10b), group "capacity" (3-0 = 0100b).
inline constexpr std::uint8_t kLogIbmPerformanceCapacity = 0x64;

// Log page 17h (SSC-4 volume statistics) of the loaded medium:
//   0000h  page valid: 1 byte, 01h
//   0001h  volume mounts: the medium's load count (attribute 0003h), 8 bytes;
//          absent when the medium keeps no attributes
// The medium keeps no lifetime totals beyond the load count: the counts
// below are those of the medium since it was loaded (Tape::statistics()),
// 4 bytes each (saturating), as LTFS reads them for its cartridge health.
// vtape writes each record and filemark as one unit: those are its data sets.
//   0002h  data sets written (records + filemarks written)
//   0003h  recovered write errors: 0 (a write is never retried)
//   0004h  unrecovered write errors
//   0007h  data sets read (records + filemarks read)
//   0008h  recovered read errors (records a redundant medium rebuilt)
//   0009h  unrecovered read errors
//   000Ch  unrecovered write errors of the last mount (this one: 0004h)
//   000Dh  unrecovered read errors of the last mount (this one: 0009h)
//   0010h  megabytes written (10^6 bytes)
//   0011h  megabytes read
//   0040h  volume serial number: the barcode, ASCII, 32 bytes
//   0101h  beginning-of-medium passes: one per load (the load count; absent
//          with 0001h)
//   0102h  middle-of-medium passes: 0 (no tape motion is modelled)
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

// Log page 37h (IBM performance characteristics), IBM identities only, as
// LTFS reads it (sg_get_cartridge_health, sg_get_xattr):
//   subpage 00h, 0001h  media efficiency, 1 byte: 01h (best) for a healthy
//                       medium, FFh (worst) while it is degraded, 00h
//                       (unknown) without a medium
//   subpage 64h, 7113h  active capacity loss on write, 4 bytes, a ratio in
//                       16.16 fixed point: 0 (nothing is rewritten, no
//                       capacity is lost)

// The pages and subpages of a drive of personality `p`, ascending (page
// 00h's lists).
std::span<const LogPageId> SupportedLogPages(const Personality& p);

// The parameters of `page`/`subpage` (listed, not 00h) for `pc`, or nullopt
// for an unknown one. Reading page 2Eh's cumulative values clears the
// TapeAlert flags (SSC-4). `needs_medium` is set when the page describes the
// medium and none is loaded.
std::optional<std::vector<LogParameter>> BuildLogPage(DriveState& state, std::uint8_t page,
                                                      std::uint8_t subpage, LogPageControl pc,
                                                      bool& needs_medium);

// Sets the cumulative values of `page` (00h = every page) to their defaults.
void ResetLogPage(DriveState& state, std::uint8_t page);

}  // namespace vtape::ssc
