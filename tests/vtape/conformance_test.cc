// Checks every guarantee of the contract in vtape/tape.h on every backend
// (instantiated in conformance_backends_test.cc; see conformance.h to add more).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/vtape/conformance.h"
#include "tests/vtape/conformance_util.h"
#include "vtape/buffered_tape.h"

namespace vtape::conformance {

// --- Factories -------------------------------------------------------------------

TapeFactory MemFactory() {
  TapeFactory f;
  f.label = "mem";
  f.persistent = false;
  f.create = [](const std::string&, const CreateOptions& o, std::string& name) {
    name = "mem:barcode=" + o.barcode + ",media=" + o.media_type +
           ",write_protected=" + (o.write_protected ? "1" : "0");
    if (o.capacity_bytes != 0) name += ",capacity=" + std::to_string(o.capacity_bytes);
    if (o.early_warning_bytes != 0) {
      name += ",early_warning=" + std::to_string(o.early_warning_bytes);
    }
    return CreateTape(name, o);
  };
  return f;
}

TapeFactory FileFactory() {
  TapeFactory f;
  f.label = "file";
  f.create = [](const std::string& dir, const CreateOptions& o, std::string& name) {
    name = "file:" + dir + "/x.img";
    return CreateTape(name, o);
  };
  f.damage_record = [](const std::string& name, const std::vector<std::uint8_t>& marker) {
    return FlipBytesInFile(name.substr(std::string_view("file:").size()), marker);
  };
  return f;
}

TapeFactory FaultFactory(TapeFactory inner) {
  TapeFactory f;
  f.label = "fault_" + inner.label;
  f.persistent = inner.persistent;
  f.create = [create = inner.create](const std::string& dir, const CreateOptions& o,
                                     std::string& name) {
    std::string inner_name;
    VTAPE_RETURN_IF_ERROR(create(dir, o, inner_name));
    name = "fault:" + inner_name;
    return Status::Ok();
  };
  if (inner.damage_record) {
    f.damage_record = [damage = inner.damage_record](const std::string& name,
                                                     const std::vector<std::uint8_t>& marker) {
      return damage(name.substr(std::string_view("fault:").size()), marker);
    };
  }
  return f;
}

TapeFactory BufferedFactory(TapeFactory inner, std::uint64_t buffer_bytes) {
  TapeFactory f = std::move(inner);
  f.label = "buffered_" + f.label;
  f.wrap = [buffer_bytes](std::unique_ptr<Tape> tape) -> std::unique_ptr<Tape> {
    return std::make_unique<BufferedTape>(std::move(tape), buffer_bytes);
  };
  return f;
}

std::string FactoryLabel(const testing::TestParamInfo<TapeFactory>& info) {
  return info.param.label;
}

Status FlipBytesInFile(const std::string& path, const std::vector<std::uint8_t>& marker) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!file) return Status::NotFound("cannot open " + path);
  std::vector<char> bytes{std::istreambuf_iterator<char>(file), {}};
  auto it = std::search(bytes.begin(), bytes.end(), marker.begin(), marker.end(),
                        [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
  if (it == bytes.end()) {
    return Status::NotFound("record payload not found verbatim in " + path);
  }
  std::size_t at = static_cast<std::size_t>(it - bytes.begin()) + marker.size() / 2;
  file.clear();
  file.seekp(static_cast<std::streamoff>(at));
  char flipped = static_cast<char>(bytes[at] ^ 0x5a);
  file.write(&flipped, 1);
  return file ? Status::Ok() : Status::IoError("cannot write " + path);
}

// --- Fixture ---------------------------------------------------------------------

void TapeConformance::SetUp() {
  std::string pattern = (std::filesystem::temp_directory_path() / "vtape-conf-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  dir_ = pattern;
}

void TapeConformance::TearDown() {
  tape_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Status TapeConformance::Create(const CreateOptions& options) {
  VTAPE_RETURN_IF_ERROR(GetParam().create(dir_, options, name_));
  return Open();
}

Status TapeConformance::Open(const OpenOptions& options) {
  tape_.reset();
  VTAPE_RETURN_IF_ERROR(OpenTape(name_, options, tape_));
  if (GetParam().wrap) tape_ = GetParam().wrap(std::move(tape_));
  return Status::Ok();
}

Status TapeConformance::Reopen(const OpenOptions& options) {
  if (tape_) VTAPE_RETURN_IF_ERROR(tape_->Close());
  return Open(options);
}

namespace {

constexpr std::uint64_t kCapacity = 1'000'000;
constexpr std::uint64_t kEarlyWarning = 300'000;

CreateOptions SmallMedium() {
  CreateOptions o;
  o.barcode = "CONF01L8";
  o.media_type = "LTO-8";
  o.capacity_bytes = kCapacity;
  o.early_warning_bytes = kEarlyWarning;
  return o;
}

struct Expected {
  std::uint64_t object, file, record_in_file;
  bool at_bop, at_eod;
};

void ExpectAt(const Tape& t, Expected e, const char* where) {
  Position p = t.GetPosition();
  EXPECT_EQ(p.partition, 0u) << where;
  EXPECT_EQ(p.object, e.object) << where;
  EXPECT_EQ(p.file, e.file) << where;
  EXPECT_EQ(p.record_in_file, e.record_in_file) << where;
  EXPECT_EQ(p.at_bop, e.at_bop) << where;
  EXPECT_EQ(p.at_eod, e.at_eod) << where;
}

// Layout used by the positioning tests (object numbers):
//   0:R(10) 1:R(20) 2:FM 3:R(30) 4:FM 5:FM 6:R(40) | EOD at 7
void WriteLayout(Tape& t) {
  ASSERT_OK(t.Write(Pattern(10, 0)));
  ASSERT_OK(t.Write(Pattern(20, 1)));
  ASSERT_OK(t.WriteFilemarks(1, false));
  ASSERT_OK(t.Write(Pattern(30, 3)));
  ASSERT_OK(t.WriteFilemarks(2, true));
  ASSERT_OK(t.Write(Pattern(40, 6)));
}

SpaceResult Res(Stop stop, std::uint64_t not_crossed) {
  return {stop, not_crossed};
}
void ExpectResult(const SpaceResult& got, const SpaceResult& want, const char* where) {
  EXPECT_EQ(got.stop, want.stop) << where;
  EXPECT_EQ(got.not_crossed, want.not_crossed) << where;
}

// --- Data ------------------------------------------------------------------------

TEST_P(TapeConformance, RecordsOfEverySizeReadBackExactly) {
  ASSERT_OK(Create(CreateOptions{}));
  const std::vector<std::size_t> sizes = {
      1, 2, 511, 512, 4096, 65537, (1u << 20) + 3, kMaxRecordBytes};
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    ASSERT_OK(tape_->Write(Pattern(sizes[i], i)));
    ExpectAt(*tape_, {i + 1, 0, i + 1, false, true}, "after write");
  }
  ASSERT_OK(tape_->Rewind());
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    ExpectRecord(*tape_, Pattern(sizes[i], i), ("record " + std::to_string(i)).c_str());
    ExpectAt(*tape_, {i + 1, 0, i + 1, false, i + 1 == sizes.size()}, "after read");
  }
  ExpectKind(*tape_, ObjectKind::kEndOfData, "at end");
}

TEST_P(TapeConformance, EmptyRecordIsRefusedAndStoresNothing) {
  ASSERT_OK(Create(CreateOptions{}));
  EXPECT_CODE(tape_->Write({}), Code::kInvalidArgument);
  ExpectAt(*tape_, {0, 0, 0, true, true}, "after refused write");
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.records, 0u);
}

TEST_P(TapeConformance, ShortBufferGetsFirstBytesAndTrueLengthAndSkipsRecord) {
  ASSERT_OK(Create(CreateOptions{}));
  auto rec = Pattern(1000, 7);
  ASSERT_OK(tape_->Write(rec));
  ASSERT_OK(tape_->Write(Pattern(5, 8)));
  ASSERT_OK(tape_->Rewind());
  std::vector<std::uint8_t> buf(100, 0xee);
  ReadResult r;
  ASSERT_OK(tape_->Read(buf, r));
  EXPECT_EQ(r.kind, ObjectKind::kRecord);
  EXPECT_EQ(r.length, 1000u);
  EXPECT_TRUE(std::equal(buf.begin(), buf.end(), rec.begin()));
  ExpectAt(*tape_, {1, 0, 1, false, false}, "after short read");
  ExpectRecord(*tape_, Pattern(5, 8), "next record intact");
}

TEST_P(TapeConformance, FilemarkIsReportedAndCrossedEodIsReportedAndNotCrossed) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);
  ASSERT_OK(tape_->Rewind());
  ExpectRecord(*tape_, Pattern(10, 0), "R0");
  ExpectRecord(*tape_, Pattern(20, 1), "R1");
  ExpectKind(*tape_, ObjectKind::kFilemark, "FM2");
  ExpectAt(*tape_, {3, 1, 0, false, false}, "after FM2");
  ExpectRecord(*tape_, Pattern(30, 3), "R3");
  ExpectKind(*tape_, ObjectKind::kFilemark, "FM4");
  ExpectKind(*tape_, ObjectKind::kFilemark, "FM5");
  ExpectRecord(*tape_, Pattern(40, 6), "R6");
  ExpectKind(*tape_, ObjectKind::kEndOfData, "EOD");
  ExpectAt(*tape_, {7, 3, 1, false, true}, "at EOD");
  ExpectKind(*tape_, ObjectKind::kEndOfData, "EOD again");
  ExpectAt(*tape_, {7, 3, 1, false, true}, "EOD does not move");
}

