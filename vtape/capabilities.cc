// The Tape-level helpers of the optional capabilities (partitions.h,
// attributes.h): "not offered" becomes kUnsupported.
#include "vtape/tape.h"

namespace vtape {
namespace {

Status NoAttributes() {
  return Status::Unsupported("this medium has no attribute store (MAM)");
}

}  // namespace

Status ResolvePartitionSizes(std::span<const std::uint64_t> sizes, std::uint64_t capacity_bytes,
                             std::uint32_t most, const std::string& media_type,
                             std::vector<std::uint64_t>& bytes) {
  if (sizes.empty() || sizes.size() > most) {
    return Status::InvalidArgument("a " + media_type + " medium holds 1 to " +
                                   std::to_string(most) + " partitions, not " +
                                   std::to_string(sizes.size()));
  }
  std::uint64_t fixed = 0;  // never above capacity_bytes, so no sum overflows
  std::size_t rests = 0;
  bool too_big = false;
  for (std::uint64_t size : sizes) {
    if (size == 0) {
      ++rests;
    } else if (size > capacity_bytes - fixed) {
      too_big = true;
    } else {
      fixed += size;
    }
  }
  if (rests > 1) return Status::InvalidArgument("only one partition may have size 0 (the rest)");
  if (too_big || (rests == 1 && fixed == capacity_bytes)) {
    return Status::InvalidArgument("partition sizes exceed the medium's capacity of " +
                                   std::to_string(capacity_bytes) + " bytes");
  }
  bytes.assign(sizes.begin(), sizes.end());
  for (std::uint64_t& size : bytes) {
    if (size == 0) size = capacity_bytes - fixed;
  }
  return Status::Ok();
}

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
