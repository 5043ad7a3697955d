// `vtape library` end to end: outputs, --json answers parsed, exit codes.
#include <stdlib.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "library/library.h"
#include "tests/tools/tool_run.h"
#include "vtape/media.h"
#include "vtape/registry.h"

namespace vtape {
namespace {

using nlohmann::json;

class LibraryTool : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "vtape-libtool-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    scratch_ = pattern;
    dir_ = scratch_ + "/lib";
  }
  void TearDown() override { std::filesystem::remove_all(scratch_); }

  ToolRun Vtape(std::vector<std::string> args) {
    args.insert(args.begin(), "library");
    return RunVtapeTool(std::move(args), scratch_);
  }

  // Runs with --json and parses the answer; the exit code must be `expected_exit`.
  json Json(std::vector<std::string> args, int expected_exit = 0) {
    args.push_back("--json");
    ToolRun r = Vtape(args);
    EXPECT_EQ(r.exit_code, expected_exit) << testing::PrintToString(args) << "\n" << r.err;
    json answer = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(answer.is_discarded()) << r.out;
    if (answer.is_discarded()) return json::object();
    EXPECT_EQ(answer["schema"], "vtape-library-cli");
    EXPECT_EQ(answer["version"], 1);
    EXPECT_EQ(answer["command"], args[0]);
    EXPECT_EQ(answer["ok"], expected_exit == 0);
    return answer;
  }

