// WRITE data the glue leaves in pieces (ScsiCommand::data_out_pieces, one per
// iovec): records are cut from the pieces wherever their boundaries fall and
// stored exactly as if the data had come in one buffer, with and without the
// drive buffer, on mem: and file:.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "drive_harness.h"
#include "ssc_test_util.h"

namespace vtape::ssc::testing {
namespace {

struct Medium {
  std::string label;
  std::string name;  // "" = a file: image in a scratch directory
  std::uint64_t buffer_bytes;
};

class ScatteredWrite : public ::testing::TestWithParam<Medium> {
 protected:
  void SetUp() override {
    std::string name = GetParam().name;
    if (name.empty()) {
      char pattern[] = "/tmp/vtape_scatter_XXXXXX";
      ASSERT_NE(mkdtemp(pattern), nullptr);
      dir_ = pattern;
      name = "file:" + dir_ + "/t.img";
      CreateOptions create;
      create.capacity_bytes = 64 << 20;
      create.early_warning_bytes = 1 << 20;
      ASSERT_TRUE(CreateTape(name, create).ok());
    }
    DriveConfig config;
    config.buffer_bytes = GetParam().buffer_bytes;
    h_.emplace(name, config);
    h_->ClearPowerOnAttention();
  }
  void TearDown() override {
    h_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // WRITE `cdb` with `data` split into pieces of `sizes` bytes.
  const ScsiResult& WritePieces(const Bytes& cdb, const Bytes& data,
                                const std::vector<std::size_t>& sizes) {
    std::vector<std::span<const std::uint8_t>> pieces;
    std::size_t at = 0;
    for (std::size_t n : sizes) {
      pieces.push_back(std::span<const std::uint8_t>(data).subspan(at, n));
      at += n;
    }
    spc::ScsiCommand cmd{cdb, {}, {}};
    cmd.data_out_pieces = pieces;
    result_ = h_->drive().Execute(cmd);
    return result_;
  }
  DriveHarness& h() { return *h_; }

  std::string dir_;
  std::optional<DriveHarness> h_;
  ScsiResult result_;
};

TEST_P(ScatteredWrite, VariableRecordFromPiecesReadsBackWhole) {
  const Bytes data = Pattern(10000, 3);
  ASSERT_EQ(WritePieces(Write6(10000), data, {3000, 0, 6999, 1}).status, kStatusGood);
  const Bytes small = Pattern(5, 9);
  ASSERT_EQ(WritePieces(Write6(5), small, {1, 1, 1, 1, 1}).status, kStatusGood);
  h().Run(RewindCdb());
  ASSERT_EQ(h().status(), kStatusGood);
  h().Run(Read6(10000), {}, 10000);
  EXPECT_EQ(h().status(), kStatusGood);
  EXPECT_EQ(h().data(), data);
  h().Run(Read6(5), {}, 5);
  EXPECT_EQ(h().data(), small);
}

TEST_P(ScatteredWrite, FixedBlocksCutAcrossPieceBoundaries) {
  Bytes list{0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 0, 0};
  Put(list, 9, 3, 512);
  h().Run({0x15, 0x10, 0, 0, 12, 0}, list);
  ASSERT_EQ(h().status(), kStatusGood);
  const Bytes data = Pattern(4 * 512, 5);
  ASSERT_EQ(WritePieces(Write6(4, /*fixed=*/true), data, {100, 900, 1000, 48}).status, kStatusGood);
  h().Run(RewindCdb());
  for (int i = 0; i < 4; ++i) {
    h().Run(Read6(1, /*fixed=*/true), {}, 512);
    ASSERT_EQ(h().status(), kStatusGood) << i;
    EXPECT_EQ(h().data(), Bytes(data.begin() + i * 512, data.begin() + (i + 1) * 512)) << i;
  }
  h().Run(Read6(1, true), {}, 512);
  EXPECT_EQ(h().sense(), ExpectSense(0x08, 0x00, 0x05, 0, 1));
}

TEST_P(ScatteredWrite, FewerBytesThanTheCdbAnnouncesWritesNothing) {
  const Bytes data = Pattern(1000, 1);
  const ScsiResult& r = WritePieces(Write6(1001), data, {500, 500});
  EXPECT_EQ(r.status, kStatusCheckCondition);
  EXPECT_EQ(Bytes(r.sense.begin(), r.sense.begin() + r.sense_len), ExpectInvalidCdb(2));
  h().Run(RewindCdb());
  h().Run(Read6(10), {}, 10);
  EXPECT_EQ(h().sense(), ExpectSense(0x08, 0x00, 0x05, 0, 10));
}

INSTANTIATE_TEST_SUITE_P(Media, ScatteredWrite,
                         ::testing::Values(Medium{"mem", "mem:", 0},
                                           Medium{"mem_buffered", "mem:", 1 << 20},
                                           Medium{"file", "", 0},
                                           Medium{"file_buffered", "", 1 << 20}),
                         [](const auto& info) { return info.param.label; });

}  // namespace
}  // namespace vtape::ssc::testing
