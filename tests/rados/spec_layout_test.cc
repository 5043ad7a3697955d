// rados: names and the header/index encodings, without a cluster.
#include <gtest/gtest.h>

#include "rados/layout.h"
#include "rados/spec.h"

namespace vtape::rados {
namespace {

TEST(RadosSpec, PoolAndName) {
  RadosSpec s;
  ASSERT_TRUE(ParseRadosName("vtape/A00001L8", s).ok());
  EXPECT_EQ(s.pool, "vtape");
  EXPECT_EQ(s.name, "A00001L8");
  EXPECT_EQ(s.conf, "");
  EXPECT_EQ(s.timeout_seconds, 30u);
  EXPECT_EQ(s.lease_seconds, 0u);  // no expiry unless asked for
}

TEST(RadosSpec, OptionsInBraces) {
  RadosSpec s;
  ASSERT_TRUE(
      ParseRadosName("{conf=/etc/ceph/c.conf,id=vtape,keyring=/k,timeout=5}tapes/B1", s).ok());
  EXPECT_EQ(s.conf, "/etc/ceph/c.conf");
  EXPECT_EQ(s.id, "vtape");
  EXPECT_EQ(s.keyring, "/k");
  EXPECT_EQ(s.timeout_seconds, 5u);
  EXPECT_EQ(s.Label(), "tapes/B1");
  ASSERT_TRUE(ParseRadosName("{lease=3}p/n", s).ok());
  EXPECT_EQ(s.lease_seconds, 3u);
  ASSERT_TRUE(ParseRadosName("{lease=0}p/n", s).ok());
  EXPECT_EQ(s.lease_seconds, 0u);
}

TEST(RadosSpec, Refusals) {
  RadosSpec s;
  for (const char* bad : {"", "vtape", "/x", "vtape/", "vtape/a/b", "{conf=/c}", "{nope=1}p/n",
                          "{timeout=0}p/n", "{timeout=x}p/n", "{lease=2}p/n", "{lease=x}p/n", "{lease=-5}p/n", "{conf=}p/n", "{conf=/c p/n",
                          "p/n,m"}) {
    Status st = ParseRadosName(bad, s);
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << bad;
  }
  EXPECT_EQ(ParseRadosName("{lease=2}p/n", s).message(),
            "rados: lease='2' is not 0 (no expiry) or a whole number of seconds >= 3");
  EXPECT_NE(ParseRadosName("{nope=1}p/n", s).message().find("known: conf, id, keyring, timeout, lease"),
            std::string::npos);
}

TEST(RadosLayout, HeaderRoundTrip) {
  Header h;
  h.epoch = 7;
  h.barcode = "A00001L8";
  h.media_type = "LTO-8";
  h.capacity_bytes = 1000000;
  h.early_warning_bytes = 300000;
  h.write_protected = true;
  h.partitions = {{600000, 3, 1234}, {400000, 1, 0}};
  std::vector<std::uint8_t> bytes = EncodeHeader(h);
  ASSERT_EQ(bytes.size(), kHeaderBytes);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 8), "VTRADOS1");
  Header d;
  ASSERT_TRUE(DecodeHeader(bytes, "t", d).ok());
  EXPECT_EQ(d.epoch, 7u);
  EXPECT_EQ(d.barcode, "A00001L8");
  EXPECT_EQ(d.media_type, "LTO-8");
  EXPECT_EQ(d.capacity_bytes, 1000000u);
  EXPECT_EQ(d.early_warning_bytes, 300000u);
  EXPECT_TRUE(d.write_protected);
  ASSERT_EQ(d.partitions.size(), 2u);
  EXPECT_EQ(d.partitions[0].eod, 3u);
  EXPECT_EQ(d.partitions[0].data_end, 1234u);
  EXPECT_EQ(d.partitions[1].capacity, 400000u);
  bytes[100] ^= 1;
  EXPECT_EQ(DecodeHeader(bytes, "t", d).code(), Code::kCorruptImage);
}

TEST(RadosLayout, EntryRoundTripAndCheck) {
  std::uint8_t b[kEntryBytes];
  EncodeEntry({1ull << 40, 65537, 0xdeadbeef, 3}, b);
  Entry e;
  ASSERT_TRUE(DecodeEntry(b, e));
  EXPECT_EQ(e.offset, 1ull << 40);
  EXPECT_EQ(e.length, 65537u);
  EXPECT_EQ(e.crc, 0xdeadbeefu);
  EXPECT_EQ(e.epoch, 3u);
  std::uint8_t zero[kEntryBytes] = {};
  EXPECT_FALSE(DecodeEntry(zero, e)) << "never-written (zero) entries must not pass the check";
  b[3] ^= 0x10;
  EXPECT_FALSE(DecodeEntry(b, e));
}

// Version 2 entries: the tag in the length word's top bits (bits 25-28 the
// codec, bit 31 encrypted); an untagged entry is bit for bit a version-1 one.
TEST(RadosLayout, EntryCarriesTheTagBesideTheLength) {
  std::uint8_t b[kEntryBytes];
  const std::uint32_t big = (16u << 20) + 256;  // a tagged record's most
  EncodeEntry({4096, big, 7, 3, 0x82}, b);
  EXPECT_EQ(b[8] | b[9] << 8 | b[10] << 16 | static_cast<std::uint32_t>(b[11]) << 24,
            big | 2u << 25 | 1u << 31);
  Entry e;
  ASSERT_TRUE(DecodeEntry(b, e));
  EXPECT_EQ(e.length, big);
  EXPECT_EQ(e.tag, 0x82);
  EncodeEntry({4096, 65537, 7, 3, 0}, b);
  EXPECT_EQ(b[8] | b[9] << 8 | b[10] << 16 | static_cast<std::uint32_t>(b[11]) << 24, 65537u);
  ASSERT_TRUE(DecodeEntry(b, e));
  EXPECT_EQ(e.tag, 0);
}

TEST(RadosLayout, ObjectNames) {
  EXPECT_EQ(DataObject("A1", 0, 0x1f), "A1.p0.d0000001f");
  EXPECT_EQ(IndexObject("A1", 3, 2), "A1.p3.i00000002");
  EXPECT_EQ(AttributeKey(1, 0x080c), "attr.1.080c");
}

}  // namespace
}  // namespace vtape::rados
