// Rebuilding one member's records from the others: used by `vtape rebuild`
// for a whole member and by crash reconcile for the objects a member lacks.
#include <cstring>

#include "rait/rait_tape.h"
#include "rait/xor.h"
#include "vtape/crc32c.h"

namespace vtape::rait {

Status RaitTape::ReconstructNext(std::size_t target, ObjectKind& kind, std::size_t& bytes,
                                 std::uint8_t& member_tag) {
  member_tag = 0;
  const std::string where = "cannot rebuild object " + std::to_string(object_) + " of member " +
                            std::to_string(target) + ": ";
  std::vector<std::size_t> sources;
  for (std::size_t i = 0; i < n(); ++i) {
    if (i == target) continue;
    if (!active(i)) {
      return Status::MediumError(where + "member " + std::to_string(i) + " (" + members_[i].name +
                                 ") has failed too: " + members_[i].reason);
    }
    sources.push_back(i);
  }
  std::vector<RecordHeader> headers(n());
  std::vector<Answer> answers(n(), Answer::kNotRead);
  for (std::size_t i : sources) {
    answers[i] = ReadMember(i, headers[i]);
    if (answers[i] != answers[sources[0]] || answers[i] == Answer::kBadRecord ||
        answers[i] == Answer::kFailed ||
        (answers[i] == Answer::kRecord &&
         (headers[i].length != headers[sources[0]].length ||
          headers[i].generation != headers[sources[0]].generation))) {
      return Status::MediumError(where + "member " + std::to_string(i) + " (" + members_[i].name +
                                 ") does not hold it intact");
    }
  }
  Answer found = answers[sources[0]];
  if (found == Answer::kEndOfData) {
    kind = ObjectKind::kEndOfData;
    return Status::Ok();
  }
  ++object_;
  if (found == Answer::kFilemark) {
    kind = ObjectKind::kFilemark;
    return Status::Ok();
  }
  RecordHeader h = headers[sources[0]];
  kind = ObjectKind::kRecord;
  if (h.raw) {  // a large mirror record: the copy is the record
    std::memcpy(buffers_[target].data(), buffers_[sources[0]].data(), h.length);
    bytes = h.length;
    member_tag = h.tag;
    return Status::Ok();
  }
  std::size_t stripe = StripeBytes(h.length, n(), target);
  std::uint8_t* payload = buffers_[target].data() + kHeaderBytes;
  if (n() == 2) {
    std::memcpy(payload, buffers_[sources[0]].data() + kHeaderBytes, stripe);
  } else {
    std::vector<const std::uint8_t*> chunks;
    for (std::size_t i : sources) chunks.push_back(buffers_[i].data() + kHeaderBytes);
    XorChunks(chunks, payload, PaddedBytes(ChunkBytes(h.length, n())));
  }
  h.member_index = static_cast<std::uint8_t>(target);
  h.payload_crc = Crc32c({payload, stripe});
  EncodeHeader(h, buffers_[target].data());
  bytes = kHeaderBytes + stripe;
  return Status::Ok();
}

Status RaitTape::CopyObjectTo(std::size_t target, std::uint32_t partition, std::uint64_t object) {
  // Only here does opening a set need the record buffers (16 MiB a member):
  // a set whose members end alike opens without them.
  EnsureBuffers();
  for (std::size_t i = 0; i < n(); ++i) {
    if (i == target || !active(i)) continue;
    SpaceResult r;
    VTAPE_RETURN_IF_ERROR(members_[i].tape->Locate(partition, object, r));
  }
  partition_ = partition;
  object_ = object;
  ObjectKind kind;
  std::size_t bytes = 0;
  std::uint8_t member_tag = 0;
  VTAPE_RETURN_IF_ERROR(ReconstructNext(target, kind, bytes, member_tag));
  Tape& t = *members_[target].tape;
  SpaceResult r;
  VTAPE_RETURN_IF_ERROR(t.Locate(partition, object, r));
  if (kind == ObjectKind::kFilemark) return t.WriteFilemarks(1, false);
  if (kind == ObjectKind::kRecord) {
    const ConstPiece record[1] = {{buffers_[target].data(), bytes}};
    return t.WriteTagged(record, member_tag);
  }
  return Status::MediumError("object " + std::to_string(object) + " is missing on the others");
}

Status RaitTape::CheckRebuildable(std::size_t k, MediumInfo& info,
                                  std::vector<std::uint16_t>& attributes) {
  if (closed_) return Status::InvalidArgument("the tape was closed");
  if (read_only_) return Status::WriteProtected("a rebuild needs the set opened for writing");
  if (k >= n()) {
    return Status::InvalidArgument("member " + std::to_string(k) + " does not exist: the set has " +
                                   std::to_string(n()) + " (0.." + std::to_string(n() - 1) + ")");
  }
  for (std::size_t i = 0; i < n(); ++i) {
    if (i != k && !active(i)) {
      return Status::MediumError("cannot rebuild member " + std::to_string(k) + ": member " +
                                 std::to_string(i) + " (" + members_[i].name +
                                 ") has failed too: " + members_[i].reason);
    }
  }
  Tape& source = *members_[k == 0 ? 1 : 0].tape;
  VTAPE_RETURN_IF_ERROR(source.Stat(info));
  if (info.partitions > 1) {
    return Status::Unsupported("rebuilding a set with " + std::to_string(info.partitions) +
                               " partitions is not supported (one only)");
  }
  return ListMamAttributes(source, 0, attributes);
}

Status RaitTape::RecreateMember(std::size_t k, const MediumInfo& info) {
  Member& m = members_[k];
  if (!m.failed) Fail(k, "being rebuilt");
  if (m.tape) (void)m.tape->Close();
  m.tape.reset();
  CreateOptions create = CreateOptionsLike(info);
  create.overwrite = true;
  Status st = CreateTape(m.name, create);
  if (st.ok()) st = OpenTape(m.name, {}, m.tape);
  if (!st.ok()) {
    m.tape.reset();
    m.reason = "cannot be recreated: " + st.ToString();
    return Status(st.code(),
                  "rebuild of member " + std::to_string(k) + " (" + m.name + "): " + st.message());
  }
  return Status::Ok();
}

Status RaitTape::CopyMemberLabel(Tape& source, Tape& fresh, const MediumInfo& info,
                                 std::span<const std::uint16_t> attributes) {
  for (std::uint16_t id : attributes) {
    if (id == kSuperblockAttribute) continue;  // each member's own, written on rejoining
    std::vector<std::uint8_t> value;
    VTAPE_RETURN_IF_ERROR(ReadMamAttribute(source, 0, id, value));
    VTAPE_RETURN_IF_ERROR(WriteMamAttribute(fresh, 0, id, value));
  }
  if (info.early_warning_bytes != 0) {
    VTAPE_RETURN_IF_ERROR(fresh.SetEarlyWarning(info.early_warning_bytes));
  }
  return Status::Ok();
}

Status RaitTape::RebuildObjects(std::size_t k, const Tape& source, const MediumInfo& info,
                                const ProgressFn& progress) {
  Tape& fresh = *members_[k].tape;
  EnsureBuffers();
  for (std::size_t i = 0; i < n(); ++i) {
    SpaceResult r;
    if (i != k) VTAPE_RETURN_IF_ERROR(members_[i].tape->Locate(0, 0, r));
  }
  partition_ = 0;
  object_ = 0;
  for (;;) {
    ObjectKind kind;
    std::size_t bytes = 0;
    std::uint8_t member_tag = 0;
    VTAPE_RETURN_IF_ERROR(ReconstructNext(k, kind, bytes, member_tag));
    if (kind == ObjectKind::kEndOfData) break;
    const ConstPiece record[1] = {{buffers_[k].data(), bytes}};
    VTAPE_RETURN_IF_ERROR(kind == ObjectKind::kFilemark ? fresh.WriteFilemarks(1, false)
                                                        : fresh.WriteTagged(record, member_tag));
    if (progress) progress(source.GetPosition().bytes_before, info.used_bytes);
  }
  return fresh.Sync();
}

Status RaitTape::RejoinMember(std::size_t k, const MediumInfo& info) {
  // A write-protected set is unprotected just long enough to take its new
  // superblocks.
  Member& m = members_[k];
  m.failed = false;
  m.reason.clear();
  if (info.write_protected) {
    for (std::size_t i = 0; i < n(); ++i) (void)members_[i].tape->SetWriteProtect(false);
  }
  ++epoch_;
  Status st = WriteSuperblocks();
  persisted_mask_ = failed_mask();
  if (info.write_protected) {
    for (std::size_t i = 0; i < n(); ++i) {
      Status wp = members_[i].tape->SetWriteProtect(true);
      if (st.ok()) st = wp;
    }
  }
  return st;
}

Status RaitTape::RebuildMember(std::size_t k, const ProgressFn& progress) {
  MediumInfo info;
  std::vector<std::uint16_t> attributes;
  VTAPE_RETURN_IF_ERROR(CheckRebuildable(k, info, attributes));
  Tape& source = *members_[k == 0 ? 1 : 0].tape;

  // From here on member k is out of the set until it is complete.
  VTAPE_RETURN_IF_ERROR(RecreateMember(k, info));
  Member& m = members_[k];
  Status st = CopyMemberLabel(source, *m.tape, info, attributes);
  if (st.ok()) st = RebuildObjects(k, source, info, progress);
  if (!st.ok()) {
    m.reason = "rebuild did not finish: " + st.ToString();
    return Status(st.code(),
                  "rebuild of member " + std::to_string(k) + " (" + m.name + "): " + st.message());
  }
  VTAPE_RETURN_IF_ERROR(RejoinMember(k, info));
  if (progress) progress(info.used_bytes, info.used_bytes);
  return Rewind();
}

}  // namespace vtape::rait
