// iscsi_conformance: SSC conformance of a vtape drive exported over iSCSI with
// CHAP, driven from the host with libiscsi. The target comes from the
// environment (tests/vm/iscsi-host.sh sets it up and exports these):
//
//   VTAPE_ISCSI_PORTAL      host:port of the portal (required), e.g. 127.0.0.1:3260
//   VTAPE_ISCSI_TARGET      target IQN           [iqn.2026-11.org.vtape:drive0]
//   VTAPE_ISCSI_LUN         LUN of the drive     [0]
//   VTAPE_ISCSI_INITIATOR   our IQN              [iqn.2026-11.org.vtape:host1]
//   VTAPE_ISCSI_INITIATOR2  second initiator IQN [iqn.2026-11.org.vtape:host2]
//   VTAPE_CHAP_USER / VTAPE_CHAP_SECRET          [vtape / vtape-secret-12]
//   Expected identity (defaults match configs/iscsi-chap-one-drive.sh, model ibm-lto8):
//   VTAPE_EXPECT_VENDOR [IBM]  VTAPE_EXPECT_PRODUCT [ULT3580-TD8]  VTAPE_EXPECT_SERIAL []
//   VTAPE_EXPECT_MAX_BLOCK [1048576]  VTAPE_EXPECT_DENSITIES [5C,5E] (hex, in report order)
//   VTAPE_EXPECT_MEDIUM_DENSITY [5E] (hex: the loaded medium, LTO-8)
//   A library (the Changer* tests; defaults match configs/iscsi-chap-library.sh):
//   VTAPE_ISCSI_CHANGER_LUN  LUN of the changer [unset: the Changer* tests skip]
//   VTAPE_ISCSI_DRIVE_LUNS   LUNs of drive elements 0, 1, ... [1,2,3,4]
//   VTAPE_EXPECT_CHANGER_VENDOR [IBM]  VTAPE_EXPECT_CHANGER_PRODUCT [3573-TL] (ibm-ts3100)
//   VTAPE_EXPECT_SLOTS [8]  VTAPE_EXPECT_IE [1]
//   VTAPE_EXPECT_BARCODES [A00001L8,...,A00006L8] (every cartridge, comma-separated)
//
// The tests write to the drive's medium: point them at a scratch drive only.
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "tests/iscsi/fixture.h"

namespace vtape::iscsi_test {
namespace {

Expectations g_expect;

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : std::string(fallback);
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(item);
  return out;
}

bool ParseLibraryExpectations(std::string& error) {
  const std::string changer = Env("VTAPE_ISCSI_CHANGER_LUN", "");
  g_expect.changer_lun = changer.empty() ? -1 : std::atoi(changer.c_str());
  for (const std::string& lun : SplitCommas(Env("VTAPE_ISCSI_DRIVE_LUNS", "1,2,3,4"))) {
    char* end = nullptr;
    long v = std::strtol(lun.c_str(), &end, 10);
    if (lun.empty() || *end != '\0' || v < 0 || v > 255) {
      error = "VTAPE_ISCSI_DRIVE_LUNS: '" + lun + "' is not a LUN";
      return false;
    }
    g_expect.drive_luns.push_back(static_cast<int>(v));
  }
  g_expect.changer_vendor = Env("VTAPE_EXPECT_CHANGER_VENDOR", "IBM");
  g_expect.changer_product = Env("VTAPE_EXPECT_CHANGER_PRODUCT", "3573-TL");
  g_expect.slots =
      static_cast<std::uint32_t>(std::strtoul(Env("VTAPE_EXPECT_SLOTS", "8").c_str(), nullptr, 10));
  g_expect.import_export =
      static_cast<std::uint32_t>(std::strtoul(Env("VTAPE_EXPECT_IE", "1").c_str(), nullptr, 10));
  g_expect.barcodes = SplitCommas(
      Env("VTAPE_EXPECT_BARCODES", "A00001L8,A00002L8,A00003L8,A00004L8,A00005L8,A00006L8"));
  return true;
}

bool ParseExpectations(std::string& error) {
  Target& t = g_expect.target;
  t.portal = Env("VTAPE_ISCSI_PORTAL", "");
  if (t.portal.empty()) {
    error =
        "VTAPE_ISCSI_PORTAL is not set: give the target portal as host:port "
        "(tests/vm/iscsi-host.sh runs this suite against a VM target)";
    return false;
  }
  t.iqn = Env("VTAPE_ISCSI_TARGET", "iqn.2026-11.org.vtape:drive0");
  t.initiator = Env("VTAPE_ISCSI_INITIATOR", "iqn.2026-11.org.vtape:host1");
  t.chap_user = Env("VTAPE_CHAP_USER", "vtape");
  t.chap_secret = Env("VTAPE_CHAP_SECRET", "vtape-secret-12");
  t.lun = std::atoi(Env("VTAPE_ISCSI_LUN", "0").c_str());
  g_expect.second_initiator = Env("VTAPE_ISCSI_INITIATOR2", "iqn.2026-11.org.vtape:host2");
  g_expect.vendor = Env("VTAPE_EXPECT_VENDOR", "IBM");
  g_expect.product = Env("VTAPE_EXPECT_PRODUCT", "ULT3580-TD8");
  g_expect.serial = Env("VTAPE_EXPECT_SERIAL", "");
  g_expect.max_block = static_cast<std::uint32_t>(
      std::strtoul(Env("VTAPE_EXPECT_MAX_BLOCK", "1048576").c_str(), nullptr, 10));
  std::stringstream densities(Env("VTAPE_EXPECT_DENSITIES", "5C,5E"));
  std::string item;
  while (std::getline(densities, item, ',')) {
    char* end = nullptr;
    unsigned long v = std::strtoul(item.c_str(), &end, 16);
    if (item.empty() || *end != '\0' || v > 0xFF) {
      error = "VTAPE_EXPECT_DENSITIES: '" + item + "' is not a hex density code";
      return false;
    }
    g_expect.densities.push_back(static_cast<std::uint8_t>(v));
  }
  g_expect.medium_density = static_cast<std::uint8_t>(
      std::strtoul(Env("VTAPE_EXPECT_MEDIUM_DENSITY", "5E").c_str(), nullptr, 16));
  return ParseLibraryExpectations(error);
}

}  // namespace

