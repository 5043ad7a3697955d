// READ ATTRIBUTE / WRITE ATTRIBUTE at CDB level (exact bytes and sense), the
// volume change reference and load count the drive keeps, the LTFS sequence
// of mkltfs, and LOG SENSE page 17h.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "drive_harness.h"
#include "handler/ssc/mam.h"
#include "sense_bytes.h"
#include "ssc_test_util.h"

namespace vtape::ssc::testing {
namespace {

constexpr std::uint64_t kMiB = 1 << 20;

Bytes ReadAttributeCdb(std::uint8_t service_action, std::uint16_t first, std::uint32_t alloc,
                       std::uint8_t partition = 0, bool cache = false) {
  Bytes c(16, 0);
  c[0] = 0x8C;
  c[1] = service_action;
  c[7] = partition;
  Put(c, 8, 2, first);
  Put(c, 10, 4, alloc);
  c[14] = cache ? 1 : 0;
  return c;
}

Bytes WriteAttributeCdb(std::uint32_t length, std::uint8_t partition = 0, bool wtc = true) {
  Bytes c(16, 0);
  c[0] = 0x8D;
  c[1] = wtc ? 1 : 0;
  c[7] = partition;
  Put(c, 10, 4, length);
  return c;
}

// One attribute as both commands carry it.
Bytes Attr(std::uint16_t id, std::uint8_t format, const Bytes& value, bool read_only = false) {
  Bytes a{static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id),
          static_cast<std::uint8_t>((read_only ? 0x80 : 0) | format),
          static_cast<std::uint8_t>(value.size() >> 8), static_cast<std::uint8_t>(value.size())};
  AppendBytes(a, value);
  return a;
}

// A WRITE ATTRIBUTE parameter list; `ltfs_length` counts the 4 length bytes
// too, as LTFS does.
Bytes AttrList(const std::vector<Bytes>& attributes, bool ltfs_length = false) {
  Bytes body;
  for (const Bytes& a : attributes) AppendBytes(body, a);
  Bytes list(4, 0);
  Put(list, 0, 4, body.size() + (ltfs_length ? 4 : 0));
  AppendBytes(list, body);
  return list;
}

// READ ATTRIBUTE 00h answer holding `attributes`.
Bytes Values(const std::vector<Bytes>& attributes) {
  return AttrList(attributes);
}

Bytes Be(std::size_t width, std::uint64_t v) {
  Bytes b(width, 0);
  Put(b, 0, width, v);
  return b;
}

// LTFS's volume coherency information (080Ch): 70 bytes.
Bytes Coherency(std::uint64_t vcr, std::uint64_t count) {
  Bytes c(70, 0);
  c[0] = 8;
  Put(c, 1, 8, vcr);
  Put(c, 9, 8, count);
  Put(c, 17, 8, 0x1234);
  Put(c, 25, 2, 43);
  c[27] = 'L';
  c[28] = 'T';
  c[29] = 'F';
  c[30] = 'S';
  for (int i = 0; i < 36; ++i) c[32 + i] = static_cast<std::uint8_t>('a' + i % 26);
  c[69] = 1;
  return c;
}

// The attributes of a READ ATTRIBUTE 00h answer (after AVAILABLE DATA).
Bytes Body(const Bytes& d) {
  return d.size() > 4 ? Bytes(d.begin() + 4, d.end()) : Bytes{};
}

Bytes Concat(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const Bytes& p : parts) AppendBytes(out, p);
  return out;
}

struct Mam : DriveHarness {
  explicit Mam(const std::string& medium = "mem:capacity=100000000,partitions=2")
      : DriveHarness(medium) {
    ClearPowerOnAttention();
  }
  Bytes Read(std::uint16_t id, std::uint8_t partition = 0, std::uint32_t alloc = 1024) {
    Run(ReadAttributeCdb(0, id, alloc, partition), {}, alloc);
    return data();
  }
  const ScsiResult& Write(const Bytes& list, std::uint8_t partition = 0) {
    return Run(WriteAttributeCdb(static_cast<std::uint32_t>(list.size()), partition), list);
  }
  std::uint32_t Vcr() {
    Bytes d = Read(kAttrVolumeChangeReference, 0, 13);
    EXPECT_EQ(status(), kStatusGood);
    EXPECT_EQ(d.size(), 13u);
    return static_cast<std::uint32_t>((d[9] << 24) | (d[10] << 16) | (d[11] << 8) | d[12]);
  }
};

