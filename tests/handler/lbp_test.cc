// Logical block protection: the RS-CRC and CRC32C bytes, mode page 0Ah/F0h,
// VPD B5h, and the data path with LBP_W / LBP_R (exact bytes and sense).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>

#include "drive_harness.h"
#include "handler/ssc/lbp.h"
#include "sense_bytes.h"
#include "ssc_test_util.h"

namespace vtape::ssc::testing {
namespace {

Bytes Text(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

// Test vectors computed with LTFS's rs_gf256_enc (the IBM drive-side
// definition) and independently from ECMA-319's generator polynomial.
TEST(ReedSolomonCrc, KnownVectors) {
  EXPECT_EQ(ReedSolomonCrc({}), 0x00000000u);
  EXPECT_EQ(ReedSolomonCrc(Bytes{0x00}), 0x00000000u);
  EXPECT_EQ(ReedSolomonCrc(Bytes{0x01}), 0x38CF3801u);  // the generator's low coefficients
  EXPECT_EQ(ReedSolomonCrc(Text("123456789")), 0x4B4F673Au);
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(ReedSolomonCrc(all), 0x8179A680u);
  EXPECT_EQ(ReedSolomonCrc(Bytes{0xFF, 0xFF, 0xFF, 0xFF}), 0xC0A8FD85u);
}

TEST(ProtectionBytes, ReedSolomonBigEndianCrc32cLittleEndian) {
  const auto rs = ProtectionBytes(kLbpReedSolomon, Text("123456789"));
  EXPECT_EQ(Bytes(rs.begin(), rs.end()), (Bytes{0x4B, 0x4F, 0x67, 0x3A}));
  const auto crc = ProtectionBytes(kLbpCrc32c, Text("123456789"));
  EXPECT_EQ(Bytes(crc.begin(), crc.end()), (Bytes{0x83, 0x92, 0x06, 0xE3}));
}

TEST(ProtectionBytes, MatchesOnlyTheRightTrailer) {
  Bytes record = Text("123456789");
  AppendBytes(record, {0x4B, 0x4F, 0x67, 0x3A});
  EXPECT_TRUE(ProtectionMatches(kLbpReedSolomon, record));
  EXPECT_FALSE(ProtectionMatches(kLbpCrc32c, record));
  record[0] ^= 1;
  EXPECT_FALSE(ProtectionMatches(kLbpReedSolomon, record));
  EXPECT_FALSE(ProtectionMatches(kLbpReedSolomon, Bytes{1, 2, 3}));
}

DriveConfig Personality(const std::string& key) {
  DriveConfig c;
  c.personality = key;
  return c;
}

// A drive of `personality` past its power-on unit attention.
struct Lbp : DriveHarness {
  explicit Lbp(const std::string& personality = "ibm-lto8", const std::string& medium = "mem:")
      : DriveHarness(medium, Personality(personality)) {
    ClearPowerOnAttention();
  }
  Lbp(const std::string& medium, DriveConfig config) : DriveHarness(medium, std::move(config)) {
    ClearPowerOnAttention();
  }
  // MODE SELECT(10) of page 0Ah/F0h: method, length, byte 6 (LBP_W 80h, LBP_R 40h).
  const ScsiResult& SelectLbp(std::uint8_t method, std::uint8_t length, std::uint8_t flags) {
    Bytes list = {0, 0, 0, 0x10, 0, 0, 0, 0};  // header: buffered mode 1, no block descriptor
    Bytes page(32, 0);
    page[0] = 0x4A;
    page[1] = 0xF0;
    page[3] = 0x1C;
    page[4] = method;
    page[5] = length;
    page[6] = flags;
    AppendBytes(list, page);
    return Run({0x55, 0x10, 0, 0, 0, 0, 0, 0, 40, 0}, list);
  }
  // The page as MODE SENSE(10) with DBD reports it for page control `pc`.
  Bytes SensePage(std::uint8_t pc = 0) {
    Run({0x5A, 0x08, static_cast<std::uint8_t>(pc << 6 | 0x0A), 0xF0, 0, 0, 0, 0, 0xFF, 0}, {},
        255);
    EXPECT_EQ(status(), kStatusGood);
    Bytes d = data();
    return Bytes(d.begin() + 8, d.end());
  }
  void SetBlockLength(std::uint32_t length) {
    Run({0x15, 0x10, 0, 0, 12, 0}, {0, 0, 0x10, 8, 0, 0, 0, 0, 0, std::uint8_t(length >> 16),
                                    std::uint8_t(length >> 8), std::uint8_t(length)});
    ASSERT_EQ(status(), kStatusGood);
  }
  void Rewind() {
    Run(RewindCdb());
    ASSERT_EQ(status(), kStatusGood);
  }
  std::uint64_t Object() { return drive().medium()->GetPosition().object; }
};

Bytes PageBytes(std::uint8_t method, std::uint8_t length, std::uint8_t flags) {
  Bytes page(32, 0);
  page[0] = 0x4A;
  page[1] = 0xF0;
  page[3] = 0x1C;
  page[4] = method;
  page[5] = length;
  page[6] = flags;
  return page;
}

// `data` followed by its protection bytes.
Bytes Protected(std::uint8_t method, const Bytes& data) {
  Bytes out = data;
  const auto pi = ProtectionBytes(method, data);
  out.insert(out.end(), pi.begin(), pi.end());
  return out;
}

TEST(LbpModePage, OffByDefaultWithItsChangeableMask) {
  Lbp h;
  EXPECT_EQ(h.SensePage(0), PageBytes(0, 0, 0));
  EXPECT_EQ(h.SensePage(1), PageBytes(0xFF, 0x3F, 0xC0));
  EXPECT_EQ(h.SensePage(2), PageBytes(0, 0, 0));
}

TEST(LbpModePage, FollowsTheControlPageUnderSubpageFFh) {
  Lbp h;
  h.Run({0x5A, 0x08, 0x0A, 0xFF, 0, 0, 0, 0, 0xFF, 0}, {}, 255);
  ASSERT_EQ(h.status(), kStatusGood);
  const Bytes d = h.data();
  ASSERT_EQ(d.size(), 8u + 12u + 32u);  // header, control page, then 0Ah/F0h
  EXPECT_EQ(Bytes(d.begin() + 20, d.end()), PageBytes(0, 0, 0));
  // Page 3Fh subpage 00h lists page_0 pages only.
  h.Run({0x5A, 0x08, 0x3F, 0x00, 0, 0, 0, 0, 0xFF, 0}, {}, 255);
  const Bytes all = h.data();
  EXPECT_EQ(std::search(all.begin(), all.end(), d.begin() + 20, d.begin() + 24), all.end());
}

TEST(LbpModePage, SelectCrc32cOnLto8AsLtfsDoes) {
  Lbp h("ibm-lto8");
  h.SelectLbp(kLbpCrc32c, 4, 0xC0);
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.SensePage(0), PageBytes(0x02, 0x04, 0xC0));
  h.SelectLbp(0, 0, 0);
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.SensePage(0), PageBytes(0, 0, 0));
}

// LTFS's _set_lbp: MODE SENSE(10) of 0Ah/F0h into 48 bytes (header, block
// descriptor, page), bytes 20-22 changed, the same 48 bytes sent back.
TEST(LbpModePage, LtfsSenseModifySelectRoundTrip) {
  Lbp h("ibm-lto8");
  h.Run({0x5A, 0x00, 0x0A, 0xF0, 0, 0, 0, 0, 48, 0}, {}, 48);
  ASSERT_EQ(h.status(), kStatusGood);
  Bytes buf = h.data();
  ASSERT_EQ(buf.size(), 48u);
  EXPECT_EQ(Bytes(buf.begin() + 16, buf.end()), PageBytes(0, 0, 0));
  buf[0] = 0;
  buf[1] = 0;
  buf[20] = kLbpCrc32c;
  buf[21] = 0x04;
  buf[22] = 0xC0;
  h.Run({0x55, 0x10, 0, 0, 0, 0, 0, 0, 48, 0}, buf);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.SensePage(0), PageBytes(0x02, 0x04, 0xC0));
}

