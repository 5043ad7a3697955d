// READ BLOCK LIMITS, REPORT DENSITY SUPPORT and REPORT SUPPORTED OPERATION
// CODES: what the drive can do, from the personality and the command table.
#include <algorithm>
#include <optional>
#include <string>

#include "handler/spc/cdb.h"
#include "handler/spc/command_table.h"
#include "handler/spc/data_in.h"
#include "handler/ssc/commands.h"
#include "vtape/media.h"

namespace vtape::ssc {
namespace {

// ---- READ BLOCK LIMITS --------------------------------------------------------

// The largest logical object identifier READ BLOCK LIMITS (MLOI=1) reports:
// the largest READ POSITION's short form (and st) can express.
constexpr std::uint64_t kMaxLogicalObjectId = 0xFFFFFFFF;

}  // namespace

ScsiResult CmdReadBlockLimits(DriveState& state, const ScsiCommand& command) {
  if (command.cdb[1] & 0x01) {  // MLOI: the 20-byte form
    std::vector<std::uint8_t> d(20, 0);
    PutBe(d, 12, 8, kMaxLogicalObjectId);
    return ReturnData(command, d, d.size());
  }
  // MAXIMUM BLOCK LENGTH LIMIT is 24 bits: 16 MiB itself does not fit.
  std::uint64_t max = std::min<std::uint64_t>(state.config.max_transfer_bytes, kMaxRecordBytes);
  max = std::clamp<std::uint64_t>(max, 1, 0xFFFFFF);
  std::vector<std::uint8_t> d(6, 0);  // byte 0: granularity 0 (any length)
  PutBe(d, 1, 3, max);
  PutBe(d, 4, 2, 1);
  return ReturnData(command, d, d.size());
}

namespace {

// ---- REPORT DENSITY SUPPORT -----------------------------------------------------

// Physical facts of each LTO generation for the density and medium type
// descriptors. The older generations some personalities read (LTO-3, LTO-4)
// are not media vtape creates, so they live here rather than in media.h.
struct LtoFacts {
  std::string_view name;
  std::uint8_t density_code;
  std::uint64_t capacity_mb;      // native, 10^6 bytes
  std::uint32_t bits_per_mm;      // nominal linear density (informational)
  std::uint16_t tracks;           // data tracks
  std::uint16_t length_m;         // tape length in metres
  std::string_view density_name;  // U-[generation][channels]
  std::string_view description;
};

constexpr LtoFacts kLto[] = {
    {"LTO-3", 0x44, 400000, 9638, 704, 680, "U-316", "Ultrium 3/16T"},
    {"LTO-4", 0x46, 800000, 12725, 896, 820, "U-416", "Ultrium 4/16T"},
    {"LTO-5", 0x58, 1500000, 15142, 1280, 846, "U-516", "Ultrium 5/16T"},
    {"LTO-6", 0x5A, 2500000, 15143, 2176, 846, "U-616", "Ultrium 6/16T"},
    {"LTO-7", 0x5C, 6000000, 19107, 3584, 960, "U-732", "Ultrium 7/32T"},
    {"LTO-M8", 0x5D, 9000000, 19107, 5376, 960, "U-732M8", "Ultrium M8/32T"},
    {"LTO-8", 0x5E, 12000000, 20668, 6656, 960, "U-832", "Ultrium 8/32T"},
    {"LTO-9", 0x60, 18000000, 23165, 8960, 1035, "U-932", "Ultrium 9/32T"},
};

const LtoFacts* FindLto(std::string_view name) {
  auto type = FindMediaType(name);
  for (const LtoFacts& f : kLto) {
    if (f.name == name || (type && f.density_code == type->density_code)) return &f;
  }
  return nullptr;
}

bool Contains(std::span<const std::string_view> names, std::string_view name) {
  for (std::string_view n : names) {
    if (FindLto(n) == FindLto(name)) return true;
  }
  return false;
}

// The generations the personality reads or writes, oldest first.
std::vector<const LtoFacts*> PersonalityGenerations(const Personality& p) {
  std::vector<const LtoFacts*> out;
  for (const LtoFacts& f : kLto) {
    if (Contains(p.writes, f.name) || Contains(p.reads, f.name)) out.push_back(&f);
  }
  return out;
}

// The density the drive writes on a blank medium: the newest it writes.
const LtoFacts* DefaultGeneration(const Personality& p) {
  const LtoFacts* best = nullptr;
  for (std::string_view name : p.writes) {
    const LtoFacts* f = FindLto(name);
    if (f != nullptr && (best == nullptr || f->capacity_mb > best->capacity_mb)) best = f;
  }
  return best;
}

void AppendDensityDescriptor(std::vector<std::uint8_t>& d, const LtoFacts& f, bool write_ok,
                             bool is_default, std::uint64_t capacity_mb) {
  const std::size_t at = d.size();
  d.resize(at + 52, 0);
  d[at + 0] = f.density_code;  // primary
  d[at + 1] = f.density_code;  // secondary: LTO drives repeat the primary
  // WRTOK bit 7, DUP bit 6 (every code is listed once), DEFLT bit 5, DLV bit 0.
  d[at + 2] = (write_ok ? 0x80 : 0) | (is_default ? 0x20 : 0) | 0x01;
  PutBe(d, at + 3, 2, 52 - 5);  // DESCRIPTOR LENGTH, valid because DLV=1
  PutBe(d, at + 5, 3, f.bits_per_mm);
  PutBe(d, at + 8, 2, 127);  // media width: 12.7 mm in tenths
  PutBe(d, at + 10, 2, f.tracks);
  PutBe(d, at + 12, 4, std::min<std::uint64_t>(capacity_mb, 0xFFFFFFFF));
  std::vector<std::uint8_t> text;
  AppendPadded(text, "LTO-CVE", 8);
  AppendPadded(text, f.density_name, 8);
  AppendPadded(text, f.description, 20);
  std::copy(text.begin(), text.end(), d.begin() + static_cast<long>(at + 16));
}

void AppendMediumTypeDescriptor(std::vector<std::uint8_t>& d, const LtoFacts& f) {
  const std::size_t at = d.size();
  d.resize(at + 56, 0);
  auto type = FindMediaType(f.name);
  d[at + 0] = type ? type->medium_type : 0;
  PutBe(d, at + 2, 2, 56 - 4);
  d[at + 4] = 1;  // number of density codes
  d[at + 5] = f.density_code;
  PutBe(d, at + 14, 2, 127);
  PutBe(d, at + 16, 2, f.length_m);
  std::vector<std::uint8_t> text;
  AppendPadded(text, "LTO-CVE", 8);
  AppendPadded(text, f.name, 8);
  AppendPadded(text, std::string(f.name) + " data cartridge", 20);
  std::copy(text.begin(), text.end(), d.begin() + static_cast<long>(at + 20));
}

}  // namespace

ScsiResult CmdReportDensitySupport(DriveState& state, const ScsiCommand& command) {
  const bool medium_type = command.cdb[1] & 0x02;
  const bool media = command.cdb[1] & 0x01;
  const std::size_t allocation = GetBe(command.cdb, 7, 2);
  const Personality& p = *state.personality;

  std::vector<std::uint8_t> d(4, 0);
  if (media) {  // the loaded medium only
    ScsiResult not_ready;
    Tape* tape = state.ReadyTape(not_ready);
    if (tape == nullptr) return not_ready;
    MediumInfo info;
    if (Status s = tape->Stat(info); !s.ok()) return SenseForStatus(state, s);
    const LtoFacts* f = FindLto(info.media_type);
    if (f != nullptr) {
      if (medium_type) {
        AppendMediumTypeDescriptor(d, *f);
      } else {
        // The medium's own capacity (mem: and file: media may be smaller than nominal).
        AppendDensityDescriptor(d, *f, Contains(p.writes, f->name), true,
                                info.capacity_bytes / 1000000);
      }
    }
  } else {
    for (const LtoFacts* f : PersonalityGenerations(p)) {
      if (medium_type) {
        AppendMediumTypeDescriptor(d, *f);
      } else {
        const bool is_default = f == DefaultGeneration(p);
        AppendDensityDescriptor(d, *f, Contains(p.writes, f->name), is_default, f->capacity_mb);
      }
    }
  }
  PutBe(d, 0, 2, d.size() - 2);
  return ReturnData(command, d, allocation);
}

namespace {

// Recommended timeouts (seconds) for the command timeouts descriptor. The
// nominal time is not specified (0): a virtual medium answers in milliseconds,
// but a file or RAIT medium on a busy host may take much longer for commands
// that move over or rewrite the whole medium.
std::uint32_t RecommendedTimeout(const CommandInfo& c) {
  return c.needs_medium ? 900 : 60;
}

}  // namespace

ScsiResult CmdReportSupportedOpcodes(DriveState&, const ScsiCommand& command) {
  return ReportSupportedOpcodes(Syntaxes(AllCommands(), RecommendedTimeout), command);
}

}  // namespace vtape::ssc
