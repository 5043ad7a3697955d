// Memory per open medium: the RSS of a process holding one open file: medium
// and one SSC Drive engine over it (handler/drive.h), on a tape of 10^8
// one-byte records and 10^6 filemarks, after LOCATE/SPACE to its end, and under
// a filemark flood (WRITE FILEMARKS(6) FFFFFFh repeated until end of medium),
// and with a 32 MiB drive buffer (write-behind and read-ahead) while 1 GiB is
// written and read back in 256 KiB records.
// Targets: <= 16 MiB per drive (issue 8); with the buffer, <= the buffer plus
// 16 MiB (issue 10).
//
//   VTAPE_BENCH_DIR=/var/tmp build/bench/memory_bench [records]   (default 10^8)
//
// The big tape is built straight from the format encoders (vtape/file_format.h)
// in a child process, so its buffers never count; the parent then opens it.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "handler/ssc/drive.h"
#include "vtape/buffered_tape.h"
#include "vtape/crc32c.h"
#include "vtape/file_format.h"
#include "vtape/file_image.h"
#include "vtape/registry.h"

namespace {

using namespace vtape::file_format;
using vtape::ssc::Drive;
using vtape::ssc::ScsiCommand;

constexpr std::uint64_t kRecordsPerFile = 100;

std::string Dir() {
  const char* dir = std::getenv("VTAPE_BENCH_DIR");
  return dir && *dir ? dir : "/var/tmp";
}

double Seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// VmRSS and VmHWM of this process, KiB.
void Rss(std::uint64_t& rss, std::uint64_t& hwm) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) rss = std::strtoull(line.c_str() + 6, nullptr, 10);
    if (line.rfind("VmHWM:", 0) == 0) hwm = std::strtoull(line.c_str() + 6, nullptr, 10);
  }
}

std::uint64_t g_base = 0;
void Report(const char* what) {
  std::uint64_t rss = 0, hwm = 0;
  Rss(rss, hwm);
  std::printf("%-58s RSS %7.1f MiB (+%6.1f MiB over the empty process), peak %7.1f MiB\n", what,
              rss / 1024.0, (rss - g_base) / 1024.0, hwm / 1024.0);
  std::fflush(stdout);
}

void Die(const vtape::Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "memory_bench: %s: %s\n", what, s.ToString().c_str());
  std::exit(1);
}

// Buffered sequential writer for one file.
class Out {
 public:
  Out(int fd, std::uint64_t offset) : fd_(fd), offset_(offset), buf_(8u << 20) {}
  void Put(const std::uint8_t* p, std::size_t n) {
    if (used_ + n > buf_.size()) Flush();
    std::memcpy(buf_.data() + used_, p, n);
    used_ += n;
  }
  void Flush() {
    Die(vtape::PwriteAll(fd_, std::span(buf_.data(), used_), offset_, "image"), "write");
    offset_ += used_;
    used_ = 0;
  }

 private:
  int fd_;
  std::uint64_t offset_;
  std::vector<std::uint8_t> buf_;
  std::size_t used_ = 0;
};

// Writes `records` one-byte records, a filemark after every kRecordsPerFile,
// as `vtape` itself would, and a superblock making them all durable.
void BuildBigTape(const std::string& path, std::uint64_t records) {
  vtape::CreateOptions create;
  create.overwrite = true;
  Die(vtape::CreateTape("file:" + path, create), "create");
  vtape::OpenedImage im;
  Die(vtape::OpenImage(path, true, im), "open");
  std::uint32_t salt = SaltOf(im.sb.image_id);
  Out data(im.data.get(), kDataStart), index(im.index.fd().get(), kSidecarHeaderBytes),
      marks(im.filemarks.fd().get(), kSidecarHeaderBytes);
  std::uint64_t object = 0, offset = kDataStart, filemarks = 0;
  std::uint32_t fm_crc = 0;
  auto add = [&](bool filemark, std::uint8_t byte) {
    RecordHeader h{filemark ? RecordKind::kFilemark : RecordKind::kRecord, object, 0,
                   filemark ? 0u : 1u, filemark ? 0u : vtape::Crc32c(std::span(&byte, 1))};
    std::array<std::uint8_t, kRecordHeaderBytes> raw;
    EncodeRecordHeader(h, salt, raw);
    data.Put(raw.data(), raw.size());
    if (!filemark) data.Put(&byte, 1);
    std::array<std::uint8_t, kIndexEntryBytes> entry;
    EncodeIndexEntry({offset, filemark ? 0u : 1u, filemark}, object, salt, entry);
    index.Put(entry.data(), entry.size());
    if (filemark) {
      std::uint8_t fm[kFilemarkEntryBytes];
      Put64(fm, object);
      marks.Put(fm, sizeof fm);
      fm_crc = vtape::Crc32c(fm, fm_crc);
      ++filemarks;
    }
    offset += kRecordHeaderBytes + (filemark ? 0 : 1);
    ++object;
  };
  for (std::uint64_t r = 0; r < records; ++r) {
    add(false, static_cast<std::uint8_t>(r));
    if (r % kRecordsPerFile == kRecordsPerFile - 1) add(true, 0);
  }
  data.Flush();
  index.Flush();
  marks.Flush();
  Die(vtape::DataSync(im.data.get(), path), "sync");
  Die(vtape::DataSync(im.index.fd().get(), path), "sync");
  Die(vtape::DataSync(im.filemarks.fd().get(), path), "sync");
  im.sb.durable_objects = object;
  im.sb.durable_data_end = offset;
  im.sb.durable_filemarks = filemarks;
  im.sb.filemarks_crc = fm_crc;
  Die(vtape::WriteSuperblock(im.data.get(), path, im.sb, im.sb_slot), "superblock");
}

