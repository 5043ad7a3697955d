// vtape(1) and the bash completion are rendered from the command table that
// --help prints (tools/commands.h, tools/docgen.cc). These tests check the
// renderers, that --help answers for every command and subcommand, that the
// help explains every option a synopsis names, and that every option the
// tool's sources parse is on the generated page.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "tests/tools/tool_run.h"
#include "tools/commands.h"
#include "tools/completion.h"
#include "tools/manpage.h"

namespace vtape::tool {
namespace {

class DocsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vtape_docs_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    scratch_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(scratch_); }
  ToolRun Run(std::vector<std::string> args) { return RunVtapeTool(std::move(args), scratch_); }
  std::string scratch_;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string HelpOf(const Command& c) {
  return "usage: vtape " + std::string(c.name) + " " + std::string(c.synopsis) + "\n\n" +
         std::string(c.summary) + "\n" + (c.help.empty() ? "" : "\n" + std::string(c.help));
}

std::string HelpOf(const Command& c, const Subcommand& s) {
  return "usage: vtape " + std::string(c.name) + " " + std::string(s.name) + " " +
         std::string(s.synopsis) + "\n\n" + OneParagraph(s.summary) + "\n" +
         (s.help.empty() ? "" : "\n" + std::string(s.help));
}

TEST(ManPage, RoffEscapeKeepsOptionsTypable) {
  EXPECT_EQ(RoffEscape("--capacity"), "\\-\\-capacity");
  EXPECT_EQ(RoffEscape("a\\b"), "a\\eb");
  EXPECT_EQ(RoffEscape(".hidden"), "\\&.hidden");
  EXPECT_EQ(RoffEscape("'quoted'"), "\\&'quoted'");
}

TEST(ManPage, TermsMarkOptionsBoldAndPlaceholdersItalic) {
  EXPECT_EQ(RoffTerm("NAME [--media LTO-8] [--force]"),
            "\\fINAME\\fR [\\fB\\-\\-media\\fR \\fILTO\\-8\\fR] [\\fB\\-\\-force\\fR]");
  EXPECT_EQ(RoffTerm("NAME on|off"), "\\fINAME\\fR \\fBon\\fR|\\fBoff\\fR");
  EXPECT_EQ(RoffTerm("DIR [--drives 1]"), "\\fIDIR\\fR [\\fB\\-\\-drives\\fR 1]");
}

TEST(ManPage, HelpOptionLinesBecomeTaggedParagraphs) {
  EXPECT_EQ(HelpToRoff("Text one\nand two.\n"
                       "  --size SIZE    the size;\n"
                       "                 more of it\n"
                       "  --flag         a flag\n"
                       "  --a-long-option SIZE fills the column\n"
                       "\n"
                       "After.\n"),
            ".PP\nText one\nand two.\n"
            ".TP\n\\fB\\-\\-size\\fR \\fISIZE\\fR\nthe size;\nmore of it\n"
            ".TP\n\\fB\\-\\-flag\\fR\na flag\n"
            ".TP\n\\fB\\-\\-a\\-long\\-option\\fR \\fISIZE\\fR\nfills the column\n"
            ".PP\nAfter.\n");
}

TEST(Completion, OptionsComeFromSynopsisAndHelp) {
  std::vector<OptionSpec> o = OptionsOf("NAME [--capacity SIZE] [--force] [--slot N | --ie N]",
                                        "  --extra X   help only\n");
  std::vector<std::pair<std::string, bool>> got;
  for (const OptionSpec& s : o) got.emplace_back(s.name, s.takes_value);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, bool>>{{"--capacity", true},
                                                            {"--force", false},
                                                            {"--slot", true},
                                                            {"--ie", true},
                                                            {"--extra", true},
                                                            {"--help", false}}));
  EXPECT_EQ(PositionalChoices("NAME on|off"), (std::vector<std::string>{"", "on off"}));
  EXPECT_EQ(PositionalChoices("DIR FROM TO [--json]"), (std::vector<std::string>{"", "", ""}));
}