const Expectations& Expect() {
  return g_expect;
}

std::vector<std::uint8_t> Pattern(std::size_t size, std::uint32_t seed) {
  std::vector<std::uint8_t> out(size);
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[i] = static_cast<std::uint8_t>(x);
  }
  return out;
}

std::string Trimmed(const std::vector<std::uint8_t>& d, std::size_t at, std::size_t n) {
  std::string s(d.begin() + static_cast<long>(at), d.begin() + static_cast<long>(at + n));
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::uint32_t Get16(const std::vector<std::uint8_t>& d, std::size_t at) {
  return (std::uint32_t{d.at(at)} << 8) | d.at(at + 1);
}
std::uint32_t Get24(const std::vector<std::uint8_t>& d, std::size_t at) {
  return (std::uint32_t{d.at(at)} << 16) | Get16(d, at + 1);
}
std::uint32_t Get32(const std::vector<std::uint8_t>& d, std::size_t at) {
  return (std::uint32_t{d.at(at)} << 24) | Get24(d, at + 1);
}
std::uint64_t Get64(const std::vector<std::uint8_t>& d, std::size_t at) {
  return (std::uint64_t{Get32(d, at)} << 32) | Get32(d, at + 4);
}

std::unique_ptr<Session> LoginAs(const std::string& initiator) {
  Target t = Expect().target;
  t.initiator = initiator;
  std::string error;
  std::unique_ptr<Session> s = Session::Login(t, error);
  if (!s) ADD_FAILURE() << error;
  return s;
}

void DriveTest::SetUp() {
  session_ = LoginAs(Expect().target.initiator);
  ASSERT_NE(session_, nullptr);
  ASSERT_NO_FATAL_FAILURE(ClearUnitAttentions());
  ASSERT_NO_FATAL_FAILURE(StartAtBeginning());
}

void DriveTest::TearDown() {
  session_.reset();
}

void DriveTest::ClearUnitAttentions() {
  for (int i = 0; i < 10; ++i) {
    Reply r = Run(cdb::TestUnitReady());
    if (r.status == kStatusGood) return;
    if (r.status != kStatusCheckCondition || r.sense.key() != 0x6) {
      // A drive with no medium loaded is a legitimate state for some tests: LOAD it.
      if (r.status == kStatusCheckCondition && r.sense.key() == 0x2) {
        Reply load = Run(cdb::LoadUnload(true));
        if (load.status == kStatusGood || load.sense.key() == 0x6) continue;
      }
      FAIL() << "TEST UNIT READY: " << r.Describe();
    }
  }
  FAIL() << "unit attention still pending after 10 TEST UNIT READY";
}

void DriveTest::StartAtBeginning() {
  Reply r = Run(cdb::Rewind());
  ASSERT_GOOD(r);
  ASSERT_NO_FATAL_FAILURE(SetBlockLength(0));
}

void DriveTest::SetBlockLength(std::uint32_t length) {
  // Header (4) + block descriptor (8): density 0 = keep, block length in bytes 9-11.
  std::vector<std::uint8_t> p(12, 0);
  p[2] = 0x10;  // buffered mode 1, as st sets it
  p[3] = 8;
  p[9] = static_cast<std::uint8_t>(length >> 16);
  p[10] = static_cast<std::uint8_t>(length >> 8);
  p[11] = static_cast<std::uint8_t>(length);
  Reply r = Run(cdb::ModeSelect6(12), 0, p);
  ASSERT_GOOD(r);
}

void DriveTest::WriteRecord(std::size_t size, std::uint32_t seed) {
  Reply r = Run(cdb::Write6(static_cast<std::uint32_t>(size)), 0, Pattern(size, seed));
  ASSERT_GOOD(r) << " writing a " << size << "-byte record";
}

void DriveTest::WriteFilemarks(std::uint32_t count) {
  Reply r = Run(cdb::WriteFilemarks6(count));
  ASSERT_GOOD(r);
}

std::uint32_t DriveTest::Position() {
  Reply r = Run(cdb::ReadPosition(cdb::kPosShort), 20);
  EXPECT_GOOD(r);
  if (r.status != kStatusGood) return 0xFFFFFFFF;
  return Get32(r.data, 4);
}

}  // namespace vtape::iscsi_test

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  std::string error;
  if (!vtape::iscsi_test::ParseExpectations(error) && !GTEST_FLAG_GET(list_tests)) {
    std::fprintf(stderr, "iscsi_conformance: %s\n", error.c_str());
    return 2;
  }
  return RUN_ALL_TESTS();
}
