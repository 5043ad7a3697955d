#include "tools/json_output.h"

#include <iostream>

#include "tools/command.h"

namespace vtape::tool {

using nlohmann::ordered_json;

ordered_json JsonHead(const JsonSchema& schema, std::string_view command, bool ok) {
  ordered_json answer;
  answer["schema"] = schema.name;
  answer["version"] = schema.version;
  answer["command"] = command;
  answer["ok"] = ok;
  return answer;
}

ordered_json JsonHealth(const Health& health) {
  return {{"degraded", health.degraded},
          {"failed_members", health.failed_members},
          {"detail", health.degraded ? ordered_json(health.detail) : ordered_json(nullptr)}};
}

void PrintJson(const ordered_json& answer) {
  std::cout << answer.dump(2, ' ', false, ordered_json::error_handler_t::replace) << "\n";
}

int JsonFailure(const JsonSchema& schema, std::string_view command, std::string_view what,
                const Status& status, std::string_view reason) {
  ordered_json answer = JsonHead(schema, command, false);
  answer["error"] = {{"reason", reason.empty() ? ordered_json(nullptr) : ordered_json(reason)},
                     {"code", CodeName(status.code())},
                     {"message", std::string(what) + ": " + status.message()}};
  PrintJson(answer);
  return kExitCannotOperate;
}

}  // namespace vtape::tool
