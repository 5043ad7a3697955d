// Expected fixed-format sense bytes, spelled out independently of the engine's
// encoder so a test compares all 18 bytes against SPC-4's layout.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vtape::ssc::testing {

inline std::vector<std::uint8_t> SenseBytes(std::uint8_t key, std::uint8_t asc, std::uint8_t ascq) {
  return {0x70, 0, key, 0, 0, 0, 0, 10, 0, 0, 0, 0, asc, ascq, 0, 0, 0, 0};
}

// ILLEGAL REQUEST with a sense-key specific field pointer: SKSV, C/D (in CDB),
// BPV and the bit when `bit` >= 0, then the byte offset.
inline std::vector<std::uint8_t> FieldSense(std::uint8_t asc, std::uint8_t ascq, bool in_cdb,
                                            std::uint16_t field, int bit) {
  std::vector<std::uint8_t> s = SenseBytes(0x05, asc, ascq);
  s[15] = static_cast<std::uint8_t>(0x80 | (in_cdb ? 0x40 : 0) | (bit >= 0 ? 0x08 | bit : 0));
  s[16] = static_cast<std::uint8_t>(field >> 8);
  s[17] = static_cast<std::uint8_t>(field & 0xFF);
  return s;
}

inline std::vector<std::uint8_t> InvalidCdbSense(std::uint16_t field, int bit = -1) {
  return FieldSense(0x24, 0x00, true, field, bit);
}

inline std::vector<std::uint8_t> InvalidParamSense(std::uint16_t field, int bit = -1) {
  return FieldSense(0x26, 0x00, false, field, bit);
}

inline std::vector<std::uint8_t> ParameterListLengthSense() {
  return SenseBytes(0x05, 0x1A, 0x00);
}

inline std::vector<std::uint8_t> SavingNotSupportedSense() {
  return FieldSense(0x24, 0x00, true, 1, 0);  // SP set: saving is not implemented
}

inline std::vector<std::uint8_t> MediumNotPresentSense() {
  return SenseBytes(0x02, 0x3A, 0x00);
}

// `text` as a fixed-width, space-padded ASCII field.
inline std::vector<std::uint8_t> Ascii(const std::string& text, std::size_t width) {
  std::vector<std::uint8_t> out(width, ' ');
  for (std::size_t i = 0; i < width && i < text.size(); ++i) out[i] = text[i];
  return out;
}

inline void AppendBytes(std::vector<std::uint8_t>& out, const std::vector<std::uint8_t>& more) {
  for (std::uint8_t b : more) out.push_back(b);
}

}  // namespace vtape::ssc::testing
