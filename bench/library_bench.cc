// The library model at 10,000 slots: loading the state, a move (lock, write,
// fsync, rename, fsync directory), and encoding/decoding the state, against a
// 10-slot library for the ratio. Results and the command: bench/RESULTS.md,
// "Library model". Libraries live in VTAPE_BENCH_DIR (default /var/tmp).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "library/library.h"
#include "library/state_file.h"
#include "library/state_json.h"

namespace vtape::library {
namespace {

std::string BenchDir() {
  const char* dir = std::getenv("VTAPE_BENCH_DIR");
  std::string pattern = std::string(dir ? dir : "/var/tmp") + "/vtape-library-bench-XXXXXX";
  if (!mkdtemp(pattern.data())) std::abort();
  return pattern;
}

// A library of `slots` slots, every one full. The cartridges' media are
// null: (no image files): creating 10,000 file: images costs minutes of
// fsyncs (see BM_AddCartridgeImage) and says nothing about the state.
struct FullLibrary {
  explicit FullLibrary(std::uint32_t slots) : root(BenchDir()) {
    dir = root + "/lib";
    CreateSpec spec;
    spec.serial = "VLBENCH001";
    spec.layout = {16, slots, 16};
    if (!Library::Create(dir, spec).ok()) std::abort();
    State state;
    Fd fd;
    if (!ReadStateFile(dir, state, fd).ok()) std::abort();
    for (std::uint32_t i = 0; i < slots; ++i) {
      char barcode[16];
      std::snprintf(barcode, sizeof barcode, "A%05uL8", i);
      state.cartridges.push_back({barcode, "null:", "LTO-8"});
      state.slots[i].barcode = barcode;
    }
    // Barcodes were generated in order, so cartridges is sorted as the state keeps it.
    if (!WriteStateFile(dir, state, fd).ok()) std::abort();
  }
  ~FullLibrary() { std::filesystem::remove_all(root); }
  std::string root, dir;
};

void BM_LoadState(benchmark::State& st) {
  FullLibrary fixture(static_cast<std::uint32_t>(st.range(0)));
  for (auto _ : st) {
    std::unique_ptr<Library> lib;
    if (!Library::Open(fixture.dir, {}, lib).ok()) st.SkipWithError("open");
    benchmark::DoNotOptimize(lib->state().slots.size());
  }
}
BENCHMARK(BM_LoadState)->Arg(10)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_RefreshUnchanged(benchmark::State& st) {
  FullLibrary fixture(static_cast<std::uint32_t>(st.range(0)));
  std::unique_ptr<Library> lib;
  if (!Library::Open(fixture.dir, {}, lib).ok()) std::abort();
  for (auto _ : st) {
    bool changed = true;
    if (!lib->Refresh(&changed).ok() || changed) st.SkipWithError("refresh");
  }
}
BENCHMARK(BM_RefreshUnchanged)->Arg(10000)->Unit(benchmark::kMicrosecond);

// A move into the last (empty) slot and back: each is a whole durable change.
void BM_Move(benchmark::State& st) {
  const auto slots = static_cast<std::uint32_t>(st.range(0));
  FullLibrary fixture(slots);
  std::unique_ptr<Library> lib;
  if (!Library::Open(fixture.dir, {}, lib).ok()) std::abort();
  const std::uint16_t first = kFirstStorageAddress;
  const std::uint16_t drive = kFirstDriveAddress;
  bool loaded = false;
  for (auto _ : st) {
    Result r = loaded ? lib->Move(drive, first) : lib->Move(first, drive);
    if (!r.ok()) st.SkipWithError(r.status.ToString().c_str());
    loaded = !loaded;
  }
}
BENCHMARK(BM_Move)->Arg(10)->Arg(10000)->Unit(benchmark::kMillisecond);

// The same move by a second Library object after another process's change:
// what the changer pays when the tool changed the library meanwhile.
void BM_MoveAfterForeignChange(benchmark::State& st) {
  FullLibrary fixture(static_cast<std::uint32_t>(st.range(0)));
  std::unique_ptr<Library> a, b;
  if (!Library::Open(fixture.dir, {}, a).ok() || !Library::Open(fixture.dir, {}, b).ok()) {
    std::abort();
  }
  bool loaded = false;
  for (auto _ : st) {
    Library& lib = loaded ? *a : *b;
    Result r = loaded ? lib.Move(kFirstDriveAddress, kFirstStorageAddress)
                      : lib.Move(kFirstStorageAddress, kFirstDriveAddress);
    if (!r.ok()) st.SkipWithError(r.status.ToString().c_str());
    loaded = !loaded;
  }
}
BENCHMARK(BM_MoveAfterForeignChange)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_EncodeState(benchmark::State& st) {
  FullLibrary fixture(static_cast<std::uint32_t>(st.range(0)));
  std::unique_ptr<Library> lib;
  if (!Library::Open(fixture.dir, {}, lib).ok()) std::abort();
  std::size_t bytes = 0;
  for (auto _ : st) {
    std::string text = EncodeState(lib->state());
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  st.counters["state_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_EncodeState)->Arg(10000)->Unit(benchmark::kMillisecond);

// One cartridge with a new file: image (Add): the cost of `create --barcodes`
// per cartridge.
void BM_AddCartridgeImage(benchmark::State& st) {
  std::string root = BenchDir();
  CreateSpec spec;
  spec.serial = "VLBENCH002";
  spec.layout = {1, 10000, 0};
  if (!Library::Create(root + "/lib", spec).ok()) std::abort();
  std::unique_ptr<Library> lib;
  if (!Library::Open(root + "/lib", {}, lib).ok()) std::abort();
  std::uint32_t n = 0;
  for (auto _ : st) {
    char barcode[16];
    std::snprintf(barcode, sizeof barcode, "B%05uL8", n++);
    NewCartridge c;
    c.barcode = barcode;
    Result r = lib->Add(c, std::nullopt);
    if (!r.ok()) st.SkipWithError(r.status.ToString().c_str());
  }
  std::filesystem::remove_all(root);
}
BENCHMARK(BM_AddCartridgeImage)->Iterations(50)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vtape::library

BENCHMARK_MAIN();
