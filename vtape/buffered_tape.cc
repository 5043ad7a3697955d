#include "vtape/buffered_tape.h"

#include <algorithm>

namespace vtape {

BufferedTape::BufferedTape(std::unique_ptr<Tape> target, std::uint64_t capacity_bytes)
    : ForwardingTape(std::move(target)), capacity_(capacity_bytes) {
  writer_ = std::thread([this] { Run(); });
}

BufferedTape::~BufferedTape() {
  StopWriter();
}

void BufferedTape::StopWriter() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  work_.notify_all();
  if (writer_.joinable()) writer_.join();  // the writer empties the buffer first
}

// The writer: commits the front entry, then drops it; on failure discards it
// and everything after it and keeps the error for the engine.
void BufferedTape::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;     // stopping, nothing left to write
    Entry& entry = queue_.front();  // deque references survive push_back
    lock.unlock();
    Status status;
    std::uint64_t marks_written = 0;
    Statistics statistics;
    Health health;
    {
      std::lock_guard target_lock(target_mu_);
      if (entry.filemarks != 0) {
        const Position before = target().GetPosition();
        status = target().WriteFilemarks(entry.filemarks, false);
        const Position after = target().GetPosition();
        if (!status.ok() && after.partition == before.partition && after.file > before.file) {
          marks_written = std::min(after.file - before.file, entry.filemarks);
        }
      } else {
        status = target().Write(entry.data);
      }
      statistics = target().statistics();
      health = target().health();
    }
    lock.lock();
    statistics_ = statistics;
    health_ = std::move(health);
    if (status.ok()) {
      held_.objects -= entry.objects();
      held_.bytes -= entry.data.size();
      held_.filemarks -= entry.filemarks;
      queue_.pop_front();
    } else {
      deferred_ = DeferredError{status, held_.objects - marks_written};
      queue_.clear();
      held_ = {};
    }
    space_.notify_all();
  }
}

BufferedTape::Contents BufferedTape::buffered() const {
  std::lock_guard lock(mu_);
  return held_;
}

std::optional<BufferedTape::DeferredError> BufferedTape::TakeDeferredError() {
  std::lock_guard lock(mu_);
  std::optional<DeferredError> out;
  out.swap(deferred_);
  return out;
}

void BufferedTape::WaitWritten() const {
  std::unique_lock lock(mu_);
  space_.wait(lock, [this] { return queue_.empty(); });
}

BufferedTape::Counters BufferedTape::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

Status BufferedTape::DrainLocked(std::unique_lock<std::mutex>& lock) {
  if (!queue_.empty()) {
    ++counters_.drains_waited;
    space_.wait(lock, [this] { return queue_.empty(); });
  }
  return deferred_ ? deferred_->status : Status::Ok();
}

Status BufferedTape::Drain() {
  std::unique_lock lock(mu_);
  return DrainLocked(lock);
}

bool BufferedTape::MayBuffer(std::unique_lock<std::mutex>&, std::uint64_t cost) {
  if (capacity_ == 0) return false;
  if (queue_.empty()) {
    // The writer is idle: the medium's position and shape are current.
    std::lock_guard target_lock(target_mu_);
    if (!target().loaded()) return false;
    MediumInfo info;
    if (!target().Stat(info).ok()) return false;
    // A protected medium refuses the write itself, on this call.
    bufferable_medium_ = info.partitions == 1 && !info.write_protected;
    early_warning_at_ =
        info.capacity_bytes - std::min(info.early_warning_bytes, info.capacity_bytes);
    logical_ = target().GetPosition();
    info_ = std::move(info);
    statistics_ = target().statistics();
    health_ = target().health();
  }
  // Reserve capacity as objects are accepted: the last one must still end
  // before the early-warning point, so only the medium reports EW and EOM.
  return proven_writable_ && bufferable_medium_ && logical_.bytes_before + cost < early_warning_at_;
}

