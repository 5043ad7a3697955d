// The rait: data path: reads, writes, positioning and metadata fan-out.
#include "rait/rait_tape.h"

#include <algorithm>
#include <cstring>

#include "rait/xor.h"
#include "vtape/crc32c.h"

namespace vtape::rait {
namespace {

std::string MemberLabel(std::size_t i, const std::string& name) {
  return "member " + std::to_string(i) + " (" + name + ")";
}

// Refusals every member gives alike are the set's answer, not a member failure.
bool SetWideRefusal(Code code) {
  return code == Code::kEndOfMedium || code == Code::kWriteProtected ||
         code == Code::kInvalidArgument || code == Code::kNotLoaded || code == Code::kUnsupported;
}

}  // namespace

RaitTape::RaitTape(const RaitSpec& spec, const OpenOptions& options)
    : spec_(spec), parallel_writes_(WritesInParallel(spec)), read_only_(options.read_only) {
  members_.resize(spec.members.size());
  for (std::size_t i = 0; i < members_.size(); ++i) members_[i].name = spec.members[i];
  buffers_.resize(members_.size());
}

RaitTape::~RaitTape() {
  if (!closed_) (void)Close();
}

Tape* RaitTape::member(std::size_t index) const {
  return index < members_.size() ? members_[index].tape.get() : nullptr;
}

std::size_t RaitTape::failed_count() const {
  return std::count_if(members_.begin(), members_.end(),
                       [](const Member& m) { return m.failed || !m.tape; });
}

std::uint32_t RaitTape::failed_mask() const {
  std::uint32_t mask = 0;
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) mask |= 1u << i;
  }
  return mask;
}

void RaitTape::Fail(std::size_t i, const std::string& reason) {
  Member& m = members_[i];
  if (m.failed) return;
  m.failed = true;
  m.reason = reason;
}

Health RaitTape::health() const {
  Health h;
  for (std::size_t i = 0; i < n(); ++i) {
    if (active(i)) continue;
    h.degraded = true;
    if (!h.detail.empty()) h.detail += "; ";
    h.detail += MemberLabel(i, members_[i].name) + " failed: " + members_[i].reason;
    h.failed_members.push_back(static_cast<std::uint32_t>(i));
  }
  return h;
}

Status RaitTape::Unusable() const {
  return Status::MediumError("rait set lost " + std::to_string(failed_count()) + " of " +
                             std::to_string(n()) +
                             " members (it survives one): " + health().detail);
}

Status RaitTape::Ready() const {
  if (closed_) return Status::InvalidArgument("the tape was closed");
  if (failed_count() > 1) return Unusable();
  if (!loaded_) return Status::NotLoaded("no medium is loaded");
  return Status::Ok();
}

Status RaitTape::Writable() {
  VTAPE_RETURN_IF_ERROR(Ready());
  if (read_only_) return Status::WriteProtected("the rait set was opened read-only");
  if (failed_count() > 0 && !spec_.degraded_writes) {
    return Status::MediumError("rait set is degraded and degraded_writes=refuse: " +
                               health().detail + " (rebuild it with vtape rebuild)");
  }
  return PersistFailures();
}

bool RaitTape::AtEndOfData() const {
  for (std::size_t i = 0; i < n(); ++i) {
    if (active(i) && !members_[i].tape->GetPosition().at_eod) return false;
  }
  return true;
}

Status RaitTape::BeginOverwrite() {
  VTAPE_RETURN_IF_ERROR(Mutate(
      "erase", [](std::size_t, Tape& t) { return t.Erase(); }, /*undo_on_abort=*/false));
  ++write_generation_;
  generation_partition_ = partition_;
  generation_start_ = object_;
  return WriteSuperblocks();  // and syncs every member: the cut is durable before anything new
}

void RaitTape::Resync(std::size_t i) {
  if (!active(i)) return;
  SpaceResult r;
  Tape& t = *members_[i].tape;
  Status st = t.Locate(partition_, object_, r);
  if (!st.ok()) {
    Fail(i, st.ToString());
  } else if (t.GetPosition().object != object_) {
    Fail(i, "ends at object " + std::to_string(t.GetPosition().object) +
                ", before the set's position " + std::to_string(object_));
  }
}

