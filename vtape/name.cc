#include "vtape/name.h"

namespace vtape {

Status SplitPrefix(std::string_view name, std::string_view& prefix, std::string_view& rest) {
  std::size_t colon = name.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Status::InvalidArgument("backend name '" + std::string(name) +
                                   "' has no prefix: expected PREFIX:REST, e.g. file:/tapes/a.img");
  }
  for (char c : name.substr(0, colon)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return Status::InvalidArgument("backend name '" + std::string(name) +
                                     "': prefix may hold only a-z, 0-9 and _");
    }
  }
  prefix = name.substr(0, colon);
  rest = name.substr(colon + 1);
  return Status::Ok();
}

Status MatchBrace(std::string_view text, std::size_t open, std::size_t& close) {
  if (open >= text.size() || text[open] != '{') {
    return Status::InvalidArgument("expected '{' at offset " + std::to_string(open) + " of '" +
                                   std::string(text) + "'");
  }
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) {
      close = i;
      return Status::Ok();
    }
  }
  return Status::InvalidArgument("unbalanced '{' in '" + std::string(text) + "'");
}

Status SplitBraceList(std::string_view text, std::vector<std::string>& items) {
  items.clear();
  std::size_t close = 0;
  VTAPE_RETURN_IF_ERROR(MatchBrace(text, 0, close));
  if (close != text.size() - 1) {
    return Status::InvalidArgument("unexpected text after '}' in '" + std::string(text) + "'");
  }
  int depth = 0;
  std::size_t start = 1;
  for (std::size_t i = 1; i < close; ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}') --depth;
    if (text[i] == ',' && depth == 0) {
      items.emplace_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  items.emplace_back(text.substr(start, close - start));
  for (const std::string& item : items) {
    if (item.empty()) {
      return Status::InvalidArgument("empty item in list '" + std::string(text) + "'");
    }
  }
  return Status::Ok();
}

Status ExpandBraces(std::string_view word, std::vector<std::string>& out) {
  out.clear();
  std::size_t open = word.find('{');
  if (open == std::string_view::npos) {
    if (word.find('}') != std::string_view::npos) {
      return Status::InvalidArgument("unbalanced '}' in '" + std::string(word) + "'");
    }
    out.emplace_back(word);
    return Status::Ok();
  }
  std::size_t close = 0;
  VTAPE_RETURN_IF_ERROR(MatchBrace(word, open, close));
  std::string_view head = word.substr(0, open);
  std::string_view tail = word.substr(close + 1);
  if (tail.find_first_of("{}") != std::string_view::npos) {
    return Status::InvalidArgument("only one brace list may stand in '" + std::string(word) + "'");
  }
  std::vector<std::string> items;
  VTAPE_RETURN_IF_ERROR(SplitBraceList(word.substr(open, close - open + 1), items));
  for (const std::string& item : items) {
    out.push_back(std::string(head) + item + std::string(tail));
  }
  return Status::Ok();
}

}  // namespace vtape