TEST_F(DocsTest, EveryCommandAndSubcommandAnswersHelp) {
  for (const Command* c : AllCommands()) {
    for (const char* flag : {"--help", "-h"}) {
      ToolRun r = Run({std::string(c->name), flag});
      EXPECT_EQ(r.exit_code, 0) << c->name << " " << flag;
      EXPECT_EQ(r.out, HelpOf(*c)) << c->name << " " << flag;
    }
    ToolRun r = Run({"help", std::string(c->name)});
    EXPECT_EQ(r.exit_code, 0) << c->name;
    EXPECT_EQ(r.out, HelpOf(*c)) << c->name;
    for (const Subcommand* s : SubcommandsOf(*c)) {
      r = Run({std::string(c->name), std::string(s->name), "DIR", "--help"});
      EXPECT_EQ(r.exit_code, 0) << c->name << " " << s->name;
      EXPECT_EQ(r.out, HelpOf(*c, *s)) << c->name << " " << s->name;
      r = Run({"help", std::string(c->name), std::string(s->name)});
      EXPECT_EQ(r.out, HelpOf(*c, *s)) << c->name << " " << s->name;
    }
  }
  ToolRun r = Run({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  std::ostringstream overview;
  PrintOverview(overview);
  EXPECT_EQ(r.out, overview.str());
}

// What the tool accepts is what the table documents (ParseArgs reads the
// options from the synopsis and help): an undocumented option is refused with
// exit code 2 and the usage line, and so is every documented option that takes
// a value but is given none.
TEST_F(DocsTest, BadOptionsExitTwoWithAReasonAndTheUsage) {
  auto check = [&](std::vector<std::string> args, const std::string& usage,
                   const std::string& reason) {
    ToolRun r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << testing::PrintToString(args);
    EXPECT_EQ(r.out, "") << testing::PrintToString(args);
    EXPECT_NE(r.err.find(reason), std::string::npos) << testing::PrintToString(args) << r.err;
    EXPECT_NE(r.err.find("usage: vtape " + usage), std::string::npos) << r.err;
  };
  int checked = 0;
  auto check_all = [&](const std::string& prefix, std::string_view synopsis,
                       std::string_view help) {
    std::vector<std::string> words;
    std::istringstream split(prefix);
    for (std::string w; split >> w;) words.push_back(w);
    std::vector<std::string> args = words;
    args.insert(args.end(), {"x", "y", "--no-such-option"});
    check(args, prefix + " " + std::string(synopsis), "unknown option --no-such-option");
    for (const OptionSpec& o : OptionsOf(synopsis, help)) {
      args = words;
      if (o.takes_value) {
        args.insert(args.end(), {"x", o.name});
        check(args, prefix, o.name + ": 1 required " + o.placeholder + " missing");
      } else if (o.name != "--help") {
        args.insert(args.end(), {"x", o.name + "=1"});
        check(args, prefix, "option " + o.name + " takes no value");
      }
      ++checked;
    }
  };
  for (const Command* c : AllCommands()) {
    if (SubcommandsOf(*c).empty()) check_all(std::string(c->name), c->synopsis, c->help);
    for (const Subcommand* s : SubcommandsOf(*c)) {
      check_all(std::string(c->name) + " " + std::string(s->name), s->synopsis, s->help);
    }
  }
  EXPECT_GE(checked, 40);
}

std::set<std::string> OptionsIn(std::string_view text) {
  std::set<std::string> found;
  static const std::regex kOption("--[a-z][a-z-]*");
  std::string s(text);
  for (std::sregex_iterator it(s.begin(), s.end(), kOption), end; it != end; ++it) {
    found.insert(it->str());
  }
  return found;
}

// Options in a help's option lines ("  --capacity SIZE  ...").
std::set<std::string> ExplainedOptions(std::string_view help) {
  std::set<std::string> found;
  std::istringstream in{std::string(help)};
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("  --")) found.insert(line.substr(2, line.find(' ', 2) - 2));
  }
  return found;
}

TEST(Docs, EveryOptionOfASynopsisIsExplainedInItsHelp) {
  for (const Command* c : AllCommands()) {
    std::set<std::string> explained = ExplainedOptions(c->help);
    if (SubcommandsOf(*c).empty()) {
      for (const std::string& o : OptionsIn(c->synopsis)) {
        EXPECT_TRUE(explained.count(o)) << "vtape " << c->name << ": " << o;
      }
    }
    for (const Subcommand* s : SubcommandsOf(*c)) {
      std::set<std::string> sub_explained = ExplainedOptions(s->help);
      for (const std::string& o : OptionsIn(s->synopsis)) {
        EXPECT_TRUE(sub_explained.count(o)) << "vtape " << c->name << " " << s->name << ": " << o;
      }
    }
  }
}

// An option added to a parser (tools/cmd_*.cc) but to no synopsis or help
// would be missing from vtape(1) and the completion: every "--name" literal of
// the tool's sources must be on the generated page.
TEST(Docs, EveryOptionTheSourcesParseIsOnTheManPage) {
  std::string page = Slurp(VTAPE_MAN1_PATH);
  ASSERT_FALSE(page.empty()) << VTAPE_MAN1_PATH;
  std::set<std::string> options;
  for (const auto& entry : std::filesystem::directory_iterator(VTAPE_SOURCE_DIR "/tools")) {
    std::string name = entry.path().filename();
    if (!name.ends_with(".cc") || name == "docgen.cc" || name == "manpage.cc" ||
        name == "completion.cc") {
      continue;
    }
    static const std::regex kLiteral("\"(--[a-z][a-z-]*)\"");
    std::string source = Slurp(entry.path());
    for (std::sregex_iterator it(source.begin(), source.end(), kLiteral), end; it != end; ++it) {
      options.insert((*it)[1]);
    }
  }
  EXPECT_GE(options.size(), 15u);
  for (const std::string& o : options) {
    EXPECT_NE(page.find(RoffEscape(o)), std::string::npos) << o;
  }
}

TEST(Docs, ManPageHasEveryCommandAndExitCode) {
  std::string page = Slurp(VTAPE_MAN1_PATH);
  EXPECT_EQ(page, RenderManPage(VTAPE_VERSION));
  for (const Command* c : AllCommands()) {
    EXPECT_NE(page.find(".SS \"" + std::string(c->name) + "\""), std::string::npos) << c->name;
    for (const Subcommand* s : SubcommandsOf(*c)) {
      std::string title = ".SS \"" + std::string(c->name) + " " + std::string(s->name) + "\"";
      EXPECT_NE(page.find(title), std::string::npos) << title;
    }
  }
  for (const ExitCode& e : kExitCodes) {
    EXPECT_NE(page.find(".TP\n.B " + std::to_string(e.code) + "\n"), std::string::npos) << e.code;
  }
}

}  // namespace
}  // namespace vtape::tool
