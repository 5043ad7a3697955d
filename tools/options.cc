#include "tools/options.h"

#include <algorithm>
#include <cctype>

namespace vtape::tool {
namespace {

std::string_view StripBrackets(std::string_view w) {
  while (!w.empty() && (w.front() == '[' || w.front() == '|')) w.remove_prefix(1);
  while (!w.empty() && (w.back() == ']' || w.back() == ',')) w.remove_suffix(1);
  return w;
}

bool IsOption(std::string_view w) {
  return w.size() > 2 && w.starts_with("--") && std::islower(static_cast<unsigned char>(w[2]));
}

// A later placeholder (the help's) replaces an earlier one (the synopsis's,
// which may be a default such as "1" in "[--drives 1]").
void Add(std::vector<OptionSpec>& options, std::string_view name, bool takes_value,
         std::string_view placeholder) {
  for (OptionSpec& o : options) {
    if (o.name == name) {
      o.takes_value = o.takes_value || takes_value;
      if (takes_value) o.placeholder = placeholder;
      return;
    }
  }
  options.push_back({std::string(name), takes_value, std::string(takes_value ? placeholder : "")});
}

}  // namespace

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    words.push_back(text.substr(i, end - i));
    i = end;
  }
  return words;
}

std::vector<OptionSpec> OptionsOf(std::string_view synopsis, std::string_view help) {
  std::vector<OptionSpec> options;
  std::vector<std::string_view> words = Words(synopsis);
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string_view w = StripBrackets(words[i]);
    if (!IsOption(w)) continue;
    // A value follows inside the same bracket: "[--capacity SIZE]" but not "[--force]".
    bool value = !words[i].ends_with(']') && i + 1 < words.size() && words[i + 1] != "|" &&
                 !StripBrackets(words[i + 1]).starts_with('-');
    Add(options, w, value, value ? StripBrackets(words[i + 1]) : "");
  }
  std::size_t start = 0;
  while (start < help.size()) {
    std::size_t nl = help.find('\n', start);
    std::string_view line = help.substr(start, nl == std::string_view::npos ? nl : nl - start);
    start = nl == std::string_view::npos ? help.size() : nl + 1;
    if (!line.starts_with("  --")) continue;
    // "  --capacity SIZE  text": a placeholder (upper case) after the option = a value.
    std::vector<std::string_view> t = Words(line);
    bool value = t.size() > 1 && std::none_of(t[1].begin(), t[1].end(),
                                              [](unsigned char c) { return std::islower(c) != 0; });
    if (!t.empty() && IsOption(t[0])) Add(options, t[0], value, value ? t[1] : "");
  }
  Add(options, "--help", false, "");
  return options;
}

}  // namespace vtape::tool
