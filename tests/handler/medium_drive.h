// A drive on a mem: medium the test can also reach directly: the stored bytes
// and tags of its records, as the data services (compression, encryption)
// left them.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "drive_harness.h"
#include "ssc_test_util.h"
#include "vtape/registry.h"

namespace vtape::ssc::testing {

struct MediumPointer {
  Tape* medium = nullptr;  // owned by the drive
};

struct MediumDrive : MediumPointer, DriveHarness {
  // `buffer_bytes` of drive buffer; the identity `personality` (personality.h).
  explicit MediumDrive(std::uint64_t buffer_bytes = 0, const std::string& personality = "generic")
      : MediumDrive(OpenMem(), buffer_bytes, personality) {}

  void Write(const Bytes& record) {
    Run(Write6(static_cast<std::uint32_t>(record.size())), record);
    ASSERT_EQ(status(), kStatusGood) << ::testing::PrintToString(sense());
  }
  void Rewind() {
    Run(RewindCdb());
    ASSERT_EQ(status(), kStatusGood);
  }
  std::uint64_t Object() { return drive().medium()->GetPosition().object; }
  // The stored form of object `object` of partition 0 (the drive's position moves).
  Bytes Stored(std::uint64_t object, std::uint8_t& tag) {
    SpaceResult moved;
    EXPECT_TRUE(medium->Locate(0, object, moved).ok());
    Bytes bytes(1 << 20);
    ReadResult got;
    EXPECT_TRUE(medium->Read(bytes, got).ok());
    EXPECT_EQ(got.kind, ObjectKind::kRecord);
    bytes.resize(got.length);
    tag = got.tag;
    return bytes;
  }

 private:
  MediumDrive(std::unique_ptr<Tape> tape, std::uint64_t buffer_bytes,
              const std::string& personality)
      : DriveHarness(Keep(std::move(tape)), Config(buffer_bytes, personality)) {
    ClearPowerOnAttention();
  }
  static std::unique_ptr<Tape> OpenMem() {
    std::unique_ptr<Tape> tape;
    EXPECT_TRUE(OpenTape("mem:", {}, tape).ok());
    return tape;
  }
  std::unique_ptr<Tape> Keep(std::unique_ptr<Tape> tape) {
    medium = tape.get();
    return tape;
  }
  static DriveConfig Config(std::uint64_t buffer_bytes, const std::string& personality) {
    DriveConfig config;
    config.buffer_bytes = buffer_bytes;
    config.personality = personality;
    return config;
  }
};

// With Pattern(1000, 1) and Pattern(1000, 2) as the next records, whatever
// form they are stored in: READ(6) of 600 bytes gives the first 600, ILI and
// INFORMATION -400; READ(6) of 2000 the whole second record, ILI and
// INFORMATION 1000. The residues count the host's bytes, not the stored ones.
inline void ExpectResiduesCountHostBytes(MediumDrive& h) {
  h.Run(Read6(600), {}, 600);
  EXPECT_EQ(h.sense(), ExpectSense(0x00, 0x00, 0x00, kIli, -400));
  const Bytes first = Pattern(1000, 1);
  EXPECT_EQ(h.data(), Bytes(first.begin(), first.begin() + 600));
  h.Run(Read6(2000), {}, 2000);
  EXPECT_EQ(h.sense(), ExpectSense(0x00, 0x00, 0x00, kIli, 1000));
  EXPECT_EQ(h.data(), Pattern(1000, 2));
}

}  // namespace vtape::ssc::testing
