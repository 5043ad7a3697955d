// Optional capability: medium auxiliary memory (MAM) attributes, id -> bytes,
// kept per partition as the cartridge memory of an LTO cartridge keeps them
// (LTFS writes its volume coherency information, 080Ch, to each partition).
// A backend that offers it answers Tape::attributes() with an object that
// lives as long as the Tape; others answer nullptr.
//
// Every call fails with kNotLoaded while the medium is unloaded and with
// kInvalidArgument for a partition the medium does not have.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "vtape/status.h"

namespace vtape {

class Tape;

class AttributeStore {
 public:
  virtual ~AttributeStore() = default;

  // kNotFound when the attribute is not set.
  virtual Status ReadAttribute(std::uint32_t partition, std::uint16_t id,
                               std::vector<std::uint8_t>& value) const = 0;
  // Stores `value` durably; an empty value deletes the attribute.
  virtual Status WriteAttribute(std::uint32_t partition, std::uint16_t id,
                                std::span<const std::uint8_t> value) = 0;
  // The ids set in `partition`, ascending.
  virtual Status ListAttributes(std::uint32_t partition, std::vector<std::uint16_t>& ids) const = 0;
};

// The same calls on a Tape, answering kUnsupported when it has no attribute
// store (for callers that treat "no MAM" as an error, e.g. rait superblocks).
Status ReadMamAttribute(const Tape& tape, std::uint32_t partition, std::uint16_t id,
                        std::vector<std::uint8_t>& value);
Status WriteMamAttribute(Tape& tape, std::uint32_t partition, std::uint16_t id,
                         std::span<const std::uint8_t> value);
Status ListMamAttributes(const Tape& tape, std::uint32_t partition,
                         std::vector<std::uint16_t>& ids);

}  // namespace vtape
