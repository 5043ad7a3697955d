#include "handler/ssc/mam.h"

#include <algorithm>
#include <array>

#include "handler/spc/cdb.h"
#include "handler/spc/sense.h"

namespace vtape::ssc {
namespace {

using F = AttributeFormat;
using spc::GetBe;
using spc::InvalidParameterField;

// clang-format off
constexpr std::array<AttributeDef, 33> kAttributes{{
    {0x0000, F::kBinary, 8,   true,  "REMAINING CAPACITY IN PARTITION (MiB)"},
    {0x0001, F::kBinary, 8,   true,  "MAXIMUM CAPACITY IN PARTITION (MiB)"},
    {0x0003, F::kBinary, 8,   true,  "LOAD COUNT"},
    {0x0004, F::kBinary, 8,   true,  "MAM SPACE REMAINING"},
    {0x0005, F::kAscii,  8,   true,  "ASSIGNING ORGANIZATION"},
    {0x0006, F::kBinary, 1,   true,  "FORMATTED DENSITY CODE"},
    {0x0009, F::kBinary, 4,   true,  "VOLUME CHANGE REFERENCE"},
    {0x0220, F::kBinary, 8,   true,  "TOTAL MBYTES WRITTEN IN MEDIUM LIFE"},
    {0x0221, F::kBinary, 8,   true,  "TOTAL MBYTES READ IN MEDIUM LIFE"},
    {0x0222, F::kBinary, 8,   true,  "TOTAL MBYTES WRITTEN IN CURRENT/LAST LOAD"},
    {0x0223, F::kBinary, 8,   true,  "TOTAL MBYTES READ IN CURRENT/LAST LOAD"},
    {0x0400, F::kAscii,  8,   true,  "MEDIUM MANUFACTURER"},
    {0x0401, F::kAscii,  32,  true,  "MEDIUM SERIAL NUMBER"},
    {0x0402, F::kBinary, 4,   true,  "MEDIUM LENGTH"},
    {0x0403, F::kBinary, 4,   true,  "MEDIUM WIDTH"},
    {0x0404, F::kAscii,  8,   true,  "ASSIGNING ORGANIZATION"},
    {0x0405, F::kBinary, 1,   true,  "MEDIUM DENSITY CODE"},
    {0x0407, F::kBinary, 8,   true,  "MAM CAPACITY"},
    {0x0408, F::kBinary, 1,   true,  "MEDIUM TYPE"},
    {0x0409, F::kBinary, 2,   true,  "MEDIUM TYPE INFORMATION"},
    {0x0800, F::kAscii,  8,   false, "APPLICATION VENDOR"},
    {0x0801, F::kAscii,  32,  false, "APPLICATION NAME"},
    {0x0802, F::kAscii,  8,   false, "APPLICATION VERSION"},
    {0x0803, F::kText,   160, false, "USER MEDIUM TEXT LABEL"},
    {0x0804, F::kAscii,  12,  false, "DATE AND TIME LAST WRITTEN"},
    {0x0805, F::kBinary, 1,   false, "TEXT LOCALIZATION IDENTIFIER"},
    {0x0806, F::kAscii,  32,  false, "BARCODE"},
    {0x0807, F::kText,   80,  false, "OWNING HOST TEXTUAL NAME"},
    {0x0808, F::kText,   160, false, "MEDIA POOL"},
    {0x0809, F::kAscii,  16,  false, "PARTITION USER TEXT LABEL"},
    {0x080A, F::kBinary, 1,   false, "LOAD/UNLOAD AT PARTITION"},
    {0x080B, F::kAscii,  16,  false, "APPLICATION FORMAT VERSION"},
    {0x080C, F::kBinary, 0,   false, "VOLUME COHERENCY INFORMATION"},
}};
// clang-format on

constexpr std::size_t kHeader = 5;

}  // namespace

std::span<const AttributeDef> SupportedAttributes() {
  return kAttributes;
}

const AttributeDef* FindAttributeDef(std::uint16_t id) {
  auto it = std::lower_bound(kAttributes.begin(), kAttributes.end(), id,
                             [](const AttributeDef& d, std::uint16_t v) { return d.id < v; });
  return it != kAttributes.end() && it->id == id ? &*it : nullptr;
}

bool DeviceOwnedAttribute(std::uint16_t id) {
  return id < 0x0800 || (id >= 0x0C00 && id < 0x1400);
}

bool HostVendorAttribute(std::uint16_t id) {
  return id >= 0x1400 && id < 0x1800;
}

void AppendAttribute(std::vector<std::uint8_t>& out, const Attribute& a) {
  const std::size_t at = out.size();
  out.resize(at + kHeader + a.value.size());
  spc::PutBe(out, at, 2, a.id);
  out[at + 2] = static_cast<std::uint8_t>((a.read_only ? 0x80 : 0) | static_cast<int>(a.format));
  spc::PutBe(out, at + 3, 2, a.value.size());
  std::copy(a.value.begin(), a.value.end(), out.begin() + static_cast<long>(at + kHeader));
}

std::optional<spc::ScsiResult> ParseWriteAttributeList(std::span<const std::uint8_t> list,
                                                       std::vector<Attribute>& out) {
  out.clear();
  if (list.size() < 4)
    return spc::CheckCondition(spc::kIllegalRequest, spc::kAscParameterListLength);
  const std::uint64_t data_length = GetBe(list, 0, 4);
  if (data_length > list.size()) {
    return spc::CheckCondition(spc::kIllegalRequest, spc::kAscParameterListLength);
  }
  const std::size_t end = std::min<std::uint64_t>(list.size(), 4 + data_length);
  std::size_t at = 4;
  while (at < end) {
    if (at + kHeader > end) {
      return spc::CheckCondition(spc::kIllegalRequest, spc::kAscParameterListLength);
    }
    const auto id = static_cast<std::uint16_t>(GetBe(list, at, 2));
    const std::uint8_t format = list[at + 2] & 0x03;
    const auto length = static_cast<std::size_t>(GetBe(list, at + 3, 2));
    if (at + kHeader + length > end) {
      return spc::CheckCondition(spc::kIllegalRequest, spc::kAscParameterListLength);
    }
    const auto field = [&](std::size_t offset) { return static_cast<std::uint16_t>(at + offset); };
    if (!out.empty() && id <= out.back().id) return InvalidParameterField(field(0));
    const AttributeDef* def = FindAttributeDef(id);
    if (DeviceOwnedAttribute(id) || id >= 0x1800 || (!HostVendorAttribute(id) && def == nullptr)) {
      return InvalidParameterField(field(0));
    }
    if (format == 3) return InvalidParameterField(field(2), 1);
    if (def != nullptr && format != static_cast<std::uint8_t>(def->format)) {
      return InvalidParameterField(field(2), 1);
    }
    const std::size_t wanted = def != nullptr ? def->length : 0;
    if (length != 0 && (wanted != 0 ? length != wanted : length > kMaxAttributeBytes)) {
      return InvalidParameterField(field(3));
    }
    Attribute a;
    a.id = id;
    a.format = static_cast<AttributeFormat>(format);
    a.value.assign(list.begin() + static_cast<long>(at + kHeader),
                   list.begin() + static_cast<long>(at + kHeader + length));
    out.push_back(std::move(a));
    at += kHeader + length;
  }
  return std::nullopt;
}

}  // namespace vtape::ssc
