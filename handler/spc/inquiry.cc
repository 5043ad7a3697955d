#include "handler/spc/inquiry.h"

#include <algorithm>

#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"
#include "handler/spc/identity.h"

namespace vtape::spc {

std::uint64_t Fnv1a64(std::string_view text) {
  std::uint64_t hash = 0xCBF29CE484222325ull;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001B3ull;
  }
  return hash;
}

std::uint64_t NaaName(std::string_view serial) {
  return (std::uint64_t{3} << 60) | (Fnv1a64(serial) & 0x0FFFFFFFFFFFFFFFull);
}

namespace {

constexpr std::size_t kStandardLength = 56;

std::vector<std::uint8_t> DeviceIdentification(const InquiryIdentity& id) {
  std::vector<std::uint8_t> body = {0x01,  // code set: binary
                                    0x03,  // association: logical unit; type: NAA
                                    0x00, 8, 0, 0, 0, 0, 0, 0, 0, 0};
  PutBe(body, 4, 8, NaaName(id.serial));
  // The designator length is one byte: a (pathologically) long serial is cut.
  std::string_view t10_serial = std::string_view(id.serial).substr(0, 255 - 8 - 16);
  std::size_t t10_length = 8 + 16 + t10_serial.size();
  body.push_back(0x02);  // code set: ASCII
  body.push_back(0x01);  // association: logical unit; type: T10 vendor ID
  body.push_back(0x00);
  body.push_back(static_cast<std::uint8_t>(t10_length));
  AppendPadded(body, id.vendor, 8);
  AppendPadded(body, id.product, 16);
  AppendPadded(body, t10_serial, t10_serial.size());
  return VpdPage(id.peripheral_type, kVpdDeviceIdentification, body);
}

}  // namespace

std::vector<std::uint8_t> StandardInquiryData(const InquiryIdentity& id) {
  std::vector<std::uint8_t> d = {id.peripheral_type,
                                 static_cast<std::uint8_t>(id.removable ? 0x80 : 0x00),
                                 0x06,  // VERSION: SPC-4
                                 0x02,  // response data format 2
                                 kStandardLength - 5,
                                 0x00,
                                 0x00,
                                 0x00};
  AppendPadded(d, id.vendor, 8);
  AppendPadded(d, id.product, 16);
  AppendPadded(d, id.revision, 4);
  d.resize(kStandardLength, 0);
  return d;
}

std::vector<std::uint8_t> VpdPage(std::uint8_t peripheral_type, std::uint8_t page,
                                  std::span<const std::uint8_t> body) {
  std::vector<std::uint8_t> d = {peripheral_type, page, 0, 0};
  PutBe(d, 2, 2, body.size());
  Append(d, body);
  return d;
}

ScsiResult Inquiry(const ScsiCommand& command, const InquiryIdentity& id,
                   std::span<const std::uint8_t> standard,
                   std::span<const std::uint8_t> device_pages, const VpdBuilder& build) {
  const bool evpd = command.cdb[1] & 0x01;
  const std::uint8_t page = command.cdb[2];
  const std::size_t allocation = GetBe(command.cdb, 3, 2);
  if (!evpd) {
    if (page != 0) return InvalidCdbField(2);
    return ReturnData(command, standard, allocation);
  }
  std::vector<std::uint8_t> response;
  if (page == kVpdSupportedPages) {
    std::vector<std::uint8_t> list = {kVpdSupportedPages, kVpdUnitSerial, kVpdDeviceIdentification};
    Append(list, device_pages);
    response = VpdPage(id.peripheral_type, page, list);
  } else if (page == kVpdUnitSerial) {
    // A serial longer than the one-byte-era limit still fits the 16-bit length.
    std::vector<std::uint8_t> serial(id.serial.begin(), id.serial.end());
    response = VpdPage(id.peripheral_type, page, serial);
  } else if (page == kVpdDeviceIdentification) {
    response = DeviceIdentification(id);
  } else if (std::find(device_pages.begin(), device_pages.end(), page) != device_pages.end()) {
    response = build(page);
  } else {
    return InvalidCdbField(2);
  }
  return ReturnData(command, response, allocation);
}

}  // namespace vtape::spc
