// The drive's data encryption parameters (SSC-4 4.2.26, 8.5: the tape data
// encryption security protocol, 20h). They live only in the drive's memory:
// never in the medium, its attributes, the drive dump or a log line. The key
// itself is inside the RecordCipher (libcrypto's key schedule, cleansed when
// freed) and a copy is never kept.
//
// Scope. The engine sees one I_T nexus (tcmu-runner 1.5.4 gives a handler no
// initiator identity), so it keeps the two sets SSC distinguishes: the ones
// set with scope ALL I_T NEXUS (what PUBLIC uses) and the nexus's own LOCAL
// ones. Clearing (SSC-4 4.2.26.x): unload of the volume when the parameters
// were set with CKOD; hard reset and I_T nexus loss, which this handler only
// sees as the device being opened again (a new Drive: nothing carried over);
// CKORP/CKORL are accepted and reported, and never fire: the drive implements
// no reservations.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "handler/spc/scsi.h"
#include "handler/ssc/record_cipher.h"

namespace vtape::ssc {

// The one algorithm the drive offers (data encryption capabilities page).
inline constexpr std::uint8_t kAesGcmAlgorithmIndex = 0x01;
inline constexpr std::uint32_t kAesGcmAlgorithmCode = 0x00010014;

enum class EncryptionScope : std::uint8_t { kPublic = 0, kLocal = 1, kAllItNexus = 2 };
enum class EncryptionMode : std::uint8_t { kDisable = 0, kExternal = 1, kEncrypt = 2 };
enum class DecryptionMode : std::uint8_t { kDisable = 0, kRaw = 1, kDecrypt = 2, kMixed = 3 };

// Raw decryption mode control (RDMC) as set: 00b default (the algorithm's:
// marked disabled, RDMC_C 100b), 10b marked enabled, 11b marked disabled.
inline constexpr std::uint8_t kRdmcDefault = 0, kRdmcEnable = 2, kRdmcDisable = 3;

struct EncryptionParameters {
  bool set = false;  // established by a SET DATA ENCRYPTION page
  EncryptionScope scope = EncryptionScope::kPublic;
  bool lock = false;
  std::uint8_t ceem = 0;
  std::uint8_t rdmc = kRdmcDefault;
  bool ckod = false, ckorp = false, ckorl = false;
  EncryptionMode encryption = EncryptionMode::kDisable;
  DecryptionMode decryption = DecryptionMode::kDisable;
  std::uint8_t algorithm_index = 0;
  KeyAssociatedData kad;                 // stored with every record encrypted
  std::unique_ptr<RecordCipher> cipher;  // holds the key; null when none was given

  bool encrypting() const { return encryption == EncryptionMode::kEncrypt && cipher; }
  // Records written now are marked disabled for raw decryption mode reads.
  bool marks_raw_disabled() const { return rdmc != kRdmcEnable; }
};

struct EncryptionState {
  EncryptionParameters all_nexus;  // scope ALL I_T NEXUS: what PUBLIC uses
  EncryptionParameters local;      // scope LOCAL
  bool local_selected = false;
  // Counts each key established or cleared (DATA ENCRYPTION STATUS page).
  std::uint32_t key_instance_counter = 0;

  const EncryptionParameters& current() const { return local_selected ? local : all_nexus; }
  EncryptionParameters& current() { return local_selected ? local : all_nexus; }

  // The volume was demounted: parameters set with CKOD are cleared.
  void OnDemount();
};

// SECURITY PROTOCOL OUT, tape data encryption page 0010h (SET DATA
// ENCRYPTION): validates `page` (the whole parameter list) and, when it is
// good, makes it the current parameters. Returns GOOD or the ILLEGAL REQUEST
// that names the bad field.
spc::ScsiResult SetDataEncryption(EncryptionState& state, std::span<const std::uint8_t> page);

}  // namespace vtape::ssc
