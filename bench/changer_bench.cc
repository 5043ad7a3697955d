// The changer on a large library: READ ELEMENT STATUS of every element of a
// 10,000-slot library in one command (VOLTAG and DVCID set), and MOVE MEDIUM
// slot to slot and slot to drive (each move re-reads and rewrites the state
// file durably: write, fsync, rename, fsync of the directory).
//
//   build-X/bench/changer_bench   (VTAPE_BENCH_DIR=/dir for the library; default /var/tmp)
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "handler/smc/changer.h"
#include "handler/ssc/drive.h"
#include "library/library.h"
#include "vtape/registry.h"

namespace {

namespace library = vtape::library;
namespace smc = vtape::smc;
using vtape::Status;

// Four slots stay empty, so slot-to-slot moves have somewhere to go.
constexpr std::uint32_t kSlots = 10000, kCartridges = kSlots - 4, kDrives = 4, kImportExport = 4;

// Drives as the glue will have them: ssc::Drive objects opening the images.
class BenchPort : public smc::DrivePort {
 public:
  BenchPort() {
    for (std::uint32_t i = 0; i < kDrives; ++i) {
      drives_.push_back(std::make_unique<vtape::ssc::Drive>(vtape::ssc::DriveConfig{}, nullptr));
    }
  }
  Status Load(std::uint32_t i, const smc::LoadRequest& cartridge) override {
    std::unique_ptr<vtape::Tape> tape;
    VTAPE_RETURN_IF_ERROR(vtape::OpenTape(cartridge.medium, {}, tape));
    return drives_[i]->ChangeMedium(std::move(tape));
  }
  Status Unload(std::uint32_t i) override {
    VTAPE_RETURN_IF_ERROR(drives_[i]->Flush());
    return drives_[i]->ChangeMedium(nullptr);
  }
  bool MediumRemovalPrevented(std::uint32_t) const override { return false; }
  smc::DriveIdentity Identity(std::uint32_t i) const override {
    return {"VTAPE", "VIRTUAL TAPE", library::DriveSerial("VLBENCH001", i)};
  }

 private:
  std::vector<std::unique_ptr<vtape::ssc::Drive>> drives_;
};

struct Bench {
  std::string dir;
  std::unique_ptr<library::Library> lib;
  BenchPort port;
  std::unique_ptr<smc::Changer> changer;

  Bench() {
    const char* base = std::getenv("VTAPE_BENCH_DIR");
    dir = std::string(base ? base : "/var/tmp") + "/vtape-changer-bench";
    std::filesystem::remove_all(dir);
    library::CreateSpec spec;
    spec.serial = "VLBENCH001";
    spec.layout = {kDrives, kSlots, kImportExport};
    if (!library::ExpandBarcodes("A00000L8", kCartridges, spec.barcodes).ok()) std::abort();
    spec.capacity_bytes = 256ull << 20;
    if (!library::Library::Create(dir, spec).ok()) std::abort();
    if (!library::Library::Open(dir, {.present = true}, lib).ok()) std::abort();
    changer = std::make_unique<smc::Changer>(smc::ChangerConfig{}, *lib, port);
    Run({0x00, 0, 0, 0, 0, 0});  // the power-on unit attention
  }
  ~Bench() {
    changer.reset();
    lib.reset();
    std::filesystem::remove_all(dir);
  }
  vtape::spc::ScsiResult Run(std::vector<std::uint8_t> cdb, std::size_t data_in = 0) {
    std::vector<std::uint8_t> in(data_in);
    return changer->Execute({cdb, {}, in});
  }
};

Bench& Shared() {
  static Bench bench;
  return bench;
}

void BM_ReadElementStatusAll(benchmark::State& state) {
  Bench& b = Shared();
  const std::vector<std::uint8_t> cdb = {0xB8, 0x10, 0,    0,    0xFF, 0xFF,
                                         0x01, 0xFF, 0xFF, 0xFF, 0,    0};
  std::size_t bytes = 0;
  for (auto _ : state) {
    vtape::spc::ScsiResult r = b.Run(cdb, 0xFFFFFF);
    if (r.status != 0) state.SkipWithError("READ ELEMENT STATUS failed");
    bytes = r.data_in_len;
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_ReadElementStatusAll)->Unit(benchmark::kMillisecond);

std::vector<std::uint8_t> Move(std::uint16_t from, std::uint16_t to) {
  return {0xA5,
          0,
          0,
          0,
          std::uint8_t(from >> 8),
          std::uint8_t(from),
          std::uint8_t(to >> 8),
          std::uint8_t(to),
          0,
          0,
          0,
          0};
}

// Slot 1 -> the last slot and back: two moves per iteration.
void BM_MoveSlotToSlot(benchmark::State& state) {
  Bench& b = Shared();
  const std::uint16_t first = library::kFirstStorageAddress;
  const std::uint16_t last = static_cast<std::uint16_t>(first + kSlots - 1);
  for (auto _ : state) {
    if (b.Run(Move(first, last)).status != 0 || b.Run(Move(last, first)).status != 0) {
      state.SkipWithError("move failed");
    }
  }
}
BENCHMARK(BM_MoveSlotToSlot)->Unit(benchmark::kMillisecond);

// Slot 1 -> drive 0 (opens the image) and back (flushes and closes it).
void BM_MoveSlotToDriveAndBack(benchmark::State& state) {
  Bench& b = Shared();
  const std::uint16_t slot = library::kFirstStorageAddress;
  for (auto _ : state) {
    if (b.Run(Move(slot, library::kFirstDriveAddress)).status != 0 ||
        b.Run(Move(library::kFirstDriveAddress, slot)).status != 0) {
      state.SkipWithError("move failed");
    }
  }
}
BENCHMARK(BM_MoveSlotToDriveAndBack)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
