// CDB builders, expected-sense builders and a direct-call harness for the data
// and positioning tests (data_test.cc, position_test.cc, status_test.cc).
// Expected sense is built here byte by byte from SPC-4's fixed format, not with
// the engine's encoder, so a wrong encoder cannot agree with itself.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "handler/ssc/commands.h"
#include "handler/ssc/drive_state.h"
#include "vtape/registry.h"

namespace vtape::ssc::testing {

using Bytes = std::vector<std::uint8_t>;

// Sense byte 2 flag bits.
inline constexpr std::uint8_t kFm = 0x80, kEom = 0x40, kIli = 0x20;

// 18 bytes of fixed sense: `flags` = kFm/kEom/kIli, `info` = INFORMATION (VALID set).
inline Bytes ExpectSense(std::uint8_t key, std::uint8_t asc, std::uint8_t ascq,
                         std::uint8_t flags = 0, std::optional<std::int32_t> info = std::nullopt) {
  Bytes s(18, 0);
  s[0] = info ? 0xF0 : 0x70;
  s[2] = static_cast<std::uint8_t>(flags | key);
  if (info) {
    auto v = static_cast<std::uint32_t>(*info);
    s[3] = v >> 24;
    s[4] = v >> 16;
    s[5] = v >> 8;
    s[6] = v;
  }
  s[7] = 10;
  s[12] = asc;
  s[13] = ascq;
  return s;
}

// ILLEGAL REQUEST, INVALID FIELD IN CDB (24h/00h) pointing at `byte` (and `bit`).
inline Bytes ExpectInvalidCdb(std::uint16_t byte, int bit = -1) {
  Bytes s = ExpectSense(0x05, 0x24, 0x00);
  s[15] = static_cast<std::uint8_t>(0xC0 | (bit >= 0 ? 0x08 | bit : 0));
  s[16] = byte >> 8;
  s[17] = byte & 0xFF;
  return s;
}

// A recognisable record: byte i is (seed + i * 7) mod 256.
inline Bytes Pattern(std::size_t size, std::uint8_t seed = 1) {
  Bytes b(size);
  for (std::size_t i = 0; i < size; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 7);
  return b;
}

inline void Put(Bytes& cdb, std::size_t offset, std::size_t width, std::uint64_t v) {
  for (std::size_t i = 0; i < width; ++i) cdb[offset + width - 1 - i] = v >> (8 * i);
}

// --- CDBs -------------------------------------------------------------------
inline Bytes Tur() {
  return {0x00, 0, 0, 0, 0, 0};
}
inline Bytes RewindCdb(bool immed = false) {
  return {0x01, std::uint8_t(immed), 0, 0, 0, 0};
}
inline Bytes RequestSenseCdb(std::uint8_t alloc, bool desc = false) {
  return {0x03, std::uint8_t(desc), 0, 0, alloc, 0};
}
inline Bytes Read6(std::uint32_t length, bool fixed = false, bool sili = false) {
  Bytes c{0x08, std::uint8_t((sili ? 2 : 0) | (fixed ? 1 : 0)), 0, 0, 0, 0};
  Put(c, 2, 3, length);
  return c;
}
// MODE SELECT(6), PF set, of `length` bytes of parameter list.
inline Bytes ModeSelect6(std::size_t length) {
  return {0x15, 0x10, 0, 0, static_cast<std::uint8_t>(length), 0};
}

// The MODE SELECT(6) parameter list of page 0Fh with DCE `on` (what
// `mt compression 0|1` sends): data compression on or off.
inline Bytes CompressionSelectList(bool on) {
  return {0,    0, 0x10, 0, 0x0F, 0x0E, static_cast<std::uint8_t>(on ? 0xC0 : 0x40),
          0x80, 0, 0,    0, 1,    0,    0,
          0,    1, 0,    0, 0,    0};
}

inline Bytes Write6(std::uint32_t length, bool fixed = false) {
  Bytes c{0x0A, std::uint8_t(fixed), 0, 0, 0, 0};
  Put(c, 2, 3, length);
  return c;
}
inline Bytes WriteFilemarks6(std::uint32_t count, bool immed = false, bool wsmk = false) {
  Bytes c{0x10, std::uint8_t((wsmk ? 2 : 0) | (immed ? 1 : 0)), 0, 0, 0, 0};
  Put(c, 2, 3, count);
  return c;
}
inline Bytes Space6(std::uint8_t code, std::int32_t count) {
  Bytes c{0x11, code, 0, 0, 0, 0};
  Put(c, 2, 3, static_cast<std::uint32_t>(count) & 0xFFFFFF);
  return c;
}
inline Bytes Erase6(bool long_erase = false, bool immed = false) {
  return {0x19, std::uint8_t((immed ? 2 : 0) | (long_erase ? 1 : 0)), 0, 0, 0, 0};
}
inline Bytes LoadUnload(std::uint8_t flags) {
  return {0x1B, 0, 0, 0, flags, 0};
}
inline Bytes PreventAllow(std::uint8_t prevent) {
  return {0x1E, 0, 0, 0, prevent, 0};
}
inline Bytes Locate10(std::uint32_t object, bool bt = false, bool cp = false,
                      std::uint8_t partition = 0) {
  Bytes c(10, 0);
  c[0] = 0x2B;
  c[1] = static_cast<std::uint8_t>((bt ? 4 : 0) | (cp ? 2 : 0));
  Put(c, 3, 4, object);
  c[8] = partition;
  return c;
}
inline Bytes ReadPositionCdb(std::uint8_t service_action, std::uint16_t alloc = 0) {
  Bytes c(10, 0);
  c[0] = 0x34;
  c[1] = service_action;
  Put(c, 7, 2, alloc);
  return c;
}
inline Bytes Cdb16(std::uint8_t opcode, std::uint8_t byte1, std::uint8_t partition,
                   std::uint64_t object, std::uint32_t length) {
  Bytes c(16, 0);
  c[0] = opcode;
  c[1] = byte1;
  c[3] = partition;
  Put(c, 4, 8, object);
  Put(c, 12, 3, length);
  return c;
}
inline Bytes Read16(std::uint32_t length, std::uint8_t partition, std::uint64_t object,
                    bool fixed = false) {
  return Cdb16(0x88, std::uint8_t(fixed), partition, object, length);
}
inline Bytes Write16(std::uint32_t length, std::uint8_t partition, std::uint64_t object,
                     bool fixed = false) {
  return Cdb16(0x8A, std::uint8_t(fixed), partition, object, length);
}
inline Bytes WriteFilemarks16(std::uint32_t count, std::uint8_t partition, std::uint64_t object) {
  return Cdb16(0x80, 0, partition, object, count);
}
inline Bytes Erase16(std::uint8_t partition, std::uint64_t object) {
  return Cdb16(0x93, 0, partition, object, 0);
}
inline Bytes Space16(std::uint8_t code, std::int64_t count) {
  Bytes c(16, 0);
  c[0] = 0x91;
  c[1] = code;
  Put(c, 4, 8, static_cast<std::uint64_t>(count));
  return c;
}
inline Bytes Locate16(std::uint8_t dest_type, std::uint64_t identifier, bool cp = false,
                      std::uint8_t partition = 0) {
  Bytes c(16, 0);
  c[0] = 0x92;
  c[1] = static_cast<std::uint8_t>((dest_type << 3) | (cp ? 2 : 0));
  c[3] = partition;
  Put(c, 4, 8, identifier);
  return c;
}

// Runs command functions directly on a DriveState, so a test can set state the
// CDBs cannot reach yet (mode block length) and read the counters back.
class DirectDrive {
 public:
  explicit DirectDrive(const std::string& medium = "mem:") {
    state_.personality = FindPersonality("generic");  // as Drive sets it
    if (!medium.empty()) {
      Status s = OpenTape(medium, {}, state_.tape);
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
  }
  explicit DirectDrive(std::unique_ptr<Tape> tape) {
    state_.personality = FindPersonality("generic");
    state_.tape = std::move(tape);
  }
  DriveState& state() { return state_; }
  Tape& tape() { return *state_.tape; }

  const ScsiResult& Run(Bytes cdb, Bytes data_out = {}, std::size_t data_in_size = 0) {
    cdb_ = std::move(cdb);
    data_out_ = std::move(data_out);
    data_in_.assign(data_in_size, 0xEE);
    const CommandInfo* info = FindCommand(cdb_[0], spc::ServiceActionOf(cdb_));
    EXPECT_NE(info, nullptr);
    result_ = info->fn(state_, {cdb_, data_out_, data_in_});
    return result_;
  }
  std::uint8_t status() const { return result_.status; }
  Bytes sense() const { return {result_.sense.begin(), result_.sense.begin() + result_.sense_len}; }
  Bytes data() const { return {data_in_.begin(), data_in_.begin() + result_.data_in_len}; }

 private:
  DriveState state_;
  Bytes cdb_, data_out_, data_in_;
  ScsiResult result_;
};

}  // namespace vtape::ssc::testing
