#include "tools/command.h"

#include <cstdio>
#include <iostream>

#include "tools/commands.h"
#include "vtape/name.h"

namespace vtape::tool {

void PrintHelp(const Command& command) {
  std::cout << "usage: vtape " << command.name << " " << command.synopsis << "\n\n"
            << command.summary << "\n";
  if (!command.help.empty()) std::cout << "\n" << command.help;
}

int UsageError(const Command& command, std::string_view message) {
  std::cerr << "vtape " << command.name << ": " << message << "\n"
            << "usage: vtape " << command.name << " " << command.synopsis << "\n"
            << "(vtape help " << command.name << " for details)\n";
  return kExitUsage;
}

int OperationError(std::string_view what, const Status& status) {
  std::cerr << "vtape: " << what << ": " << status.ToString() << "\n";
  return kExitCannotOperate;
}

std::string OneParagraph(std::string_view summary) {
  std::string text(summary);
  for (std::size_t at; (at = text.find("\n      ")) != std::string::npos;) text.erase(at + 1, 6);
  return text;
}

void PrintSubcommandHelp(const Command& command, const Subcommand& sub) {
  std::cout << "usage: vtape " << command.name << " " << sub.name << " " << sub.synopsis << "\n\n"
            << OneParagraph(sub.summary) << "\n";
  if (!sub.help.empty()) std::cout << "\n" << sub.help;
}

bool WantsHelp(const Command& command, std::span<const std::string> args) {
  const Subcommand* sub = nullptr;
  if (!args.empty()) {
    for (const Subcommand* s : SubcommandsOf(command)) {
      if (s->name == args[0]) sub = s;
    }
  }
  for (const std::string& a : args) {
    if (a == "--") break;
    if (a == "-h" || a == "--help") {
      if (sub) {
        PrintSubcommandHelp(command, *sub);
      } else {
        PrintHelp(command);
      }
      return true;
    }
  }
  return false;
}

std::string ResolveName(std::string_view typed) {
  return ResolveMediumName(typed);
}

Status OpenMedium(const std::string& name, bool for_write, std::unique_ptr<Tape>& tape) {
  OpenOptions options;
  options.read_only = !for_write;
  return OpenTape(name, options, tape);
}

bool ParseCommandLine(const Command& self, std::span<const std::string> argv, Args& args,
                      int& exit_code) {
  Status parsed = ParseArgs(self.synopsis, self.help, argv, args);
  if (parsed.ok()) return true;
  exit_code = UsageError(self, parsed.message());
  return false;
}

int Failure(bool json, const JsonSchema& schema, const Command& self, std::string_view what,
            const Status& status) {
  return json ? JsonFailure(schema, self.name, what, status) : OperationError(what, status);
}

int OpenAndStat(const Command& self, const JsonSchema& schema, std::span<const std::string> argv,
                OpenedMedium& out) {
  Args& args = out.args;
  if (int rc = kExitOk; !ParseCommandLine(self, argv, args, rc)) return rc;
  if (args.positional.size() != 1) return UsageError(self, "expected exactly one NAME");
  out.json = args.has("--json");
  out.name = ResolveName(args.positional[0]);
  Status s = OpenMedium(out.name, false, out.tape);
  if (!s.ok()) return Failure(out.json, schema, self, "open " + out.name, s);
  s = out.tape->Stat(out.info);
  if (!s.ok()) return Failure(out.json, schema, self, "stat " + out.name, s);
  return kExitOk;
}

std::string HumanBytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 6) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  if (unit == 0) {
    std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  }
  return text;
}

}  // namespace vtape::tool
