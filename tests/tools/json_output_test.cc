// `vtape info|ls|verify --json` end to end: the answers parsed and compared
// whole with what the known media hold, and every key they emit named in the
// command's help (the schema's documentation in vtape(1)).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/tools/tool_fixture.h"
#include "tools/commands.h"
#include "vtape/record_codec.h"
#include "vtape/record_tag.h"

namespace vtape {
namespace {

using nlohmann::json;

constexpr std::uint64_t kLto8Bytes = 12000ull * 1000 * 1000 * 1000;
constexpr std::uint64_t kDefaultEarlyWarning = 64ull << 20;

class JsonOutput : public VtapeTool {
 protected:
  // Runs `args` --json; the exit code must be `expected_exit` (-1: any) and
  // stdout one JSON object.
  json Json(std::vector<std::string> args, int expected_exit = 0) {
    args.push_back("--json");
    last_ = Vtape(args);
    if (expected_exit >= 0) {
      EXPECT_EQ(last_.exit_code, expected_exit) << testing::PrintToString(args) << "\n"
                                                << last_.err;
    }
    json answer = json::parse(last_.out, nullptr, false);
    EXPECT_FALSE(answer.is_discarded()) << last_.out;
    return answer.is_discarded() ? json::object() : answer;
  }
  ToolRun last_;
};

json Healthy() {
  return {{"degraded", false}, {"failed_members", json::array()}, {"detail", nullptr}};
}

TEST_F(JsonOutput, InfoOfAKnownMedium) {
  WriteLayout();
  json got = Json({"info", image_});
  json want = {{"schema", "vtape-info"},
               {"version", 1},
               {"command", "info"},
               {"ok", true},
               {"name", name_},
               {"barcode", "A00001L8"},
               {"media_type", "LTO-8"},
               {"format_version", 1},
               {"capacity_bytes", kLto8Bytes},
               {"early_warning_bytes", kDefaultEarlyWarning},
               // 100 payload bytes + 3 filemarks of 4096.
               {"used_bytes", 12388},
               {"remaining_bytes", kLto8Bytes - 12388},
               {"records", 4},
               {"filemarks", 3},
               {"partitions", json::array({{{"partition", 0},
                                            {"capacity_bytes", kLto8Bytes},
                                            {"early_warning_bytes", kDefaultEarlyWarning},
                                            {"used_bytes", 12388},
                                            {"records", 4},
                                            {"filemarks", 3}}})},
               {"write_protected", false},
               {"health", Healthy()},
               {"rait", nullptr},
               {"compression", nullptr}};
  EXPECT_EQ(got, want) << got.dump(2);
  // The keys come in the documented order: schema first.
  EXPECT_TRUE(last_.out.starts_with("{\n  \"schema\": \"vtape-info\",\n  \"version\": 1,\n"))
      << last_.out;
}

// A medium a drive wrote with compression (and one encrypted record):
// R(10 raw) R(65536 lz4) R(100 zstd) R(500, tag 81h) FM.
TEST_F(JsonOutput, InfoRatioReadsEveryRecord) {
  std::unique_ptr<Tape> t;
  ASSERT_NO_FATAL_FAILURE(CreateAndOpen(t));
  ASSERT_TRUE(t->Write(Bytes(10, 0)).ok());
  std::uint64_t stored = 10;
  for (auto [codec, size] : {std::pair{kTagLz4, 65536}, std::pair{kTagZstd, 100}}) {
    ASSERT_NO_FATAL_FAILURE(WriteCompressed(*t, codec, std::vector<std::uint8_t>(size, 7), stored));
  }
  const std::vector<std::uint8_t> ciphertext = Bytes(500, 9);
  const ConstPiece sealed[1] = {ciphertext};
  ASSERT_TRUE(t->WriteTagged(RecordPieces(sealed), kTagEncrypted | kTagLz4).ok());
  ASSERT_TRUE(t->WriteFilemarks(1, false).ok());
  ASSERT_TRUE(t->Close().ok());

  json got = Json({"info", image_, "--ratio"});
  const double ratio = static_cast<double>(10 + 65536 + 100) / static_cast<double>(stored);
  json want = {{"records", 4},           {"compressed_records", 2},
               {"encrypted_records", 1}, {"host_bytes", 10 + 65536 + 100},
               {"stored_bytes", stored}, {"ratio", ratio}};
  EXPECT_EQ(got["compression"], want) << got.dump(2);
  // Text: the ratio with two decimals, the counts.
  ToolRun text = Vtape({"info", image_, "--ratio"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  char line[200];
  std::snprintf(line, sizeof line, "compression:    %.2f:1, ", ratio);
  EXPECT_NE(text.out.find(line), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("2 of 4 records compressed, 1 encrypted (not in the ratio)"),
            std::string::npos)
      << text.out;
  // Without --ratio nothing is read: compression is null.
  EXPECT_EQ(Json({"info", image_})["compression"], nullptr);
}

TEST_F(JsonOutput, InfoAndLsPerPartition) {
  ASSERT_EQ(Vtape({"create", image_, "--barcode", "LTFS01", "--capacity", "10M", "--early-warning",
                   "1M", "--partitions", "2:2M"})
                .exit_code,
            0);
  FillTwoPartitions();
  json got = Json({"info", image_});
  EXPECT_EQ(got["format_version"], 2);
  EXPECT_EQ(got["capacity_bytes"], 10u << 20);
  EXPECT_EQ(got["used_bytes"], 4106 + 70);
  EXPECT_EQ(got["records"], 3);
  EXPECT_EQ(got["filemarks"], 1);
  EXPECT_EQ(got["partitions"], json::array({{{"partition", 0},
                                             {"capacity_bytes", 2u << 20},
                                             {"early_warning_bytes", 1u << 20},
                                             {"used_bytes", 4106},
                                             {"records", 1},
                                             {"filemarks", 1}},
                                            {{"partition", 1},
                                             {"capacity_bytes", 8u << 20},
                                             {"early_warning_bytes", 1u << 20},
                                             {"used_bytes", 70},
                                             {"records", 2},
                                             {"filemarks", 0}}}))
      << got.dump(2);
  got = Json({"ls", image_});
  EXPECT_EQ(got, (json{{"schema", "vtape-ls"},
                       {"version", 1},
                       {"command", "ls"},
                       {"ok", true},
                       {"name", name_},
                       {"partitions", 2},
                       {"files", json::array({{{"partition", 0},
                                               {"file", 0},
                                               {"records", 1},
                                               {"bytes", 10},
                                               {"ends_at", "filemark"}},
                                              {{"partition", 1},
                                               {"file", 0},
                                               {"records", 2},
                                               {"bytes", 70},
                                               {"ends_at", "EOD"}}})},
                       {"total", {{"files", 2}, {"records", 3}, {"bytes", 80}}}}))
      << got.dump(2);
}

TEST_F(JsonOutput, LsOfTheKnownLayout) {
  WriteLayout();
  json got = Json({"ls", image_});
  auto file = [](int n, int records, int bytes, const char* end) {
    return json{
        {"partition", 0}, {"file", n}, {"records", records}, {"bytes", bytes}, {"ends_at", end}};
  };
  EXPECT_EQ(got["files"], json::array({file(0, 2, 30, "filemark"), file(1, 1, 30, "filemark"),
                                       file(2, 0, 0, "filemark"), file(3, 1, 40, "EOD")}))
      << got.dump(2);
  EXPECT_EQ(got["total"], (json{{"files", 4}, {"records", 4}, {"bytes", 100}}));
  EXPECT_EQ(got["partitions"], 1);
}

TEST_F(JsonOutput, VerifyCleanAndWithADamagedRecord) {
  WriteLayout();
  json got = Json({"verify", image_});
  EXPECT_EQ(got, (json{{"schema", "vtape-verify"},
                       {"version", 1},
                       {"command", "verify"},
                       {"ok", true},
                       {"name", name_},
                       {"records", 4},
                       {"bytes", 100},
                       {"filemarks", 3},
                       {"unreadable", json::array()},
                       {"stopped_early", nullptr},
                       {"corrected", 0},
                       {"health", Healthy()},
                       {"result", "clean"}}))
      << got.dump(2);

  std::filesystem::remove(image_);
  WriteDamagedLayout();
  got = Json({"verify", image_}, 1);
  EXPECT_EQ(got["ok"], true) << "the verify ran to the end";
  EXPECT_EQ(got["records"], 3);
  EXPECT_EQ(got["bytes"], 12000);
  EXPECT_EQ(got["filemarks"], 1);
  ASSERT_EQ(got["unreadable"].size(), 1u) << got.dump(2);
  json bad = got["unreadable"][0];
  EXPECT_EQ(bad["partition"], 0);
  EXPECT_EQ(bad["file"], 1);
  EXPECT_EQ(bad["record"], 1);
  EXPECT_EQ(bad["object"], 3);
  EXPECT_FALSE(bad["message"].get<std::string>().empty());
  // The text output names the same record with the same message.
  ToolRun text = Vtape({"verify", image_});
  EXPECT_TRUE(Has(text.out, "medium error: file 1 record 1 (object 3): " +
                                bad["message"].get<std::string>() + "\n"))
      << text.out;
  EXPECT_EQ(got["stopped_early"], nullptr);
  EXPECT_EQ(got["result"], "unreadable-records");
}

TEST_F(JsonOutput, RaitMembersAndHealth) {
  std::string set = "rait:file:" + dir_ + "/r-{a,b,c}.img";
  ASSERT_EQ(Vtape({"create", set, "--barcode", "RAIT01", "--capacity", "100M"}).exit_code, 0)
      << last_.err;
  auto members = [&](bool b_failed) {
    json list = json::array();
    for (int i = 0; i < 3; ++i) {
      list.push_back({{"index", i},
                      {"name", "file:" + dir_ + "/r-" + std::string(1, char('a' + i)) + ".img"},
                      {"failed", i == 1 && b_failed}});
    }
    return json{{"members", list}, {"degraded_writes", "allow"}, {"parallel", "auto"}};
  };
  json got = Json({"info", set});
  EXPECT_EQ(got["barcode"], "RAIT01");
  EXPECT_EQ(got["health"], Healthy());
  EXPECT_EQ(got["rait"], members(false)) << got.dump(2);

  std::filesystem::remove(dir_ + "/r-b.img");
  got = Json({"info", set});
  EXPECT_EQ(got["health"]["degraded"], true) << got.dump(2);
  EXPECT_EQ(got["health"]["failed_members"], json::array({1}));
  EXPECT_TRUE(got["health"]["detail"].get<std::string>().find("member 1") != std::string::npos)
      << got["health"];
  EXPECT_EQ(got["rait"], members(true)) << got.dump(2);
  got = Json({"verify", set});
  EXPECT_EQ(got["result"], "clean");
  EXPECT_EQ(got["health"]["failed_members"], json::array({1}));
}

TEST_F(JsonOutput, FailuresAreAnswersWithAnError) {
  for (const char* command : {"info", "ls", "verify"}) {
    json got = Json({command, dir_ + "/missing.img"}, 3);
    EXPECT_EQ(got["schema"], "vtape-" + std::string(command));
    EXPECT_EQ(got["version"], 1);
    EXPECT_EQ(got["command"], command);
    EXPECT_EQ(got["ok"], false);
    EXPECT_EQ(got["error"]["reason"], nullptr);
    EXPECT_EQ(got["error"]["code"], "not-found") << got.dump(2);
    std::string message = got["error"]["message"];
    EXPECT_TRUE(message.starts_with("open file:" + dir_ + "/missing.img: ")) << message;
    EXPECT_EQ(last_.err, "");
  }
  // Usage errors stay text on stderr, exit 2.
  ToolRun r = Vtape({"info", image_, "extra", "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(Has(r.err, "expected exactly one NAME")) << r.err;
}

// Every key of an answer (at any depth), for the documentation check below.
void CollectKeys(const json& j, std::set<std::string>& keys) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      keys.insert(it.key());
      CollectKeys(it.value(), keys);
    }
  } else if (j.is_array()) {
    for (const json& e : j) CollectKeys(e, keys);
  }
}

// The schema is documented in each command's help (vtape(1)) and in the JSON
// OUTPUT section: a key added to an answer but not there fails here.
TEST_F(JsonOutput, EveryKeyIsDocumented) {
  ASSERT_EQ(
      Vtape({"create", image_, "--capacity", "10M", "--early-warning", "1M", "--partitions", "2"})
          .exit_code,
      0);
  std::string set = "rait:file:" + dir_ + "/r-{a,b}.img";
  ASSERT_EQ(Vtape({"create", set}).exit_code, 0);
  std::filesystem::remove(dir_ + "/r-b.img");
  for (const char* command : {"info", "ls", "verify"}) {
    const tool::Command* c = tool::FindCommand(command);
    ASSERT_NE(c, nullptr);
    std::string documented = std::string(c->help) + std::string(tool::kJsonOutput);
    std::set<std::string> keys;
    for (const std::string& medium : {image_, set, dir_ + "/missing.img"}) {
      CollectKeys(Json({command, medium}, -1), keys);
    }
    EXPECT_GE(keys.size(), 8u);
    for (const std::string& key : keys) {
      EXPECT_NE(documented.find(key), std::string::npos) << "vtape " << command << ": " << key;
    }
  }
}

}  // namespace
}  // namespace vtape
