// LOG SENSE / LOG SELECT: every page's exact bytes, page control, parameter
// pointer, allocation length, resets and the rejections.
#include <gtest/gtest.h>

#include "drive_harness.h"
#include "sense_bytes.h"
#include "ssc_test_util.h"
#include "vtape/forwarding_tape.h"

namespace vtape::ssc::testing {
namespace {

Bytes Counter8(std::uint16_t code, std::uint64_t value, std::uint8_t control = 0x00) {
  Bytes p = {static_cast<std::uint8_t>(code >> 8), static_cast<std::uint8_t>(code), control, 8};
  for (int i = 7; i >= 0; --i) p.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
  return p;
}

Bytes Value4(std::uint16_t code, std::uint32_t value) {
  return {static_cast<std::uint8_t>(code >> 8),
          static_cast<std::uint8_t>(code),
          0x03,
          4,
          static_cast<std::uint8_t>(value >> 24),
          static_cast<std::uint8_t>(value >> 16),
          static_cast<std::uint8_t>(value >> 8),
          static_cast<std::uint8_t>(value)};
}

Bytes Page(std::uint8_t code, const std::vector<Bytes>& params) {
  Bytes body;
  for (const Bytes& p : params) AppendBytes(body, p);
  Bytes d = {static_cast<std::uint8_t>(0x80 | code), 0, static_cast<std::uint8_t>(body.size() >> 8),
             static_cast<std::uint8_t>(body.size())};
  AppendBytes(d, body);
  return d;
}

Bytes ErrorCounters(std::uint8_t code, std::uint64_t corrected, std::uint64_t bytes,
                    std::uint64_t uncorrected) {
  return Page(code, {Counter8(0, 0), Counter8(1, 0), Counter8(2, 0), Counter8(3, corrected),
                     Counter8(4, corrected), Counter8(5, bytes), Counter8(6, uncorrected)});
}

Bytes SequentialAccess(std::uint64_t w_host, std::uint64_t w_medium, std::uint64_t r_medium,
                       std::uint64_t r_host, std::uint32_t eod_mb, std::uint32_t ew_mb,
                       std::uint32_t ew_zone_mb, std::uint32_t here_mb) {
  return Page(0x0C, {Counter8(0, w_host), Counter8(1, w_medium), Counter8(2, r_medium),
                     Counter8(3, r_host), Value4(4, eod_mb), Value4(5, ew_mb),
                     Value4(6, ew_zone_mb), Value4(7, here_mb), Bytes{0x01, 0x00, 0x03, 1, 0}});
}

Bytes TapeAlert(std::initializer_list<int> active) {
  std::vector<Bytes> params;
  for (int flag = 1; flag <= 64; ++flag) {
    bool on = std::find(active.begin(), active.end(), flag) != active.end();
    params.push_back({0, static_cast<std::uint8_t>(flag), 0x03, 1, static_cast<std::uint8_t>(on)});
  }
  return Page(0x2E, params);
}

class Log : public ::testing::Test {
 protected:
  explicit Log(const std::string& medium = "mem:capacity=100000000,early_warning=20000000")
      : h_(medium) {
    h_.ClearPowerOnAttention();
  }
  Bytes Sense(std::uint8_t pc_page, std::uint16_t pointer = 0, std::uint16_t allocation = 4096) {
    h_.Run({0x4D, 0, pc_page, 0, 0, static_cast<std::uint8_t>(pointer >> 8),
            static_cast<std::uint8_t>(pointer), static_cast<std::uint8_t>(allocation >> 8),
            static_cast<std::uint8_t>(allocation), 0},
           {}, 4096);
    return h_.data();
  }
  void WriteRecord(std::uint32_t length) {
    Bytes data(length, 0x5A);
    h_.Run({0x0A, 0, static_cast<std::uint8_t>(length >> 16),
            static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length), 0},
           data);
    ASSERT_EQ(h_.status(), kStatusGood);
  }
  void Select(std::uint8_t flags, std::uint8_t pc_page, const Bytes& list = {}) {
    h_.Run({0x4C, flags, pc_page, 0, 0, 0, 0, static_cast<std::uint8_t>(list.size() >> 8),
            static_cast<std::uint8_t>(list.size()), 0},
           list);
  }

