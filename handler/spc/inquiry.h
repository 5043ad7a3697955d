// INQUIRY for any device type (SPC-4 6.4): the standard data and the VPD pages
// every device has (00h supported pages, 80h unit serial number, 83h device
// identification); a device adds its own pages (the drive's B0h).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "handler/spc/scsi.h"

namespace vtape::spc {

inline constexpr std::uint8_t kSequentialAccessDevice = 0x01, kMediumChangerDevice = 0x08;
inline constexpr std::uint8_t kVpdSupportedPages = 0x00, kVpdUnitSerial = 0x80,
                              kVpdDeviceIdentification = 0x83;

struct InquiryIdentity {
  std::uint8_t peripheral_type = 0;  // PERIPHERAL DEVICE TYPE, qualifier 000b
  bool removable = false;            // RMB
  std::string_view vendor;           // T10 vendor (8 chars on the wire, space padded)
  std::string_view product;          // 16 chars
  std::string_view revision;         // 4 chars
  std::string serial;                // VPD 80h, and the T10 vendor ID designator of 83h
};

// The standard INQUIRY data: 56 bytes, VERSION SPC-4, response data format 2.
// Bytes 36-55 (vendor specific, reserved) are zero for the device to fill.
std::vector<std::uint8_t> StandardInquiryData(const InquiryIdentity& id);

// A VPD page: the 4-byte header with a 16-bit page length, then `body`.
std::vector<std::uint8_t> VpdPage(std::uint8_t peripheral_type, std::uint8_t page,
                                  std::span<const std::uint8_t> body);

// Builds a device-specific VPD page (one listed in `device_pages`).
using VpdBuilder = std::function<std::vector<std::uint8_t>(std::uint8_t page)>;

// INQUIRY: `standard` with EVPD=0; with EVPD=1 page 00h (00h, 80h, 83h, then
// `device_pages`), 80h, 83h, or `build(page)` for a page in `device_pages`.
// Any other page, or a page code with EVPD=0, is INVALID FIELD IN CDB byte 2.
ScsiResult Inquiry(const ScsiCommand& command, const InquiryIdentity& id,
                   std::span<const std::uint8_t> standard,
                   std::span<const std::uint8_t> device_pages, const VpdBuilder& build);

}  // namespace vtape::spc
