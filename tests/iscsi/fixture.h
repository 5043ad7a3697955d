// Shared fixture of the iSCSI conformance tests: a logged-in session to the
// drive under test, helpers for records with recognisable contents, and
// assertions on status and sense that print the whole reply when they fail.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/iscsi/iscsi_client.h"
#include "tests/iscsi/ssc_cdb.h"

namespace vtape::iscsi_test {

// What the suite expects of the drive (main.cc fills it from the environment).
struct Expectations {
  Target target;
  std::string second_initiator;
  std::string vendor;                   // INQUIRY vendor, trimmed
  std::string product;                  // INQUIRY product, trimmed
  std::string serial;                   // unit serial number (VPD 80h); empty = not checked
  std::uint32_t max_block = 0;          // READ BLOCK LIMITS maximum
  std::vector<std::uint8_t> densities;  // REPORT DENSITY SUPPORT (media=0), in order
  std::uint8_t medium_density = 0;      // density code of the loaded medium
  // A library target (conformance_changer_test.cc); changer_lun < 0: none given.
  int changer_lun = -1;
  std::vector<int> drive_luns;  // drive element i is drive_luns[i]
  std::string changer_vendor;   // INQUIRY of the changer, trimmed
  std::string changer_product;
  std::uint32_t slots = 0;            // storage elements
  std::uint32_t import_export = 0;    // import/export elements
  std::vector<std::string> barcodes;  // every cartridge in the library
};
const Expectations& Expect();

// Bytes of a record: a function of (seed, offset) so misplaced data shows.
std::vector<std::uint8_t> Pattern(std::size_t size, std::uint32_t seed);

// `n` bytes of ASCII at `at`, trailing spaces cut (INQUIRY fields, serials).
std::string Trimmed(const std::vector<std::uint8_t>& d, std::size_t at, std::size_t n);
std::uint32_t Get16(const std::vector<std::uint8_t>& d, std::size_t at);
std::uint32_t Get24(const std::vector<std::uint8_t>& d, std::size_t at);
std::uint32_t Get32(const std::vector<std::uint8_t>& d, std::size_t at);
std::uint64_t Get64(const std::vector<std::uint8_t>& d, std::size_t at);

// Evaluates `reply` once: it is often the Run(...) call itself.
inline ::testing::AssertionResult IsGood(const Reply& r) {
  if (r.status == kStatusGood) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << r.Describe();
}
#define EXPECT_GOOD(reply) EXPECT_TRUE(::vtape::iscsi_test::IsGood(reply))
#define ASSERT_GOOD(reply) ASSERT_TRUE(::vtape::iscsi_test::IsGood(reply))
// CHECK CONDITION with this sense key and ASC/ASCQ, fixed-format sense.
#define EXPECT_SENSE(reply, key_, asc_, ascq_)                                         \
  do {                                                                                 \
    const ::vtape::iscsi_test::Reply& r_ = (reply);                                    \
    EXPECT_EQ(r_.status, ::vtape::iscsi_test::kStatusCheckCondition) << r_.Describe(); \
    EXPECT_EQ(r_.sense.response_code(), 0x70) << r_.Describe();                        \
    EXPECT_EQ(r_.sense.key(), (key_)) << r_.Describe();                                \
    EXPECT_EQ(r_.sense.asc(), (asc_)) << r_.Describe();                                \
    EXPECT_EQ(r_.sense.ascq(), (ascq_)) << r_.Describe();                              \
  } while (0)

class DriveTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  Reply Run(const cdb::Cdb& c, std::size_t data_in_len = 0,
            const std::vector<std::uint8_t>& data_out = {}) {
    return session_->Run(c, data_in_len, data_out);
  }
  // Sends TEST UNIT READY until no unit attention is pending (a new nexus, a
  // reset or a media change may have queued some); fails after 10.
  void ClearUnitAttentions();
  // Rewinds and sets variable block mode: every test starts from there.
  void StartAtBeginning();
  void SetBlockLength(std::uint32_t length);  // MODE SELECT(6) block descriptor
  // Variable-length record of `size` bytes with Pattern(size, seed).
  void WriteRecord(std::size_t size, std::uint32_t seed);
  void WriteFilemarks(std::uint32_t count);
  // Logical object number from READ POSITION short form.
  std::uint32_t Position();

  std::unique_ptr<Session> session_;
};

// Logs in as `initiator` (CHAP from the expectations); null + ADD_FAILURE if it fails.
std::unique_ptr<Session> LoginAs(const std::string& initiator);

}  // namespace vtape::iscsi_test