TEST_P(TapeConformance, PositionsAndBytesBeforeWhileWriting) {
  ASSERT_OK(Create(CreateOptions{}));
  ExpectAt(*tape_, {0, 0, 0, true, true}, "blank");
  ASSERT_OK(tape_->Write(Pattern(10, 0)));
  ExpectAt(*tape_, {1, 0, 1, false, true}, "R0");
  ASSERT_OK(tape_->Write(Pattern(20, 1)));
  ASSERT_OK(tape_->WriteFilemarks(1, false));
  ExpectAt(*tape_, {3, 1, 0, false, true}, "FM2");
  ASSERT_OK(tape_->Write(Pattern(30, 3)));
  ASSERT_OK(tape_->WriteFilemarks(2, true));
  ExpectAt(*tape_, {6, 3, 0, false, true}, "FM5");
  EXPECT_EQ(tape_->GetPosition().bytes_before, 60u + 3 * kFilemarkBytes)
      << "filemarks cost capacity";
  ASSERT_OK(tape_->WriteFilemarks(0, false));
  ExpectAt(*tape_, {6, 3, 0, false, true}, "zero filemarks write none");
  ASSERT_OK(tape_->Write(Pattern(40, 6)));
  EXPECT_EQ(tape_->GetPosition().bytes_before, 100u + 3 * kFilemarkBytes);
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.records, 4u);
  EXPECT_EQ(info.filemarks, 3u);
  EXPECT_EQ(info.used_bytes, 100u + 3 * kFilemarkBytes);
}

