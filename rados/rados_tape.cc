#include "rados/rados_tape.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <random>

#include "rados/lock.h"
#include "vtape/crc32c.h"
#include "vtape/media.h"

namespace vtape::rados {

std::uint64_t PartitionIndex::Rank(std::uint64_t object) const {
  return std::lower_bound(marks.begin(), marks.end(), object) - marks.begin();
}

RadosTape::~RadosTape() {
  if (!closed_) (void)Close();  // only Close reports a failed final flush
}

Status RadosTape::Open(const RadosSpec& spec, const OpenOptions& options,
                       std::unique_ptr<RadosTape>& tape) {
  std::unique_ptr<RadosTape> t(new RadosTape());
  t->spec_ = spec;
  VTAPE_RETURN_IF_ERROR(t->conn_.Connect(spec));
  VTAPE_RETURN_IF_ERROR(ReadHeader(t->conn_, spec, t->header_));
  if (!options.read_only) {
    VTAPE_RETURN_IF_ERROR(t->TakeLock());
    VTAPE_RETURN_IF_ERROR(t->BumpEpoch());
    t->writable_ = true;
  }
  t->parts_.resize(t->header_.partitions.size());
  for (std::uint32_t i = 0; i < t->parts_.size(); ++i) VTAPE_RETURN_IF_ERROR(t->LoadIndex(i));
  tape = std::move(t);
  return Status::Ok();
}

Status RadosTape::TakeLock() {
  char host[64] = "?";
  gethostname(host, sizeof host - 1);
  std::random_device rd;
  cookie_ = std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(rd());
  std::string desc = "vtape gateway " + std::string(host) + " pid " + std::to_string(getpid());
  const std::uint32_t lease = spec_.lease_seconds;
  timeval duration{static_cast<time_t>(lease), 0};
  const auto sent = std::chrono::steady_clock::now();
  int r = rados_lock_exclusive(conn_.io(), spec_.name.c_str(), kLockName, cookie_.c_str(),
                               desc.c_str(), lease != 0 ? &duration : nullptr, 0);
  if (r == -EBUSY || r == -EEXIST) {
    std::vector<Locker> holders;
    (void)ListLockers(conn_, spec_.name, holders);  // best effort: only names the holder
    std::string who = holders.empty() ? std::string("another client")
                                      : holders[0].client + " at " + holders[0].address +
                                            " (" + holders[0].cookie + ")";
    return Status::Busy("rados:" + spec_.Label() + " is open for writing by " + who +
                        "; if that gateway is dead, `vtape break-lock rados:" + spec_.Label() +
                        "` fences it and frees the cartridge");
  }
  if (r < 0) return FromRados(r, "rados: locking " + spec_.Label());
  locked_ = true;
  writer_record_ = conn_.Address() + " " + cookie_ + " " + std::to_string(lease);
  if (lease != 0) {
    lease_ = std::make_unique<Lease>(conn_, spec_.name, cookie_, desc, lease, sent, spec_.Label());
  }
  return FenceExpiredWriter();
}

Status RadosTape::FenceExpiredWriter() {
  char value[512];
  int n = rados_getxattr(conn_.io(), spec_.name.c_str(), kWriterXattr, value, sizeof value);
  if (n == -ENODATA || n == -ENOENT || n == 0) return Status::Ok();
  if (n < 0) return FromRados(n, "rados: reading the writer record of " + spec_.Label());
  std::string record(value, static_cast<std::size_t>(n));
  std::size_t first = record.find(' '), last = record.rfind(' ');
  if (first == std::string::npos || last == first) return Status::Ok();  // not ours to judge
  // A writer without a lease only loses its lock to `vtape break-lock`, which fenced it.
  if (record.substr(last + 1) == "0") return Status::Ok();
  std::string address = record.substr(0, first);
  int r = rados_blocklist_add(conn_.cluster(), address.data(), kExpiredWriterBlocklistSeconds);
  if (r < 0) {
    return FromRados(r, "rados:" + spec_.Label() + ": the lease of the previous writer (" +
                            address + ") expired without a clean close, and fencing it failed " +
                            "(the client needs the monitor capability to blocklist)");
  }
  return Status::Ok();
}

// A writable open bumps the epoch in the header and its xattr in one guarded op:
// every later header write of this open is guarded by the new value, so a writer
// whose lock was broken can no longer move the medium's EOD (FORMAT.md, Fencing).
Status RadosTape::BumpEpoch() {
  std::string old_epoch = std::to_string(header_.epoch);
  header_.epoch += 1;
  std::string new_epoch = std::to_string(header_.epoch);
  std::vector<std::uint8_t> bytes = EncodeHeader(header_);
  rados_write_op_t op = rados_create_write_op();
  rados_write_op_cmpxattr(op, kEpochXattr, LIBRADOS_CMPXATTR_OP_EQ, old_epoch.data(),
                          old_epoch.size());
  rados_write_op_setxattr(op, kEpochXattr, new_epoch.data(), new_epoch.size());
  rados_write_op_setxattr(op, kWriterXattr, writer_record_.data(), writer_record_.size());
  rados_write_op_write_full(op, reinterpret_cast<const char*>(bytes.data()), bytes.size());
  int r = rados_write_op_operate(op, conn_.io(), spec_.name.c_str(), nullptr, 0);
  rados_release_write_op(op);
  if (r == -ECANCELED) {
    return Status::Busy("rados:" + spec_.Label() + ": another writer moved the epoch while " +
                        "this open took the lock");
  }
  return r < 0 ? FromRados(r, "rados: writing the header of " + spec_.Label()) : Status::Ok();
}

Status RadosTape::LoadIndex(std::uint32_t partition) {
  PartitionIndex& p = parts_[partition];
  const PartitionHeader& ph = header_.partitions[partition];
  p.capacity = ph.capacity;
  p.data_end = ph.data_end;
  p.durable_eod = p.index_dirty = ph.eod;
  p.entries.resize(ph.eod);
  const std::uint64_t per = header_.index_entries_per_object;
  std::vector<std::uint8_t> chunk;
  std::uint64_t offset = 0;
  for (std::uint64_t first = 0; first < ph.eod; first += per) {
    std::uint64_t n = std::min(per, ph.eod - first);
    chunk.resize(n * kEntryBytes);
    std::string oid = IndexObject(spec_.name, partition, first / per);
    int r = rados_read(conn_.io(), oid.c_str(), reinterpret_cast<char*>(chunk.data()),
                       chunk.size(), 0);
    if (r >= 0 && static_cast<std::size_t>(r) != chunk.size()) {
      return Status::CorruptImage("rados:" + spec_.Label() + ": index object " + oid + " holds " +
                                  std::to_string(r) + " bytes, the header promises " +
                                  std::to_string(chunk.size()));
    }
    if (r < 0) return FromRados(r, "rados: reading index object " + oid);
    for (std::uint64_t i = 0; i < n; ++i) {
      Entry& e = p.entries[first + i];
      if (!DecodeEntry(&chunk[i * kEntryBytes], e) || e.offset != offset) {
        return Status::CorruptImage("rados:" + spec_.Label() + ": index entry " +
                                    std::to_string(first + i) + " of partition " +
                                    std::to_string(partition) + " is damaged");
      }
      offset += e.length;
      if (e.length == 0) p.marks.push_back(first + i);
    }
  }
  if (offset != ph.data_end) {
    return Status::CorruptImage("rados:" + spec_.Label() + ": the index covers " +
                                std::to_string(offset) + " record bytes, the header " +
                                std::to_string(ph.data_end));
  }
  return Status::Ok();
}

// --- state checks ---------------------------------------------------------------

Status RadosTape::Ready() const {
  if (closed_) return Status::InvalidArgument("the tape was closed");
  if (!loaded_) return Status::NotLoaded("no medium is loaded");
  return Status::Ok();
}

Status RadosTape::Writable() const {
  VTAPE_RETURN_IF_ERROR(Ready());
  VTAPE_RETURN_IF_ERROR(LeaseValid());
  if (header_.write_protected || !writable_) {
    return Status::WriteProtected(writable_ ? "the medium is write protected"
                                            : "the medium was opened read-only");
  }
  return error_;
}

Status RadosTape::Fail(Status s) {
  ++stats_.write_errors;
  if (error_.ok()) error_ = s;
  return s;
}

std::uint64_t RadosTape::EarlyWarningOf(const PartitionIndex& p) const {
  return std::min(header_.early_warning_bytes, p.capacity);
}

Status RadosTape::CheckPartition(std::uint32_t partition) const {
  VTAPE_RETURN_IF_ERROR(Ready());
  if (partition < parts_.size()) return Status::Ok();
  return Status::InvalidArgument("partition " + std::to_string(partition) +
                                 " does not exist (the medium has " +
                                 std::to_string(parts_.size()) + ")");
}

Status RadosTape::SelectPartition(std::uint32_t partition) {
  VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
  partition_ = partition;
  return Status::Ok();
}

// --- writing ----------------------------------------------------------------------

Status RadosTape::IssueWrite(std::string oid, std::vector<std::uint8_t> bytes,
                             std::uint64_t offset) {
  if (Status lease = LeaseValid(); !lease.ok()) return Fail(lease);
  while (in_flight_.size() >= kMaxInFlight) VTAPE_RETURN_IF_ERROR(WaitOldest());
  InFlight f;
  f.oid = std::move(oid);
  f.bytes = std::move(bytes);
  int r = rados_aio_create_completion2(nullptr, nullptr, &f.completion);
  if (r < 0) return Fail(FromRados(r, "rados: creating a completion"));
  r = rados_aio_write(conn_.io(), f.oid.c_str(), f.completion,
                      reinterpret_cast<const char*>(f.bytes.data()), f.bytes.size(), offset);
  if (r < 0) {
    rados_aio_release(f.completion);
    return Fail(FromRados(r, "rados: writing " + f.oid));
  }
  in_flight_.push_back(std::move(f));
  return Status::Ok();
}

Status RadosTape::WaitOldest() {
  InFlight f = std::move(in_flight_.front());
  in_flight_.pop_front();
  rados_aio_wait_for_complete(f.completion);
  int r = rados_aio_get_return_value(f.completion);
  rados_aio_release(f.completion);
  if (r < 0) {
    Status s = FromRados(r, "rados: writing " + f.oid);
    if (r == -ESHUTDOWN) {
      s = Status::IoError("rados: writing " + f.oid + ": this gateway was fenced (blocklisted)");
    }
    return Fail(s);
  }
  return Status::Ok();
}

Status RadosTape::WaitAll() {
  Status first;
  while (!in_flight_.empty()) {
    Status s = WaitOldest();
    if (first.ok()) first = s;
  }
  return first;
}

Status RadosTape::IssuePending(bool all) {
  const std::uint64_t stripe = header_.data_object_bytes;
  while (!pending_.empty()) {
    std::uint64_t in_stripe = pending_start_ % stripe;
    std::uint64_t len = std::min<std::uint64_t>(stripe - in_stripe, pending_.size());
    if (!all && in_stripe + pending_.size() < stripe) break;
    std::vector<std::uint8_t> rest(pending_.begin() + len, pending_.end());
    pending_.resize(len);
    VTAPE_RETURN_IF_ERROR(IssueWrite(DataObject(spec_.name, pending_partition_,
                                                pending_start_ / stripe),
                                     std::move(pending_), in_stripe));
    pending_ = std::move(rest);
    pending_start_ += len;
  }
  return Status::Ok();
}

// Entries from index_dirty to EOD, written where they belong in the index objects.
Status RadosTape::IssueIndex() {
  const std::uint64_t per = header_.index_entries_per_object;
  for (std::uint32_t pi = 0; pi < parts_.size(); ++pi) {
    PartitionIndex& p = parts_[pi];
    while (p.index_dirty < p.eod()) {
      std::uint64_t first = p.index_dirty;
      std::uint64_t n = std::min(per - first % per, p.eod() - first);
      std::vector<std::uint8_t> bytes(n * kEntryBytes);
      for (std::uint64_t i = 0; i < n; ++i) EncodeEntry(p.entries[first + i], &bytes[i * kEntryBytes]);
      VTAPE_RETURN_IF_ERROR(IssueWrite(IndexObject(spec_.name, pi, first / per), std::move(bytes),
                                       (first % per) * kEntryBytes));
      p.index_dirty = first + n;
    }
  }
  return Status::Ok();
}

Status RadosTape::WriteHeader() {
  if (Status lease = LeaseValid(); !lease.ok()) return Fail(lease);
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    header_.partitions[i] = {parts_[i].capacity, parts_[i].eod(), parts_[i].data_end};
  }
  std::vector<std::uint8_t> bytes = EncodeHeader(header_);
  std::string epoch = std::to_string(header_.epoch);
  rados_write_op_t op = rados_create_write_op();
  rados_write_op_cmpxattr(op, kEpochXattr, LIBRADOS_CMPXATTR_OP_EQ, epoch.data(), epoch.size());
  rados_write_op_write_full(op, reinterpret_cast<const char*>(bytes.data()), bytes.size());
  int r = rados_write_op_operate(op, conn_.io(), spec_.name.c_str(), nullptr, 0);
  rados_release_write_op(op);
  if (r == -ECANCELED) {
    return Fail(Status::IoError("rados:" + spec_.Label() + ": another gateway opened the " +
                                "cartridge for writing (epoch moved): this writer is fenced"));
  }
  if (r == -ESHUTDOWN) {
    return Fail(Status::IoError("rados:" + spec_.Label() + ": this gateway was fenced "
                                "(blocklisted by a broken lock)"));
  }
  if (r < 0) return Fail(FromRados(r, "rados: writing the header of " + spec_.Label()));
  for (PartitionIndex& p : parts_) p.durable_eod = p.eod();
  return Status::Ok();
}

