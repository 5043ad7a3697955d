// MODE SENSE/SELECT state: current values the data path obeys, plus what the
// mode pages hold. Owned by cmd_mode.cc; read by the data commands.
#pragma once

#include <cstdint>
#include <optional>

#include "handler/ssc/partition_page.h"
#include "handler/ssc/personality.h"

namespace vtape::ssc {

struct ModeState {
  std::uint32_t block_length = 0;  // 0 = variable block mode
  std::uint8_t density_code = 0;   // 0 = default (the medium's)
  std::uint8_t buffered_mode = 1;  // mode header byte 2 bits 6-4
  // Data compression page (0Fh) DCE, mirrored by the device configuration
  // page's SELECT DATA COMPRESSION ALGORITHM: records written are compressed.
  bool compression_enabled = false;
  // Device configuration page (10h) bits the data path honours.
  bool report_early_warning = true;         // REW
  bool block_identifiers_supported = true;  // BIS
  // Device configuration extension page (10h/01h) WRITE MODE 1h: append-only
  // (worm.h); 0h overwrite allowed.
  bool append_only = false;
  // Control data protection page (0Ah/F0h, lbp.h): the method (kLbpNone = off)
  // and whether WRITE checks (LBP_W) and READ/VERIFY append (LBP_R) the CRC.
  std::uint8_t lbp_method = 0;
  bool lbp_write = false;
  bool lbp_read = false;
  // (cmd_mode.cc may add the page images it needs below)
  // Medium partition page (11h): the layout a MODE SELECT asked for, applied
  // by the next FORMAT MEDIUM (POFM=1) and dropped when the medium changes.
  std::optional<PartitionRequest> pending_partitions;
};

// The power-on values (also what MODE SENSE reports as default and saved):
// ModeState's initializers plus what the personality decides.
inline ModeState PowerOnModeState(const Personality& personality) {
  ModeState m;
  m.compression_enabled = personality.compression_by_default;
  return m;
}

}  // namespace vtape::ssc