// --- READ ATTRIBUTE ------------------------------------------------------------------

TEST(ReadAttribute, EveryAttributeOfAFreshMedium) {
  Mam t;
  const std::vector<Bytes> all = {
      Attr(0x0000, 0, Be(8, 50000000 / kMiB), true),  // remaining in partition 0
      Attr(0x0001, 0, Be(8, 50000000 / kMiB), true),  // maximum
      Attr(0x0003, 0, Be(8, 1), true),                // loaded once, at power on
      Attr(0x0004, 0, Be(8, 16384), true),
      Attr(0x0005, 1, Ascii("LTO-CVE", 8), true),
      Attr(0x0006, 0, Be(1, 0x5E), true),
      Attr(0x0009, 0, Be(4, 0), true),
      Attr(0x0220, 0, Be(8, 0), true),
      Attr(0x0221, 0, Be(8, 0), true),
      Attr(0x0222, 0, Be(8, 0), true),
      Attr(0x0223, 0, Be(8, 0), true),
      Attr(0x0400, 1, Ascii("VTAPE", 8), true),
      Attr(0x0401, 1, Ascii("", 32), true),
      Attr(0x0402, 0, Be(4, 960), true),
      Attr(0x0403, 0, Be(4, 127), true),
      Attr(0x0404, 1, Ascii("LTO-CVE", 8), true),
      Attr(0x0405, 0, Be(1, 0x5E), true),
      Attr(0x0407, 0, Be(8, 16384), true),
      Attr(0x0408, 0, Be(1, 0), true),
      Attr(0x0409, 0, Be(2, 0), true),
  };
  EXPECT_EQ(t.Read(0x0000, 0, 4096), Values(all));
  // From FIRST ATTRIBUTE IDENTIFIER on; ALLOCATION LENGTH truncates while
  // AVAILABLE DATA still counts everything.
  const Bytes from_vcr = Values({all.begin() + 6, all.end()});
  EXPECT_EQ(t.Read(0x0009, 0, 4096), from_vcr);
  EXPECT_EQ(t.Read(0x0009, 0, 13), Bytes(from_vcr.begin(), from_vcr.begin() + 13));
  EXPECT_EQ(t.Read(0x0009, 0, 2), Bytes(from_vcr.begin(), from_vcr.begin() + 2));
  // The CACHE bit is accepted.
  t.Run(ReadAttributeCdb(0, 0x0009, 13, 0, true), {}, 13);
  EXPECT_EQ(t.data(), Bytes(from_vcr.begin(), from_vcr.begin() + 13));
}

TEST(ReadAttribute, CapacitiesPerPartitionInMiB) {
  Mam t;
  t.Run(Write6(1 << 20), Pattern(1 << 20));  // 1 MiB into partition 0
  Bytes d = t.Read(0x0000, 0, 4 + 26);
  EXPECT_EQ(Body(d), Concat({Attr(0x0000, 0, Be(8, (50000000 - kMiB) / kMiB), true),
                             Attr(0x0001, 0, Be(8, 50000000 / kMiB), true)}));
  d = t.Read(0x0000, 1, 4 + 13);
  EXPECT_EQ(Body(d), Attr(0x0000, 0, Be(8, 50000000 / kMiB), true));
}

TEST(ReadAttribute, MediumAttributes) {
  Mam t("mem:media=LTO-5,barcode=ABC123L5");
  Bytes d = t.Read(0x0400, 0, 4 + 13 + 37 + 9 + 9 + 13 + 6);
  EXPECT_EQ(Body(d),
            Concat({Attr(0x0400, 1, Ascii("VTAPE", 8), true),
                    Attr(0x0401, 1, Ascii("ABC123L5", 32), true), Attr(0x0402, 0, Be(4, 846), true),
                    Attr(0x0403, 0, Be(4, 127), true), Attr(0x0404, 1, Ascii("LTO-CVE", 8), true),
                    Attr(0x0405, 0, Be(1, 0x58), true)}));
}

TEST(ReadAttribute, MissingAttributeIsInvalidFieldInCdb) {
  Mam t;
  t.Read(0x080C);
  EXPECT_EQ(t.sense(), InvalidCdbSense(8));
  t.Read(0x1623);
  EXPECT_EQ(t.sense(), InvalidCdbSense(8));
}

