// The drive's state, shared by the command-family files (cmd_*.cc). Internal
// to the engine: the outside sees only drive.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "handler/spc/device_state.h"
#include "handler/spc/log.h"
#include "handler/spc/sense.h"
#include "handler/ssc/drive.h"
#include "handler/ssc/encryption.h"
#include "handler/ssc/mode_state.h"
#include "handler/ssc/personality.h"
#include "vtape/buffered_tape.h"
#include "vtape/tape.h"

namespace vtape::ssc {

// Counters behind LOG SENSE pages 02h, 03h and 0Ch; reset by LOG SELECT.
// Updated by the data commands (cmd_data.cc), reported by cmd_log.cc.
struct LogCounters {
  std::uint64_t write_errors_corrected = 0;
  std::uint64_t write_errors_uncorrected = 0;
  std::uint64_t bytes_written_by_initiator = 0;  // data bytes received in WRITE commands
  std::uint64_t bytes_written_to_medium = 0;
  std::uint64_t read_errors_corrected = 0;  // e.g. RAIT rebuilt a record
  std::uint64_t read_errors_uncorrected = 0;
  std::uint64_t bytes_read_by_initiator = 0;  // data bytes returned by READ commands
  std::uint64_t bytes_read_from_medium = 0;
  std::uint64_t records_written = 0;
  std::uint64_t records_read = 0;
  std::uint64_t filemarks_written = 0;
};

// What ALLOW OVERWRITE (82h) last permitted in append-only mode (worm.h):
// one write at a position, or one FORMAT MEDIUM / SET CAPACITY.
struct OverwriteAllowance {
  enum class Kind : std::uint8_t { kNone, kPosition, kFormat };
  Kind kind = Kind::kNone;
  std::uint32_t partition = 0;
  std::uint64_t object = 0;
};

// The programmable early-warning point of one partition for one PEWS
// (programmable_early_warning.h): reading the layout waits for a drive buffer
// to drain, so it is not read on every WRITE.
struct ProgrammableEarlyWarningCache {
  bool valid = false;
  std::uint32_t partition = 0;
  std::uint16_t pews = 0;
  std::uint64_t point = 0;
};

struct DriveState : spc::DeviceState {
  DriveConfig config;
  const Personality* personality = nullptr;  // never null after construction

  // The medium; null when none is present. tape->loaded() false after UNLOAD.
  std::unique_ptr<Tape> tape;
  // The write-behind buffer `tape` is when the config asks for one, else null.
  BufferedTape* buffer = nullptr;

  // MODE SENSE/SELECT state (mode_state.h): block length, density, buffered
  // mode and the pages. The data commands read `mode.block_length` etc.
  ModeState mode;
  ProgrammableEarlyWarningCache pew_cache;

  bool prevent_removal = false;        // PREVENT ALLOW MEDIUM REMOVAL
  OverwriteAllowance allow_overwrite;  // cleared when used and when the medium changes

  // Records/filemarks and record bytes written since the last durable point
  // (Tape::Sync, a synchronous filemark, unload, a media change): what READ
  // POSITION reports as held in the object buffer. Kept by the data commands
  // (NoteWritten/NoteDurable in data_common.h).
  std::uint64_t buffered_objects = 0;
  std::uint64_t buffered_bytes = 0;

  LogCounters counters;
  // Data encryption parameters and key (SECURITY PROTOCOL OUT): memory only.
  EncryptionState encryption;
  // TapeAlert flags, reported by log page 2Eh.
  spc::TapeAlerts tapealert;

  // WRITE BUFFER echo data, returned by READ BUFFER echo (cmd_buffer.cc).
  std::vector<std::uint8_t> echo_buffer;
  // The drive dump READ BUFFER returns from buffer 1 (0 too): taken by SEND
  // DIAGNOSTIC page 80h (cmd_diagnostic.cc), or at the first READ BUFFER.
  std::vector<std::uint8_t> dump;
  // REPORT/SET TIMESTAMP (cmd_timestamp.cc): milliseconds added to the host's
  // clock, and whether SET TIMESTAMP set them.
  std::int64_t timestamp_offset_ms = 0;
  bool timestamp_set = false;

  // Last health seen on the medium, to log and flag changes once.
  bool medium_degraded = false;
  std::vector<std::string> log_messages;

  // The volume change reference was incremented for content changes no host
  // has read it since (volume_change.h).
  bool volume_change_unread = false;
  // The medium's counters when it was loaded (what this load added is the
  // difference: LOG SENSE 17h "last mount", MAM 0222h/0223h) and when this load
  // was last added to the lifetime totals stored in the MAM (volume_change.h).
  Statistics at_load;
  Statistics credited;

  // Helpers for commands that need a ready medium: nullptr with `result` set to
  // the right NOT READY sense otherwise.
  Tape* ReadyTape(ScsiResult& result);

  // Makes `medium` the drive's medium, behind a write-behind buffer when the
  // config has one.
  void InstallMedium(std::unique_ptr<Tape> medium);
};

}  // namespace vtape::ssc
