// rait: sets of 3 and 5 file: members against one file: medium on the same
// filesystem: 256 KiB records, write ending with a sync (BM_Write) and without
// (BM_WriteBuffered: what the members' page cache absorbs), read, and a
// degraded read with one member missing. Prints each case's throughput as a
// ratio of the single medium's in the same run.
//
//   build-X/bench/rait_bench [--benchmark_filter=...]   (VTAPE_BENCH_DIR=/dir to
//   choose where the images go; default: a fresh directory under /tmp)
// VTAPE_BENCH_MEMBER_DIRS=D0:D1:...:Dk puts each medium on its own filesystems
// instead (bench/rait_devices.sh: one throughput-limited device each): the
// single medium in D0, member i of a set in D(1 + i mod k).
// VTAPE_BENCH_RAIT_OPTIONS=OPT[;OPT] adds rait options to every set (e.g.
// parallel=on, to compare member writes on worker threads with parallel=off).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "rait/rait.h"
#include "vtape/registry.h"

namespace {

constexpr std::size_t kRecord = 256 * 1024;
constexpr std::int64_t kRecords = 1024;  // 256 MiB per run

std::string& Dir() {
  static std::string dir = [] {
    if (const char* env = getenv("VTAPE_BENCH_DIR")) return std::string(env);
    char tmpl[] = "/tmp/vtape-rait-bench-XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  return dir;
}

// VTAPE_BENCH_MEMBER_DIRS split at ':'; empty when unset.
const std::vector<std::string>& MemberDirs() {
  static std::vector<std::string> dirs = [] {
    std::vector<std::string> v;
    const char* env = getenv("VTAPE_BENCH_MEMBER_DIRS");
    std::string s = env ? env : "";
    for (std::size_t start = 0; !s.empty() && start <= s.size();) {
      std::size_t colon = std::min(s.find(':', start), s.size());
      v.push_back(s.substr(start, colon - start));
      start = colon + 1;
    }
    return v;
  }();
  return dirs;
}

// Where member `i` of a set lives (i < 0: the single medium).
std::string DirOf(int i) {
  const auto& dirs = MemberDirs();
  if (dirs.size() < 2) return Dir();
  return i < 0 ? dirs[0] : dirs[1 + static_cast<std::size_t>(i) % (dirs.size() - 1)];
}

// The media compared: one image, or a set over images in the same directory
// (or on the filesystems VTAPE_BENCH_MEMBER_DIRS names).
std::string Name(const std::string& kind, bool missing_member = false) {
  if (kind == "single") return "file:" + DirOf(-1) + "/single.img";
  std::string n = kind == "rait3" ? "3" : "5";
  std::string name = "rait:{";
  int members = kind == "rait3" ? 3 : 5;
  for (int i = 0; i < members; ++i) {
    if (i) name += ",";
    bool gone = missing_member && i == 1;
    name +=
        "file:" + DirOf(i) + "/r" + n + "-" + std::to_string(i) + (gone ? "-gone" : "") + ".img";
  }
  const char* options = getenv("VTAPE_BENCH_RAIT_OPTIONS");
  return name + (options && *options ? std::string(";") + options : "") + "}";
}

std::vector<std::uint8_t> Payload() {
  std::vector<std::uint8_t> v(kRecord);
  std::uint32_t x = 12345;
  for (auto& b : v) b = static_cast<std::uint8_t>((x = x * 1664525u + 1013904223u) >> 24);
  return v;
}

bool Check(benchmark::State& state, const vtape::Status& st, const char* what) {
  if (st.ok()) return true;
  state.SkipWithError((std::string(what) + ": " + st.ToString()).c_str());
  return false;
}

void Create(benchmark::State& state, const std::string& name) {
  vtape::CreateOptions o;
  o.capacity_bytes = 64ull << 30;
  o.overwrite = true;
  Check(state, vtape::CreateTape(name, o), "create");
}

void BM_Write(benchmark::State& state, const std::string& kind, bool sync) {
  vtape::rait::RegisterRait();
  auto record = Payload();
  for (auto _ : state) {
    state.PauseTiming();
    Create(state, Name(kind));
    std::unique_ptr<vtape::Tape> t;
    if (!Check(state, vtape::OpenTape(Name(kind), {}, t), "open")) return;
    state.ResumeTiming();
    for (std::int64_t i = 0; i < kRecords; ++i) {
      if (!Check(state, t->Write(record), "write")) return;
    }
    if (sync && !Check(state, t->Sync(), "sync")) return;
    state.PauseTiming();
    (void)t->Close();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(state.iterations() * kRecords * kRecord);
}

void BM_Read(benchmark::State& state, const std::string& kind, bool degraded) {
  vtape::rait::RegisterRait();
  {  // the medium to read: written once
    Create(state, Name(kind));
    std::unique_ptr<vtape::Tape> t;
    if (!Check(state, vtape::OpenTape(Name(kind), {}, t), "open")) return;
    auto record = Payload();
    for (std::int64_t i = 0; i < kRecords; ++i) {
      if (!Check(state, t->Write(record), "write")) return;
    }
    if (!Check(state, t->Close(), "close")) return;
  }
  std::unique_ptr<vtape::Tape> t;
  vtape::OpenOptions ro;
  ro.read_only = true;
  if (!Check(state, vtape::OpenTape(Name(kind, degraded), ro, t), "open")) return;
  if (degraded && !t->health().degraded) {
    state.SkipWithError("expected a degraded set");
    return;
  }
  std::vector<std::uint8_t> buf(kRecord);
  for (auto _ : state) {
    if (!Check(state, t->Rewind(), "rewind")) return;
    for (std::int64_t i = 0; i < kRecords; ++i) {
      vtape::ReadResult r;
      if (!Check(state, t->Read(buf, r), "read")) return;
      benchmark::DoNotOptimize(buf.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * kRecords * kRecord);
}

// Keeps every run's throughput and prints ratios to the single medium at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred || run.iterations == 0 || run.real_accumulated_time <= 0) continue;
      double bytes = static_cast<double>(run.iterations) * kRecords * kRecord;
      std::string name = run.benchmark_name();
      rates_[name.substr(0, name.find("/min_time"))] = bytes / run.real_accumulated_time;
    }
  }
  void PrintRatios() const {
    std::printf("\nThroughput relative to the single file: medium (same run):\n");
    for (const auto& [name, rate] : rates_) {
      std::string op = name.substr(0, name.find('/'));
      std::string base = op + "/single";
      auto it = rates_.find(base);
      if (it == rates_.end() || name == base) continue;
      std::printf("  %-28s %6.1f MiB/s  %.2fx of %s\n", name.c_str(), rate / (1 << 20),
                  rate / it->second, base.c_str());
    }
  }

 private:
  std::map<std::string, double> rates_;
};

}  // namespace

int main(int argc, char** argv) {
  for (std::string kind : {"single", "rait3", "rait5"}) {
    benchmark::RegisterBenchmark(("BM_Write/" + kind).c_str(), BM_Write, kind, true)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MinTime(2.0);
    benchmark::RegisterBenchmark(("BM_WriteBuffered/" + kind).c_str(), BM_Write, kind, false)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MinTime(2.0);
  }
  for (std::string kind : {"single", "rait3", "rait5"}) {
    benchmark::RegisterBenchmark(("BM_Read/" + kind).c_str(), BM_Read, kind, false)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MinTime(2.0);
  }
  for (std::string kind : {"rait3", "rait5"}) {
    benchmark::RegisterBenchmark(("BM_Read/" + kind + "_degraded").c_str(), BM_Read, kind, true)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MinTime(2.0);
  }
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  if (!getenv("VTAPE_BENCH_DIR")) std::filesystem::remove_all(Dir());
  benchmark::Shutdown();
  return 0;
}
