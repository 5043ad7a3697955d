// Drive compression and encryption (issue 12): what they cost on the
// handler's data path, as ratios against the plain path in the same run.
//
//  1. The codecs alone (vtape/record_codec.h) on 256 KiB records: LZ4 and zstd
//     level 1, MB/s of compression and decompression and the ratio reached,
//     on random bytes and on text (the uncompressed files of /usr/share/doc).
//  2. The drive (Drive::Execute, WRITE(6)/READ(6) of 256 KiB records on a
//     file: image) plain, compressing (DCE on), encrypting (AES-256-GCM) and
//     both: write and read MB/s and each against plain.
//
//   build-X/bench/data_services_bench [MiB per pass, default 256]
//   (VTAPE_BENCH_DIR=/dir for the image; default /var/tmp)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "handler/ssc/drive.h"
#include "tests/handler/security_pages.h"
#include "vtape/record_codec.h"
#include "vtape/record_tag.h"
#include "vtape/registry.h"

namespace {

using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;
using vtape::ssc::Drive;

constexpr std::size_t kRecord = 256 * 1024;
constexpr int kPasses = 3;  // the median of three is reported

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

Bytes RandomData(std::size_t size) {
  std::mt19937_64 generator(42);
  Bytes b(size);
  for (std::size_t i = 0; i + 8 <= size; i += 8) {
    const std::uint64_t x = generator();
    for (int j = 0; j < 8; ++j) b[i + j] = static_cast<std::uint8_t>(x >> (8 * j));
  }
  return b;
}

// The files of /usr/share/doc that are not compressed already, concatenated
// (repeated if they hold less) to `size` bytes.
Bytes TextData(std::size_t size) {
  Bytes b;
  b.reserve(size);
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator("/usr/share/doc", ec);
       it != std::filesystem::recursive_directory_iterator() && b.size() < size; it.increment(ec)) {
    if (ec) break;
    const auto& path = it->path();
    if (!it->is_regular_file() || path.extension() == ".gz" || path.extension() == ".xz" ||
        path.extension() == ".bz2" || path.extension() == ".png") {
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    b.insert(b.end(), std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (b.empty()) b.assign(1, ' ');
  const std::size_t have = b.size();
  while (b.size() < size) b.push_back(b[b.size() % have]);
  b.resize(size);
  return b;
}

void CodecRows(const char* data_name, const Bytes& data) {
  for (std::uint8_t codec : {vtape::kTagLz4, vtape::kTagZstd}) {
    std::vector<double> c_times, d_times;
    std::uint64_t stored = 0;
    Bytes out, back;
    for (int pass = 0; pass < kPasses; ++pass) {
      stored = 0;
      auto start = Clock::now();
      std::vector<Bytes> forms;
      std::vector<std::uint8_t> codecs;
      for (std::size_t at = 0; at < data.size(); at += kRecord) {
        const std::span<const std::uint8_t> record(data.data() + at, kRecord);
        codecs.push_back(vtape::CompressRecord(codec, record, out));
        stored += codecs.back() == vtape::kTagRaw ? kRecord : out.size();
        forms.push_back(codecs.back() == vtape::kTagRaw ? Bytes() : out);
      }
      c_times.push_back(Seconds(start));
      start = Clock::now();
      for (std::size_t i = 0; i < forms.size(); ++i) {
        if (codecs[i] != vtape::kTagRaw &&
            !vtape::DecompressRecord(codecs[i], forms[i], back).ok()) {
          std::fprintf(stderr, "decode failed\n");
          std::exit(1);
        }
      }
      d_times.push_back(Seconds(start));
    }
    const double mb = static_cast<double>(data.size()) / 1e6;
    // Records no smaller compressed are stored raw: reading them decodes nothing.
    char decompress[32] = "none stored";
    if (stored < data.size())
      std::snprintf(decompress, sizeof decompress, "%.0f", mb / Median(d_times));
    std::printf("| %s | %s | %.0f | %s | %.2f |\n", data_name,
                codec == vtape::kTagLz4 ? "lz4" : "zstd -1", mb / Median(c_times), decompress,
                static_cast<double>(data.size()) / static_cast<double>(stored));
  }
}

std::unique_ptr<Drive> NewDrive(const std::string& name) {
  vtape::CreateOptions create;
  create.capacity_bytes = 8ull << 30;
  create.overwrite = true;
  if (auto s = vtape::CreateTape(name, create); !s.ok()) {
    std::fprintf(stderr, "data_services_bench: %s\n", s.ToString().c_str());
    std::exit(1);
  }
  std::unique_ptr<vtape::Tape> tape;
  if (auto s = vtape::OpenTape(name, {}, tape); !s.ok()) {
    std::fprintf(stderr, "data_services_bench: %s\n", s.ToString().c_str());
    std::exit(1);
  }
  vtape::ssc::DriveConfig config;
  config.personality = "ibm-lto8";
  config.max_transfer_bytes = kRecord;
  auto drive = std::make_unique<Drive>(config, std::move(tape));
  Bytes tur{0, 0, 0, 0, 0, 0};
  drive->Execute({tur, {}, {}});  // the power-on unit attention
  return drive;
}

void Must(Drive& drive, Bytes cdb, std::span<const std::uint8_t> out = {},
          std::span<std::uint8_t> in = {}) {
  auto r = drive.Execute(vtape::ssc::ScsiCommand{cdb, out, in});
  if (r.status != vtape::ssc::kStatusGood) {
    std::fprintf(stderr, "command %02x failed\n", cdb[0]);
    std::exit(1);
  }
}

Bytes Rw6(std::uint8_t opcode) {
  return {opcode,
          0,
          static_cast<std::uint8_t>(kRecord >> 16),
          static_cast<std::uint8_t>(kRecord >> 8),
          static_cast<std::uint8_t>(kRecord),
          0};
}

struct Mode {
  const char* name;
  bool compress;
  bool encrypt;
};

struct Speeds {
  double write_mbs = 0, read_mbs = 0, ratio = 0;
};

Speeds DriveRun(const Mode& mode, const Bytes& data, const std::string& image) {
  std::vector<double> w_times, r_times;
  double ratio = 0;
  for (int pass = 0; pass < kPasses; ++pass) {
    auto drive = NewDrive("file:" + image);
    Must(*drive, vtape::ssc::testing::ModeSelect6(20),
         vtape::ssc::testing::CompressionSelectList(mode.compress));
    if (mode.encrypt) {
      const Bytes page = vtape::ssc::testing::StencPage(2, 2, 1, vtape::ssc::testing::TestKey());
      Must(*drive, vtape::ssc::testing::SpoutCdb(0x0010, static_cast<std::uint32_t>(page.size())),
           page);
    }
    auto start = Clock::now();
    for (std::size_t at = 0; at < data.size(); at += kRecord) {
      Must(*drive, Rw6(0x0A), std::span(data.data() + at, kRecord));
    }
    Must(*drive, {0x10, 0, 0, 0, 1, 0});  // a synchronous filemark: all of it durable
    w_times.push_back(Seconds(start));
    ratio = static_cast<double>(data.size()) /
            static_cast<double>(drive->medium()->GetPosition().bytes_before);
    Must(*drive, {0x01, 0, 0, 0, 0, 0});
    Bytes in(kRecord);
    start = Clock::now();
    for (std::size_t at = 0; at < data.size(); at += kRecord) Must(*drive, Rw6(0x08), {}, in);
    r_times.push_back(Seconds(start));
  }
  const double mb = static_cast<double>(data.size()) / 1e6;
  return {mb / Median(w_times), mb / Median(r_times), ratio};
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t mib = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 256;
  const std::size_t size = std::max<std::size_t>(1, mib) << 20;
  const char* dir = std::getenv("VTAPE_BENCH_DIR");
  const std::string image = std::string(dir ? dir : "/var/tmp") + "/vtape-data-services.img";
  const Bytes random = RandomData(size);
  const Bytes text = TextData(size);

  std::printf("Codecs, %zu MiB in 256 KiB records (median of %d):\n\n", mib, kPasses);
  std::printf(
      "| data | codec | compress MB/s | decompress MB/s | ratio |\n|---|---|---:|---:|---:|\n");
  CodecRows("random", random);
  CodecRows("text", text);

  std::printf("\nThe drive on file:%s, %zu MiB of 256 KiB records (median of %d):\n\n",
              image.c_str(), mib, kPasses);
  std::printf(
      "| data | mode | write MB/s | x plain | read MB/s | x plain | ratio |\n"
      "|---|---|---:|---:|---:|---:|---:|\n");
  const Mode modes[] = {{"plain", false, false},
                        {"compression", true, false},
                        {"encryption", false, true},
                        {"both", true, true}};
  for (const auto& [name, data] : {std::pair{"random", &random}, std::pair{"text", &text}}) {
    Speeds plain;
    for (const Mode& mode : modes) {
      const Speeds s = DriveRun(mode, *data, image);
      if (!mode.compress && !mode.encrypt) plain = s;
      std::printf("| %s | %s | %.0f | %.2f | %.0f | %.2f | %.2f |\n", name, mode.name, s.write_mbs,
                  s.write_mbs / plain.write_mbs, s.read_mbs, s.read_mbs / plain.read_mbs, s.ratio);
      std::fflush(stdout);
    }
  }
  std::filesystem::remove(image);
  for (const char* sidecar : {".idx", ".fm"}) std::filesystem::remove(image + sidecar);
  return 0;
}