TEST(ReadAttribute, ListsAndServiceActions) {
  Mam t;
  t.Run(ReadAttributeCdb(0x02, 0, 64), {}, 64);  // logical volume list
  EXPECT_EQ(t.data(), (Bytes{0x00, 0x02, 0x00, 0x01}));
  t.Run(ReadAttributeCdb(0x03, 0, 64), {}, 64);  // partition list
  EXPECT_EQ(t.data(), (Bytes{0x00, 0x02, 0x00, 0x02}));
  t.Run(ReadAttributeCdb(0x05, 0x0800, 1024), {}, 1024);  // supported, from 0800h
  EXPECT_EQ(t.data(), (Bytes{0,    0,    0,    26,   0x08, 0x00, 0x08, 0x01, 0x08, 0x02,
                             0x08, 0x03, 0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x08, 0x07,
                             0x08, 0x08, 0x08, 0x09, 0x08, 0x0A, 0x08, 0x0B, 0x08, 0x0C}));
  t.Write(AttrList({Attr(0x0806, 1, Ascii("ABC123", 32)), Attr(0x1623, 0, {1})}));
  ASSERT_EQ(t.status(), kStatusGood);
  t.Run(ReadAttributeCdb(0x01, 0x0409, 1024), {}, 1024);  // attribute list from 0409h
  EXPECT_EQ(t.data(), (Bytes{0, 0, 0, 6, 0x04, 0x09, 0x08, 0x06, 0x16, 0x23}));
  t.Run(ReadAttributeCdb(0x04, 0, 64), {}, 64);
  EXPECT_EQ(t.sense(), InvalidCdbSense(1, 4));
  t.Run(ReadAttributeCdb(0x06, 0, 64), {}, 64);
  EXPECT_EQ(t.sense(), InvalidCdbSense(1, 4));
  t.Run(ReadAttributeCdb(0x00, 0x0009, 64, /*partition=*/2), {}, 64);
  EXPECT_EQ(t.sense(), InvalidCdbSense(7));
  Bytes volume = ReadAttributeCdb(0x00, 0x0009, 64);
  volume[5] = 1;
  t.Run(volume, {}, 64);
  EXPECT_EQ(t.sense(), InvalidCdbSense(5));
}

TEST(ReadAttribute, NoMediumIsNotReady) {
  Mam t("");
  t.Read(0x0009);
  EXPECT_EQ(t.sense(), MediumNotPresentSense());
}

// --- WRITE ATTRIBUTE -----------------------------------------------------------------

TEST(WriteAttribute, HostAttributesAreStoredPerPartition) {
  Mam t;
  const Bytes c0 = Attr(0x080C, 0, Coherency(7, 1));
  const Bytes c1 = Attr(0x080C, 0, Coherency(9, 2));
  t.Write(AttrList({c0}, /*ltfs_length=*/true), 0);
  ASSERT_EQ(t.status(), kStatusGood) << ::testing::PrintToString(t.sense());
  t.Write(AttrList({c1}, true), 1);
  ASSERT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Read(0x080C, 0, 4 + 75), Values({c0}));
  EXPECT_EQ(t.Read(0x080C, 1, 4 + 75), Values({c1}));
  // A host vendor-specific attribute keeps its format.
  t.Write(AttrList({Attr(0x1700, 1, Ascii("x", 3))}));
  ASSERT_EQ(t.status(), kStatusGood);
  EXPECT_EQ(t.Read(0x1700), Values({Attr(0x1700, 1, Ascii("x", 3))}));
  // Length 0 deletes.
  t.Write(AttrList({Attr(0x080C, 0, {})}), 1);
  ASSERT_EQ(t.status(), kStatusGood);
  t.Read(0x080C, 1);
  EXPECT_EQ(t.sense(), InvalidCdbSense(8));
  EXPECT_EQ(t.Read(0x080C, 0), Values({c0, Attr(0x1700, 1, Ascii("x", 3))}));
}

