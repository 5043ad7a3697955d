// The pure encoders and decoders behind page 11h and WRITE ATTRIBUTE
// (partition_page.h, mam.h): the cases the CDB-level tests do not reach.
#include <gtest/gtest.h>

#include "handler/ssc/mam.h"
#include "handler/ssc/partition_page.h"
#include "sense_bytes.h"

namespace vtape::ssc::testing {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes Sense(const spc::ScsiResult& r) {
  return {r.sense.begin(), r.sense.begin() + static_cast<long>(r.sense_len)};
}

// Page 11h with IDP, PSUM 11b, POFM, `units`, and `sizes` (4 descriptors).
Bytes IdpPage(std::uint8_t additional, std::uint8_t units, std::vector<std::uint16_t> sizes) {
  Bytes p{0x11, 0x0E, 3, additional, 0x3C, 0x03, units, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    p[8 + 2 * i] = static_cast<std::uint8_t>(sizes[i] >> 8);
    p[9 + 2 * i] = static_cast<std::uint8_t>(sizes[i]);
  }
  return p;
}

TEST(PartitionPageCodec, HugeUnitsSaturateAndAreRefused) {
  std::optional<PartitionRequest> r;
  // 65534 x 10^15 bytes overflows 64 bits: beyond any capacity, not a wrap.
  auto bad = ParsePartitionPage(IdpPage(1, 15, {0xFFFE, 0xFFFF}), 100, 4, 1000, r);
  ASSERT_TRUE(bad);
  EXPECT_EQ(Sense(*bad), InvalidParamSense(108));
  EXPECT_FALSE(r);
}

TEST(PartitionPageCodec, RestMustKeepSomething) {
  std::optional<PartitionRequest> r;
  auto bad = ParsePartitionPage(IdpPage(1, 0, {1000, 0xFFFF}), 0, 4, 1000, r);
  ASSERT_TRUE(bad);
  EXPECT_EQ(Sense(*bad), InvalidParamSense(8));
  EXPECT_FALSE(ParsePartitionPage(IdpPage(1, 0, {999, 0xFFFF}), 0, 4, 1000, r));
  ASSERT_TRUE(r);
  EXPECT_EQ(ResolvePartitionSizes(*r, 1000), (std::vector<std::uint64_t>{999, 1}));
  // A capacity that shrank since (SET CAPACITY) no longer fits.
  EXPECT_TRUE(ResolvePartitionSizes(*r, 999).empty());
}

TEST(PartitionPageCodec, NoKindBitKeepsTheLayout) {
  Bytes page = IdpPage(1, 0, {1, 2});
  page[4] = 0x1C;  // neither FDP, SDP nor IDP
  std::optional<PartitionRequest> r;
  EXPECT_FALSE(ParsePartitionPage(page, 0, 4, 1000, r));
  EXPECT_FALSE(r);
}

TEST(PartitionPageCodec, DeviceChosenSharesGiveTheRemainderToTheLast) {
  PartitionRequest r;
  r.kind = PartitionRequest::Kind::kFixed;
  r.partitions = 3;
  EXPECT_EQ(ResolvePartitionSizes(r, 1000), (std::vector<std::uint64_t>{333, 333, 334}));
  EXPECT_TRUE(ResolvePartitionSizes(r, 2).empty());
}

TEST(PartitionPageCodec, ExactFixedSizesWithoutRest) {
  std::optional<PartitionRequest> r;
  EXPECT_FALSE(ParsePartitionPage(IdpPage(2, 1, {10, 20, 30}), 0, 4, 1000, r));
  ASSERT_TRUE(r);
  EXPECT_EQ(ResolvePartitionSizes(*r, 1000), (std::vector<std::uint64_t>{100, 200, 300}));
  // Shown back as sent.
  PartitionPageInputs in;
  in.max_partitions = 4;
  in.sizes = {1000};
  in.pending = &*r;
  EXPECT_EQ(BuildPartitionPage(in, false), IdpPage(2, 1, {10, 20, 30}));
}

TEST(WriteAttributeCodec, HostVendorAttributesTakeAnyFormatButReserved) {
  std::vector<Attribute> out;
  Bytes list{0, 0, 0, 8, 0x14, 0x00, 0x02, 0x00, 0x03, 'a', 'b', 'c'};
  list[3] = 8;
  EXPECT_FALSE(ParseWriteAttributeList(list, out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].format, AttributeFormat::kText);
  list[6] = 0x03;  // format 11b is reserved
  auto bad = ParseWriteAttributeList(list, out);
  ASSERT_TRUE(bad);
  EXPECT_EQ(Sense(*bad), InvalidParamSense(6, 1));
  // Variable-length 080Ch up to the limit.
  Bytes big(4 + 5 + kMaxAttributeBytes + 1, 0);
  big[3] = 0;
  big[2] = static_cast<std::uint8_t>((5 + kMaxAttributeBytes + 1) >> 8);
  big[3] = static_cast<std::uint8_t>(5 + kMaxAttributeBytes + 1);
  big[4] = 0x08;
  big[5] = 0x0C;
  big[7] = static_cast<std::uint8_t>((kMaxAttributeBytes + 1) >> 8);
  big[8] = static_cast<std::uint8_t>(kMaxAttributeBytes + 1);
  bad = ParseWriteAttributeList(big, out);
  ASSERT_TRUE(bad);
  EXPECT_EQ(Sense(*bad), InvalidParamSense(7));
}

}  // namespace
}  // namespace vtape::ssc::testing
