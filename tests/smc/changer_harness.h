// A library on disk (Library::Create in a temporary directory: two drives, four
// slots, one import/export element, cartridges A00001L8 and A00002L8 in slots 1
// and 2), a Changer over it and real ssc::Drive objects behind the DrivePort,
// so a test sends CDBs to the changer and to the drives and sees both sides.
// Drive 0 is "generic" (reads every LTO generation), drive 1 "ibm-lto7" (does
// not read LTO-8).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "handler/smc/changer.h"
#include "handler/ssc/drive.h"
#include "handler/ssc/personality.h"
#include "library/library.h"
#include "sense_bytes.h"
#include "vtape/registry.h"

namespace vtape::smc::testing {

using Bytes = std::vector<std::uint8_t>;
using ssc::testing::Ascii;
using ssc::testing::SenseBytes;

inline constexpr char kLibrarySerial[] = "VL00000001";

// The port a presenter implements, over real drives.
class DrivesPort : public DrivePort {
 public:
  explicit DrivesPort(std::vector<ssc::DriveConfig> configs) : configs_(std::move(configs)) {
    for (const auto& c : configs_) drives_.push_back(std::make_unique<ssc::Drive>(c, nullptr));
  }
  Status Load(std::uint32_t i, const LoadRequest& cartridge) override {
    ++loads;
    const ssc::Personality* p = ssc::FindPersonality(configs_[i].personality);
    if (!ssc::ReadsMediaType(*p, cartridge.media_type)) {
      return Status::Unsupported(configs_[i].personality + " does not read " +
                                 cartridge.media_type);
    }
    std::unique_ptr<Tape> tape;
    VTAPE_RETURN_IF_ERROR(OpenTape(cartridge.medium, {}, tape));
    return drives_[i]->ChangeMedium(std::move(tape));
  }
  Status Unload(std::uint32_t i) override {
    ++unloads;
    if (drives_[i]->medium() == nullptr) return Status::Ok();
    VTAPE_RETURN_IF_ERROR(drives_[i]->Flush());
    return drives_[i]->ChangeMedium(nullptr);
  }
  bool MediumRemovalPrevented(std::uint32_t i) const override {
    return drives_[i]->medium_removal_prevented();
  }
  DriveIdentity Identity(std::uint32_t i) const override {
    const ssc::Personality* p = ssc::FindPersonality(configs_[i].personality);
    return {std::string(p->vendor), std::string(p->product), configs_[i].serial};
  }
  ssc::Drive& drive(std::uint32_t i) { return *drives_[i]; }

  int loads = 0, unloads = 0;

