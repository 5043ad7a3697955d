// SET DATA ENCRYPTION (SSC-4 8.5.3.2): the page's fields, checked in order;
// the first bad one is reported with a field pointer into the parameter list.
#include "handler/ssc/encryption.h"

#include "handler/spc/cdb.h"
#include "handler/spc/sense.h"

namespace vtape::ssc {
namespace {

using spc::GetBe;

constexpr std::size_t kSdeHeaderBytes = 20;  // up to and including KEY LENGTH
constexpr std::uint16_t kSetDataEncryptionPage = 0x0010;
constexpr std::uint8_t kUkadType = 0x00, kAkadType = 0x01;

// The KAD descriptors after the key: a U-KAD and an A-KAD at most, each
// within its maximum length. Nonce and M-KAD descriptors are for
// capabilities the drive does not offer (NONCE_C 01b: the drive makes its own
// IVs; no EXTERNAL mode).
spc::ScsiResult ParseKads(std::span<const std::uint8_t> page, std::size_t at,
                          KeyAssociatedData& kad) {
  bool have_ukad = false, have_akad = false;
  while (at < page.size()) {
    const auto field = static_cast<std::uint16_t>(at);
    if (page.size() - at < 4) return spc::InvalidParameterField(field);
    const std::uint8_t type = page[at];
    if (page[at + 1] != 0) return spc::InvalidParameterField(field + 1);
    const std::size_t length = GetBe(page, at + 2, 2);
    if (length > page.size() - at - 4) return spc::InvalidParameterField(field + 2);
    const auto bytes = page.subspan(at + 4, length);
    if (type == kUkadType && !have_ukad) {
      if (length > kMaxUkadBytes) return spc::InvalidParameterField(field + 2);
      kad.ukad.assign(bytes.begin(), bytes.end());
      have_ukad = true;
    } else if (type == kAkadType && !have_akad) {
      if (length > kMaxAkadBytes) return spc::InvalidParameterField(field + 2);
      kad.akad.assign(bytes.begin(), bytes.end());
      have_akad = true;
    } else {
      return spc::InvalidParameterField(field);  // unsupported or repeated type
    }
    at += 4 + length;
  }
  return spc::Good();
}

}  // namespace

void EncryptionState::OnDemount() {
  for (EncryptionParameters* p : {&all_nexus, &local}) {
    if (p->set && p->ckod) {
      *p = EncryptionParameters{};
      ++key_instance_counter;
    }
  }
}

spc::ScsiResult SetDataEncryption(EncryptionState& state, std::span<const std::uint8_t> list) {
  if (list.size() < kSdeHeaderBytes) {
    return spc::CheckCondition(spc::kIllegalRequest, spc::kAscParameterListLength);
  }
  if (GetBe(list, 0, 2) != kSetDataEncryptionPage) return spc::InvalidParameterField(0);
  const std::size_t page_bytes = 4 + GetBe(list, 2, 2);
  if (page_bytes < kSdeHeaderBytes || page_bytes > list.size()) {
    return spc::InvalidParameterField(2);
  }
  const auto page = list.first(page_bytes);

  const std::uint8_t scope = page[4] >> 5;
  if (scope > static_cast<std::uint8_t>(EncryptionScope::kAllItNexus)) {
    return spc::InvalidParameterField(4, 7);
  }
  if (page[4] & 0x1E) return spc::InvalidParameterField(4, 4);
  if (static_cast<EncryptionScope>(scope) == EncryptionScope::kPublic) {
    // SSC-4: every other field is ignored; the nexus uses the shared parameters.
    state.local = EncryptionParameters{};
    state.local_selected = false;
    return spc::Good();
  }

  EncryptionParameters p;
  p.set = true;
  p.scope = static_cast<EncryptionScope>(scope);
  p.lock = page[4] & 0x01;
  p.ceem = page[5] >> 6;
  p.rdmc = (page[5] >> 4) & 0x03;
  if (p.ceem > 1) return spc::InvalidParameterField(5, 7);      // no EXTERNAL mode to check
  if (p.rdmc == 1) return spc::InvalidParameterField(5, 5);     // reserved value
  if (page[5] & 0x08) return spc::InvalidParameterField(5, 3);  // SDK: SDK_C is 0
  p.ckod = page[5] & 0x04;
  p.ckorp = page[5] & 0x02;
  p.ckorl = page[5] & 0x01;
  if (page[6] != static_cast<std::uint8_t>(EncryptionMode::kDisable) &&
      page[6] != static_cast<std::uint8_t>(EncryptionMode::kEncrypt)) {
    return spc::InvalidParameterField(6);  // EXTERNAL: EEMC_C is 00b
  }
  if (page[7] > static_cast<std::uint8_t>(DecryptionMode::kMixed)) {
    return spc::InvalidParameterField(7);
  }
  p.encryption = static_cast<EncryptionMode>(page[6]);
  p.decryption = static_cast<DecryptionMode>(page[7]);
  const bool uses_algorithm =
      p.encryption != EncryptionMode::kDisable || p.decryption != DecryptionMode::kDisable;
  const bool needs_key = p.encryption == EncryptionMode::kEncrypt ||
                         p.decryption == DecryptionMode::kDecrypt ||
                         p.decryption == DecryptionMode::kMixed;
  if (uses_algorithm) {
    if (page[8] != kAesGcmAlgorithmIndex) return spc::InvalidParameterField(8);
    p.algorithm_index = page[8];
  }
  const std::size_t key_length = GetBe(page, 18, 2);
  if (key_length > page.size() - kSdeHeaderBytes) return spc::InvalidParameterField(18);
  if (needs_key) {
    if (page[9] != 0) return spc::InvalidParameterField(9);    // key format: plain text only
    if (page[10] != 0) return spc::InvalidParameterField(10);  // KAD format: KADF_C is 0
    for (std::uint16_t i = 11; i < 18; ++i) {
      if (page[i] != 0) return spc::InvalidParameterField(i);
    }
    if (key_length != kDataKeyBytes) return spc::InvalidParameterField(18);
  }
  // The KAD list matters only to records being encrypted; otherwise SSC-4
  // has it ignored.
  if (p.encryption == EncryptionMode::kEncrypt) {
    spc::ScsiResult kads = ParseKads(page, kSdeHeaderBytes + key_length, p.kad);
    if (kads.status != spc::kStatusGood) return kads;
  }
  if (needs_key) {
    Status made = RecordCipher::Create(page.subspan(kSdeHeaderBytes, key_length), p.cipher);
    if (!made.ok()) return spc::CheckCondition(spc::kHardwareError, spc::kAscInternalTargetFailure);
  }

  if (p.scope == EncryptionScope::kLocal) {
    state.local = std::move(p);
    state.local_selected = true;
  } else {
    state.all_nexus = std::move(p);
    state.local = EncryptionParameters{};
    state.local_selected = false;
  }
  ++state.key_instance_counter;
  return spc::Good();
}

}  // namespace vtape::ssc