// --- Positioning -----------------------------------------------------------------

TEST_P(TapeConformance, SpaceRecordsForward) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);
  ASSERT_OK(tape_->Rewind());
  SpaceResult r;
  ASSERT_OK(tape_->SpaceRecords(0, r));
  ExpectResult(r, Res(Stop::kNone, 0), "space 0");
  ExpectAt(*tape_, {0, 0, 0, true, false}, "space 0");
  ASSERT_OK(tape_->SpaceRecords(2, r));
  ExpectResult(r, Res(Stop::kNone, 0), "space 2");
  ExpectAt(*tape_, {2, 0, 2, false, false}, "space 2");
  ASSERT_OK(tape_->SpaceRecords(1, r));  // meets FM2: ends just after it
  ExpectResult(r, Res(Stop::kFilemark, 1), "space into FM2");
  ExpectAt(*tape_, {3, 1, 0, false, false}, "after FM2");
  ASSERT_OK(tape_->SpaceRecords(4, r));  // crosses R3, meets FM4
  ExpectResult(r, Res(Stop::kFilemark, 3), "space into FM4");
  ExpectAt(*tape_, {5, 2, 0, false, false}, "after FM4");
  ASSERT_OK(tape_->Locate(0, 6, r));
  ASSERT_OK(tape_->SpaceRecords(5, r));  // crosses R6, reaches EOD
  ExpectResult(r, Res(Stop::kEndOfData, 4), "space to EOD");
  ExpectAt(*tape_, {7, 3, 1, false, true}, "EOD");
  ASSERT_OK(tape_->SpaceRecords(1, r));
  ExpectResult(r, Res(Stop::kEndOfData, 1), "space at EOD");
  ExpectAt(*tape_, {7, 3, 1, false, true}, "still EOD");
}

TEST_P(TapeConformance, SpaceRecordsBackward) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);  // at EOD (7)
  SpaceResult r;
  ASSERT_OK(tape_->SpaceRecords(-1, r));
  ExpectResult(r, Res(Stop::kNone, 0), "back over R6");
  ExpectAt(*tape_, {6, 3, 0, false, false}, "before R6");
  ASSERT_OK(tape_->SpaceRecords(-2, r));  // meets FM5: ends just before it
  ExpectResult(r, Res(Stop::kFilemark, 2), "back into FM5");
  ExpectAt(*tape_, {5, 2, 0, false, false}, "before FM5");
  ASSERT_OK(tape_->Locate(0, 4, r));
  ASSERT_OK(tape_->SpaceRecords(-3, r));  // crosses R3, meets FM2
  ExpectResult(r, Res(Stop::kFilemark, 2), "back into FM2");
  ExpectAt(*tape_, {2, 0, 2, false, false}, "before FM2");
  ASSERT_OK(tape_->SpaceRecords(-5, r));  // crosses R1 and R0, reaches BOP
  ExpectResult(r, Res(Stop::kBeginningOfPartition, 3), "back to BOP");
  ExpectAt(*tape_, {0, 0, 0, true, false}, "BOP");
  ASSERT_OK(tape_->SpaceRecords(-1, r));
  ExpectResult(r, Res(Stop::kBeginningOfPartition, 1), "back at BOP");
  ExpectAt(*tape_, {0, 0, 0, true, false}, "still BOP");
}

TEST_P(TapeConformance, SpaceFilemarksForwardAndBackward) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);
  ASSERT_OK(tape_->Rewind());
  SpaceResult r;
  ASSERT_OK(tape_->SpaceFilemarks(1, r));
  ExpectResult(r, Res(Stop::kNone, 0), "fsf 1");
  ExpectAt(*tape_, {3, 1, 0, false, false}, "after FM2");
  ASSERT_OK(tape_->SpaceFilemarks(2, r));
  ExpectResult(r, Res(Stop::kNone, 0), "fsf 2");
  ExpectAt(*tape_, {6, 3, 0, false, false}, "after FM5");
  ASSERT_OK(tape_->SpaceFilemarks(2, r));
  ExpectResult(r, Res(Stop::kEndOfData, 2), "fsf past last");
  ExpectAt(*tape_, {7, 3, 1, false, true}, "EOD");
  ASSERT_OK(tape_->SpaceFilemarks(-1, r));
  ExpectResult(r, Res(Stop::kNone, 0), "bsf 1");
  ExpectAt(*tape_, {5, 2, 0, false, false}, "before FM5");
  ASSERT_OK(tape_->SpaceFilemarks(-2, r));
  ExpectResult(r, Res(Stop::kNone, 0), "bsf 2");
  ExpectAt(*tape_, {2, 0, 2, false, false}, "before FM2");
  ASSERT_OK(tape_->SpaceFilemarks(-1, r));
  ExpectResult(r, Res(Stop::kBeginningOfPartition, 1), "bsf past first");
  ExpectAt(*tape_, {0, 0, 0, true, false}, "BOP");
  ASSERT_OK(tape_->SpaceFilemarks(0, r));
  ExpectResult(r, Res(Stop::kNone, 0), "fsf 0");
  ExpectAt(*tape_, {0, 0, 0, true, false}, "fsf 0 stays");
}