TEST(WriteAttribute, RefusalsChangeNothing) {
  Mam t;
  const Bytes vendor = Attr(0x0800, 1, Ascii("IBM", 8));
  // Read-only device attribute after a valid one: at its identifier (4 + 13).
  t.Write(AttrList({vendor, Attr(0x0900, 1, Ascii("x", 8))}));
  EXPECT_EQ(t.sense(), InvalidParamSense(17));
  t.Write(AttrList({Attr(0x0001, 0, Be(8, 5))}));
  EXPECT_EQ(t.sense(), InvalidParamSense(4));
  t.Write(AttrList({Attr(0x0009, 0, Be(4, 5))}));
  EXPECT_EQ(t.sense(), InvalidParamSense(4));
  t.Write(AttrList({Attr(0x0C00, 0, Be(2, 5))}));
  EXPECT_EQ(t.sense(), InvalidParamSense(4));
  t.Write(AttrList({Attr(0x1800, 0, Be(2, 5))}));  // reserved range
  EXPECT_EQ(t.sense(), InvalidParamSense(4));
  t.Write(AttrList({Attr(0x0800, 1, Ascii("IBM", 7))}));  // wrong length
  EXPECT_EQ(t.sense(), InvalidParamSense(7));
  t.Write(AttrList({Attr(0x0800, 0, Ascii("IBM", 8))}));  // wrong format
  EXPECT_EQ(t.sense(), InvalidParamSense(6, 1));
  t.Write(AttrList({Attr(0x0801, 1, Ascii("x", 32)), vendor}));  // out of order
  EXPECT_EQ(t.sense(), InvalidParamSense(4 + 37));
  Bytes cut = AttrList({vendor});
  cut.resize(cut.size() - 1);
  Put(cut, 0, 4, cut.size() - 4);
  t.Write(cut);  // the value runs past the list
  EXPECT_EQ(t.sense(), ParameterListLengthSense());
  Bytes too_long = AttrList({vendor});
  Put(too_long, 0, 4, 100);  // PARAMETER DATA LENGTH beyond the list
  t.Write(too_long);
  EXPECT_EQ(t.sense(), ParameterListLengthSense());
  t.Run(WriteAttributeCdb(2), {0, 0});
  EXPECT_EQ(t.sense(), ParameterListLengthSense());
  t.Run(WriteAttributeCdb(13, 2), AttrList({vendor}));
  EXPECT_EQ(t.sense(), InvalidCdbSense(7));
  // Nothing was stored by any of them.
  t.Read(0x0800);
  EXPECT_EQ(t.sense(), InvalidCdbSense(8));
  // An empty list is fine.
  t.Run(WriteAttributeCdb(0), {});
  EXPECT_EQ(t.status(), kStatusGood);
}

// --- What the drive keeps itself ---------------------------------------------------

TEST(VolumeChangeReference, ChangesWithContentOnlyAndOncePerRead) {
  Mam t;
  EXPECT_EQ(t.Vcr(), 0u);
  t.Run(Write6(10), Pattern(10));
  t.Run(Write6(10), Pattern(10));
  EXPECT_EQ(t.Vcr(), 1u);
  EXPECT_EQ(t.Vcr(), 1u);
  t.Run(WriteFilemarks6(0));                              // a flush changes nothing
  t.Write(AttrList({Attr(0x080C, 0, Coherency(1, 1))}));  // nor do attributes
  t.Run(RewindCdb());
  t.Run(Read6(10), {}, 10);
  EXPECT_EQ(t.Vcr(), 1u);
  t.Run(WriteFilemarks6(1));
  EXPECT_EQ(t.Vcr(), 2u);
  t.Run(RewindCdb());
  t.Run(Erase6());
  EXPECT_EQ(t.Vcr(), 3u);
}

TEST(LoadCount, CountsEveryLoad) {
  Mam t;
  auto count = [&t] {
    Bytes d = t.Read(kAttrLoadCount, 0, 17);
    EXPECT_EQ(t.status(), kStatusGood);
    return d.empty() ? 0u : static_cast<unsigned>(d.back());
  };
  EXPECT_EQ(count(), 1u);  // the drive loaded it at power on
  t.Run(LoadUnload(0));
  t.Run(LoadUnload(1));
  t.Run(Tur());
  EXPECT_EQ(count(), 2u);
}

// --- The LTFS sequence (mkltfs, then a mount's reads) ------------------------------

