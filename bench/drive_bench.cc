// The handler's own data path, natively: the same WRITE(6)/READ(6) CDB stream
// of 256 KiB variable-mode records through the SSC engine (handler/ssc/drive.h) on a
// file: medium and on null: (no data kept: the ceiling). This is the part of
// "dd on /dev/nst0" that vtape owns, in MB/s; the VM benchmark (bench/vm_dd.sh) adds the
// kernel, TCMU and the emulated CPU on top.
//
// Each medium runs with the drive buffer off and on (buffer=32M), and with the
// WRITE data in one buffer ("whole") or in 64 pieces of 4 KiB as TCMU's data
// area may hand it over ("pieces": the engine takes the pieces as they are,
// ScsiCommand::data_out_pieces; an engine without that field gets them gathered
// into one buffer first, as the glue did, so the same source measures both).
//
//   build-X/bench/drive_bench          (VTAPE_BENCH_DIR=/dir for the image; default /var/tmp)
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "handler/ssc/drive.h"
#include "vtape/registry.h"

namespace {

using vtape::ssc::Drive;
using vtape::ssc::ScsiCommand;

constexpr std::uint32_t kRecord = 256 * 1024;
constexpr int kRecords = 2048;  // 512 MiB per pass

std::string ImagePath() {
  const char* dir = std::getenv("VTAPE_BENCH_DIR");
  return std::string(dir ? dir : "/var/tmp") + "/vtape-drive-bench.img";
}

std::string MediumName(const std::string& kind) {
  return kind == "null" ? "null:" : "file:" + ImagePath();
}

std::unique_ptr<Drive> NewDrive(const std::string& kind, std::uint64_t buffer_bytes) {
  if (kind == "file") {
    vtape::CreateOptions create;
    create.capacity_bytes = 4ull << 30;
    create.overwrite = true;
    if (auto s = vtape::CreateTape(MediumName(kind), create); !s.ok()) {
      std::fprintf(stderr, "drive_bench: %s\n", s.ToString().c_str());
      std::exit(1);
    }
  }
  std::unique_ptr<vtape::Tape> tape;
  if (auto s = vtape::OpenTape(MediumName(kind), {}, tape); !s.ok()) {
    std::fprintf(stderr, "drive_bench: %s\n", s.ToString().c_str());
    std::exit(1);
  }
  vtape::ssc::DriveConfig config;
  config.buffer_bytes = buffer_bytes;
  auto drive = std::make_unique<Drive>(config, std::move(tape));
  std::vector<std::uint8_t> tur{0, 0, 0, 0, 0, 0};
  drive->Execute({tur, {}, {}});  // consume the power-on unit attention
  return drive;
}

void Run(Drive& drive, std::vector<std::uint8_t> cdb, std::span<const std::uint8_t> out,
         std::span<std::uint8_t> in, benchmark::State& state) {
  auto r = drive.Execute(ScsiCommand{cdb, out, in});
  if (r.status != vtape::ssc::kStatusGood) state.SkipWithError("command failed");
}

constexpr std::size_t kPiece = 4096;

// WRITE with its data in 4 KiB pieces: passed as pieces where the engine takes
// them, else gathered into `scratch` first (what the glue did before).
template <class Command = ScsiCommand>
void WritePieces(Drive& drive, std::vector<std::uint8_t> cdb, std::span<const std::uint8_t> data,
                 std::vector<std::uint8_t>& scratch, benchmark::State& state) {
  Command cmd{cdb, {}, {}};
  std::vector<std::span<const std::uint8_t>> pieces;  // outlives Execute
  if constexpr (requires(Command c) { c.data_out_pieces; }) {
    for (std::size_t at = 0; at < data.size(); at += kPiece) {
      pieces.push_back(data.subspan(at, std::min(kPiece, data.size() - at)));
    }
    cmd.data_out_pieces = pieces;
  } else {
    for (std::size_t at = 0; at < data.size(); at += kPiece) {
      const std::size_t n = std::min(kPiece, data.size() - at);
      std::copy(data.begin() + at, data.begin() + at + n, scratch.begin() + at);
    }
    cmd.data_out = std::span(scratch).first(data.size());
  }
  auto r = drive.Execute(cmd);
  if (r.status != vtape::ssc::kStatusGood) state.SkipWithError("command failed");
}

// READ into 4 KiB pieces: filled in place where the engine takes pieces, else
// read into `scratch` and copied out (what the glue did before).
template <class Command = ScsiCommand>
void ReadPieces(Drive& drive, std::vector<std::uint8_t> cdb, std::span<std::uint8_t> data,
                std::vector<std::uint8_t>& scratch, benchmark::State& state) {
  Command cmd{cdb, {}, {}};
  std::vector<std::span<std::uint8_t>> pieces;  // outlives Execute
  for (std::size_t at = 0; at < data.size(); at += kPiece) {
    pieces.push_back(data.subspan(at, std::min(kPiece, data.size() - at)));
  }
  if constexpr (requires(Command c) { c.data_in_pieces; }) {
    cmd.data_in_pieces = pieces;
  } else {
    cmd.data_in = std::span(scratch).first(data.size());
  }
  auto r = drive.Execute(cmd);
  if (r.status != vtape::ssc::kStatusGood) state.SkipWithError("command failed");
  if constexpr (!requires(Command c) { c.data_in_pieces; }) {
    std::size_t at = 0;
    for (auto piece : pieces) {
      std::copy(scratch.begin() + at, scratch.begin() + at + piece.size(), piece.begin());
      at += piece.size();
    }
  }
}

std::vector<std::uint8_t> Rw6(std::uint8_t opcode) {
  return {opcode,
          0,
          static_cast<std::uint8_t>(kRecord >> 16),
          static_cast<std::uint8_t>(kRecord >> 8),
          static_cast<std::uint8_t>(kRecord),
          0};
}

std::map<std::string, double>& Rates() {
  static std::map<std::string, double> rates;
  return rates;
}

// Writes kRecords records and a synchronous filemark (WRITE FILEMARKS, IMMED=0),
// then, for `read`, rewinds and reads them back.
void BM_Drive(benchmark::State& state, const std::string& kind, bool read,
              std::uint64_t buffer_bytes, bool pieces) {
  std::vector<std::uint8_t> data(kRecord), scratch(kRecord);
  auto write = [&](Drive& drive) {
    if (pieces) {
      WritePieces(drive, Rw6(0x0A), data, scratch, state);
    } else {
      Run(drive, Rw6(0x0A), data, {}, state);
    }
  };
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 131);
  double seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto drive = NewDrive(kind, buffer_bytes);
    state.ResumeTiming();
    auto start = std::chrono::steady_clock::now();
    if (!read) {
      for (int i = 0; i < kRecords; ++i) write(*drive);
      Run(*drive, {0x10, 0, 0, 0, 1, 0}, {}, {}, state);
    } else {
      state.PauseTiming();
      for (int i = 0; i < kRecords; ++i) write(*drive);
      Run(*drive, {0x10, 0, 0, 0, 1, 0}, {}, {}, state);
      Run(*drive, {0x01, 0, 0, 0, 0, 0}, {}, {}, state);
      state.ResumeTiming();
      start = std::chrono::steady_clock::now();
      for (int i = 0; i < kRecords; ++i) {
        if (pieces) {
          ReadPieces(*drive, Rw6(0x08), data, scratch, state);
        } else {
          Run(*drive, Rw6(0x08), {}, data, state);
        }
      }
    }
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.PauseTiming();
    drive.reset();
    state.ResumeTiming();
  }
  double bytes = static_cast<double>(kRecord) * kRecords * state.iterations();
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  Rates()[kind + (read ? " read" : " write") + (buffer_bytes ? " buffer" : "") +
          (pieces ? " pieces" : "")] = bytes / seconds;
}

}  // namespace

