// The fixture the `vtape` end-to-end tests share: a scratch directory with a
// file: image name, a known layout of records and filemarks, and a way to
// damage one stored record.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/tools/tool_run.h"
#include "vtape/record_codec.h"
#include "vtape/record_tag.h"
#include "vtape/registry.h"

namespace vtape {

inline std::string Slurp(const std::string& path) {
  return SlurpFile(path);
}

inline std::vector<std::uint8_t> Bytes(std::size_t n, std::uint32_t seed) {
  std::vector<std::uint8_t> v(n);
  std::uint32_t x = seed * 2654435761u + 7u;
  for (auto& b : v) {
    x = x * 1664525u + 1013904223u;
    b = static_cast<std::uint8_t>(x >> 24);
  }
  return v;
}

inline std::string AsText(const std::vector<std::uint8_t>& v) {
  return {v.begin(), v.end()};
}

class VtapeTool : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "vtape-tool-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    image_ = dir_ + "/A00001L8.img";
    name_ = "file:" + image_;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  ToolRun Vtape(std::vector<std::string> args) { return RunVtapeTool(std::move(args), dir_); }

  // The medium name_ (barcode A00001L8), created empty and opened into `t`.
  void CreateAndOpen(std::unique_ptr<Tape>& t) {
    CreateOptions o;
    o.barcode = "A00001L8";
    ASSERT_TRUE(CreateTape(name_, o).ok());
    ASSERT_TRUE(OpenTape(name_, {}, t).ok());
  }

  // `record` written as a compressing drive stores it: compressed with
  // `codec` (which must make it smaller), tagged with it. Adds the stored
  // length to `stored`.
  static void WriteCompressed(Tape& t, std::uint8_t codec, const std::vector<std::uint8_t>& record,
                              std::uint64_t& stored) {
    std::vector<std::uint8_t> form;
    ASSERT_EQ(CompressRecord(codec, record, form), codec);
    const ConstPiece pieces[1] = {form};
    ASSERT_TRUE(t.WriteTagged(RecordPieces(pieces), codec).ok());
    stored += form.size();
  }

  // Layout: file 0 = R(10) R(20) | file 1 = R(30) | file 2 = (empty) | file 3 = R(40), EOD.
  void WriteLayout() {
    std::unique_ptr<Tape> t;
    ASSERT_NO_FATAL_FAILURE(CreateAndOpen(t));
    ASSERT_TRUE(t->Write(Bytes(10, 0)).ok());
    ASSERT_TRUE(t->Write(Bytes(20, 1)).ok());
    ASSERT_TRUE(t->WriteFilemarks(1, false).ok());
    ASSERT_TRUE(t->Write(Bytes(30, 3)).ok());
    ASSERT_TRUE(t->WriteFilemarks(2, false).ok());
    ASSERT_TRUE(t->Write(Bytes(40, 6)).ok());
    ASSERT_TRUE(t->Close().ok());
  }

  // On a medium of two partitions (vtape create --partitions 2:...): partition
  // 0 = R(10) | (EOD), partition 1 = R(30) R(40), EOD.
  void FillTwoPartitions() {
    std::unique_ptr<Tape> t;
    ASSERT_TRUE(OpenTape(name_, {}, t).ok());
    SpaceResult sr;
    ASSERT_TRUE(t->Write(Bytes(10, 0)).ok());
    ASSERT_TRUE(t->WriteFilemarks(1, true).ok());
    ASSERT_TRUE(t->Locate(1, 0, sr).ok());
    ASSERT_TRUE(t->Write(Bytes(30, 1)).ok());
    ASSERT_TRUE(t->Write(Bytes(40, 2)).ok());
    ASSERT_TRUE(t->Close().ok());
  }

  // file 0 = R(4000) | file 1 = R(4000) R(4000, damaged) R(4000), EOD: file 1's
  // record 1 (object 3) fails its checksum.
  void WriteDamagedLayout() {
    CreateOptions o;
    ASSERT_TRUE(CreateTape(name_, o).ok());
    std::unique_ptr<Tape> t;
    ASSERT_TRUE(OpenTape(name_, {}, t).ok());
    ASSERT_TRUE(t->Write(Bytes(4000, 1)).ok());
    ASSERT_TRUE(t->WriteFilemarks(1, false).ok());
    ASSERT_TRUE(t->Write(Bytes(4000, 2)).ok());
    ASSERT_TRUE(t->Write(Bytes(4000, 3)).ok());
    ASSERT_TRUE(t->Write(Bytes(4000, 4)).ok());
    ASSERT_TRUE(t->Close().ok());
    t.reset();
    DamageRecord(Bytes(4000, 3));
  }

  // Damages the stored payload of a record so its checksum fails.
  void DamageRecord(const std::vector<std::uint8_t>& payload) {
    std::string bytes = Slurp(image_);
    std::string needle = AsText(payload);
    std::size_t at = bytes.find(needle);
    ASSERT_NE(at, std::string::npos) << "record payload not stored verbatim";
    std::fstream f(image_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(at + needle.size() / 2));
    char flipped = static_cast<char>(bytes[at + needle.size() / 2] ^ 0x40);
    f.write(&flipped, 1);
    ASSERT_TRUE(f.good());
  }

  std::string dir_, image_, name_;
};

inline bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace vtape
