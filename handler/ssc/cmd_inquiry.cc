// INQUIRY for the drive: peripheral type 01h (what st keys on), the IBM serial
// in the standard data, the VPD pages every device has (spc/inquiry.h), B0h
// and B5h.
#include <array>
#include <cstdio>

#include "handler/spc/identity.h"
#include "handler/spc/inquiry.h"
#include "handler/ssc/commands.h"
#include "handler/ssc/identity.h"
#include "handler/ssc/lbp.h"

namespace vtape::ssc {

std::string UnitSerial(const DriveConfig& config) {
  if (!config.serial.empty()) return config.serial;
  std::array<char, 16> text{};
  unsigned long long low40 = Fnv1a64(config.medium_name) & 0xFFFFFFFFFFull;
  std::snprintf(text.data(), text.size(), "%010llX", low40);
  return std::string(text.data(), 10);
}

namespace {

constexpr std::uint8_t kVpdSequentialCapabilities = 0xB0, kVpdLogicalBlockProtection = 0xB5;
constexpr std::array<std::uint8_t, 2> kDrivePages = {kVpdSequentialCapabilities,
                                                     kVpdLogicalBlockProtection};
// Where IBM LTO drives put the serial in the vendor-specific bytes of the
// standard data: bytes 38-49, right-justified with leading zeros.
constexpr std::size_t kSerialOffset = 38, kSerialWidth = 12;

InquiryIdentity Identity(const DriveState& state) {
  const Personality& p = *state.personality;
  return {kSequentialAccessDevice, true, p.vendor, p.product, p.revision, UnitSerial(state.config)};
}

std::vector<std::uint8_t> StandardData(const InquiryIdentity& id) {
  std::vector<std::uint8_t> d = StandardInquiryData(id);
  std::string serial = id.serial;
  if (serial.size() > kSerialWidth) serial.resize(kSerialWidth);  // VPD 80h has it whole
  std::size_t pad = kSerialWidth - serial.size();
  for (std::size_t i = 0; i < kSerialWidth; ++i) {
    d[kSerialOffset + i] = i < pad ? '0' : static_cast<std::uint8_t>(serial[i - pad]);
  }
  return d;
}

// B5h, logical block protection (SSC-4): one 4-byte descriptor per method the
// drive offers: method, information length, LBP_W_C and LBP_R_C set (RBDP_C 0:
// RECOVER BUFFERED DATA is not implemented).
std::vector<std::uint8_t> LogicalBlockProtectionBody(const Personality& p) {
  std::vector<std::uint8_t> body;
  for (std::uint8_t method : LbpMethods(p)) {
    body.insert(body.end(), {method, kLbpLength, 0xC0, 0x00});
  }
  return body;
}

}  // namespace

ScsiResult CmdInquiry(DriveState& state, const ScsiCommand& command) {
  const InquiryIdentity id = Identity(state);
  // B0h, sequential-access device capabilities: WORM 1, the drive supports
  // WORM mode (a capability of the drive, whatever the medium: worm.h).
  auto build = [&](std::uint8_t page) {
    if (page == kVpdLogicalBlockProtection) {
      return VpdPage(id.peripheral_type, page, LogicalBlockProtectionBody(*state.personality));
    }
    return VpdPage(id.peripheral_type, page, std::array<std::uint8_t, 2>{0x01, 0x00});
  };
  return Inquiry(command, id, StandardData(id), kDrivePages, build);
}

}  // namespace vtape::ssc
