#include "handler/ssc/record_path.h"

#include <array>
#include <cstring>

#include "handler/ssc/data_common.h"
#include "handler/ssc/record_crypt.h"
#include "vtape/record_codec.h"

namespace vtape::ssc {
namespace {

// The first `length` bytes of `pieces` (which hold at least that many), as one buffer.
std::vector<std::uint8_t> Gathered(ReadPieces pieces, std::uint64_t length) {
  std::vector<std::uint8_t> out(length);
  std::uint8_t* at = out.data();
  for (Piece p : pieces) {
    const std::size_t n = std::min<std::uint64_t>(p.size(), length);
    if (n == 0) break;
    std::memcpy(at, p.data(), n);
    at += n;
    length -= n;
  }
  return out;
}

// The codec this drive writes while data compression is enabled: LZ4, whose
// speed on incompressible data keeps compression on as fast as off
// (bench/RESULTS.md, "Drive compression and encryption"); zstd records are read too.
constexpr std::uint8_t kDriveCodec = kTagLz4;

// The codec step of reading (bits 0-3 of the tag) on bytes that are no
// longer encrypted: `bytes` become the host's.
Status DecodeCodec(std::uint8_t tag, std::vector<std::uint8_t>& bytes) {
  if (TagCodec(tag) == kTagRaw) return Status::Ok();
  std::vector<std::uint8_t> decoded;
  VTAPE_RETURN_IF_ERROR(DecompressRecord(TagCodec(tag), bytes, decoded));
  bytes = std::move(decoded);
  return Status::Ok();
}

}  // namespace

Status EncodeRecord(DriveState& state, RecordPieces record, StoredRecord& stored) {
  stored = StoredRecord{};
  stored.host = record;
  const EncryptionParameters& params = state.encryption.current();
  const bool compressing = state.mode.compression_enabled;
  if (!params.encrypting() && !compressing) return Status::Ok();
  // The codecs and the cipher take the record whole.
  std::vector<std::uint8_t> gathered;
  std::span<const std::uint8_t> whole;
  if (record.size() == 1) {
    whole = record[0];
  } else {
    gathered.resize(TotalBytes(record));
    GatherInto(record, gathered.data());
    whole = gathered;
  }
  std::vector<std::uint8_t> compressed;
  const std::uint8_t codec = compressing ? CompressRecord(kDriveCodec, whole, compressed) : kTagRaw;
  if (codec != kTagRaw) whole = compressed;
  if (!params.encrypting()) {
    // Compressed, or stored as the host sent it when that is no larger.
    if (codec == kTagRaw) return Status::Ok();
    stored.tag = codec;
    stored.bytes = std::move(compressed);
    stored.encoded = true;
    return Status::Ok();
  }
  stored.tag = kTagEncrypted | codec;
  VTAPE_RETURN_IF_ERROR(EncryptRecord(params, whole, stored.tag, stored.bytes));
  stored.encoded = true;
  return Status::Ok();
}

Status WriteStoredRecord(DriveState& state, Tape& tape, const StoredRecord& stored) {
  const ConstPiece encoded[1] = {stored.bytes};
  const RecordPieces pieces = stored.encoded ? RecordPieces(encoded) : stored.host;
  if (Unbuffered(state) && state.buffer != nullptr) {
    return state.buffer->WriteThrough(pieces, stored.tag);
  }
  return stored.tag == 0 ? tape.WriteGathered(pieces) : tape.WriteTagged(pieces, stored.tag);
}

Status ReadHostRecord(DriveState& state, Tape& tape, ReadPieces pieces, HostRecord& out) {
  out = HostRecord{};
  const Position before = tape.GetPosition();
  // A stored record is longer than its plaintext by its cipher header, IV and
  // authentication tag: read into the host's buffer plus this spill so that a
  // record the host asked for whole is read once.
  std::array<std::uint8_t, kMaxTaggedRecordOverhead> spill;
  std::vector<Piece> with_spill(pieces.begin(), pieces.end());
  with_spill.push_back(spill);
  VTAPE_RETURN_IF_ERROR(tape.ReadScattered(with_spill, out.got));
  if (out.got.kind != ObjectKind::kRecord) return Status::Ok();
  out.stored_length = out.got.length;
  const EncryptionParameters& params = state.encryption.current();
  std::vector<std::uint8_t> plaintext;
  if (out.got.tag == 0) {
    // A plain record is already in the buffer; the decryption mode may still
    // refuse it (DECRYPT reads only encrypted records).
    out.refused = DecodeRecord(params, {}, 0, plaintext).refused;
    return Status::Ok();
  }
  VTAPE_RETURN_IF_ERROR(CheckRecordTag(out.got.tag, true));
  std::vector<std::uint8_t> stored;
  if (out.got.length <= TotalBytes(ReadPieces(with_spill))) {
    stored = Gathered(with_spill, out.got.length);
  } else {
    // Shorter than the stored record (an ILI read, VERIFY without data): read
    // it again, whole.
    SpaceResult moved;
    VTAPE_RETURN_IF_ERROR(tape.Locate(before.partition, before.object, moved));
    stored.resize(out.got.length);
    VTAPE_RETURN_IF_ERROR(tape.Read(stored, out.got));
  }
  // The host's buffer holds stored bytes now: none of them stays there.
  ZeroPieces(pieces, std::min<std::uint64_t>(out.stored_length, TotalBytes(pieces)));
  const ReadOutcome outcome = DecodeRecord(params, stored, out.got.tag, plaintext);
  if (outcome.refused) {
    out.refused = outcome.refused;
    return Status::Ok();
  }
  const bool encrypted = out.got.tag & kTagEncrypted;
  std::vector<std::uint8_t>& bytes = outcome.decrypted ? plaintext : stored;
  // A raw read of an encrypted record delivers the stored bytes as they are.
  if (outcome.decrypted || !encrypted) VTAPE_RETURN_IF_ERROR(DecodeCodec(out.got.tag, bytes));
  out.got.length = bytes.size();
  ScatterInto(std::span<const std::uint8_t>(bytes).first(
                  std::min<std::uint64_t>(bytes.size(), TotalBytes(pieces))),
              pieces);
  return Status::Ok();
}

ScsiResult RefusedRecordSense(spc::Asc asc, std::int64_t residual, std::size_t data_len) {
  return CheckCondition(ResidualSense(kDataProtect, asc, residual), data_len);
}

}  // namespace vtape::ssc
