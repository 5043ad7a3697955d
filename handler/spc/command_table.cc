// The device-independent part of dispatch and REPORT SUPPORTED OPERATION CODES.
#include "handler/spc/command_table.h"

#include "handler/spc/cdb.h"
#include "handler/spc/data_in.h"

namespace vtape::spc {
namespace {

constexpr std::uint8_t kMaintenanceIn = 0xA3, kMaintenanceOut = 0xA4;
constexpr std::uint8_t kInquiry = 0x12;

// Bits the dispatcher ignores although the usage data does not list them: the
// SCSI-2 LUN field (byte 1, bits 7-5) of INQUIRY. Linux fills it in while it
// still takes a new target for SCSI-2, i.e. in its first INQUIRY to a LUN other
// than 0 when LUN 0 is not known yet (restoreconfig links a tcm_loop target's
// LUNs 3, 2, 1, 0); refusing that INQUIRY hides the LUN from the host. SPC
// allows ignoring reserved bits.
std::uint8_t IgnoredBits(std::uint8_t opcode, std::size_t byte) {
  return opcode == kInquiry && byte == 1 ? 0xE0 : 0x00;
}

void AppendTimeouts(std::vector<std::uint8_t>& d, const CommandSyntax& c) {
  const std::size_t at = d.size();
  d.resize(at + 12, 0);
  PutBe(d, at, 2, 10);  // descriptor length; nominal time 0: not specified
  PutBe(d, at + 8, 4, c.recommended_timeout);
}

// The CDB usage data: the table's mask, with the service action in its field
// (SPC-4: the usage data carries the service action's value, not a mask).
std::vector<std::uint8_t> UsageData(const CommandSyntax& c) {
  std::vector<std::uint8_t> u(c.usage.begin(), c.usage.begin() + c.cdb_length);
  u[0] = c.opcode;
  if (c.service_action) u[1] = static_cast<std::uint8_t>((u[1] & 0xE0) | *c.service_action);
  return u;
}

bool HasServiceActions(std::span<const CommandSyntax> commands, std::uint8_t opcode) {
  for (const CommandSyntax& c : commands) {
    if (c.opcode == opcode && c.service_action) return true;
  }
  return false;
}

const CommandSyntax* Find(std::span<const CommandSyntax> commands, std::uint8_t opcode,
                          std::uint16_t service_action) {
  for (const CommandSyntax& c : commands) {
    if (c.opcode != opcode) continue;
    if (c.service_action && *c.service_action != service_action) continue;
    return &c;
  }
  return nullptr;
}

std::vector<std::uint8_t> OneCommand(const CommandSyntax* c, bool rctd) {
  std::vector<std::uint8_t> d(4, 0);
  if (c == nullptr) {
    d[1] = 0x01;  // SUPPORT 001b: not supported
    return d;
  }
  d[1] = static_cast<std::uint8_t>((rctd ? 0x80 : 0) | 0x03);  // CTDP, SUPPORT 011b
  PutBe(d, 2, 2, c->cdb_length);
  auto usage = UsageData(*c);
  Append(d, usage);
  if (rctd) AppendTimeouts(d, *c);
  return d;
}

}  // namespace

std::uint16_t ServiceActionOf(std::span<const std::uint8_t> cdb) {
  if (cdb.size() > 1 && (cdb[0] == kMaintenanceIn || cdb[0] == kMaintenanceOut)) {
    return cdb[1] & 0x1F;
  }
  return 0;
}

ScsiResult UnknownCommand(std::span<const std::uint8_t> cdb) {
  if (!cdb.empty() && (cdb[0] == kMaintenanceIn || cdb[0] == kMaintenanceOut)) {
    return InvalidCdbField(1, 4);
  }
  return CheckCondition(kIllegalRequest, kAscInvalidOpcode);
}

std::optional<std::pair<std::uint16_t, std::int8_t>> FirstReservedBit(
    std::uint8_t opcode, std::uint8_t cdb_length, const CdbUsage& usage,
    std::span<const std::uint8_t> cdb) {
  for (std::size_t i = 1; i < cdb_length; ++i) {
    std::uint8_t bad = cdb[i] & static_cast<std::uint8_t>(~(usage[i] | IgnoredBits(opcode, i)));
    for (int bit = 7; bad != 0 && bit >= 0; --bit) {
      if (bad & (1u << bit)) return std::pair<std::uint16_t, std::int8_t>(i, bit);
    }
  }
  return std::nullopt;
}

ScsiResult ReportSupportedOpcodes(std::span<const CommandSyntax> commands,
                                  const ScsiCommand& command) {
  const auto& cdb = command.cdb;
  const bool rctd = cdb[2] & 0x80;
  const std::uint8_t options = cdb[2] & 0x07;
  const std::uint8_t opcode = cdb[3];
  const auto service_action = static_cast<std::uint16_t>(GetBe(cdb, 4, 2));
  const std::size_t allocation = GetBe(cdb, 6, 4);

  std::vector<std::uint8_t> d;
  switch (options) {
    case 0x0: {  // all commands
      d.assign(4, 0);
      for (const CommandSyntax& c : commands) {
        const std::size_t at = d.size();
        d.resize(at + 8, 0);
        d[at] = c.opcode;
        PutBe(d, at + 2, 2, c.service_action.value_or(0));
        d[at + 5] = static_cast<std::uint8_t>((rctd ? 0x02 : 0) | (c.service_action ? 0x01 : 0));
        PutBe(d, at + 6, 2, c.cdb_length);
        if (rctd) AppendTimeouts(d, c);
      }
      PutBe(d, 0, 4, d.size() - 4);
      break;
    }
    case 0x1:  // one opcode without service actions
      if (HasServiceActions(commands, opcode)) return InvalidCdbField(3);
      d = OneCommand(Find(commands, opcode, 0), rctd);
      break;
    case 0x2:  // one opcode with a service action
      if (!HasServiceActions(commands, opcode)) return InvalidCdbField(3);
      d = OneCommand(Find(commands, opcode, service_action), rctd);
      break;
    case 0x3:  // one opcode; the service action counts only if it has them
      d = OneCommand(
          Find(commands, opcode, HasServiceActions(commands, opcode) ? service_action : 0), rctd);
      break;
    default:
      return InvalidCdbField(2, 2);
  }
  return ReturnData(command, d, allocation);
}

}  // namespace vtape::spc
