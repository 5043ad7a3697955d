// INQUIRY: the standard data st keys on (peripheral type 01h, SPC-4) and the
// VPD pages 00h, 80h, 83h and B0h.
#include <array>
#include <cstdio>

#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"
#include "handler/ssc/commands.h"
#include "handler/ssc/identity.h"

namespace vtape::ssc {

std::uint64_t Fnv1a64(std::string_view text) {
  std::uint64_t hash = 0xCBF29CE484222325ull;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001B3ull;
  }
  return hash;
}

std::string UnitSerial(const DriveConfig& config) {
  if (!config.serial.empty()) return config.serial;
  std::array<char, 16> text{};
  unsigned long long low40 = Fnv1a64(config.medium_name) & 0xFFFFFFFFFFull;
  std::snprintf(text.data(), text.size(), "%010llX", low40);
  return std::string(text.data(), 10);
}

std::uint64_t NaaName(std::string_view serial) {
  return (std::uint64_t{3} << 60) | (Fnv1a64(serial) & 0x0FFFFFFFFFFFFFFFull);
}

namespace {

constexpr std::uint8_t kSequentialAccess = 0x01;
constexpr std::uint8_t kVpdSupported = 0x00, kVpdSerial = 0x80, kVpdDeviceId = 0x83,
                       kVpdSequentialCapabilities = 0xB0;
// Where IBM LTO drives put the serial in the vendor-specific bytes of the
// standard data: bytes 38-49, right-justified with leading zeros.
constexpr std::size_t kSerialOffset = 38, kSerialWidth = 12;
constexpr std::size_t kStandardLength = 56;

std::vector<std::uint8_t> StandardData(const DriveState& state) {
  const Personality& p = *state.personality;
  std::vector<std::uint8_t> d = {kSequentialAccess,
                                 0x80,  // RMB: the medium is removable
                                 0x06,  // VERSION: SPC-4
                                 0x02,  // response data format 2
                                 kStandardLength - 5,
                                 0x00,
                                 0x00,
                                 0x00};
  AppendPadded(d, p.vendor, 8);
  AppendPadded(d, p.product, 16);
  AppendPadded(d, p.revision, 4);
  d.resize(kStandardLength, 0);
  std::string serial = UnitSerial(state.config);
  if (serial.size() > kSerialWidth) serial.resize(kSerialWidth);  // VPD 80h has it whole
  std::size_t pad = kSerialWidth - serial.size();
  for (std::size_t i = 0; i < kSerialWidth; ++i) {
    d[kSerialOffset + i] = i < pad ? '0' : static_cast<std::uint8_t>(serial[i - pad]);
  }
  return d;
}

// A VPD page: the 4-byte header with a 16-bit page length, then `body`.
std::vector<std::uint8_t> VpdPage(std::uint8_t page, const std::vector<std::uint8_t>& body) {
  std::vector<std::uint8_t> d = {kSequentialAccess, page, 0, 0};
  PutBe(d, 2, 2, body.size());
  Append(d, body);
  return d;
}

std::vector<std::uint8_t> DeviceIdentification(const DriveState& state) {
  std::string serial = UnitSerial(state.config);
  std::vector<std::uint8_t> body = {0x01,  // code set: binary
                                    0x03,  // association: logical unit; type: NAA
                                    0x00, 8, 0, 0, 0, 0, 0, 0, 0, 0};
  PutBe(body, 4, 8, NaaName(serial));
  // The designator length is one byte: a (pathologically) long serial is cut.
  std::string_view t10_serial = std::string_view(serial).substr(0, 255 - 8 - 16);
  std::size_t t10_length = 8 + 16 + t10_serial.size();
  body.push_back(0x02);  // code set: ASCII
  body.push_back(0x01);  // association: logical unit; type: T10 vendor ID
  body.push_back(0x00);
  body.push_back(static_cast<std::uint8_t>(t10_length));
  AppendPadded(body, state.personality->vendor, 8);
  AppendPadded(body, state.personality->product, 16);
  AppendPadded(body, t10_serial, t10_serial.size());
  return VpdPage(kVpdDeviceId, body);
}

}  // namespace

ScsiResult CmdInquiry(DriveState& state, const ScsiCommand& command) {
  const bool evpd = command.cdb[1] & 0x01;
  const std::uint8_t page = command.cdb[2];
  const std::size_t allocation = GetBe(command.cdb, 3, 2);
  if (!evpd) {
    if (page != 0) return InvalidCdbField(2);
    return ReturnData(command, StandardData(state), allocation);
  }
  std::vector<std::uint8_t> response;
  switch (page) {
    case kVpdSupported:
      response =
          VpdPage(page, {kVpdSupported, kVpdSerial, kVpdDeviceId, kVpdSequentialCapabilities});
      break;
    case kVpdSerial: {
      std::string serial = UnitSerial(state.config);
      // A serial longer than the one-byte-era limit still fits the 16-bit length.
      response = VpdPage(page, std::vector<std::uint8_t>(serial.begin(), serial.end()));
      break;
    }
    case kVpdDeviceId:
      response = DeviceIdentification(state);
      break;
    case kVpdSequentialCapabilities:
      response = VpdPage(page, {0x00,  // WORM 0: the medium is rewritable
                                0x00});
      break;
    default:
      return InvalidCdbField(2);
  }
  return ReturnData(command, response, allocation);
}

}  // namespace vtape::ssc