Status RaitTape::Mutate(std::string_view what, const std::function<Status(std::size_t, Tape&)>& op,
                        bool undo_on_abort, bool parallel) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < n(); ++i) {
    if (active(i)) order.push_back(i);
  }
  std::vector<Status> results(order.size());
  auto run = [&](std::size_t k) { results[k] = op(order[k], *members_[order[k]].tape); };
  if (parallel) {
    Parallel().Run(order.size(), run);
  } else {
    for (std::size_t k = 0; k < order.size(); ++k) run(k);
  }
  std::vector<std::size_t> done;
  std::vector<std::pair<std::size_t, Status>> failures;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (results[k].ok()) {
      done.push_back(order[k]);
    } else {
      failures.emplace_back(order[k], std::move(results[k]));
    }
  }
  if (failures.empty()) return Status::Ok();

  std::string detail;
  for (const auto& [i, st] : failures) {
    detail +=
        (detail.empty() ? "" : "; ") + MemberLabel(i, members_[i].name) + ": " + st.ToString();
  }
  bool alike = std::all_of(failures.begin(), failures.end(), [&](const auto& f) {
    return f.second.code() == failures.front().second.code();
  });
  if (done.empty() && alike && SetWideRefusal(failures.front().second.code())) {
    return Status(failures.front().second.code(),
                  std::string(what) + " on the rait set: " + failures.front().second.message());
  }
  if (failed_count() + failures.size() <= 1 && spec_.degraded_writes && !done.empty()) {
    for (const auto& [i, st] : failures) Fail(i, st.ToString());
    ++stats_.write_errors;
    return PersistFailures();  // the survivors now record that the member missed this
  }
  bool full = alike && failures.front().second.code() == Code::kEndOfMedium;
  // Too many members lost (or the policy forbids going on): undo on the rest.
  if (undo_on_abort) {
    for (std::size_t i : done) {
      SpaceResult r;
      Tape& t = *members_[i].tape;
      Status st = t.Locate(partition_, object_, r);
      if (st.ok()) st = t.Erase();
      if (!st.ok()) Fail(i, "could not undo a failed " + std::string(what) + ": " + st.ToString());
    }
  }
  // Several members out of room is the set out of room, not broken members.
  if (!full) {
    for (const auto& [i, st] : failures) Fail(i, st.ToString());
  }
  ++stats_.write_errors;
  Code code = alike ? failures.front().second.code() : Code::kMediumError;
  return Status(code, std::string(what) + " on the rait set failed" +
                          (undo_on_abort ? " (nothing was stored)" : "") + ": " + detail);
}

Status RaitTape::Move(const std::function<Status(Tape&, SpaceResult&)>& op, SpaceResult& result) {
  VTAPE_RETURN_IF_ERROR(Ready());
  bool have = false;
  Position ref;
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    Tape& t = *members_[i].tape;
    SpaceResult r;
    Status st = op(t, r);
    if (!st.ok()) {
      if (st.code() == Code::kInvalidArgument) {  // the request, not the member, is wrong
        for (std::size_t j = 0; j < i; ++j) Resync(j);
        return st;
      }
      Fail(i, st.ToString());
      continue;
    }
    Position pos = t.GetPosition();
    if (!have) {
      have = true;
      ref = pos;
      result = r;
    } else if (pos.partition != ref.partition || pos.object != ref.object) {
      Fail(i, "out of step: at object " + std::to_string(pos.object) + " where member 0.." +
                  std::to_string(i) + " stand at " + std::to_string(ref.object));
    }
  }
  if (!have || failed_count() > 1) return Unusable();
  partition_ = ref.partition;
  object_ = ref.object;
  return Status::Ok();
}

ParallelFor& RaitTape::Parallel() {
  if (!parallel_) parallel_ = std::make_unique<ParallelFor>(n() - 1);
  return *parallel_;
}

void RaitTape::EnsureBuffers(std::uint64_t record_bytes) {
  std::size_t padded = PaddedBytes(ChunkBytes(record_bytes, n()));
  for (AlignedBuffer& b : buffers_) b.Resize(kHeaderBytes + padded);
  scratch_.Resize(padded);
}

void RaitTape::EncodeMemberRecords(std::span<const std::uint8_t> record, std::uint8_t tag) {
  if (RawMirrorRecord(record.size(), n())) return;  // written as it is
  std::size_t chunk = ChunkBytes(record.size(), n());
  if (n() == 2) {
    std::memcpy(buffers_[0].data() + kHeaderBytes, record.data(), record.size());
    std::memcpy(buffers_[1].data() + kHeaderBytes, record.data(), record.size());
  } else {
    std::size_t padded = PaddedBytes(chunk);
    std::vector<const std::uint8_t*> sources;
    for (std::size_t i = 0; i < data_members(); ++i) {
      std::uint8_t* payload = buffers_[i].data() + kHeaderBytes;
      std::size_t stripe = StripeBytes(record.size(), n(), i);
      if (stripe) std::memcpy(payload, record.data() + i * chunk, stripe);
      std::memset(payload + stripe, 0, padded - stripe);
      sources.push_back(payload);
    }
    XorChunks(sources, buffers_[n() - 1].data() + kHeaderBytes, padded);
  }
  for (std::size_t i = 0; i < n(); ++i) {
    RecordHeader h;
    h.member_index = static_cast<std::uint8_t>(i);
    h.member_count = static_cast<std::uint8_t>(n());
    h.set_id = set_id_;
    h.partition = partition_;
    h.object = object_;
    h.length = record.size();
    h.payload_crc = Crc32c({buffers_[i].data() + kHeaderBytes, StripeBytes(record.size(), n(), i)});
    h.generation = write_generation_;
    h.tag = tag;
    EncodeHeader(h, buffers_[i].data());
  }
}

