// The rait: Tape: fans every operation out to its member Tapes (format.h says
// what they store) and keeps the set usable while at most one member is lost.
//
// Invariant: every active (not failed) member is positioned at the set's
// position (partition_, object_). A member that errs, answers out of step or
// holds records of another set/member is marked failed for the rest of the
// session; before the next change to the medium the survivors' superblocks
// record it (higher epoch), so it is never trusted again until rebuilt.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rait/aligned_buffer.h"
#include "rait/format.h"
#include "rait/parallel.h"
#include "rait/rait.h"
#include "rait/spec.h"
#include "vtape/registry.h"
#include "vtape/tape.h"

namespace vtape::rait {

class RaitTape final : public Tape, public Partitioned, public AttributeStore {
 public:
  static Status Open(const RaitSpec& spec, const OpenOptions& options,
                     std::unique_ptr<RaitTape>& out);
  ~RaitTape() override;

  Status Read(std::span<std::uint8_t> buffer, ReadResult& result) override;
  Status Write(std::span<const std::uint8_t> record) override;
  Status WriteTagged(RecordPieces pieces, std::uint8_t tag) override;
  Status WriteFilemarks(std::uint64_t count, bool sync) override;
  Status Sync() override;
  Status Erase() override;
  Status SpaceRecords(std::int64_t count, SpaceResult& result) override;
  Status SpaceFilemarks(std::int64_t count, SpaceResult& result) override;
  Status SpaceToEndOfData() override;
  Status Locate(std::uint32_t partition, std::uint64_t object, SpaceResult& result) override;
  Status LocateFile(std::uint32_t partition, std::uint64_t file, SpaceResult& result) override;
  Status Rewind() override;
  Position GetPosition() const override;
  Status Load() override;
  Status Unload() override;
  bool loaded() const override { return loaded_ && !closed_; }
  Status Stat(MediumInfo& info) const override;
  Status SetWriteProtect(bool on) override;
  Status SetEarlyWarning(std::uint64_t bytes_before_end) override;
  Statistics statistics() const override { return stats_; }
  Health health() const override;
  Status Close() override;

  // Partitioned: a format formats every member; partitions stripe as the
  // medium does. As many partitions as the members all allow.
  std::uint32_t MaxPartitions() const override;
  Status FormatPartitions(std::span<const std::uint64_t> sizes) override;
  Status GetPartitionInfo(std::uint32_t partition, PartitionInfo& info) const override;
  // AttributeStore: attributes are mirrored on every member, per partition.
  Status ReadAttribute(std::uint32_t partition, std::uint16_t id,
                       std::vector<std::uint8_t>& value) const override;
  Status WriteAttribute(std::uint32_t partition, std::uint16_t id,
                        std::span<const std::uint8_t> value) override;
  Status ListAttributes(std::uint32_t partition, std::vector<std::uint16_t>& ids) const override;

  // Makes the set end at `capacity_bytes` set bytes (its members have room to
  // spare) with the early warning `early_warning_bytes` before it; recorded in
  // the superblocks. Used by Create.
  Status SetShape(std::uint64_t capacity_bytes, std::uint64_t early_warning_bytes);
  // Recreates member `index` from the survivors (rebuild.cc). The set ends at BOP.
  Status RebuildMember(std::size_t index, const ProgressFn& progress);
  std::size_t member_count() const { return members_.size(); }
  // The member's Tape (nullptr when it could not be opened), for tools and tests.
  Tape* member(std::size_t index) const;

 protected:
  Partitioned* PartitionsCapability() override { return this; }
  AttributeStore* AttributesCapability() override { return this; }

 private:
  struct Member {
    std::string name;
    std::unique_ptr<Tape> tape;
    bool failed = false;
    std::string reason;  // why it failed
    // The write generation its superblock recorded at open: a member behind
    // the set's missed the start of the current generation (crash reconcile).
    std::uint64_t write_generation = 0;
  };
  // What one member answered for the object at the set's position.
  enum class Answer { kRecord, kFilemark, kEndOfData, kBadRecord, kFailed, kNotRead };