 private:
  std::vector<ssc::DriveConfig> configs_;
  std::vector<std::unique_ptr<ssc::Drive>> drives_;
};

// Runs CDBs against one engine (changer or drive) and keeps the answer.
struct Answer {
  spc::ScsiResult result;
  Bytes data;
  std::uint8_t status() const { return result.status; }
  Bytes sense() const { return {result.sense.begin(), result.sense.begin() + result.sense_len}; }
};

template <class Engine>
Answer RunOn(Engine& engine, const Bytes& cdb, const Bytes& data_out = {},
             std::size_t data_in_size = 0) {
  Bytes data_in(data_in_size, 0xEE);
  Answer a;
  a.result = engine.Execute({cdb, data_out, data_in});
  a.data.assign(data_in.begin(), data_in.begin() + static_cast<long>(a.result.data_in_len));
  return a;
}

class ChangerHarness {
 public:
  explicit ChangerHarness(const std::string& personality = "generic") {
    char pattern[] = "/tmp/vtape_smc_XXXXXX";
    dir_ = mkdtemp(pattern);
    library::CreateSpec spec;
    spec.name = "lib";
    spec.serial = kLibrarySerial;
    spec.layout = {2, 4, 1};
    spec.barcodes = {"A00001L8", "A00002L8"};
    spec.capacity_bytes = 256ull << 20;
    Status s = library::Library::Create(dir_, spec);
    EXPECT_TRUE(s.ok()) << s.ToString();
    s = library::Library::Open(dir_, {.present = true}, library_);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::vector<ssc::DriveConfig> configs(2);
    configs[0].personality = "generic";
    configs[1].personality = "ibm-lto7";
    for (std::uint32_t i = 0; i < 2; ++i) {
      configs[i].serial = library::DriveSerial(kLibrarySerial, i);
    }
    port_ = std::make_unique<DrivesPort>(configs);
    ChangerConfig config;
    config.personality = personality;
    changer_ = std::make_unique<Changer>(config, *library_, *port_);
    // Clear the power-on unit attentions of changer and drives.
    EXPECT_EQ(Run({0x00, 0, 0, 0, 0, 0}).sense(), SenseBytes(0x06, 0x29, 0x00));
    for (std::uint32_t i = 0; i < 2; ++i) {
      EXPECT_EQ(Drive({0x00, 0, 0, 0, 0, 0}, i).sense(), SenseBytes(0x06, 0x29, 0x00));
    }
  }
  ~ChangerHarness() {
    changer_.reset();
    port_.reset();
    library_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  Answer Run(const Bytes& cdb, const Bytes& data_out = {}, std::size_t data_in_size = 0) {
    return RunOn(*changer_, cdb, data_out, data_in_size);
  }
  Answer Drive(const Bytes& cdb, std::uint32_t drive, const Bytes& data_out = {},
               std::size_t data_in_size = 0) {
    return RunOn(port_->drive(drive), cdb, data_out, data_in_size);
  }

  const std::string& dir() const { return dir_; }
  library::Library& library() { return *library_; }
  DrivesPort& port() { return *port_; }
  // The library as another process (the operator's `vtape library`) opens it.
  std::unique_ptr<library::Library> OtherProcess() {
    std::unique_ptr<library::Library> other;
    Status s = library::Library::Open(dir_, {}, other);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return other;
  }
  // The library as another process sees it (re-read from disk).
  library::State DiskState() {
    std::unique_ptr<library::Library> other;
    Status s = library::Library::Open(dir_, {}, other);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return other->state();
  }
  // The barcode in the element at `address` on disk ("" = empty).
  std::string At(std::uint16_t address) {
    library::State s = DiskState();
    const library::Element* e = s.FindElement(address);
    return e ? e->barcode : "?";
  }

 private:
  std::string dir_;
  std::unique_ptr<library::Library> library_;
  std::unique_ptr<DrivesPort> port_;
  std::unique_ptr<Changer> changer_;
};

// A new cartridge with a blank 256 MiB image in the library's media directory.
inline library::NewCartridge NewCartridge(const std::string& barcode) {
  library::NewCartridge c;
  c.barcode = barcode;
  c.capacity_bytes = 256ull << 20;
  return c;
}

// --- CDBs ----------------------------------------------------------------------
inline Bytes MoveMedium(std::uint16_t from, std::uint16_t to, std::uint16_t transport = 0) {
  return {0xA5,
          0,
          std::uint8_t(transport >> 8),
          std::uint8_t(transport),
          std::uint8_t(from >> 8),
          std::uint8_t(from),
          std::uint8_t(to >> 8),
          std::uint8_t(to),
          0,
          0,
          0,
          0};
}
inline Bytes ExchangeMedium(std::uint16_t source, std::uint16_t first, std::uint16_t second) {
  return {0xA6,
          0,
          0,
          0,
          std::uint8_t(source >> 8),
          std::uint8_t(source),
          std::uint8_t(first >> 8),
          std::uint8_t(first),
          std::uint8_t(second >> 8),
          std::uint8_t(second),
          0,
          0};
}
inline Bytes ReadElementStatus(std::uint8_t type, std::uint16_t start, std::uint16_t count,
                               std::uint32_t allocation, bool voltag = false, bool dvcid = false) {
  return {0xB8,
          std::uint8_t((voltag ? 0x10 : 0) | type),
          std::uint8_t(start >> 8),
          std::uint8_t(start),
          std::uint8_t(count >> 8),
          std::uint8_t(count),
          std::uint8_t(dvcid ? 1 : 0),
          std::uint8_t(allocation >> 16),
          std::uint8_t(allocation >> 8),
          std::uint8_t(allocation),
          0,
          0};
}

inline const Bytes kGoodSense{};
inline Bytes InvalidElementSense() {
  return SenseBytes(0x05, 0x21, 0x01);
}

}  // namespace vtape::smc::testing
