// Fixture of the medium changer conformance tests: one session to a library
// target (the changer on one LUN, its drives on others), READ ELEMENT STATUS
// decoded field by field, and a known starting point for every test: all
// cartridges in storage slots, drives empty, medium removal allowed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/iscsi/fixture.h"
#include "tests/iscsi/smc_cdb.h"

namespace vtape::iscsi_test {

// One element descriptor of READ ELEMENT STATUS (SMC-3 6.12.4).
struct ElementStatus {
  std::uint8_t type = 0;  // of the page it came in
  std::uint16_t address = 0;
  std::uint8_t flags =
      0;  // byte 2: FULL 01h, IMPEXP 02h, EXCEPT 04h, ACCESS 08h, EXENAB 10h, INENAB 20h
  bool full() const { return (flags & 0x01) != 0; }
  std::optional<std::uint16_t> source;  // with SVALID
  std::string barcode;                  // primary volume tag, trailing spaces cut
  std::vector<std::uint8_t> raw;        // the whole descriptor
};

struct ElementReport {
  std::uint16_t first = 0;
  std::uint16_t count = 0;
  std::uint32_t byte_count = 0;  // "byte count of report available"
  std::vector<std::uint8_t> page_types;
  std::vector<std::uint16_t> descriptor_lengths;  // per page
  std::vector<ElementStatus> elements;
  const ElementStatus* Find(std::uint16_t address) const;
};

// Decodes a complete report; adds a test failure for any structural defect
// (lengths that do not add up, a descriptor that overruns its page).
ElementReport ParseElementStatus(const std::vector<std::uint8_t>& data, bool voltag);

class ChangerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // Leaves the library as SetUp found it for whatever runs next (the guest's
  // own tests after the host suite), unless the test was skipped or failed.
  void TearDown() override;

  Reply Changer(const cdb::Cdb& c, std::size_t data_in_len = 0,
                const std::vector<std::uint8_t>& data_out = {}) {
    return session_->RunOn(Expect().changer_lun, c, data_in_len, data_out);
  }
  Reply Drive(std::size_t index, const cdb::Cdb& c, std::size_t data_in_len = 0,
              const std::vector<std::uint8_t>& data_out = {}) {
    return session_->RunOn(Expect().drive_luns.at(index), c, data_in_len, data_out);
  }
  static std::uint16_t DriveAddress(std::size_t index) {
    return static_cast<std::uint16_t>(cdb::kFirstDriveAddress + index);
  }
  static std::uint16_t SlotAddress(std::size_t index) {  // 0-based
    return static_cast<std::uint16_t>(cdb::kFirstSlotAddress + index);
  }
  std::size_t drives() const { return Expect().drive_luns.size(); }

  // READ ELEMENT STATUS, GOOD asserted by the caller through the report's use.
  Reply StatusReply(cdb::ElementStatusRequest request);
  ElementReport Status(cdb::ElementStatusRequest request);
  ElementReport AllWithTags();
  // Storage slots, full or empty, in address order.
  std::vector<std::uint16_t> Slots(bool full);
  // TEST UNIT READY on `lun` until no unit attention is pending; fails after 10.
  void ClearUnitAttentions(int lun);
  // Every cartridge back into a storage slot, removal allowed.
  void Normalize();

  std::unique_ptr<Session> session_;
};

}  // namespace vtape::iscsi_test
