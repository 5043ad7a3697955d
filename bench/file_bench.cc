// file: backend vs raw write(2)/read(2), and indexed positioning on a big tape.
//
// Throughput: 1 GiB (VTAPE_BENCH_BYTES overrides) per pass in VTAPE_BENCH_DIR
// (default /var/tmp), records of 4 KiB, 64 KiB and 256 KiB. Both sides end each
// write pass with fdatasync and are timed including it. Page cache: "cold"
// reads evict the files with posix_fadvise(DONTNEED) after the fdatasync (what a
// non-root process can do fairly to both sides), "warm" reads run right after
// a cold one with the files in the page cache. The ratio table printed at the
// end is file:/raw (higher is better; 1.0 = same speed).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "vtape/file_image.h"
#include "vtape/registry.h"

namespace {

std::string Dir() {
  const char* dir = std::getenv("VTAPE_BENCH_DIR");
  return dir && *dir ? dir : "/var/tmp";
}
std::uint64_t TotalBytes() {
  const char* v = std::getenv("VTAPE_BENCH_BYTES");
  return v && *v ? std::strtoull(v, nullptr, 10) : (1ull << 30);
}
std::string RawPath() {
  return Dir() + "/vtape-bench-raw.bin";
}
std::string ImagePath() {
  return Dir() + "/vtape-bench-file.img";
}

std::map<std::string, double> g_rate;  // "write/raw/4096" -> bytes per second

void Evict(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}
void EvictImage() {
  Evict(ImagePath());
  Evict(vtape::IndexPathOf(ImagePath()));
  Evict(vtape::FilemarkPathOf(ImagePath()));
}

std::vector<std::uint8_t> Payload(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  std::mt19937 rng(42);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

void Record(benchmark::State& state, const std::string& key, std::uint64_t bytes, double seconds) {
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  g_rate[key] = static_cast<double>(bytes) / seconds;
}

double Now() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

void BM_RawWrite(benchmark::State& state) {
  std::size_t size = static_cast<std::size_t>(state.range(0));
  std::uint64_t count = TotalBytes() / size;
  auto payload = Payload(size);
  for (auto _ : state) {
    double start = Now();
    int fd = ::open(RawPath().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    for (std::uint64_t i = 0; i < count; ++i) {
      if (::write(fd, payload.data(), size) != static_cast<ssize_t>(size))
        state.SkipWithError("write");
    }
    ::fdatasync(fd);
    ::close(fd);
    Record(state, "write/raw/" + std::to_string(size), count * size, Now() - start);
  }
}

void BM_FileWrite(benchmark::State& state) {
  std::size_t size = static_cast<std::size_t>(state.range(0));
  std::uint64_t count = TotalBytes() / size;
  auto payload = Payload(size);
  vtape::CreateOptions create;
  create.overwrite = true;
  for (auto _ : state) {
    double start = Now();
    std::unique_ptr<vtape::Tape> tape;
    if (!vtape::CreateTape("file:" + ImagePath(), create).ok() ||
        !vtape::OpenTape("file:" + ImagePath(), {}, tape).ok()) {
      state.SkipWithError("create/open");
      return;
    }
    for (std::uint64_t i = 0; i < count; ++i) {
      if (!tape->Write(payload).ok()) state.SkipWithError("Write");
    }
    if (!tape->Sync().ok() || !tape->Close().ok()) state.SkipWithError("Sync");
    Record(state, "write/file/" + std::to_string(size), count * size, Now() - start);
  }
}

void RawRead(benchmark::State& state, bool warm) {
  std::size_t size = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint8_t> buffer(size);
  for (auto _ : state) {
    if (!warm) Evict(RawPath());
    double start = Now();
    int fd = ::open(RawPath().c_str(), O_RDONLY);
    std::uint64_t total = 0;
    ssize_t n;
    while ((n = ::read(fd, buffer.data(), size)) > 0) total += static_cast<std::uint64_t>(n);
    ::close(fd);
    Record(state, std::string(warm ? "warm" : "cold") + "-read/raw/" + std::to_string(size), total,
           Now() - start);
  }
}

void FileRead(benchmark::State& state, bool warm) {
  std::size_t size = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint8_t> buffer(size);
  for (auto _ : state) {
    if (!warm) EvictImage();
    double start = Now();
    std::unique_ptr<vtape::Tape> tape;
    if (!vtape::OpenTape("file:" + ImagePath(), {true}, tape).ok()) {
      state.SkipWithError("open");
      return;
    }
    std::uint64_t total = 0;
    vtape::ReadResult r;
    while (tape->Read(buffer, r).ok() && r.kind == vtape::ObjectKind::kRecord) total += r.length;
    Record(state, std::string(warm ? "warm" : "cold") + "-read/file/" + std::to_string(size), total,
           Now() - start);
  }
}
void BM_RawReadCold(benchmark::State& s) {
  RawRead(s, false);
}
void BM_FileReadCold(benchmark::State& s) {
  FileRead(s, false);
}
void BM_RawReadWarm(benchmark::State& s) {
  RawRead(s, true);
}
void BM_FileReadWarm(benchmark::State& s) {
  FileRead(s, true);
}

// Writes then reads each size before moving on, so the read passes find the
// files of the same size.
void ThroughputSuite() {
  for (int size : {4096, 65536, 262144}) {
    benchmark::RegisterBenchmark("raw_write", BM_RawWrite)->Arg(size)->Iterations(1)->UseRealTime();
    benchmark::RegisterBenchmark("file_write", BM_FileWrite)
        ->Arg(size)
        ->Iterations(1)
        ->UseRealTime();
    benchmark::RegisterBenchmark("raw_read_cold", BM_RawReadCold)
        ->Arg(size)
        ->Iterations(1)
        ->UseRealTime();
    benchmark::RegisterBenchmark("file_read_cold", BM_FileReadCold)
        ->Arg(size)
        ->Iterations(1)
        ->UseRealTime();
    benchmark::RegisterBenchmark("raw_read_warm", BM_RawReadWarm)
        ->Arg(size)
        ->Iterations(1)
        ->UseRealTime();
    benchmark::RegisterBenchmark("file_read_warm", BM_FileReadWarm)
        ->Arg(size)
        ->Iterations(1)
        ->UseRealTime();
  }
}

// --- Positioning on a tape of 1e7 one-byte records and 1e5 filemarks ---------
constexpr std::uint64_t kPerFile = 100, kFiles = 100000, kObjects = kFiles * (kPerFile + 1);
std::string BigPath() {
  return Dir() + "/vtape-bench-big.img";
}

vtape::Tape& BigTape() {
  static std::unique_ptr<vtape::Tape> tape = [] {
    vtape::CreateOptions create;
    create.overwrite = true;
    std::unique_ptr<vtape::Tape> t;
    double start = Now();
    if (!vtape::CreateTape("file:" + BigPath(), create).ok() ||
        !vtape::OpenTape("file:" + BigPath(), {}, t).ok()) {
      std::abort();
    }
    std::uint8_t byte[1] = {7};
    for (std::uint64_t f = 0; f < kFiles; ++f) {
      for (std::uint64_t r = 0; r < kPerFile; ++r) (void)t->Write(byte);
      (void)t->WriteFilemarks(1, false);
    }
    (void)t->Sync();
    std::fprintf(stderr, "built %llu objects (1e7 records, 1e5 filemarks) in %.1f s\n",
                 static_cast<unsigned long long>(kObjects), Now() - start);
    return t;
  }();
  return *tape;
}

void BM_LocateObject(benchmark::State& state) {
  vtape::Tape& t = BigTape();
  std::mt19937_64 rng(1);
  vtape::SpaceResult r;
  for (auto _ : state) benchmark::DoNotOptimize(t.Locate(0, rng() % kObjects, r).ok());
}
void BM_LocateFile(benchmark::State& state) {
  vtape::Tape& t = BigTape();
  std::mt19937_64 rng(2);
  vtape::SpaceResult r;
  for (auto _ : state) benchmark::DoNotOptimize(t.LocateFile(0, rng() % kFiles, r).ok());
}
void BM_SpaceFilemarks(benchmark::State& state) {
  vtape::Tape& t = BigTape();
  std::mt19937_64 rng(3);
  vtape::SpaceResult r;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        t.SpaceFilemarks(static_cast<std::int64_t>(rng() % 2001) - 1000, r).ok());
  }
}
void BM_LocateAndRead(benchmark::State& state) {
  vtape::Tape& t = BigTape();
  std::mt19937_64 rng(4);
  vtape::SpaceResult r;
  std::uint8_t buffer[16];
  vtape::ReadResult rr;
  for (auto _ : state) {
    (void)t.Locate(0, rng() % kObjects, r);
    benchmark::DoNotOptimize(t.Read(buffer, rr).ok());
  }
}

}  // namespace