  DriveHarness h_;
};

TEST_F(Log, SupportedPages) {
  EXPECT_EQ(Sense(0x00),
            (Bytes{0x80, 0, 0, 9, 0x00, 0x02, 0x03, 0x0C, 0x17, 0x1B, 0x2E, 0x31, 0x3D}));
}

TEST_F(Log, SupportedPagesAndSubpages) {
  h_.Run({0x4D, 0, 0x00, 0xFF, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  EXPECT_EQ(h_.data(),
            (Bytes{0xC0, 0xFF, 0,    20,   0x00, 0x00, 0x00, 0xFF, 0x02, 0x00, 0x03, 0x00,
                   0x0C, 0x00, 0x17, 0x00, 0x1B, 0x00, 0x2E, 0x00, 0x31, 0x00, 0x3D, 0x00}));
}

TEST_F(Log, FreshCountersAreZero) {
  EXPECT_EQ(Sense(0x40 | 0x02), ErrorCounters(0x02, 0, 0, 0));
  EXPECT_EQ(Sense(0x40 | 0x03), ErrorCounters(0x03, 0, 0, 0));
  EXPECT_EQ(Sense(0x40 | 0x0C), SequentialAccess(0, 0, 0, 0, 0, 80, 20, 0));
}

TEST_F(Log, CountersFollowTheDataPath) {
  WriteRecord(1000);
  WriteRecord(24);
  h_.Run({0x01, 0, 0, 0, 0, 0});                  // REWIND
  h_.Run({0x08, 0, 0, 0x03, 0xE8, 0}, {}, 1000);  // READ 1000
  ASSERT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(Sense(0x40 | 0x02), ErrorCounters(0x02, 0, 1024, 0));
  EXPECT_EQ(Sense(0x40 | 0x03), ErrorCounters(0x03, 0, 1000, 0));
  EXPECT_EQ(Sense(0x40 | 0x0C), SequentialAccess(1024, 1024, 1000, 1000, 0, 80, 20, 0));
}

TEST_F(Log, ThresholdAndDefaultValuesAreZero) {
  WriteRecord(100);
  for (std::uint8_t pc : {0x00, 0x80, 0xC0}) {
    EXPECT_EQ(Sense(static_cast<std::uint8_t>(pc | 0x02)), ErrorCounters(0x02, 0, 0, 0));
  }
}

TEST_F(Log, ParameterPointerSkipsLowerCodes) {
  WriteRecord(100);
  EXPECT_EQ(Sense(0x40 | 0x02, 5), Page(0x02, {Counter8(5, 100), Counter8(6, 0)}));
  Sense(0x40 | 0x02, 7);
  EXPECT_EQ(h_.sense(), InvalidCdbSense(5));
  Sense(0x40 | 0x00, 1);
  EXPECT_EQ(h_.sense(), InvalidCdbSense(5));
}

TEST_F(Log, AllocationLengthTruncates) {
  EXPECT_EQ(Sense(0x40 | 0x2E, 0, 8), (Bytes{0xAE, 0, 0x01, 0x40, 0, 1, 0x03, 1}));
  EXPECT_EQ(h_.status(), kStatusGood);
}

TEST(LogAlerts, TapeAlertFlagIsReportedOnceThenCleared) {
  DriveHarness h("mem:write_protected=1");
  h.ClearPowerOnAttention();
  h.Run({0x0A, 0, 0, 0, 4, 0}, {1, 2, 3, 4});  // WRITE on a protected medium
  ASSERT_EQ(h.SenseKey(), 0x7);
  h.Run({0x4D, 0, 0x40 | 0x2E, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  EXPECT_EQ(h.data(), TapeAlert({9}));
  h.Run({0x4D, 0, 0x40 | 0x2E, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  EXPECT_EQ(h.data(), TapeAlert({}));
}

TEST(LogAlerts, ThresholdViewOfTapeAlertDoesNotClear) {
  DriveHarness h("mem:write_protected=1");
  h.ClearPowerOnAttention();
  h.Run({0x0A, 0, 0, 0, 4, 0}, {1, 2, 3, 4});
  h.Run({0x4D, 0, 0x00 | 0x2E, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  EXPECT_EQ(h.data(), TapeAlert({}));
  h.Run({0x4D, 0, 0x40 | 0x2E, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  EXPECT_EQ(h.data(), TapeAlert({9}));
}

// A medium that reports itself degraded, like a RAIT set with a failed member.
class DegradedTape : public ForwardingTape {
 public:
  using ForwardingTape::ForwardingTape;
  Health health() const override {
    return {true, "member 2 (file:/b.img) failed: EIO; member 0 (file:/a.img) failed: EIO", {0, 2}};
  }
};

TEST(LogAlerts, DegradedMediumRaisesFlag38AndFillsPage3D) {
  DriveHarness h;
  std::unique_ptr<Tape> inner;
  ASSERT_TRUE(OpenTape("mem:", {}, inner).ok());
  ASSERT_TRUE(h.drive().ChangeMedium(std::make_unique<DegradedTape>(std::move(inner))).ok());
  h.ClearPowerOnAttention();
  h.Run({0x00, 0, 0, 0, 0, 0});  // the media-change attention
  h.Run({0x4D, 0, 0x40 | 0x2E, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  EXPECT_EQ(h.data(), TapeAlert({38}));
  h.Run({0x4D, 0, 0x40 | 0x2E, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  EXPECT_EQ(h.data(), TapeAlert({38}));  // still degraded: raised again

  h.Run({0x4D, 0, 0x40 | 0x3D, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  // Member indices and state only: no paths, no host errors.
  std::string detail = "member 0 failed; member 2 failed";  // 32 chars
  Bytes ascii = Ascii(detail, 32);
  Bytes detail_param = {0, 1, 0x01, 32};
  AppendBytes(detail_param, ascii);
  EXPECT_EQ(h.data(), Page(0x3D, {Bytes{0, 0, 0x03, 1, 1}, detail_param, Counter8(2, 0)}));
}

TEST_F(Log, HealthyMediumHealthPage) {
  EXPECT_EQ(Sense(0x40 | 0x3D),
            Page(0x3D, {Bytes{0, 0, 0x03, 1, 0}, Bytes{0, 1, 0x01, 0}, Counter8(2, 0)}));
}

TEST_F(Log, TapeCapacityInMebibytes) {
  // 100,000,000 bytes = 95.4 MiB; after 2 MiB written, 93.4 MiB remain.
  EXPECT_EQ(Sense(0x40 | 0x31),
            Page(0x31, {Value4(1, 95), Value4(2, 0), Value4(3, 95), Value4(4, 0)}));
  WriteRecord(1 << 20);
  WriteRecord(1 << 20);
  EXPECT_EQ(Sense(0x40 | 0x31),
            Page(0x31, {Value4(1, 93), Value4(2, 0), Value4(3, 95), Value4(4, 0)}));
  EXPECT_EQ(Sense(0x40 | 0x0C), SequentialAccess(2 << 20, 2 << 20, 0, 0, 2, 80, 20, 2));
}

TEST(LogMedium, TapeCapacityNeedsAMedium) {
  DriveHarness h("");
  h.ClearPowerOnAttention();
  h.Run({0x4D, 0, 0x40 | 0x31, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  EXPECT_EQ(h.sense(), MediumNotPresentSense());
  h.Run({0x4D, 0, 0x40 | 0x02, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);  // counters do not
  EXPECT_EQ(h.status(), kStatusGood);
}

TEST_F(Log, SenseRejections) {
  Sense(0x40 | 0x05);
  EXPECT_EQ(h_.sense(), InvalidCdbSense(2, 5));
  h_.Run({0x4D, 0, 0x40 | 0x02, 0x01, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  EXPECT_EQ(h_.sense(), InvalidCdbSense(3));
  h_.Run({0x4D, 0x01, 0x40 | 0x02, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  EXPECT_EQ(h_.sense(), SavingNotSupportedSense());
  h_.Run({0x4D, 0x02, 0x40 | 0x02, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);  // PPC
  EXPECT_EQ(h_.sense(), InvalidCdbSense(1, 1));
}

// ---- page 37h (IBM performance characteristics) ----------------------------

DriveConfig Ibm(const std::string& key = "ibm-lto8") {
  DriveConfig c;
  c.personality = key;
  return c;
}

Bytes SenseSubpage(DriveHarness& h, std::uint8_t page, std::uint8_t subpage,
                   std::uint16_t pointer = 0) {
  h.Run({0x4D, 0, static_cast<std::uint8_t>(0x40 | page), subpage, 0,
         static_cast<std::uint8_t>(pointer >> 8), static_cast<std::uint8_t>(pointer), 0x10, 0, 0},
        {}, 4096);
  return h.data();
}

TEST(LogIbm, SupportedPagesListPage37AndItsSubpage) {
  DriveHarness h("mem:", Ibm());
  h.ClearPowerOnAttention();
  EXPECT_EQ(SenseSubpage(h, 0x00, 0x00), (Bytes{0x80, 0, 0, 11, 0x00, 0x02, 0x03, 0x0C, 0x17, 0x1B,
                                                0x2E, 0x31, 0x32, 0x37, 0x3D}));
  EXPECT_EQ(SenseSubpage(h, 0x00, 0xFF),
            (Bytes{0xC0, 0xFF, 0,    26,   0x00, 0x00, 0x00, 0xFF, 0x02, 0x00,
                   0x03, 0x00, 0x0C, 0x00, 0x17, 0x00, 0x1B, 0x00, 0x2E, 0x00,
                   0x31, 0x00, 0x32, 0x00, 0x37, 0x00, 0x37, 0x64, 0x3D, 0x00}));
}

TEST(LogIbm, MediaEfficiencyFollowsTheMedium) {
  DriveHarness h("mem:", Ibm("ibm-lto5"));
  h.ClearPowerOnAttention();
  // Healthy medium: 0001h = 01h (best); no SPF for subpage 00h.
  EXPECT_EQ(SenseSubpage(h, 0x37, 0x00), (Bytes{0xB7, 0x00, 0, 5, 0x00, 0x01, 0x03, 1, 0x01}));
  h.Run({0x1B, 0, 0, 0, 0, 0});  // UNLOAD
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(SenseSubpage(h, 0x37, 0x00), (Bytes{0xB7, 0x00, 0, 5, 0x00, 0x01, 0x03, 1, 0x00}));
}

TEST(LogIbm, CapacityLossSubpage64) {
  DriveHarness h("mem:", Ibm());
  h.ClearPowerOnAttention();
  EXPECT_EQ(SenseSubpage(h, 0x37, 0x64),
            (Bytes{0xF7, 0x64, 0, 8, 0x71, 0x13, 0x03, 4, 0, 0, 0, 0}));
  EXPECT_EQ(SenseSubpage(h, 0x37, 0x64, 0x7113),
            (Bytes{0xF7, 0x64, 0, 8, 0x71, 0x13, 0x03, 4, 0, 0, 0, 0}));
  SenseSubpage(h, 0x37, 0x64, 0x7114);
  EXPECT_EQ(h.sense(), InvalidCdbSense(5));
  SenseSubpage(h, 0x37, 0x01);  // a subpage the drive lacks
  EXPECT_EQ(h.sense(), InvalidCdbSense(3));
}

TEST(LogIbm, DegradedMediumIsWorstEfficiency) {
  std::unique_ptr<Tape> inner;
  ASSERT_TRUE(OpenTape("mem:", {}, inner).ok());
  DriveHarness h(std::make_unique<DegradedTape>(std::move(inner)), Ibm());
  h.ClearPowerOnAttention();
  EXPECT_EQ(SenseSubpage(h, 0x37, 0x00), (Bytes{0xB7, 0x00, 0, 5, 0x00, 0x01, 0x03, 1, 0xFF}));
}

TEST(LogIbm, OtherIdentitiesRefusePage37) {
  for (const char* key : {"generic", "hp-lto8"}) {
    DriveHarness h("mem:", Ibm(key));
    h.ClearPowerOnAttention();
    SenseSubpage(h, 0x37, 0x00);
    EXPECT_EQ(h.sense(), InvalidCdbSense(2, 5)) << key;
    SenseSubpage(h, 0x37, 0x64);
    EXPECT_EQ(h.sense(), InvalidCdbSense(3)) << key;
  }
}

// ---- Data compression (1Bh, and 32h of the IBM and HP identities) ---------

Bytes Counter4(std::uint16_t code, std::uint32_t value) {
  Bytes p = Value4(code, value);
  p[2] = 0x00;  // a counter, not a list
  return p;
}

Bytes Ratio(std::uint16_t code, std::uint16_t x100) {
  return {static_cast<std::uint8_t>(code >> 8), static_cast<std::uint8_t>(code), 0x03, 2,
          static_cast<std::uint8_t>(x100 >> 8), static_cast<std::uint8_t>(x100)};
}

// The parameters 0000h-0009h both pages share: ratios, then MiB and the bytes
// left over of to-host, from-medium, from-host and to-medium bytes.
std::vector<Bytes> CompressionParams(std::uint64_t to_host, std::uint64_t from_medium,
                                     std::uint64_t from_host, std::uint64_t to_medium) {
  auto ratio = [](std::uint64_t host, std::uint64_t medium) {
    return static_cast<std::uint16_t>(medium ? host * 100 / medium : 0);
  };
  std::vector<Bytes> params = {Ratio(0, ratio(to_host, from_medium)),
                               Ratio(1, ratio(from_host, to_medium))};
  std::uint16_t code = 2;
  for (std::uint64_t bytes : {to_host, from_medium, from_host, to_medium}) {
    params.push_back(Counter4(code++, static_cast<std::uint32_t>(bytes >> 20)));
    params.push_back(Counter4(code++, static_cast<std::uint32_t>(bytes & 0xFFFFF)));
  }
  return params;
}

// The stored length of object `object`, read from the drive's medium.
std::uint64_t StoredLength(DriveHarness& h, std::uint64_t object) {
  Tape& medium = *const_cast<Tape*>(h.drive().medium());
  SpaceResult moved;
  EXPECT_TRUE(medium.Locate(0, object, moved).ok());
  Bytes byte(1);
  ReadResult got;
  EXPECT_TRUE(medium.Read(byte, got).ok());
  return got.length;
}

TEST(LogCompression, PagesReportHostAndMediumBytesOfCompressedRecords) {
  DriveHarness h("mem:", Ibm());
  h.ClearPowerOnAttention();
  // Two records of 1 MiB of one byte value: LZ4 stores each in a few KiB.
  const std::uint32_t record = 1u << 20;
  for (int i = 0; i < 2; ++i) {
    h.Run(Write6(record), Bytes(record, 0x5A));
    ASSERT_EQ(h.status(), kStatusGood);
  }
  const std::uint64_t stored = StoredLength(h, 0) + StoredLength(h, 1);
  ASSERT_LT(stored, record / 100);
  h.Run(RewindCdb());
  h.Run(Read6(record), {}, record);
  ASSERT_EQ(h.status(), kStatusGood);
  ASSERT_EQ(h.data(), Bytes(record, 0x5A));
  std::vector<Bytes> params =
      CompressionParams(record, StoredLength(h, 0), 2 * std::uint64_t{record}, stored);
  EXPECT_EQ(SenseSubpage(h, 0x32, 0x00), Page(0x32, params));
  params.push_back({0x01, 0x00, 0x03, 1, 0x01});  // 0100h: data compression enabled
  EXPECT_EQ(SenseSubpage(h, 0x1B, 0x00), Page(0x1B, params));
}

TEST(LogCompression, DisabledCompressionReportsRatio100) {
  DriveHarness h("mem:", Ibm("hp-lto8"));
  h.ClearPowerOnAttention();
  h.Run(ModeSelect6(20), CompressionSelectList(false));  // as `mt compression 0`
  ASSERT_EQ(h.status(), kStatusGood);
  h.Run(Write6(5000), Bytes(5000, 0));
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(StoredLength(h, 0), 5000u);
  std::vector<Bytes> params = CompressionParams(0, 0, 5000, 5000);
  EXPECT_EQ(SenseSubpage(h, 0x32, 0x00), Page(0x32, params));
  params.push_back({0x01, 0x00, 0x03, 1, 0x00});
  EXPECT_EQ(SenseSubpage(h, 0x1B, 0x00), Page(0x1B, params));
  // A LOG SELECT reset of page 1Bh zeroes the counters it reports.
  h.Run({0x4C, 0x02, 0x40 | 0x1B, 0, 0, 0, 0, 0, 0, 0});
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(SenseSubpage(h, 0x32, 0x00), Page(0x32, CompressionParams(0, 0, 0, 0)));
}

TEST(LogCompression, GenericDriveHasNoVendorPage) {
  DriveHarness h("mem:");
  h.ClearPowerOnAttention();
  SenseSubpage(h, 0x32, 0x00);
  EXPECT_EQ(h.sense(), InvalidCdbSense(2, 5));
}

// ---- LOG SELECT -----------------------------------------------------------

TEST_F(Log, PcrResetsEveryCounter) {
  WriteRecord(100);
  Select(0x02, 0x40);
  EXPECT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(Sense(0x40 | 0x0C), SequentialAccess(0, 0, 0, 0, 0, 80, 20, 0));
  EXPECT_EQ(Sense(0x40 | 0x02), ErrorCounters(0x02, 0, 0, 0));
}

TEST_F(Log, PcrForThresholdsChangesNothing) {
  WriteRecord(100);
  Select(0x02, 0x00);
  EXPECT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(Sense(0x40 | 0x02), ErrorCounters(0x02, 0, 100, 0));
}

TEST_F(Log, ZeroLengthSelectResetsOnePage) {
  WriteRecord(100);
  Select(0x00, 0xC0 | 0x0C);  // default cumulative of page 0Ch
  EXPECT_EQ(h_.status(), kStatusGood);
  EXPECT_EQ(Sense(0x40 | 0x0C), SequentialAccess(0, 0, 0, 0, 0, 80, 20, 0));
}

TEST(LogSelectAlerts, ZeroLengthSelectOfPage2EClearsFlags) {
  DriveHarness h("mem:write_protected=1");
  h.ClearPowerOnAttention();
  h.Run({0x0A, 0, 0, 0, 4, 0}, {1, 2, 3, 4});
  h.Run({0x4C, 0, 0x40 | 0x2E, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(h.status(), kStatusGood);
  h.Run({0x4D, 0, 0x40 | 0x2E, 0, 0, 0, 0, 0x10, 0, 0}, {}, 4096);
  EXPECT_EQ(h.data(), TapeAlert({}));
}

TEST_F(Log, SelectRejections) {
  Select(0x01, 0x40);  // SP
  EXPECT_EQ(h_.sense(), SavingNotSupportedSense());
  Select(0x02, 0x40, {0x0C, 0, 0, 0});  // PCR with a parameter list
  EXPECT_EQ(h_.sense(), InvalidCdbSense(7));
  Select(0x00, 0x40 | 0x05);  // unknown page
  EXPECT_EQ(h_.sense(), InvalidCdbSense(2, 5));
  Select(0x00, 0x40 | 0x0C, {0x0C, 0, 0, 0});  // page code in the CDB and the data
  EXPECT_EQ(h_.sense(), InvalidCdbSense(2, 5));
  h_.Run({0x4C, 0, 0x40 | 0x0C, 0x01, 0, 0, 0, 0, 0, 0});  // subpage
  EXPECT_EQ(h_.sense(), InvalidCdbSense(3));
}

TEST_F(Log, SelectParameterData) {
  Select(0x00, 0x40, {0x0C, 0, 0, 0});  // a page header, no parameters: nothing to set
  EXPECT_EQ(h_.status(), kStatusGood);
  Select(0x00, 0x40, {0x05, 0, 0, 0});
  EXPECT_EQ(h_.sense(), InvalidParamSense(0, 5));
  Select(0x00, 0x40, {0x0C, 0, 0, 0, 0x05, 0, 0, 0});  // second page unknown
  EXPECT_EQ(h_.sense(), InvalidParamSense(4, 5));
  Bytes set = {0x0C, 0, 0, 12};
  AppendBytes(set, Counter8(0, 0));
  Select(0x00, 0x40, set);  // counters are not settable
  EXPECT_EQ(h_.sense(), InvalidParamSense(4));
  Select(0x00, 0x40, {0x0C, 0});  // shorter than a page header
  EXPECT_EQ(h_.sense(), ParameterListLengthSense());
  Select(0x00, 0x40, {0x0C, 0, 0, 8, 0, 0});  // page longer than the list
  EXPECT_EQ(h_.sense(), ParameterListLengthSense());
  h_.Run({0x4C, 0, 0x40, 0, 0, 0, 0, 0, 8, 0}, {0x0C, 0, 0, 0});  // list cut short
  EXPECT_EQ(h_.sense(), ParameterListLengthSense());
}

}  // namespace
}  // namespace vtape::ssc::testing