Status BufferedTape::Write(std::span<const std::uint8_t> record) {
  VTAPE_RETURN_IF_ERROR(CheckRecordSize(record.size()));
  std::unique_lock lock(mu_);
  if (deferred_) return deferred_->status;
  if (record.size() > capacity_ || !MayBuffer(lock, record.size())) {
    VTAPE_RETURN_IF_ERROR(DrainLocked(lock));
    return WriteToMedium(record);
  }
  // Back-pressure: wait for room (the writer frees it record by record).
  if (held_.bytes + record.size() > capacity_) ++counters_.waits_for_room;
  space_.wait(lock, [&] { return deferred_ || held_.bytes + record.size() <= capacity_; });
  if (deferred_) return deferred_->status;
  if (queue_.empty() && !MayBuffer(lock, record.size())) {
    // The buffer emptied while waiting: start over at the medium's position.
    return WriteToMedium(record);
  }
  Enqueue(Entry{std::vector<std::uint8_t>(record.begin(), record.end()), 0});
  return Status::Ok();
}

void BufferedTape::Enqueue(Entry entry) {
  held_.objects += entry.objects();
  held_.bytes += entry.data.size();
  held_.filemarks += entry.filemarks;
  counters_.peak_bytes = std::max(counters_.peak_bytes, held_.bytes);
  logical_.object += entry.objects();
  if (entry.filemarks != 0) {
    logical_.file += entry.filemarks;
    logical_.record_in_file = 0;
    logical_.bytes_before += entry.filemarks * kFilemarkBytes;
  } else {
    logical_.record_in_file += 1;
    logical_.bytes_before += entry.data.size();
  }
  logical_.at_bop = false;
  logical_.at_eod = true;
  logical_.beyond_early_warning = false;  // MayBuffer kept it before the zone
  queue_.push_back(std::move(entry));
  work_.notify_one();
}

Status BufferedTape::WriteToMedium(std::span<const std::uint8_t> record) {
  Status status;
  {
    std::lock_guard target_lock(target_mu_);
    status = target().Write(record);
  }
  if (status.ok()) proven_writable_ = true;
  return status;
}

Status BufferedTape::WriteThrough(std::span<const std::uint8_t> record) {
  std::unique_lock lock(mu_);
  VTAPE_RETURN_IF_ERROR(DrainLocked(lock));
  return WriteToMedium(record);
}

Status BufferedTape::WriteFilemarks(std::uint64_t count, bool sync) {
  std::unique_lock lock(mu_);
  if (deferred_) return deferred_->status;
  if (count == 0 && !sync) return Status::Ok();
  // Filemarks hold no data: they wait in order behind the records, costing
  // medium capacity but no buffer memory.
  const bool small = count <= (std::uint64_t{1} << 32);  // its cost cannot overflow
  if (sync || !small || !MayBuffer(lock, count * kFilemarkBytes)) {
    VTAPE_RETURN_IF_ERROR(DrainLocked(lock));
    Status status;
    {
      std::lock_guard target_lock(target_mu_);
      status = target().WriteFilemarks(count, sync);
    }
    if (status.ok() && count != 0) proven_writable_ = true;
    return status;
  }
  Enqueue(Entry{{}, count});
  return Status::Ok();
}

Position BufferedTape::GetPosition() const {
  std::lock_guard lock(mu_);
  if (!queue_.empty()) return logical_;
  std::lock_guard target_lock(target_mu_);
  return target().GetPosition();
}

// Calls that need the medium current: drain, then forward.
#define VTAPE_DRAIN_THEN(call)               \
  do {                                       \
    VTAPE_RETURN_IF_ERROR(Drain());          \
    std::lock_guard target_lock(target_mu_); \
    return target().call;                    \
  } while (0)

