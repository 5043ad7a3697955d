// SECURITY PROTOCOL IN (A2h) and SECURITY PROTOCOL OUT (B5h), SPC-4 6.40/6.41:
// protocol 00h (security protocol information) and the tape data encryption
// protocol 20h (SSC-4 8.5): its pages as an LTO drive reports them, with one
// algorithm, AES-256-GCM. The parameters themselves: encryption.h.
#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"
#include "handler/ssc/commands.h"
#include "handler/ssc/encryption.h"
#include "handler/ssc/next_block.h"

namespace vtape::ssc {
namespace {

constexpr std::uint8_t kProtocolInformation = 0x00, kTapeDataEncryption = 0x20;

// Protocol 20h page codes.
constexpr std::uint16_t kSupportedPages = 0x0000, kSupportedOutPages = 0x0001,
                        kCapabilities = 0x0010, kKeyFormats = 0x0011, kStatus = 0x0020,
                        kNextBlockStatus = 0x0021, kSetDataEncryption = 0x0010;

// KAD descriptor AUTHENTICATED values (SPIN): 1 = not authenticated, 2 =
// authenticated with the record.
constexpr std::uint8_t kKadNotAuthenticated = 1, kKadAuthenticated = 2;

std::vector<std::uint8_t> PageHeader(std::uint16_t code) {
  std::vector<std::uint8_t> p(4, 0);
  PutBe(p, 0, 2, code);
  return p;
}

void FinishPage(std::vector<std::uint8_t>& p) {
  PutBe(p, 2, 2, p.size() - 4);
}

void AppendKad(std::vector<std::uint8_t>& p, std::uint8_t type, std::uint8_t authenticated,
               std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return;
  const std::uint8_t header[4] = {type, authenticated, 0, static_cast<std::uint8_t>(bytes.size())};
  Append(p, header);
  Append(p, bytes);
}

std::vector<std::uint8_t> Capabilities(const DriveState& state) {
  std::vector<std::uint8_t> p = PageHeader(kCapabilities);
  p.resize(20, 0);
  p[4] = 0x01;  // EXTDECC 00b (no external control), CFG_P 01b (configurable)
  std::vector<std::uint8_t> d(24, 0);
  d[0] = kAesGcmAlgorithmIndex;
  PutBe(d, 2, 2, 0x14);  // descriptor length
  // AVFMV (valid for the mounted volume), MAC_C, DELB_C, DECRYPT_C and
  // ENCRYPT_C 10b (in hardware).
  const bool mounted = state.tape && state.tape->loaded();
  d[4] = static_cast<std::uint8_t>((mounted ? 0x80 : 0x00) | 0x3A);
  d[5] = 0x10;  // NONCE_C 01b: the drive makes its own IVs
  PutBe(d, 6, 2, kMaxUkadBytes);
  PutBe(d, 8, 2, kMaxAkadBytes);
  PutBe(d, 10, 2, kDataKeyBytes);
  d[12] = 0x09;  // DKAD_C 00b, EEMC_C 00b, RDMC_C 100b (raw reads off by default), EAREM
  PutBe(d, 20, 4, kAesGcmAlgorithmCode);
  Append(p, d);
  FinishPage(p);
  return p;
}

std::vector<std::uint8_t> DataEncryptionStatus(const EncryptionState& e) {
  const EncryptionParameters& p = e.current();
  std::vector<std::uint8_t> d = PageHeader(kStatus);
  d.resize(24, 0);
  const auto scope = static_cast<std::uint8_t>(p.set ? p.scope : EncryptionScope::kPublic);
  d[4] = static_cast<std::uint8_t>((scope << 5) | scope);  // I_T nexus scope, key scope
  d[5] = static_cast<std::uint8_t>(p.encryption);
  d[6] = static_cast<std::uint8_t>(p.decryption);
  d[7] = p.algorithm_index;
  PutBe(d, 8, 4, e.key_instance_counter);
  // PARAMETERS CONTROL 000b (not reported), VCELB 0, CEEMS, RDMD.
  d[12] = static_cast<std::uint8_t>((p.ceem << 1) | (p.encrypting() && p.marks_raw_disabled()));
  if (p.encrypting()) {
    AppendKad(d, 0x00, kKadNotAuthenticated, p.kad.ukad);
    AppendKad(d, 0x01, kKadNotAuthenticated, p.kad.akad);
  }
  FinishPage(d);
  return d;
}

std::vector<std::uint8_t> NextBlockStatus(const NextBlock& next) {
  std::vector<std::uint8_t> d = PageHeader(kNextBlockStatus);
  d.resize(16, 0);
  PutBe(d, 4, 8, next.object);
  d[12] = static_cast<std::uint8_t>(next.status);  // compression status 0h: not reported
  if (next.header) {
    d[13] = kAesGcmAlgorithmIndex;
    d[14] = next.header->raw_read_disabled ? 0x01 : 0x00;  // EMES 0, RDMDS
    AppendKad(d, 0x00, kKadNotAuthenticated, next.header->kad.ukad);
    AppendKad(
        d, 0x01,
        next.status == EncryptionStatus::kDecryptable ? kKadAuthenticated : kKadNotAuthenticated,
        next.header->kad.akad);
  }
  FinishPage(d);
  return d;
}

ScsiResult TapeDataEncryptionIn(DriveState& state, std::uint16_t page,
                                std::vector<std::uint8_t>& d) {
  switch (page) {
    case kSupportedPages:
      d = PageHeader(kSupportedPages);
      for (std::uint16_t code : {kSupportedPages, kSupportedOutPages, kCapabilities, kKeyFormats,
                                 kStatus, kNextBlockStatus}) {
        const std::uint8_t be[2] = {static_cast<std::uint8_t>(code >> 8),
                                    static_cast<std::uint8_t>(code)};
        Append(d, be);
      }
      break;
    case kSupportedOutPages:
      d = PageHeader(kSupportedOutPages);
      d.push_back(kSetDataEncryption >> 8);
      d.push_back(kSetDataEncryption & 0xFF);
      break;
    case kCapabilities:
      d = Capabilities(state);
      return Good();
    case kKeyFormats:
      d = PageHeader(kKeyFormats);
      d.push_back(0x00);  // plain text
      break;
    case kStatus:
      d = DataEncryptionStatus(state.encryption);
      return Good();
    case kNextBlockStatus: {
      ScsiResult result;
      if (state.ReadyTape(result) == nullptr) return result;
      NextBlock next;
      Status peeked = PeekNextBlock(state, next);
      if (!peeked.ok()) return SenseForStatus(state, peeked);
      d = NextBlockStatus(next);
      return Good();
    }
    default:
      return InvalidCdbField(2);
  }
  FinishPage(d);
  return Good();
}

}  // namespace

ScsiResult CmdSecurityProtocolIn(DriveState& state, const ScsiCommand& cmd) {
  const std::uint8_t protocol = cmd.cdb[1];
  const auto specific = static_cast<std::uint16_t>(GetBe(cmd.cdb, 2, 2));
  const std::size_t allocation = GetBe(cmd.cdb, 6, 4);
  std::vector<std::uint8_t> d;
  if (protocol == kProtocolInformation) {
    if (specific == 0x0000) {  // supported security protocol list
      d = {0, 0, 0, 0, 0, 0, 0, 2, kProtocolInformation, kTapeDataEncryption};
    } else if (specific == 0x0001) {  // certificate data: none
      d = {0, 0, 0, 0};
    } else {
      return InvalidCdbField(2);
    }
    return ReturnData(cmd, d, allocation);
  }
  if (protocol != kTapeDataEncryption) return InvalidCdbField(1);
  ScsiResult result = TapeDataEncryptionIn(state, specific, d);
  if (result.status != kStatusGood) return result;
  return ReturnData(cmd, d, allocation);
}

ScsiResult CmdSecurityProtocolOut(DriveState& state, const ScsiCommand& cmd) {
  if (cmd.cdb[1] != kTapeDataEncryption) return InvalidCdbField(1);
  if (GetBe(cmd.cdb, 2, 2) != kSetDataEncryption) return InvalidCdbField(2);
  const std::size_t length = GetBe(cmd.cdb, 6, 4);
  if (length == 0) return Good();  // SPC-4: no data transferred is not an error
  if (cmd.data_out.size() < length) {
    return CheckCondition(kIllegalRequest, kAscParameterListLength);
  }
  return SetDataEncryption(state.encryption, cmd.data_out.first(length));
}

}  // namespace vtape::ssc