TEST_P(TapeConformance, SpaceToEndOfDataAndRewind) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);
  ASSERT_OK(tape_->Rewind());
  ExpectAt(*tape_, {0, 0, 0, true, false}, "rewound");
  ASSERT_OK(tape_->SpaceToEndOfData());
  ExpectAt(*tape_, {7, 3, 1, false, true}, "EOD");
  EXPECT_EQ(tape_->GetPosition().bytes_before, 100u + 3 * kFilemarkBytes);
}

TEST_P(TapeConformance, LocateObjectAndPastEod) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);
  SpaceResult r;
  ASSERT_OK(tape_->Locate(0, 4, r));
  ExpectResult(r, Res(Stop::kNone, 0), "locate 4");
  ExpectAt(*tape_, {4, 1, 1, false, false}, "at 4");
  EXPECT_EQ(tape_->GetPosition().bytes_before, 60u + kFilemarkBytes);
  ExpectKind(*tape_, ObjectKind::kFilemark, "object 4 is FM");
  ASSERT_OK(tape_->Locate(0, 1, r));
  ExpectRecord(*tape_, Pattern(20, 1), "object 1");
  ASSERT_OK(tape_->Locate(0, 7, r));
  ExpectResult(r, Res(Stop::kNone, 0), "locate EOD");
  ExpectAt(*tape_, {7, 3, 1, false, true}, "at EOD");
  ASSERT_OK(tape_->Locate(0, 12, r));
  ExpectResult(r, Res(Stop::kEndOfData, 5), "locate past EOD");
  ExpectAt(*tape_, {7, 3, 1, false, true}, "stopped at EOD");
  ASSERT_OK(tape_->Locate(0, 0, r));
  ExpectAt(*tape_, {0, 0, 0, true, false}, "locate 0");
}

TEST_P(TapeConformance, LocateFileAndPastLastFilemark) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);
  SpaceResult r;
  ASSERT_OK(tape_->LocateFile(0, 1, r));
  ExpectResult(r, Res(Stop::kNone, 0), "file 1");
  ExpectAt(*tape_, {3, 1, 0, false, false}, "file 1");
  ASSERT_OK(tape_->LocateFile(0, 3, r));
  ExpectAt(*tape_, {6, 3, 0, false, false}, "file 3");
  ExpectRecord(*tape_, Pattern(40, 6), "first record of file 3");
  ASSERT_OK(tape_->LocateFile(0, 0, r));
  ExpectResult(r, Res(Stop::kNone, 0), "file 0");
  ExpectAt(*tape_, {0, 0, 0, true, false}, "file 0 is BOP");
  ASSERT_OK(tape_->LocateFile(0, 5, r));
  ExpectResult(r, Res(Stop::kEndOfData, 2), "file 5");
  ExpectAt(*tape_, {7, 3, 1, false, true}, "stopped at EOD");
}

TEST_P(TapeConformance, LocateToMissingPartitionIsRefused) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);
  SpaceResult r;
  EXPECT_FALSE(tape_->Locate(3, 0, r).ok());
  EXPECT_FALSE(tape_->LocateFile(3, 0, r).ok());
}

// --- Overwrite semantics ------------------------------------------------------------

TEST_P(TapeConformance, WriteInTheMiddleDiscardsEverythingAfter) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);
  SpaceResult r;
  ASSERT_OK(tape_->Locate(0, 3, r));
  ASSERT_OK(tape_->Write(Pattern(77, 9)));
  ExpectAt(*tape_, {4, 1, 1, false, true}, "new EOD");
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.records, 3u);
  EXPECT_EQ(info.filemarks, 1u);
  EXPECT_EQ(info.used_bytes, 107u + kFilemarkBytes);
  ASSERT_OK(tape_->LocateFile(0, 1, r));
  ExpectRecord(*tape_, Pattern(77, 9), "replacement");
  ExpectKind(*tape_, ObjectKind::kEndOfData, "nothing after it");
  ASSERT_OK(tape_->SpaceFilemarks(1, r));
  ExpectResult(r, Res(Stop::kEndOfData, 1), "later filemarks are gone");
}

