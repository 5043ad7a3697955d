// Partitioned media at CDB level: mode page 11h (MODE SENSE/SELECT), FORMAT
// MEDIUM, SET CAPACITY, and LOCATE/READ POSITION across partitions, with the
// exact bytes LTFS sends and reads (../shared/reference/ltfs-debian12.md).
#include <gtest/gtest.h>

#include "drive_harness.h"
#include "sense_bytes.h"
#include "ssc_test_util.h"
#include "vtape/forwarding_tape.h"

namespace vtape::ssc::testing {
namespace {

constexpr std::uint64_t kGB = 1000ull * 1000 * 1000;

// A drive past its power-on unit attention.
struct Drive11 : DriveHarness {
  explicit Drive11(const std::string& medium = "mem:") : DriveHarness(medium) {
    ClearPowerOnAttention();
  }
  Position Pos() { return drive().medium()->GetPosition(); }

  // MODE SENSE(10) of page 11h as LTFS sends it (allocation `alloc`).
  Bytes Sense11(std::uint8_t pc = 0, std::uint16_t alloc = 0x1000) {
    Run({0x5A, 0, static_cast<std::uint8_t>((pc << 6) | 0x11), 0, 0, 0, 0,
         static_cast<std::uint8_t>(alloc >> 8), static_cast<std::uint8_t>(alloc), 0},
        {}, alloc);
    EXPECT_EQ(status(), kStatusGood);
    return data();
  }
  // The page alone (after the 8-byte header and the 8-byte block descriptor).
  Bytes Page11(std::uint8_t pc = 0) {
    Bytes d = Sense11(pc);
    return d.size() > 16 ? Bytes(d.begin() + 16, d.end()) : Bytes{};
  }
  // MODE SELECT(10) of `list`.
  const ScsiResult& Select10(const Bytes& list) {
    return Run({0x55, 0x10, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(list.size() >> 8),
                static_cast<std::uint8_t>(list.size()), 0},
               list);
  }
  // What LTFS's tape_format() does to the page it read: one additional
  // partition, IDP, the drive's PSUM/POFM kept, units 10^9, partition 0 FFFFh,
  // partition 1 0001h; mode data length zeroed.
  Bytes LtfsSelectList() {
    Bytes d = Sense11(0, 28);
    EXPECT_EQ(d.size(), 28u);
    const std::size_t length = 28 + (d[17] > 0x0A ? d[17] - 0x0A : 0);
    d.resize(length, 0);
    d[0] = d[1] = 0;
    d[19] = 0x01;
    d[20] = 0x20 | (d[20] & 0x1F);
    d[22] = 0x09;
    d[24] = 0xFF;
    d[25] = 0xFF;
    d[26] = 0x00;
    d[27] = 0x01;
    return d;
  }
  std::uint64_t MaxCapacityMiB(std::uint8_t partition) {
    Bytes cdb(16, 0);
    cdb[0] = 0x8C;
    cdb[7] = partition;
    cdb[9] = 0x01;  // attribute 0001h
    cdb[13] = 17;   // its header and value only
    Run(cdb, {}, 64);
    EXPECT_EQ(status(), kStatusGood);
    Bytes d = data();
    EXPECT_EQ(d.size(), 17u);
    std::uint64_t v = 0;
    for (std::size_t i = 9; i < d.size(); ++i) v = (v << 8) | d[i];
    return v;
  }
  std::uint32_t Partitions() {
    MediumInfo info;
    EXPECT_TRUE(drive().medium()->Stat(info).ok());
    return info.partitions;
  }
};

Bytes FormatMedium(std::uint8_t format, std::uint8_t byte1 = 0, std::uint16_t transfer = 0) {
  return {0x04,
          byte1,
          format,
          static_cast<std::uint8_t>(transfer >> 8),
          static_cast<std::uint8_t>(transfer),
          0};
}

Bytes SetCapacity(std::uint16_t proportion, bool immed = false) {
  return {0x0B,
          std::uint8_t(immed),
          0,
          static_cast<std::uint8_t>(proportion >> 8),
          static_cast<std::uint8_t>(proportion),
          0};
}

Bytes PositionPastBeginningSense() {
  return SenseBytes(0x05, 0x3B, 0x0C);
}

// --- MODE SENSE 11h -----------------------------------------------------------------

TEST(PartitionPage, Lto8MediumMayHoldFourPartitions) {
  Drive11 t;
  // Maximum additional partitions 3; none defined; PSUM 11b, POFM; format and
  // partition recognition; 12000 x 10^9 bytes; three empty descriptors.
  EXPECT_EQ(t.Page11(), (Bytes{0x11, 0x0E, 3, 0, 0x1C, 0x03, 9, 0, 0x2E, 0xE0, 0, 0, 0, 0, 0, 0}));
}

TEST(PartitionPage, Lto5MediumMayHoldTwo) {
  Drive11 t("mem:media=LTO-5");
  // 1.5 TB = 15000 x 10^8 bytes.
  EXPECT_EQ(t.Page11(), (Bytes{0x11, 0x0A, 1, 0, 0x1C, 0x03, 8, 0, 0x3A, 0x98, 0, 0}));
}

TEST(PartitionPage, ChangeableMask) {
  Drive11 t;
  EXPECT_EQ(t.Page11(1), (Bytes{0x11, 0x0E, 0, 0xFF, 0xF8, 0, 0x0F, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                0xFF, 0xFF, 0xFF}));
}

TEST(PartitionPage, TwoPartitionMediumReportsIdpAndBothSizes) {
  Drive11 t("mem:capacity=100000,partitions=2");
  EXPECT_EQ(t.Page11(),
            (Bytes{0x11, 0x0E, 3, 1, 0x3C, 0x03, 0, 0, 0xC3, 0x50, 0xC3, 0x50, 0, 0, 0, 0}));
}

// --- MODE SELECT 11h ----------------------------------------------------------------

TEST(PartitionSelect, LtfsLayoutIsPendingUntilFormatMedium) {
  Drive11 t;
  t.Run(Write6(10), Pattern(10));
  t.Run(RewindCdb());
  const Bytes list = t.LtfsSelectList();
  EXPECT_EQ(list.size(), 32u);
  t.Select10(list);
  EXPECT_EQ(t.status(), kStatusGood) << ::testing::PrintToString(t.sense());
  // MODE SENSE shows the layout asked for; the medium is unchanged.
  EXPECT_EQ(t.Page11(),
            (Bytes{0x11, 0x0E, 3, 1, 0x3C, 0x03, 9, 0, 0xFF, 0xFF, 0x00, 0x01, 0, 0, 0, 0}));
  EXPECT_EQ(t.Partitions(), 1u);
  // The default view is the medium's.
  EXPECT_EQ(t.Page11(2)[3], 0);

  t.Run(FormatMedium(1));
  EXPECT_EQ(t.status(), kStatusGood) << ::testing::PrintToString(t.sense());
  EXPECT_EQ(t.Partitions(), 2u);
  EXPECT_EQ(t.Pos().partition, 0u);
  EXPECT_EQ(t.Pos().object, 0u);
  // Partition 1 is 1 GB; partition 0 the rest (in MiB, attribute 0001h).
  EXPECT_EQ(t.MaxCapacityMiB(1), kGB / (1 << 20));
  EXPECT_EQ(t.MaxCapacityMiB(0), (12000 * kGB - kGB) / (1 << 20));
  // The record written before is gone.
  t.Run(Read6(10), {}, 10);
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05, 0, 10));
  // The page now describes the medium: 11999 and 1 (x 10^9).
  EXPECT_EQ(t.Page11(),
            (Bytes{0x11, 0x0E, 3, 1, 0x3C, 0x03, 9, 0, 0x2E, 0xDF, 0x00, 0x01, 0, 0, 0, 0}));
}