TEST(LbpModePage, Crc32cRefusedOnLto5) {
  Lbp h("ibm-lto5", "mem:media=LTO-5");
  h.SelectLbp(kLbpCrc32c, 4, 0xC0);
  EXPECT_EQ(h.sense(), InvalidParamSense(8 + 4));
  h.SelectLbp(kLbpReedSolomon, 4, 0xC0);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.SensePage(0), PageBytes(0x01, 0x04, 0xC0));
}

TEST(LbpModePage, WrongLengthOrFlagsWithoutMethodRefused) {
  Lbp h;
  h.SelectLbp(kLbpCrc32c, 8, 0xC0);
  EXPECT_EQ(h.sense(), InvalidParamSense(8 + 5, 5));
  h.SelectLbp(kLbpCrc32c, 0, 0xC0);
  EXPECT_EQ(h.sense(), InvalidParamSense(8 + 5, 5));
  h.SelectLbp(0, 0, 0x80);
  EXPECT_EQ(h.sense(), InvalidParamSense(8 + 6, 7));
  h.SelectLbp(0, 0, 0x40);
  EXPECT_EQ(h.sense(), InvalidParamSense(8 + 6, 6));
  h.SelectLbp(0x03, 4, 0xC0);
  EXPECT_EQ(h.sense(), InvalidParamSense(8 + 4));
  h.SelectLbp(kLbpCrc32c, 4, 0xE0);  // RBDP is not changeable
  EXPECT_EQ(h.sense(), InvalidParamSense(8 + 6, 5));
  EXPECT_EQ(h.SensePage(0), PageBytes(0, 0, 0));
}

