// The cross-backend conformance suite: every guarantee of the contract in
// vtape/tape.h, checked on any backend that can make a fresh medium.
//
// To run the suite on another backend (e.g. rait:), link the `vtape_conformance`
// object library into a test binary and instantiate it with a factory:
//
//   TapeFactory RaitFactory() {
//     return {"rait3", [](const std::string& dir, const CreateOptions& o, std::string& name) {
//               name = "rait:{file:" + dir + "/a.img,file:" + dir + "/b.img,file:" + dir +
//                      "/c.img}";
//               return CreateTape(name, o);
//             }};
//   }
//   INSTANTIATE_TEST_SUITE_P(Rait, TapeConformance, testing::Values(RaitFactory()),
//                            FactoryLabel);
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "vtape/registry.h"
#include "vtape/tape.h"

namespace vtape::conformance {

struct TapeFactory {
  // Test-name suffix: letters, digits and _ only.
  std::string label;
  // Makes a blank medium inside the empty directory `dir`, shaped by `options`
  // (barcode, media type, capacity, early warning, write protect), and returns
  // the name that opens it.
  std::function<Status(const std::string& dir, const CreateOptions& options, std::string& name)>
      create;
  // Reopening the name finds the medium as it was closed (false for mem:, where
  // every open starts blank): enables the persistence checks.
  bool persistent = true;
  // Optional: damages the stored bytes of the record whose payload contains
  // `marker` on the closed medium `name`, so that its checksum fails. Without it
  // the checksum checks are skipped for this backend.
  std::function<Status(const std::string& name, const std::vector<std::uint8_t>& marker)>
      damage_record;
  // Partitions end exactly at the sizes FormatPartitions was given (false for
  // rait:, whose partitions end where their members' do: the set records one
  // capacity, not one per partition). Skips the exact end checks.
  bool partition_ends_exact = true;
  // Optional: decorates every opened medium (e.g. a drive's write-behind buffer).
  std::function<std::unique_ptr<Tape>(std::unique_ptr<Tape>)> wrap;
};

// gtest prints a parameter with this instead of its bytes.
inline void PrintTo(const TapeFactory& factory, std::ostream* os) {
  *os << factory.label;
}

TapeFactory MemFactory();
TapeFactory FileFactory();
// `inner` wrapped as fault:NAME (pure pass-through).
TapeFactory FaultFactory(TapeFactory inner);
// `inner` behind a BufferedTape of `buffer_bytes` (vtape/buffered_tape.h).
TapeFactory BufferedFactory(TapeFactory inner, std::uint64_t buffer_bytes);

// For INSTANTIATE_TEST_SUITE_P: names each instance by its label.
std::string FactoryLabel(const testing::TestParamInfo<TapeFactory>& info);

// Flips bytes of the first occurrence of `marker` in the file at `path`
// (backends that store record payloads verbatim).
Status FlipBytesInFile(const std::string& path, const std::vector<std::uint8_t>& marker);

class TapeConformance : public testing::TestWithParam<TapeFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Creates the medium (once per test) and opens it into tape_.
  Status Create(const CreateOptions& options);
  Status Open(const OpenOptions& options = {});
  // Closes tape_ (asserting success) and opens the same name again.
  Status Reopen(const OpenOptions& options = {});

  std::string dir_;
  std::string name_;
  std::unique_ptr<Tape> tape_;
};

}  // namespace vtape::conformance
