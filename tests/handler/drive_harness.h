// Runs CDBs against a Drive on an in-memory medium and exposes the answer:
// status, sense bytes, data. Shared by the engine's unit tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "handler/ssc/drive.h"
#include "vtape/registry.h"

namespace vtape::ssc::testing {

class DriveHarness {
 public:
  // `medium` is a backend name ("mem:capacity=1000000"); "" = no medium.
  explicit DriveHarness(const std::string& medium = "mem:", DriveConfig config = {}) {
    std::unique_ptr<Tape> tape;
    if (!medium.empty()) {
      Status s = OpenTape(medium, {}, tape);
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    drive_ = std::make_unique<Drive>(std::move(config), std::move(tape));
  }

  // A drive on `medium` as given (a decorated test medium).
  DriveHarness(std::unique_ptr<Tape> medium, DriveConfig config)
      : drive_(std::make_unique<Drive>(std::move(config), std::move(medium))) {}

  Drive& drive() { return *drive_; }
  // Destroys the drive (closing its medium).
  void DestroyDrive() { drive_.reset(); }

  // Executes `cdb` with `data_out` sent and a data-in buffer of `data_in_size`.
  const ScsiResult& Run(std::vector<std::uint8_t> cdb, std::vector<std::uint8_t> data_out = {},
                        std::size_t data_in_size = 0) {
    cdb_ = std::move(cdb);
    data_out_ = std::move(data_out);
    data_in_.assign(data_in_size, 0xEE);  // poison: bytes the drive did not write stay EE
    result_ = drive_->Execute({cdb_, data_out_, data_in_});
    return result_;
  }

  // Clears the power-on unit attention with a TEST UNIT READY.
  void ClearPowerOnAttention() {
    Run({0x00, 0, 0, 0, 0, 0});
    EXPECT_EQ(result_.status, kStatusCheckCondition);
    EXPECT_EQ(SenseKey(), 0x6);
  }

  const ScsiResult& result() const { return result_; }
  std::uint8_t status() const { return result_.status; }
  // The data the drive returned (data_in_len bytes).
  std::vector<std::uint8_t> data() const {
    return {data_in_.begin(), data_in_.begin() + static_cast<long>(result_.data_in_len)};
  }
  std::vector<std::uint8_t> sense() const {
    return {result_.sense.begin(), result_.sense.begin() + static_cast<long>(result_.sense_len)};
  }
  std::uint8_t SenseKey() const { return result_.sense[2] & 0x0F; }
  std::uint8_t Asc() const { return result_.sense[12]; }
  std::uint8_t Ascq() const { return result_.sense[13]; }
  bool Filemark() const { return result_.sense[2] & 0x80; }
  bool Eom() const { return result_.sense[2] & 0x40; }
  bool Ili() const { return result_.sense[2] & 0x20; }
  bool Valid() const { return result_.sense[0] & 0x80; }
  std::int32_t Information() const {
    return static_cast<std::int32_t>((std::uint32_t{result_.sense[3]} << 24) |
                                     (std::uint32_t{result_.sense[4]} << 16) |
                                     (std::uint32_t{result_.sense[5]} << 8) | result_.sense[6]);
  }

 private:
  std::unique_ptr<Drive> drive_;
  std::vector<std::uint8_t> cdb_, data_out_, data_in_;
  ScsiResult result_;
};

}  // namespace vtape::ssc::testing