TEST_P(TapeConformance, FilemarkInTheMiddleDiscardsEverythingAfter) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);
  SpaceResult r;
  ASSERT_OK(tape_->Locate(0, 1, r));
  ASSERT_OK(tape_->WriteFilemarks(1, true));
  ExpectAt(*tape_, {2, 1, 0, false, true}, "new EOD");
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.records, 1u);
  EXPECT_EQ(info.filemarks, 1u);
  EXPECT_EQ(info.used_bytes, 10u + kFilemarkBytes);
}

TEST_P(TapeConformance, EraseDiscardsFromPosition) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);
  SpaceResult r;
  ASSERT_OK(tape_->Locate(0, 4, r));
  ASSERT_OK(tape_->Erase());
  ExpectAt(*tape_, {4, 1, 1, false, true}, "erased at 4");
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.records, 3u);
  EXPECT_EQ(info.filemarks, 1u);
  ASSERT_OK(tape_->Rewind());
  ASSERT_OK(tape_->Erase());
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.records, 0u);
  EXPECT_EQ(info.filemarks, 0u);
  EXPECT_EQ(info.used_bytes, 0u);
  ExpectKind(*tape_, ObjectKind::kEndOfData, "blank after erase");
  ExpectAt(*tape_, {0, 0, 0, true, true}, "blank");
}

// --- Medium ----------------------------------------------------------------------

TEST_P(TapeConformance, UnloadRefusesEverythingButLoadStatAndClose) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);
  ASSERT_OK(tape_->Unload());
  EXPECT_FALSE(tape_->loaded());
  std::vector<std::uint8_t> buf(64);
  ReadResult rr;
  SpaceResult sr;
  std::vector<std::uint8_t> value;
  std::vector<std::uint16_t> ids;
  const std::uint8_t one[] = {1};
  EXPECT_CODE(tape_->Read(buf, rr), Code::kNotLoaded);
  EXPECT_CODE(tape_->Write(Pattern(5, 1)), Code::kNotLoaded);
  EXPECT_CODE(tape_->WriteFilemarks(1, true), Code::kNotLoaded);
  EXPECT_CODE(tape_->Sync(), Code::kNotLoaded);
  EXPECT_CODE(tape_->Erase(), Code::kNotLoaded);
  EXPECT_CODE(tape_->SpaceRecords(1, sr), Code::kNotLoaded);
  EXPECT_CODE(tape_->SpaceFilemarks(1, sr), Code::kNotLoaded);
  EXPECT_CODE(tape_->SpaceToEndOfData(), Code::kNotLoaded);
  EXPECT_CODE(tape_->Locate(0, 1, sr), Code::kNotLoaded);
  EXPECT_CODE(tape_->LocateFile(0, 1, sr), Code::kNotLoaded);
  EXPECT_CODE(tape_->Rewind(), Code::kNotLoaded);
  EXPECT_CODE(tape_->Unload(), Code::kNotLoaded);
  EXPECT_CODE(tape_->SetWriteProtect(true), Code::kNotLoaded);
  EXPECT_CODE(tape_->SetEarlyWarning(1000), Code::kNotLoaded);
  EXPECT_CODE(tape_->attributes()->ReadAttribute(0, 1, value), Code::kNotLoaded);
  EXPECT_CODE(tape_->attributes()->WriteAttribute(0, 1, one), Code::kNotLoaded);
  EXPECT_CODE(tape_->attributes()->ListAttributes(0, ids), Code::kNotLoaded);
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.records, 4u);
  ASSERT_OK(tape_->Load());
  EXPECT_TRUE(tape_->loaded());
  ExpectAt(*tape_, {0, 0, 0, true, false}, "loaded at BOP");
  ExpectRecord(*tape_, Pattern(10, 0), "data survives unload");
  ASSERT_OK(tape_->Unload());
  ASSERT_OK(tape_->Close());
}

TEST_P(TapeConformance, SetWriteProtectRefusesWritesAndPersists) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);
  ASSERT_OK(tape_->SetWriteProtect(true));
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_TRUE(info.write_protected);
  SpaceResult r;
  ASSERT_OK(tape_->Locate(0, 1, r));
  EXPECT_CODE(tape_->Write(Pattern(5, 1)), Code::kWriteProtected);
  EXPECT_CODE(tape_->WriteFilemarks(1, true), Code::kWriteProtected);
  EXPECT_CODE(tape_->Erase(), Code::kWriteProtected);
  ExpectAt(*tape_, {1, 0, 1, false, false}, "nothing moved");
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.records, 4u);
  EXPECT_EQ(info.filemarks, 3u);
  ExpectRecord(*tape_, Pattern(20, 1), "reads still work");
  if (GetParam().persistent) {
    ASSERT_OK(Reopen());
    ASSERT_OK(tape_->Stat(info));
    EXPECT_TRUE(info.write_protected) << "write protect is kept in the medium";
    EXPECT_CODE(tape_->Write(Pattern(5, 1)), Code::kWriteProtected);
  }
  ASSERT_OK(tape_->SetWriteProtect(false));
  ASSERT_OK(tape_->Rewind());
  ASSERT_OK(tape_->Write(Pattern(5, 1)));
}

TEST_P(TapeConformance, CreatedWriteProtectedRefusesWrites) {
  CreateOptions o;
  o.write_protected = true;
  ASSERT_OK(Create(o));
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_TRUE(info.write_protected);
  EXPECT_CODE(tape_->Write(Pattern(5, 1)), Code::kWriteProtected);
}

