// SECURITY PROTOCOL IN/OUT at CDB level with exact bytes: the security
// protocol information, every tape data encryption page, the SET DATA
// ENCRYPTION pages stenc 1.0.7 sends, and each refused field.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "drive_harness.h"
#include "security_pages.h"
#include "sense_bytes.h"
#include "ssc_test_util.h"

namespace vtape::ssc::testing {
namespace {

struct Security : DriveHarness {
  explicit Security(const std::string& medium = "mem:") : DriveHarness(medium) {
    ClearPowerOnAttention();
  }
  Bytes Spin(std::uint8_t protocol, std::uint16_t page, std::uint32_t allocation = 8196) {
    Run(SpinCdb(protocol, page, allocation), {}, 8196);
    return data();
  }
  const ScsiResult& Spout(const Bytes& page) {
    return Run(SpoutCdb(0x0010, static_cast<std::uint32_t>(page.size())), page);
  }
};

const Bytes kDefaultStatus = {0x00, 0x20, 0x00, 0x14, 0, 0, 0, 0, 0, 0, 0, 0,
                              0,    0,    0,    0,    0, 0, 0, 0, 0, 0, 0, 0};

TEST(SecurityProtocolIn, SupportedProtocolsAndCertificate) {
  Security h;
  EXPECT_EQ(h.Spin(0x00, 0x0000), (Bytes{0, 0, 0, 0, 0, 0, 0, 2, 0x00, 0x20}));
  EXPECT_EQ(h.Spin(0x00, 0x0001), (Bytes{0, 0, 0, 0}));
  h.Spin(0x00, 0x0002);
  EXPECT_EQ(h.sense(), InvalidCdbSense(2));
  h.Spin(0x01, 0x0000);
  EXPECT_EQ(h.sense(), InvalidCdbSense(1));
}

TEST(SecurityProtocolIn, SupportedPages) {
  Security h;
  EXPECT_EQ(h.Spin(0x20, 0x0000),
            (Bytes{0, 0, 0, 12, 0, 0, 0, 0x01, 0, 0x10, 0, 0x11, 0, 0x20, 0, 0x21}));
  EXPECT_EQ(h.Spin(0x20, 0x0001), (Bytes{0, 0x01, 0, 2, 0, 0x10}));
  EXPECT_EQ(h.Spin(0x20, 0x0011), (Bytes{0, 0x11, 0, 1, 0x00}));
  h.Spin(0x20, 0x0012);
  EXPECT_EQ(h.sense(), InvalidCdbSense(2));
}

TEST(SecurityProtocolIn, CapabilitiesOneAesGcmDescriptor) {
  // Bytes 5-23 of the descriptor: NONCE_C, U-KAD 32, A-KAD 12, key 32, RDMC_C
  // and EAREM, MSDK count and EEDK size 0, algorithm 0001_0014h.
  const Bytes descriptor_tail = {0x10, 0, 0x20, 0, 0x0C, 0, 0x20, 0x09, 0,   0,
                                 0,    0, 0,    0, 0,    0, 0x01, 0,    0x14};
  Bytes expected = {0, 0x10, 0, 0x28, 0x01, 0, 0, 0,    0, 0, 0,    0,   0,
                    0, 0,    0, 0,    0,    0, 0, 0x01, 0, 0, 0x14, 0xBA};
  expected.insert(expected.end(), descriptor_tail.begin(), descriptor_tail.end());
  Security loaded;
  EXPECT_EQ(loaded.Spin(0x20, 0x0010), expected);
  // No volume mounted: AVFMV is clear.
  Security empty("");
  expected[24] = 0x3A;
  EXPECT_EQ(empty.Spin(0x20, 0x0010), expected);
  // The allocation length cuts the page.
  EXPECT_EQ(loaded.Spin(0x20, 0x0010, 6), (Bytes{0, 0x10, 0, 0x28, 0x01, 0}));
}

TEST(SecurityProtocolIn, Inc512IsRefusedByTheUsageMask) {
  Security h;
  Bytes cdb = SpinCdb(0x20, 0x0020);
  cdb[4] = 0x80;
  h.Run(cdb, {}, 8196);
  EXPECT_EQ(h.sense(), InvalidCdbSense(4, 7));
}

TEST(SetDataEncryption, StencOnThenStatusThenOff) {
  Security h;
  EXPECT_EQ(h.Spin(0x20, 0x0020), kDefaultStatus);
  h.Spout(StencPage(2, 2, 1, TestKey(), "nightly"));
  ASSERT_EQ(h.status(), kStatusGood) << ::testing::PrintToString(h.sense());
  EXPECT_EQ(h.Spin(0x20, 0x0020),
            (Bytes{0x00, 0x20, 0x00, 0x1F, 0x42, 0x02, 0x02, 0x01, 0,   0,   0,  1,
                   0x01, 0,    0,    0,    0,    0,    0,    0,    0,   0,   0,  0,
                   0x00, 0x01, 0x00, 0x07, 'n',  'i',  'g',  'h',  't', 'l', 'y'}));
  // stenc -e off: both modes DISABLE, algorithm 0, a zero key of length 32.
  h.Spout(StencPage(0, 0, 0, Bytes(32, 0)));
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Spin(0x20, 0x0020), (Bytes{0x00, 0x20, 0x00, 0x14, 0x42, 0, 0, 0, 0, 0, 0, 2,
                                         0,    0,    0,    0,    0,    0, 0, 0, 0, 0, 0, 0}));
}

TEST(SetDataEncryption, MixedRawAndLocalScope) {
  Security h;
  Bytes page = StencPage(2, 3, 1, TestKey(), "", 0x20);  // RDMC 10b: raw reads enabled
  page[4] = 0x20;                                        // scope LOCAL
  h.Spout(page);
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Spin(0x20, 0x0020), (Bytes{0x00, 0x20, 0x00, 0x14, 0x21, 2, 3, 1, 0, 0, 0, 1,
                                         0x00, 0,    0,    0,    0,    0, 0, 0, 0, 0, 0, 0}));
  // PUBLIC: back to the shared parameters (none: the defaults).
  Bytes pub(20, 0);
  pub[1] = 0x10;
  pub[3] = 16;
  h.Spout(pub);
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Spin(0x20, 0x0020), (Bytes{0x00, 0x20, 0x00, 0x14, 0, 0, 0, 0, 0, 0, 0, 1,
                                         0,    0,    0,    0,    0, 0, 0, 0, 0, 0, 0, 0}));
  // RAW decryption needs no key.
  Bytes raw = StencPage(0, 1, 1, {});
  raw[19] = 0;
  h.Spout(raw);
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Spin(0x20, 0x0020).at(6), 0x01);
}

