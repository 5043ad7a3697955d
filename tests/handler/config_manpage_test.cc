// doc/vtape-config.5 is written by hand: these tests keep it true to the parsers
// (handler/config.cc, handler/library_config.cc). Every key the page documents
// must be one the parser knows, and every key, model, media type and backend
// prefix the code knows must be on the page.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "handler/config.h"
#include "handler/library_config.h"
#include "handler/smc/personality.h"
#include "handler/ssc/personality.h"
#include "rados/rados.h"
#include "rait/rait.h"
#include "vtape/media.h"
#include "vtape/registry.h"
#include "vtape/size.h"

namespace {

std::string ReadPage() {
  std::ifstream in(VTAPE_DOC_DIR "/vtape-config.5");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The lines of section `title` (".SH TITLE" up to the next ".SH").
std::vector<std::string> Section(const std::string& page, const std::string& title) {
  std::vector<std::string> lines;
  std::istringstream in(page);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.starts_with(".SH ")) {
      inside = line == ".SH " + title;
      continue;
    }
    if (inside) lines.push_back(line);
  }
  return lines;
}

// The KEY of each ".TP" entry whose term is ".B KEY=...", ".BI KEY= ..." or ".BR KEY= ...".
std::set<std::string> DocumentedKeys(const std::vector<std::string>& section) {
  std::set<std::string> keys;
  for (std::size_t i = 0; i + 1 < section.size(); ++i) {
    if (section[i] != ".TP") continue;
    const std::string& term = section[i + 1];
    std::size_t space = term.find(' '), eq = term.find('=');
    if (!term.starts_with(".B") || space == std::string::npos || eq == std::string::npos) continue;
    keys.insert(term.substr(space + 1, eq - space - 1));
  }
  return keys;
}

TEST(ConfigManPage, KeysSectionListsExactlyTheParsersKeys) {
  std::set<std::string> documented = DocumentedKeys(Section(ReadPage(), "KEYS"));
  std::set<std::string> known;
  for (std::string_view k : vtape::ssc::KnownConfigKeys()) known.insert(std::string(k));
  EXPECT_EQ(documented, known);
}

TEST(ConfigManPage, EveryDocumentedKeyReachesTheParser) {
  vtape::rait::RegisterRait();
  for (const std::string& key : DocumentedKeys(Section(ReadPage(), "KEYS"))) {
    vtape::ssc::Config config;
    // A value no key accepts: the error must be about the value, not an unknown key.
    std::string base = key == "missing" ? "mem:;" : "mem:;missing=create;";
    vtape::Status s = vtape::ssc::ParseConfig(base + key + "=\x01", config);
    ASSERT_FALSE(s.ok()) << key;
    EXPECT_EQ(s.message().find("unknown key"), std::string::npos) << key << ": " << s.message();
  }
}

TEST(ConfigManPage, LibrarySectionListsExactlyTheLibraryKeys) {
  std::set<std::string> documented = DocumentedKeys(Section(ReadPage(), "LIBRARY DEVICES"));
  EXPECT_EQ(documented, (std::set<std::string>{"library", "role", "drive", "model", "buffer"}));
  vtape::presenter::LibraryDeviceConfig config;
  vtape::Status s = vtape::presenter::ParseLibraryConfig("library=/x;drive=0;nokey=1", config);
  ASSERT_FALSE(s.ok());
  // The parser's own list: "(known: library, role, drive, model; ...".
  std::string message = s.message();
  std::size_t from = message.find("known: "), to = message.find(';', from);
  ASSERT_NE(from, std::string::npos) << message;
  std::set<std::string> known;
  std::istringstream list(message.substr(from + 7, to - from - 7));
  for (std::string k; std::getline(list, k, ',');) known.insert(k.substr(k.find_first_not_of(' ')));
  EXPECT_EQ(documented, known);
  for (const std::string& key : documented) {
    if (key == "library" || key == "drive") continue;  // the string below gives them
    s = vtape::presenter::ParseLibraryConfig("library=/x;drive=0;" + key + "=\x01", config);
    EXPECT_EQ(s.message().find("unknown key"), std::string::npos) << key << ": " << s.message();
  }
}

TEST(ConfigManPage, NamesEveryModelMediaTypeAndBackend) {
  vtape::rait::RegisterRait();
  vtape::rados::RegisterRados();  // as the handler does (a no-op in builds without librados)
  std::string page = ReadPage();
  for (const auto& p : vtape::ssc::AllPersonalities()) {
    EXPECT_NE(page.find(".BR " + std::string(p.key)), std::string::npos) << p.key;
  }
  for (const auto& p : vtape::smc::AllPersonalities()) {
    EXPECT_NE(page.find(std::string(p.key)), std::string::npos) << p.key;
  }
  for (const vtape::MediaType& m : vtape::AllMediaTypes()) {
    EXPECT_NE(page.find(".BR " + std::string(m.name)), std::string::npos) << m.name;
  }
  std::string medium;
  for (const std::string& line : Section(page, "MEDIUM")) medium += line + "\n";
  for (const std::string& prefix : vtape::RegisteredPrefixes()) {
    EXPECT_NE(medium.find(prefix + ":"), std::string::npos) << prefix;
  }
}

// The other direction: every media type and drive model the page names is one the parser takes.
TEST(ConfigManPage, EveryMediaTypeAndModelItNamesIsAccepted) {
  std::string keys;
  for (const std::string& line : Section(ReadPage(), "KEYS")) keys += line + " ";
  std::regex word("(LTO-[A-Z0-9]+|(ibm|hp)-lto[0-9]+)");
  int named = 0;
  for (std::sregex_iterator it(keys.begin(), keys.end(), word), end; it != end; ++it, ++named) {
    std::string w = it->str();
    if (w.starts_with("LTO-")) {
      EXPECT_TRUE(vtape::FindMediaType(w).has_value()) << w;
    } else {
      EXPECT_NE(vtape::ssc::FindPersonality(w), nullptr) << w;
    }
  }
  EXPECT_GE(named, 16);  // 10 models, 6 media types
}

TEST(ConfigManPage, EverySizeUnitItNamesParses) {
  std::vector<std::string> units;
  for (const std::string& line : Section(ReadPage(), "SIZES")) {
    if (!line.starts_with(".BR ") && !line.starts_with(".B ")) continue;
    std::string word = line.substr(line.find(' ') + 1);
    word = word.substr(0, word.find(' '));
    if (!word.empty() && std::isalpha(static_cast<unsigned char>(word[0]))) units.push_back(word);
  }
  ASSERT_GE(units.size(), 15u);  // K M G T P, KiB .. PiB, KB .. PB
  for (const std::string& unit : units) {
    std::uint64_t bytes = 0;
    EXPECT_TRUE(vtape::ParseSize("2" + unit, bytes).ok()) << unit;
  }
}

}  // namespace
