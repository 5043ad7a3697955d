// The `vtape` binary end to end: outputs and exit codes on real media.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "tests/tools/tool_fixture.h"

namespace vtape {
namespace {

// --- Help and usage ------------------------------------------------------------------

TEST_F(VtapeTool, HelpListsEveryCommand) {
  ToolRun r = Vtape({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* c : {"create", "info", "ls", "verify", "dump", "protect"}) {
    EXPECT_TRUE(Has(r.out, std::string("  ") + c + " ")) << c << " missing from\n" << r.out;
  }
  r = Vtape({"help", "create"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(Has(r.out, "usage: vtape create NAME")) << r.out;
  EXPECT_TRUE(Has(r.out, "--early-warning SIZE")) << r.out;
  r = Vtape({"verify", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(Has(r.out, "usage: vtape verify NAME")) << r.out;
}

TEST_F(VtapeTool, UsageErrorsExitTwoWithAReason) {
  struct Case {
    std::vector<std::string> args;
    const char* reason;
  };
  const Case cases[] = {
      {{}, "usage: vtape COMMAND"},
      {{"frobnicate"}, "no command 'frobnicate'"},
      {{"help", "frobnicate"}, "no command 'frobnicate'"},
      {{"create"}, "expected exactly one NAME"},
      {{"create", "mem:", "--capacity", "4Q"}, "unknown unit 'Q'"},
      {{"create", "mem:", "--capacity"}, "--capacity: 1 required SIZE missing"},
      {{"create", "mem:", "--media", "LTO-99"}, "unknown media type 'LTO-99'"},
      {{"create", "mem:", "--capacity", "1M", "--early-warning", "2M"},
       "smaller than the capacity"},
      {{"create", "mem:", "--barcode", "012345678901234567890123456789012"}, "at most 32"},
      {{"create", "mem:", "--colour", "red"}, "unknown option --colour"},
      {{"info"}, "expected exactly one NAME"},
      {{"info", "a", "b"}, "expected exactly one NAME"},
      {{"dump", "mem:", "x1"}, "FILE_NUMBER 'x1' is not a whole number"},
      {{"dump", "mem:"}, "expected NAME and FILE_NUMBER"},
      {{"protect", "mem:", "maybe"}, "expected on or off, not 'maybe'"},
  };
  for (const Case& c : cases) {
    ToolRun r = Vtape(c.args);
    EXPECT_EQ(r.exit_code, 2) << testing::PrintToString(c.args);
    EXPECT_TRUE(Has(r.err, c.reason)) << testing::PrintToString(c.args) << ": " << r.err;
  }
}

TEST_F(VtapeTool, CannotOpenExitsThreeWithTheStatus) {
  ToolRun r = Vtape({"info", dir_ + "/missing.img"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(Has(r.err, "vtape: open file:" + dir_ + "/missing.img: ")) << r.err;
  r = Vtape({"verify", "fault:{read@1=zap}mem:"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(Has(r.err, "invalid-argument")) << r.err;
  EXPECT_TRUE(Has(r.err, "unknown effect 'zap'")) << r.err;
}

// --- mem:/null: (no persistence: every open starts blank) ------------------------------

TEST_F(VtapeTool, InfoLsVerifyOnABlankMemoryMedium) {
  ToolRun r = Vtape({"info", "mem:capacity=1000000,barcode=MEM001"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "barcode:        MEM001\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "capacity:       1000000 bytes (976.6 KiB)\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "used:           0 bytes (0 B), 0.0%\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "records:        0\nfilemarks:      0\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "health:         ok\n")) << r.out;
  r = Vtape({"ls", "null:"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "FILE\tRECORDS\tBYTES\tENDS AT\ntotal: 0 files, 0 records, 0 bytes (0 B)\n");
  r = Vtape({"verify", "mem:"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "verified mem:: 0 records, 0 bytes (0 B), 0 filemarks\nresult: clean\n");
  r = Vtape({"dump", "mem:", "1"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(Has(r.err, "file 1 does not exist (the medium holds no files)")) << r.err;
}

TEST_F(VtapeTool, ReadErrorThatIsNotAMediumErrorExitsThree) {
  ToolRun r = Vtape({"verify", "fault:{locate@1=eio}mem:"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(Has(r.err, "io-error")) << r.err;
}

// --- file: media ---------------------------------------------------------------------

TEST_F(VtapeTool, CreateThenInfoShowsTheLabelAndShape) {
  ToolRun r = Vtape({"create", image_, "--barcode", "A00001L7", "--media", "lto7", "--capacity",
                     "400M", "--early-warning", "10M"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "created " + name_ +
                       ": barcode 'A00001L7', LTO-7, capacity 419430400 bytes (400.0 MiB)\n");
  r = Vtape({"info", name_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "name:           " + name_ + "\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "barcode:        A00001L7\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "media:          LTO-7\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "capacity:       419430400 bytes (400.0 MiB)\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "early warning:  10485760 bytes (10.0 MiB) before the end\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "remaining:      419430400 bytes (400.0 MiB)\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "write protect:  off\n")) << r.out;
  // An existing medium is kept unless --force.
  r = Vtape({"create", image_, "--barcode", "OTHER"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(Has(r.err, "vtape: create " + name_ + ": ")) << r.err;
  r = Vtape({"create", image_, "--barcode", "OTHER", "--force"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = Vtape({"info", image_});
  EXPECT_TRUE(Has(r.out, "barcode:        OTHER\n")) << r.out;
}

TEST_F(VtapeTool, CreateWithPartitionsThenInfoAndLsShowEachPartition) {
  ToolRun r = Vtape({"create", image_, "--barcode", "LTFS01", "--capacity", "10M",
                     "--early-warning", "1M", "--partitions", "2:2M"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "created " + name_ +
                       ": barcode 'LTFS01', LTO-8, capacity 10485760 bytes (10.0 MiB), "
                       "2 partitions (2097152, 0 rest)\n");
  FillTwoPartitions();
  r = Vtape({"info", image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "format version: 2\n")) << r.out;
  EXPECT_TRUE(Has(r.out,
                  "partitions:     2\n"
                  "  partition 0:    capacity 2097152 bytes (2.0 MiB), used 4106 bytes (4.0 KiB), "
                  "1 records, 1 filemarks, early warning 1048576 bytes before its end\n"
                  "  partition 1:    capacity 8388608 bytes (8.0 MiB), used 70 bytes (70 B), "
                  "2 records, 0 filemarks, early warning 1048576 bytes before its end\n"))
      << r.out;
  r = Vtape({"ls", image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "PART\tFILE\tRECORDS\tBYTES\tENDS AT\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "total: ")) << r.out;
}

TEST_F(VtapeTool, CreateRefusesMorePartitionsThanTheMediaAllow) {
  ToolRun r = Vtape({"create", image_, "--media", "LTO-6", "--partitions", "3"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "--partitions: '3' is no partition count this media type allows (1 to 2)"))
      << r.err;
  r = Vtape({"create", image_, "--partitions", "3:1M"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "give 2 sizes for the first partitions")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(image_)) << "nothing is created on a usage error";
}

// --worm: the generation's WORM cartridge, persisted in the image's media type
// (vtape/FORMAT.md) and named by info; LTO-6 WORM media still hold 2 partitions.
TEST_F(VtapeTool, CreateWormThenInfoSaysWorm) {
  ToolRun r = Vtape({"create", image_, "--barcode", "A00001LY", "--worm", "--capacity", "10M",
                     "--early-warning", "1M"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "created " + name_ +
                       ": barcode 'A00001LY', LTO-8 WORM, capacity 10485760 bytes (10.0 MiB)\n");
  r = Vtape({"info", image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "media:          LTO-8 WORM (WORM: write once, data only appended)\n"))
      << r.out;
  std::unique_ptr<Tape> t;
  ASSERT_TRUE(OpenTape(name_, {}, t).ok());
  MediumInfo info;
  ASSERT_TRUE(t->Stat(info).ok());
  EXPECT_EQ(info.media_type, "LTO-8 WORM");
  ASSERT_TRUE(t->Close().ok());

  r = Vtape({"create", image_, "--force", "--media", "LTO-6", "--worm", "--capacity", "10M",
             "--early-warning", "1M", "--partitions", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, ", LTO-6 WORM, capacity 10485760 bytes (10.0 MiB), 2 partitions"))
      << r.out;
  // The WORM media type by name works as --worm does.
  r = Vtape({"create", image_, "--force", "--media", "lto-9 worm", "--capacity", "10M",
             "--early-warning", "1M"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, ", LTO-9 WORM, ")) << r.out;
  // LTO-M8 has no WORM cartridge.
  r = Vtape({"create", image_, "--force", "--media", "LTO-M8", "--worm"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "--worm: LTO-M8 has no WORM cartridge")) << r.err;
  // A RAIT set: every member is the WORM cartridge, so the set is.
  const std::string set = "rait:{file:" + image_ + ".a,file:" + image_ + ".b}";
  r = Vtape({"create", set, "--worm", "--capacity", "10M", "--early-warning", "1M"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Vtape({"info", set});
  EXPECT_TRUE(Has(r.out, "media:          LTO-8 WORM (WORM: write once, data only appended)\n"))
      << r.out << r.err;
}

TEST_F(VtapeTool, UpgradeRewritesVersion1AsVersion2) {
  ASSERT_EQ(Vtape({"create", image_}).exit_code, 0);
  ToolRun r = Vtape({"info", image_});
  EXPECT_TRUE(Has(r.out, "format version: 1\n")) << r.out;
  r = Vtape({"upgrade", image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, name_ + ": format version 1 -> 2\n");
  EXPECT_TRUE(Has(Vtape({"info", image_}).out, "format version: 2\n"));
  r = Vtape({"upgrade", image_});
  EXPECT_EQ(r.out, name_ + ": already format version 2\n");
  r = Vtape({"upgrade", "mem:"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(VtapeTool, ProtectTogglesTheMediumsWriteProtect) {
  ToolRun r = Vtape({"create", image_, "--barcode", "WP", "--write-protect"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, ", write protected\n")) << r.out;
  EXPECT_TRUE(Has(Vtape({"info", image_}).out, "write protect:  on\n"));
  r = Vtape({"protect", image_, "off"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, name_ + ": write protect off\n");
  EXPECT_TRUE(Has(Vtape({"info", image_}).out, "write protect:  off\n"));
  std::unique_ptr<Tape> t;
  ASSERT_TRUE(OpenTape(name_, {}, t).ok());
  EXPECT_TRUE(t->Write(Bytes(5, 1)).ok());
  ASSERT_TRUE(t->Close().ok());
  EXPECT_EQ(Vtape({"protect", image_, "on"}).exit_code, 0);
  ASSERT_TRUE(OpenTape(name_, {}, t).ok());
  EXPECT_EQ(t->Write(Bytes(5, 1)).code(), Code::kWriteProtected);
}

TEST_F(VtapeTool, InfoCountsRecordsFilemarksAndBytes) {
  WriteLayout();
  ToolRun r = Vtape({"info", image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 100 payload bytes + 3 filemarks of kFilemarkBytes (4096) each.
  EXPECT_TRUE(Has(r.out, "used:           12388 bytes (12.1 KiB), 0.0%\n")) << r.out;
  EXPECT_TRUE(Has(r.out, "records:        4\nfilemarks:      3\npartitions:     1\n")) << r.out;
}

TEST_F(VtapeTool, LsListsEveryFileFromTheIndex) {
  WriteLayout();
  ToolRun r = Vtape({"ls", image_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "FILE\tRECORDS\tBYTES\tENDS AT\n"
            "0\t2\t30\tfilemark\n"
            "1\t1\t30\tfilemark\n"
            "2\t0\t0\tfilemark\n"
            "3\t1\t40\tEOD\n"
            "total: 4 files, 4 records, 100 bytes (100 B)\n");
}

TEST_F(VtapeTool, LsOmitsTheEmptyStretchAfterTheLastFilemark) {
  CreateOptions o;
  ASSERT_TRUE(CreateTape(name_, o).ok());
  std::unique_ptr<Tape> t;
  ASSERT_TRUE(OpenTape(name_, {}, t).ok());
  ASSERT_TRUE(t->Write(Bytes(7, 1)).ok());
  ASSERT_TRUE(t->WriteFilemarks(1, true).ok());
  ASSERT_TRUE(t->Close().ok());
  ToolRun r = Vtape({"ls", name_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "FILE\tRECORDS\tBYTES\tENDS AT\n"
            "0\t1\t7\tfilemark\n"
            "total: 1 files, 1 records, 7 bytes (7 B)\n");
  r = Vtape({"dump", name_, "1"});
  EXPECT_EQ(r.exit_code, 3) << "ls does not list it, so dump does not find it";
  EXPECT_TRUE(Has(r.err, "file 1 does not exist (files 0 to 0 do)")) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(VtapeTool, VerifyReportsInjectedMediumErrorsThroughAFaultName) {
  WriteLayout();
  ToolRun r = Vtape({"verify", "fault:{read@4=medium}" + name_});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  // Read 4 meets object 3, the only record of file 1.
  EXPECT_TRUE(Has(r.out, "medium error: file 1 record 0 (object 3): fault: injected medium"))
      << r.out;
  r = Vtape({"verify", "fault:{read@3+=eio}" + name_});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(Has(r.err, "vtape: read fault:{read@3+=eio}" + name_ + ": io-error")) << r.err;
}

TEST_F(VtapeTool, DumpWritesTheRecordsOfOneFileRaw) {
  WriteLayout();
  ToolRun r = Vtape({"dump", image_, "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, AsText(Bytes(10, 0)) + AsText(Bytes(20, 1)));
  r = Vtape({"dump", image_, "1"});
  EXPECT_EQ(r.out, AsText(Bytes(30, 3)));
  r = Vtape({"dump", image_, "2"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  r = Vtape({"dump", image_, "3"});
  EXPECT_EQ(r.out, AsText(Bytes(40, 6)));
  r = Vtape({"dump", image_, "5"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(Has(r.err, "file 5 does not exist (files 0 to 3 do)")) << r.err;
}

// A drive that compresses stores LZ4 records: dump gives the host's bytes; an
// encrypted record cannot be decoded without the drive's key and is left out.
TEST_F(VtapeTool, DumpDecodesCompressedRecordsAndLeavesOutEncryptedOnes) {
  std::unique_ptr<Tape> t;
  ASSERT_NO_FATAL_FAILURE(CreateAndOpen(t));
  std::vector<std::uint8_t> text;
  for (int i = 0; i < 3000; ++i) text.push_back(static_cast<std::uint8_t>("abcab"[i % 5]));
  std::uint64_t stored = 0;
  ASSERT_NO_FATAL_FAILURE(WriteCompressed(*t, kTagLz4, text, stored));
  ASSERT_TRUE(t->Write(Bytes(7, 5)).ok());
  ASSERT_NO_FATAL_FAILURE(
      WriteCompressed(*t, kTagZstd, std::vector<std::uint8_t>(5000, 8), stored));
  const std::vector<std::uint8_t> ciphertext = Bytes(600, 9);
  const ConstPiece sealed[1] = {ciphertext};
  ASSERT_TRUE(t->WriteTagged(RecordPieces(sealed), kTagEncrypted | kTagLz4).ok());
  ASSERT_TRUE(t->Write(Bytes(3, 4)).ok());
  ASSERT_TRUE(t->WriteFilemarks(1, false).ok());
  ASSERT_TRUE(t->Close().ok());

  ToolRun r = Vtape({"dump", name_, "0"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, AsText(text) + AsText(Bytes(7, 5)) + AsText(std::vector<std::uint8_t>(5000, 8)) +
                       AsText(Bytes(3, 4)));
  EXPECT_TRUE(
      Has(r.err, "file 0 record 3 is encrypted (the key lives only in the drive) and was left out"))
      << r.err;
}

TEST_F(VtapeTool, VerifyCleanImage) {
  WriteLayout();
  ToolRun r = Vtape({"verify", image_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "verified " + name_ + ": 4 records, 100 bytes (100 B), 3 filemarks\nresult: clean\n");
  // stderr is a file here: plain progress lines, no terminal control characters.
  // Progress counts medium bytes: 100 payload bytes + 3 filemarks of 4096.
  EXPECT_TRUE(Has(r.err, "verify: 100% (12.1 KiB of 12.1 KiB)\n")) << r.err;
  EXPECT_FALSE(Has(r.err, "\r"));
}

TEST_F(VtapeTool, VerifyCorruptImageExitsOneAndNamesTheRecord) {
  WriteDamagedLayout();
  ToolRun r = Vtape({"verify", image_});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(Has(r.out, "verified " + name_ + ": 3 records, 12000 bytes")) << r.out;
  EXPECT_TRUE(Has(r.out, "medium error: file 1 record 1 (object 3): ")) << r.out;
  EXPECT_TRUE(Has(r.out, "result: 1 unreadable record\n")) << r.out;
  r = Vtape({"dump", image_, "1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, AsText(Bytes(4000, 2)) + AsText(Bytes(4000, 4)));
  EXPECT_TRUE(Has(r.err, "file 1 record 1 (object 3) is unreadable")) << r.err;
  r = Vtape({"dump", image_, "0"});
  EXPECT_EQ(r.exit_code, 0) << "file 0 is intact";
}

}  // namespace
}  // namespace vtape