TEST(PartitionSelect, SizesInMegabytesAndSelectDataPartitions) {
  Drive11 t("mem:capacity=10000000");
  Bytes list = t.LtfsSelectList();
  list[20] = 0x20 | 0x10 | 0x04;  // IDP, PSUM 10b (megabytes), POFM
  list[24] = 0x00;
  list[25] = 0x03;  // 3 MB
  list[26] = 0xFF;
  list[27] = 0xFF;  // the rest
  t.Select10(list);
  ASSERT_EQ(t.status(), kStatusGood) << ::testing::PrintToString(t.sense());
  // Shown back in PSUM 11b: 3000000 and FFFFh, units 10^2.
  EXPECT_EQ(t.Page11(),
            (Bytes{0x11, 0x0E, 3, 1, 0x3C, 0x03, 2, 0, 0x75, 0x30, 0xFF, 0xFF, 0, 0, 0, 0}));
  t.Run(FormatMedium(2));
  ASSERT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Partitions(), 2u);

  list[19] = 3;     // four partitions
  list[20] = 0x5C;  // SDP, PSUM 11b, POFM: equal shares
  t.Select10(list);
  ASSERT_EQ(t.status(), kStatusGood) << ::testing::PrintToString(t.sense());
  t.Run(FormatMedium(1));
  ASSERT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Partitions(), 4u);
  // 2500000 bytes each: 25000 x 10^2.
  EXPECT_EQ(t.Page11(), (Bytes{0x11, 0x0E, 3, 3, 0x3C, 0x03, 2, 0, 0x61, 0xA8, 0x61, 0xA8, 0x61,
                               0xA8, 0x61, 0xA8}));
}

