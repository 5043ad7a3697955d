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

// A generation by any spelling of its name, the older read-only ones included.
const MediaType* FindLto(std::string_view name) {
  auto wanted = FindLtoGeneration(name);
  if (!wanted) return nullptr;
  for (const MediaType& f : AllLtoGenerations()) {
    if (f.density_code == wanted->density_code) return &f;
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
std::vector<const MediaType*> PersonalityGenerations(const Personality& p) {
  std::vector<const MediaType*> out;
  for (const MediaType& f : AllLtoGenerations()) {
    if (Contains(p.writes, f.name) || Contains(p.reads, f.name)) out.push_back(&f);
  }
  std::sort(out.begin(), out.end(), [](const MediaType* a, const MediaType* b) {
    return a->density_code < b->density_code;  // density codes rise with the generation
  });
  return out;
}

// The density the drive writes on a blank medium: the newest it writes.
const MediaType* DefaultGeneration(const Personality& p) {
  const MediaType* best = nullptr;
  for (std::string_view name : p.writes) {
    const MediaType* f = FindLto(name);
    if (f != nullptr && (best == nullptr || f->native_bytes > best->native_bytes)) best = f;
  }
  return best;
}

void AppendDensityDescriptor(std::vector<std::uint8_t>& d, const MediaType& f, bool write_ok,
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

void AppendMediumTypeDescriptor(std::vector<std::uint8_t>& d, const MediaType& f) {
  const std::size_t at = d.size();
  d.resize(at + 56, 0);
  d[at + 0] = f.medium_type;
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
    const MediaType* f = FindLto(info.media_type);
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
    for (const MediaType* f : PersonalityGenerations(p)) {
      if (medium_type) {
        AppendMediumTypeDescriptor(d, *f);
      } else {
        const bool is_default = f == DefaultGeneration(p);
        AppendDensityDescriptor(d, *f, Contains(p.writes, f->name), is_default,
                                f->native_bytes / 1000000);
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