TEST(SetDataEncryption, RefusedFieldsPointIntoTheParameterList) {
  struct Case {
    int at;
    std::uint8_t value;
    Bytes sense;
  };
  const Case cases[] = {
      {1, 0x11, InvalidParamSense(0)},     // page code
      {4, 0x60, InvalidParamSense(4, 7)},  // scope 011b
      {4, 0x42, InvalidParamSense(4, 4)},  // reserved bit
      {5, 0x80, InvalidParamSense(5, 7)},  // CEEM 10b: no external mode
      {5, 0x10, InvalidParamSense(5, 5)},  // RDMC 01b: reserved
      {5, 0x08, InvalidParamSense(5, 3)},  // SDK
      {6, 0x01, InvalidParamSense(6)},     // EXTERNAL
      {6, 0x03, InvalidParamSense(6)},     // reserved mode
      {7, 0x04, InvalidParamSense(7)},     // reserved mode
      {8, 0x02, InvalidParamSense(8)},     // no algorithm 2
      {9, 0x01, InvalidParamSense(9)},     // key format: plain text only
      {10, 0x01, InvalidParamSense(10)},   // KAD format
      {14, 0x01, InvalidParamSense(14)},   // reserved
      {19, 0x10, InvalidParamSense(18)},   // a 16-byte key
      {3, 0xFF, InvalidParamSense(2)},     // page longer than the list
  };
  for (const Case& c : cases) {
    Security h;
    Bytes page = StencPage(2, 2, 1, TestKey());
    page[c.at] = c.value;
    h.Spout(page);
    EXPECT_EQ(h.sense(), c.sense) << "byte " << c.at;
    EXPECT_EQ(h.Spin(0x20, 0x0020), kDefaultStatus) << "byte " << c.at;
  }
}

TEST(SetDataEncryption, RefusedKadsAndLengths) {
  Security h;
  // A U-KAD of 33 bytes: over the 32 the capabilities page allows.
  h.Spout(StencPage(2, 2, 1, TestKey(), std::string(33, 'x')));
  EXPECT_EQ(h.sense(), InvalidParamSense(54));
  // A nonce descriptor: the drive makes its own IVs.
  Bytes nonce = StencPage(2, 2, 1, TestKey());
  nonce.insert(nonce.end(), {0x02, 0, 0, 1, 0x55});
  Put(nonce, 2, 2, nonce.size() - 4);
  h.Spout(nonce);
  EXPECT_EQ(h.sense(), InvalidParamSense(52));
  // A descriptor cut short.
  Bytes cut = StencPage(2, 2, 1, TestKey(), "abc");
  cut[55] = 9;
  h.Spout(cut);
  EXPECT_EQ(h.sense(), InvalidParamSense(54));
  // A list shorter than the page's fixed part.
  h.Spout(Bytes(19, 0));
  EXPECT_EQ(h.sense(), ParameterListLengthSense());
  // More bytes named in the CDB than sent.
  h.Run(SpoutCdb(0x0010, 60), StencPage(2, 2, 1, TestKey()));
  EXPECT_EQ(h.sense(), ParameterListLengthSense());
  // Other pages and protocols in the CDB.
  h.Run(SpoutCdb(0x0011, 52), StencPage(2, 2, 1, TestKey()));
  EXPECT_EQ(h.sense(), InvalidCdbSense(2));
  h.Run(SpoutCdb(0x0010, 52, 0x00), StencPage(2, 2, 1, TestKey()));
  EXPECT_EQ(h.sense(), InvalidCdbSense(1));
  // Nothing sent: not an error, nothing changes.
  h.Run(SpoutCdb(0x0010, 0));
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Spin(0x20, 0x0020), kDefaultStatus);
}