TEST(PartitionSelect, Rejections) {
  Drive11 t("mem:media=LTO-5");
  const Bytes good = t.LtfsSelectList();
  ASSERT_EQ(good.size(), 28u);  // LTO-5: page length 0Ah
  Bytes list = good;
  list[19] = 2;  // LTO-5 media hold 2 partitions
  t.Select10(list);
  EXPECT_EQ(t.sense(), InvalidParamSense(19));
  list = good;
  list[20] |= 0x80;  // FDP and IDP
  t.Select10(list);
  EXPECT_EQ(t.sense(), InvalidParamSense(20));
  list = good;
  list[26] = list[27] = 0;  // partition 1 of size 0
  t.Select10(list);
  EXPECT_EQ(t.sense(), InvalidParamSense(26));
  list = good;
  list[26] = list[27] = 0xFF;  // two "rest" partitions
  t.Select10(list);
  EXPECT_EQ(t.sense(), InvalidParamSense(26));
  list = good;
  list[24] = 0x05;  // 1500 GB + 1 GB > 1.5 TB
  list[25] = 0xDC;
  t.Select10(list);
  EXPECT_EQ(t.sense(), InvalidParamSense(26));
  list = good;
  list[20] &= ~0x04;  // POFM is not changeable
  t.Select10(list);
  EXPECT_EQ(t.sense(), InvalidParamSense(20, 2));
  list = good;
  list[18] = 3;  // maximum additional partitions is not changeable
  t.Select10(list);
  EXPECT_EQ(t.sense(), InvalidParamSense(18, 1));
  // None of them left a pending layout behind.
  EXPECT_EQ(t.Page11()[3], 0);
}

TEST(PartitionSelect, NewMediumForgetsThePendingLayout) {
  Drive11 t;
  t.Select10(t.LtfsSelectList());
  ASSERT_EQ(t.Page11()[3], 1);
  t.Run(LoadUnload(0));  // unload
  t.Run(LoadUnload(1));  // load
  t.Run(Tur());          // the not-ready-to-ready attention
  EXPECT_EQ(t.Page11()[3], 0);
  t.Run(FormatMedium(1));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Partitions(), 1u);
}

// --- FORMAT MEDIUM --------------------------------------------------------------------

TEST(FormatMedium, OnlyAtTheBeginningOfPartitionZero) {
  Drive11 t("mem:partitions=2");
  t.Run(Write6(10), Pattern(10));
  t.Run(FormatMedium(0));
  EXPECT_EQ(t.sense(), PositionPastBeginningSense());
  t.Run(Locate16(0, 0, true, 1));  // BOP of partition 1 is not enough
  t.Run(FormatMedium(0));
  EXPECT_EQ(t.sense(), PositionPastBeginningSense());
  EXPECT_EQ(t.Partitions(), 2u);
  t.Run(RewindCdb());
  t.Run(FormatMedium(0, /*verify and immed*/ 0x03));
  EXPECT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Partitions(), 1u);
  EXPECT_EQ(t.MaxCapacityMiB(0), 12000 * kGB / (1 << 20));
}