std::span<const std::uint8_t> RaitTape::MemberRecord(std::size_t i,
                                                     std::span<const std::uint8_t> record) const {
  if (RawMirrorRecord(record.size(), n())) return record;
  return {buffers_[i].data(), kHeaderBytes + StripeBytes(record.size(), n(), i)};
}

Status RaitTape::Write(std::span<const std::uint8_t> record) {
  const ConstPiece one[1] = {record};
  return WriteTagged(one, 0);
}

Status RaitTape::WriteTagged(RecordPieces pieces, std::uint8_t tag) {
  VTAPE_RETURN_IF_ERROR(Writable());
  VTAPE_RETURN_IF_ERROR(CheckTaggedRecord(TotalBytes(pieces), tag));
  // The stripes are cut from one buffer: pieces are gathered (a single piece,
  // what the drive sends, is used as it is).
  std::vector<std::uint8_t> gathered;
  std::span<const std::uint8_t> record = pieces.empty() ? ConstPiece{} : pieces[0];
  if (pieces.size() > 1) {
    gathered.resize(TotalBytes(pieces));
    GatherInto(pieces, gathered.data());
    record = gathered;
  }
  if (const std::uint64_t end = PartitionEnd(partition_);
      end != 0 && GetPosition().bytes_before + record.size() > end) {
    ++stats_.write_errors;
    return Status::EndOfMedium("record of " + std::to_string(record.size()) +
                               " bytes does not fit before the end of the rait set (" +
                               std::to_string(end) + " bytes)");
  }
  if (!AtEndOfData()) VTAPE_RETURN_IF_ERROR(BeginOverwrite());
  EnsureBuffers(record.size());  // a writer of small records never needs 16 MiB a member
  EncodeMemberRecords(record, tag);
  // A raw mirror record has no header for the tag: the members keep it.
  const std::uint8_t member_tag = RawMirrorRecord(record.size(), n()) ? tag : 0;
  VTAPE_RETURN_IF_ERROR(Mutate(
      "write",
      [&](std::size_t i, Tape& t) {
        const ConstPiece member[1] = {MemberRecord(i, record)};
        return t.WriteTagged(member, member_tag);
      },
      /*undo_on_abort=*/true, parallel_writes_));
  ++object_;
  ++stats_.records_written;
  stats_.bytes_written += record.size();
  return Status::Ok();
}

Status RaitTape::WriteFilemarks(std::uint64_t count, bool sync) {
  VTAPE_RETURN_IF_ERROR(Writable());
  // A filemark costs the set kFilemarkBytes of its own capacity, so a flood of
  // them reaches the set's end like data does.
  std::uint64_t fit = count;
  const std::uint64_t end = PartitionEnd(partition_);
  if (end != 0) {
    std::uint64_t used = GetPosition().bytes_before;
    fit = std::min(count, (used < end ? end - used : 0) / kFilemarkBytes);
  }
  if (fit > 0 && !AtEndOfData()) VTAPE_RETURN_IF_ERROR(BeginOverwrite());
  const std::uint64_t start = object_;
  Status st = Mutate(
      "write filemarks", [&](std::size_t, Tape& t) { return t.WriteFilemarks(fit, sync); },
      /*undo_on_abort=*/true, /*parallel=*/sync || parallel_writes_);
  if (!st.ok()) return SettleFilemarks(start, count, st);
  object_ += fit;
  stats_.filemarks_written += fit;
  if (fit < count) {
    ++stats_.write_errors;
    return Status::EndOfMedium(std::to_string(fit) + " of " + std::to_string(count) +
                               " filemarks fit before the end of the rait set (" +
                               std::to_string(end) + " bytes)");
  }
  return Status::Ok();
}

Status RaitTape::SettleFilemarks(std::uint64_t start, std::uint64_t count, const Status& error) {
  if (failed_count() > 1) return error;
  // Members may have written some of the marks before they failed (a full
  // disk): the set keeps what every active member holds and cuts the others
  // back to it, so its position says how many were written.
  std::uint64_t written = count;
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    Position p = members_[i].tape->GetPosition();
    bool in_step = p.partition == partition_ && p.object >= start;
    written = std::min(written, in_step ? p.object - start : 0);
  }
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    Tape& t = *members_[i].tape;
    if (t.GetPosition().partition == partition_ && t.GetPosition().object == start + written) {
      continue;
    }
    SpaceResult r;
    Status st = t.Locate(partition_, start + written, r);
    if (st.ok() && t.GetPosition().object != start + written) {
      st = Status::MediumError("ends before object " + std::to_string(start + written));
    }
    if (st.ok()) st = t.Erase();
    if (!st.ok()) Fail(i, "could not be cut back to the filemarks written: " + st.ToString());
  }
  if (failed_count() > 1) return Unusable();
  object_ = start + written;
  stats_.filemarks_written += written;
  return Status(error.code(), error.message() + " (" + std::to_string(written) + " of " +
                                  std::to_string(count) + " filemarks written)");
}

