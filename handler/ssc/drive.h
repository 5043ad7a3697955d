// The SSC tape drive engine: a CDB and data buffers in; status, sense and data
// out. It knows nothing of tcmu (tcmu_glue.cc adapts it) so it is unit tested
// and fuzzed without a kernel.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "handler/spc/scsi.h"
#include "handler/ssc/transfer_size.h"
#include "vtape/registry.h"
#include "vtape/tape.h"

namespace vtape::ssc {

// The drive speaks SPC: its commands, results and sense are the common layer's.
using namespace vtape::spc;

// What the config string says about the drive itself (the medium name is
// opened by the caller; see config.h for the string's syntax).
struct DriveConfig {
  std::string personality = "generic";  // key into the personality table (personality.h)
  std::string serial;                   // unit serial number; empty = derived from the medium name
  std::string medium_name;              // backend name, for logs and the derived serial
  // The largest data transfer the path to the initiator carries (for tcmu: the
  // device's hw_max_sectors * hw_block_size). READ BLOCK LIMITS reports it.
  std::uint32_t max_transfer_bytes = 1u << 20;
  // The drive's write-behind buffer (vtape/buffered_tape.h) in bytes; 0 = none:
  // every WRITE reaches the medium before GOOD.
  std::uint64_t buffer_bytes = 0;
};

class Drive {
 public:
  // `medium` may be null: the drive starts with no medium loaded.
  Drive(DriveConfig config, std::unique_ptr<Tape> medium);
  ~Drive();
  Drive(const Drive&) = delete;
  Drive& operator=(const Drive&) = delete;

  // Executes one command. Commands run one at a time, in order.
  ScsiResult Execute(const ScsiCommand& command);

  // How many bytes `cdb` can move each way on this drive now (its block
  // length, its max transfer): the glue gathers at most `data_out` bytes of the
  // initiator's data and offers a reply buffer of at most `data_in` bytes.
  TransferBytes ExpectedTransfer(std::span<const std::uint8_t> cdb) const;

  // Replaces the medium (a media change, e.g. tcmu reconfig or a changer's
  // move): the old one is closed, the new one is loaded at BOP, and the next
  // command gets UNIT ATTENTION 28h/00h "not ready to ready change, medium may
  // have changed". A null medium empties the drive without a unit attention
  // (no not-ready-to-ready change: the drive answers NOT READY 3Ah/00h, as
  // after an eject). Returns the status of closing the old medium.
  Status ChangeMedium(std::unique_ptr<Tape> medium);

  // Flushes the medium (for a clean shutdown); the drive stays usable.
  Status Flush();

  // Messages for the host log that accumulated since the last call (e.g. "RAIT
  // member 2 failed: ..., running degraded"). The glue prints them.
  std::vector<std::string> TakeLogMessages();

  const Tape* medium() const;

  // PREVENT ALLOW MEDIUM REMOVAL in effect (a changer refuses to take the
  // cartridge out while it is).
  bool medium_removal_prevented() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace vtape::ssc
