// The --json answers of `vtape` (info, ls, verify, library ...): one JSON
// object on stdout, opened by the same four fields everywhere:
//   {"schema": "vtape-info", "version": 1, "command": "info", "ok": true, ...}
// A schema's version grows only when a field changes meaning or goes away;
// new fields may appear within a version. Each command's help names its
// fields (so vtape(1) documents them; tests/tools check every emitted key is
// named there); the library commands' schema is in library/README.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "vtape/status.h"
#include "vtape/tape.h"

namespace vtape::tool {

struct JsonSchema {
  std::string_view name;  // "vtape-info"
  int version;
};
inline constexpr JsonSchema kInfoSchema{"vtape-info", 1};
inline constexpr JsonSchema kLsSchema{"vtape-ls", 1};
inline constexpr JsonSchema kVerifySchema{"vtape-verify", 1};
inline constexpr JsonSchema kLibraryCliSchema{"vtape-library-cli", 1};

// The four opening fields.
nlohmann::ordered_json JsonHead(const JsonSchema& schema, std::string_view command, bool ok);
// {"degraded", "failed_members", "detail"}; detail is null when not degraded.
nlohmann::ordered_json JsonHealth(const Health& health);
// Prints `answer` indented by 2, invalid UTF-8 replaced, and a newline.
void PrintJson(const nlohmann::ordered_json& answer);
// A failed open or operation as JSON: ok false and
// "error": {"reason": null, "code": "not-found", "message": "WHAT: ..."}; returns
// kExitCannotOperate. `reason` is a refusal's name (library commands) or empty.
int JsonFailure(const JsonSchema& schema, std::string_view command, std::string_view what,
                const Status& status, std::string_view reason = {});

}  // namespace vtape::tool
