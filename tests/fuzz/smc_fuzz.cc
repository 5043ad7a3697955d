// libFuzzer target: sequences of SCSI commands against a Changer over a real
// library (in a temporary directory) and the ssc::Drive objects of its drives,
// with an "operator" changing the library from outside between commands.
//
// Input format (every field optional: a short input just ends the sequence):
//   byte 0   layout: drives 1 + b % 3, slots 2 + (b >> 2) % 5, import/export (b >> 5) % 3
//   byte 1   changer personality: index into smc::AllPersonalities()
//   then steps, each starting with a header byte H:
//     H >> 6 == 3  operator: next byte A; A % 5: 0 import a new or shelved
//                  cartridge, 1 export, 2 add a cartridge to a slot, 3 open or
//                  close a door, 4 delete the image of a cartridge in a slot.
//     H >> 6 == 2  a command to drive (H & 3) % drives, encoded as below.
//     otherwise    a command to the changer:
//       H bits 1-0 CDB length class {6, 10, 12, 16}; bit 2: CDB byte 0 mapped
//       onto a known opcode; bit 3: the 16-bit fields at CDB bytes 2, 4, 6 and
//       8 mapped onto element addresses of the library (moves reach the drives).
//       Then the CDB bytes, one byte of data-out length and the data-out, two
//       bytes (little endian) of data-in buffer size.
// Cartridges are mem: media (fast, one of them LTO-7 so the LTO-5 drive refuses
// it as incompatible) and one file: image per created library slot.
// Invariants checked after every step (a violation aborts):
//   the SCSI result is well formed (as in ssc_fuzz.cc); every drive element
//   holds a cartridge exactly when its drive holds a medium, and that medium is
//   the cartridge's; no barcode is in two elements.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "handler/smc/changer.h"
#include "handler/smc/personality.h"
#include "handler/ssc/drive.h"
#include "handler/ssc/personality.h"
#include "library/library.h"
#include "vtape/registry.h"

namespace {

using vtape::Status;
using vtape::fuzz::CheckResult;
using vtape::fuzz::Fail;
using vtape::fuzz::Input;
using vtape::spc::ScsiResult;
namespace library = vtape::library;
namespace smc = vtape::smc;
namespace ssc = vtape::ssc;

constexpr std::array<std::uint8_t, 20> kChangerOpcodes = {0x00, 0x03, 0x07, 0x12, 0x15, 0x1A, 0x1B,
                                                          0x1E, 0x2B, 0x37, 0x4C, 0x4D, 0x55, 0x5A,
                                                          0xA3, 0xA5, 0xA6, 0xB8, 0x05, 0x01};
constexpr std::array<std::uint8_t, 10> kDriveOpcodes = {0x00, 0x01, 0x03, 0x08, 0x0A,
                                                        0x10, 0x12, 0x1B, 0x1E, 0x34};
constexpr std::array<const char*, 3> kDrivePersonalities = {"generic", "ibm-lto5", "hp-lto8"};
constexpr std::size_t kMaxDataIn = 1 << 16;

// The drives behind the changer: real ssc::Drive objects.
class FuzzPort : public smc::DrivePort {
 public:
  explicit FuzzPort(std::uint32_t drives) {
    for (std::uint32_t i = 0; i < drives; ++i) {
      ssc::DriveConfig c;
      c.personality = kDrivePersonalities[i % kDrivePersonalities.size()];
      c.serial = library::DriveSerial("VLFUZZ0001", i);
      configs_.push_back(c);
      drives_.push_back(std::make_unique<ssc::Drive>(c, nullptr));
      barcodes_.emplace_back();
    }
  }
  Status Load(std::uint32_t i, const smc::LoadRequest& cartridge) override {
    if (!ssc::ReadsMediaType(*ssc::FindPersonality(configs_[i].personality),
                             cartridge.media_type)) {
      return Status::Unsupported("incompatible");
    }
    std::unique_ptr<vtape::Tape> tape;
    VTAPE_RETURN_IF_ERROR(vtape::OpenTape(cartridge.medium, {}, tape));
    barcodes_[i] = cartridge.barcode;
    return drives_[i]->ChangeMedium(std::move(tape));
  }
  Status Unload(std::uint32_t i) override {
    if (drives_[i]->medium() == nullptr) return Status::Ok();
    VTAPE_RETURN_IF_ERROR(drives_[i]->Flush());
    barcodes_[i].clear();
    return drives_[i]->ChangeMedium(nullptr);
  }
  bool MediumRemovalPrevented(std::uint32_t i) const override {
    return drives_[i]->medium_removal_prevented();
  }
  smc::DriveIdentity Identity(std::uint32_t i) const override {
    const ssc::Personality* p = ssc::FindPersonality(configs_[i].personality);
    return {std::string(p->vendor), std::string(p->product), configs_[i].serial};
  }
  ssc::Drive& drive(std::uint32_t i) { return *drives_[i]; }
  // The barcode of the medium in drive i ("" = none).
  const std::string& barcode(std::uint32_t i) const { return barcodes_[i]; }
  std::uint32_t size() const { return static_cast<std::uint32_t>(drives_.size()); }

