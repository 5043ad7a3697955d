// A heap byte buffer aligned for ISA-L's SIMD XOR (xor_gen wants 32-byte
// aligned vectors; 64 keeps every member payload on its own cache line).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>

namespace vtape::rait {

class AlignedBuffer {
 public:
  static constexpr std::size_t kAlignment = 64;

  AlignedBuffer() = default;
  explicit AlignedBuffer(std::size_t size) { Resize(size); }

  // Grows (never shrinks) the allocation; contents are not preserved.
  void Resize(std::size_t size) {
    if (size > capacity_) {
      std::size_t rounded = (size + kAlignment - 1) / kAlignment * kAlignment;
      data_.reset(static_cast<std::uint8_t*>(std::aligned_alloc(kAlignment, rounded)));
      if (!data_) throw std::bad_alloc();
      capacity_ = rounded;
    }
    size_ = size;
  }
  std::uint8_t* data() { return data_.get(); }
  const std::uint8_t* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  std::span<std::uint8_t> span() { return {data_.get(), size_}; }
  std::span<const std::uint8_t> span() const { return {data_.get(), size_}; }

 private:
  struct Free {
    void operator()(std::uint8_t* p) const { std::free(p); }
  };
  std::unique_ptr<std::uint8_t, Free> data_;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
};

}  // namespace vtape::rait
