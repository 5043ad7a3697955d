// Record tags (vtape/record_tag.h) on every backend of the conformance suite:
// a record written with WriteTagged reads back with the same bytes and the
// same tag, through Read and ReadScattered, after a reopen; untagged records
// keep tag 0 beside them; tags with unknown bits are refused and store nothing.
#include <gtest/gtest.h>

#include "tests/vtape/conformance.h"
#include "tests/vtape/conformance_util.h"

namespace vtape::conformance {
namespace {

struct TaggedRecord {
  std::vector<std::uint8_t> bytes;
  std::uint8_t tag;
};

void ExpectTagged(Tape& t, const TaggedRecord& want, const std::string& where) {
  ExpectRecord(t, want.bytes, where.c_str(), want.tag);
}

// Records of the codecs and the encrypted bit, between untagged ones, one in
// pieces and one large (file: reads those straight into the caller's buffer).
std::vector<TaggedRecord> TaggedLayout() {
  return {{Pattern(100, 1), 0x00},          {Pattern(200, 2), kTagLz4},
          {Pattern(300, 3), kTagZstd},      {Pattern(400, 4), 0x00},
          {Pattern(500, 5), kTagEncrypted}, {Pattern(600, 6), kTagEncrypted | kTagLz4},
          {Pattern(70000, 7), kTagLz4},     {Pattern(50, 8), kTagZstd}};
}

TEST_P(TapeConformance, TaggedRecordsReadBackWithTheirTags) {
  ASSERT_OK(Create(CreateOptions{}));
  const std::vector<TaggedRecord> records = TaggedLayout();
  std::uint64_t stored = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const ConstPiece whole(records[i].bytes);
    if (i == 2) {  // in pieces
      const ConstPiece pieces[3] = {whole.first(1), whole.subspan(1, 150), whole.subspan(151)};
      ASSERT_OK(tape_->WriteTagged(pieces, records[i].tag));
    } else {
      const ConstPiece one[1] = {whole};
      ASSERT_OK(tape_->WriteTagged(one, records[i].tag));
    }
    stored += records[i].bytes.size();
    if (i == 3) ASSERT_OK(tape_->WriteFilemarks(1, false));
  }
  ASSERT_OK(tape_->Write(Pattern(10, 9)));  // a plain Write after tagged ones: tag 0
  // Capacity counts the stored bytes, whatever the tag.
  EXPECT_EQ(tape_->GetPosition().bytes_before, stored + kFilemarkBytes + 10);

  for (int pass = 0; pass < (GetParam().persistent ? 2 : 1); ++pass) {
    const std::string when = pass == 0 ? "" : " after reopen";
    if (pass == 1) ASSERT_OK(Reopen());
    ASSERT_OK(tape_->Rewind());
    for (std::size_t i = 0; i < records.size(); ++i) {
      ExpectTagged(*tape_, records[i], "record " + std::to_string(i) + when);
      if (i == 3) ExpectKind(*tape_, ObjectKind::kFilemark, "filemark");
    }
    ExpectTagged(*tape_, {Pattern(10, 9), 0}, "plain write" + when);
    ExpectKind(*tape_, ObjectKind::kEndOfData, "at end");
  }

  // ReadScattered and a short buffer report the tag and the stored length.
  SpaceResult sr;
  ASSERT_OK(tape_->Locate(0, 1, sr));
  std::vector<std::uint8_t> a(50, 0), b(200, 0);
  const Piece pieces[2] = {a, b};
  ReadResult r;
  ASSERT_OK(tape_->ReadScattered(pieces, r));
  EXPECT_EQ(r.tag, kTagLz4);
  EXPECT_EQ(r.length, 200u);
  a.insert(a.end(), b.begin(), b.begin() + 150);
  EXPECT_TRUE(a == records[1].bytes);
  std::vector<std::uint8_t> small(10, 0);
  ASSERT_OK(tape_->Read(small, r));
  EXPECT_EQ(r.kind, ObjectKind::kRecord);
  EXPECT_EQ(r.tag, kTagZstd);
  EXPECT_EQ(r.length, 300u);
  EXPECT_TRUE(small ==
              std::vector<std::uint8_t>(records[2].bytes.begin(), records[2].bytes.begin() + 10));
  ExpectTagged(*tape_, records[3], "record 3 after the short read");
}

// An overwrite in the middle replaces a tagged record by an untagged one and
// the other way round: the tag belongs to the record, not to its place.
TEST_P(TapeConformance, OverwritingChangesTheTag) {
  ASSERT_OK(Create(CreateOptions{}));
  std::vector<std::uint8_t> one = Pattern(64, 1), two = Pattern(64, 2);
  const ConstPiece p1[1] = {ConstPiece(one)}, p2[1] = {ConstPiece(two)};
  ASSERT_OK(tape_->WriteTagged(p1, kTagLz4));
  ASSERT_OK(tape_->WriteTagged(p2, kTagLz4));
  SpaceResult sr;
  ASSERT_OK(tape_->Locate(0, 1, sr));
  ASSERT_OK(tape_->WriteTagged(p2, 0));
  ASSERT_OK(tape_->Rewind());
  ExpectTagged(*tape_, {one, kTagLz4}, "first");
  ExpectTagged(*tape_, {two, 0}, "overwritten untagged");
  ExpectKind(*tape_, ObjectKind::kEndOfData, "at end");
  ASSERT_OK(tape_->Locate(0, 0, sr));
  ASSERT_OK(tape_->WriteTagged(p1, kTagEncrypted));
  if (GetParam().persistent) ASSERT_OK(Reopen());
  ASSERT_OK(tape_->Rewind());
  ExpectTagged(*tape_, {one, kTagEncrypted}, "overwritten encrypted");
  ExpectKind(*tape_, ObjectKind::kEndOfData, "at end");
}

// Reserved tag bits and unknown codecs are refused (kInvalidArgument) before
// anything is stored.
TEST_P(TapeConformance, TagsWithUnknownBitsAreRefused) {
  ASSERT_OK(Create(CreateOptions{}));
  const std::vector<std::uint8_t> bytes = Pattern(100, 1);
  const ConstPiece one[1] = {ConstPiece(bytes)};
  for (std::uint8_t tag : {0x03, 0x0F, 0x10, 0x40, 0x70, 0x83}) {
    Status s = tape_->WriteTagged(one, tag);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << int(tag) << ": " << s.ToString();
    EXPECT_NE(s.message().find("record tag"), std::string::npos) << s.ToString();
  }
  EXPECT_EQ(tape_->GetPosition().object, 0u);
  EXPECT_CODE(tape_->WriteTagged({}, kTagLz4), Code::kInvalidArgument);  // empty record
  ExpectKind(*tape_, ObjectKind::kEndOfData, "nothing stored");
}

}  // namespace
}  // namespace vtape::conformance
