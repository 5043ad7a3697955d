// ExpectedTransfer and ScratchBuffer (handler/transfer_size.h): the glue's
// buffers follow the CDB and the path's maximum, not the initiator's buffer.
#include "handler/ssc/transfer_size.h"

#include <gtest/gtest.h>

#include "drive_harness.h"
#include "handler/ssc/commands.h"
#include "ssc_test_util.h"

namespace vtape::ssc::testing {
namespace {

constexpr std::uint32_t kMax = 1u << 20;

TransferBytes For(const Bytes& cdb, std::uint32_t block_length = 0) {
  return ExpectedTransfer(cdb, block_length, kMax);
}

TEST(ExpectedTransfer, WriteTakesTheCdbTransferLengthOnly) {
  EXPECT_EQ(For(Write6(1)).data_out, 1u);  // a 1-byte WRITE costs 1 byte, whatever is offered
  EXPECT_EQ(For(Write6(1)).data_in, 0u);
  EXPECT_EQ(For(Write6(65536)).data_out, 65536u);
  EXPECT_EQ(For(Write16(4096, 0, 7)).data_out, 4096u);
  EXPECT_EQ(For(Write6(3, /*fixed=*/true), 512).data_out, 1536u);  // blocks x block length
  EXPECT_EQ(For(Write6(0xFFFFFF)).data_out, kMax);                 // capped by the path
  EXPECT_EQ(For(Write6(0xFFFFFF, true), 1u << 20).data_out, kMax);
}

TEST(ExpectedTransfer, ReadOffersTheTransferLength) {
  EXPECT_EQ(For(Read6(10)).data_in, 10u);
  EXPECT_EQ(For(Read6(10)).data_out, 0u);
  EXPECT_EQ(For(Read6(4, true), 1024).data_in, 4096u);
  EXPECT_EQ(For(Read16(700, 0, 0)).data_in, 700u);
  EXPECT_EQ(For(Read6(0x800000)).data_in, kMax);
}

TEST(ExpectedTransfer, BufferDiagnosticTimestampAndVerify) {
  EXPECT_EQ(For({0x3C, 0x02, 1, 0, 0, 0, 0x01, 0x00, 0x00, 0}).data_in, 65536u);  // READ BUFFER
  EXPECT_EQ(For({0x3B, 0x0A, 0, 0, 0, 0, 0, 0x01, 0x00, 0}).data_out, 256u);      // WRITE BUFFER
  EXPECT_EQ(For({0x1D, 0x10, 0, 0, 8, 0}).data_out, 8u);                          // SEND DIAGNOSTIC
  EXPECT_EQ(For({0x1C, 0x01, 0, 0x01, 0x00, 0}).data_in, 256u);               // RECEIVE DIAGNOSTIC
  EXPECT_EQ(For({0xA3, 0x0F, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0}).data_in, 12u);   // REPORT TIMESTAMP
  EXPECT_EQ(For({0xA4, 0x0F, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0}).data_out, 12u);  // SET TIMESTAMP
  // VERIFY moves data only with BYTCMP: the records to compare.
  EXPECT_EQ(For({0x13, 0x00, 0, 0x10, 0, 0}).data_out, 0u);
  EXPECT_EQ(For({0x13, 0x02, 0, 0x10, 0, 0}).data_out, 4096u);
  EXPECT_EQ(For({0x13, 0x03, 0, 0, 3, 0}, 512).data_out, 1536u);
  Bytes verify16(16, 0);
  verify16[0] = 0x8F;
  verify16[1] = 0x02;
  verify16[14] = 100;
  EXPECT_EQ(For(verify16).data_out, 100u);
}

TEST(ExpectedTransfer, ParameterListAndAllocationLengths) {
  EXPECT_EQ(For({0x15, 0x10, 0, 0, 28, 0}).data_out, 28u);                    // MODE SELECT(6)
  EXPECT_EQ(For({0x55, 0x10, 0, 0, 0, 0, 0, 0x01, 0x02, 0}).data_out, 258u);  // MODE SELECT(10)
  EXPECT_EQ(For({0x4C, 0x02, 0x40, 0, 0, 0, 0, 0, 12, 0}).data_out, 12u);     // LOG SELECT
  EXPECT_EQ(For({0x12, 0, 0, 0, 96, 0}).data_in, 96u);                        // INQUIRY
  EXPECT_EQ(For({0x03, 0, 0, 0, 18, 0}).data_in, 18u);                        // REQUEST SENSE
  EXPECT_EQ(For({0x1A, 0, 0x3F, 0, 255, 0}).data_in, 255u);                   // MODE SENSE(6)
  EXPECT_EQ(For({0x5A, 0, 0x3F, 0, 0, 0, 0, 0x10, 0, 0}).data_in, 4096u);     // MODE SENSE(10)
  EXPECT_EQ(For({0x4D, 0, 0x40, 0, 0, 0, 0, 0x40, 0, 0}).data_in, 16384u);    // LOG SENSE
  EXPECT_EQ(For({0x44, 0, 0, 0, 0, 0, 0, 0, 60, 0}).data_in, 60u);  // REPORT DENSITY SUPPORT
  EXPECT_EQ(For({0x05, 0, 0, 0, 0, 0}).data_in, 6u);                // READ BLOCK LIMITS
  EXPECT_EQ(For({0x05, 1, 0, 0, 0, 0}).data_in, 20u);               // ... with MLOI
  EXPECT_EQ(For(ReadPositionCdb(0x06)).data_in, 32u);
  EXPECT_EQ(For({0xA3, 0x0C, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}).data_in, kMax);
  // READ ATTRIBUTE / WRITE ATTRIBUTE: lengths in bytes 10-13 (LTFS moves 080Ch this way).
  EXPECT_EQ(For({0x8C, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x0C, 0, 0, 0x04, 0x00, 0, 0}).data_in, 1024u);
  EXPECT_EQ(For({0x8D, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x4A, 0, 0}).data_out, 74u);
  EXPECT_EQ(For({0x8D, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x4A, 0, 0}).data_in, 0u);
}

TEST(ExpectedTransfer, CommandsWithoutDataMoveNothing) {
  for (const Bytes& cdb : {Tur(), RewindCdb(), WriteFilemarks6(5), Space6(1, 3), Locate10(9),
                           Erase6(), LoadUnload(0x01), Bytes{0xFF, 0, 0, 0, 0, 0}}) {
    TransferBytes t = For(cdb);
    EXPECT_EQ(t.data_out, 0u) << int(cdb[0]);
    EXPECT_EQ(t.data_in, 0u) << int(cdb[0]);
  }
  EXPECT_EQ(ExpectedTransfer({}, 0, kMax).data_in, 0u);
}

TEST(ExpectedTransfer, DriveUsesItsModeBlockLength) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  // MODE SELECT(6): block descriptor with block length 512.
  Bytes list{0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 0x02, 0x00};
  h.Run({0x15, 0x10, 0, 0, 12, 0}, list);
  ASSERT_EQ(h.status(), kStatusGood);
  EXPECT_EQ(h.drive().ExpectedTransfer(Read6(3, true)).data_in, 1536u);
  EXPECT_EQ(h.drive().ExpectedTransfer(Write6(2, true)).data_out, 1024u);
}

TEST(Transfer, ReadAndWriteBeyondTheMaximumTransferAreRefused) {
  DriveConfig config;
  config.max_transfer_bytes = 4096;
  DriveHarness h("mem:", config);
  h.ClearPowerOnAttention();
  h.Run(Write6(4097), Pattern(4097));
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(2));
  h.Run(Read6(4097), {}, 4097);
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(2));
  h.Run({0x15, 0x10, 0, 0, 12, 0}, Bytes{0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 0x04, 0x00});
  ASSERT_EQ(h.status(), kStatusGood);  // fixed blocks of 1024
  h.Run(Write6(5, true), Pattern(5120));
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(2));
  h.Run(Read6(5, true), {}, 5120);
  EXPECT_EQ(h.sense(), ExpectInvalidCdb(2));
  h.Run(Write6(4, true), Pattern(4096));
  EXPECT_EQ(h.status(), kStatusGood);
}

