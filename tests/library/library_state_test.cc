// Element names, barcodes, the state file's format, and damaged state files.
#include <fstream>
#include <iterator>
#include <regex>

#include "library/state_json.h"
#include "tests/library/library_fixture.h"

namespace vtape::library {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void Spit(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

TEST(ElementNames, ParseAndFormatEveryKind) {
  const Layout layout{4, 40, 4};
  struct Case {
    const char* text;
    std::uint16_t address;
    const char* name;
  };
  const Case cases[] = {
      {"slot:1", 0x1000, "slot:1"},       {"slot:40", 0x1027, "slot:40"},
      {"drive:0", 0x0100, "drive:0"},     {"drive:3", 0x0103, "drive:3"},
      {"ie:1", 0x0300, "ie:1"},           {"ie:4", 0x0303, "ie:4"},
      {"transport", 0x0000, "transport"}, {"4096", 0x1000, "slot:1"},
      {"0x0101", 0x0101, "drive:1"},      {"0X302", 0x0302, "ie:3"},
      {"slot:0x2", 0x1001, "slot:2"},
  };
  for (const Case& c : cases) {
    std::uint16_t address = 0xFFFF;
    Status s = ParseElementName(layout, c.text, address);
    EXPECT_TRUE(s.ok()) << c.text << ": " << s.ToString();
    EXPECT_EQ(address, c.address) << c.text;
    EXPECT_EQ(ElementName(layout, c.address), c.name);
  }
  EXPECT_EQ(ElementName(layout, 0x0104), "0x0104");
  const std::pair<const char*, const char*> bad[] = {
      {"slot:0", "this library has slot:1 to slot:40"},
      {"slot:41", "this library has slot:1 to slot:40"},
      {"drive:4", "drive:0 to drive:3"},
      {"ie:0", "ie:1 to ie:4"},
      {"tray:1", "unknown element kind 'tray'"},
      {"slot:x", "'x' is not a number"},
      {"0x1028", "no element has that address"},
      {"65536", "no element has that address"},
      {"", "expected slot:N"},
      {"-1", "expected slot:N"},
  };
  for (const auto& [text, reason] : bad) {
    std::uint16_t address = 0;
    Status s = ParseElementName(layout, text, address);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << text;
    EXPECT_NE(s.message().find(reason), std::string::npos) << text << ": " << s.message();
  }
  std::uint16_t address = 0;
  Status none = ParseElementName({1, 1, 0}, "ie:1", address);
  EXPECT_NE(none.message().find("(none)"), std::string::npos) << none.message();
  EXPECT_EQ(FindElement(layout, 0x0000)->type, ElementType::kTransport);
  EXPECT_EQ(FindElement(layout, 0x0102)->index, 2u);
  EXPECT_FALSE(FindElement(layout, 0x0200).has_value());
  EXPECT_FALSE(FindElement(Layout{512, kMaxSlots, 256}, 0x0400).has_value());
  EXPECT_EQ(FindElement(Layout{512, kMaxSlots, 256}, 0xFFFF)->index, kMaxSlots - 1);
  EXPECT_EQ(FindElement(Layout{512, kMaxSlots, 256}, 0x02FF)->type, ElementType::kDataTransfer);
}

TEST(Barcodes, CheckLabelAndExpand) {
  EXPECT_TRUE(CheckBarcode("A00001L8").ok());
  EXPECT_TRUE(CheckBarcode(std::string(32, '~')).ok());
  EXPECT_FALSE(CheckBarcode(std::string(33, 'A')).ok());
  EXPECT_FALSE(CheckBarcode("").ok());
  EXPECT_FALSE(CheckBarcode("A 1").ok());
  EXPECT_FALSE(CheckBarcode("A\x7f").ok());
  EXPECT_EQ(MediaTypeOfBarcode("A00001L5"), "LTO-5");
  EXPECT_EQ(MediaTypeOfBarcode("A00001L6"), "LTO-6");
  EXPECT_EQ(MediaTypeOfBarcode("A00001L7"), "LTO-7");
  EXPECT_EQ(MediaTypeOfBarcode("A00001L8"), "LTO-8");
  EXPECT_EQ(MediaTypeOfBarcode("A00001L9"), "LTO-9");
  EXPECT_EQ(MediaTypeOfBarcode("A00001M8"), "LTO-M8");
  EXPECT_EQ(MediaTypeOfBarcode("A00001LV"), "LTO-5 WORM");
  EXPECT_EQ(MediaTypeOfBarcode("A00001LY"), "LTO-8 WORM");
  EXPECT_EQ(MediaTypeOfBarcode("A00001LZ"), "LTO-9 WORM");
  EXPECT_FALSE(MediaTypeOfBarcode("A0001L8"));   // 7 characters: no LTO label
  EXPECT_FALSE(MediaTypeOfBarcode("CLN001"));

  std::vector<std::string> out;
  ASSERT_TRUE(ExpandBarcodes("A00009L8", 3, out).ok());
  EXPECT_EQ(out, (std::vector<std::string>{"A00009L8", "A00010L8", "A00011L8"}));
  out.clear();
  ASSERT_TRUE(ExpandBarcodes("TAPE7", 2, out).ok());
  EXPECT_EQ(out, (std::vector<std::string>{"TAPE7", "TAPE8"}));
  out.clear();
  ASSERT_TRUE(ExpandBarcodes("X12Y", 2, out).ok());
  EXPECT_EQ(out, (std::vector<std::string>{"X12Y", "X13Y"}));
  out.clear();
  ASSERT_TRUE(ExpandBarcodes("ABCDEFL8", 0, out).ok() == false);
  Status full = ExpandBarcodes("A99999L8", 2, out);
  EXPECT_NE(full.message().find("do not fit in its 5-digit number"), std::string::npos);
  Status none = ExpandBarcodes("NODIGIT", 1, out);
  EXPECT_NE(none.message().find("has no digits"), std::string::npos);
  EXPECT_EQ(DriveSerial("VL00000001", 11), "VL00000001D011");
  EXPECT_EQ(DriveSerial(std::string(40, 'S'), 0).size(), 32u);
}

TEST_F(LibraryTest, TheStateFileIsVersionedJsonWithOneLinePerCartridge) {
  Make(2, {1, 4, 1});
  EXPECT_DONE(lib_->Move(kSlot2, kDrive0));
  EXPECT_DONE(lib_->Import(Cart("B00001L7"), kIe1));
  EXPECT_EQ(Slurp(dir_ + "/state.json"),
            R"({
  "schema": "vtape-library-state",
  "version": 1,
  "generation": 3,
  "operator_generation": 3,
  "name": "testlib",
  "serial": "VLTEST0001",
  "media_type": "LTO-8",
  "removal_prevented": false,
  "layout": {
    "drives": 1,
    "slots": 4,
    "import_export": 1
  },
  "drives": [
    {
      "serial": "VLTEST0001D000"
    }
  ],
  "import_export": [
    {
      "door_open": false
    }
  ],
  "cartridges": [
    {"barcode":"A00001L8","media_type":"LTO-8","medium":"file:media/A00001L8.img","element":4096,"source":null,"placed_by_operator":false},
    {"barcode":"A00002L8","media_type":"LTO-8","medium":"file:media/A00002L8.img","element":256,"source":4097,"placed_by_operator":false},
    {"barcode":"B00001L7","media_type":"LTO-7","medium":"file:media/B00001L7.img","element":768,"source":null,"placed_by_operator":true}
  ]
}
)");
}

TEST_F(LibraryTest, ADirectoryWithoutALibraryIsNotFound) {
  std::unique_ptr<Library> lib;
  Status s = Library::Open(root_, {}, lib);
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_NE(s.message().find("holds no library"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("vtape library create"), std::string::npos) << s.message();
}

// Every truncation of a real state file is refused with a reason, never a crash.
TEST_F(LibraryTest, EveryTruncationOfTheStateIsACleanError) {
  Make(3, {1, 4, 1});
  const std::string path = dir_ + "/state.json";
  const std::string whole = Slurp(path);
  // The last byte is the trailing newline, whose loss changes nothing.
  for (std::size_t n = 0; n + 1 < whole.size(); ++n) {
    State state;
    Status s = DecodeState(whole.substr(0, n), "library state " + path, state);
    ASSERT_EQ(s.code(), Code::kCorruptImage) << n << " bytes: " << s.ToString();
    ASSERT_EQ(state.cartridges.size(), 0u);
  }
  // Through Open: the message names the file.
  for (std::size_t n : {std::size_t{0}, whole.size() / 2, whole.size() - 2}) {
    Spit(path, whole.substr(0, n));
    std::unique_ptr<Library> lib;
    Status s = Library::Open(dir_, {}, lib);
    EXPECT_EQ(s.code(), Code::kCorruptImage) << n << " bytes: " << s.ToString();
    EXPECT_NE(s.message().find("library state " + path), std::string::npos) << s.message();
  }
}

TEST_F(LibraryTest, DamagedStatesNameTheDefect) {
  Make(3, {1, 4, 1});
  const std::string path = dir_ + "/state.json";
  const std::string whole = Slurp(path);
  struct Case {
    std::string from, to;
    Code code;
    const char* reason;
  };
  const Case cases[] = {
      {"\"schema\": \"vtape-library-state\"", "\"schema\": \"x\"", Code::kCorruptImage,
       "state.schema is not \"vtape-library-state\""},
      {"\"version\": 1", "\"version\": 2", Code::kUnsupported, "has version 2"},
      {"\"version\": 1", "\"version\": 0", Code::kCorruptImage, "state.version is not 1"},
      {"\"version\": 1,", "", Code::kCorruptImage, "state has no \"version\""},
      {"\"generation\": 1", "\"generation\": -1", Code::kCorruptImage,
       "state.generation is not a whole number"},
      {"\"slots\": 4", "\"slots\": 0", Code::kCorruptImage, "state.layout.slots is 0"},
      {"\"slots\": 4", "\"slots\": 70000", Code::kCorruptImage, "at most 61440"},
      {"\"slots\": 4", "\"slots\": \"4\"", Code::kCorruptImage, "slots is not a whole number"},
      {"\"drives\": 1", "\"drives\": 2", Code::kCorruptImage, "state.drives has the wrong length"},
      {"\"door_open\": false", "\"door_open\": 0", Code::kCorruptImage,
       "state.import_export[0].door_open is not true or false"},
      {"\"element\":4097", "\"element\":4096", Code::kCorruptImage,
       "is in element 4096, which already holds A00001L8"},
      {"\"element\":4097", "\"element\":0", Code::kCorruptImage,
       "state.cartridges[1].element is 0, no element that holds a cartridge"},
      {"\"element\":4097", "\"element\":4100", Code::kCorruptImage, "element is 4100, no element"},
      {"A00002L8\",\"media_type", "A00001L8\",\"media_type", Code::kCorruptImage,
       "lists barcode A00001L8 twice"},
      {"\"media_type\":\"LTO-8\",\"medium\":\"file:media/A00003L8.img\"",
       "\"media_type\":\"DDS\",\"medium\":\"file:media/A00003L8.img\"", Code::kCorruptImage,
       "state.cartridges[2].media_type 'DDS' is unknown"},
      {"\"placed_by_operator\":false}\n  ]", "\"placed_by_operator\":true}\n  ]",
       Code::kCorruptImage, "placed_by_operator is true outside an import/export element"},
      {"\"serial\": \"VLTEST0001\"", "\"serial\": \"\"", Code::kCorruptImage,
       "state.serial must be"},
      {"{", "[", Code::kCorruptImage, "is not valid JSON"},
  };
  for (const Case& c : cases) {
    std::string text = whole;
    std::size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), c.to);
    Spit(path, text);
    std::unique_ptr<Library> lib;
    Status s = Library::Open(dir_, {}, lib);
    EXPECT_EQ(s.code(), c.code) << c.to << ": " << s.ToString();
    EXPECT_NE(s.message().find(c.reason), std::string::npos) << c.to << ": " << s.message();
  }
  // Restored, it opens again.
  Spit(path, whole);
  std::unique_ptr<Library> lib;
  EXPECT_TRUE(Library::Open(dir_, {}, lib).ok());
}

TEST_F(LibraryTest, AnOperationOnADamagedStateFailsWithoutWriting) {
  Make();
  std::unique_ptr<Library> other;
  ASSERT_TRUE(Library::Open(dir_, {}, other).ok());
  Spit(dir_ + "/state.json.new", "{\"schema\": 1}");
  ASSERT_EQ(std::rename((dir_ + "/state.json.new").c_str(), (dir_ + "/state.json").c_str()), 0);
  Result r = lib_->Move(kSlot1, kSlot5);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.reason, Reason::kNone);
  EXPECT_EQ(r.status.code(), Code::kCorruptImage);
  EXPECT_EQ(Slurp(dir_ + "/state.json"), "{\"schema\": 1}");
}

}  // namespace
}  // namespace vtape::library
