#include "handler/ssc/partition_page.h"

#include <algorithm>
#include <limits>

#include "handler/spc/cdb.h"
#include "handler/spc/sense.h"
#include "vtape/partitions.h"

namespace vtape::ssc {
namespace {

using spc::GetBe;
using spc::InvalidParameterField;
using spc::PutBe;

constexpr std::uint8_t kPageCode = 0x11;
constexpr std::uint8_t kFdp = 0x80, kSdp = 0x40, kIdp = 0x20;
constexpr std::uint8_t kPsum11 = 0x18;  // sizes in 10^PARTITION UNITS bytes
constexpr std::uint8_t kPofm = 0x04;    // partitioning happens at FORMAT MEDIUM
constexpr std::uint8_t kFormatAndPartitionRecognition = 0x03;
constexpr std::size_t kFirstSize = 8;

std::uint64_t SaturatingMul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) {
    return std::numeric_limits<std::uint64_t>::max();
  }
  return a * b;
}

std::uint64_t PowerOfTen(std::uint8_t exponent) {
  std::uint64_t v = 1;
  for (std::uint8_t i = 0; i < exponent; ++i) v = SaturatingMul(v, 10);
  return v;
}

// The unit a MODE SELECT size counts in: PSUM 00b bytes, 01b kilobytes,
// 10b megabytes, 11b 10^PARTITION UNITS bytes.
std::uint64_t SizeUnit(std::uint8_t psum, std::uint8_t units) {
  switch (psum) {
    case 0:
      return 1;
    case 1:
      return 1000;
    case 2:
      return 1000 * 1000;
    default:
      return PowerOfTen(units);
  }
}

// The smallest power of ten in which every size fits a 16-bit field below
// FFFFh (which means "the rest"), and the fields. kRest sizes become FFFFh.
void EncodeSizes(std::span<const std::uint64_t> sizes, std::uint8_t& units,
                 std::vector<std::uint16_t>& fields) {
  std::uint64_t largest = 0;
  for (std::uint64_t s : sizes) largest = std::max(largest, s);
  units = 0;
  while (largest / PowerOfTen(units) >= kPartitionSizeRest && units < 15) ++units;
  fields.clear();
  for (std::uint64_t s : sizes) {
    fields.push_back(s == PartitionRequest::kRest
                         ? kPartitionSizeRest
                         : static_cast<std::uint16_t>(s / PowerOfTen(units)));
  }
}

}  // namespace

std::vector<std::uint8_t> BuildPartitionPage(const PartitionPageInputs& in, bool changeable) {
  const std::uint32_t descriptors = std::clamp<std::uint32_t>(in.max_partitions, 1, 4);
  std::vector<std::uint8_t> d(kFirstSize + 2 * static_cast<std::size_t>(descriptors), 0);
  d[0] = kPageCode;
  d[1] = static_cast<std::uint8_t>(d.size() - 2);
  if (changeable) {
    if (descriptors > 1) d[3] = 0xFF;
    d[4] = kFdp | kSdp | kIdp | kPsum11;
    d[6] = 0x0F;
    for (std::size_t at = kFirstSize; at < d.size(); ++at) d[at] = 0xFF;
    return d;
  }
  d[2] = static_cast<std::uint8_t>(descriptors - 1);
  d[5] = kFormatAndPartitionRecognition;

  std::uint32_t partitions = std::max<std::size_t>(in.sizes.size(), 1);
  std::uint8_t kind_bit = partitions > 1 ? kIdp : 0;
  std::uint8_t units = 0;
  std::vector<std::uint16_t> fields;
  if (in.pending != nullptr) {
    const PartitionRequest& r = *in.pending;
    partitions = r.partitions;
    kind_bit = r.kind == PartitionRequest::Kind::kFixed    ? kFdp
               : r.kind == PartitionRequest::Kind::kSelect ? kSdp
                                                           : kIdp;
    units = r.units;
    fields = r.fields;
    if (fields.empty() && !r.sizes.empty()) EncodeSizes(r.sizes, units, fields);
  } else {
    EncodeSizes(in.sizes, units, fields);
  }
  d[3] = static_cast<std::uint8_t>(std::min(partitions, descriptors) - 1);
  d[4] = kind_bit | kPsum11 | kPofm;
  d[6] = units;
  for (std::size_t i = 0; i < fields.size() && i < descriptors; ++i) {
    PutBe(d, kFirstSize + 2 * i, 2, fields[i]);
  }
  return d;
}

