// The on-disk encodings of the file: backend, byte for byte.
#include "vtape/file_format.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string_view>

#include "vtape/crc32c.h"

namespace vtape::file_format {
namespace {

std::span<const std::uint8_t> Text(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(Crc32c, MatchesTheStandardCheckValue) {
  EXPECT_EQ(Crc32c(Text("123456789")), 0xE3069283u);
  EXPECT_EQ(Crc32c({}), 0u);
  // RFC 3720 B.4: 32 bytes of zeros.
  std::uint8_t zeros[32] = {};
  EXPECT_EQ(Crc32c(zeros), 0x8A9136AAu);
}

TEST(Crc32c, ChainsAcrossPieces) {
  EXPECT_EQ(Crc32c(Text("56789"), Crc32c(Text("1234"))), 0xE3069283u);
}

Superblock Sample() {
  Superblock sb;
  sb.sequence = 7;
  for (std::size_t i = 0; i < sb.image_id.size(); ++i)
    sb.image_id[i] = static_cast<std::uint8_t>(i * 3);
  sb.epoch = 4;
  sb.durable_objects = 10;
  sb.durable_data_end = kDataStart + 10 * kRecordHeaderBytes + 1234;
  sb.durable_filemarks = 2;
  sb.filemarks_crc = 0xdeadbeef;
  sb.write_protected = true;
  sb.capacity_bytes = 5ull << 40;
  sb.early_warning_bytes = 1ull << 26;
  sb.partition_bytes = 5ull << 40;
  sb.media_type = "LTO-8";
  sb.barcode = "A00001L8";
  sb.attributes = {{0x0001, {1, 2, 3}}, {0x0400, {'v', 't'}}};
  return sb;
}

TEST(Superblock, RoundTripsEveryField) {
  Superblock sb = Sample();
  std::vector<std::uint8_t> raw = EncodeSuperblock(sb);
  EXPECT_EQ(raw.size(), kSuperblockFixedBytes + 4 + (4 + 3) + (4 + 2));
  EXPECT_EQ(std::memcmp(raw.data(), "VTAPEIMG", 8), 0);
  EXPECT_EQ(Get32(raw.data() + 8), kFormatVersion);
  EXPECT_EQ(Get64(raw.data() + 16), 7u);
  raw.resize(kSlotBytes, 0);
  Superblock back;
  Status s = DecodeSuperblock(raw, back);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(back, sb);
}

TEST(Superblock, EveryFlippedByteIsRejected) {
  std::vector<std::uint8_t> raw = EncodeSuperblock(Sample());
  std::size_t used = raw.size();
  raw.resize(kSlotBytes, 0);
  for (std::size_t i = 0; i < used; ++i) {
    raw[i] ^= 0x10;
    Superblock back;
    Status s = DecodeSuperblock(raw, back);
    EXPECT_FALSE(s.ok()) << "byte " << i;
    raw[i] ^= 0x10;
  }
}

TEST(Superblock, NewerVersionIsUnsupportedWithReason) {
  Superblock sb = Sample();
  sb.format_version = 9;
  std::vector<std::uint8_t> raw = EncodeSuperblock(sb);
  Superblock back;
  Status s = DecodeSuperblock(raw, back);
  EXPECT_EQ(s.code(), Code::kUnsupported);
  EXPECT_NE(s.message().find("version 9"), std::string::npos) << s.message();
}

TEST(RecordHeader, LayoutAndSalt) {
  RecordHeader h{RecordKind::kRecord, 0x0102030405060708ull, 3, 4096, 0xabcdef01};
  std::array<std::uint8_t, kRecordHeaderBytes> raw;
  EncodeRecordHeader(h, 77, raw);
  EXPECT_EQ(Get32(raw.data()), 0x43455256u);
  EXPECT_EQ(raw[4], 1);
  EXPECT_EQ(Get64(raw.data() + 8), 0x0102030405060708ull);
  EXPECT_EQ(Get32(raw.data() + 16), 3u);
  EXPECT_EQ(Get32(raw.data() + 20), 4096u);
  EXPECT_EQ(Get32(raw.data() + 24), 0xabcdef01u);
  EXPECT_EQ(Get32(raw.data() + 28), Crc32c(std::span(raw).first(28), 77));
  RecordHeader back;
  std::string why;
  ASSERT_TRUE(DecodeRecordHeader(raw, 77, back, why)) << why;
  EXPECT_EQ(back.object, h.object);
  EXPECT_EQ(back.length, 4096u);
  EXPECT_FALSE(DecodeRecordHeader(raw, 78, back, why)) << "another image's salt must not validate";
  EXPECT_EQ(why, "header fails its CRC32C");
}

TEST(RecordHeader, RejectsImpossibleLengths) {
  std::array<std::uint8_t, kRecordHeaderBytes> raw;
  RecordHeader back;
  std::string why;
  EncodeRecordHeader({RecordKind::kRecord, 0, 0, 0, 0}, 1, raw);
  EXPECT_FALSE(DecodeRecordHeader(raw, 1, back, why));
  EncodeRecordHeader({RecordKind::kFilemark, 0, 0, 5, 0}, 1, raw);
  EXPECT_FALSE(DecodeRecordHeader(raw, 1, back, why));
  EncodeRecordHeader({RecordKind::kRecord, 0, 0, (16u << 20) + 1, 0}, 1, raw);
  EXPECT_FALSE(DecodeRecordHeader(raw, 1, back, why));
}

TEST(IndexEntry, CrcCoversObjectNumber) {
  std::array<std::uint8_t, kIndexEntryBytes> raw;
  EncodeIndexEntry({kDataStart + 96, 4096, false}, 5, 9, raw);
  EXPECT_EQ(Get64(raw.data()), kDataStart + 96);
  EXPECT_EQ(Get32(raw.data() + 8), 4096u);
  IndexEntry e;
  ASSERT_TRUE(DecodeIndexEntry(raw, 5, 9, e));
  EXPECT_EQ(e, (IndexEntry{kDataStart + 96, 4096, false}));
  EXPECT_FALSE(DecodeIndexEntry(raw, 6, 9, e)) << "an entry read at the wrong slot must fail";
  EncodeIndexEntry({kDataStart, 0, true}, 0, 9, raw);
  EXPECT_EQ(Get32(raw.data() + 8), 0x80000000u);
  ASSERT_TRUE(DecodeIndexEntry(raw, 0, 9, e));
  EXPECT_TRUE(e.filemark);
}

}  // namespace
}  // namespace vtape::file_format
