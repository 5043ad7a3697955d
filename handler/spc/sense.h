// Fixed-format sense data (response code 70h current, 71h deferred), as st, mtx
// and sg3_utils read it.
#pragma once

#include <cstdint>

#include "handler/spc/scsi.h"

namespace vtape::spc {

// Sense keys.
inline constexpr std::uint8_t kNoSense = 0x0, kRecoveredError = 0x1, kNotReady = 0x2,
                              kMediumError = 0x3, kHardwareError = 0x4, kIllegalRequest = 0x5,
                              kUnitAttention = 0x6, kDataProtect = 0x7, kBlankCheck = 0x8,
                              kAbortedCommand = 0xB, kVolumeOverflow = 0xD, kMiscompare = 0xE;

struct SenseData {
  std::uint8_t key = kNoSense;
  std::uint8_t asc = 0;
  std::uint8_t ascq = 0;
  bool filemark = false;  // byte 2 bit 7
  bool eom = false;       // byte 2 bit 6
  bool ili = false;       // byte 2 bit 5
  // Response code 71h instead of 70h: the error belongs to an earlier command
  // that returned GOOD (SPC-4 4.5.5; SSC-4: a buffered write that failed).
  bool deferred = false;
  // INFORMATION (bytes 3-6) with VALID: the residual, 32-bit two's complement.
  bool info_valid = false;
  std::int64_t information = 0;
  // Sense-key specific field pointer (bytes 15-17) for ILLEGAL REQUEST.
  bool field_pointer = false;
  bool in_cdb = true;       // C/D: the bad field is in the CDB (else in parameter data)
  std::int8_t bit = -1;     // bit of the field (BPV), -1 = byte only
  std::uint16_t field = 0;  // byte offset of the bad field
};

// Common sense values, as ASC/ASCQ pairs (SPC-4 / SSC-4).
struct Asc {
  std::uint8_t asc, ascq;
};
inline constexpr Asc kAscNone{0x00, 0x00};
inline constexpr Asc kAscFilemarkDetected{0x00, 0x01};
inline constexpr Asc kAscEndOfPartition{0x00, 0x02};  // end of partition/medium detected
inline constexpr Asc kAscSetmarkDetected{0x00, 0x03};
inline constexpr Asc kAscBeginningOfPartition{0x00, 0x04};
inline constexpr Asc kAscEndOfData{0x00, 0x05};
inline constexpr Asc kAscNotReadyBecoming{0x04, 0x01};
inline constexpr Asc kAscNotReadyInitRequired{0x04, 0x02};
inline constexpr Asc kAscWriteError{0x0C, 0x00};
inline constexpr Asc kAscUnrecoveredReadError{0x11, 0x00};
inline constexpr Asc kAscParameterListLength{0x1A, 0x00};
inline constexpr Asc kAscInvalidOpcode{0x20, 0x00};
inline constexpr Asc kAscLbaOutOfRange{0x21, 0x00};
inline constexpr Asc kAscInvalidFieldInCdb{0x24, 0x00};
inline constexpr Asc kAscLunNotSupported{0x25, 0x00};
inline constexpr Asc kAscInvalidFieldInParameterList{0x26, 0x00};
inline constexpr Asc kAscWriteProtected{0x27, 0x00};
inline constexpr Asc kAscMediumMayHaveChanged{0x28, 0x00};
inline constexpr Asc kAscPowerOnReset{0x29, 0x00};
inline constexpr Asc kAscModeParametersChanged{0x2A, 0x01};
inline constexpr Asc kAscLogParametersChanged{0x2A, 0x02};
inline constexpr Asc kAscSequentialPositioningError{0x3B, 0x00};
inline constexpr Asc kAscMediumNotPresent{0x3A, 0x00};
inline constexpr Asc kAscSavingParametersNotSupported{0x39, 0x00};
inline constexpr Asc kAscMediumRemovalPrevented{0x53, 0x02};
inline constexpr Asc kAscInternalTargetFailure{0x44, 0x00};
inline constexpr Asc kAscIncompatibleMedium{0x30, 0x00};
inline constexpr Asc kAscLogicalBlockGuardCheckFailed{0x10, 0x01};
inline constexpr Asc kAscMiscompareDuringVerify{0x1D, 0x00};
inline constexpr Asc kAscWormOverwriteAttempted{0x30, 0x0C};
inline constexpr Asc kAscOperatorSelectedWriteProtect{0x5A, 0x02};

// Sense with `key` and `asc`, nothing else set; callers add the flags
// (filemark, EOM, ILI) and fields their answer needs.
SenseData Sense(std::uint8_t key, Asc asc);

// Encodes `sense` as 18 bytes of fixed-format sense (more with a field pointer
// never needed: bytes 15-17 are inside the 18).
std::size_t EncodeSense(const SenseData& sense, std::span<std::uint8_t> out);

ScsiResult Good(std::size_t data_in_len = 0);
ScsiResult CheckCondition(const SenseData& sense, std::size_t data_in_len = 0);
ScsiResult CheckCondition(std::uint8_t key, Asc asc);
// ILLEGAL REQUEST, INVALID FIELD IN CDB, pointing at CDB byte `field` (and `bit`).
ScsiResult InvalidCdbField(std::uint16_t field, std::int8_t bit = -1);
// ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST, pointing into the data-out buffer.
ScsiResult InvalidParameterField(std::uint16_t field, std::int8_t bit = -1);

}  // namespace vtape::spc
