// libFuzzer target: sequences of SCSI commands against one Drive.
//
// Input format (every field optional: a short input just ends the sequence):
//   byte 0   medium: index into kMedia (mod its size): in memory (mem:, null:,
//            fault: over mem:) or on tmpfs (file:, rait: over file:, created
//            fresh for every open and deleted after every input)
//   byte 1   personality: index into AllPersonalities()
//   byte 2   transfer limit: index into kMaxTransfer
//   then commands, each:
//     H      header byte. H == 0xFF: media change, next byte = medium index.
//            Otherwise: bits 1-0 CDB length class {6, 10, 12, 16}; bit 2: the
//            next byte gives the CDB length instead (0..16, so too-short CDBs
//            happen); bit 3: CDB byte 0 is mapped onto a known opcode (most
//            inputs then reach a command's own code rather than the dispatcher).
//     CDB    the CDB bytes (missing bytes are 0)
//     LL LL  data-out length, little endian (clipped to what is left)
//     DATA   data-out bytes
//     SS SS  data-in buffer size, little endian
// Invariants checked after every command (a violation traps):
//   data_in_len <= buffer size; sense_len <= 96; status is GOOD or CHECK
//   CONDITION; CHECK CONDITION carries fixed-format sense (70h, 18 bytes) with
//   a sense key or one of FILEMARK/EOM/ILI.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "handler/ssc/drive.h"
#include "handler/ssc/personality.h"
#include "rait/rait.h"
#include "vtape/registry.h"

namespace {

using vtape::ssc::Drive;
using vtape::ssc::DriveConfig;
using vtape::ssc::ScsiCommand;
using vtape::ssc::ScsiResult;

// Small media so end-of-medium, early warning and EOD are all reachable. In
// an on-disk medium's name '%' stands for a fresh path prefix in the scratch
// directory; `create` (the name without fault rules) makes it first.
struct Medium {
  const char* name;
  const char* create = nullptr;  // on disk: created before every open
};
constexpr std::array<Medium, 14> kMedia = {{
    {"mem:capacity=65536,early_warning=8192"},
    {"mem:capacity=65536,write_protected=1"},
    {""},  // no medium
    {"mem:capacity=8192,early_warning=1024,partitions=2"},
    {"null:capacity=65536"},
    {"fault:{read@2=medium}mem:capacity=65536,early_warning=4096"},
    {"fault:{write@3=enospc,read@4+=eio}mem:capacity=65536"},
    {"fault:{any@5=eio,weof@2=medium}mem:capacity=32768"},
    {"fault:{write@2=corrupt,write@4=tear}mem:capacity=65536"},
    {"fault:{write@3=crash}mem:capacity=65536"},
    {"file:%.img", "file:%.img"},
    {"rait:{file:%-a.img,file:%-b.img}", "rait:{file:%-a.img,file:%-b.img}"},
    {"rait:file:%-{a,b,c}.img", "rait:file:%-{a,b,c}.img"},
    {"rait:{fault:{write@3=eio,read@2=medium}file:%-a.img,file:%-b.img,file:%-c.img}",
     "rait:{file:%-a.img,file:%-b.img,file:%-c.img}"},
}};

// The on-disk media's directory: on tmpfs when there is one; it goes when the
// process exits.
struct Scratch {
  std::filesystem::path dir;
  Scratch() {
    std::string base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "";
    if (base.empty()) base = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
    std::string pattern = base + "/vtape-ssc-fuzz.XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    dir = pattern;
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};
const std::filesystem::path& ScratchDir() {
  static const Scratch scratch;
  return scratch.dir;
}

// Deletes every on-disk medium of the input that just ended.
void RemoveMedia() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(ScratchDir(), ec)) {
    std::filesystem::remove_all(entry.path(), ec);
  }
}

std::string Expand(std::string name, const std::string& prefix) {
  for (std::size_t at = name.find('%'); at != std::string::npos; at = name.find('%', at)) {
    name.replace(at, 1, prefix);
    at += prefix.size();
  }
  return name;
}

constexpr std::array<std::uint32_t, 4> kMaxTransfer = {1u << 20, 64u << 10, 512, 32u << 20};