constexpr std::uint64_t kBuffer = 32u << 20;
#define VTAPE_DRIVE_BENCH(kind)                                                                   \
  BENCHMARK_CAPTURE(BM_Drive, kind##_write, std::string(#kind), false, 0, false)                  \
      ->Iterations(3)                                                                             \
      ->UseRealTime();                                                                            \
  BENCHMARK_CAPTURE(BM_Drive, kind##_write_pieces, std::string(#kind), false, 0, true)            \
      ->Iterations(3)                                                                             \
      ->UseRealTime();                                                                            \
  BENCHMARK_CAPTURE(BM_Drive, kind##_write_buffer, std::string(#kind), false, kBuffer, false)     \
      ->Iterations(3)                                                                             \
      ->UseRealTime();                                                                            \
  BENCHMARK_CAPTURE(BM_Drive, kind##_write_buffer_pieces, std::string(#kind), false, kBuffer,     \
                    true)                                                                         \
      ->Iterations(3)                                                                             \
      ->UseRealTime();                                                                            \
  BENCHMARK_CAPTURE(BM_Drive, kind##_read, std::string(#kind), true, 0, false)                    \
      ->Iterations(3)                                                                             \
      ->UseRealTime();                                                                            \
  BENCHMARK_CAPTURE(BM_Drive, kind##_read_pieces, std::string(#kind), true, 0, true)              \
      ->Iterations(3)                                                                             \
      ->UseRealTime();                                                                            \
  BENCHMARK_CAPTURE(BM_Drive, kind##_read_buffer_pieces, std::string(#kind), true, kBuffer, true) \
      ->Iterations(3)                                                                             \
      ->UseRealTime();                                                                            \
  BENCHMARK_CAPTURE(BM_Drive, kind##_read_buffer, std::string(#kind), true, kBuffer, false)       \
      ->Iterations(3)                                                                             \
      ->UseRealTime()
VTAPE_DRIVE_BENCH(null);
VTAPE_DRIVE_BENCH(file);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  // null: does no work natively, so a file/null ratio here would say nothing;
  // what matters is how far the engine's file: path stays above what the
  // kernel's TCMU path carries (bench/RESULTS.md compares the two).
  for (const auto& [what, rate] : Rates())
    std::printf("%-26s %8.0f MB/s\n", what.c_str(), rate / 1e6);
  unlink(ImagePath().c_str());
  unlink((ImagePath() + ".idx").c_str());
  unlink((ImagePath() + ".fm").c_str());
  return 0;
}