  RaitTape(const RaitSpec& spec, const OpenOptions& options);

  // --- rait_open.cc ---
  Status OpenMembers();
  Status AdoptSuperblocks();
  // The steps of AdoptSuperblocks. Each active member's superblock (nullopt: none);
  // a member whose superblock cannot be read fails.
  Status ReadSuperblocks(std::vector<std::optional<Superblock>>& blocks);
  // No member has a superblock: a new set, if every member is empty.
  Status StartBlankSet();
  // The elected set's (set_id_, epoch_) shape, failed members and write generation.
  void AdoptNewestSuperblocks(const std::vector<std::optional<Superblock>>& blocks);
  // Members without the elected set's current superblock fail, each with its reason.
  void FailMembersOutsideSet(const std::vector<std::optional<Superblock>>& blocks);
  Status ReconcilePartition(std::uint32_t partition);
  Status PersistFailures();
  Status WriteSuperblocks();

  // --- rait_tape.cc ---
  std::size_t n() const { return members_.size(); }
  // Members a record's data lives on: 1 for a mirror, N-1 with parity.
  std::size_t data_members() const { return n() == 2 ? 1 : n() - 1; }
  bool active(std::size_t i) const { return !members_[i].failed && members_[i].tape; }
  std::size_t failed_count() const;
  std::uint32_t failed_mask() const;
  void Fail(std::size_t i, const std::string& reason);
  Status Unusable() const;
  Status Ready() const;
  Status Writable();
  // Whether every active member stands at its end of data (a write there only
  // appends; anywhere else it replaces what follows).
  bool AtEndOfData() const;
  // Starts a new write generation at the position before anything there is
  // replaced (format.h, "Write generations").
  Status BeginOverwrite();
  // Runs `op` on every active member and applies the degraded-write policy.
  // With `undo_on_abort`, survivors are cut back to the set's position when the
  // operation as a whole fails, so nothing of it stays stored.
  // With `parallel`, members run it at the same time: only for calls that wait
  // on the disk (sync). Copies and checksums stay on the calling thread: on a
  // loaded 2-core host the thread hand-offs cost more than they overlap
  // (bench/RESULTS.md, "rait: vs file:").
  Status Mutate(std::string_view what, const std::function<Status(std::size_t, Tape&)>& op,
                bool undo_on_abort, bool parallel = false);
  ParallelFor& Parallel();  // the member fan-out threads, started on first use
  // Moves every active member with `op`; the first answering member decides.
  Status Move(const std::function<Status(Tape&, SpaceResult&)>& op, SpaceResult& result);
  void Resync(std::size_t i);
  // After WriteFilemarks failed with `error`: keeps the marks every active
  // member wrote (from object `start`) and returns `error` saying how many.
  Status SettleFilemarks(std::uint64_t start, std::uint64_t count, const Status& error);
  // Sizes buffers_ (and scratch_) for member records of a record of up to
  // `record_bytes`; reading needs the largest, since a record's size is known
  // only once it is read.
  void EnsureBuffers(std::uint64_t record_bytes = kMaxRecordBytes + kMaxTaggedRecordOverhead);
  // Builds every member's record for `record` into buffers_ (header + stripe).
  void EncodeMemberRecords(std::span<const std::uint8_t> record, std::uint8_t tag);
  // What member i stores for `record` once encoded.
  std::span<const std::uint8_t> MemberRecord(std::size_t i,
                                             std::span<const std::uint8_t> record) const;
  // Set bytes a data member's payload stands for: its bytes minus the record
  // headers and what its own filemarks cost it (kFilemarkBytes each, as on
  // every backend); the set adds its filemarks' cost itself.
  template <class Figures>
  Status CombineMemberFigures(const std::function<Status(std::size_t, Figures&)>& fetch,
                              Figures& info) const;
  static std::uint64_t UserBytes(std::uint64_t member_bytes, std::uint64_t member_records,
                                 std::uint64_t member_filemarks);
  void RefreshShape();  // caches capacity and early warning for GetPosition
  // Where the set itself ends `partition`, in set bytes (0: where its members do).
  std::uint64_t PartitionEnd(std::uint32_t partition) const;
  Answer ReadMember(std::size_t i, RecordHeader& header);
  Status AssembleRecord(const std::vector<Answer>& answers,
                        const std::vector<RecordHeader>& headers, std::uint64_t length,
                        std::span<std::uint8_t> out);
  // The steps of Read. Each active member's answer for the object here: the
  // data members first, the rest only when those disagree or fall short; a
  // record older than another member's counts as damaged.
  void ReadAnswers(std::vector<Answer>& answers, std::vector<RecordHeader>& headers);
  // What the members' answers say lies here.
  struct Verdict {
    std::size_t records = 0, bad = 0, filemarks = 0, eods = 0;
    std::uint64_t length = 0;  // the record length most intact members give
    bool is_record = false, is_filemark = false, is_eod = false;
  };
  Verdict Vote(const std::vector<Answer>& answers, const std::vector<RecordHeader>& headers) const;
  // Members whose answer contradicts a clear verdict fail (out of step).
  void FailContradicting(const Verdict& v, std::vector<Answer>& answers,
                         const std::vector<RecordHeader>& headers);
  // Past the object on every active member: unread ones space over it, damaged
  // ones (all, when the verdict was not clear) are resynchronised.
  void StepPastObject(const std::vector<Answer>& answers, bool clear);