TEST_P(TapeConformance, ReadOnlyOpenRefusesWrites) {
  ASSERT_OK(Create(CreateOptions{}));
  if (GetParam().persistent) {
    WriteLayout(*tape_);
    ASSERT_OK(tape_->Close());
  }
  OpenOptions ro;
  ro.read_only = true;
  ASSERT_OK(Open(ro));
  EXPECT_CODE(tape_->Write(Pattern(5, 1)), Code::kWriteProtected);
  EXPECT_CODE(tape_->WriteFilemarks(1, true), Code::kWriteProtected);
  EXPECT_CODE(tape_->Erase(), Code::kWriteProtected);
  if (GetParam().persistent) ExpectRecord(*tape_, Pattern(10, 0), "reads work read-only");
}

TEST_P(TapeConformance, StatReportsLabelAndShape) {
  ASSERT_OK(Create(SmallMedium()));
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.barcode, "CONF01L8");
  EXPECT_EQ(info.media_type, "LTO-8");
  EXPECT_EQ(info.capacity_bytes, kCapacity);
  EXPECT_EQ(info.early_warning_bytes, kEarlyWarning);
  EXPECT_EQ(info.partitions, 1u);
  EXPECT_FALSE(info.write_protected);
  EXPECT_EQ(info.used_bytes, 0u);
  EXPECT_FALSE(tape_->health().degraded);
}

TEST_P(TapeConformance, EarlyWarningThenHardEndStoresNothing) {
  ASSERT_OK(Create(SmallMedium()));
  const std::size_t kRecord = 100'000;
  // Early warning at 1'000'000 - 300'000 = 700'000 bytes.
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(tape_->GetPosition().beyond_early_warning, i * kRecord >= 700'000)
        << "before record " << i;
    ASSERT_OK(tape_->Write(Pattern(kRecord, i)));
    EXPECT_EQ(tape_->GetPosition().bytes_before, (i + 1) * kRecord);
  }
  EXPECT_TRUE(tape_->GetPosition().beyond_early_warning);
  EXPECT_CODE(tape_->Write(Pattern(kRecord, 10)), Code::kEndOfMedium);
  EXPECT_CODE(tape_->Write(Pattern(1, 10)), Code::kEndOfMedium);
  ExpectAt(*tape_, {10, 0, 10, false, true}, "nothing stored at the hard end");
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.records, 10u);
  EXPECT_EQ(info.used_bytes, 1'000'000u);
  // Overwriting earlier frees the space again.
  SpaceResult r;
  ASSERT_OK(tape_->Locate(0, 9, r));
  ASSERT_OK(tape_->Write(Pattern(kRecord, 11)));
  EXPECT_CODE(tape_->Write(Pattern(1, 12)), Code::kEndOfMedium);
  ASSERT_OK(tape_->Locate(0, 9, r));
  ExpectRecord(*tape_, Pattern(kRecord, 11), "rewritten last record");
}