TEST(LtfsSequence, FormatWriteBothPartitionsAndReread) {
  Mam t("mem:");
  // SET CAPACITY FFFFh; MODE SENSE 11h; MODE SELECT 11h (IDP, one additional
  // partition, 10^9, FFFFh and 0001h); FORMAT MEDIUM 01h.
  t.Run({0x0B, 0, 0, 0xFF, 0xFF, 0});
  ASSERT_EQ(t.status(), kStatusGood);
  t.Run({0x5A, 0, 0x11, 0, 0, 0, 0, 0, 28, 0}, {}, 28);
  Bytes page = t.data();
  ASSERT_EQ(page.size(), 28u);
  page.resize(28 + page[17] - 0x0A, 0);
  page[0] = page[1] = 0;
  page[19] = 1;
  page[20] = 0x20 | (page[20] & 0x1F);
  page[22] = 9;
  page[24] = page[25] = 0xFF;
  page[26] = 0;
  page[27] = 1;
  t.Run({0x55, 0x10, 0, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(page.size()), 0}, page);
  ASSERT_EQ(t.status(), kStatusGood) << ::testing::PrintToString(t.sense());
  t.Run({0x04, 0, 0x01, 0, 0, 0});
  ASSERT_EQ(t.status(), kStatusGood);

  std::uint32_t vcr[2] = {0, 0};
  for (std::uint8_t p : {1, 0}) {
    t.Run(Locate16(0, 0, /*cp=*/true, p));
    ASSERT_EQ(t.status(), kStatusGood);
    t.Run(Write6(80), Pattern(80, p));  // VOL1 label
    t.Run(WriteFilemarks6(1, true));
    t.Run(Write6(500), Pattern(500, p));  // XML label
    t.Run(WriteFilemarks6(1));
    t.Read(0x1623);  // not set yet
    EXPECT_EQ(t.sense(), InvalidCdbSense(8));
    t.Run(WriteFilemarks6(1));
    t.Run(Write6(1000), Pattern(1000, p));  // index
    t.Run(WriteFilemarks6(1));
    vcr[p] = t.Vcr();
    t.Write(AttrList({Attr(0x080C, 0, Coherency(vcr[p], p))}, true), p);
    ASSERT_EQ(t.status(), kStatusGood);
  }
  EXPECT_NE(vcr[0], vcr[1]);
  t.Write(AttrList({Attr(0x0800, 1, Ascii("IBM", 8)), Attr(0x0801, 1, Ascii("LTFS", 32)),
                    Attr(0x0802, 1, Ascii("2.4.8.4", 8)), Attr(0x0803, 2, Ascii("VOL1", 160)),
                    Attr(0x0805, 0, {0x81}), Attr(0x0806, 1, Ascii("ABC123", 32)),
                    Attr(0x080B, 1, Ascii("2.4.0", 16))},
                   true));
  ASSERT_EQ(t.status(), kStatusGood) << ::testing::PrintToString(t.sense());
  t.Write(AttrList({Attr(0x1623, 0, {0})}, true));
  ASSERT_EQ(t.status(), kStatusGood);
  t.Write(AttrList({Attr(0x0808, 2, Ascii("", 160))}, true));
  ASSERT_EQ(t.status(), kStatusGood);

  // Unload, load: the coherency of both partitions and the reference still
  // agree with the last partition written (nothing changed since).
  t.Run(LoadUnload(0));
  t.Run(LoadUnload(1));
  t.Run(Tur());
  EXPECT_EQ(Body(t.Read(0x080C, 0, 79)), Attr(0x080C, 0, Coherency(vcr[0], 0)));
  EXPECT_EQ(t.Read(0x080C, 1, 79), Values({Attr(0x080C, 0, Coherency(vcr[1], 1))}));
  EXPECT_EQ(t.Vcr(), vcr[0]);
  EXPECT_EQ(Body(t.Read(0x0806, 0, 41)), Attr(0x0806, 1, Ascii("ABC123", 32)));
  // LTFS reads the label of each partition again.
  t.Run(Locate16(0, 0, true, 1));
  t.Run(Read6(4096, false, /*sili=*/true), {}, 4096);
  EXPECT_EQ(t.data(), Pattern(80, 1));
}

// --- REPORT SUPPORTED OPERATION CODES ----------------------------------------------

TEST(AttributeCommands, UsageDataInReportSupportedOperationCodes) {
  Mam t;
  auto rsoc = [&t](std::uint8_t opcode) {
    t.Run({0xA3, 0x0C, 0x01, opcode, 0, 0, 0, 0, 0x01, 0, 0, 0}, {}, 256);
    return t.data();
  };
  EXPECT_EQ(rsoc(0x8C), (Bytes{0, 0x03, 0,    16,   0x8C, 0x1F, 0,    0,    0,    0xFF,
                               0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0}));
  EXPECT_EQ(rsoc(0x8D), (Bytes{0, 0x03, 0, 16, 0x8D, 0x01, 0,    0,    0, 0xFF,
                               0, 0xFF, 0, 0,  0xFF, 0xFF, 0xFF, 0xFF, 0, 0}));
  EXPECT_EQ(rsoc(0x04), (Bytes{0, 0x03, 0, 6, 0x04, 0x03, 0x0F, 0xFF, 0xFF, 0}));
  EXPECT_EQ(rsoc(0x0B), (Bytes{0, 0x03, 0, 6, 0x0B, 0x01, 0, 0xFF, 0xFF, 0}));
}