std::optional<spc::ScsiResult> ParsePartitionPage(std::span<const std::uint8_t> page,
                                                  std::size_t offset, std::uint32_t max_partitions,
                                                  std::uint64_t capacity,
                                                  std::optional<PartitionRequest>& request) {
  auto field = [offset](std::size_t at) { return static_cast<std::uint16_t>(offset + at); };
  request.reset();
  const std::uint32_t partitions = page[3] + 1u;
  if (partitions > max_partitions) return InvalidParameterField(field(3));
  const std::uint8_t flags = page[4];
  const int kinds = ((flags & kFdp) ? 1 : 0) + ((flags & kSdp) ? 1 : 0) + ((flags & kIdp) ? 1 : 0);
  if (kinds > 1) return InvalidParameterField(field(4));
  if (kinds == 0) return std::nullopt;  // no new layout asked for

  PartitionRequest r;
  r.partitions = partitions;
  r.kind = (flags & kFdp)   ? PartitionRequest::Kind::kFixed
           : (flags & kSdp) ? PartitionRequest::Kind::kSelect
                            : PartitionRequest::Kind::kInitiator;
  if (r.kind == PartitionRequest::Kind::kInitiator) {
    const std::uint8_t psum = (flags >> 3) & 0x03;
    const std::uint8_t units = page[6] & 0x0F;
    const std::uint64_t unit = SizeUnit(psum, units);
    std::uint64_t fixed = 0;
    bool rest_seen = false;
    for (std::uint32_t i = 0; i < partitions; ++i) {
      const std::size_t at = kFirstSize + 2 * i;
      if (at + 2 > page.size()) return InvalidParameterField(field(1));
      const auto size = static_cast<std::uint16_t>(GetBe(page, at, 2));
      if (size == 0) return InvalidParameterField(field(at));
      if (size == kPartitionSizeRest) {
        if (rest_seen) return InvalidParameterField(field(at));
        rest_seen = true;
        r.sizes.push_back(PartitionRequest::kRest);
      } else {
        const std::uint64_t bytes = SaturatingMul(size, unit);
        fixed = std::min(fixed + bytes, std::numeric_limits<std::uint64_t>::max() - 1);
        // The rest must keep at least a byte.
        if (fixed > capacity || (rest_seen && fixed >= capacity)) {
          return InvalidParameterField(field(at));
        }
        r.sizes.push_back(bytes);
      }
      r.fields.push_back(size);
    }
    if (rest_seen && fixed >= capacity) return InvalidParameterField(field(kFirstSize));
    if (psum == 3) {
      r.units = units;
    } else {
      r.fields.clear();  // shown back in PSUM 11b, re-encoded from the bytes
    }
  }
  request = std::move(r);
  return std::nullopt;
}

std::vector<std::uint64_t> ResolvePartitionSizes(const PartitionRequest& request,
                                                 std::uint64_t capacity) {
  std::vector<std::uint64_t> out;
  if (request.kind != PartitionRequest::Kind::kInitiator) {
    const std::uint64_t share = capacity / request.partitions;
    if (share == 0) return {};
    out.assign(request.partitions, share);
    out.back() += capacity - share * request.partitions;
    return out;
  }
  const auto count = static_cast<std::uint32_t>(request.sizes.size());
  if (!vtape::ResolvePartitionSizes(request.sizes, capacity, count, "", out).ok()) return {};
  return out;
}

}  // namespace vtape::ssc