TEST_P(TapeConformance, RecordStraddlingTheHardEndIsRefusedWhole) {
  ASSERT_OK(Create(SmallMedium()));
  ASSERT_OK(tape_->Write(Pattern(999'000, 1)));
  EXPECT_CODE(tape_->Write(Pattern(1'001, 2)), Code::kEndOfMedium);
  ASSERT_OK(tape_->Write(Pattern(1'000, 3)));  // exactly fills the medium
  ExpectAt(*tape_, {2, 0, 2, false, true}, "full");
  SpaceResult r;
  ASSERT_OK(tape_->Locate(0, 1, r));
  ExpectRecord(*tape_, Pattern(1'000, 3), "the fitting record");
}

TEST_P(TapeConformance, SetEarlyWarningMovesThePoint) {
  ASSERT_OK(Create(SmallMedium()));
  ASSERT_OK(tape_->Write(Pattern(500'000, 1)));
  EXPECT_FALSE(tape_->GetPosition().beyond_early_warning);
  ASSERT_OK(tape_->SetEarlyWarning(500'000));
  EXPECT_TRUE(tape_->GetPosition().beyond_early_warning);
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.early_warning_bytes, 500'000u);
}

TEST_P(TapeConformance, AttributesReadBackListSortedAndDelete) {
  ASSERT_OK(Create(CreateOptions{}));
  std::vector<std::uint8_t> value;
  EXPECT_CODE(tape_->attributes()->ReadAttribute(0, 0x0400, value), Code::kNotFound);
  const std::vector<std::uint8_t> a = {'V', 'T', 'A', 'P', 'E'};
  const std::vector<std::uint8_t> b = Pattern(160, 4);
  ASSERT_OK(tape_->attributes()->WriteAttribute(0, 0x0806, b));
  ASSERT_OK(tape_->attributes()->WriteAttribute(0, 0x0400, a));
  ASSERT_OK(tape_->attributes()->ReadAttribute(0, 0x0400, value));
  EXPECT_EQ(value, a);
  std::vector<std::uint16_t> ids;
  ASSERT_OK(tape_->attributes()->ListAttributes(0, ids));
  EXPECT_EQ(ids, (std::vector<std::uint16_t>{0x0400, 0x0806}));
  ASSERT_OK(tape_->attributes()->WriteAttribute(0, 0x0400, b));  // replace
  ASSERT_OK(tape_->attributes()->ReadAttribute(0, 0x0400, value));
  EXPECT_EQ(value, b);
  if (GetParam().persistent) {
    ASSERT_OK(Reopen());
    ASSERT_OK(tape_->attributes()->ReadAttribute(0, 0x0806, value));
    EXPECT_EQ(value, b) << "attributes live in the medium";
  }
  ASSERT_OK(tape_->attributes()->WriteAttribute(0, 0x0806, {}));  // empty deletes
  EXPECT_CODE(tape_->attributes()->ReadAttribute(0, 0x0806, value), Code::kNotFound);
  ASSERT_OK(tape_->attributes()->ListAttributes(0, ids));
  EXPECT_EQ(ids, (std::vector<std::uint16_t>{0x0400}));
}

TEST_P(TapeConformance, StatisticsCountSinceOpen) {
  ASSERT_OK(Create(CreateOptions{}));
  WriteLayout(*tape_);
  Statistics s = tape_->statistics();
  EXPECT_EQ(s.records_written, 4u);
  EXPECT_EQ(s.bytes_written, 100u);
  EXPECT_EQ(s.filemarks_written, 3u);
  EXPECT_EQ(s.records_read, 0u);
  ASSERT_OK(tape_->Rewind());
  std::vector<std::uint8_t> small(15);
  ReadResult r;
  for (int i = 0; i < 8; ++i) ASSERT_OK(tape_->Read(small, r));  // through EOD
  s = tape_->statistics();
  EXPECT_EQ(s.records_read, 4u);
  EXPECT_EQ(s.bytes_read, 10u + 15 + 15 + 15) << "bytes delivered to the caller";
  EXPECT_EQ(s.filemarks_read, 3u);
  EXPECT_EQ(s.read_errors_uncorrected, 0u);
  EXPECT_EQ(s.write_errors, 0u);
  if (GetParam().persistent) {
    ASSERT_OK(Reopen());
    s = tape_->statistics();
    EXPECT_EQ(s.records_written, 0u);
    EXPECT_EQ(s.records_read, 0u);
  }
}

TEST_P(TapeConformance, DataSurvivesCloseAndReopen) {
  if (!GetParam().persistent) GTEST_SKIP() << "every open of this backend starts blank";
  CreateOptions o = SmallMedium();
  ASSERT_OK(Create(o));
  WriteLayout(*tape_);
  ASSERT_OK(Reopen());
  ExpectAt(*tape_, {0, 0, 0, true, false}, "opened at BOP");
  MediumInfo info;
  ASSERT_OK(tape_->Stat(info));
  EXPECT_EQ(info.records, 4u);
  EXPECT_EQ(info.filemarks, 3u);
  EXPECT_EQ(info.used_bytes, 100u + 3 * kFilemarkBytes);
  EXPECT_EQ(info.barcode, "CONF01L8");
  SpaceResult r;
  ASSERT_OK(tape_->LocateFile(0, 1, r));
  ExpectRecord(*tape_, Pattern(30, 3), "R3 after reopen");
  ASSERT_OK(tape_->SpaceToEndOfData());
  ExpectAt(*tape_, {7, 3, 1, false, true}, "EOD after reopen");
}

TEST_P(TapeConformance, CallsAfterCloseFail) {
  ASSERT_OK(Create(CreateOptions{}));
  ASSERT_OK(tape_->Write(Pattern(10, 1)));
  ASSERT_OK(tape_->Close());
  std::vector<std::uint8_t> buf(16);
  ReadResult r;
  EXPECT_FALSE(tape_->Read(buf, r).ok());
  EXPECT_FALSE(tape_->Write(Pattern(10, 1)).ok());
  EXPECT_FALSE(tape_->Rewind().ok());
  EXPECT_FALSE(tape_->loaded());
}

TEST_P(TapeConformance, ChecksumFailureIsMediumErrorAndSkipsTheRecord) {
  if (!GetParam().damage_record) GTEST_SKIP() << "no way to damage this backend's records";
  ASSERT_OK(Create(CreateOptions{}));
  auto good1 = Pattern(3000, 1);
  auto bad = Pattern(3000, 2);
  auto good2 = Pattern(3000, 3);
  ASSERT_OK(tape_->Write(good1));
  ASSERT_OK(tape_->Write(bad));
  ASSERT_OK(tape_->Write(good2));
  ASSERT_OK(tape_->Close());
  tape_.reset();
  ASSERT_OK(GetParam().damage_record(name_, bad));
  ASSERT_OK(Open());
  ExpectRecord(*tape_, good1, "record before the damage");
  std::vector<std::uint8_t> buf(4000, 0);
  ReadResult r;
  EXPECT_CODE(tape_->Read(buf, r), Code::kMediumError);
  ExpectAt(*tape_, {2, 0, 2, false, false}, "moved past the bad record");
  ExpectRecord(*tape_, good2, "record after the damage");
  EXPECT_EQ(tape_->statistics().read_errors_uncorrected, 1u);
}

// --- null: keeps the layout, not the data -----------------------------------------

TEST(NullConformance, KeepsLayoutAndReturnsZeroFilledRecordsOfTrueLength) {
  std::unique_ptr<Tape> t;
  ASSERT_OK(OpenTape("null:", {}, t));
  WriteLayout(*t);
  ExpectAt(*t, {7, 3, 1, false, true}, "EOD");
  EXPECT_EQ(t->GetPosition().bytes_before, 100u + 3 * kFilemarkBytes);
  ASSERT_OK(t->Rewind());
  std::vector<std::uint8_t> buf(64, 0xee);
  ReadResult r;
  ASSERT_OK(t->Read(buf, r));
  EXPECT_EQ(r.kind, ObjectKind::kRecord);
  EXPECT_EQ(r.length, 10u);
  EXPECT_TRUE(std::all_of(buf.begin(), buf.begin() + 10, [](std::uint8_t b) { return b == 0; }));
  EXPECT_EQ(buf[10], 0xee) << "only the record's length is written";
  std::vector<std::uint8_t> small(4, 0xee);
  ASSERT_OK(t->Read(small, r));
  EXPECT_EQ(r.length, 20u);
  EXPECT_EQ(small, std::vector<std::uint8_t>(4, 0));
  ExpectKind(*t, ObjectKind::kFilemark, "FM2");
  MediumInfo info;
  ASSERT_OK(t->Stat(info));
  EXPECT_EQ(info.records, 4u);
  EXPECT_EQ(info.filemarks, 3u);
  EXPECT_EQ(info.used_bytes, 100u + 3 * kFilemarkBytes);
}

TEST(NullConformance, SpacingAndLocatingMatchTheLayout) {
  std::unique_ptr<Tape> t;
  ASSERT_OK(OpenTape("null:", {}, t));
  WriteLayout(*t);
  SpaceResult r;
  ASSERT_OK(t->SpaceRecords(-2, r));
  ExpectResult(r, Res(Stop::kFilemark, 1), "back into FM5");
  ExpectAt(*t, {5, 2, 0, false, false}, "before FM5");
  ASSERT_OK(t->SpaceFilemarks(-3, r));
  ExpectResult(r, Res(Stop::kBeginningOfPartition, 1), "bsf past first");
  ExpectAt(*t, {0, 0, 0, true, false}, "BOP");
  ASSERT_OK(t->LocateFile(0, 2, r));
  ExpectAt(*t, {5, 2, 0, false, false}, "file 2");
  ASSERT_OK(t->Locate(0, 9, r));
  ExpectResult(r, Res(Stop::kEndOfData, 2), "locate past EOD");
  ASSERT_OK(t->Locate(0, 3, r));
  ASSERT_OK(t->Write(Pattern(5, 1)));
  ExpectAt(*t, {4, 1, 1, false, true}, "write truncates");
}

TEST(NullConformance, CapacityAndWriteProtect) {
  std::unique_ptr<Tape> t;
  ASSERT_OK(OpenTape("null:capacity=1000,early_warning=300", {}, t));
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(t->GetPosition().beyond_early_warning, i >= 7) << i;
    ASSERT_OK(t->Write(Pattern(100, i)));
  }
  EXPECT_CODE(t->Write(Pattern(1, 1)), Code::kEndOfMedium);
  ASSERT_OK(t->SetWriteProtect(true));
  ASSERT_OK(t->Rewind());
  EXPECT_CODE(t->Write(Pattern(1, 1)), Code::kWriteProtected);
  ASSERT_OK(t->Unload());
  EXPECT_CODE(t->Rewind(), Code::kNotLoaded);
}

// A filemark costs kFilemarkBytes in the in-memory backends too: a flood of
// WRITE FILEMARKS FFFFFFh stops at the hard end with exactly what fits written.
TEST(MemoryConformance, FilemarkFloodStopsAtTheHardEnd) {
  for (const char* name :
       {"mem:capacity=41000,early_warning=8192", "null:capacity=41000,early_warning=8192"}) {
    std::unique_ptr<Tape> t;
    ASSERT_OK(OpenTape(name, {}, t));
    ASSERT_OK(t->Write(Pattern(100, 1)));
    Status s = t->WriteFilemarks(0xFFFFFF, true);
    EXPECT_CODE(s, Code::kEndOfMedium);
    EXPECT_NE(s.message().find("(9 of 16777215 filemarks written)"), std::string::npos)
        << name << ": " << s.message();
    Position p = t->GetPosition();
    EXPECT_EQ(p.object, 10u) << name;
    EXPECT_EQ(p.bytes_before, 100 + 9 * kFilemarkBytes) << name;
    EXPECT_TRUE(p.beyond_early_warning) << name;
    EXPECT_CODE(t->WriteFilemarks(1, false), Code::kEndOfMedium);
    MediumInfo info;
    ASSERT_OK(t->Stat(info));
    EXPECT_EQ(info.filemarks, 9u) << name;
    EXPECT_EQ(info.used_bytes, 100 + 9 * kFilemarkBytes) << name;
  }
}

}  // namespace
}  // namespace vtape::conformance