TEST(LbpVpd, B5hListsTheMethodsOfTheGeneration) {
  Lbp lto5("ibm-lto5", "mem:media=LTO-5");
  lto5.Run({0x12, 0x01, 0xB5, 0, 64, 0}, {}, 64);
  EXPECT_EQ(lto5.data(), (Bytes{0x01, 0xB5, 0, 4, 0x01, 0x04, 0xC0, 0x00}));
  Lbp lto8("hp-lto8");
  lto8.Run({0x12, 0x01, 0xB5, 0, 64, 0}, {}, 64);
  EXPECT_EQ(lto8.data(), (Bytes{0x01, 0xB5, 0, 8, 0x01, 0x04, 0xC0, 0x00, 0x02, 0x04, 0xC0, 0x00}));
}

TEST(LbpData, WriteChecksAndStripsTheCrcReadAppendsIt) {
  Lbp h;
  ASSERT_EQ(h.SelectLbp(kLbpCrc32c, 4, 0xC0).status, kStatusGood);
  const Bytes data = Pattern(1000, 3);
  const Bytes sent = Protected(kLbpCrc32c, data);
  h.Run(Write6(1004), sent);
  ASSERT_EQ(h.status(), kStatusGood);
  h.Rewind();
  h.Run(Read6(1004), {}, 1004);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), sent);
  // The medium holds the 1000 data bytes only.
  ASSERT_EQ(h.SelectLbp(0, 0, 0).status, kStatusGood);
  h.Rewind();
  h.Run(Read6(1000), {}, 1000);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), data);
}

TEST(LbpData, BadCrcIsHardwareErrorGuardCheckAndWritesNothing) {
  Lbp h;
  ASSERT_EQ(h.SelectLbp(kLbpCrc32c, 4, 0x80).status, kStatusGood);
  Bytes sent = Protected(kLbpCrc32c, Pattern(1000, 3));
  sent[500] ^= 0x10;
  h.Run(Write6(1004), sent);
  EXPECT_EQ(h.sense(), ExpectSense(0x04, 0x10, 0x01, 0, 1004));
  EXPECT_EQ(h.Object(), 0u);
  // A record sent with the other method's bytes fails the same way.
  h.Run(Write6(1004), Protected(kLbpReedSolomon, Pattern(1000, 3)));
  EXPECT_EQ(h.sense(), ExpectSense(0x04, 0x10, 0x01, 0, 1004));
  EXPECT_EQ(h.Object(), 0u);
}