Status RadosTape::Commit() {
  VTAPE_RETURN_IF_ERROR(error_);
  Status s = IssuePending(true);
  if (s.ok()) s = IssueIndex();
  Status waited = WaitAll();
  if (s.ok()) s = waited;
  VTAPE_RETURN_IF_ERROR(s);
  return WriteHeader();
}

Status RadosTape::TruncateAt(std::uint64_t object) {
  PartitionIndex& p = current();
  if (object >= p.eod()) return Status::Ok();
  const bool durable_part = object < p.durable_eod;
  // Overwriting what the header already counts: the header must forget it first,
  // or a crash would leave it pointing at records half replaced.
  if (durable_part) VTAPE_RETURN_IF_ERROR(Commit());
  std::uint64_t end = p.entries[object].offset;
  p.entries.resize(object);
  while (!p.marks.empty() && p.marks.back() >= object) p.marks.pop_back();
  p.data_end = end;
  p.index_dirty = std::min(p.index_dirty, object);
  if (pending_partition_ == partition_) {
    if (end < pending_start_) {
      pending_.clear();
      pending_start_ = end;
    } else if (end < pending_start_ + pending_.size()) {
      pending_.resize(end - pending_start_);
    }
  }
  cache_stripe_ = ~0ull;
  if (durable_part) return WriteHeader();
  return Status::Ok();
}