Status BufferedTape::Read(std::span<std::uint8_t> b, ReadResult& r) {
  VTAPE_DRAIN_THEN(Read(b, r));
}
Status BufferedTape::Sync() {
  VTAPE_DRAIN_THEN(Sync());
}
Status BufferedTape::Erase() {
  VTAPE_DRAIN_THEN(Erase());
}
Status BufferedTape::SpaceRecords(std::int64_t n, SpaceResult& r) {
  VTAPE_DRAIN_THEN(SpaceRecords(n, r));
}
Status BufferedTape::SpaceFilemarks(std::int64_t n, SpaceResult& r) {
  VTAPE_DRAIN_THEN(SpaceFilemarks(n, r));
}
Status BufferedTape::SpaceToEndOfData() {
  VTAPE_DRAIN_THEN(SpaceToEndOfData());
}
Status BufferedTape::Locate(std::uint32_t p, std::uint64_t o, SpaceResult& r) {
  VTAPE_DRAIN_THEN(Locate(p, o, r));
}
Status BufferedTape::LocateFile(std::uint32_t p, std::uint64_t f, SpaceResult& r) {
  VTAPE_DRAIN_THEN(LocateFile(p, f, r));
}
Status BufferedTape::Rewind() {
  VTAPE_DRAIN_THEN(Rewind());
}
Status BufferedTape::Load() {
  proven_writable_ = false;
  VTAPE_DRAIN_THEN(Load());
}
Status BufferedTape::Unload() {
  VTAPE_DRAIN_THEN(Unload());
}
Status BufferedTape::SetWriteProtect(bool on) {
  proven_writable_ = false;
  VTAPE_DRAIN_THEN(SetWriteProtect(on));
}
Status BufferedTape::SetEarlyWarning(std::uint64_t b) {
  VTAPE_DRAIN_THEN(SetEarlyWarning(b));
}
Status BufferedTape::FormatPartitions(std::span<const std::uint64_t> s) {
  VTAPE_DRAIN_THEN(partitions()->FormatPartitions(s));
}
Status BufferedTape::WriteAttribute(std::uint32_t p, std::uint16_t id,
                                    std::span<const std::uint8_t> v) {
  VTAPE_DRAIN_THEN(attributes()->WriteAttribute(p, id, v));
}

#undef VTAPE_DRAIN_THEN

// Queries: the medium's answer when the writer is idle, else the one kept for
// it (see the header); with mu_ held and the buffer empty the writer is idle.
bool BufferedTape::loaded() const {
  std::lock_guard lock(mu_);
  if (!queue_.empty()) return true;
  std::lock_guard target_lock(target_mu_);
  return target().loaded();
}
Status BufferedTape::Stat(MediumInfo& info) const {
  std::lock_guard lock(mu_);
  if (!queue_.empty()) {
    // Writing discarded everything after the position where buffering began,
    // so EOD is the logical position: one partition, counted from its start.
    info = info_;
    info.used_bytes = logical_.bytes_before;
    info.records = logical_.object - logical_.file;
    info.filemarks = logical_.file;
    return Status::Ok();
  }
  std::lock_guard target_lock(target_mu_);
  return target().Stat(info);
}
Statistics BufferedTape::statistics() const {
  std::lock_guard lock(mu_);
  if (!queue_.empty()) {
    Statistics s = statistics_;  // after the last object written, plus the buffer
    s.records_written += held_.objects - held_.filemarks;
    s.bytes_written += held_.bytes;
    s.filemarks_written += held_.filemarks;
    return s;
  }
  std::lock_guard target_lock(target_mu_);
  return target().statistics();
}
Health BufferedTape::health() const {
  std::lock_guard lock(mu_);
  if (!queue_.empty()) return health_;
  std::lock_guard target_lock(target_mu_);
  return target().health();
}
// The partition figures and attributes of the medium once the buffer is written.
Status BufferedTape::GetPartitionInfo(std::uint32_t p, PartitionInfo& info) const {
  std::unique_lock lock(mu_);
  space_.wait(lock, [this] { return queue_.empty(); });
  std::lock_guard target_lock(target_mu_);
  return target().partitions()->GetPartitionInfo(p, info);
}
Status BufferedTape::ReadAttribute(std::uint32_t p, std::uint16_t id,
                                   std::vector<std::uint8_t>& v) const {
  std::unique_lock lock(mu_);
  space_.wait(lock, [this] { return queue_.empty(); });
  std::lock_guard target_lock(target_mu_);
  return target().attributes()->ReadAttribute(p, id, v);
}
Status BufferedTape::ListAttributes(std::uint32_t p, std::vector<std::uint16_t>& ids) const {
  std::unique_lock lock(mu_);
  space_.wait(lock, [this] { return queue_.empty(); });
  std::lock_guard target_lock(target_mu_);
  return target().attributes()->ListAttributes(p, ids);
}

// Close writes out the buffer and reports records it could not write (a
// deferred error nobody took) before the medium's own close status.
Status BufferedTape::Close() {
  Status drained = Drain();
  StopWriter();
  Status closed;
  {
    std::lock_guard target_lock(target_mu_);
    closed = target().Close();
  }
  return drained.ok() ? closed : drained;
}

}  // namespace vtape
