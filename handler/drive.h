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

#include "handler/transfer_size.h"
#include "vtape/registry.h"
#include "vtape/tape.h"

namespace vtape::ssc {

// SCSI status bytes the engine returns.
inline constexpr std::uint8_t kStatusGood = 0x00;
inline constexpr std::uint8_t kStatusCheckCondition = 0x02;

// What the config string says about the drive itself (the medium name is
// opened by the caller; see config.h for the string's syntax).
struct DriveConfig {
  std::string personality = "generic";  // key into the personality table (personality.h)
  std::string serial;                   // unit serial number; empty = derived from the medium name
  std::string medium_name;              // backend name, for logs and the derived serial
  // The largest data transfer the path to the initiator carries (for tcmu: the
  // device's hw_max_sectors * hw_block_size). READ BLOCK LIMITS reports it.
  std::uint32_t max_transfer_bytes = 1u << 20;
};

struct ScsiCommand {
  std::span<const std::uint8_t> cdb;
  // Data from the initiator (WRITE, MODE SELECT, LOG SELECT ...); its size is
  // what the initiator sent, which for READ(6)/WRITE(6) LIO takes from the
  // initiator, not from the CDB.
  std::span<const std::uint8_t> data_out;
  // Buffer for data to the initiator; its size is the initiator's transfer length.
  std::span<std::uint8_t> data_in;
};

struct ScsiResult {
  std::uint8_t status = kStatusGood;
  // Bytes of data_in that hold data. Meaningful with CHECK CONDITION too: a
  // short read returns its data together with ILI sense (the glue must pass
  // this length to the kernel, see handler/tcmu_glue.cc).
  std::size_t data_in_len = 0;
  std::array<std::uint8_t, 96> sense{};  // fixed format (70h), valid with CHECK CONDITION
  std::size_t sense_len = 0;
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

  // Replaces the medium (a media change, e.g. tcmu reconfig): the old one is
  // closed, the new one (may be null = no medium) is loaded at BOP, and the next
  // command gets UNIT ATTENTION 28h/00h "not ready to ready change, medium may
  // have changed". Returns the status of closing the old medium.
  Status ChangeMedium(std::unique_ptr<Tape> medium);

  // Flushes the medium (for a clean shutdown); the drive stays usable.
  Status Flush();

  // Messages for the host log that accumulated since the last call (e.g. "RAIT
  // member 2 failed: ..., running degraded"). The glue prints them.
  std::vector<std::string> TakeLogMessages();

  const Tape* medium() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace vtape::ssc
