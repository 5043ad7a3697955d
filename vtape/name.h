// Parsing of backend names. Brace lists nest: rait:{file:/a,fault:{write@3=eio}file:/b}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vtape/status.h"

namespace vtape {

// "file:/x" -> prefix "file", rest "/x". The prefix is [a-z0-9_]+.
Status SplitPrefix(std::string_view name, std::string_view& prefix, std::string_view& rest);

// "{a,b{c,d},e}" -> {"a", "b{c,d}", "e"}: splits a brace list at its top-level
// commas. The text must be exactly one balanced brace list; empty items are errors.
Status SplitBraceList(std::string_view text, std::vector<std::string>& items);

// Finds the first top-level brace group in `text` (possibly nested) and returns
// the matching close brace's index in `close`. kInvalidArgument when unbalanced.
Status MatchBrace(std::string_view text, std::size_t open, std::size_t& close);

// Shell-style expansion of exactly one brace list inside a word:
// "file:/t/t1-{a,b,c}.img" -> {"file:/t/t1-a.img", "file:/t/t1-b.img", "file:/t/t1-c.img"}.
// A word without braces expands to itself.
Status ExpandBraces(std::string_view word, std::vector<std::string>& out);

}  // namespace vtape