Status RadosTape::Write(std::span<const std::uint8_t> record) {
  const ConstPiece one[1] = {record};
  return WriteTagged(one, 0);
}

Status RadosTape::WriteTagged(RecordPieces pieces, std::uint8_t tag) {
  VTAPE_RETURN_IF_ERROR(Writable());
  const std::uint64_t size = TotalBytes(pieces);
  VTAPE_RETURN_IF_ERROR(CheckTaggedRecord(size, tag));
  if (tag != 0 && header_.version < kFormatVersionTagged) {
    // Before the first tagged record: the cartridge becomes version 2
    // (layout.h), committed, so no older build reads a tag as a length.
    header_.version = kFormatVersionTagged;
    Status committed = Commit();
    if (!committed.ok()) {
      header_.version = kFormatVersion;
      return committed;
    }
  }
  PartitionIndex& p = current();
  std::uint64_t start = p.BytesBefore(object_);
  if (start + size > p.capacity) {
    ++stats_.write_errors;
    return Status::EndOfMedium("record of " + std::to_string(size) +
                               " bytes does not fit before the end of partition " +
                               std::to_string(partition_));
  }
  VTAPE_RETURN_IF_ERROR(TruncateAt(object_));
  if (pending_partition_ != partition_ || pending_start_ + pending_.size() != p.data_end) {
    VTAPE_RETURN_IF_ERROR(IssuePending(true));
    pending_partition_ = partition_;
    pending_start_ = p.data_end;
  }
  std::uint32_t crc = 0;
  for (ConstPiece piece : pieces) {
    pending_.insert(pending_.end(), piece.begin(), piece.end());
    crc = Crc32c(piece, crc);
  }
  p.entries.push_back({p.data_end, static_cast<std::uint32_t>(size), crc, header_.epoch, tag});
  p.data_end += size;
  ++object_;
  ++stats_.records_written;
  stats_.bytes_written += size;
  cache_stripe_ = ~0ull;
  return IssuePending(false);
}