TEST(SetDataEncryption, ClearKeyOnDemount) {
  Security h;
  h.Spout(StencPage(2, 2, 1, TestKey(), "", 0x04));  // CKOD
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Spin(0x20, 0x0020).at(5), 0x02);
  h.Run(LoadUnload(0x00));
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Spin(0x20, 0x0020), (Bytes{0x00, 0x20, 0x00, 0x14, 0, 0, 0, 0, 0, 0, 0, 2,
                                         0,    0,    0,    0,    0, 0, 0, 0, 0, 0, 0, 0}));
  // Without CKOD the key stays across an unload and load.
  h.Run(LoadUnload(0x01));
  h.Run(Tur());  // the load's unit attention
  h.Spout(StencPage(2, 2, 1, TestKey()));
  ASSERT_EQ(h.status(), kStatusGood);
  h.Run(LoadUnload(0x00));
  h.Run(LoadUnload(0x01));
  h.Run(Tur());
  EXPECT_EQ(h.Spin(0x20, 0x0020).at(5), 0x02);
}

TEST(SetDataEncryption, TheDriveDumpNamesTheModesButNeverTheKey) {
  Security h;
  h.Spout(StencPage(2, 3, 1, TestKey(), "nightly"));
  ASSERT_EQ(h.status(), kStatusGood);
  h.Run({0x1D, 0x10, 0, 0, 8, 0}, {0x80, 0x00, 0x00, 0x04, 0x01, 0x60, 0x00, 0x00});
  ASSERT_EQ(h.status(), kStatusGood);
  h.Run({0x3C, 0x02, 0x01, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  const Bytes dump = h.data();
  const std::string text(dump.begin(), dump.end());
  EXPECT_NE(text.find("encryption: encrypt, mixed\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("nightly"), std::string::npos);
  const Bytes key = TestKey();
  EXPECT_EQ(std::search(dump.begin(), dump.end(), key.begin(), key.begin() + 4), dump.end());
}

TEST(SetDataEncryption, WorksWithoutAMedium) {
  Security h("");
  h.Spout(StencPage(2, 2, 1, TestKey()));
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.Spin(0x20, 0x0020).at(5), 0x02);
  h.Spin(0x20, 0x0021);  // next block status needs a volume
  EXPECT_EQ(h.sense(), SenseBytes(0x02, 0x3A, 0x00));
}

TEST(NextBlockEncryptionStatus, PlainRecordFilemarkAndEndOfData) {
  Security h;
  const Bytes eod = {0, 0x21, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0};
  EXPECT_EQ(h.Spin(0x20, 0x0021), eod);
  h.Run(Write6(5), Pattern(5));
  h.Run(WriteFilemarks6(1));
  h.Run(RewindCdb());
  EXPECT_EQ(h.Spin(0x20, 0x0021), (Bytes{0, 0x21, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0x03, 0, 0, 0}));
  // The position did not move: the record reads back.
  h.Run(Read6(5), {}, 5);
  EXPECT_EQ(h.data(), Pattern(5));
  EXPECT_EQ(h.Spin(0x20, 0x0021), (Bytes{0, 0x21, 0, 12, 0, 0, 0, 0, 0, 0, 0, 1, 0x02, 0, 0, 0}));
  h.Run(Space6(0x01, 1));  // over the filemark
  EXPECT_EQ(h.Spin(0x20, 0x0021), (Bytes{0, 0x21, 0, 12, 0, 0, 0, 0, 0, 0, 0, 2, 0x01, 0, 0, 0}));
}

TEST(SecurityProtocol, TransferSizesFromTheCdb) {
  Security h;
  EXPECT_EQ(h.drive().ExpectedTransfer(SpinCdb(0x20, 0x0020, 8196)).data_in, 8196u);
  EXPECT_EQ(h.drive().ExpectedTransfer(SpoutCdb(0x0010, 52)).data_out, 52u);
  EXPECT_EQ(h.drive().ExpectedTransfer(SpoutCdb(0x0010, 52)).data_in, 0u);
}

}  // namespace
}  // namespace vtape::ssc::testing