// The glue offers a reply buffer of ExpectedTransfer().data_in bytes: no
// command may return more, or the glue would cut its reply. Every command of
// the table, with seeded random CDB bits inside its usage data and generous
// buffers, on a medium holding records and filemarks.
TEST(ExpectedTransfer, NoCommandReturnsMoreThanItsExpectedDataIn) {
  DriveHarness h;
  h.ClearPowerOnAttention();
  for (int i = 0; i < 5; ++i) {
    h.Run(Write6(3000), Pattern(3000));
    h.Run(WriteFilemarks6(1));
  }
  std::uint64_t seed = 0x243F6A8885A308D3u;
  auto next = [&seed] {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  for (int round = 0; round < 4000; ++round) {
    const auto commands = AllCommands();
    const CommandInfo& info = commands[next() % commands.size()];
    Bytes cdb(info.cdb_length, 0);
    cdb[0] = info.opcode;
    for (std::size_t b = 1; b < info.cdb_length; ++b) {
      cdb[b] = static_cast<std::uint8_t>(next()) & info.usage[b];
    }
    if (info.service_action) cdb[1] = (cdb[1] & 0xE0) | *info.service_action;
    if (cdb[0] == 0x1B) cdb[4] &= 0x01;  // no UNLOAD: keep the medium for later rounds
    const TransferBytes expected = h.drive().ExpectedTransfer(cdb);
    h.Run(cdb, Pattern(70000), 70000);
    ASSERT_LE(h.result().data_in_len, expected.data_in)
        << info.name << " returned more than its expected data-in";
  }
}

TEST(ScratchBuffer, LargeBuffersAreReleasedAfterTheCommand) {
  ScratchBuffer b;
  EXPECT_EQ(b.Get(100).size(), 100u);
  b.ReleaseIfLarge();
  EXPECT_GE(b.capacity(), 100u);  // a small one is kept for the next command
  EXPECT_EQ(b.Get(8u << 20).size(), 8u << 20);
  b.ReleaseIfLarge();
  EXPECT_LE(b.capacity(), ScratchBuffer::kKeptBytes);
}

}  // namespace
}  // namespace vtape::ssc::testing
