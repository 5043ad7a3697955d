#include "vtape/buffered_tape.h"

#include <algorithm>
#include <cstring>

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

namespace {

// Statistics arithmetic, field by field (the read counts are what read-ahead
// moves around; the others pass through unchanged in practice).
Statistics Combine(const Statistics& a, const Statistics& b, int sign) {
  auto f = [sign](std::uint64_t x, std::uint64_t y) {
    return sign > 0 ? x + y : x - std::min(x, y);
  };
  Statistics r;
  r.records_written = f(a.records_written, b.records_written);
  r.bytes_written = f(a.bytes_written, b.bytes_written);
  r.filemarks_written = f(a.filemarks_written, b.filemarks_written);
  r.records_read = f(a.records_read, b.records_read);
  r.bytes_read = f(a.bytes_read, b.bytes_read);
  r.filemarks_read = f(a.filemarks_read, b.filemarks_read);
  r.read_errors_corrected = f(a.read_errors_corrected, b.read_errors_corrected);
  r.read_errors_uncorrected = f(a.read_errors_uncorrected, b.read_errors_uncorrected);
  r.write_errors = f(a.write_errors, b.write_errors);
  return r;
}
Statistics Plus(const Statistics& a, const Statistics& b) {
  return Combine(a, b, +1);
}
Statistics Minus(const Statistics& a, const Statistics& b) {
  return Combine(a, b, -1);
}

// The size the read-ahead expects when no record has been read yet.
constexpr std::uint64_t kFirstGuess = 64 * 1024;

}  // namespace

// One thread writes the buffered objects out and, while the engine reads,
// reads ahead: the two never overlap (a write stops the read-ahead, a read
// waits for the writes).
void BufferedTape::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_.wait(lock, [this] { return stop_ || !queue_.empty() || ReadAheadWanted(); });
    if (!queue_.empty()) {
      WriteFront(lock);
    } else if (stop_) {
      return;  // nothing left to write
    } else {
      ReadAheadOne(lock);
    }
  }
}

// Commits the front entry, then drops it; on failure discards it and
// everything after it and keeps the error for the engine.
void BufferedTape::WriteFront(std::unique_lock<std::mutex>& lock) {
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
      const ConstPiece record[1] = {entry.data()};
      status = target().WriteTagged(record, entry.tag);
    }
    statistics = target().statistics();
    health = target().health();
  }
  lock.lock();
  statistics_ = Minus(statistics, uncounted_);
  health_ = std::move(health);
  if (status.ok()) {
    held_.objects -= entry.objects();
    held_.bytes -= entry.size;
    held_.filemarks -= entry.filemarks;
    ReturnBlock(std::move(entry.block));
    queue_.pop_front();
  } else {
    deferred_ = DeferredError{status, held_.objects - marks_written};
    queue_.clear();
    held_ = {};
  }
  space_.notify_all();
}

bool BufferedTape::ReadAheadWanted() const {
  return reading_ && !reader_done_ && !reader_busy_ && ahead_held_.objects < kMaxReadAhead &&
         ahead_held_.bytes + next_size_ <= capacity_;
}

void BufferedTape::ReadAheadOne(std::unique_lock<std::mutex>& lock) {
  reader_busy_ = true;
  std::uint64_t want = next_size_;
  Block block = TakeBlock(want);
  lock.unlock();
  Ahead a;
  Statistics extra;  // counts of a read repeated with a larger block
  bool too_large = false;
  {
    std::lock_guard target_lock(target_mu_);
    Statistics before = target().statistics();
    a.status = target().Read(std::span(block.bytes.get(), want), a.result);
    if (a.status.ok() && a.result.kind == ObjectKind::kRecord && a.result.length > want) {
      // Larger than the records before it: step back and read it whole, if
      // the buffer can hold it; otherwise leave it to the engine's own Read.
      SpaceResult back;
      a.status = target().SpaceRecords(-1, back);
      if (a.status.ok() && a.result.length <= capacity_) {
        want = a.result.length;
        block = Block{std::make_unique_for_overwrite<std::uint8_t[]>(want), want};
        Statistics middle = target().statistics();
        extra = Minus(middle, before);
        before = middle;
        a.status = target().Read(std::span(block.bytes.get(), want), a.result);
      } else if (a.status.ok()) {
        too_large = true;
        extra = Minus(target().statistics(), before);
      }
    }
    a.after = target().GetPosition();
    a.counted = Minus(target().statistics(), before);
  }
  lock.lock();
  reader_busy_ = false;
  uncounted_ = Plus(uncounted_, extra);
  const bool record = a.status.ok() && a.result.kind == ObjectKind::kRecord;
  if (too_large || (a.status.ok() && a.result.kind == ObjectKind::kEndOfData)) {
    // The engine reads EOD (it does not move) and the large record itself.
    reader_done_ = true;
    if (!too_large) uncounted_ = Plus(uncounted_, a.counted);
    ReturnBlock(std::move(block));
  } else {
    if (!a.status.ok()) reader_done_ = true;  // reported when reached; no further
    if (record) next_size_ = std::max<std::uint64_t>(a.result.length, 1);
    a.size = record ? std::min<std::uint64_t>(a.result.length, want) : 0;
    if (a.size != 0) {
      a.block = std::move(block);
    } else {
      ReturnBlock(std::move(block));
    }
    ahead_held_.objects += 1;
    ahead_held_.bytes += a.size;
    if (a.status.ok() && a.result.kind == ObjectKind::kFilemark) ahead_held_.filemarks += 1;
    ahead_counted_ = Plus(ahead_counted_, a.counted);
    ++counters_.objects_read_ahead;
    ahead_.push_back(std::move(a));
  }
  space_.notify_all();
}