 private:
  std::vector<ssc::DriveConfig> configs_;
  std::vector<std::unique_ptr<ssc::Drive>> drives_;
  std::vector<std::string> barcodes_;
};

std::vector<std::uint16_t> AllAddresses(const library::State& s) {
  std::vector<std::uint16_t> out = {s.transport.address};
  for (const auto* group : {&s.drives, &s.import_export, &s.slots}) {
    for (const library::Element& e : *group) out.push_back(e.address);
  }
  return out;
}

void CheckConsistent(library::Library& lib, FuzzPort& port, const std::vector<std::uint8_t>& cdb) {
  if (!lib.Refresh().ok()) Fail("library state unreadable", cdb);
  const library::State& s = lib.state();
  std::set<std::string> seen;
  for (const auto* group : {&s.drives, &s.import_export, &s.slots}) {
    for (const library::Element& e : *group) {
      if (e.full() && !seen.insert(e.barcode).second) Fail("a barcode in two elements", cdb);
    }
  }
  for (std::uint32_t i = 0; i < port.size(); ++i) {
    const bool has_medium = port.drive(i).medium() != nullptr;
    if (s.drives[i].full() != has_medium) Fail("drive element and drive disagree", cdb);
    if (has_medium && port.barcode(i) != s.drives[i].barcode) {
      Fail("the drive holds another cartridge than its element", cdb);
    }
  }
}

std::string MemMedium(const std::string& barcode, bool lto7) {
  return std::string("mem:capacity=65536,early_warning=8192,media=") + (lto7 ? "LTO-7" : "LTO-8") +
         ",barcode=" + barcode;
}

void OperatorStep(library::Library& lib, Input& in, int& serial) {
  const std::uint8_t a = in.Byte();
  const library::State& s = lib.state();
  const std::uint32_t ie = s.layout.import_export;
  auto some_ie = [&]() {
    return library::AddressOf(library::ElementType::kImportExport, (a >> 3) % ie);
  };
  switch (a % 5) {
    case 0: {  // import: a shelved cartridge back, or a new one
      if (ie == 0) return;
      library::NewCartridge c;
      std::string shelved;
      for (const library::Cartridge& k : s.cartridges) {
        if (!s.LocationOf(k.barcode)) shelved = k.barcode;
      }
      if ((a & 0x80) && !shelved.empty()) {
        c.barcode = shelved;
      } else {
        const bool lto7 = a & 0x40;
        c.barcode = "F" + std::to_string(10000 + serial++) + (lto7 ? "L7" : "L8");
        c.medium = MemMedium(c.barcode, lto7);
      }
      (void)lib.Import(c, some_ie());
      return;
    }
    case 1:
      if (ie != 0) (void)lib.Export(some_ie());
      return;
    case 2: {
      library::NewCartridge c;
      const bool lto7 = a & 0x40;
      c.barcode = "G" + std::to_string(10000 + serial++) + (lto7 ? "L7" : "L8");
      c.medium = MemMedium(c.barcode, lto7);
      (void)lib.Add(c, std::nullopt);
      return;
    }
    case 3:
      if (ie != 0) (void)lib.SetDoor(some_ie(), a & 0x80);
      return;
    case 4: {  // a cartridge image disappears (only while in a slot: see smc/changer.h)
      for (const library::Element& e : s.slots) {
        std::string name;
        if (e.full() && lib.MediumName(e.barcode, name).ok() && name.starts_with("file:")) {
          std::error_code ec;
          std::filesystem::remove(name.substr(5), ec);
          return;
        }
      }
      return;
    }
  }
}

std::vector<std::uint8_t> ReadCdb(Input& in, std::uint8_t header) {
  static constexpr std::array<std::size_t, 4> kLengths = {6, 10, 12, 16};
  std::vector<std::uint8_t> cdb(kLengths[header & 0x03], 0);
  for (std::uint8_t& b : cdb) b = in.Byte();
  return cdb;
}

// SMC_FUZZ_TRACE=1 prints every command and its outcome (for reading seeds).
void Trace(const char* who, const std::vector<std::uint8_t>& cdb, const ScsiResult& r) {
  std::fprintf(stderr, "%s CDB", who);
  for (std::uint8_t b : cdb) std::fprintf(stderr, " %02X", b);
  std::fprintf(stderr, " -> status %02X data %zu", r.status, r.data_in_len);
  if (r.status != vtape::spc::kStatusGood) {
    std::fprintf(stderr, " sense %02X/%02X/%02X", r.sense[2] & 0x0F, r.sense[12], r.sense[13]);
  }
  std::fprintf(stderr, "\n");
}

template <class Engine>
void RunCommand(const char* who, Engine& engine, Input& in, std::vector<std::uint8_t>& cdb) {
  static const bool trace = std::getenv("SMC_FUZZ_TRACE") != nullptr;
  const std::vector<std::uint8_t> data_out = in.Bytes(in.Byte());
  const std::size_t data_in_size = std::min<std::size_t>(in.Le16(), kMaxDataIn);
  std::vector<std::uint8_t> data_in(data_in_size, 0xEE);
  const ScsiResult r = engine.Execute({cdb, data_out, data_in});
  if (trace) Trace(who, cdb, r);
  CheckResult(r, data_in_size, cdb);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  const std::uint8_t shape = in.Byte();
  library::CreateSpec spec;
  spec.serial = "VLFUZZ0001";
  spec.layout = {1u + shape % 3u, 2u + (shape >> 2) % 5u, (shape >> 5) % 3u};
  spec.barcodes = {"A00001L8"};  // one file: image, so images can go missing
  spec.capacity_bytes = 80ull << 20;
  const auto personalities = smc::AllPersonalities();
  smc::ChangerConfig config;
  config.personality = std::string(personalities[in.Byte() % personalities.size()].key);

  // On tmpfs when there is one: every library change fsyncs, which on a disk
  // costs more than the commands themselves.
  static const std::string base = std::filesystem::is_directory("/dev/shm")
                                      ? "/dev/shm/vtape_smc_fuzz_"
                                      : "/tmp/vtape_smc_fuzz_";
  std::string pattern = base + "XXXXXX";
  const char* dir = mkdtemp(pattern.data());
  if (dir == nullptr) std::abort();
  {
    std::unique_ptr<library::Library> lib;
    if (!library::Library::Create(dir, spec).ok() ||
        !library::Library::Open(dir, {.present = true}, lib).ok()) {
      std::abort();
    }
    library::NewCartridge lto7;
    lto7.barcode = "B00001L7";
    lto7.medium = MemMedium(lto7.barcode, true);
    (void)lib->Add(lto7, std::nullopt);
    // The operator works through a second Library object, as another process would.
    std::unique_ptr<library::Library> operator_side;
    if (!library::Library::Open(dir, {}, operator_side).ok()) std::abort();
    FuzzPort port(spec.layout.drives);
    smc::Changer changer(config, *lib, port);
    int serial = 0;
    while (!in.empty()) {
      const std::uint8_t header = in.Byte();
      std::vector<std::uint8_t> cdb;
      if ((header >> 6) == 3) {
        if (!operator_side->Refresh().ok()) Fail("library state unreadable", cdb);
        OperatorStep(*operator_side, in, serial);
      } else if ((header >> 6) == 2) {
        cdb = ReadCdb(in, header >> 2);
        if (!cdb.empty()) cdb[0] = kDriveOpcodes[cdb[0] % kDriveOpcodes.size()];
        RunCommand("drive", port.drive((header & 0x03) % port.size()), in, cdb);
      } else {
        cdb = ReadCdb(in, header);
        if (header & 0x04) cdb[0] = kChangerOpcodes[cdb[0] % kChangerOpcodes.size()];
        if (header & 0x08) {
          const std::vector<std::uint16_t> addresses = AllAddresses(lib->state());
          for (std::size_t at = 2; at + 1 < cdb.size() && at <= 8; at += 2) {
            const std::uint16_t a = addresses[((cdb[at] << 8) | cdb[at + 1]) % addresses.size()];
            cdb[at] = static_cast<std::uint8_t>(a >> 8);
            cdb[at + 1] = static_cast<std::uint8_t>(a);
          }
        }
        RunCommand("changer", changer, in, cdb);
      }
      CheckConsistent(*lib, port, cdb);
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