// Opcodes the drive implements (and a few it does not), for header bit 3.
constexpr std::array<std::uint8_t, 32> kOpcodes = {
    0x00, 0x01, 0x03, 0x05, 0x08, 0x0A, 0x10, 0x11, 0x12, 0x15, 0x19, 0x1A, 0x1B, 0x1E, 0x2B, 0x34,
    0x44, 0x4C, 0x4D, 0x55, 0x5A, 0x80, 0x88, 0x8A, 0x91, 0x92, 0x93, 0xA3, 0x04, 0x1D, 0xA0, 0xFF};

constexpr std::size_t kMaxDataIn = 1 << 16;

using vtape::fuzz::Input;

std::unique_ptr<vtape::Tape> OpenMedium(std::uint8_t selector) {
  const Medium& medium = kMedia[selector % kMedia.size()];
  std::unique_ptr<vtape::Tape> tape;
  if (medium.name[0] == '\0') return tape;
  std::string name = medium.name;
  vtape::Status s;
  if (medium.create) {  // a new medium every time (the old one may still be loaded)
    static std::uint64_t serial = 0;
    std::string prefix = (ScratchDir() / std::to_string(++serial)).string();
    name = Expand(name, prefix);
    vtape::CreateOptions create;
    create.capacity_bytes = 65536;
    create.early_warning_bytes = 8192;
    s = vtape::CreateTape(Expand(medium.create, prefix), create);
  }
  if (s.ok()) s = vtape::OpenTape(name, {}, tape);
  if (!s.ok()) {
    std::fprintf(stderr, "cannot open fuzz medium %s: %s\n", name.c_str(), s.ToString().c_str());
    std::abort();
  }
  return tape;
}

void Trace(const std::vector<std::uint8_t>& cdb, std::size_t out, std::size_t in,
           const ScsiResult& r) {
  std::fprintf(stderr, "CDB");
  for (std::uint8_t b : cdb) std::fprintf(stderr, " %02X", b);
  std::fprintf(stderr, " | out %zu in %zu -> status %02X data %zu", out, in, r.status,
               r.data_in_len);
  if (r.status != vtape::ssc::kStatusGood) {
    std::fprintf(stderr, " sense %02X/%02X/%02X flags %02X", r.sense[2] & 0x0F, r.sense[12],
                 r.sense[13], r.sense[2] & 0xE0);
  }
  std::fprintf(stderr, "\n");
}

// Executes the commands that follow the input's header, checking every result.
void RunCommands(Drive& drive, Input& in, bool trace) {
  std::vector<std::uint8_t> data_in;
  while (!in.empty()) {
    const std::uint8_t header = in.Byte();
    if (header == 0xFF) {
      (void)drive.ChangeMedium(OpenMedium(in.Byte()));
      continue;
    }
    static constexpr std::array<std::size_t, 4> kLengths = {6, 10, 12, 16};
    std::size_t cdb_length = kLengths[header & 0x03];
    if (header & 0x04) cdb_length = in.Byte() % 17;
    std::vector<std::uint8_t> cdb(cdb_length, 0);
    for (std::uint8_t& b : cdb) b = in.Byte();
    if ((header & 0x08) && !cdb.empty()) cdb[0] = kOpcodes[cdb[0] % kOpcodes.size()];
    const std::vector<std::uint8_t> data_out = in.Bytes(in.Le16());
    const std::size_t data_in_size = std::min<std::size_t>(in.Le16(), kMaxDataIn);
    data_in.assign(data_in_size, 0xEE);

    const ScsiResult r = drive.Execute({cdb, data_out, data_in});
    if (trace) Trace(cdb, data_out.size(), data_in_size, r);
    vtape::fuzz::CheckResult(r, data_in_size, cdb);
  }
  (void)drive.TakeLogMessages();
  (void)drive.Flush();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // SSC_FUZZ_TRACE=1 prints every command and its outcome (for reading seeds).
  static const bool trace = std::getenv("SSC_FUZZ_TRACE") != nullptr;
  vtape::rait::RegisterRait();
  Input in(data, size);
  DriveConfig config;
  const auto personalities = vtape::ssc::AllPersonalities();
  const std::uint8_t medium = in.Byte();
  config.personality = std::string(personalities[in.Byte() % personalities.size()].key);
  config.max_transfer_bytes = kMaxTransfer[in.Byte() % kMaxTransfer.size()];
  config.medium_name = kMedia[medium % kMedia.size()].name;
  {
    Drive drive(config, OpenMedium(medium));
    RunCommands(drive, in, trace);
  }
  RemoveMedia();
  return 0;
}