TEST(FormatMedium, FieldsAndWriteProtection) {
  Drive11 t;
  t.Run(FormatMedium(3));
  EXPECT_EQ(t.sense(), InvalidCdbSense(2, 3));
  t.Run(FormatMedium(0, 0, 8));
  EXPECT_EQ(t.sense(), InvalidCdbSense(3));
  t.Run(FormatMedium(0x10));  // reserved bits of byte 2
  EXPECT_EQ(t.sense(), InvalidCdbSense(2, 4));
  Drive11 p("mem:write_protected=1");
  p.Run(FormatMedium(0));
  EXPECT_EQ(p.sense(), SenseBytes(0x07, 0x27, 0x00));
}

TEST(FormatMedium, WithoutPendingLayoutKeepsThePartitionsEmptied) {
  Drive11 t("mem:capacity=100000,partitions=2");
  t.Run(Locate16(0, 0, true, 1));
  t.Run(Write6(10), Pattern(10));
  t.Run(RewindCdb());
  t.Run(FormatMedium(1));
  ASSERT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Partitions(), 2u);
  t.Run(Locate16(3, 0, true, 1));  // end of data of partition 1: object 0
  EXPECT_EQ(t.Pos().object, 0u);
}

TEST(FormatMedium, NoMediumIsNotReady) {
  Drive11 t("");
  t.Run(FormatMedium(0));
  EXPECT_EQ(t.sense(), MediumNotPresentSense());
}

// --- SET CAPACITY -----------------------------------------------------------------

TEST(SetCapacity, ScalesTheMediumAndPersistsForLaterFormats) {
  Drive11 t("mem:capacity=65535000000");  // 65535 x 10^6 bytes
  t.Run(SetCapacity(0x8000));
  ASSERT_EQ(t.status(), kStatusGood) << ::testing::PrintToString(t.sense());
  const std::uint64_t half = 32768ull * 1000000;
  EXPECT_EQ(t.MaxCapacityMiB(0), half / (1 << 20));
  // A later default format keeps the scaled capacity; FFFFh restores it all.
  t.Run(FormatMedium(0));
  EXPECT_EQ(t.MaxCapacityMiB(0), half / (1 << 20));
  t.Run(SetCapacity(0xFFFF, /*immed=*/true));
  ASSERT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.MaxCapacityMiB(0), 65535000000ull / (1 << 20));
}

TEST(SetCapacity, OnlyAtBeginningOfPartitionZeroAndWritable) {
  Drive11 t;
  t.Run(Write6(10), Pattern(10));
  t.Run(SetCapacity(0xFFFF));
  EXPECT_EQ(t.sense(), PositionPastBeginningSense());
  Drive11 p("mem:write_protected=1");
  p.Run(SetCapacity(0xFFFF));
  EXPECT_EQ(p.sense(), SenseBytes(0x07, 0x27, 0x00));
  p.Run({0x0B, 0x02, 0, 0xFF, 0xFF, 0});  // reserved bit of byte 1
  EXPECT_EQ(p.sense(), InvalidCdbSense(1, 1));
}

// --- LOCATE / READ POSITION across partitions -----------------------------------------

