// The Tape-level helpers of the optional capabilities (partitions.h,
// attributes.h): "not offered" becomes kUnsupported.
#include "vtape/tape.h"

namespace vtape {
namespace {

Status NoAttributes() {
  return Status::Unsupported("this medium has no attribute store (MAM)");
}

}  // namespace

Status FormatPartitions(Tape& tape, std::span<const std::uint64_t> sizes) {
  Partitioned* p = tape.partitions();
  if (p == nullptr) return Status::Unsupported("this medium cannot be partitioned");
  return p->FormatPartitions(sizes);
}

Status ReadMamAttribute(const Tape& tape, std::uint32_t partition, std::uint16_t id,
                        std::vector<std::uint8_t>& value) {
  const AttributeStore* a = tape.attributes();
  return a == nullptr ? NoAttributes() : a->ReadAttribute(partition, id, value);
}

Status WriteMamAttribute(Tape& tape, std::uint32_t partition, std::uint16_t id,
                         std::span<const std::uint8_t> value) {
  AttributeStore* a = tape.attributes();
  return a == nullptr ? NoAttributes() : a->WriteAttribute(partition, id, value);
}

Status ListMamAttributes(const Tape& tape, std::uint32_t partition,
                         std::vector<std::uint16_t>& ids) {
  const AttributeStore* a = tape.attributes();
  return a == nullptr ? NoAttributes() : a->ListAttributes(partition, ids);
}

}  // namespace vtape
