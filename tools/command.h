// What every `vtape` subcommand shares: its table entry, exit codes, and the
// small helpers for opening a medium and reporting failures the same way.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "tools/args.h"
#include "tools/json_output.h"
#include "vtape/registry.h"
#include "vtape/status.h"
#include "vtape/tape.h"

namespace vtape::tool {

// Exit codes of the `vtape` tool.
inline constexpr int kExitOk = 0;
inline constexpr int kExitDataProblem = 1;    // verify/dump met unreadable records
inline constexpr int kExitUsage = 2;          // bad command line
inline constexpr int kExitCannotOperate = 3;  // cannot open the medium or run the operation

// What each exit code means, as `vtape --help` and vtape(1) say it.
struct ExitCode {
  int code;
  std::string_view meaning;
};
inline constexpr ExitCode kExitCodes[] = {
    {kExitOk, "success"},
    {kExitDataProblem, "a data problem was found (verify, dump: unreadable records)"},
    {kExitUsage, "usage error (bad command line)"},
    {kExitCannotOperate,
     "the medium or library cannot be opened, or the operation was refused or failed"},
};

struct Command {
  std::string_view name;      // "verify"
  std::string_view synopsis;  // "NAME"
  std::string_view summary;   // one line for `vtape --help`
  std::string_view help;      // the rest of `vtape help verify`
  // Runs with the arguments after the subcommand name; returns an exit code.
  int (*run)(std::span<const std::string> args);
};

// A subcommand of a command (`vtape library move`): the same fields.
struct Subcommand {
  std::string_view name;      // "move"
  std::string_view synopsis;  // "DIR FROM TO [--json]"
  std::string_view summary;   // one line (continuation lines indented by 6)
  std::string_view help;      // the rest of `vtape library move --help`
  int (*run)(std::span<const std::string> args);
};

// The table entries, one per cmd_*.cc.
const Command& CreateCommand();
const Command& InfoCommand();
const Command& LsCommand();
const Command& VerifyCommand();
const Command& DumpCommand();
const Command& ProtectCommand();
const Command& UpgradeCommand();  // file: images only
const Command& LibraryCommand();  // cmd_library.cc, its subcommands cmd_library_*.cc
const Command& CopyCommand();       // any backend to any backend
const Command& BreakLockCommand();  // rados: cartridges (rados/rados.h)
// `vtape rebuild`: defined in tools/rait_rebuild.cc (RAIT engineer). When that
// file exists, tools/CMakeLists.txt compiles it and main.cc lists the command.
const Command& RebuildCommand();

// "vtape verify: MESSAGE" and the synopsis on stderr; returns kExitUsage.
int UsageError(const Command& command, std::string_view message);
// Parses argv against the options the command's synopsis and help document
// (ParseArgs); false after printing a usage error, with `exit_code` set.
bool ParseCommandLine(const Command& self, std::span<const std::string> argv, Args& args,
                      int& exit_code);
// "vtape: WHAT: STATUS" on stderr; returns kExitCannotOperate.
int OperationError(std::string_view what, const Status& status);
// True (and prints the help) when args ask for it (-h, --help): the help of
// the subcommand args[0] names, if the command has subcommands and it names one.
bool WantsHelp(const Command& command, std::span<const std::string> args);
void PrintHelp(const Command& command);
void PrintSubcommandHelp(const Command& command, const Subcommand& sub);
// A subcommand's summary without the 6-space indent its continuation lines
// carry for `vtape help library`'s list.
std::string OneParagraph(std::string_view summary);

// A backend name as typed: vtape::ResolveMediumName (vtape/registry.h), the rule
// the handler's config string follows too: "file:/x.img", "rait:{...}", or a
// path that means file:PATH (anything whose text before ':' is no registered
// prefix). The tool takes relative paths from its working directory.
std::string ResolveName(std::string_view typed);
// Opens the medium, read-only unless `for_write`.
Status OpenMedium(const std::string& name, bool for_write, std::unique_ptr<Tape>& tape);

// "vtape: WHAT: STATUS" on stderr, or with `json` the answer JsonFailure
// prints on stdout; returns kExitCannotOperate either way.
int Failure(bool json, const JsonSchema& schema, const Command& self, std::string_view what,
            const Status& status);

// A read-only command on one medium: NAME [--json].
struct OpenedMedium {
  std::string name;  // resolved
  bool json = false;
  Args args;  // the command line, parsed
  std::unique_ptr<Tape> tape;
  MediumInfo info;
};
// The start info, ls and verify share: parses argv (one NAME, --json), resolves
// and opens the name read only, and reads its label. Returns kExitOk, or the
// exit code to return after it printed why.
int OpenAndStat(const Command& self, const JsonSchema& schema, std::span<const std::string> argv,
                OpenedMedium& out);

// "1.5 GiB" style for people; exact byte counts are printed next to it.
std::string HumanBytes(std::uint64_t bytes);

}  // namespace vtape::tool
