#include "handler/spc/sense.h"

#include <algorithm>

namespace vtape::spc {

std::size_t EncodeSense(const SenseData& s, std::span<std::uint8_t> out) {
  std::array<std::uint8_t, 18> b{};
  b[0] = (s.deferred ? 0x71 : 0x70) | (s.info_valid ? 0x80 : 0x00);
  b[2] = static_cast<std::uint8_t>((s.filemark ? 0x80 : 0) | (s.eom ? 0x40 : 0) |
                                   (s.ili ? 0x20 : 0) | (s.key & 0x0F));
  auto info = static_cast<std::uint32_t>(s.information);  // two's complement residual
  b[3] = info >> 24;
  b[4] = info >> 16;
  b[5] = info >> 8;
  b[6] = info;
  b[7] = 10;  // additional sense length: bytes 8..17
  b[12] = s.asc;
  b[13] = s.ascq;
  if (s.field_pointer) {
    b[15] = 0x80 | (s.in_cdb ? 0x40 : 0x00);
    if (s.bit >= 0) b[15] |= 0x08 | (s.bit & 0x07);
    b[16] = s.field >> 8;
    b[17] = s.field & 0xFF;
  }
  std::size_t n = std::min(out.size(), b.size());
  std::copy_n(b.begin(), n, out.begin());
  return n;
}

SenseData Sense(std::uint8_t key, Asc asc) {
  SenseData s;
  s.key = key;
  s.asc = asc.asc;
  s.ascq = asc.ascq;
  return s;
}

ScsiResult Good(std::size_t data_in_len) {
  ScsiResult r;
  r.data_in_len = data_in_len;
  return r;
}

ScsiResult CheckCondition(const SenseData& sense, std::size_t data_in_len) {
  ScsiResult r;
  r.status = kStatusCheckCondition;
  r.data_in_len = data_in_len;
  r.sense_len = EncodeSense(sense, r.sense);
  return r;
}

ScsiResult CheckCondition(std::uint8_t key, Asc asc) {
  return CheckCondition(Sense(key, asc));
}

namespace {
ScsiResult InvalidField(Asc asc, bool in_cdb, std::uint16_t field, std::int8_t bit) {
  SenseData s = Sense(kIllegalRequest, asc);
  s.field_pointer = true;
  s.in_cdb = in_cdb;
  s.field = field;
  s.bit = bit;
  return CheckCondition(s);
}
}  // namespace

ScsiResult InvalidCdbField(std::uint16_t field, std::int8_t bit) {
  return InvalidField(kAscInvalidFieldInCdb, true, field, bit);
}

ScsiResult InvalidParameterField(std::uint16_t field, std::int8_t bit) {
  return InvalidField(kAscInvalidFieldInParameterList, false, field, bit);
}

}  // namespace vtape::spc