Status RadosTape::WriteFilemarks(std::uint64_t count, bool sync) {
  VTAPE_RETURN_IF_ERROR(Writable());
  if (count == 0) return sync ? Commit() : Status::Ok();
  PartitionIndex& p = current();
  std::uint64_t start = p.BytesBefore(object_);
  std::uint64_t room = start >= p.capacity ? 0 : (p.capacity - start) / kFilemarkBytes;
  std::uint64_t n = std::min(count, room);
  VTAPE_RETURN_IF_ERROR(TruncateAt(object_));
  for (std::uint64_t i = 0; i < n; ++i) {
    p.marks.push_back(p.eod());
    p.entries.push_back({p.data_end, 0, 0, header_.epoch});
  }
  object_ += n;
  stats_.filemarks_written += n;
  Status s = sync ? Commit() : Status::Ok();
  if (n == count) return s;
  ++stats_.write_errors;
  return Status::EndOfMedium("a filemark does not fit before the end of partition " +
                             std::to_string(partition_) + " (" + std::to_string(n) + " of " +
                             std::to_string(count) + " filemarks written)");
}

Status RadosTape::Sync() {
  VTAPE_RETURN_IF_ERROR(Ready());
  if (!writable_) return Status::Ok();
  return Commit();
}

Status RadosTape::Erase() {
  VTAPE_RETURN_IF_ERROR(Writable());
  return TruncateAt(object_);
}

