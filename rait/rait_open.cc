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
    EnsureBuffers();
    for (std::uint32_t p = 0; p < info.partitions; ++p) {
      VTAPE_RETURN_IF_ERROR(ReconcilePartition(p));
    }
  }
  VTAPE_RETURN_IF_ERROR(Rewind());
  RefreshShape();
  return Status::Ok();
}

Status RaitTape::AdoptSuperblocks() {
  std::vector<std::optional<Superblock>> blocks(n());
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    std::vector<std::uint8_t> bytes;
    Status st = members_[i].tape->ReadAttribute(kSuperblockAttribute, bytes);
    if (st.code() == Code::kNotFound) continue;
    Superblock sb;
    if (st.ok()) st = DecodeSuperblock(bytes, sb);
    if (!st.ok()) {
      Fail(i, "its rait superblock cannot be read: " + st.ToString());
      continue;
    }
    blocks[i] = sb;
  }
  // The set is what most members say it is; within it the highest epoch rules.
  std::map<std::uint64_t, std::pair<std::size_t, std::uint64_t>> sets;  // id -> votes, epoch
  for (const auto& b : blocks) {
    if (!b) continue;
    auto& [votes, epoch] = sets[b->set_id];
    ++votes;
    epoch = std::max(epoch, b->epoch);
  }
  if (sets.empty()) {  // a blank set: every member new and empty
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
    if (!read_only_) VTAPE_RETURN_IF_ERROR(WriteSuperblocks());
    persisted_mask_ = failed_mask();
    return Status::Ok();
  }
  auto best = std::max_element(sets.begin(), sets.end(), [](const auto& a, const auto& b) {
    return a.second < b.second;  // more votes, then higher epoch
  });
  set_id_ = best->first;
  epoch_ = best->second.second;
  persisted_mask_ = 0;
  for (const auto& b : blocks) {
    if (!b || b->set_id != set_id_ || b->epoch != epoch_) continue;
    persisted_mask_ |= b->failed_mask;
    capacity_ = b->capacity_bytes;
    early_warning_ = b->early_warning_bytes;
  }
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
    Tape& t = *members_[i].tape;
    Status st = t.WriteAttribute(kSuperblockAttribute, EncodeSuperblock(sb));
    if (st.ok()) st = t.Sync();
    // A write-protected medium cannot change anyway, so it cannot go stale.
    if (!st.ok() && st.code() != Code::kWriteProtected) {
      Fail(i, "cannot record the set's state: " + st.ToString());
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

Status RaitTape::ReconcilePartition(std::uint32_t partition) {
  std::vector<std::pair<std::size_t, std::uint64_t>> eods;  // member, its EOD
  for (std::size_t i = 0; i < n(); ++i) {
    if (!active(i)) continue;
    SpaceResult r;
    Status st = members_[i].tape->Locate(partition, std::numeric_limits<std::uint64_t>::max(), r);
    if (!st.ok()) {
      Fail(i, st.ToString());
      continue;
    }
    eods.emplace_back(i, members_[i].tape->GetPosition().object);
  }
  if (failed_count() > 1) return Unusable();
  std::vector<std::uint64_t> sorted;
  for (const auto& e : eods) sorted.push_back(e.second);
  std::sort(sorted.rbegin(), sorted.rend());
  if (sorted.front() == sorted.back()) return Status::Ok();
  // Everything synced is on every member, so nothing durable lies past the
  // shortest one. Objects that enough members hold to rebuild the rest are
  // kept too: the end is the EOD reached by N-1 members (a mirror: by one).
  std::size_t need = std::min(n() - 1, sorted.size());
  std::uint64_t target = sorted[need - 1];
  std::uint64_t shortest = sorted.back();
  bool fell_back = false;
  for (const auto& [i, eod] : eods) {
    for (std::uint64_t object = eod; object < target && active(i) && !fell_back; ++object) {
      // Cannot complete it: fall back to what every member holds.
      if (!CopyObjectTo(i, partition, object).ok()) fell_back = true;
    }
  }
  if (fell_back) target = shortest;
  for (const auto& [i, eod] : eods) {
    if (!active(i)) continue;
    SpaceResult r;
    Tape& t = *members_[i].tape;
    Status st = t.Locate(partition, target, r);
    if (st.ok() && t.GetPosition().object != target) {
      st = Status::CorruptImage("ends before object " + std::to_string(target));
    }
    if (st.ok()) st = t.Erase();
    if (st.ok()) st = t.Sync();
    if (!st.ok()) Fail(i, "cannot be brought to the set's end of data: " + st.ToString());
  }
  partition_ = 0;
  object_ = 0;
  return failed_count() > 1 ? Unusable() : Status::Ok();
}

}  // namespace vtape::rait