// --- LOG SENSE 17h -------------------------------------------------------------------

Bytes Record(std::uint16_t partition, std::uint32_t value) {
  Bytes r{0x07, 0, static_cast<std::uint8_t>(partition >> 8), static_cast<std::uint8_t>(partition)};
  AppendBytes(r, Be(4, value));
  return r;
}

Bytes Count4(std::uint16_t code, std::uint32_t value) {
  Bytes p{static_cast<std::uint8_t>(code >> 8), static_cast<std::uint8_t>(code), 0x00, 4};
  AppendBytes(p, Be(4, value));
  return p;
}

// The parameter `code` of a LOG SENSE page, header and value; empty when absent.
Bytes ParameterOf(const Bytes& page, std::uint16_t code) {
  std::size_t at = 4;
  while (at + 4 <= page.size()) {
    const std::size_t length = page[at + 3];
    if (((page[at] << 8) | page[at + 1]) == code) {
      return Bytes(
          page.begin() + static_cast<std::ptrdiff_t>(at),
          page.begin() + static_cast<std::ptrdiff_t>(std::min(page.size(), at + 4 + length)));
    }
    at += 4 + length;
  }
  return {};
}

TEST(VolumeStatistics, PartitionCapacitiesInMegabytes) {
  Mam t("mem:capacity=300000000,early_warning=10000000,partitions=2,barcode=XYZ001L8");
  t.Run(Write6(1 << 20), Pattern(1 << 20));
  t.Run(Write6(1 << 20), Pattern(1 << 20));
  t.Run({0x4D, 0, 0x40 | 0x17, 0, 0, 0, 0, 0x04, 0x00, 0}, {}, 1024);
  ASSERT_EQ(t.status(), kStatusGood) << ::testing::PrintToString(t.sense());
  Bytes params;
  AppendBytes(params, {0x00, 0x00, 0x03, 1, 1});  // page valid
  AppendBytes(params, {0x00, 0x01, 0x00, 8});     // mounts
  AppendBytes(params, Be(8, 1));
  // This load's counts, 4 bytes each: 2 records written, 2 MiB = 2 MB.
  using Count = std::pair<std::uint16_t, std::uint32_t>;
  // Last mount (0Eh, 0Fh) and lifetime (10h, 11h) megabytes; total and used
  // native capacity (16h, 17h).
  const Count counts[] = {{0x0002, 2}, {0x0003, 0}, {0x0004, 0},   {0x0007, 0}, {0x0008, 0},
                          {0x0009, 0}, {0x000C, 0}, {0x000D, 0},   {0x000E, 2}, {0x000F, 0},
                          {0x0010, 2}, {0x0011, 0}, {0x0016, 300}, {0x0017, 2}};
  for (auto [code, value] : counts) AppendBytes(params, Count4(code, value));
  AppendBytes(params, {0x00, 0x40, 0x01, 32});  // volume serial
  AppendBytes(params, Ascii("XYZ001L8", 32));
  AppendBytes(params, {0x00, 0x80, 0x03, 1, 0});  // write protect: no
  AppendBytes(params, {0x00, 0x81, 0x03, 1, 0});  // WORM: no
  AppendBytes(params, Count4(0x0101, 1));         // beginning-of-medium passes: one load
  AppendBytes(params, Count4(0x0102, 0));         // middle-of-medium passes
  AppendBytes(params, {0x02, 0x02, 0x03, 16});    // native capacity
  AppendBytes(params, Record(0, 150));
  AppendBytes(params, Record(1, 150));
  AppendBytes(params, {0x02, 0x03, 0x03, 16});  // used: 2 MiB = 2 MB
  AppendBytes(params, Record(0, 2));
  AppendBytes(params, Record(1, 0));
  AppendBytes(params, {0x02, 0x04, 0x03, 16});  // remaining to early warning
  AppendBytes(params, Record(0, (150000000 - 10000000 - 2 * (1 << 20)) / 1000000));
  AppendBytes(params, Record(1, 140));
  Bytes expect{0x97, 0, static_cast<std::uint8_t>(params.size() >> 8),
               static_cast<std::uint8_t>(params.size())};
  AppendBytes(expect, params);
  EXPECT_EQ(t.data(), expect);
  EXPECT_LE(t.data().size(), 1024u);
}