Status RaitTape::Sync() {
  VTAPE_RETURN_IF_ERROR(Ready());
  if (read_only_) return Status::Ok();
  return Mutate(
      "sync", [](std::size_t, Tape& t) { return t.Sync(); }, /*undo_on_abort=*/false,
      /*parallel=*/true);
}

Status RaitTape::Erase() {
  VTAPE_RETURN_IF_ERROR(Writable());
  if (!AtEndOfData()) return BeginOverwrite();
  return Mutate(
      "erase", [](std::size_t, Tape& t) { return t.Erase(); }, /*undo_on_abort=*/false);
}

RaitTape::Answer RaitTape::ReadMember(std::size_t i, RecordHeader& h) {
  Tape& t = *members_[i].tape;
  ReadResult rr;
  Status st = t.Read(buffers_[i].span(), rr);
  if (!st.ok()) {
    if (st.code() == Code::kMediumError) return Answer::kBadRecord;  // it moved past
    Fail(i, st.ToString());
    return Answer::kFailed;
  }
  if (rr.kind == ObjectKind::kFilemark) return Answer::kFilemark;
  if (rr.kind == ObjectKind::kEndOfData) return Answer::kEndOfData;
  if (rr.length > buffers_[i].size()) return Answer::kBadRecord;
  std::span<const std::uint8_t> bytes{buffers_[i].data(), rr.length};
  if (RawMirrorRecord(rr.length, n()) &&
      !(DecodeHeader(bytes, h).ok() && kHeaderBytes + h.length == rr.length)) {
    h = RecordHeader{
        true,  static_cast<std::uint8_t>(i), 2, set_id_, partition_, object_, rr.length, 0, 0,
        rr.tag};
    return Answer::kRecord;
  }
  if (!DecodeHeader(bytes, h).ok()) return Answer::kBadRecord;  // like a checksum failure
  if (h.set_id != set_id_ || h.member_count != n() || h.member_index != i) {
    Fail(i, "holds a record of another rait set or member (set id " + std::to_string(h.set_id) +
                ", member " + std::to_string(h.member_index) + " of " +
                std::to_string(h.member_count) + ")");
    return Answer::kFailed;
  }
  if (h.partition != partition_ || h.object != object_) {
    Fail(i, "out of step: holds the record of object " + std::to_string(h.object) + " at object " +
                std::to_string(object_));
    return Answer::kFailed;
  }
  if (h.length == 0 || !CheckTaggedRecord(h.length, h.tag).ok()) return Answer::kBadRecord;
  if (h.generation < write_generation_ && partition_ == generation_partition_ &&
      object_ >= generation_start_) {
    // Written before the current generation replaced everything from its start:
    // what the member holds from here on is history the set overwrote.
    Resync(i);
    return active(i) ? Answer::kEndOfData : Answer::kFailed;
  }
  std::size_t stripe = StripeBytes(h.length, n(), i);
  std::uint8_t* payload = buffers_[i].data() + kHeaderBytes;
  if (rr.length != kHeaderBytes + stripe || Crc32c({payload, stripe}) != h.payload_crc) {
    return Answer::kBadRecord;
  }
  if (n() > 2) {  // zero the XOR padding behind a short stripe
    std::memset(payload + stripe, 0, PaddedBytes(ChunkBytes(h.length, n())) - stripe);
  }
  return Answer::kRecord;
}

Status RaitTape::AssembleRecord(const std::vector<Answer>& answers,
                                const std::vector<RecordHeader>& headers, std::uint64_t length,
                                std::span<std::uint8_t> out) {
  std::size_t chunk = ChunkBytes(length, n());
  std::size_t copy = std::min<std::uint64_t>(length, out.size());
  if (n() == 2) {
    std::size_t from = answers[0] == Answer::kRecord ? 0 : 1;
    std::size_t offset = headers[from].raw ? 0 : kHeaderBytes;
    std::memcpy(out.data(), buffers_[from].data() + offset, copy);
    return Status::Ok();
  }
  std::size_t missing = n();
  for (std::size_t i = 0; i < data_members(); ++i) {
    if (answers[i] != Answer::kRecord) missing = i;
  }
  if (missing != n()) {  // rebuild the missing chunk from the other N-1 members
    std::vector<const std::uint8_t*> sources;
    for (std::size_t i = 0; i < n(); ++i) {
      if (i != missing) sources.push_back(buffers_[i].data() + kHeaderBytes);
    }
    XorChunks(sources, scratch_.data(), PaddedBytes(chunk));
  }
  for (std::size_t i = 0; i < data_members(); ++i) {
    std::size_t offset = i * chunk;
    if (offset >= copy) break;
    const std::uint8_t* src = i == missing ? scratch_.data() : buffers_[i].data() + kHeaderBytes;
    std::memcpy(out.data() + offset, src, std::min(chunk, copy - offset));
  }
  return Status::Ok();
}