int main(int argc, char** argv) {
  ThroughputSuite();
  benchmark::RegisterBenchmark("locate_object_1e7", BM_LocateObject)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("locate_file_1e5", BM_LocateFile)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("space_filemarks", BM_SpaceFilemarks)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("locate_and_read", BM_LocateAndRead)->Unit(benchmark::kMicrosecond);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  std::printf("\nfile:/raw throughput ratios (%s, %llu bytes per pass)\n", Dir().c_str(),
              static_cast<unsigned long long>(TotalBytes()));
  std::printf("%-12s %8s %10s %10s %8s\n", "pass", "record", "raw MB/s", "file MB/s", "ratio");
  for (const char* pass : {"write", "cold-read", "warm-read"}) {
    for (int size : {4096, 65536, 262144}) {
      std::string tail = std::string("/").append(std::to_string(size));  // GCC 12 -Wrestrict
      auto raw = g_rate.find(std::string(pass) + "/raw" + tail);
      auto file = g_rate.find(std::string(pass) + "/file" + tail);
      if (raw == g_rate.end() || file == g_rate.end()) continue;
      std::printf("%-12s %8d %10.0f %10.0f %8.3f\n", pass, size, raw->second / 1e6,
                  file->second / 1e6, file->second / raw->second);
    }
  }
  std::remove(RawPath().c_str());
  for (const std::string& p : {ImagePath(), BigPath()}) {
    std::remove(p.c_str());
    std::remove(vtape::IndexPathOf(p).c_str());
    std::remove(vtape::FilemarkPathOf(p).c_str());
  }
  return 0;
}
