// A device's command table and the checks every device runs before a command
// (SPC-4): known opcode, CDB length, pending unit attention, reserved CDB bits.
// The table is the single source of dispatch and of REPORT SUPPORTED OPERATION
// CODES, so what a device says it supports is exactly what it runs.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "handler/spc/device_state.h"
#include "handler/spc/sense.h"

namespace vtape::spc {

using CdbUsage = std::array<std::uint8_t, 16>;

template <class State>
struct CommandInfo {
  std::uint8_t opcode;
  std::optional<std::uint16_t> service_action;  // for opcodes with service actions
  std::uint8_t cdb_length;
  // CDB usage data (REPORT SUPPORTED OPERATION CODES): bit set = the bit may be
  // set by the initiator. Admit rejects CDBs with bits outside it, pointing at
  // the first bad byte and bit. Byte 0 is the opcode.
  CdbUsage usage;
  ScsiResult (*fn)(State&, const ScsiCommand&);
  bool needs_medium;     // the device answers NOT READY first when it has no medium
  bool allowed_with_ua;  // runs despite a pending unit attention (INQUIRY, REQUEST SENSE)
  const char* name;
};

// What REPORT SUPPORTED OPERATION CODES says about one command.
struct CommandSyntax {
  std::uint8_t opcode;
  std::optional<std::uint16_t> service_action;
  std::uint8_t cdb_length;
  CdbUsage usage;
  std::uint32_t recommended_timeout;  // seconds, for the command timeouts descriptor
};

// The service action a CDB names: byte 1 bits 4-0 of MAINTENANCE IN (A3h) and
// MAINTENANCE OUT (A4h), 0 for every other opcode.
std::uint16_t ServiceActionOf(std::span<const std::uint8_t> cdb);

// The answer to a CDB no table row matches: INVALID FIELD IN CDB at the service
// action of a known service-action opcode, INVALID COMMAND OPERATION CODE otherwise.
ScsiResult UnknownCommand(std::span<const std::uint8_t> cdb);

// The first CDB bit set outside `usage`: {byte, bit}. Ignores the SCSI-2 LUN
// field of INQUIRY (see command_table.cc).
std::optional<std::pair<std::uint16_t, std::int8_t>> FirstReservedBit(
    std::uint8_t opcode, std::uint8_t cdb_length, const CdbUsage& usage,
    std::span<const std::uint8_t> cdb);

template <class State>
const CommandInfo<State>* FindCommand(std::span<const CommandInfo<State>> table,
                                      std::uint8_t opcode, std::uint16_t service_action) {
  for (const CommandInfo<State>& c : table) {
    if (c.opcode != opcode) continue;
    if (c.service_action && *c.service_action != service_action) continue;
    return &c;
  }
  return nullptr;
}

// The SPC checks before a command runs. Returns the row to run, or nullptr with
// `refusal` set to the answer. A pending unit attention is reported (and
// cleared) before the CDB's reserved bits are looked at.
template <class State>
const CommandInfo<State>* Admit(DeviceState& state, std::span<const CommandInfo<State>> table,
                                const ScsiCommand& command, ScsiResult& refusal) {
  const auto& cdb = command.cdb;
  if (cdb.empty()) {
    refusal = CheckCondition(kIllegalRequest, kAscInvalidOpcode);
    return nullptr;
  }
  const CommandInfo<State>* info = FindCommand(table, cdb[0], ServiceActionOf(cdb));
  if (info == nullptr) {
    refusal = UnknownCommand(cdb);
    return nullptr;
  }
  if (cdb.size() < info->cdb_length) {
    refusal = CheckCondition(kIllegalRequest, kAscInvalidFieldInCdb);
    return nullptr;
  }
  if (!info->allowed_with_ua) {
    if (std::optional<Asc> ua = state.TakeUnitAttention()) {
      refusal = CheckCondition(kUnitAttention, *ua);
      return nullptr;
    }
  }
  if (auto bad = FirstReservedBit(info->opcode, info->cdb_length, info->usage, cdb)) {
    refusal = InvalidCdbField(bad->first, bad->second);
    return nullptr;
  }
  return info;
}

// The table as REPORT SUPPORTED OPERATION CODES describes it.
template <class State>
std::vector<CommandSyntax> Syntaxes(std::span<const CommandInfo<State>> table,
                                    std::uint32_t (*timeout)(const CommandInfo<State>&)) {
  std::vector<CommandSyntax> out;
  out.reserve(table.size());
  for (const CommandInfo<State>& c : table) {
    out.push_back({c.opcode, c.service_action, c.cdb_length, c.usage, timeout(c)});
  }
  return out;
}

// REPORT SUPPORTED OPERATION CODES (SPC-4 6.35) over `commands`.
ScsiResult ReportSupportedOpcodes(std::span<const CommandSyntax> commands,
                                  const ScsiCommand& command);

}  // namespace vtape::spc
