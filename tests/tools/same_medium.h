// Checks that two media hold the same thing: label and shape, per partition every
// record's bytes and every filemark in order, EOD at the same object, the same MAM
// attributes. For `vtape copy` tests on any pair of backends.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "vtape/attributes.h"
#include "vtape/partitions.h"
#include "vtape/registry.h"
#include "vtape/tape.h"

namespace vtape {

inline void ExpectSameMedium(const std::string& a_name, const std::string& b_name) {
  std::unique_ptr<Tape> a, b;
  OpenOptions ro;
  ro.read_only = true;
  ASSERT_TRUE(OpenTape(a_name, ro, a).ok()) << a_name;
  ASSERT_TRUE(OpenTape(b_name, ro, b).ok()) << b_name;
  MediumInfo ia, ib;
  ASSERT_TRUE(a->Stat(ia).ok());
  ASSERT_TRUE(b->Stat(ib).ok());
  EXPECT_EQ(ia.barcode, ib.barcode);
  EXPECT_EQ(ia.media_type, ib.media_type);
  EXPECT_EQ(ia.capacity_bytes, ib.capacity_bytes);
  EXPECT_EQ(ia.early_warning_bytes, ib.early_warning_bytes);
  EXPECT_EQ(ia.used_bytes, ib.used_bytes);
  EXPECT_EQ(ia.records, ib.records);
  EXPECT_EQ(ia.filemarks, ib.filemarks);
  EXPECT_EQ(ia.write_protected, ib.write_protected);
  ASSERT_EQ(ia.partitions, ib.partitions);
  std::vector<std::uint8_t> ba(kMaxRecordBytes + kMaxTaggedRecordOverhead), bb(ba.size());
  for (std::uint32_t p = 0; p < ia.partitions; ++p) {
    SpaceResult r;
    ASSERT_TRUE(a->Locate(p, 0, r).ok());
    ASSERT_TRUE(b->Locate(p, 0, r).ok());
    for (std::uint64_t object = 0;; ++object) {
      ReadResult ra, rb;
      ASSERT_TRUE(a->Read(ba, ra).ok()) << "partition " << p << " object " << object;
      ASSERT_TRUE(b->Read(bb, rb).ok()) << "partition " << p << " object " << object;
      ASSERT_EQ(ra.kind, rb.kind) << "partition " << p << " object " << object;
      ASSERT_EQ(ra.length, rb.length) << "partition " << p << " object " << object;
      ASSERT_EQ(ra.tag, rb.tag) << "partition " << p << " object " << object;
      ASSERT_TRUE(std::equal(ba.begin(), ba.begin() + ra.length, bb.begin()))
          << "partition " << p << " object " << object;
      if (ra.kind == ObjectKind::kEndOfData) break;
    }
    if (!a->attributes()) continue;
    std::vector<std::uint16_t> ids_a, ids_b;
    ASSERT_TRUE(ListMamAttributes(*a, p, ids_a).ok());
    ASSERT_TRUE(ListMamAttributes(*b, p, ids_b).ok());
    EXPECT_EQ(ids_a, ids_b) << "partition " << p;
    for (std::uint16_t id : ids_a) {
      std::vector<std::uint8_t> va, vb;
      ASSERT_TRUE(ReadMamAttribute(*a, p, id, va).ok());
      ASSERT_TRUE(ReadMamAttribute(*b, p, id, vb).ok());
      EXPECT_EQ(va, vb) << "partition " << p << " attribute " << id;
    }
  }
}

// A medium with something of everything: 2 partitions, records of odd sizes
// (one larger than a rados: stripe), filemark runs, attributes, write protect.
inline void WriteSampleMedium(const std::string& name) {
  CreateOptions o;
  o.barcode = "COPY01L8";
  o.capacity_bytes = 64ull << 20;
  o.early_warning_bytes = 1 << 20;
  ASSERT_TRUE(CreateTape(name, o).ok()) << name;
  std::unique_ptr<Tape> t;
  ASSERT_TRUE(OpenTape(name, {}, t).ok());
  const std::uint64_t sizes[] = {48ull << 20, 0};
  ASSERT_TRUE(FormatPartitions(*t, sizes).ok());
  auto bytes = [](std::size_t n, std::uint8_t seed) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(seed + i * 7 + i / 251);
    return v;
  };
  ASSERT_TRUE(t->Write(bytes(1, 1)).ok());
  ASSERT_TRUE(t->Write(bytes((5 << 20) + 17, 2)).ok());
  ASSERT_TRUE(t->WriteFilemarks(3, false).ok());
  ASSERT_TRUE(t->Write(bytes(65537, 3)).ok());
  ASSERT_TRUE(t->WriteFilemarks(1, false).ok());
  SpaceResult r;
  ASSERT_TRUE(t->Locate(1, 0, r).ok());
  ASSERT_TRUE(t->Write(bytes(4096, 4)).ok());
  ASSERT_TRUE(t->WriteFilemarks(1, false).ok());
  const std::uint8_t vci[] = {1, 2, 3, 4, 5, 6, 7, 8};
  ASSERT_TRUE(WriteMamAttribute(*t, 0, 0x080c, vci).ok());
  ASSERT_TRUE(WriteMamAttribute(*t, 1, 0x080c, std::span(vci).first(4)).ok());
  ASSERT_TRUE(t->SetWriteProtect(true).ok());
  ASSERT_TRUE(t->Close().ok());
}

}  // namespace vtape