// --- reading ----------------------------------------------------------------------

Status RadosTape::ReadStream(const PartitionIndex&, std::uint32_t partition,
                             std::uint64_t offset, std::span<std::uint8_t> out) {
  const std::uint64_t stripe = header_.data_object_bytes;
  while (!out.empty()) {
    std::uint64_t index = offset / stripe, in_stripe = offset % stripe;
    std::uint64_t len = std::min<std::uint64_t>(stripe - in_stripe, out.size());
    std::string oid = DataObject(spec_.name, partition, index);
    if (len == stripe) {  // a whole stripe: straight into the caller's buffer
      int r = rados_read(conn_.io(), oid.c_str(), reinterpret_cast<char*>(out.data()), len, 0);
      if (r < 0) return FromRados(r, "rados: reading " + oid);
      if (static_cast<std::uint64_t>(r) != len) {
        return Status::MediumError("rados: " + oid + " is shorter than the index says");
      }
    } else {
      if (cache_partition_ != partition || cache_stripe_ != index) {
        cache_.resize(stripe);
        cache_stripe_ = ~0ull;
        int r = rados_read(conn_.io(), oid.c_str(), reinterpret_cast<char*>(cache_.data()),
                           stripe, 0);
        if (r < 0) return FromRados(r, "rados: reading " + oid);
        cache_.resize(r);
        cache_partition_ = partition;
        cache_stripe_ = index;
      }
      if (in_stripe + len > cache_.size()) {
        cache_stripe_ = ~0ull;
        return Status::MediumError("rados: " + oid + " is shorter than the index says");
      }
      std::memcpy(out.data(), cache_.data() + in_stripe, len);
    }
    out = out.subspan(len);
    offset += len;
  }
  return Status::Ok();
}