void RaitTape::ReadAnswers(std::vector<Answer>& answers, std::vector<RecordHeader>& headers) {
  const std::size_t need = data_members();  // intact members a record needs
  // First the members the data lives on; the others only when those fall short.
  std::vector<std::size_t> first_read;
  for (std::size_t i = 0; i < n() && first_read.size() < need; ++i) {
    if (active(i)) first_read.push_back(i);
  }
  for (std::size_t i : first_read) answers[i] = ReadMember(i, headers[i]);
  std::size_t primary = first_read.size();
  auto same_generation = [&](std::size_t a, std::size_t b) {
    return headers[a].raw || headers[b].raw || headers[a].generation == headers[b].generation;
  };
  // Fast path: the data members all answer alike (and none needs parity).
  bool fast = primary == need;
  std::size_t first = n();
  for (std::size_t i = 0; i < n() && fast; ++i) {
    if (answers[i] == Answer::kNotRead) continue;
    if (first == n()) first = i;
    bool same = answers[i] == answers[first] &&
                (answers[i] != Answer::kRecord ||
                 (headers[i].length == headers[first].length && same_generation(i, first)));
    fast = same && (answers[i] != Answer::kRecord || i < need) &&
           answers[i] != Answer::kBadRecord && answers[i] != Answer::kFailed &&
           answers[i] != Answer::kEndOfData;  // a short member must not end the set early
  }
  if (!fast) {
    for (std::size_t i = 0; i < n(); ++i) {
      if (active(i) && answers[i] == Answer::kNotRead) answers[i] = ReadMember(i, headers[i]);
    }
  }
  // Never mix generations: a record of an older write than another member's
  // here counts as damaged, so the newest one is rebuilt or the read fails.
  std::uint64_t newest = 0;
  for (std::size_t i = 0; i < n(); ++i) {
    if (answers[i] == Answer::kRecord && !headers[i].raw) {
      newest = std::max(newest, headers[i].generation);
    }
  }
  for (std::size_t i = 0; i < n(); ++i) {
    if (answers[i] == Answer::kRecord && !headers[i].raw && headers[i].generation < newest) {
      answers[i] = Answer::kBadRecord;
    }
  }
}

RaitTape::Verdict RaitTape::Vote(const std::vector<Answer>& answers,
                                 const std::vector<RecordHeader>& headers) const {
  const std::size_t need = data_members();
  Verdict v;
  std::vector<std::pair<std::uint64_t, std::size_t>> lengths;  // length -> votes
  for (std::size_t i = 0; i < n(); ++i) {
    switch (answers[i]) {
      case Answer::kRecord: {
        ++v.records;
        auto it = std::find_if(lengths.begin(), lengths.end(),
                               [&](const auto& l) { return l.first == headers[i].length; });
        if (it == lengths.end()) {
          lengths.emplace_back(headers[i].length, 1);
        } else {
          ++it->second;
        }
        break;
      }
      case Answer::kBadRecord:
        ++v.bad;
        break;
      case Answer::kFilemark:
        ++v.filemarks;
        break;
      case Answer::kEndOfData:
        ++v.eods;
        break;
      default:
        break;
    }
  }
  std::size_t length_votes = 0;
  for (const auto& [l, votes] : lengths) {
    if (votes > length_votes) std::tie(v.length, length_votes) = std::tie(l, votes);
  }
  v.is_record = v.records + v.bad >= need && v.filemarks < need;
  v.is_filemark = v.filemarks >= need && v.records + v.bad < need;
  v.is_eod = !v.is_record && !v.is_filemark && v.eods >= need && v.filemarks == 0;
  return v;
}

void RaitTape::FailContradicting(const Verdict& v, std::vector<Answer>& answers,
                                 const std::vector<RecordHeader>& headers) {
  for (std::size_t i = 0; i < n(); ++i) {
    Answer a = answers[i];
    bool contradicts =
        (v.is_record && (a == Answer::kFilemark || a == Answer::kEndOfData ||
                         (a == Answer::kRecord && headers[i].length != v.length))) ||
        (v.is_filemark && a != Answer::kFilemark && a != Answer::kNotRead &&
         a != Answer::kFailed) ||
        (v.is_eod && a != Answer::kEndOfData && a != Answer::kNotRead && a != Answer::kFailed);
    if (!contradicts) continue;
    Fail(i, "disagrees with the other members about object " + std::to_string(object_));
    answers[i] = Answer::kFailed;
  }
}

void RaitTape::StepPastObject(const std::vector<Answer>& answers, bool clear) {
  ++object_;
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    if (answers[i] == Answer::kNotRead) {  // move past the object unread
      SpaceResult r;
      Status st = members_[i].tape->SpaceRecords(1, r);
      if (!st.ok() || members_[i].tape->GetPosition().object != object_) {
        Fail(i, st.ok() ? "ends early at object " + std::to_string(object_ - 1) : st.ToString());
      }
    } else if (answers[i] == Answer::kBadRecord || !clear) {
      Resync(i);
    }
  }
}

