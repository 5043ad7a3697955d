// READ/WRITE BUFFER, SEND DIAGNOSTIC / RECEIVE DIAGNOSTIC RESULTS, REPORT/SET
// TIMESTAMP and their REPORT SUPPORTED OPERATION CODES usage data, at CDB
// level with exact bytes.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "drive_harness.h"
#include "sense_bytes.h"
#include "ssc_test_util.h"
#include "vtape/forwarding_tape.h"

namespace vtape::ssc::testing {
namespace {

struct Ready : DriveHarness {
  explicit Ready(const std::string& personality = "ibm-lto8")
      : DriveHarness("mem:", Cfg(personality)) {
    ClearPowerOnAttention();
  }
  static DriveConfig Cfg(const std::string& personality) {
    DriveConfig c;
    c.personality = personality;
    c.serial = "1234567890";
    c.medium_name = "file:/srv/secret/path.vtape";  // never shown to the initiator
    return c;
  }
  // READ BUFFER: `mode`, buffer `id`, `offset`, `allocation`.
  const ScsiResult& ReadBuffer(std::uint8_t mode, std::uint8_t id, std::uint32_t offset,
                               std::uint32_t allocation) {
    Bytes cdb{0x3C, mode, id, 0, 0, 0, 0, 0, 0, 0};
    Put(cdb, 3, 3, offset);
    Put(cdb, 6, 3, allocation);
    return Run(cdb, {}, allocation);
  }
  const ScsiResult& WriteEcho(const Bytes& data) {
    Bytes cdb{0x3B, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0};
    Put(cdb, 6, 3, data.size());
    return Run(cdb, data);
  }
  // SEND DIAGNOSTIC with PF and `page` as the parameter list.
  const ScsiResult& SendPage(const Bytes& page) {
    return Run({0x1D, 0x10, 0, std::uint8_t(page.size() >> 8), std::uint8_t(page.size()), 0}, page);
  }
  Bytes Rsoc(std::uint8_t options, std::uint8_t opcode, std::uint16_t sa = 0) {
    Run({0xA3, 0x0C, options, opcode, std::uint8_t(sa >> 8), std::uint8_t(sa), 0, 0, 1, 0, 0, 0},
        {}, 256);
    EXPECT_EQ(status(), kStatusGood);
    return data();
  }
};

const Bytes kForceDump = {0x80, 0x00, 0x00, 0x04, 0x01, 0x60, 0x00, 0x00};  // what LTFS sends

std::string AsText(const Bytes& b) {
  return std::string(b.begin(), b.end());
}

// ---- READ BUFFER / WRITE BUFFER ----------------------------------------------

TEST(ReadBuffer, LtfsDumpSequenceAnswers) {
  Ready h;
  h.SendPage(kForceDump);
  ASSERT_EQ(h.status(), kStatusGood);
  h.ReadBuffer(0x03, 1, 0, 4);
  ASSERT_EQ(h.status(), kStatusGood);
  Bytes descriptor = h.data();
  ASSERT_EQ(descriptor.size(), 4u);
  EXPECT_EQ(descriptor[0], 0x00);  // any offset
  const std::uint32_t capacity = (descriptor[1] << 16) | (descriptor[2] << 8) | descriptor[3];
  const std::string expected =
      "vtape drive dump\n"
      "identity: IBM ULT3580-TD8 Q3F3\n"
      "serial: 1234567890\n"
      "medium: LTO-8 barcode ''\n"
      "position: partition 0 object 0 file 0\n"
      "records: written 0 read 0 filemarks 0\n"
      "errors: write 0 read 0\n"
      "encryption: off\n";
  h.ReadBuffer(0x02, 1, 0, 4096);
  ASSERT_EQ(capacity, expected.size()) << AsText(h.data());
  h.ReadBuffer(0x02, 1, 0, capacity);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(AsText(h.data()), expected);
  EXPECT_EQ(AsText(h.data()).find("secret"), std::string::npos);
  // In pieces from an offset, as LTFS reads large dumps; past the end is short.
  h.ReadBuffer(0x02, 1, 17, 100000);
  EXPECT_EQ(AsText(h.data()), expected.substr(17));
  h.ReadBuffer(0x02, 1, capacity, 10);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_TRUE(h.data().empty());
  h.ReadBuffer(0x02, 1, capacity + 1, 10);
  EXPECT_EQ(h.sense(), InvalidCdbSense(3));
}

TEST(ReadBuffer, TheDumpIsTakenWhenForcedAndStaysUntilTheNext) {
  Ready h;
  h.ReadBuffer(0x02, 1, 0, 4096);
  const std::string first = AsText(h.data());
  EXPECT_NE(first.find("records: written 0 read 0 filemarks 0\n"), std::string::npos);
  h.Run(Write6(10), Pattern(10));
  ASSERT_EQ(h.status(), kStatusGood);
  h.ReadBuffer(0x02, 0, 0, 4096);  // buffer 0 holds the same dump
  EXPECT_EQ(AsText(h.data()), first);
  h.SendPage(kForceDump);
  h.ReadBuffer(0x02, 1, 0, 4096);
  EXPECT_NE(AsText(h.data()).find("position: partition 0 object 1 file 0\n"), std::string::npos);
  EXPECT_NE(AsText(h.data()).find("records: written 1 read 0 filemarks 0\n"), std::string::npos);
}

TEST(ReadBuffer, AnswersWithoutMedium) {
  DriveHarness h("");
  h.ClearPowerOnAttention();
  h.Run({0x3C, 0x03, 1, 0, 0, 0, 0, 0, 4, 0}, {}, 4);
  EXPECT_EQ(h.status(), kStatusGood);
  h.Run({0x3C, 0x02, 1, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  EXPECT_NE(AsText(h.data()).find("medium: none\n"), std::string::npos);
}

TEST(ReadBuffer, UnknownBufferAndModeRefused) {
  Ready h;
  h.ReadBuffer(0x02, 2, 0, 16);
  EXPECT_EQ(h.sense(), InvalidCdbSense(2));
  h.ReadBuffer(0x03, 7, 0, 16);
  EXPECT_EQ(h.sense(), InvalidCdbSense(2));
  h.ReadBuffer(0x00, 0, 0, 16);  // combined header and data: not supported
  EXPECT_EQ(h.sense(), InvalidCdbSense(1, 4));
  h.ReadBuffer(0x1C, 0, 0, 16);  // error history: not supported
  EXPECT_EQ(h.sense(), InvalidCdbSense(1, 4));
  h.ReadBuffer(0x22, 1, 0, 16);  // MODE SPECIFIC bits: outside the usage data
  EXPECT_EQ(h.sense(), InvalidCdbSense(1, 5));
}

TEST(EchoBuffer, WriteThenReadBackAndDescriptor) {
  Ready h;
  h.ReadBuffer(0x0B, 0, 0, 4);
  EXPECT_EQ(h.data(), (Bytes{0x00, 0x00, 0x10, 0x00}));  // 4096 bytes
  h.ReadBuffer(0x0A, 0, 0, 64);
  EXPECT_EQ(h.status(), kStatusGood);
  EXPECT_TRUE(h.data().empty());
  const Bytes data = Pattern(100, 9);
  h.WriteEcho(data);
  ASSERT_EQ(h.status(), kStatusGood);
  h.ReadBuffer(0x0A, 0, 0, 4096);
  EXPECT_EQ(h.data(), data);
  h.ReadBuffer(0x0A, 5, 0x123, 10);  // buffer ID and offset are ignored in echo mode
  EXPECT_EQ(h.data(), Bytes(data.begin(), data.begin() + 10));
}

TEST(EchoBuffer, TooLongShortDataAndOtherModesRefused) {
  Ready h;
  h.WriteEcho(Pattern(4097));
  EXPECT_EQ(h.sense(), InvalidCdbSense(6));
  h.Run({0x3B, 0x0A, 0, 0, 0, 0, 0, 0, 100, 0}, Pattern(50));
  EXPECT_EQ(h.sense(), ParameterListLengthSense());
  h.Run({0x3B, 0x02, 0, 0, 0, 0, 0, 0, 4, 0}, Pattern(4));  // data mode
  EXPECT_EQ(h.sense(), InvalidCdbSense(1, 4));
  h.Run({0x3B, 0x05, 0, 0, 0, 0, 0, 0, 4, 0}, Pattern(4));  // download microcode
  EXPECT_EQ(h.sense(), InvalidCdbSense(1, 4));
  h.ReadBuffer(0x0A, 0, 0, 64);
  EXPECT_TRUE(h.data().empty());
}

// ---- SEND DIAGNOSTIC / RECEIVE DIAGNOSTIC RESULTS ------------------------------

TEST(SendDiagnostic, DefaultSelfTestPasses) {
  Ready h;
  h.Run({0x1D, 0x04, 0, 0, 0, 0});
  EXPECT_EQ(h.status(), kStatusGood);
  h.Run({0x1D, 0x07, 0, 0, 0, 0});  // DEVOFFL, UNITOFFL allowed
  EXPECT_EQ(h.status(), kStatusGood);
  h.Run({0x1D, 0x04, 0, 0, 8, 0}, kForceDump);  // a self-test takes no parameter list
  EXPECT_EQ(h.sense(), InvalidCdbSense(3));
  h.Run({0x1D, 0x24, 0, 0, 0, 0});  // self-test codes are not supported
  EXPECT_EQ(h.sense(), InvalidCdbSense(1, 5));
  h.Run({0x1D, 0x00, 0, 0, 0, 0});  // nothing asked
  EXPECT_EQ(h.status(), kStatusGood);
}

// A medium whose label becomes unreadable once `broken` is set.
class BreakableTape final : public ForwardingTape {
 public:
  using ForwardingTape::ForwardingTape;
  Status Stat(MediumInfo& info) const override {
    if (*broken) return Status::IoError("label unreadable");
    return ForwardingTape::Stat(info);
  }
  std::shared_ptr<bool> broken = std::make_shared<bool>(false);
};

TEST(SendDiagnostic, SelfTestFailsWhenTheMediumNoLongerAnswers) {
  std::unique_ptr<Tape> mem;
  ASSERT_TRUE(OpenTape("mem:", {}, mem).ok());
  auto tape = std::make_unique<BreakableTape>(std::move(mem));
  std::shared_ptr<bool> broken = tape->broken;
  DriveHarness h(std::move(tape), DriveConfig{});
  h.ClearPowerOnAttention();
  h.Run({0x1D, 0x04, 0, 0, 0, 0});
  EXPECT_EQ(h.status(), kStatusGood);
  *broken = true;
  h.Run({0x1D, 0x04, 0, 0, 0, 0});
  EXPECT_EQ(h.sense(), SenseBytes(0x04, 0x3E, 0x03));
}

TEST(SendDiagnostic, PagesChecked) {
  Ready h;
  h.SendPage({0x00, 0x00, 0x00, 0x00});
  EXPECT_EQ(h.status(), kStatusGood);
  h.SendPage({0x00, 0x00, 0x00, 0x02, 0x00, 0x80});  // page 00h carries no list
  EXPECT_EQ(h.sense(), InvalidParamSense(2));
  h.SendPage({0x00, 0x00, 0x00, 0x04, 0x00, 0x80});  // length beyond the list
  EXPECT_EQ(h.sense(), InvalidParamSense(2));
  h.SendPage({0x80, 0x00, 0x00, 0x04, 0x01, 0x61, 0x00, 0x00});  // another diagnostic ID
  EXPECT_EQ(h.sense(), InvalidParamSense(4));
  h.SendPage({0x40, 0x00, 0x00, 0x00});
  EXPECT_EQ(h.sense(), InvalidParamSense(0));
  h.Run({0x1D, 0x00, 0, 0, 8, 0}, kForceDump);  // PF 0
  EXPECT_EQ(h.sense(), InvalidCdbSense(1, 4));
  h.Run({0x1D, 0x10, 0, 0, 8, 0}, Bytes(kForceDump.begin(), kForceDump.begin() + 4));
  EXPECT_EQ(h.sense(), ParameterListLengthSense());
  h.Run({0x1D, 0x10, 0, 0, 2, 0}, Bytes{0x00, 0x00});
  EXPECT_EQ(h.sense(), ParameterListLengthSense());
}

TEST(ReceiveDiagnosticResults, SupportedPages) {
  Ready h;
  const Bytes supported = {0x00, 0x00, 0x00, 0x02, 0x00, 0x80};
  h.Run({0x1C, 0x01, 0x00, 0, 64, 0}, {}, 64);
  EXPECT_EQ(h.data(), supported);
  h.SendPage({0x00, 0x00, 0x00, 0x00});
  h.Run({0x1C, 0x00, 0x00, 0, 64, 0}, {}, 64);
  EXPECT_EQ(h.data(), supported);
  h.Run({0x1C, 0x00, 0x00, 0, 3, 0}, {}, 64);
  EXPECT_EQ(h.data(), Bytes(supported.begin(), supported.begin() + 3));
  h.Run({0x1C, 0x01, 0x80, 0, 64, 0}, {}, 64);  // page 80h is send-only
  EXPECT_EQ(h.sense(), InvalidCdbSense(2));
}

// ---- REPORT / SET TIMESTAMP ------------------------------------------------------

std::uint64_t HostMs() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

std::uint64_t Timestamp(const Bytes& d) {
  std::uint64_t v = 0;
  for (int i = 4; i < 10; ++i) v = (v << 8) | d[i];
  return v;
}

TEST(Timestamp, HostClockUntilSetThenTheSetValue) {
  Ready h;
  const Bytes report = {0xA3, 0x0F, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0};
  const std::uint64_t before = HostMs();
  h.Run(report, {}, 12);
  const std::uint64_t after = HostMs();
  ASSERT_EQ(h.status(), kStatusGood);
  Bytes d = h.data();
  ASSERT_EQ(d.size(), 12u);
  EXPECT_EQ(Bytes(d.begin(), d.begin() + 4), (Bytes{0x00, 0x0A, 0x03, 0x00}));  // origin 011b
  EXPECT_GE(Timestamp(d), before);
  EXPECT_LE(Timestamp(d), after);
  EXPECT_EQ(Bytes(d.begin() + 10, d.end()), (Bytes{0, 0}));

  // 2001-09-09 01:46:40 UTC.
  h.Run({0xA4, 0x0F, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0},
        {0, 0, 0, 0, 0x00, 0xE8, 0xD4, 0xA5, 0x10, 0x00, 0, 0});
  ASSERT_EQ(h.status(), kStatusGood);
  h.Run(report, {}, 12);
  d = h.data();
  EXPECT_EQ(d[2], 0x02);  // origin 010b: SET TIMESTAMP
  EXPECT_GE(Timestamp(d), 1000000000000u);
  EXPECT_LE(Timestamp(d), 1000000000000u + (HostMs() - before));
}

TEST(Timestamp, SetTimestampChecksItsList) {
  Ready h;
  h.Run({0xA4, 0x0F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});  // no list: no change
  EXPECT_EQ(h.status(), kStatusGood);
  h.Run({0xA4, 0x0F, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0}, Bytes(8, 0));
  EXPECT_EQ(h.sense(), ParameterListLengthSense());
  h.Run({0xA4, 0x0F, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0}, Bytes(6, 0));
  EXPECT_EQ(h.sense(), ParameterListLengthSense());
  h.Run({0xA4, 0x0F, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0}, {0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0});
  EXPECT_EQ(h.sense(), InvalidParamSense(2));
  h.Run({0xA4, 0x0F, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 7});
  EXPECT_EQ(h.sense(), InvalidParamSense(11));
  h.Run({0xA3, 0x0F, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0}, {}, 12);
  EXPECT_EQ(h.data()[2], 0x03);                                      // none of those set it
  h.Run({0xA4, 0x0E, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0}, Bytes(12, 0));  // another service action
  EXPECT_EQ(h.sense(), InvalidCdbSense(1, 4));
}

// ---- REPORT SUPPORTED OPERATION CODES: the usage data of each new command -------

TEST(NewCommandUsageData, ExactMasks) {
  Ready h;
  EXPECT_EQ(h.Rsoc(0x01, 0x3C),
            (Bytes{0, 3, 0, 10, 0x3C, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}));
  EXPECT_EQ(h.Rsoc(0x01, 0x3B),
            (Bytes{0, 3, 0, 10, 0x3B, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}));
  EXPECT_EQ(h.Rsoc(0x01, 0x1D), (Bytes{0, 3, 0, 6, 0x1D, 0x17, 0x00, 0xFF, 0xFF, 0x00}));
  EXPECT_EQ(h.Rsoc(0x01, 0x1C), (Bytes{0, 3, 0, 6, 0x1C, 0x01, 0xFF, 0xFF, 0xFF, 0x00}));
  EXPECT_EQ(h.Rsoc(0x01, 0x13), (Bytes{0, 3, 0, 6, 0x13, 0x2F, 0xFF, 0xFF, 0xFF, 0x00}));
  EXPECT_EQ(h.Rsoc(0x01, 0x8F),
            (Bytes{0,    3,    0,    16,   0x8F, 0x2F, 0x00, 0xFF, 0xFF, 0xFF,
                   0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}));
  EXPECT_EQ(h.Rsoc(0x01, 0x82),
            (Bytes{0,    3,    0,    16,   0x82, 0x00, 0x0F, 0xFF, 0xFF, 0xFF,
                   0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(h.Rsoc(0x02, 0xA3, 0x0F),
            (Bytes{0, 3, 0, 12, 0xA3, 0x0F, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}));
  EXPECT_EQ(h.Rsoc(0x02, 0xA4, 0x0F),
            (Bytes{0, 3, 0, 12, 0xA4, 0x0F, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}));
}

}  // namespace
}  // namespace vtape::ssc::testing