Status RadosTape::Read(std::span<std::uint8_t> buffer, ReadResult& result) {
  VTAPE_RETURN_IF_ERROR(Ready());
  PartitionIndex& p = current();
  if (object_ == p.eod()) {
    result = {ObjectKind::kEndOfData, 0};
    return Status::Ok();
  }
  const Entry e = p.entries[object_];
  if (e.length == 0) {
    ++object_;
    ++stats_.filemarks_read;
    result = {ObjectKind::kFilemark, 0};
    return Status::Ok();
  }
  // Bytes still in this gateway's buffers are read back from RADOS once acknowledged.
  if (!pending_.empty() || !in_flight_.empty()) {
    Status s = IssuePending(true);
    Status waited = WaitAll();
    VTAPE_RETURN_IF_ERROR(s);
    VTAPE_RETURN_IF_ERROR(waited);
  }
  std::vector<std::uint8_t> whole;
  std::span<std::uint8_t> into = buffer.first(std::min<std::uint64_t>(buffer.size(), e.length));
  if (buffer.size() < e.length) {  // the checksum covers the whole record
    whole.resize(e.length);
    into = whole;
  }
  VTAPE_RETURN_IF_ERROR(ReadStream(p, partition_, e.offset, into));
  ++object_;
  if (Crc32c(into) != e.crc) {
    ++stats_.read_errors_uncorrected;
    return Status::MediumError("rados:" + spec_.Label() + ": record " +
                               std::to_string(object_ - 1) + " of partition " +
                               std::to_string(partition_) + " fails its CRC32C");
  }
  std::size_t n = std::min<std::uint64_t>(buffer.size(), e.length);
  if (!whole.empty()) std::memcpy(buffer.data(), whole.data(), n);
  result = {ObjectKind::kRecord, e.length, e.tag};
  ++stats_.records_read;
  stats_.bytes_read += n;
  return Status::Ok();
}

// --- positioning ------------------------------------------------------------------

Status RadosTape::SpaceRecords(std::int64_t count, SpaceResult& result) {
  VTAPE_RETURN_IF_ERROR(Ready());
  object_ = SpaceRecordsTarget(current(), current().eod(), object_, count, result);
  return Status::Ok();
}
Status RadosTape::SpaceFilemarks(std::int64_t count, SpaceResult& result) {
  VTAPE_RETURN_IF_ERROR(Ready());
  object_ = SpaceFilemarksTarget(current(), current().eod(), object_, count, result);
  return Status::Ok();
}
Status RadosTape::SpaceToEndOfData() {
  VTAPE_RETURN_IF_ERROR(Ready());
  object_ = current().eod();
  return Status::Ok();
}
Status RadosTape::Locate(std::uint32_t partition, std::uint64_t object, SpaceResult& result) {
  VTAPE_RETURN_IF_ERROR(SelectPartition(partition));
  object_ = LocateObjectTarget(current().eod(), object, result);
  return Status::Ok();
}
Status RadosTape::LocateFile(std::uint32_t partition, std::uint64_t file, SpaceResult& result) {
  VTAPE_RETURN_IF_ERROR(SelectPartition(partition));
  object_ = LocateFileTarget(current(), current().eod(), file, result);
  return Status::Ok();
}
Status RadosTape::Rewind() {
  VTAPE_RETURN_IF_ERROR(Ready());
  partition_ = 0;
  object_ = 0;
  return Status::Ok();
}

Position RadosTape::GetPosition() const {
  Position pos;
  const PartitionIndex& p = parts_[partition_];
  pos.partition = partition_;
  FillPosition(p, p.eod(), object_, pos);
  pos.bytes_before = p.BytesBefore(object_);
  pos.beyond_early_warning = pos.bytes_before >= p.capacity - EarlyWarningOf(p);
  return pos;
}

// --- medium -----------------------------------------------------------------------

Status RadosTape::Load() {
  if (closed_) return Status::InvalidArgument("the tape was closed");
  loaded_ = true;
  partition_ = 0;
  object_ = 0;
  return Status::Ok();
}

Status RadosTape::Unload() {
  VTAPE_RETURN_IF_ERROR(Ready());
  Status s = writable_ ? Commit() : Status::Ok();
  loaded_ = false;
  return s;
}