Status BufferedTape::StopReadAhead(std::unique_lock<std::mutex>& lock) {
  if (!reading_) return Status::Ok();
  reader_done_ = true;
  space_.wait(lock, [this] { return !reader_busy_; });
  for (Ahead& a : ahead_) ReturnBlock(std::move(a.block));
  ahead_.clear();
  ahead_held_ = {};
  uncounted_ = Plus(uncounted_, ahead_counted_);
  ahead_counted_ = {};
  reading_ = false;
  std::lock_guard target_lock(target_mu_);
  const Position now = target().GetPosition();
  if (now.partition == read_pos_.partition && now.object == read_pos_.object) return Status::Ok();
  SpaceResult moved;
  return target().Locate(read_pos_.partition, read_pos_.object, moved);
}

BufferedTape::Contents BufferedTape::read_ahead() const {
  std::lock_guard lock(mu_);
  return ahead_held_;
}

void BufferedTape::WaitReadAhead() const {
  std::unique_lock lock(mu_);
  space_.wait(lock, [this] { return !reading_ || (!reader_busy_ && !ReadAheadWanted()); });
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
  if (deferred_) return deferred_->status;
  return StopReadAhead(lock);
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
    statistics_ = Minus(target().statistics(), uncounted_);
    health_ = target().health();
  }
  // Reserve capacity as objects are accepted: the last one must still end
  // before the early-warning point, so only the medium reports EW and EOM.
  return proven_writable_ && bufferable_medium_ && logical_.bytes_before + cost < early_warning_at_;
}

Status BufferedTape::Write(std::span<const std::uint8_t> record) {
  const ConstPiece one[1] = {record};
  return WriteGathered(one);
}

Status BufferedTape::WriteGathered(RecordPieces pieces) {
  return WriteTagged(pieces, 0);
}

Status BufferedTape::WriteTagged(RecordPieces pieces, std::uint8_t tag) {
  const std::uint64_t size = TotalBytes(pieces);
  VTAPE_RETURN_IF_ERROR(CheckTaggedRecord(size, tag));
  std::unique_lock lock(mu_);
  if (deferred_) return deferred_->status;
  VTAPE_RETURN_IF_ERROR(StopReadAhead(lock));
  if (size > capacity_ || !MayBuffer(lock, size)) {
    VTAPE_RETURN_IF_ERROR(DrainLocked(lock));
    return WriteToMedium(pieces, tag);
  }
  // Back-pressure: wait for room (the writer frees it record by record).
  if (held_.bytes + size > capacity_) ++counters_.waits_for_room;
  space_.wait(lock, [&] { return deferred_ || held_.bytes + size <= capacity_; });
  if (deferred_) return deferred_->status;
  if (queue_.empty() && !MayBuffer(lock, size)) {
    // The buffer emptied while waiting: start over at the medium's position.
    return WriteToMedium(pieces, tag);
  }
  // The one copy of the record, made without the lock: meanwhile the writer
  // only frees room or fails, and logical_ stays the position after the last
  // object queued.
  Entry entry{TakeBlock(size), size, 0, tag};
  lock.unlock();
  GatherInto(pieces, entry.block.bytes.get());
  lock.lock();
  if (deferred_) {
    ReturnBlock(std::move(entry.block));
    return deferred_->status;
  }
  Enqueue(std::move(entry));
  return Status::Ok();
}

BufferedTape::Block BufferedTape::TakeBlock(std::uint64_t size) {
  // Records of one backup are mostly of one size: a spare block of that size
  // (up to a quarter larger) is taken, so memory in use stays near the bytes held.
  for (auto it = spare_.rbegin(); it != spare_.rend(); ++it) {
    if (it->capacity >= size && it->capacity - size <= size / 4) {
      Block block = std::move(*it);
      spare_.erase(std::next(it).base());
      spare_bytes_ -= block.capacity;
      return block;
    }
  }
  return Block{std::make_unique_for_overwrite<std::uint8_t[]>(size), size};
}

void BufferedTape::ReturnBlock(Block block) {
  if (block.capacity == 0) return;
  const std::uint64_t in_use = held_.bytes + ahead_held_.bytes;
  if (spare_bytes_ + block.capacity + in_use > capacity_) {
    // Room for this one by dropping the oldest spares (another size, likely).
    while (!spare_.empty() && spare_bytes_ + block.capacity + in_use > capacity_) {
      spare_bytes_ -= spare_.front().capacity;
      spare_.erase(spare_.begin());
    }
    if (spare_bytes_ + block.capacity + in_use > capacity_) return;
  }
  spare_bytes_ += block.capacity;
  spare_.push_back(std::move(block));
}

