// Opening a rait: set: which members to trust (superblocks), and bringing
// members that disagree after a crash back to one consistent end of data.
#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <random>

#include "rait/rait_tape.h"

namespace vtape::rait {
namespace {

std::uint64_t NewSetId() {
  std::random_device rd;
  std::uint64_t id = 0;
  while (id == 0) id = (std::uint64_t{rd()} << 32) | rd();
  return id;
}

}  // namespace

Status RaitTape::Open(const RaitSpec& spec, const OpenOptions& options,
                      std::unique_ptr<RaitTape>& out) {
  std::unique_ptr<RaitTape> set(new RaitTape(spec, options));
  Status st = set->OpenMembers();
  if (!st.ok()) {
    set->read_only_ = true;  // a set that failed to open must not record anything on close
    return st;
  }
  out = std::move(set);
  return Status::Ok();
}

Status RaitTape::OpenMembers() {
  bool all_not_found = true;
  for (Member& m : members_) {
    Status st = OpenTape(m.name, {read_only_}, m.tape);
    if (st.code() == Code::kBusy) {
      // Another open holds it (this set still open elsewhere, or another set
      // sharing the member): a refusal, not a broken member.
      return Status::Busy("rait member " + std::to_string(&m - members_.data()) + " (" + m.name +
                          ") is in use: " + st.message());
    }
    if (!st.ok()) {
      m.tape.reset();
      m.failed = true;
      m.reason = "cannot be opened: " + st.ToString();
      all_not_found = all_not_found && st.code() == Code::kNotFound;
    }
  }
  if (failed_count() > 1) {
    Status st = Unusable();
    return all_not_found ? Status::NotFound(st.message()) : st;
  }
  VTAPE_RETURN_IF_ERROR(AdoptSuperblocks());
  if (failed_count() > 1) return Unusable();
  if (!read_only_) {
    MediumInfo info;
    VTAPE_RETURN_IF_ERROR(Stat(info));
    for (std::uint32_t p = 0; p < info.partitions; ++p) {
      VTAPE_RETURN_IF_ERROR(ReconcilePartition(p));
    }
  }
  VTAPE_RETURN_IF_ERROR(Rewind());
  RefreshShape();
  return Status::Ok();
}

Status RaitTape::ReadSuperblocks(std::vector<std::optional<Superblock>>& blocks) {
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    std::vector<std::uint8_t> bytes;
    Status st = ReadMamAttribute(*members_[i].tape, 0, kSuperblockAttribute, bytes);
    if (st.code() == Code::kNotFound) continue;
    Superblock sb;
    if (st.ok()) st = DecodeSuperblock(bytes, sb);
    if (st.code() == Code::kUnsupported) {  // an old set: refuse it whole, not member by member
      return Status::Unsupported("member " + std::to_string(i) + " (" + members_[i].name +
                                 "): " + st.message());
    }
    if (!st.ok()) {
      Fail(i, "its rait superblock cannot be read: " + st.ToString());
      continue;
    }
    blocks[i] = sb;
  }
  return Status::Ok();
}

Status RaitTape::StartBlankSet() {
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    MediumInfo info;
    VTAPE_RETURN_IF_ERROR(members_[i].tape->Stat(info));
    if (info.records + info.filemarks > 0) {
      return Status::CorruptImage("member " + std::to_string(i) + " (" + members_[i].name +
                                  ") holds data but no rait superblock: it was not written " +
                                  "as part of a rait set (refusing to use it)");
    }
  }
  set_id_ = NewSetId();
  epoch_ = 1;
  write_generation_ = 1;
  for (Member& m : members_) m.write_generation = write_generation_;
  if (!read_only_) VTAPE_RETURN_IF_ERROR(WriteSuperblocks());
  persisted_mask_ = failed_mask();
  return Status::Ok();
}

void RaitTape::AdoptNewestSuperblocks(const std::vector<std::optional<Superblock>>& blocks) {
  persisted_mask_ = 0;
  write_generation_ = 0;
  for (std::size_t i = 0; i < n(); ++i) {
    const auto& b = blocks[i];
    if (!b || b->set_id != set_id_ || b->epoch != epoch_) continue;
    persisted_mask_ |= b->failed_mask;
    capacity_ = b->capacity_bytes;
    early_warning_ = b->early_warning_bytes;
    partition_capacity_ = b->partition_bytes;
    members_[i].write_generation = b->write_generation;
    if (b->write_generation > write_generation_) {  // the newest generation any member saw
      write_generation_ = b->write_generation;
      generation_partition_ = b->generation_partition;
      generation_start_ = b->generation_start;
    }
  }
}

void RaitTape::FailMembersOutsideSet(const std::vector<std::optional<Superblock>>& blocks) {
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    const auto& b = blocks[i];
    if (!b) {
      Fail(i, "holds no rait superblock (a blank or replaced medium): rebuild it");
    } else if (b->set_id != set_id_) {
      Fail(i, "belongs to another rait set (set id " + std::to_string(b->set_id) + ", not " +
                  std::to_string(set_id_) + ")");
    } else if (b->member_count != n() || b->member_index != i) {
      Fail(i, "is member " + std::to_string(b->member_index) + " of " +
                  std::to_string(b->member_count) + " of this set, not member " +
                  std::to_string(i) + " of " + std::to_string(n()) + " (swapped?)");
    } else if (b->epoch < epoch_) {
      Fail(i, "is stale: it missed writes made while it was absent (epoch " +
                  std::to_string(b->epoch) + " < " + std::to_string(epoch_) + "): rebuild it");
    } else if (persisted_mask_ & (1u << i)) {
      Fail(i, "was marked failed by the other members: rebuild it");
    }
  }
}

