// vtape(1) in roff, rendered from the command table (tools/commands.h) that
// `vtape --help` prints, so the page cannot drift from the tool.
#pragma once

#include <string>
#include <string_view>

namespace vtape::tool {

// The whole page; `version` goes into its header.
std::string RenderManPage(std::string_view version);

// The pieces, exposed for the tests:
// Text safe in a roff line: backslashes, hyphens (\-, so options copy and paste
// as typed) and a leading '.' or '\''.
std::string RoffEscape(std::string_view text);
// A synopsis or option term: options and lowercase words bold, placeholders italic.
std::string RoffTerm(std::string_view term);
// A command's help text: "  TERM  BODY" lines (body continued on lines indented
// more than two spaces) become .TP entries, other lines paragraphs.
std::string HelpToRoff(std::string_view help);

}  // namespace vtape::tool