Status RaitTape::Read(std::span<std::uint8_t> buffer, ReadResult& result) {
  VTAPE_RETURN_IF_ERROR(Ready());
  EnsureBuffers();
  std::vector<Answer> answers(n(), Answer::kNotRead);
  std::vector<RecordHeader> headers(n());
  ReadAnswers(answers, headers);
  // What lies here: what enough members say. A damaged record still counts as
  // "a record is here"; a member that ends early is out of step.
  const Verdict v = Vote(answers, headers);
  if (v.records + v.bad + v.filemarks + v.eods == 0) return Unusable();
  const bool clear = v.is_record || v.is_filemark || v.is_eod;
  if (clear) FailContradicting(v, answers, headers);  // members that contradict the set
  if (v.is_eod) {
    for (std::size_t i = 0; i < n(); ++i) {
      if (answers[i] != Answer::kEndOfData) Resync(i);
    }
    result = {ObjectKind::kEndOfData, 0};
    return failed_count() > 1 ? Unusable() : Status::Ok();
  }
  StepPastObject(answers, clear);
  if (failed_count() > 1) return Unusable();
  if (v.is_filemark) {
    result = {ObjectKind::kFilemark, 0};
    ++stats_.filemarks_read;
    return Status::Ok();
  }
  const std::size_t need = data_members();
  std::size_t intact = 0;
  bool data_complete = true;
  for (std::size_t i = 0; i < n(); ++i) {
    if (answers[i] == Answer::kRecord) ++intact;
    if (i < need && answers[i] != Answer::kRecord) data_complete = false;
  }
  bool recoverable = v.is_record && (n() == 2 ? intact >= 1 : intact >= n() - 1);
  if (!recoverable) {
    ++stats_.read_errors_uncorrected;
    return Status::MediumError(
        "object " + std::to_string(object_ - 1) + " of the rait set cannot be read: " +
        (clear ? "only " + std::to_string(intact) + " of " + std::to_string(n()) +
                     " members hold it intact"
               : "the members disagree whether it is a record, a filemark or end of data"));
  }
  VTAPE_RETURN_IF_ERROR(AssembleRecord(answers, headers, v.length, buffer));
  if (!data_complete || v.bad > 0) ++stats_.read_errors_corrected;
  std::uint8_t tag = 0;  // of an intact member (a record's members agree on it)
  for (std::size_t i = 0; i < n(); ++i) {
    if (answers[i] == Answer::kRecord) {
      tag = headers[i].tag;
      break;
    }
  }
  result = {ObjectKind::kRecord, v.length, tag};
  ++stats_.records_read;
  stats_.bytes_read += std::min<std::uint64_t>(v.length, buffer.size());
  return Status::Ok();
}

Status RaitTape::SpaceRecords(std::int64_t count, SpaceResult& result) {
  return Move([count](Tape& t, SpaceResult& r) { return t.SpaceRecords(count, r); }, result);
}
Status RaitTape::SpaceFilemarks(std::int64_t count, SpaceResult& result) {
  return Move([count](Tape& t, SpaceResult& r) { return t.SpaceFilemarks(count, r); }, result);
}
Status RaitTape::SpaceToEndOfData() {
  SpaceResult ignored;
  return Move([](Tape& t, SpaceResult&) { return t.SpaceToEndOfData(); }, ignored);
}
Status RaitTape::Locate(std::uint32_t partition, std::uint64_t object, SpaceResult& result) {
  return Move([=](Tape& t, SpaceResult& r) { return t.Locate(partition, object, r); }, result);
}
Status RaitTape::LocateFile(std::uint32_t partition, std::uint64_t file, SpaceResult& result) {
  return Move([=](Tape& t, SpaceResult& r) { return t.LocateFile(partition, file, r); }, result);
}
Status RaitTape::Rewind() {
  SpaceResult ignored;
  return Move([](Tape& t, SpaceResult&) { return t.Rewind(); }, ignored);
}

std::uint64_t RaitTape::UserBytes(std::uint64_t member_bytes, std::uint64_t member_records,
                                  std::uint64_t member_filemarks) {
  return member_bytes -
         std::min(member_bytes, member_records * kHeaderBytes + member_filemarks * kFilemarkBytes);
}

Position RaitTape::GetPosition() const {
  Position pos;
  pos.partition = partition_;
  pos.object = object_;
  bool have = false, all_data = true;
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) {
      all_data = all_data && i >= data_members();
      continue;
    }
    Position p = members_[i].tape->GetPosition();
    if (!have) pos = p;
    have = true;
    // The data members' stripes add up to the set's bytes exactly.
    if (i < data_members()) bytes += UserBytes(p.bytes_before, p.object - p.file, p.file);
  }
  if (!have) return pos;
  if (!all_data) {
    bytes = UserBytes(pos.bytes_before, pos.object - pos.file, pos.file) * data_members();
  }
  bytes += pos.file * kFilemarkBytes;  // the set's filemarks cost it what one costs any medium
  pos.bytes_before = bytes;
  if (shape_.partitions == 1 && shape_.capacity_bytes > 0) {
    std::uint64_t ew = std::min(shape_.early_warning_bytes, shape_.capacity_bytes);
    pos.beyond_early_warning = bytes >= shape_.capacity_bytes - ew;
  } else if (const std::uint64_t end = PartitionEnd(pos.partition); end != 0) {
    pos.beyond_early_warning = bytes >= end - std::min(early_warning_, end);
  }
  return pos;
}