TEST(LbpData, ReedSolomonOnLto5) {
  Lbp h("ibm-lto5", "mem:media=LTO-5");
  ASSERT_EQ(h.SelectLbp(kLbpReedSolomon, 4, 0xC0).status, kStatusGood);
  Bytes sent = Text("123456789");
  AppendBytes(sent, {0x4B, 0x4F, 0x67, 0x3A});
  h.Run(Write6(13), sent);
  ASSERT_EQ(h.status(), kStatusGood);
  h.Rewind();
  h.Run(Read6(13), {}, 13);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), sent);
}

TEST(LbpData, ReadOnlyProtectionAppendsToUnprotectedWrites) {
  Lbp h;
  ASSERT_EQ(h.SelectLbp(kLbpCrc32c, 4, 0x40).status, kStatusGood);  // LBP_R only
  const Bytes data = Text("123456789");
  h.Run(Write6(9), data);
  ASSERT_EQ(h.status(), kStatusGood);
  h.Rewind();
  // Asking for the bare record length: the record is 4 bytes longer on the wire.
  h.Run(Read6(9), {}, 9);
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x00, kIli, -4));
  EXPECT_EQ(h.data(), data);
  h.Rewind();
  h.Run(Read6(100), {}, 100);
  EXPECT_EQ(h.sense(), ExpectSense(0x0, 0x00, 0x00, kIli, 100 - 13));
  EXPECT_EQ(h.data(), Protected(kLbpCrc32c, data));
}

// How LTFS reads with protection on: READ(6) of 512 KiB + 4 with SILI; a
// shorter record comes back whole with its CRC, GOOD.
TEST(LbpData, ShortReadWithSiliReturnsTheRecordAndItsCrc) {
  Lbp h;
  ASSERT_EQ(h.SelectLbp(kLbpCrc32c, 4, 0xC0).status, kStatusGood);
  const Bytes label = Protected(kLbpCrc32c, Pattern(80, 7));
  h.Run(Write6(84), label);
  ASSERT_EQ(h.status(), kStatusGood);
  const Bytes big = Protected(kLbpCrc32c, Pattern(512 * 1024, 8));
  h.Run(Write6(static_cast<std::uint32_t>(big.size())), big);
  ASSERT_EQ(h.status(), kStatusGood);
  h.Rewind();
  const std::uint32_t request = 512 * 1024 + 4;
  h.Run(Read6(request, false, true), {}, request);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), label);
  h.Run(Read6(request, false, true), {}, request);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), big);
}

TEST(LbpData, ThroughTheDriveBufferTheMediumGetsTheDataOnly) {
  DriveConfig config = Personality("ibm-lto8");
  config.buffer_bytes = 1u << 20;
  Lbp h("mem:", config);
  ASSERT_EQ(h.SelectLbp(kLbpCrc32c, 4, 0x80).status, kStatusGood);
  const Bytes data = Pattern(3000, 5);
  h.Run(Write6(3004), Protected(kLbpCrc32c, data));
  ASSERT_EQ(h.status(), kStatusGood);
  h.Run(WriteFilemarks6(1));
  ASSERT_EQ(h.status(), kStatusGood);
  h.Rewind();
  h.Run(Read6(3000), {}, 3000);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), data);
}

TEST(LbpData, ShortRecordsRefused) {
  Lbp h;
  ASSERT_EQ(h.SelectLbp(kLbpCrc32c, 4, 0x80).status, kStatusGood);
  h.Run(Write6(4), Bytes{0, 0, 0, 0});
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(2));
  EXPECT_EQ(h.Object(), 0u);
}

TEST(LbpData, FixedBlockLengthCountsTheProtectionBytes) {
  Lbp h;
  h.SetBlockLength(104);
  ASSERT_EQ(h.SelectLbp(kLbpCrc32c, 4, 0xC0).status, kStatusGood);
  Bytes sent = Protected(kLbpCrc32c, Pattern(100, 1));
  AppendBytes(sent, Protected(kLbpCrc32c, Pattern(100, 2)));
  h.Run(Write6(2, true), sent);
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Object(), 2u);
  h.Rewind();
  h.Run(Read6(2, true), {}, 208);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.data(), sent);
  // A bad second block: nothing of the command is written, INFORMATION = 2 blocks.
  sent[150] ^= 1;
  h.Run(Write6(2, true), sent);
  EXPECT_EQ(h.sense(), ExpectSense(0x04, 0x10, 0x01, 0, 2));
  EXPECT_EQ(h.Object(), 2u);
}