std::unique_ptr<Drive> NewDrive(const std::string& name, std::uint64_t buffer_bytes = 0) {
  std::unique_ptr<vtape::Tape> tape;
  Die(vtape::OpenTape(name, {}, tape), "open");
  vtape::ssc::DriveConfig config;
  config.buffer_bytes = buffer_bytes;
  auto drive = std::make_unique<Drive>(config, std::move(tape));
  std::vector<std::uint8_t> tur{0, 0, 0, 0, 0, 0};
  drive->Execute({tur, {}, {}});  // the power-on unit attention
  return drive;
}

std::uint8_t Run(Drive& drive, std::vector<std::uint8_t> cdb) {
  return drive.Execute(ScsiCommand{cdb, {}, {}}).status;
}

std::vector<std::uint8_t> Locate16(std::uint64_t object) {
  std::vector<std::uint8_t> cdb(16, 0);
  cdb[0] = 0x92;
  for (int i = 0; i < 8; ++i) cdb[4 + i] = static_cast<std::uint8_t>(object >> (56 - 8 * i));
  return cdb;
}
std::vector<std::uint8_t> Space6(std::uint8_t code, std::int32_t count) {
  auto c = static_cast<std::uint32_t>(count);
  return {0x11,
          code,
          static_cast<std::uint8_t>(c >> 16),
          static_cast<std::uint8_t>(c >> 8),
          static_cast<std::uint8_t>(c),
          0};
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t records = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000000;
  std::string big = Dir() + "/vtape-memory-bench-big.img";
  std::string flood = Dir() + "/vtape-memory-bench-flood.img";
  std::uint64_t hwm = 0;
  Rss(g_base, hwm);
  Report("empty process");

  double start = Seconds();
  pid_t child = ::fork();
  if (child == 0) {
    BuildBigTape(big, records);
    std::_Exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  std::printf("built %llu records + %llu filemarks in %.0f s (child process)\n",
              static_cast<unsigned long long>(records),
              static_cast<unsigned long long>(records / kRecordsPerFile), Seconds() - start);
  {
    start = Seconds();
    auto drive = NewDrive("file:" + big);
    std::printf("open + drive: %.2f s\n", Seconds() - start);
    Report("big tape: open medium + SSC drive");
    std::uint64_t objects = records + records / kRecordsPerFile;
    if (Run(*drive, Locate16(objects - 1)) != 0) std::printf("LOCATE failed\n");
    Report("big tape: after LOCATE(16) to the last object");
    if (Run(*drive, Space6(3, 0)) != 0) std::printf("SPACE EOD failed\n");
    if (Run(*drive, Space6(1, -1000)) != 0) std::printf("SPACE -1000 filemarks failed\n");
    if (Run(*drive, Space6(1, 999)) != 0) std::printf("SPACE 999 filemarks failed\n");
    Report("big tape: after SPACE to EOD and over 1000 filemarks back/forth");
    std::uint8_t rewind[6] = {0x01, 0, 0, 0, 0, 0};
    Run(*drive, {rewind, rewind + 6});
    if (Run(*drive, Space6(1, 500000)) != 0) std::printf("SPACE 500000 filemarks failed\n");
    Report("big tape: after REWIND and SPACE 500000 filemarks");
  }
  Report("big tape: closed");

  vtape::CreateOptions create;
  create.overwrite = true;
  create.capacity_bytes = 128ull << 30;  // 2^25 filemarks of 4096 bytes
  Die(vtape::CreateTape("file:" + flood, create), "create flood");
  {
    auto drive = NewDrive("file:" + flood);
    Report("flood: open medium (128 GiB) + SSC drive");
    start = Seconds();
    // Until the hard end: CHECK CONDITION with VOLUME OVERFLOW (the early
    // warning before it is CHECK CONDITION with NO SENSE + EOM, marks written).
    for (int i = 1; i <= 10; ++i) {
      std::uint8_t cdb[6] = {0x10, 0x01, 0xff, 0xff, 0xff, 0};  // IMMED=1, FFFFFFh
      auto r = drive->Execute(ScsiCommand{cdb, {}, {}});
      std::uint8_t key = r.status == 0 ? 0 : (r.sense[2] & 0x0f);
      char what[96];
      std::snprintf(what, sizeof what, "flood: after WRITE FILEMARKS FFFFFFh #%d (%s)", i,
                    r.status == 0 ? "GOOD"
                    : key == 0x0d ? "VOLUME OVERFLOW"
                                  : "CHECK, EOM");
      Report(what);
      if (key == 0x0d) break;
    }
    std::printf("flood: %.0f s, %llu filemarks on the medium\n", Seconds() - start,
                static_cast<unsigned long long>([&] {
                  vtape::MediumInfo info;
                  (void)drive->medium()->Stat(info);
                  return info.filemarks;
                }()));
  }
  Report("flood: closed");

  // The drive buffer: a writer far faster than the medium fills it and then
  // waits (back-pressure); memory must stay within the buffer plus 16 MiB.
  constexpr std::uint64_t kBuffer = 32u << 20;
  constexpr std::uint32_t kRecord = 256u << 10;
  constexpr int kRecords = 4096;  // 1 GiB
  std::string buffered = Dir() + "/vtape-memory-bench-buffered.img";
  create.capacity_bytes = 4ull << 30;
  Die(vtape::CreateTape("file:" + buffered, create), "create buffered");
  {
    auto drive = NewDrive("file:" + buffered, kBuffer);
    Report("buffered: open medium + SSC drive with a 32 MiB buffer");
    std::vector<std::uint8_t> record(kRecord);
    std::uint32_t x = 12345;
    for (auto& b : record) b = static_cast<std::uint8_t>((x = x * 1664525u + 1013904223u) >> 24);
    const std::uint8_t n0 = kRecord >> 16, n1 = (kRecord >> 8) & 0xff, n2 = kRecord & 0xff;
    std::uint8_t write6[6] = {0x0A, 0x00, n0, n1, n2, 0};
    start = Seconds();
    for (int i = 0; i < kRecords; ++i) {
      if (drive->Execute(ScsiCommand{write6, record, {}}).status != 0) {
        std::printf("WRITE %d failed\n", i);
        break;
      }
    }
    std::printf("buffered: wrote 1 GiB in %.1f s\n", Seconds() - start);
    auto* buffer = dynamic_cast<const vtape::BufferedTape*>(drive->medium());
    if (buffer) {
      std::printf("buffered: writes that waited for room: %llu, peak buffered %.1f MiB\n",
                  static_cast<unsigned long long>(buffer->counters().waits_for_room),
                  buffer->counters().peak_bytes / 1048576.0);
    }
    Report("buffered: after writing 1 GiB (WRITE(6), 256 KiB records)");
    std::uint8_t rewind[6] = {0x01, 0, 0, 0, 0, 0};
    if (Run(*drive, {rewind, rewind + 6}) != 0) std::printf("REWIND failed\n");
    std::uint8_t read6[6] = {0x08, 0x00, n0, n1, n2, 0};
    std::vector<std::uint8_t> in(kRecord);
    start = Seconds();
    for (int i = 0; i < kRecords; ++i) {
      if (drive->Execute(ScsiCommand{read6, {}, in}).status != 0 || in != record) {
        std::printf("READ %d failed or returned other data\n", i);
        break;
      }
    }
    std::printf("buffered: read 1 GiB back in %.1f s\n", Seconds() - start);
    Report("buffered: after reading it back (read-ahead)");
  }
  Report("buffered: closed");
  for (const std::string& p : {big, flood, buffered}) {
    std::remove(p.c_str());
    std::remove(vtape::IndexPathOf(p).c_str());
    std::remove(vtape::FilemarkPathOf(p).c_str());
  }
  return 0;
}