Status RadosTape::Stat(MediumInfo& info) const {
  if (closed_) return Status::InvalidArgument("the tape was closed");
  info = MediumInfo{};
  info.format_version = header_.version;
  info.barcode = header_.barcode;
  info.media_type = header_.media_type;
  info.capacity_bytes = header_.capacity_bytes;
  info.early_warning_bytes = header_.early_warning_bytes;
  info.partitions = parts_.size();
  info.write_protected = header_.write_protected;
  for (const PartitionIndex& p : parts_) {
    info.used_bytes += p.BytesBefore(p.eod());
    info.filemarks += p.count();
    info.records += p.eod() - p.count();
  }
  return Status::Ok();
}

Status RadosTape::SetWriteProtect(bool on) {
  VTAPE_RETURN_IF_ERROR(Ready());
  if (!writable_) return Status::WriteProtected("the medium was opened read-only");
  VTAPE_RETURN_IF_ERROR(Commit());
  header_.write_protected = on;
  return WriteHeader();
}

Status RadosTape::SetEarlyWarning(std::uint64_t bytes_before_end) {
  VTAPE_RETURN_IF_ERROR(Ready());
  header_.early_warning_bytes = bytes_before_end;
  if (!writable_) return Status::Ok();
  VTAPE_RETURN_IF_ERROR(Commit());
  return WriteHeader();
}

Status RadosTape::Close() {
  if (closed_) return Status::InvalidArgument("the tape was closed");
  Status s;
  if (writable_ && loaded_) s = Commit();
  Status waited = WaitAll();  // never leave a completion behind the connection
  if (s.ok()) s = waited;
  lease_.reset();  // no renewal behind the unlock
  if (locked_ && s.ok()) {
    // A clean close: no later writer needs to fence this one (only while the epoch
    // is still this open's).
    std::string epoch = std::to_string(header_.epoch);
    rados_write_op_t op = rados_create_write_op();
    rados_write_op_cmpxattr(op, kEpochXattr, LIBRADOS_CMPXATTR_OP_EQ, epoch.data(), epoch.size());
    rados_write_op_rmxattr(op, kWriterXattr);
    (void)rados_write_op_operate(op, conn_.io(), spec_.name.c_str(), nullptr, 0);
    rados_release_write_op(op);
  }
  if (locked_) {
    rados_unlock(conn_.io(), spec_.name.c_str(), kLockName, cookie_.c_str());
    locked_ = false;
  }
  closed_ = true;
  return s;
}

// --- partitions ---------------------------------------------------------------------

std::uint32_t RadosTape::MaxPartitions() const {
  return MaxPartitionsOf(header_.media_type);
}

Status RadosTape::FormatPartitions(std::span<const std::uint64_t> sizes) {
  VTAPE_RETURN_IF_ERROR(Writable());
  std::vector<std::uint64_t> bytes;
  VTAPE_RETURN_IF_ERROR(ResolvePartitionSizes(sizes, header_.capacity_bytes, MaxPartitions(),
                                              header_.media_type, bytes));
  VTAPE_RETURN_IF_ERROR(Commit());
  // The other partitions' attributes go with their data (partition 0's describe the cartridge).
  for (std::uint32_t pi = 1; pi < parts_.size(); ++pi) {
    std::vector<std::uint16_t> ids;
    VTAPE_RETURN_IF_ERROR(ListAttributes(pi, ids));
    for (std::uint16_t id : ids) VTAPE_RETURN_IF_ERROR(WriteAttribute(pi, id, {}));
  }
  parts_.assign(bytes.size(), PartitionIndex{});
  header_.partitions.assign(bytes.size(), {});
  for (std::size_t i = 0; i < bytes.size(); ++i) parts_[i].capacity = bytes[i];
  pending_.clear();
  pending_start_ = 0;
  pending_partition_ = 0;
  cache_stripe_ = ~0ull;
  partition_ = 0;
  object_ = 0;
  return WriteHeader();  // one object write: the old layout or the new one
}

Status RadosTape::GetPartitionInfo(std::uint32_t partition, PartitionInfo& info) const {
  VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
  const PartitionIndex& p = parts_[partition];
  info.capacity_bytes = p.capacity;
  info.early_warning_bytes = EarlyWarningOf(p);
  info.used_bytes = p.BytesBefore(p.eod());
  info.filemarks = p.count();
  info.records = p.eod() - p.count();
  info.eod_object = p.eod();
  return Status::Ok();
}

}  // namespace vtape::rados