Status RaitTape::AdoptSuperblocks() {
  std::vector<std::optional<Superblock>> blocks(n());
  VTAPE_RETURN_IF_ERROR(ReadSuperblocks(blocks));
  // The set is what most members say it is; within it the highest epoch rules.
  std::map<std::uint64_t, std::pair<std::size_t, std::uint64_t>> sets;  // id -> votes, epoch
  for (const auto& b : blocks) {
    if (!b) continue;
    auto& [votes, epoch] = sets[b->set_id];
    ++votes;
    epoch = std::max(epoch, b->epoch);
  }
  if (sets.empty()) return StartBlankSet();  // every member new and empty
  auto best = std::max_element(sets.begin(), sets.end(), [](const auto& a, const auto& b) {
    return a.second < b.second;  // more votes, then higher epoch
  });
  set_id_ = best->first;
  epoch_ = best->second.second;
  AdoptNewestSuperblocks(blocks);
  FailMembersOutsideSet(blocks);
  return Status::Ok();
}

Status RaitTape::WriteSuperblocks() {
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    Superblock sb;
    sb.set_id = set_id_;
    sb.epoch = epoch_;
    sb.member_index = static_cast<std::uint8_t>(i);
    sb.member_count = static_cast<std::uint8_t>(n());
    sb.failed_mask = failed_mask();
    sb.capacity_bytes = capacity_;
    sb.early_warning_bytes = early_warning_;
    sb.partition_bytes = partition_capacity_;
    sb.write_generation = write_generation_;
    sb.generation_partition = generation_partition_;
    sb.generation_start = generation_start_;
    Tape& t = *members_[i].tape;
    Status st = WriteMamAttribute(t, 0, kSuperblockAttribute, EncodeSuperblock(sb));
    if (st.ok()) st = t.Sync();
    // A write-protected medium cannot change anyway, so it cannot go stale.
    if (!st.ok() && st.code() != Code::kWriteProtected) {
      Fail(i, "cannot record the set's state: " + st.ToString());
    } else {
      members_[i].write_generation = write_generation_;
    }
  }
  return failed_count() > 1 ? Unusable() : Status::Ok();
}

Status RaitTape::PersistFailures() {
  if (read_only_) return Status::Ok();
  while (failed_mask() != persisted_mask_) {
    if (failed_count() > 1) return Unusable();
    std::uint32_t mask = failed_mask();
    ++epoch_;
    VTAPE_RETURN_IF_ERROR(WriteSuperblocks());
    persisted_mask_ = mask;  // loops again if a member failed while recording it
  }
  return Status::Ok();
}

// After a crash the members may end at different objects: a write or an
// overwrite reached some of them and not the others. Write generations
// (format.h) make every member a prefix of one history once the objects it
// holds beyond the start of a generation its superblock missed are set aside;
// the set then ends where enough members reach.
Status RaitTape::ReconcilePartition(std::uint32_t partition) {
  struct End {
    std::size_t member;
    std::uint64_t eod;
    std::uint64_t trusted;  // objects [0, trusted) belong to the set's history
  };
  std::vector<End> ends;
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    SpaceResult r;
    Status st = members_[i].tape->Locate(partition, std::numeric_limits<std::uint64_t>::max(), r);
    if (!st.ok()) {
      Fail(i, st.ToString());
      continue;
    }
    std::uint64_t eod = members_[i].tape->GetPosition().object;
    std::uint64_t trusted = eod;
    if (partition == generation_partition_ && members_[i].write_generation < write_generation_) {
      trusted = std::min(eod, generation_start_);  // it may still hold what the overwrite replaced
    }
    ends.push_back({i, eod, trusted});
  }
  if (failed_count() > 1) return Unusable();
  std::vector<std::uint64_t> sorted;
  for (const End& e : ends) sorted.push_back(e.trusted);
  std::sort(sorted.rbegin(), sorted.rend());
  bool all_alike = std::all_of(ends.begin(), ends.end(), [&](const End& e) {
    return e.eod == sorted.front() && e.trusted == sorted.front();
  });
  if (all_alike) return Status::Ok();
  // Everything synced is on every member, so nothing durable lies past the
  // shortest one. Objects that enough members hold to rebuild the rest are
  // kept too: the end is the one reached by N-1 members (a mirror: by one).
  std::size_t need = std::min(n() - 1, sorted.size());
  std::uint64_t target = sorted[need - 1];
  std::uint64_t shortest = sorted.back();
  bool fell_back = false;
  for (const End& e : ends) {
    for (std::uint64_t object = e.trusted; object < target && active(e.member) && !fell_back;
         ++object) {
      // Cannot complete it: fall back to what every member holds.
      if (!CopyObjectTo(e.member, partition, object).ok()) fell_back = true;
    }
  }
  if (fell_back) target = shortest;
  for (const End& e : ends) {
    if (!active(e.member)) continue;
    SpaceResult r;
    Tape& t = *members_[e.member].tape;
    Status st = t.Locate(partition, target, r);
    if (st.ok() && t.GetPosition().object != target) {
      st = Status::CorruptImage("ends before object " + std::to_string(target));
    }
    if (st.ok()) st = t.Erase();
    if (st.ok()) st = t.Sync();
    if (!st.ok()) Fail(e.member, "cannot be brought to the set's end of data: " + st.ToString());
  }
  partition_ = 0;
  object_ = 0;
  if (failed_count() > 1) return Unusable();
  // Every member now holds the same history: record that they all saw the
  // current generation, so a later crash does not set aside what they hold.
  return WriteSuperblocks();
}

}  // namespace vtape::rait