static_assert(std::tuple_size_v<decltype(Superblock::partition_bytes)> == kMaxPartitions);

std::uint64_t RaitTape::PartitionEnd(std::uint32_t partition) const {
  if (capacity_ == 0) return 0;
  if (shape_.partitions <= 1) return capacity_;
  return partition < partition_capacity_.size() ? partition_capacity_[partition] : 0;
}

Status RaitTape::SetShape(std::uint64_t capacity_bytes, std::uint64_t early_warning_bytes) {
  VTAPE_RETURN_IF_ERROR(Ready());
  capacity_ = capacity_bytes;
  early_warning_ = early_warning_bytes;
  VTAPE_RETURN_IF_ERROR(WriteSuperblocks());
  RefreshShape();
  return Status::Ok();
}

void RaitTape::RefreshShape() {
  MediumInfo info;
  if (Stat(info).ok()) shape_ = info;
}

Status RaitTape::Load() {
  if (closed_) return Status::InvalidArgument("the tape was closed");
  if (failed_count() > 1) return Unusable();
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    Status st = members_[i].tape->Load();
    if (!st.ok()) Fail(i, st.ToString());
  }
  if (failed_count() > 1) return Unusable();
  loaded_ = true;
  partition_ = 0;
  object_ = 0;
  RefreshShape();
  return Status::Ok();
}

Status RaitTape::Unload() {
  VTAPE_RETURN_IF_ERROR(Ready());
  Status first;
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    Status st = members_[i].tape->Unload();
    if (!st.ok()) Fail(i, st.ToString());
  }
  loaded_ = false;
  return failed_count() > 1 ? Unusable() : Status::Ok();
}

// The set's figures from its members' (MediumInfo or PartitionInfo): the data
// members' stripes add up (a mirror's one member holds everything), and every
// filemark costs kFilemarkBytes once. `fetch(i, m)` reads member i's figures; a
// failed or inactive member is left out.
template <class Figures>
Status RaitTape::CombineMemberFigures(const std::function<Status(std::size_t, Figures&)>& fetch,
                                      Figures& info) const {
  Status last = Unusable();
  bool have = false, all_data = true;
  std::uint64_t used = 0;
  for (std::size_t i = 0; i < n(); ++i) {
    Figures m;
    if (active(i)) last = fetch(i, m);
    if (!active(i) || !last.ok()) {
      all_data = all_data && i >= data_members();
      continue;
    }
    if (!have) info = m;
    have = true;
    if (i < data_members()) used += UserBytes(m.used_bytes, m.records, m.filemarks);
  }
  if (!have) return last;
  // The set holds (N-1) members' worth of data (a mirror one member's).
  info.capacity_bytes *= data_members();
  info.early_warning_bytes *= data_members();
  info.used_bytes =
      all_data ? used : UserBytes(info.used_bytes, info.records, info.filemarks) * data_members();
  info.used_bytes += info.filemarks * kFilemarkBytes;
  return Status::Ok();
}

Status RaitTape::Stat(MediumInfo& info) const {
  if (closed_) return Status::InvalidArgument("the tape was closed");
  VTAPE_RETURN_IF_ERROR(CombineMemberFigures<MediumInfo>(
      [&](std::size_t i, MediumInfo& m) { return members_[i].tape->Stat(m); }, info));
  if (capacity_ != 0 && (info.partitions == 1 || partition_capacity_[0] != 0)) {
    info.capacity_bytes = capacity_;
    info.early_warning_bytes = early_warning_;
  }
  return Status::Ok();
}

Status RaitTape::SetWriteProtect(bool on) {
  if (closed_) return Status::InvalidArgument("the tape was closed");
  if (failed_count() > 1) return Unusable();
  return Mutate(
      "set write protect", [on](std::size_t, Tape& t) { return t.SetWriteProtect(on); }, false);
}

Status RaitTape::SetEarlyWarning(std::uint64_t bytes_before_end) {
  if (closed_) return Status::InvalidArgument("the tape was closed");
  if (failed_count() > 1) return Unusable();
  std::uint64_t share = bytes_before_end / data_members();
  Status st = Mutate(
      "set early warning", [share](std::size_t, Tape& t) { return t.SetEarlyWarning(share); },
      false);
  if (st.ok() && capacity_ != 0) {
    early_warning_ = bytes_before_end;
    if (!read_only_) st = WriteSuperblocks();
  }
  RefreshShape();
  return st;
}

