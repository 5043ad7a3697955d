#include "rait/spec.h"

#include <algorithm>
#include <set>
#include <thread>

#include "rait/format.h"
#include "vtape/name.h"
#include "vtape/registry.h"

namespace vtape::rait {
namespace {

// Index of the first ';' outside braces, or npos.
std::size_t FindOptions(std::string_view rest) {
  int depth = 0;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '{') ++depth;
    if (rest[i] == '}') --depth;
    if (rest[i] == ';' && depth == 0) return i;
  }
  return std::string_view::npos;
}

Status ParseOptions(std::string_view options, RaitSpec& spec) {
  while (!options.empty()) {
    std::size_t semi = options.find(';');
    std::string_view item = options.substr(0, semi);
    options = semi == std::string_view::npos ? std::string_view() : options.substr(semi + 1);
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument("rait option '" + std::string(item) + "' needs KEY=VALUE");
    }
    std::string_view key = item.substr(0, eq);
    std::string_view value = item.substr(eq + 1);
    if (key == "degraded_writes") {
      if (value != "allow" && value != "refuse") {
        return Status::InvalidArgument("degraded_writes takes allow or refuse, not '" +
                                       std::string(value) + "'");
      }
      spec.degraded_writes = value == "allow";
    } else if (key == "parallel") {
      const auto known = {ParallelWrites::kAuto, ParallelWrites::kOn, ParallelWrites::kOff};
      auto it = std::find_if(known.begin(), known.end(),
                             [&](ParallelWrites p) { return ParallelWritesName(p) == value; });
      if (it == known.end()) {
        return Status::InvalidArgument("parallel takes auto, on or off, not '" +
                                       std::string(value) + "'");
      }
      spec.parallel = *it;
    } else {
      return Status::InvalidArgument(
          "unknown rait option '" + std::string(key) +
          "' (known: degraded_writes=allow|refuse, parallel=auto|on|off)");
    }
  }
  return Status::Ok();
}

Status CheckMember(const std::string& member) {
  std::string_view prefix, rest;
  VTAPE_RETURN_IF_ERROR(SplitPrefix(member, prefix, rest));
  std::vector<std::string> known = RegisteredPrefixes();
  if (std::find(known.begin(), known.end(), prefix) == known.end()) {
    std::string list;
    for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
    return Status::InvalidArgument("rait member '" + member + "' has unknown prefix '" +
                                   std::string(prefix) + ":' (known: " + list + ")");
  }
  return Status::Ok();
}

// mem: and null: open a fresh medium every time, so naming them twice is fine.
bool Persistent(const std::string& member) {
  return !member.starts_with("mem:") && !member.starts_with("null:");
}

}  // namespace

Status ParseRaitName(std::string_view rest, RaitSpec& spec) {
  spec = RaitSpec{};
  std::size_t semi = FindOptions(rest);
  std::string body(rest.substr(0, semi));
  if (semi != std::string_view::npos) {
    VTAPE_RETURN_IF_ERROR(ParseOptions(rest.substr(semi + 1), spec));
  }
  // Options may also close the brace list, {A,B,C;degraded_writes=refuse}, which
  // survives a drive config string that splits at ';' outside braces.
  if (body.size() > 2 && body.front() == '{' && body.back() == '}') {
    std::string_view inner = std::string_view(body).substr(1, body.size() - 2);
    std::size_t inner_semi = FindOptions(inner);
    if (inner_semi != std::string_view::npos) {
      VTAPE_RETURN_IF_ERROR(ParseOptions(inner.substr(inner_semi + 1), spec));
      body = std::string("{").append(inner.substr(0, inner_semi)).append("}");
    }
  }
  if (body.empty()) {
    return Status::InvalidArgument(
        "rait: needs members: rait:{NAME,NAME,...} or rait:file:/t/t1-{a,b,c}.img");
  }
  Status parsed =
      body.front() == '{' ? SplitBraceList(body, spec.members) : ExpandBraces(body, spec.members);
  if (!parsed.ok()) {
    return Status::InvalidArgument("rait:" + std::string(rest) + ": " + parsed.message());
  }
  if (spec.members.size() < 2 || spec.members.size() > kMaxMembers) {
    return Status::InvalidArgument("rait:" + std::string(rest) + " names " +
                                   std::to_string(spec.members.size()) +
                                   " member(s); a set has 2 to 32");
  }
  // A member whose own name holds commas may stand in braces: {{mem:a=1,b=2},mem:}.
  for (std::string& member : spec.members) {
    std::size_t close = 0;
    if (member.front() == '{' && MatchBrace(member, 0, close).ok() && close == member.size() - 1) {
      member = member.substr(1, member.size() - 2);
    }
  }
  std::set<std::string> seen;
  for (const std::string& member : spec.members) {
    VTAPE_RETURN_IF_ERROR(CheckMember(member));
    if (Persistent(member) && !seen.insert(member).second) {
      return Status::InvalidArgument("rait member '" + member + "' is named twice");
    }
  }
  return Status::Ok();
}

std::string_view ParallelWritesName(ParallelWrites parallel) {
  switch (parallel) {
    case ParallelWrites::kOn:
      return "on";
    case ParallelWrites::kOff:
      return "off";
    case ParallelWrites::kAuto:
      break;
  }
  return "auto";
}

bool WritesInParallel(const RaitSpec& spec) {
  if (spec.parallel != ParallelWrites::kAuto) return spec.parallel == ParallelWrites::kOn;
  return std::thread::hardware_concurrency() >= spec.members.size();
}

}  // namespace vtape::rait
