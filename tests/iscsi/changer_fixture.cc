#include "tests/iscsi/changer_fixture.h"

#include <algorithm>

namespace vtape::iscsi_test {
namespace {

constexpr std::size_t kVolumeTagLength = 36, kBarcodeLength = 32;

std::string TagBarcode(const std::vector<std::uint8_t>& raw, std::size_t at) {
  std::string s(raw.begin() + static_cast<long>(at),
                raw.begin() + static_cast<long>(at + kBarcodeLength));
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

}  // namespace

const ElementStatus* ElementReport::Find(std::uint16_t address) const {
  for (const ElementStatus& e : elements) {
    if (e.address == address) return &e;
  }
  return nullptr;
}

ElementReport ParseElementStatus(const std::vector<std::uint8_t>& d, bool voltag) {
  ElementReport r;
  if (d.size() < 8) {
    ADD_FAILURE() << "element status data of " << d.size() << " bytes has no header";
    return r;
  }
  r.first = static_cast<std::uint16_t>(Get16(d, 0));
  r.count = static_cast<std::uint16_t>(Get16(d, 2));
  r.byte_count = Get24(d, 5);
  const std::size_t end = 8 + r.byte_count;
  if (end > d.size()) {
    ADD_FAILURE() << "report of " << end << " bytes does not fit the " << d.size()
                  << "-byte buffer";
    return r;
  }
  std::size_t at = 8;
  while (at < end) {
    if (at + 8 > end) {
      ADD_FAILURE() << "page header at " << at << " overruns the report";
      return r;
    }
    const std::uint8_t type = d[at] & 0x0F;
    const bool pvoltag = (d[at + 1] & 0x80) != 0;
    const std::size_t length = Get16(d, at + 2);
    const std::size_t bytes = Get24(d, at + 5);
    EXPECT_EQ(pvoltag, voltag) << "PVOLTAG of the type " << int(type) << " page";
    r.page_types.push_back(type);
    r.descriptor_lengths.push_back(static_cast<std::uint16_t>(length));
    at += 8;
    if (length == 0 || bytes % length != 0 || at + bytes > end) {
      ADD_FAILURE() << "page of type " << int(type) << ": " << bytes << " bytes of " << length
                    << "-byte descriptors at " << at << " in a report ending at " << end;
      return r;
    }
    for (std::size_t stop = at + bytes; at < stop; at += length) {
      ElementStatus e;
      e.type = type;
      e.raw.assign(d.begin() + static_cast<long>(at), d.begin() + static_cast<long>(at + length));
      e.address = static_cast<std::uint16_t>(Get16(e.raw, 0));
      e.flags = e.raw.at(2);
      if (e.raw.at(9) & 0x80) e.source = static_cast<std::uint16_t>(Get16(e.raw, 10));
      if (voltag && length >= 12 + kVolumeTagLength) e.barcode = TagBarcode(e.raw, 12);
      r.elements.push_back(std::move(e));
    }
  }
  EXPECT_EQ(r.elements.size(), r.count) << "NUMBER OF ELEMENTS AVAILABLE vs the descriptors";
  if (!r.elements.empty()) {
    EXPECT_EQ(r.first, r.elements.front().address) << "FIRST ELEMENT ADDRESS REPORTED";
  }
  return r;
}

void ChangerTest::SetUp() {
  if (Expect().changer_lun < 0) {
    GTEST_SKIP() << "VTAPE_ISCSI_CHANGER_LUN is not set: no library target to test "
                    "(tests/vm/iscsi-host.sh sets it for configs/iscsi-chap-library.sh)";
  }
  session_ = LoginAs(Expect().target.initiator);
  ASSERT_NE(session_, nullptr);
  Reply inquiry = Changer(cdb::Inquiry(false, 0, 96), 96);
  ASSERT_GOOD(inquiry);
  if ((inquiry.data[0] & 0x1F) != 0x08) {
    GTEST_SKIP() << "LUN " << Expect().changer_lun << " of " << Expect().target.iqn
                 << " has device type " << int(inquiry.data[0] & 0x1F)
                 << ", not a medium changer (08h)";
  }
  ASSERT_NO_FATAL_FAILURE(ClearUnitAttentions(Expect().changer_lun));
  for (int lun : Expect().drive_luns) ASSERT_NO_FATAL_FAILURE(ClearUnitAttentions(lun));
  ASSERT_NO_FATAL_FAILURE(Normalize());
}

void ChangerTest::TearDown() {
  if (session_ != nullptr && !IsSkipped() && !HasFatalFailure()) Normalize();
  session_.reset();
}

void ChangerTest::ClearUnitAttentions(int lun) {
  for (int i = 0; i < 10; ++i) {
    Reply r = session_->RunOn(lun, cdb::TestUnitReady());
    if (r.status < 0) FAIL() << "TEST UNIT READY on LUN " << lun << ": " << r.Describe();
    if (r.status != kStatusCheckCondition || r.sense.key() != 0x6) return;
  }
  FAIL() << "unit attention still pending on LUN " << lun << " after 10 TEST UNIT READY";
}

Reply ChangerTest::StatusReply(cdb::ElementStatusRequest request) {
  return Changer(cdb::ReadElementStatus(request), request.alloc);
}

ElementReport ChangerTest::Status(cdb::ElementStatusRequest request) {
  Reply r = StatusReply(request);
  EXPECT_GOOD(r);
  if (r.status != kStatusGood) return {};
  return ParseElementStatus(r.data, request.voltag);
}

ElementReport ChangerTest::AllWithTags() {
  return Status({.alloc = 16384, .voltag = true});
}

std::vector<std::uint16_t> ChangerTest::Slots(bool full) {
  std::vector<std::uint16_t> out;
  for (const ElementStatus& e : Status({.type = cdb::kElementStorage, .alloc = 16384}).elements) {
    if (e.full() == full) out.push_back(e.address);
  }
  return out;
}

void ChangerTest::Normalize() {
  ASSERT_GOOD(Changer(cdb::PreventAllowMediumRemoval(false)));
  const ElementReport all = AllWithTags();
  std::vector<std::uint16_t> empty_slots;
  for (const ElementStatus& e : all.elements) {
    if (e.type == cdb::kElementStorage && !e.full()) empty_slots.push_back(e.address);
  }
  for (const ElementStatus& e : all.elements) {
    if (!e.full() || e.type == cdb::kElementStorage) continue;
    // Back where it came from when that slot is free, as an operator would expect.
    auto home =
        e.source ? std::find(empty_slots.begin(), empty_slots.end(), *e.source) : empty_slots.end();
    if (home == empty_slots.end()) home = empty_slots.begin();
    ASSERT_NE(home, empty_slots.end()) << "no empty slot for " << e.barcode;
    ASSERT_GOOD(Changer(cdb::MoveMedium(e.address, *home)))
        << " returning " << e.barcode << " from element " << e.address << " to " << *home;
    empty_slots.erase(home);
  }
  for (int lun : Expect().drive_luns) ASSERT_NO_FATAL_FAILURE(ClearUnitAttentions(lun));
}

}  // namespace vtape::iscsi_test
