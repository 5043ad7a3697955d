// The options a command accepts, read from its table entry (tools/commands.h):
// the synopsis and the help's option lines are the one place an option is
// declared. The parser (args.cc), the bash completion and vtape(1) all take
// them from there, so what the tool accepts is what it documents.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vtape::tool {

struct OptionSpec {
  std::string name;  // "--capacity"
  bool takes_value = false;
  std::string placeholder;  // "SIZE" (the help's, else the synopsis's), for messages
};

// The options a command documents: those in its synopsis ("[--capacity SIZE]")
// and in its help's option lines ("  --capacity SIZE  ..."), plus --help. An
// option takes a value when a placeholder follows it in either place.
std::vector<OptionSpec> OptionsOf(std::string_view synopsis, std::string_view help);

// `text` split at white space.
std::vector<std::string_view> Words(std::string_view text);

}  // namespace vtape::tool
