// READ BUFFER and WRITE BUFFER (SPC-4 6.17, 6.49): the echo buffer, and the
// drive dump IBM drives give through READ BUFFER (LTFS reads it after an
// error: descriptor mode 03h, then data mode 02h of buffer 1).
#include <string>

#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"
#include "handler/ssc/commands.h"
#include "handler/ssc/identity.h"

namespace vtape::ssc {
namespace {

constexpr std::uint8_t kModeData = 0x02, kModeDescriptor = 0x03, kModeEcho = 0x0A,
                       kModeEchoDescriptor = 0x0B;
// The echo buffer's size: SPC-4's largest (4096, a multiple of 4).
constexpr std::size_t kEchoCapacity = 4096;

void Line(std::string& out, const std::string& name, const std::string& value) {
  out += name + ": " + value + "\n";
}

// The dump's buffer for `id`: buffers 0 and 1 both hold it (IBM LTO drives
// dump through 1, the enterprise drives through 0); nullptr for any other.
const std::vector<std::uint8_t>* DumpBuffer(DriveState& state, std::uint8_t id) {
  if (id > 1) return nullptr;
  if (state.dump.empty()) state.dump = DriveDump(state);
  return &state.dump;
}

}  // namespace

std::vector<std::uint8_t> DriveDump(const DriveState& state) {
  const Personality& p = *state.personality;
  std::string text = "vtape drive dump\n";
  Line(text, "identity",
       std::string(p.vendor) + " " + std::string(p.product) + " " + std::string(p.revision));
  Line(text, "serial", UnitSerial(state.config));
  // The medium by its label only: its backend name may be a host path, which
  // an initiator has no business seeing.
  const bool loaded = state.tape && state.tape->loaded();
  MediumInfo info;
  if (!loaded) {
    Line(text, "medium", "none");
  } else if (state.tape->Stat(info).ok()) {
    Line(text, "medium", info.media_type + " barcode '" + info.barcode + "'");
  } else {
    Line(text, "medium", "loaded, label unreadable");
  }
  if (loaded) {
    const Position pos = state.tape->GetPosition();
    Line(text, "position",
         "partition " + std::to_string(pos.partition) + " object " + std::to_string(pos.object) +
             " file " + std::to_string(pos.file));
  }
  const LogCounters& c = state.counters;
  Line(text, "records",
       "written " + std::to_string(c.records_written) + " read " + std::to_string(c.records_read) +
           " filemarks " + std::to_string(c.filemarks_written));
  Line(text, "errors",
       "write " + std::to_string(c.write_errors_uncorrected) + " read " +
           std::to_string(c.read_errors_uncorrected));
  // The encryption modes only: the key and its associated data stay out.
  const EncryptionParameters& e = state.encryption.current();
  static constexpr const char* kDecryption[] = {"disable", "raw", "decrypt", "mixed"};
  Line(text, "encryption",
       e.encryption == EncryptionMode::kDisable && e.decryption == DecryptionMode::kDisable
           ? std::string("off")
           : std::string(e.encrypting() ? "encrypt" : "no encrypt") + ", " +
                 kDecryption[static_cast<int>(e.decryption)]);
  return {text.begin(), text.end()};
}

ScsiResult CmdReadBuffer(DriveState& state, const ScsiCommand& cmd) {
  const auto& cdb = cmd.cdb;
  const std::uint8_t mode = cdb[1] & 0x1F, id = cdb[2];
  const std::size_t offset = GetBe(cdb, 3, 3), allocation = GetBe(cdb, 6, 3);
  switch (mode) {
    case kModeData: {
      const std::vector<std::uint8_t>* buffer = DumpBuffer(state, id);
      if (buffer == nullptr) return InvalidCdbField(2);
      if (offset > buffer->size()) return InvalidCdbField(3);
      return ReturnData(cmd, std::span(*buffer).subspan(offset), allocation);
    }
    case kModeDescriptor: {
      const std::vector<std::uint8_t>* buffer = DumpBuffer(state, id);
      if (buffer == nullptr) return InvalidCdbField(2);
      std::vector<std::uint8_t> d(4, 0);  // OFFSET BOUNDARY 0: any byte offset
      PutBe(d, 1, 3, buffer->size());
      return ReturnData(cmd, d, allocation);
    }
    case kModeEcho:  // BUFFER ID and BUFFER OFFSET are ignored in echo mode
      return ReturnData(cmd, state.echo_buffer, allocation);
    case kModeEchoDescriptor: {
      std::vector<std::uint8_t> d(4, 0);  // EBOS 0: one echo buffer for every initiator
      PutBe(d, 2, 2, kEchoCapacity);
      return ReturnData(cmd, d, allocation);
    }
    default:
      return InvalidCdbField(1, 4);
  }
}

ScsiResult CmdWriteBuffer(DriveState& state, const ScsiCommand& cmd) {
  const auto& cdb = cmd.cdb;
  if ((cdb[1] & 0x1F) != kModeEcho) return InvalidCdbField(1, 4);
  const std::size_t length = GetBe(cdb, 6, 3);
  if (length > kEchoCapacity) return InvalidCdbField(6);
  if (cmd.data_out.size() < length) return CheckCondition(kIllegalRequest, kAscParameterListLength);
  state.echo_buffer.assign(cmd.data_out.begin(),
                           cmd.data_out.begin() + static_cast<std::ptrdiff_t>(length));
  return Good();
}

}  // namespace vtape::ssc