  // --- rebuild.cc ---
  // Reads the next object from every active member but `target` and builds
  // the record `target` holds there into buffers_[target].
  // `member_tag`: the tag member `target`'s record is written with (a raw
  // mirror record's own; 0 when the tag is in the header).
  Status ReconstructNext(std::size_t target, ObjectKind& kind, std::size_t& bytes,
                         std::uint8_t& member_tag);
  Status CopyObjectTo(std::size_t target, std::uint32_t partition, std::uint64_t object);
  // The steps of RebuildMember. Whether member k can be rebuilt (set open for
  // writing, every other member active, one partition), with the survivors'
  // label and attribute ids.
  Status CheckRebuildable(std::size_t k, MediumInfo& info, std::vector<std::uint16_t>& attributes);
  // Takes member k out of the set and creates it blank with the set's label and shape.
  Status RecreateMember(std::size_t k, const MediumInfo& info);
  // The attributes (superblock aside) and early warning of `source` onto `fresh`.
  static Status CopyMemberLabel(Tape& source, Tape& fresh, const MediumInfo& info,
                                std::span<const std::uint16_t> attributes);
  // Every object of the set, rebuilt from the others, written to member k and synced.
  Status RebuildObjects(std::size_t k, const Tape& source, const MediumInfo& info,
                        const ProgressFn& progress);
  // Member k is complete: it rejoins the set in a new epoch's superblocks.
  Status RejoinMember(std::size_t k, const MediumInfo& info);

  RaitSpec spec_;
  bool parallel_writes_;  // WritesInParallel(spec_), decided once
  bool read_only_;
  std::vector<Member> members_;
  std::uint64_t set_id_ = 0;
  std::uint64_t epoch_ = 0;
  std::uint32_t persisted_mask_ = 0;  // failed members the superblocks already record
  std::uint64_t capacity_ = 0;        // the set's own hard end (0: the members')
  std::uint64_t early_warning_ = 0;   // with capacity_, before each partition's end
  // Each partition's own end, set bytes, when the set with a capacity of its own
  // was formatted into partitions (0: none; superblock partition_bytes).
  std::array<std::uint64_t, kMaxPartitions> partition_capacity_{};
  std::uint64_t write_generation_ = 1;
  std::uint32_t generation_partition_ = 0;
  std::uint64_t generation_start_ = 0;
  std::uint32_t partition_ = 0;
  std::uint64_t object_ = 0;
  bool loaded_ = true;
  bool closed_ = false;
  Statistics stats_;
  MediumInfo shape_;
  std::vector<AlignedBuffer> buffers_;  // one member record per member
  AlignedBuffer scratch_;               // a reconstructed chunk
  std::unique_ptr<ParallelFor> parallel_;
};

}  // namespace vtape::rait
