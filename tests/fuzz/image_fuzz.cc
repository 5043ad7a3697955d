// Fuzzes the readers of on-disk media with damaged images: a file: image, or
// the file: members of a rait: mirror or parity set. A valid medium of known
// content (records whose bytes are a function of their object number, and
// filemarks at known places) is built once per kind on tmpfs; each input is a
// list of damages (byte patches and truncations of any of the medium's files:
// data, index and filemark files of every member). The damaged copy is opened
// and walked (reads, spaces, locates). Invariants: no crash or sanitizer
// report, and every record the medium returns as good is exactly the record
// written at that object number: damage is reported, cut off or (rait:)
// repaired from redundancy, never delivered as data.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "rait/rait.h"
#include "vtape/registry.h"

namespace {

namespace fs = std::filesystem;
using vtape::ObjectKind;

constexpr int kObjects = 40;
bool IsFilemark(std::uint64_t object) {
  return object % 7 == 6;
}
std::size_t RecordLength(std::uint64_t object) {
  return 1 + (object * 977) % 3000;
}
std::uint8_t RecordByte(std::uint64_t object, std::size_t i) {
  return static_cast<std::uint8_t>(object * 31 + i * 7 + (i >> 8));
}

void Die(const char* what, const vtape::Status& s) {
  std::fprintf(stderr, "image_fuzz: %s: %s\n", what, s.ToString().c_str());
  std::abort();
}

// The kinds of medium, chosen by the input's last byte (see below).
enum class Kind { kFile, kMirror, kParity };
constexpr std::size_t kKinds = 3;

// A medium's name over the images DIR/PREFIX-<member>.img.
std::string MediumName(Kind kind, const fs::path& dir, const std::string& prefix) {
  auto image = [&](const char* member) {
    return "file:" + (dir / (prefix + "-" + member + ".img")).string();
  };
  switch (kind) {
    case Kind::kFile:
      return image("x");
    case Kind::kMirror:
      return "rait:{" + image("a") + "," + image("b") + "}";
    case Kind::kParity:
      return "rait:{" + image("a") + "," + image("b") + "," + image("c") + "}";
  }
  return "";
}

struct Pristine {
  fs::path dir;
  std::vector<std::string> names;        // the medium's files, without the "good-" prefix
  std::vector<std::vector<char>> files;  // their contents
};

std::vector<char> Slurp(const fs::path& p) {
  std::vector<char> out;
  if (FILE* f = std::fopen(p.c_str(), "rb")) {
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.insert(out.end(), buf, buf + n);
    std::fclose(f);
  }
  return out;
}

void Spill(const fs::path& p, const std::vector<char>& bytes, bool present) {
  fs::remove(p);
  if (!present) return;
  FILE* f = std::fopen(p.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

// Tmpfs when there is one: the fuzzer rewrites the damaged copy for every input.
fs::path ScratchDir() {
  std::string base = fs::is_directory("/dev/shm") ? "/dev/shm" : "";
  if (base.empty()) base = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  std::string pattern = base + "/vtape-image-fuzz.XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  return pattern;
}

Pristine Build(Kind kind) {
  Pristine p;
  p.dir = ScratchDir();
  std::string name = MediumName(kind, p.dir, "good");
  vtape::CreateOptions create;
  create.capacity_bytes = 64ull << 20;
  create.early_warning_bytes = 1 << 20;
  create.barcode = "FUZZ01L8";
  if (auto s = vtape::CreateTape(name, create); !s.ok()) Die("create", s);
  std::unique_ptr<vtape::Tape> tape;
  if (auto s = vtape::OpenTape(name, {}, tape); !s.ok()) Die("open", s);
  for (std::uint64_t o = 0; o < kObjects; ++o) {
    if (IsFilemark(o)) {
      // A durable point midway, so recovery has both a synced and an unsynced part.
      if (auto s = tape->WriteFilemarks(1, o == kObjects / 2); !s.ok()) Die("weof", s);
      continue;
    }
    std::vector<std::uint8_t> rec(RecordLength(o));
    for (std::size_t i = 0; i < rec.size(); ++i) rec[i] = RecordByte(o, i);
    if (auto s = tape->Write(rec); !s.ok()) Die("write", s);
  }
  if (auto s = tape->Close(); !s.ok()) Die("close", s);
  for (const auto& entry : fs::directory_iterator(p.dir)) {
    std::string file = entry.path().filename().string();
    if (file.rfind("good-", 0) == 0) p.names.push_back(file.substr(5));
  }
  std::sort(p.names.begin(), p.names.end());
  for (const std::string& file : p.names) p.files.push_back(Slurp(p.dir / ("good-" + file)));
  return p;
}

// Built on first use; the directories go when the process exits.
struct Pristines {
  std::array<std::unique_ptr<Pristine>, kKinds> kinds;
  ~Pristines() {
    std::error_code ec;
    for (const auto& p : kinds) {
      if (p) fs::remove_all(p->dir, ec);
    }
  }
};

const Pristine& Image(Kind kind) {
  static Pristines built;
  auto& p = built.kinds[static_cast<std::size_t>(kind)];
  if (!p) p = std::make_unique<Pristine>(Build(kind));
  return *p;
}

// Reads on from the position; every good record must be the one written there.
void WalkAndCheck(vtape::Tape& tape, std::vector<std::uint8_t>& buf, int max_steps) {
  for (int step = 0; step < max_steps; ++step) {
    std::uint64_t object = tape.GetPosition().object;
    vtape::ReadResult r;
    vtape::Status s = tape.Read(buf, r);
    if (!s.ok()) {
      if (tape.GetPosition().object <= object) return;  // stuck: a reported error, fine
      continue;
    }
    if (r.kind == ObjectKind::kEndOfData) return;
    if (object >= kObjects) std::abort();  // an object that was never written
    if (r.kind == ObjectKind::kFilemark) {
      if (!IsFilemark(object)) std::abort();
      continue;
    }
    if (IsFilemark(object) || r.length != RecordLength(object)) std::abort();
    for (std::size_t i = 0; i < r.length && i < buf.size(); ++i) {
      if (buf[i] != RecordByte(object, i)) std::abort();  // wrong data delivered as good
    }
  }
}

}  // namespace

// Input: a sequence of 6-byte damages {file, op, offset (3 bytes), value}, and
// optionally one more byte choosing the medium (0 file:, 1 rait: mirror, 2
// rait: parity, mod 3; without it file:):
//   op % 4 == 0: XOR the byte at offset with value (value 0 means 0xFF)
//   op % 4 == 1: truncate the file to offset
//   op % 4 == 2: delete the file
//   op % 4 == 3: append `value` bytes of value
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vtape::rait::RegisterRait();
  const Kind kind = size % 6 != 0 ? static_cast<Kind>(data[size - 1] % kKinds) : Kind::kFile;
  const Pristine& p = Image(kind);
  std::vector<std::vector<char>> files = p.files;
  std::vector<bool> present(files.size(), true);
  for (std::size_t at = 0; at + 6 <= size; at += 6) {
    std::size_t f = data[at] % files.size();
    std::size_t offset = (std::size_t{data[at + 2]} << 16) | (data[at + 3] << 8) | data[at + 4];
    std::uint8_t value = data[at + 5];
    std::vector<char>& bytes = files[f];
    switch (data[at + 1] % 4) {
      case 0:
        if (!bytes.empty()) bytes[offset % bytes.size()] ^= static_cast<char>(value ? value : 0xFF);
        break;
      case 1:
        if (offset < bytes.size()) bytes.resize(offset);
        break;
      case 2:
        present[f] = false;
        break;
      case 3:
        bytes.insert(bytes.end(), value, static_cast<char>(value));
        break;
    }
  }
  for (const auto& entry : fs::directory_iterator(p.dir)) {  // what the last input left
    if (entry.path().filename().string().rfind("case-", 0) == 0) fs::remove(entry.path());
  }
  for (std::size_t f = 0; f < files.size(); ++f) {
    Spill(p.dir / ("case-" + p.names[f]), files[f], present[f]);
  }
  std::string name = MediumName(kind, p.dir, "case");
  std::vector<std::uint8_t> buf(4096);
  for (bool read_only : {true, false}) {
    std::unique_ptr<vtape::Tape> tape;
    vtape::OpenOptions options;
    options.read_only = read_only;
    if (!vtape::OpenTape(name, options, tape).ok()) continue;  // refused with a reason: fine
    vtape::MediumInfo info;
    (void)tape->Stat(info);
    WalkAndCheck(*tape, buf, 2 * kObjects);
    vtape::SpaceResult r;
    for (std::uint64_t target :
         {std::uint64_t{3}, std::uint64_t{kObjects / 2 + 1}, std::uint64_t{0}}) {
      if (tape->Locate(0, target, r).ok()) WalkAndCheck(*tape, buf, 5);
    }
    if (tape->LocateFile(0, 2, r).ok()) WalkAndCheck(*tape, buf, 5);
    if (tape->SpaceFilemarks(-1, r).ok()) WalkAndCheck(*tape, buf, 3);
    if (tape->SpaceRecords(-2, r).ok()) WalkAndCheck(*tape, buf, 3);
    (void)tape->Close();
  }
  return 0;
}
