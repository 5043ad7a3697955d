// READ ATTRIBUTE (8Ch) and WRITE ATTRIBUTE (8Dh), SPC-4 6.17 and 6.38: the
// medium auxiliary memory. Device and medium attributes (mam.h) are computed
// from the medium; host attributes live in the medium's attribute store
// (vtape/attributes.h), per partition.
#include <algorithm>

#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"
#include "handler/ssc/commands.h"
#include "handler/ssc/data_common.h"
#include "handler/ssc/mam.h"
#include "handler/ssc/medium_layout.h"
#include "handler/ssc/volume_change.h"
#include "vtape/media.h"

namespace vtape::ssc {
namespace {

constexpr std::uint64_t kMebibyte = 1 << 20;
constexpr std::uint64_t kMegabyte = 1000 * 1000;
// NOT READY, LOGICAL UNIT NOT READY, AUXILIARY MEMORY NOT ACCESSIBLE: a medium
// without an attribute store has no place for host attributes.
constexpr Asc kAscAuxiliaryMemoryNotAccessible{0x04, 0x10};

constexpr std::uint8_t kValues = 0x00, kList = 0x01, kVolumeList = 0x02, kPartitionList = 0x03,
                       kSupported = 0x05;

std::vector<std::uint8_t> Be(std::size_t width, std::uint64_t value) {
  std::vector<std::uint8_t> v(width, 0);
  PutBe(v, 0, width, value);
  return v;
}

std::vector<std::uint8_t> Padded(std::string_view text, std::size_t width) {
  std::vector<std::uint8_t> v;
  AppendPadded(v, text, width);
  return v;
}

Attribute Computed(std::uint16_t id, std::vector<std::uint8_t> value) {
  const AttributeDef* def = FindAttributeDef(id);
  return {id, def->format, true, std::move(value)};
}

// Host attributes of the host vendor-specific range keep their format as the
// first stored byte (the store holds bytes only).
std::vector<std::uint8_t> StoredForm(const Attribute& a) {
  if (!HostVendorAttribute(a.id) || a.value.empty()) return a.value;
  std::vector<std::uint8_t> v{static_cast<std::uint8_t>(a.format)};
  Append(v, a.value);
  return v;
}

// The host attributes stored for `partition`, ascending; the drive's own
// (load count, volume change reference, capacity proportion) are not among them.
Status StoredAttributes(const Tape& tape, std::uint32_t partition, std::vector<Attribute>& out) {
  std::vector<std::uint16_t> ids;
  VTAPE_RETURN_IF_ERROR(ListMamAttributes(tape, partition, ids));
  for (std::uint16_t id : ids) {
    if (DeviceOwnedAttribute(id) || id >= 0x1800) continue;
    Attribute a;
    a.id = id;
    VTAPE_RETURN_IF_ERROR(ReadMamAttribute(tape, partition, id, a.value));
    if (const AttributeDef* def = FindAttributeDef(id)) {
      a.format = def->format;
    } else if (!a.value.empty()) {
      a.format = static_cast<AttributeFormat>(a.value[0] & 0x03);
      a.value.erase(a.value.begin());
    }
    out.push_back(std::move(a));
  }
  return Status::Ok();
}

// Bytes of host attributes stored on the medium, every partition: what the
// MAM holds besides the drive's own.
std::uint64_t HostAttributeBytes(const Tape& tape, std::uint32_t partitions) {
  std::uint64_t bytes = 0;
  for (std::uint32_t p = 0; p < partitions; ++p) {
    std::vector<Attribute> stored;
    if (!StoredAttributes(tape, p, stored).ok()) continue;
    for (const Attribute& a : stored) bytes += 5 + a.value.size();
  }
  return bytes;
}

// Every attribute available in `partition`, ascending: the computed ones, then
// (interleaved by identifier) the stored host ones.
Status AvailableAttributes(const DriveState& state, std::uint32_t partition,
                           std::vector<Attribute>& out) {
  const Tape& tape = *state.tape;
  MediumInfo info;
  VTAPE_RETURN_IF_ERROR(tape.Stat(info));
  MediumLayout layout;
  VTAPE_RETURN_IF_ERROR(ReadMediumLayout(tape, layout));
  const PartitionInfo& part = layout.partitions.at(partition);
  const std::optional<MediaType> type = FindMediaType(info.media_type);
  const std::uint8_t density = type ? type->density_code : 0;
  const MediumTraffic traffic = TrafficOf(state);
  const std::uint64_t remaining =
      part.capacity_bytes > part.used_bytes ? part.capacity_bytes - part.used_bytes : 0;
  const std::uint64_t host_bytes =
      HostAttributeBytes(tape, std::max<std::uint32_t>(info.partitions, 1));

  out.push_back(Computed(kAttrRemainingCapacity, Be(8, remaining / kMebibyte)));
  out.push_back(Computed(kAttrMaximumCapacity, Be(8, part.capacity_bytes / kMebibyte)));
  if (auto loads = StoredCounter(tape, kAttrLoadCount, 8)) {
    out.push_back(Computed(kAttrLoadCount, Be(8, *loads)));
  }
  out.push_back(Computed(kAttrMamSpaceRemaining,
                         Be(8, kMamCapacityBytes - std::min(host_bytes, kMamCapacityBytes))));
  out.push_back(Computed(kAttrAssigningOrganization, Padded("LTO-CVE", 8)));
  out.push_back(Computed(kAttrFormattedDensityCode, Be(1, density)));
  if (auto reference = StoredCounter(tape, kAttrVolumeChangeReference, 4)) {
    out.push_back(Computed(kAttrVolumeChangeReference, Be(4, *reference)));
  }
  if (traffic.life_written && traffic.life_read) {
    out.push_back(Computed(kAttrMbWrittenInLife, Be(8, *traffic.life_written / kMegabyte)));
    out.push_back(Computed(kAttrMbReadInLife, Be(8, *traffic.life_read / kMegabyte)));
  }
  out.push_back(Computed(kAttrMbWrittenThisLoad, Be(8, traffic.load_written / kMegabyte)));
  out.push_back(Computed(kAttrMbReadThisLoad, Be(8, traffic.load_read / kMegabyte)));
  out.push_back(Computed(kAttrMediumManufacturer, Padded("VTAPE", 8)));
  out.push_back(Computed(kAttrMediumSerial, Padded(info.barcode, 32)));
  out.push_back(Computed(kAttrMediumLength, Be(4, type ? type->length_m : 0)));
  out.push_back(Computed(kAttrMediumWidth, Be(4, 127)));  // 12.7 mm, in tenths
  out.push_back(Computed(kAttrMediumAssigningOrganization, Padded("LTO-CVE", 8)));
  out.push_back(Computed(kAttrMediumDensityCode, Be(1, density)));
  out.push_back(Computed(kAttrMamCapacity, Be(8, kMamCapacityBytes)));
  // SPC-4: 00h data medium, 80h write-once medium.
  out.push_back(Computed(kAttrMediumType, Be(1, type && type->worm ? 0x80 : 0x00)));
  out.push_back(Computed(kAttrMediumTypeInformation, Be(2, 0)));

  if (tape.attributes() != nullptr) {
    VTAPE_RETURN_IF_ERROR(StoredAttributes(tape, partition, out));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Attribute& a, const Attribute& b) { return a.id < b.id; });
  return Status::Ok();
}

// LOGICAL VOLUME NUMBER (byte 5) and PARTITION NUMBER (byte 7) of either command.
std::optional<ScsiResult> CheckVolumeAndPartition(const Tape& tape, const ScsiCommand& cmd,
                                                  std::uint32_t& partition) {
  if (cmd.cdb[5] != 0) return InvalidCdbField(5);
  partition = cmd.cdb[7];
  const std::optional<std::uint32_t> partitions = PartitionCount(tape);
  if (partitions && partition >= *partitions) return InvalidCdbField(7);
  return std::nullopt;
}

}  // namespace