// The glue hands multi-iovec transfers over in pieces: the CRC is checked over
// the whole record and appended across piece boundaries, in variable and fixed mode.
Bytes RunInPieces(Lbp& h, const Bytes& cdb, const Bytes& out, std::size_t in_size,
                  std::size_t piece) {
  Bytes in(in_size, 0xEE);
  std::vector<std::span<const std::uint8_t>> out_pieces;
  std::vector<std::span<std::uint8_t>> in_pieces;
  for (std::size_t at = 0; at < out.size(); at += piece) {
    out_pieces.push_back(
        std::span<const std::uint8_t>(out).subspan(at, std::min(piece, out.size() - at)));
  }
  for (std::size_t at = 0; at < in.size(); at += piece) {
    in_pieces.push_back(std::span<std::uint8_t>(in).subspan(at, std::min(piece, in.size() - at)));
  }
  spc::ScsiCommand cmd{cdb, {}, {}};
  cmd.data_out_pieces = out_pieces;
  cmd.data_in_pieces = in_pieces;
  const ScsiResult r = h.drive().Execute(cmd);
  EXPECT_EQ(r.status, kStatusGood) << "opcode " << int(cdb[0]);
  in.resize(r.data_in_len);
  return in;
}

TEST(LbpData, RecordsInPiecesAreCheckedAndReadWithTheirCrc) {
  Lbp h;
  ASSERT_EQ(h.SelectLbp(kLbpCrc32c, 4, 0xC0).status, kStatusGood);
  const Bytes sent = Protected(kLbpCrc32c, Pattern(1000, 5));
  RunInPieces(h, Write6(1004), sent, 0, 300);  // the CRC straddles pieces 3 and 4
  EXPECT_EQ(h.Object(), 1u);
  h.Rewind();
  EXPECT_EQ(RunInPieces(h, Read6(1004), {}, 1004, 300), sent);
  // A damaged record in pieces is refused whole.
  Bytes bad = sent;
  bad[999] ^= 1;
  std::vector<std::span<const std::uint8_t>> pieces = {
      std::span<const std::uint8_t>(bad).first(502),
      std::span<const std::uint8_t>(bad).subspan(502)};
  const Bytes write = Write6(1004);
  spc::ScsiCommand cmd{write, {}, {}};
  cmd.data_out_pieces = pieces;
  const ScsiResult r = h.drive().Execute(cmd);
  EXPECT_EQ(Bytes(r.sense.begin(), r.sense.begin() + r.sense_len),
            ExpectSense(0x04, 0x10, 0x01, 0, 1004));
  EXPECT_EQ(h.Object(), 1u);
  // Fixed mode: two 104-byte blocks (100 data + 4) cut into 64-byte pieces.
  h.Rewind();
  h.SetBlockLength(104);
  Bytes blocks = Protected(kLbpCrc32c, Pattern(100, 6));
  AppendBytes(blocks, Protected(kLbpCrc32c, Pattern(100, 7)));
  RunInPieces(h, Write6(2, true), blocks, 0, 64);
  EXPECT_EQ(h.Object(), 2u);
  h.Rewind();
  EXPECT_EQ(RunInPieces(h, Read6(2, true), {}, 208, 64), blocks);
}

TEST(LbpData, FixedBlockNoLongerThanTheProtectionRefused) {
  Lbp h;
  h.SetBlockLength(4);
  ASSERT_EQ(h.SelectLbp(kLbpCrc32c, 4, 0xC0).status, kStatusGood);
  h.Run(Write6(1, true), Bytes{0, 0, 0, 0});
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(1, 0));
  h.Run(Read6(1, true), {}, 4);
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(1, 0));
}

}  // namespace
}  // namespace vtape::ssc::testing