  void Create() {
    ToolRun r = Vtape({"create", dir_, "--drives", "4", "--slots", "40", "--ie", "4", "--media",
                       "LTO-8", "--barcodes", "A00001L8:20", "--serial", "VLTOOL0001"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(r.out, "created library lib (serial VLTOOL0001) in " + dir_ +
                         ": 4 drives, 40 slots, 4 import/export, 20 cartridges (A00001L8 .. "
                         "A00020L8 in slot:1 .. slot:20)\n");
  }

  // The element named `name` in an `ls --json` answer.
  static json Element(const json& ls, const std::string& name) {
    for (const json& e : ls["elements"]) {
      if (e["name"] == name) return e;
    }
    ADD_FAILURE() << "no element " << name;
    return json::object();
  }

  std::string scratch_, dir_;
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(LibraryTool, CreateAndLsDescribeEveryElement) {
  json created = Json({"create", dir_, "--drives", "4", "--slots", "40", "--ie", "4", "--barcodes",
                       "A00001L8:20,B00001L7:2", "--name", "lib0", "--serial", "VLTOOL0001"});
  EXPECT_EQ(created["library"]["dir"], dir_);
  EXPECT_EQ(created["library"]["name"], "lib0");
  EXPECT_EQ(created["library"]["serial"], "VLTOOL0001");
  EXPECT_EQ(created["library"]["generation"], 1);
  EXPECT_EQ(created["library"]["layout"],
            json({{"drives", 4}, {"slots", 40}, {"import_export", 4}}));
  ASSERT_EQ(created["cartridges"].size(), 22u);
  EXPECT_EQ(created["cartridges"][0], json({{"barcode", "A00001L8"},
                                            {"media_type", "LTO-8"},
                                            {"medium", "file:media/A00001L8.img"},
                                            {"element", {{"address", 4096}, {"name", "slot:1"}}}}));
  EXPECT_EQ(created["cartridges"][21]["barcode"], "B00002L7");
  EXPECT_EQ(created["cartridges"][21]["media_type"], "LTO-7");
  EXPECT_EQ(created["cartridges"][21]["element"]["name"], "slot:22");
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/media/B00002L7.img"));

  json ls = Json({"ls", dir_});
  ASSERT_EQ(ls["elements"].size(), 1u + 4 + 4 + 40);
  EXPECT_EQ(ls["elements"][0], json({{"address", 0},
                                     {"name", "transport"},
                                     {"type", "transport"},
                                     {"type_code", 1},
                                     {"full", false},
                                     {"barcode", nullptr},
                                     {"media_type", nullptr},
                                     {"source", nullptr}}));
  EXPECT_EQ(Element(ls, "drive:3"), json({{"address", 0x0103},
                                          {"name", "drive:3"},
                                          {"type", "drive"},
                                          {"type_code", 4},
                                          {"full", false},
                                          {"barcode", nullptr},
                                          {"media_type", nullptr},
                                          {"source", nullptr},
                                          {"drive_serial", "VLTOOL0001D003"}}));
  EXPECT_EQ(Element(ls, "ie:4"), json({{"address", 0x0303},
                                       {"name", "ie:4"},
                                       {"type", "import-export"},
                                       {"type_code", 3},
                                       {"full", false},
                                       {"barcode", nullptr},
                                       {"media_type", nullptr},
                                       {"source", nullptr},
                                       {"placed_by_operator", false},
                                       {"door_open", false}}));
  EXPECT_EQ(Element(ls, "slot:20")["barcode"], "A00020L8");
  EXPECT_EQ(Element(ls, "slot:20")["type_code"], 2);
  EXPECT_EQ(Element(ls, "slot:20")["address"], 0x1013);
  EXPECT_EQ(Element(ls, "slot:23")["full"], false);
  EXPECT_EQ(ls["shelf"], json::array());
}

TEST_F(LibraryTool, MoveImportExportAddChangeTheLibrary) {
  Create();
  ToolRun r = Vtape({"move", dir_, "slot:1", "drive:0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "moved A00001L8 from slot:1 to drive:0\n");
  json moved = Json({"move", dir_, "0x1001", "257"});
  EXPECT_EQ(moved["cartridge"], "A00002L8");
  EXPECT_EQ(moved["from"], json({{"address", 4097}, {"name", "slot:2"}}));
  EXPECT_EQ(moved["to"], json({{"address", 257}, {"name", "drive:1"}}));
  EXPECT_EQ(moved["generation"], 3);

  r = Vtape({"import", dir_, "C00001L9"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "imported C00001L9 (LTO-9, file:media/C00001L9.img) into ie:1\n");
  json imported = Json({"import", dir_, "CLN001", "--ie", "3", "--media", "LTO-6"});
  EXPECT_EQ(
      imported["cartridge"],
      json({{"barcode", "CLN001"}, {"media_type", "LTO-6"}, {"medium", "file:media/CLN001.img"}}));
  EXPECT_EQ(imported["element"]["name"], "ie:3");

  json exported = Json({"export", dir_, "CLN001"});  // by barcode
  EXPECT_EQ(exported["from"]["name"], "ie:3");
  EXPECT_EQ(exported["cartridge"]["barcode"], "CLN001");
  r = Vtape({"export", dir_, "ie:1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "exported C00001L9 (LTO-9, file:media/C00001L9.img) from ie:1; it is on the shelf "
            "(import brings it back)\n");

  r = Vtape({"add", dir_, "D00001L8", "--slot", "40"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "added D00001L8 (LTO-8, file:media/D00001L8.img) into slot:40\n");
  json added = Json({"add", dir_, "D00002L8"});
  EXPECT_EQ(added["element"]["name"], "slot:1");  // the first empty slot
  json in_ie = Json({"add", dir_, "D00003L8", "--ie", "ie:2"});
  EXPECT_EQ(in_ie["element"], json({{"address", 0x0301}, {"name", "ie:2"}}));

  json ls = Json({"ls", dir_});
  EXPECT_EQ(ls["library"]["generation"], 10);
  EXPECT_EQ(ls["library"]["operator_generation"], 10);
  EXPECT_EQ(Element(ls, "drive:0")["barcode"], "A00001L8");
  EXPECT_EQ(Element(ls, "drive:0")["source"], json({{"address", 4096}, {"name", "slot:1"}}));
  EXPECT_EQ(Element(ls, "drive:1")["source"]["name"], "slot:2");
  EXPECT_EQ(Element(ls, "ie:2")["placed_by_operator"], true);
  EXPECT_EQ(Element(ls, "slot:1")["barcode"], "D00002L8");
  EXPECT_EQ(ls["shelf"].size(), 2u);
  EXPECT_EQ(ls["shelf"][0]["barcode"], "C00001L9");
  EXPECT_EQ(ls["shelf"][1]["barcode"], "CLN001");

  r = Vtape({"ls", dir_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "library lib (serial VLTOOL0001) in " + dir_ + ", generation 10\n"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "ELEMENT\tADDRESS\tBARCODE\tMEDIA\tSOURCE\tNOTES\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "drive:0\t0x0100\tA00001L8\tLTO-8\tslot:1\tserial VLTOOL0001D000\n"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "ie:2\t0x0301\tD00003L8\tLTO-8\t-\tdoor closed, placed by operator\n"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "slot:40\t0x1027\tD00001L8\tLTO-8\t-\t\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "shelf (exported): C00001L9 CLN001\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "total: 25 cartridges, 23 in the library\n")) << r.out;
}

TEST_F(LibraryTool, RefusalsExitThreeWithTheReason) {
  Create();
  struct Case {
    std::vector<std::string> args;
    const char* reason;
    const char* message;
  };
  const Case cases[] = {
      {{"move", dir_, "slot:30", "slot:31"},
       "source-empty",
       "move slot:30 to slot:31: slot:30 is empty"},
      {{"move", dir_, "slot:1", "slot:2"}, "destination-full", "slot:2 is full (A00002L8)"},
      {{"move", dir_, "slot:1", "transport"}, "invalid-element", "address 0x0000"},
      {{"export", dir_, "slot:1"}, "not-import-export", "slot:1 is no import/export element"},
      {{"export", dir_, "ie:1"}, "source-empty", "ie:1 is empty"},
      {{"import", dir_, "A00003L8"}, "already-in-library", "in slot:3"},
      {{"import", dir_, "E00001L8", "--media", "LTO-7"}, "media-type-mismatch", "not LTO-7"},
      {{"import", dir_, "E00001L8", "--ie", "slot:3"}, "not-import-export", "slot:3"},
      {{"add", dir_, "A00005L8"}, "duplicate-barcode", "in slot:5"},
      {{"add", dir_, "E00001L8", "--slot", "drive:0"}, "wrong-element-type", "drive:0"},
      {{"add", dir_, "E00001", "--media", "LTO-99"}, "unknown-media-type", "LTO-99"},
  };
  for (const Case& c : cases) {
    json answer = Json(c.args, 3);
    EXPECT_EQ(answer["error"]["reason"], c.reason) << testing::PrintToString(c.args);
    EXPECT_EQ(answer["error"]["code"], "invalid-argument");
    EXPECT_TRUE(Has(answer["error"]["message"].get<std::string>(), c.message))
        << answer["error"]["message"];
    ToolRun r = Vtape(c.args);
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(Has(r.err, std::string("refused (") + c.reason + "): ")) << r.err;
  }
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(Vtape({"import", dir_, "F0000" + std::to_string(i) + "L8"}).exit_code, 0);
  json full = Json({"import", dir_, "F00009L8"}, 3);
  EXPECT_EQ(full["error"]["reason"], "no-free-element");
  EXPECT_EQ(Json({"ls", dir_})["library"]["generation"], 5);  // only the four imports
}

// The capacity and early-warning zone the cartridge image `barcode` of dir_ got.
void ExpectShape(const std::string& dir, const std::string& barcode, std::uint64_t capacity,
                 std::uint64_t early_warning) {
  std::unique_ptr<Tape> tape;
  ASSERT_TRUE(OpenTape("file:" + dir + "/media/" + barcode + ".img", {}, tape).ok()) << barcode;
  MediumInfo info;
  ASSERT_TRUE(tape->Stat(info).ok());
  EXPECT_EQ(info.capacity_bytes, capacity) << barcode;
  EXPECT_EQ(info.early_warning_bytes, early_warning) << barcode;
  EXPECT_TRUE(tape->Close().ok());
}

// Small cartridges (backup tests that span two) need an early-warning zone
// smaller than the default 64 MiB, else every write lands in early warning.
TEST_F(LibraryTool, SmallCartridgesTakeTheirEarlyWarningZone) {
  ToolRun r = Vtape({"create", dir_, "--slots", "6", "--barcodes", "A00001L8:2", "--capacity", "3M",
                     "--early-warning", "1M"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectShape(dir_, "A00001L8", 3ull << 20, 1ull << 20);
  ExpectShape(dir_, "A00002L8", 3ull << 20, 1ull << 20);
  EXPECT_EQ(
      Vtape({"add", dir_, "B00001L8", "--capacity", "4M", "--early-warning", "512K"}).exit_code, 0);
  ExpectShape(dir_, "B00001L8", 4ull << 20, 512ull << 10);
  EXPECT_EQ(
      Vtape({"import", dir_, "C00001L8", "--capacity", "2M", "--early-warning", "1M"}).exit_code,
      0);
  ExpectShape(dir_, "C00001L8", 2ull << 20, 1ull << 20);
  // Without --early-warning a large cartridge keeps the default zone.
  EXPECT_EQ(Vtape({"add", dir_, "D00001L8", "--capacity", "256M"}).exit_code, 0);
  ExpectShape(dir_, "D00001L8", 256ull << 20, kDefaultEarlyWarningBytes);

  // A zone that leaves no room before it is refused, and nothing is made.
  std::string small = scratch_ + "/small";
  r = Vtape({"create", small, "--barcodes", "A00001L8", "--capacity", "3M"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(Has(r.err,
                  "the early-warning zone (67108864 bytes, the default) must be smaller "
                  "than the capacity (3145728 bytes)"))
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(small));
  r = Vtape({"add", dir_, "E00001L8", "--capacity", "1M", "--early-warning", "1M"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(Has(r.err,
                  "cartridge E00001L8: the early-warning zone (1048576 bytes) must be "
                  "smaller than the capacity (1048576 bytes)"))
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/media/E00001L8.img"));
  EXPECT_EQ(Vtape({"add", dir_, "E00001L8", "--early-warning", "x"}).exit_code, 2);
}

TEST_F(LibraryTool, WhileTheLibraryIsPresentedTheDrivesAreTheChangers) {
  Create();
  std::unique_ptr<library::Library> runner;
  library::OpenOptions present;
  present.present = true;
  ASSERT_TRUE(library::Library::Open(dir_, present, runner).ok());
  json refused = Json({"move", dir_, "slot:1", "drive:0"}, 3);
  EXPECT_EQ(refused["error"]["reason"], "presented");
  EXPECT_TRUE(
      Has(refused["error"]["message"].get<std::string>(), "load and unload through the changer"));
  ToolRun r = Vtape({"move", dir_, "slot:1", "slot:40"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Vtape({"move", dir_, "slot:40", "ie:1"}).exit_code, 0);
  EXPECT_EQ(Vtape({"export", dir_, "ie:1"}).exit_code, 0);
  EXPECT_EQ(Vtape({"import", dir_, "A00001L8"}).exit_code, 0);
  runner.reset();
  EXPECT_EQ(Vtape({"move", dir_, "slot:2", "drive:0"}).exit_code, 0);
}

TEST_F(LibraryTool, UsageErrorsExitTwo) {
  Create();
  struct Case {
    std::vector<std::string> args;
    const char* reason;
  };
  const Case cases[] = {
      {{}, "expected a subcommand"},
      {{"frob"}, "no subcommand 'frob'"},
      {{"ls"}, "expected 1 argument, got 0"},
      {{"move", dir_, "slot:1"}, "expected 3 arguments, got 2"},
      {{"move", dir_, "slot:1", "slot:41"}, "this library has slot:1 to slot:40"},
      {{"move", dir_, "bay:1", "slot:4"}, "unknown element kind 'bay'"},
      {{"import", dir_, "X1", "--ie", "5"}, "ie:1 to ie:4"},
      {{"add", dir_, "X1", "--slot", "3", "--ie", "1"}, "give --slot or --ie, not both"},
      {{"add", dir_, "X1", "--capacity", "3Q"}, "unknown unit 'Q'"},
      {{"create", scratch_ + "/x", "--slots", "ten"}, "--slots 'ten' is not a whole number"},
      {{"create", scratch_ + "/x", "--barcodes", "A99999L8:2"}, "do not fit in its 5-digit number"},
      {{"create", scratch_ + "/x", "--barcodes", "A00001L8:x"}, "is not a whole number"},
      {{"ls", dir_, "--colour"}, "unknown option --colour"},
  };
  for (const Case& c : cases) {
    ToolRun r = Vtape(c.args);
    EXPECT_EQ(r.exit_code, 2) << testing::PrintToString(c.args) << r.err;
    EXPECT_TRUE(Has(r.err, c.reason)) << testing::PrintToString(c.args) << ": " << r.err;
  }
  ToolRun help = RunVtapeTool({"help", "library"}, scratch_);
  EXPECT_EQ(help.exit_code, 0);
  for (const char* sub : {"create", "ls", "move", "import", "export", "add"}) {
    EXPECT_TRUE(Has(help.out, std::string("  library ") + sub + " DIR")) << help.out;
  }
  EXPECT_TRUE(Has(RunVtapeTool({"--help"}, scratch_).out, "  library SUBCOMMAND"));
}

TEST_F(LibraryTool, NoLibraryOrADamagedOneCannotOperate) {
  json missing = Json({"ls", scratch_}, 3);
  EXPECT_EQ(missing["error"]["reason"], nullptr);
  EXPECT_EQ(missing["error"]["code"], "not-found");
  EXPECT_TRUE(Has(missing["error"]["message"].get<std::string>(), "holds no library"));
  Create();
  ToolRun again = Vtape({"create", dir_});
  EXPECT_EQ(again.exit_code, 3);
  EXPECT_TRUE(Has(again.err, "already holds a library")) << again.err;
  std::ofstream(dir_ + "/state.json", std::ios::trunc) << "{\"schema\": \"vtape-library-state\"";
  ToolRun r = Vtape({"move", dir_, "slot:1", "slot:30"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(Has(r.err, "corrupt-image: library state " + dir_ + "/state.json is not valid JSON"))
      << r.err;
  json damaged = Json({"ls", dir_}, 3);
  EXPECT_EQ(damaged["error"]["code"], "corrupt-image");
}

}  // namespace
}  // namespace vtape