ScsiResult CmdReadAttribute(DriveState& state, const ScsiCommand& cmd) {
  const Tape& tape = *state.tape;
  const std::uint8_t service_action = cmd.cdb[1] & 0x1F;
  const auto first = static_cast<std::uint16_t>(GetBe(cmd.cdb, 8, 2));
  const std::size_t allocation = GetBe(cmd.cdb, 10, 4);
  // CACHE (byte 14 bit 0) may be set: the values always come from the medium.
  std::uint32_t partition = 0;
  if (auto bad = CheckVolumeAndPartition(tape, cmd, partition)) return *bad;

  std::vector<std::uint8_t> d;
  switch (service_action) {
    case kValues:
    case kList: {
      std::vector<Attribute> all;
      if (Status s = AvailableAttributes(state, partition, all); !s.ok()) {
        return SenseForStatus(state, s);
      }
      // ATTRIBUTE VALUES starts at FIRST ATTRIBUTE IDENTIFIER, which must be
      // available (LTFS reads a missing attribute as INVALID FIELD IN CDB).
      auto from = std::find_if(all.begin(), all.end(),
                               [first](const Attribute& a) { return a.id >= first; });
      if (service_action == kValues && (from == all.end() || from->id != first)) {
        return InvalidCdbField(8);
      }
      d.resize(4, 0);
      for (auto it = from; it != all.end(); ++it) {
        if (service_action == kValues) {
          AppendAttribute(d, *it);
          if (it->id == kAttrVolumeChangeReference) NoteVolumeChangeReferenceRead(state);
        } else {
          Append(d, Be(2, it->id));
        }
      }
      PutBe(d, 0, 4, d.size() - 4);
      break;
    }
    case kVolumeList:
      d = {0x00, 0x02, 0x00, 0x01};  // one logical volume, number 0
      break;
    case kPartitionList:
      d = {0x00, 0x02, 0x00, static_cast<std::uint8_t>(PartitionCount(tape).value_or(1))};
      break;
    case kSupported:
      d.resize(4, 0);
      for (const AttributeDef& def : SupportedAttributes()) {
        if (def.id >= first) Append(d, Be(2, def.id));
      }
      PutBe(d, 0, 4, d.size() - 4);
      break;
    default:
      return InvalidCdbField(1, 4);
  }
  return ReturnData(cmd, d, allocation);
}

ScsiResult CmdWriteAttribute(DriveState& state, const ScsiCommand& cmd) {
  Tape& tape = *state.tape;
  // WTC (byte 1 bit 0) may be set: every attribute is durable before GOOD.
  std::uint32_t partition = 0;
  if (auto bad = CheckVolumeAndPartition(tape, cmd, partition)) return *bad;
  const std::size_t length = GetBe(cmd.cdb, 10, 4);
  if (length == 0) return Good();
  if (cmd.data_out.size() < length) return CheckCondition(kIllegalRequest, kAscParameterListLength);
  std::vector<Attribute> attributes;
  if (auto bad = ParseWriteAttributeList(cmd.data_out.first(length), attributes)) return *bad;
  if (tape.attributes() == nullptr) {
    return CheckCondition(kNotReady, kAscAuxiliaryMemoryNotAccessible);
  }
  for (const Attribute& a : attributes) {
    Status s = WriteMamAttribute(tape, partition, a.id, StoredForm(a));
    if (s.code() == Code::kWriteProtected) return CheckCondition(kDataProtect, kAscWriteProtected);
    if (!s.ok()) return SenseForStatus(state, s);
  }
  return Good();
}

}  // namespace vtape::ssc