TEST(TapeCapacity, MainAndAlternatePartitions) {
  Mam t("mem:capacity=300000000,partitions=2");
  t.Run(Write6(1 << 20), Pattern(1 << 20));
  t.Run(Locate16(0, 0, true, 1));
  t.Run(Write6(3 << 20), Pattern(3 << 20));
  t.Run(Locate16(0, 0, true, 1));  // remaining counts from the position in partition 1
  t.Run({0x4D, 0, 0x40 | 0x31, 0, 0, 0, 0, 0x04, 0x00, 0}, {}, 1024);
  ASSERT_EQ(t.status(), kStatusGood);
  const std::uint32_t max = 150000000 / kMiB;
  Bytes expect{0xB1, 0, 0, 32};
  for (auto [code, value] : std::initializer_list<std::pair<std::uint8_t, std::uint32_t>>{
           {1, (150000000 - kMiB) / kMiB}, {2, max}, {3, max}, {4, max}}) {
    AppendBytes(expect, {0, code, 0x03, 4});
    AppendBytes(expect, Be(4, value));
  }
  EXPECT_EQ(t.data(), expect);
}

// The counts LTFS reads for its cartridge health follow the data path.
TEST(VolumeStatistics, CountsFollowTheDataPath) {
  Mam t("mem:capacity=300000000,barcode=XYZ002L8");
  t.Run(Write6(1000000), Pattern(1000000));
  t.Run(Write6(1000000), Pattern(1000000));
  t.Run({0x10, 0, 0, 0, 2, 0});  // WRITE FILEMARKS 2
  ASSERT_EQ(t.status(), kStatusGood);
  t.Run({0x01, 0, 0, 0, 0, 0});  // REWIND
  for (int i = 0; i < 2; ++i) {
    t.Run({0x08, 0, 0x0F, 0x42, 0x40, 0}, {}, 1000000);  // READ 1,000,000 bytes
    ASSERT_EQ(t.status(), kStatusGood);
  }
  t.Run({0x08, 0, 0, 0x10, 0, 0}, {}, 4096);  // READ: the filemark
  ASSERT_EQ(t.SenseKey(), 0x0);
  t.Run({0x4D, 0, 0x40 | 0x17, 0, 0, 0, 0, 0x04, 0x00, 0}, {}, 1024);
  ASSERT_EQ(t.status(), kStatusGood);
  const Bytes page = t.data();
  EXPECT_EQ(ParameterOf(page, 0x0002), Count4(0x0002, 4));  // 2 records + 2 filemarks
  EXPECT_EQ(ParameterOf(page, 0x0004), Count4(0x0004, 0));
  EXPECT_EQ(ParameterOf(page, 0x0007), Count4(0x0007, 3));  // 2 records + 1 filemark
  EXPECT_EQ(ParameterOf(page, 0x0009), Count4(0x0009, 0));
  EXPECT_EQ(ParameterOf(page, 0x0010), Count4(0x0010, 2));  // 2,000,000 bytes = 2 MB
  EXPECT_EQ(ParameterOf(page, 0x0011), Count4(0x0011, 2));
  EXPECT_EQ(ParameterOf(page, 0x0101), Count4(0x0101, 1));
}

Bytes VolumeStatistics(DriveHarness& t) {
  t.Run({0x4D, 0, 0x40 | 0x17, 0, 0, 0, 0, 0x04, 0x00, 0}, {}, 1024);
  EXPECT_EQ(t.status(), kStatusGood);
  return t.data();
}