TEST(PartitionLocate, LtfsWritesEachPartitionAndLocatesToEndOfData) {
  Drive11 t;
  t.Select10(t.LtfsSelectList());
  t.Run(FormatMedium(1));
  ASSERT_EQ(t.status(), kStatusGood);
  t.Run(Locate16(0, 0, /*cp=*/true, 1));
  ASSERT_EQ(t.status(), kStatusGood);
  t.Run(Write6(80), Pattern(80));
  t.Run(WriteFilemarks6(1, /*immed=*/true));
  t.Run(Write6(20), Pattern(20));
  t.Run(ReadPositionCdb(0x06), {}, 32);
  Bytes expect(32, 0);
  expect[7] = 1;   // partition 1
  expect[15] = 3;  // object 3
  expect[23] = 1;  // file 1
  EXPECT_EQ(t.data(), expect);
  t.Run(ReadPositionCdb(0x00), {}, 20);
  EXPECT_EQ(t.data()[1], 1);  // short form: partition number
  // LTFS appends by locating to block FFFF...FF: BLANK CHECK, end of data.
  t.Run(Locate16(0, ~0ull, true, 0));
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05));
  EXPECT_EQ(t.Pos().partition, 0u);
  EXPECT_EQ(t.Pos().object, 0u);
  t.Run(Locate16(0, ~0ull, true, 1));
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05));
  EXPECT_EQ(t.Pos().partition, 1u);
  EXPECT_EQ(t.Pos().object, 3u);
  // SPACE to end of data stays in the partition.
  t.Run(Locate16(0, 0, true, 1));
  t.Run(Space16(3, 0));
  EXPECT_EQ(t.Pos().partition, 1u);
  EXPECT_EQ(t.Pos().object, 3u);
}

// --- A medium with neither optional capability ------------------------------------

// What a backend without partitions or an attribute store looks like.
class PlainTape : public ForwardingTape {
 public:
  using ForwardingTape::ForwardingTape;

 protected:
  Partitioned* PartitionsCapability() override { return nullptr; }
  AttributeStore* AttributesCapability() override { return nullptr; }
};

std::unique_ptr<Tape> Plain(const std::string& name) {
  std::unique_ptr<Tape> tape;
  EXPECT_TRUE(OpenTape(name, {}, tape).ok());
  return std::make_unique<PlainTape>(std::move(tape));
}

struct PlainDrive : Drive11 {
  PlainDrive() : Drive11("") {
    EXPECT_TRUE(drive().ChangeMedium(Plain("mem:capacity=100000")).ok());
    Run(Tur());  // the medium change attention
  }
};

TEST(PlainMedium, OnePartitionOnlyAndNoMemory) {
  PlainDrive t;
  EXPECT_EQ(t.Page11(), (Bytes{0x11, 0x08, 0, 0, 0x1C, 0x03, 1, 0, 0x27, 0x10}));
  Bytes list = t.Sense11(0, 26);
  list[0] = list[1] = 0;
  list[19] = 1;  // ADDITIONAL PARTITIONS DEFINED is not changeable here
  t.Select10(list);
  EXPECT_EQ(t.sense(), InvalidParamSense(19, 0));
  t.Run(SetCapacity(0x8000));  // nowhere to keep a smaller capacity
  EXPECT_EQ(t.sense(), InvalidCdbSense(3));
  t.Run(Write6(10), Pattern(10));
  t.Run(RewindCdb());
  t.Run(FormatMedium(0));
  EXPECT_EQ(t.status(), kStatusGood);
  t.Run(Read6(10), {}, 10);
  EXPECT_EQ(t.sense(), ExpectSense(0x8, 0x00, 0x05, 0, 10));
  t.Run(SetCapacity(0xFFFF));
  EXPECT_EQ(t.status(), kStatusGood);
  // No load count or volume change reference without a store; host
  // attributes cannot be written.
  Bytes read(16, 0);
  read[0] = 0x8C;
  read[9] = 0x09;
  read[13] = 64;
  t.Run(read, {}, 64);
  EXPECT_EQ(t.sense(), InvalidCdbSense(8));
  Bytes list_800 = {0, 0, 0, 13, 0x08, 0x00, 0x01, 0, 8, 'V', 'E', 'N', 'D', 'O', 'R', ' ', ' '};
  Bytes write(16, 0);
  write[0] = 0x8D;
  write[13] = static_cast<std::uint8_t>(list_800.size());
  t.Run(write, list_800);
  EXPECT_EQ(t.sense(), SenseBytes(0x02, 0x04, 0x10));
}

}  // namespace
}  // namespace vtape::ssc::testing
