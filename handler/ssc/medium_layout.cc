#include "handler/ssc/medium_layout.h"

#include <algorithm>
#include <array>

namespace vtape::ssc {

Status ReadMediumLayout(const Tape& tape, MediumLayout& layout) {
  MediumInfo info;
  VTAPE_RETURN_IF_ERROR(tape.Stat(info));
  layout = MediumLayout{};
  layout.capacity_bytes = info.capacity_bytes;
  const Partitioned* parts = tape.partitions();
  if (parts == nullptr) {
    PartitionInfo only;
    only.capacity_bytes = info.capacity_bytes;
    only.early_warning_bytes = info.early_warning_bytes;
    only.used_bytes = info.used_bytes;
    only.records = info.records;
    only.filemarks = info.filemarks;
    only.eod_object = info.records + info.filemarks;
    layout.partitions.push_back(only);
    return Status::Ok();
  }
  layout.max_partitions = parts->MaxPartitions();
  std::uint64_t fixed = 0;
  for (std::uint32_t p = 0; p < std::max<std::uint32_t>(info.partitions, 1); ++p) {
    PartitionInfo pi;
    VTAPE_RETURN_IF_ERROR(parts->GetPartitionInfo(p, pi));
    fixed += pi.capacity_bytes;
    layout.partitions.push_back(pi);
  }
  // A capacity of 0 is "to the medium's end": what the others leave.
  for (PartitionInfo& pi : layout.partitions) {
    if (pi.capacity_bytes == 0) {
      pi.capacity_bytes = info.capacity_bytes > fixed ? info.capacity_bytes - fixed : 0;
    }
  }
  return Status::Ok();
}

std::uint16_t CapacityProportion(const Tape& tape) {
  std::vector<std::uint8_t> value;
  if (!ReadMamAttribute(tape, 0, kCapacityProportionAttribute, value).ok() || value.size() != 2) {
    return 0xFFFF;
  }
  return static_cast<std::uint16_t>((value[0] << 8) | value[1]);
}

Status SetCapacityProportion(Tape& tape, std::uint16_t proportion) {
  if (tape.attributes() == nullptr) return Status::Ok();  // nowhere to keep it: the layout shows it
  const std::array<std::uint8_t, 2> value{static_cast<std::uint8_t>(proportion >> 8),
                                          static_cast<std::uint8_t>(proportion)};
  return WriteMamAttribute(tape, 0, kCapacityProportionAttribute, value);
}

std::uint64_t ScaledCapacity(const Tape& tape, std::uint64_t nominal_bytes) {
  const std::uint64_t proportion = CapacityProportion(tape);
  if (proportion == 0xFFFF) return nominal_bytes;
  // nominal * proportion / FFFFh, exact and without overflow.
  return nominal_bytes / 0xFFFF * proportion + nominal_bytes % 0xFFFF * proportion / 0xFFFF;
}

}  // namespace vtape::ssc