void BufferedTape::Enqueue(Entry entry) {
  held_.objects += entry.objects();
  held_.bytes += entry.size;
  held_.filemarks += entry.filemarks;
  counters_.peak_bytes = std::max(counters_.peak_bytes, held_.bytes);
  logical_.object += entry.objects();
  if (entry.filemarks != 0) {
    logical_.file += entry.filemarks;
    logical_.record_in_file = 0;
    logical_.bytes_before += entry.filemarks * kFilemarkBytes;
  } else {
    logical_.record_in_file += 1;
    logical_.bytes_before += entry.size;
  }
  logical_.at_bop = false;
  logical_.at_eod = true;
  logical_.beyond_early_warning = false;  // MayBuffer kept it before the zone
  queue_.push_back(std::move(entry));
  work_.notify_one();
}

Status BufferedTape::WriteToMedium(RecordPieces record, std::uint8_t tag) {
  Status status;
  {
    std::lock_guard target_lock(target_mu_);
    status = target().WriteTagged(record, tag);
  }
  if (status.ok()) proven_writable_ = true;
  return status;
}

Status BufferedTape::WriteThrough(RecordPieces record, std::uint8_t tag) {
  std::unique_lock lock(mu_);
  VTAPE_RETURN_IF_ERROR(DrainLocked(lock));
  return WriteToMedium(record, tag);
}

Status BufferedTape::WriteFilemarks(std::uint64_t count, bool sync) {
  std::unique_lock lock(mu_);
  if (deferred_) return deferred_->status;
  if (count == 0 && !sync) return Status::Ok();
  VTAPE_RETURN_IF_ERROR(StopReadAhead(lock));
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
  Enqueue(Entry{{}, 0, count});
  return Status::Ok();
}

Position BufferedTape::GetPosition() const {
  std::lock_guard lock(mu_);
  if (!queue_.empty()) return logical_;
  if (reading_) return read_pos_;
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

Status BufferedTape::Read(std::span<std::uint8_t> buffer, ReadResult& result) {
  const Piece one[1] = {buffer};
  return ReadScattered(one, result);
}

Status BufferedTape::ReadScattered(ReadPieces buffer, ReadResult& result) {
  std::unique_lock lock(mu_);
  if (!queue_.empty()) {
    ++counters_.drains_waited;
    space_.wait(lock, [this] { return queue_.empty(); });
  }
  if (deferred_) return deferred_->status;
  if (reading_) {
    space_.wait(lock, [this] { return !ahead_.empty() || (!reader_busy_ && !ReadAheadWanted()); });
    if (!ahead_.empty()) {
      Ahead a = std::move(ahead_.front());
      ahead_.pop_front();
      ahead_held_.objects -= 1;
      ahead_held_.bytes -= a.size;
      if (a.status.ok() && a.result.kind == ObjectKind::kFilemark) ahead_held_.filemarks -= 1;
      ahead_counted_ = Minus(ahead_counted_, a.counted);
      read_pos_ = a.after;
      const std::uint64_t copy = std::min<std::uint64_t>(a.size, TotalBytes(buffer));
      // The medium counts the bytes a Read delivers: the rest of the record
      // was read only ahead.
      if (a.counted.bytes_read > copy) {
        Statistics rest;
        rest.bytes_read = a.counted.bytes_read - copy;
        uncounted_ = Plus(uncounted_, rest);
      }
      work_.notify_one();  // room for the next object
      lock.unlock();
      ScatterInto(std::span(a.block.bytes.get(), copy), buffer);
      result = a.result;
      lock.lock();
      ReturnBlock(std::move(a.block));
      return a.status;
    }
    // The read-ahead ended (EOD, a large record): the medium is at read_pos_.
    reading_ = false;
  }
  Status status;
  Position after;
  {
    std::lock_guard target_lock(target_mu_);
    status = target().ReadScattered(buffer, result);
    after = target().GetPosition();
  }
  if (capacity_ > 0 && status.ok() && result.kind != ObjectKind::kEndOfData) {
    // Sequential reading starts here: read on from the medium's position.
    reading_ = true;
    reader_done_ = false;
    read_pos_ = after;
    if (result.kind == ObjectKind::kRecord) next_size_ = std::max<std::uint64_t>(result.length, 1);
    if (next_size_ == 0) next_size_ = kFirstGuess;
    work_.notify_one();
  }
  return status;
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
  std::unique_lock lock(mu_);
  // A read in progress is counted once it is in ahead_.
  space_.wait(lock, [this] { return !reader_busy_; });
  if (!queue_.empty()) {
    Statistics s = statistics_;  // after the last object written, plus the buffer
    s.records_written += held_.objects - held_.filemarks;
    s.bytes_written += held_.bytes;
    s.filemarks_written += held_.filemarks;
    return s;
  }
  std::lock_guard target_lock(target_mu_);
  return Minus(Minus(target().statistics(), uncounted_), ahead_counted_);
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
