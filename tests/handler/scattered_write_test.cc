// WRITE and READ data the glue leaves in pieces (ScsiCommand::data_out_pieces,
// data_in_pieces: one per iovec): records are cut from (read into) the pieces
// wherever their boundaries fall, exactly as with one buffer, with and without
// the drive buffer (and its read-ahead), on mem: and file:.
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
  // READ `cdb` into pieces of `sizes` bytes; `data` gets their concatenation.
  const ScsiResult& ReadPieces(const Bytes& cdb, const std::vector<std::size_t>& sizes,
                               Bytes& data) {
    std::size_t total = 0;
    for (std::size_t n : sizes) total += n;
    data.assign(total, 0xEE);
    std::vector<std::span<std::uint8_t>> pieces;
    std::size_t at = 0;
    for (std::size_t n : sizes) {
      pieces.push_back(std::span<std::uint8_t>(data).subspan(at, n));
      at += n;
    }
    spc::ScsiCommand cmd{cdb, {}, {}};
    cmd.data_in_pieces = pieces;
    result_ = h_->drive().Execute(cmd);
    data.resize(result_.data_in_len);
    return result_;
  }
  Bytes Sense() const {
    return Bytes(result_.sense.begin(), result_.sense.begin() + result_.sense_len);
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

TEST_P(ScatteredWrite, ReadsFillThePiecesWithExactSense) {
  const Bytes big = Pattern(100000, 4), small = Pattern(10000, 6);
  for (int i = 0; i < 3; ++i) h().Run(Write6(100000), big);
  h().Run(Write6(10000), small);
  h().Run(WriteFilemarks6(1));
  h().Run(RewindCdb());
  Bytes got;
  // Whole records (the large ones read straight into the pieces on file:).
  ASSERT_EQ(ReadPieces(Read6(100000), {4096, 0, 65536, 30368}, got).status, kStatusGood);
  EXPECT_EQ(got, big);
  ASSERT_EQ(ReadPieces(Read6(100000), {1, 99999}, got).status, kStatusGood);
  EXPECT_EQ(got, big);
  // Fewer bytes asked than the record holds: ILI, the first bytes, position after it.
  ReadPieces(Read6(6000), {1000, 5000}, got);
  EXPECT_EQ(Sense(), ExpectSense(0x00, 0x00, 0x00, kIli, 6000 - 100000));
  EXPECT_EQ(got, Bytes(big.begin(), big.begin() + 6000));
  // More asked than the record holds: ILI with a positive residual.
  ReadPieces(Read6(12000), {2000, 10000}, got);
  EXPECT_EQ(Sense(), ExpectSense(0x00, 0x00, 0x00, kIli, 2000));
  EXPECT_EQ(got, small);
  ReadPieces(Read6(100), {50, 50}, got);
  EXPECT_EQ(Sense(), ExpectSense(0x00, 0x00, 0x01, kFm, 100));
  EXPECT_TRUE(got.empty());
  ReadPieces(Read6(100), {50, 50}, got);
  EXPECT_EQ(Sense(), ExpectSense(0x08, 0x00, 0x05, 0, 100));
}

TEST_P(ScatteredWrite, FixedBlocksReadAcrossPieceBoundaries) {
  Bytes list{0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 0, 0};
  Put(list, 9, 3, 512);
  h().Run({0x15, 0x10, 0, 0, 12, 0}, list);
  ASSERT_EQ(h().status(), kStatusGood);
  const Bytes data = Pattern(5 * 512, 8);
  h().Run(Write6(5, /*fixed=*/true), data);
  ASSERT_EQ(h().status(), kStatusGood);
  h().Run(RewindCdb());
  Bytes got;
  ASSERT_EQ(ReadPieces(Read6(4, true), {100, 900, 1000, 48}, got).status, kStatusGood);
  EXPECT_EQ(got, Bytes(data.begin(), data.begin() + 4 * 512));
  // One block left: a read of 3 stops at EOD with 2 not read and 1 block delivered.
  ReadPieces(Read6(3, true), {700, 836}, got);
  EXPECT_EQ(Sense(), ExpectSense(0x08, 0x00, 0x05, 0, 2));
  EXPECT_EQ(got, Bytes(data.begin() + 4 * 512, data.end()));
}

INSTANTIATE_TEST_SUITE_P(Media, ScatteredWrite,
                         ::testing::Values(Medium{"mem", "mem:", 0},
                                           Medium{"mem_buffered", "mem:", 1 << 20},
                                           Medium{"file", "", 0},
                                           Medium{"file_buffered", "", 1 << 20}),
                         [](const auto& info) { return info.param.label; });

}  // namespace
}  // namespace vtape::ssc::testing