// Lifetime totals add up every load's bytes (kept in bytes, so two loads of
// 1.5 MB make 3 MB, not 2); last mount counts this load only.
TEST(VolumeStatistics, LifetimeTotalsAddUpLoads) {
  Mam t("mem:capacity=300000000,barcode=XYZ003L8");
  for (int i = 0; i < 3; ++i) t.Run(Write6(500000), Pattern(500000));
  t.Run({0x01, 0, 0, 0, 0, 0});                       // REWIND
  t.Run({0x08, 0, 0x07, 0xA1, 0x20, 0}, {}, 500000);  // READ 500,000 bytes
  ASSERT_EQ(t.status(), kStatusGood);
  t.Run({0x1B, 0, 0, 0, 0x00, 0});  // UNLOAD
  ASSERT_EQ(t.status(), kStatusGood);
  t.Run({0x1B, 0, 0, 0, 0x01, 0});  // LOAD
  ASSERT_EQ(t.status(), kStatusGood);
  t.ClearPowerOnAttention();        // the load's 28h
  t.Run({0x11, 0x03, 0, 0, 0, 0});  // SPACE to end of data
  for (int i = 0; i < 3; ++i) t.Run(Write6(500000), Pattern(500000));
  ASSERT_EQ(t.status(), kStatusGood);
  Bytes page = VolumeStatistics(t);
  EXPECT_EQ(ParameterOf(page, 0x000E), Count4(0x000E, 1));  // 1,500,000 bytes this load
  EXPECT_EQ(ParameterOf(page, 0x000F), Count4(0x000F, 0));
  EXPECT_EQ(ParameterOf(page, 0x0010), Count4(0x0010, 3));  // 3,000,000 in its life
  EXPECT_EQ(ParameterOf(page, 0x0011), Count4(0x0011, 0));  // 500,000
  EXPECT_EQ(ParameterOf(page, 0x0017), Count4(0x0017, 3));  // used: 3,000,000 bytes
  EXPECT_EQ(Body(t.Read(0x0220, 0, 4 + 4 * 13)),
            Concat({Attr(0x0220, 0, Be(8, 3), true), Attr(0x0221, 0, Be(8, 0), true),
                    Attr(0x0222, 0, Be(8, 1), true), Attr(0x0223, 0, Be(8, 0), true)}));
}

// The totals live in the medium: a new drive (the runner restarted, or the
// cartridge moved to another drive) reports what the last one stored at close.
TEST(VolumeStatistics, LifetimeTotalsStayWithTheMedium) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("vtape_life_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string image = "file:" + (dir / "life.img").string();
  CreateOptions create;
  create.capacity_bytes = 64 << 20;
  create.early_warning_bytes = 1 << 20;
  ASSERT_TRUE(CreateTape(image, create).ok());
  for (int load = 1; load <= 2; ++load) {
    DriveHarness t(image);
    t.ClearPowerOnAttention();
    t.Run({0x11, 0x03, 0, 0, 0, 0});  // SPACE to end of data
    t.Run(Write6(700000), Pattern(700000));
    t.Run(Write6(700000), Pattern(700000));
    t.Run({0x10, 0, 0, 0, 1, 0});  // WRITE FILEMARKS 1
    ASSERT_EQ(t.status(), kStatusGood) << ::testing::PrintToString(t.sense());
    Bytes page = VolumeStatistics(t);
    EXPECT_EQ(ParameterOf(page, 0x000E), Count4(0x000E, 1)) << "load " << load;
    EXPECT_EQ(ParameterOf(page, 0x0010), Count4(0x0010, load == 1 ? 1 : 2)) << "load " << load;
  }
  DriveHarness t(image);
  t.ClearPowerOnAttention();
  Bytes page = VolumeStatistics(t);
  EXPECT_EQ(ParameterOf(page, 0x0001), (Bytes{0x00, 0x01, 0x00, 8, 0, 0, 0, 0, 0, 0, 0, 3}));
  EXPECT_EQ(ParameterOf(page, 0x000E), Count4(0x000E, 0));
  EXPECT_EQ(ParameterOf(page, 0x0010), Count4(0x0010, 2));  // 2,800,000 bytes
  t.DestroyDrive();
  std::filesystem::remove_all(dir);
}

TEST(VolumeStatistics, WriteProtectAndWormFlags) {
  Mam worm("mem:media=LTO-8_WORM,barcode=XYZ004LY");
  EXPECT_EQ(ParameterOf(VolumeStatistics(worm), 0x0081), (Bytes{0x00, 0x81, 0x03, 1, 1}));
  EXPECT_EQ(ParameterOf(VolumeStatistics(worm), 0x0080), (Bytes{0x00, 0x80, 0x03, 1, 0}));
  Mam plain("mem:barcode=XYZ005L8,write_protected=1");
  EXPECT_EQ(ParameterOf(VolumeStatistics(plain), 0x0080), (Bytes{0x00, 0x80, 0x03, 1, 1}));
  EXPECT_EQ(ParameterOf(VolumeStatistics(plain), 0x0081), (Bytes{0x00, 0x81, 0x03, 1, 0}));
}

TEST(VolumeStatistics, NeedsAMedium) {
  Mam t("");
  t.Run({0x4D, 0, 0x40 | 0x17, 0, 0, 0, 0, 0x04, 0x00, 0}, {}, 1024);
  EXPECT_EQ(t.sense(), MediumNotPresentSense());
}

}  // namespace
}  // namespace vtape::ssc::testing
