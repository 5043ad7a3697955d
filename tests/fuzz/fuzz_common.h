// What the fuzz targets share: reading the input a field at a time, the
// abort with the offending CDB, and the checks every SCSI result must pass.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "handler/spc/scsi.h"

namespace vtape::fuzz {

class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  std::uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint16_t Le16() {
    std::uint16_t lo = Byte();
    return static_cast<std::uint16_t>(lo | (Byte() << 8));
  }
  std::vector<std::uint8_t> Bytes(std::size_t n) {
    n = std::min(n, size_ - std::min(pos_, size_));
    std::vector<std::uint8_t> out(data_ + pos_, data_ + pos_ + n);
    pos_ += n;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

[[noreturn]] inline void Fail(const char* what, const std::vector<std::uint8_t>& cdb) {
  std::fprintf(stderr, "invariant violated: %s; CDB:", what);
  for (std::uint8_t b : cdb) std::fprintf(stderr, " %02X", b);
  std::fprintf(stderr, "\n");
  std::abort();
}

inline void CheckResult(const vtape::spc::ScsiResult& r, std::size_t data_in_size,
                        const std::vector<std::uint8_t>& cdb) {
  if (r.data_in_len > data_in_size) Fail("data_in_len beyond the buffer", cdb);
  if (r.sense_len > r.sense.size()) Fail("sense_len beyond 96", cdb);
  if (r.status != vtape::spc::kStatusGood && r.status != vtape::spc::kStatusCheckCondition) {
    Fail("status neither GOOD nor CHECK CONDITION", cdb);
  }
  if (r.status == vtape::spc::kStatusCheckCondition) {
    if (r.sense_len < 18) Fail("CHECK CONDITION without 18 bytes of sense", cdb);
    if ((r.sense[0] & 0x7F) != 0x70) Fail("sense is not fixed format", cdb);
    const std::uint8_t key = r.sense[2] & 0x0F, flags = r.sense[2] & 0xE0;
    if (key == 0 && flags == 0) Fail("CHECK CONDITION with NO SENSE and no flag", cdb);
  }
}

}  // namespace vtape::fuzz