Status RaitTape::FormatPartitions(std::span<const std::uint64_t> sizes) {
  VTAPE_RETURN_IF_ERROR(Writable());
  if (sizes.empty() || sizes.size() > MaxPartitions()) {
    return Status::InvalidArgument("this rait set holds 1 to " + std::to_string(MaxPartitions()) +
                                   " partitions, not " + std::to_string(sizes.size()));
  }
  std::uint64_t total = 0;
  for (std::uint64_t s : sizes) total += s;
  if (capacity_ != 0 && (total > capacity_ || (sizes.back() == 0 && total >= capacity_))) {
    return Status::InvalidArgument("partition sizes exceed the set's capacity of " +
                                   std::to_string(capacity_) + " bytes");
  }
  // With a capacity of its own the set ends each partition itself, and each
  // member partition gets room for the whole set partition with headers and
  // rounding to spare, as a created member has for the whole set (register.cc;
  // the 1 MiB per partition comes out of its 4 MiB). Without one, the
  // partitions end where the members' shares do.
  std::vector<std::uint64_t> shares(sizes.begin(), sizes.end());
  for (std::uint64_t& s : shares) {
    s = capacity_ == 0 ? s / data_members() : s == 0 ? 0 : s + s / 8 + (1u << 20);
  }
  VTAPE_RETURN_IF_ERROR(Mutate(
      "format partitions", [&](std::size_t, Tape& t) { return vtape::FormatPartitions(t, shares); },
      false));
  partition_capacity_ = {};
  if (sizes.size() > 1 && capacity_ != 0) {
    for (std::size_t p = 0; p < sizes.size(); ++p) {
      partition_capacity_[p] = sizes[p] != 0 ? sizes[p] : capacity_ - (total - sizes[p]);
    }
  }
  // Everything is gone: what follows is a new history.
  ++write_generation_;
  generation_partition_ = 0;
  generation_start_ = 0;
  VTAPE_RETURN_IF_ERROR(WriteSuperblocks());
  RefreshShape();
  partition_ = 0;
  object_ = 0;
  return Status::Ok();
}

std::uint32_t RaitTape::MaxPartitions() const {
  std::uint32_t most = kMaxPartitions;
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    const Partitioned* p = members_[i].tape->partitions();
    most = std::min(most, p == nullptr ? 1u : p->MaxPartitions());
  }
  return most;
}

// As Stat, for one partition: the data members' stripes add up to the set's.
Status RaitTape::GetPartitionInfo(std::uint32_t partition, PartitionInfo& info) const {
  VTAPE_RETURN_IF_ERROR(Ready());
  VTAPE_RETURN_IF_ERROR(CombineMemberFigures<PartitionInfo>(
      [&](std::size_t i, PartitionInfo& m) {
        const Partitioned* p = members_[i].tape->partitions();
        return p == nullptr
                   ? Status::Unsupported("member " + std::to_string(i) + " has no partitions")
                   : p->GetPartitionInfo(partition, m);
      },
      info));
  if (const std::uint64_t end = PartitionEnd(partition); end != 0) {
    info.capacity_bytes = end;
    info.early_warning_bytes = std::min(early_warning_, end);
  }
  return Status::Ok();
}

Status RaitTape::ReadAttribute(std::uint32_t partition, std::uint16_t id,
                               std::vector<std::uint8_t>& value) const {
  if (closed_) return Status::InvalidArgument("the tape was closed");
  if (partition == 0 && id == kSuperblockAttribute) {
    return Status::NotFound("attribute " + std::to_string(id) + " is not set");
  }
  Status last = Unusable();
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    last = ReadMamAttribute(*members_[i].tape, partition, id, value);
    if (last.ok() || last.code() == Code::kNotFound) return last;
  }
  return last;
}

Status RaitTape::WriteAttribute(std::uint32_t partition, std::uint16_t id,
                                std::span<const std::uint8_t> value) {
  if (closed_) return Status::InvalidArgument("the tape was closed");
  if (partition == 0 && id == kSuperblockAttribute) {
    return Status::InvalidArgument("attribute " + std::to_string(id) +
                                   " is reserved for the rait superblock");
  }
  if (failed_count() > 1) return Unusable();
  if (!read_only_) VTAPE_RETURN_IF_ERROR(PersistFailures());
  return Mutate(
      "write attribute",
      [&](std::size_t, Tape& t) { return WriteMamAttribute(t, partition, id, value); }, false);
}

Status RaitTape::ListAttributes(std::uint32_t partition, std::vector<std::uint16_t>& ids) const {
  if (closed_) return Status::InvalidArgument("the tape was closed");
  Status last = Unusable();
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    last = ListMamAttributes(*members_[i].tape, partition, ids);
    if (!last.ok()) continue;
    if (partition == 0) std::erase(ids, kSuperblockAttribute);
    return Status::Ok();
  }
  return last;
}

Status RaitTape::Close() {
  if (closed_) return Status::Ok();
  Status result;
  if (!read_only_ && failed_count() <= 1) result = PersistFailures();
  for (std::size_t i = 0; i < n(); ++i) {
    if (!members_[i].tape) continue;
    Status st = members_[i].tape->Close();
    if (!st.ok() && active(i) && result.ok()) {
      result = Status(st.code(), MemberLabel(i, members_[i].name) + ": " + st.message());
    }
  }
  closed_ = true;
  return result;
}

}  // namespace vtape::rait
