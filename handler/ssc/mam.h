// Medium auxiliary memory attributes (SPC-4 7.4) as READ ATTRIBUTE returns
// them and WRITE ATTRIBUTE sends them: the attributes the drive knows, the
// 5-byte attribute header, and the check of a WRITE ATTRIBUTE parameter list.
// Pure encoding; cmd_attribute.cc computes the values and talks to the medium.
//
// Identifier ranges (SPC-4 table 7.4.2): 0000h-03FFh device, 0400h-07FFh
// medium (both read only, computed by the drive), 0800h-0BFFh host (what the
// application writes), 0C00h-0FFFh device vendor specific and 1000h-13FFh
// medium vendor specific (read only), 1400h-17FFh host vendor specific (any
// format and length, e.g. LTFS's 1623h), 1800h-FFFFh reserved.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "handler/spc/scsi.h"

namespace vtape::ssc {

enum class AttributeFormat : std::uint8_t { kBinary = 0, kAscii = 1, kText = 2 };

struct AttributeDef {
  std::uint16_t id;
  AttributeFormat format;
  std::uint16_t length;  // the value's exact length; 0 = variable, up to kMaxAttributeBytes
  bool read_only;
  std::string_view name;
};

// The longest value a variable-length or host vendor-specific attribute may
// hold (the drive reports a MAM capacity of kMamCapacityBytes).
inline constexpr std::uint16_t kMaxAttributeBytes = 1024;
inline constexpr std::uint64_t kMamCapacityBytes = 16 * 1024;

// Identifiers the drive computes or stores itself.
inline constexpr std::uint16_t kAttrRemainingCapacity = 0x0000, kAttrMaximumCapacity = 0x0001,
                               kAttrLoadCount = 0x0003, kAttrMamSpaceRemaining = 0x0004,
                               kAttrAssigningOrganization = 0x0005,
                               kAttrFormattedDensityCode = 0x0006,
                               kAttrVolumeChangeReference = 0x0009, kAttrMbWrittenInLife = 0x0220,
                               kAttrMbReadInLife = 0x0221, kAttrMbWrittenThisLoad = 0x0222,
                               kAttrMbReadThisLoad = 0x0223, kAttrMediumManufacturer = 0x0400,
                               kAttrMediumSerial = 0x0401, kAttrMediumLength = 0x0402,
                               kAttrMediumWidth = 0x0403, kAttrMediumAssigningOrganization = 0x0404,
                               kAttrMediumDensityCode = 0x0405, kAttrMamCapacity = 0x0407,
                               kAttrMediumType = 0x0408, kAttrMediumTypeInformation = 0x0409,
                               kAttrVolumeCoherency = 0x080C;

// Every attribute the drive knows (READ ATTRIBUTE service action 05h), ascending.
std::span<const AttributeDef> SupportedAttributes();
const AttributeDef* FindAttributeDef(std::uint16_t id);

// True for identifiers in the device and medium ranges and their vendor ones:
// the drive's, which WRITE ATTRIBUTE may not change.
bool DeviceOwnedAttribute(std::uint16_t id);
// True for 1400h-17FFh.
bool HostVendorAttribute(std::uint16_t id);

struct Attribute {
  std::uint16_t id = 0;
  AttributeFormat format = AttributeFormat::kBinary;
  bool read_only = false;
  std::vector<std::uint8_t> value;
};

// Appends `a` as READ ATTRIBUTE returns it: identifier, READ ONLY and FORMAT,
// length, value.
void AppendAttribute(std::vector<std::uint8_t>& out, const Attribute& a);

// The attributes of a WRITE ATTRIBUTE parameter list (`list` = the whole list,
// the 4-byte PARAMETER DATA LENGTH first). Everything is checked before
// anything may be written: nullopt with `out` filled, or the answer —
// PARAMETER LIST LENGTH ERROR for a list cut short, INVALID FIELD IN
// PARAMETER LIST pointing at the identifier of a read-only, unknown, reserved
// or out-of-order attribute, at the format byte of a wrong format, at the
// length of a wrong length. A length of 0 deletes the attribute.
//
// PARAMETER DATA LENGTH counts the bytes after itself (SPC-4); LTFS, as IBM
// drives accept, counts itself too. Both are taken: attributes are read up to
// the smaller of the list's end and 4 + PARAMETER DATA LENGTH.
std::optional<spc::ScsiResult> ParseWriteAttributeList(std::span<const std::uint8_t> list,
                                                       std::vector<Attribute>& out);

}  // namespace vtape::ssc
