#include "vtape/file_tape.h"

#include <fcntl.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <functional>
#include <limits>

#include "vtape/crc32c.h"
#include "vtape/position_math.h"

namespace vtape {
using namespace file_format;

namespace {

constexpr std::uint64_t kIndexReserveChunk = 1u << 20;
constexpr std::uint64_t kFilemarkReserveChunk = 64u << 10;
constexpr std::uint64_t kSidecarMinAhead = 4096;
constexpr std::uint64_t kRandomReadAhead = 64u << 10;
constexpr std::uint64_t kNoOffset = std::numeric_limits<std::uint64_t>::max();
// Filemarks are written this many at a time (one pwrite of their headers), so
// a count of millions never needs memory in proportion.
constexpr std::uint64_t kFilemarkChunk = EntryFile::kBufferBytes / kIndexEntryBytes;

// The filemark list as position_math sees it: binary search by pread over
// PATH.fm (EntryFile caches the blocks a search touches). A read error cannot
// travel through this interface; it is kept and reported by the caller.
class FilemarkFile final : public FilemarkIndex {
 public:
  explicit FilemarkFile(const EntryFile& list) : list_(list) {}
  std::uint64_t count() const override { return list_.count(); }
  std::uint64_t Rank(std::uint64_t object) const override {
    std::uint64_t lo = 0, hi = list_.count();
    if (hi == 0 || object == 0) return 0;
    if (Select(hi - 1) < object) return hi;  // the common case: at or near EOD
    while (lo < hi) {
      std::uint64_t mid = lo + (hi - lo) / 2;
      if (Select(mid) < object) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
  std::uint64_t Select(std::uint64_t k) const override {
    std::uint8_t raw[kFilemarkEntryBytes];
    Status s = list_.Read(k, raw);
    if (!s.ok()) {
      if (error_.ok()) error_ = s;
      return 0;
    }
    return Get64(raw);
  }
  // The first read error since the last call, if any.
  Status TakeError() const {
    Status s = std::move(error_);
    error_ = Status::Ok();
    return s;
  }

 private:
  const EntryFile& list_;
  mutable Status error_;
};

// One partition's image (PATH or PATH.pK); FileMedium (file_medium.cc) makes
// the medium of them. Its partition number is always 0.
class FileTape final : public FilePartition {
 public:
  FileTape(OpenedImage im, const FileTapeTuning& tuning)
      : tuning_(tuning),
        path_(im.path),
        idx_path_(IndexPathOf(im.path)),
        fm_path_(FilemarkPathOf(im.path)),
        writable_(im.writable),
        data_(std::move(im.data)),
        index_(std::move(im.index)),
        fm_list_(std::move(im.filemarks)),
        sb_(std::move(im.sb)),
        slot_(im.sb_slot),
        salt_(SaltOf(sb_.image_id)),
        // A writable open leaves the superblock describing the whole list.
        fm_crc_count_(writable_ ? sb_.durable_filemarks : 0),
        fm_crc_(writable_ ? sb_.filemarks_crc : 0),
        eod_(im.eod),
        data_end_(im.data_end),
        epoch_(im.epoch),
        reserved_data_(im.data_end),
        rbuf_(std::make_unique_for_overwrite<std::uint8_t[]>(tuning.read_ahead_bytes)) {}

  ~FileTape() override {
    if (!closed_) (void)Close();
  }

  // --- Data ---------------------------------------------------------------
  Status Read(std::span<std::uint8_t> buffer, ReadResult& result) override {
    const Piece one[1] = {buffer};
    return ReadScattered(one, result);
  }

  Status ReadScattered(ReadPieces buffer, ReadResult& result) override {
    VTAPE_RETURN_IF_ERROR(Ready());
    if (object_ == eod_) {
      result = {ObjectKind::kEndOfData, 0};
      return Status::Ok();
    }
    std::array<std::uint8_t, kRecordHeaderBytes> raw;
    RecordHeader h;
    std::string why = "the data file ends inside it";
    bool valid = HeaderAt(offset_, raw) && DecodeRecordHeader(raw, salt_, h, why);
    if (valid && (h.object != object_ || h.epoch > epoch_)) {
      why = "the header belongs to object " + std::to_string(h.object);
      valid = false;
    }
    if (!valid) {
      ++stats_.read_errors_uncorrected;
      Status error =
          Status::MediumError("object " + std::to_string(object_) + " at byte " +
                              std::to_string(offset_) + " of " + path_ + " is unreadable: " + why);
      VTAPE_RETURN_IF_ERROR(MoveTo(object_ + 1));  // so a reader can skip it
      return error;
    }
    if (h.kind == RecordKind::kFilemark) {
      result = {ObjectKind::kFilemark, 0};
      ++object_;
      ++fm_before_;
      offset_ += kRecordHeaderBytes;
      ++stats_.filemarks_read;
      return Status::Ok();
    }
    std::uint64_t at = offset_ + kRecordHeaderBytes;
    std::uint64_t copied = std::min<std::uint64_t>(h.length, TotalBytes(buffer));
    std::uint32_t crc = 0;
    bool complete = ReadPayload(at, h.length, buffer, crc);
    std::uint64_t record = object_;
    ++object_;
    offset_ = at + h.length;
    result = {ObjectKind::kRecord, h.length, h.tag};
    if (!complete || crc != h.payload_crc) {
      ZeroPieces(buffer, copied);  // damaged bytes are never handed out
      ++stats_.read_errors_uncorrected;
      return Status::MediumError("record " + std::to_string(record) + " (" +
                                 std::to_string(h.length) + " bytes) at byte " +
                                 std::to_string(at - kRecordHeaderBytes) + " of " + path_ +
                                 (complete ? " fails its CRC32C: its data is damaged"
                                           : " is cut off: the data file ends inside it"));
    }
    ++stats_.records_read;
    stats_.bytes_read += copied;
    return Status::Ok();
  }

  Status Write(std::span<const std::uint8_t> record) override {
    const ConstPiece one[1] = {record};
    return WriteGathered(one);
  }

  // The header and the pieces go to the kernel in one vectored write: the
  // record is never gathered in user space.
  Status WriteGathered(RecordPieces pieces) override { return WriteTagged(pieces, 0); }

  Status WriteTagged(RecordPieces pieces, std::uint8_t tag) override {
    VTAPE_RETURN_IF_ERROR(Writable());
    const std::uint64_t size = TotalBytes(pieces);
    VTAPE_RETURN_IF_ERROR(CheckTaggedRecord(size, tag));
    if (tag != 0) VTAPE_RETURN_IF_ERROR(AllowTags());
    std::uint64_t before = BytesBefore(object_, offset_, fm_before_);
    if (before + size > sb_.partition_bytes) {
      ++stats_.write_errors;
      return Status::EndOfMedium("record of " + std::to_string(size) +
                                 " bytes does not fit: " + std::to_string(before) + " of " +
                                 std::to_string(sb_.partition_bytes) + " bytes of " + path_ +
                                 " are used (hard end of medium)");
    }
    if (object_ < eod_) VTAPE_RETURN_IF_ERROR(TruncateAt(object_));
    std::uint64_t total = kRecordHeaderBytes + size;
    Status reserved = Reserve(total, 1, 0);
    if (!reserved.ok()) {
      ++stats_.write_errors;
      return reserved;
    }
    VTAPE_RETURN_IF_ERROR(index_.EnsureRoom(1));
    // Header and payload go to the kernel in one call before Write returns: a
    // crash of this process never loses an acknowledged record.
    std::uint32_t crc = 0;
    for (ConstPiece p : pieces) crc = Crc32c(p, crc);
    RecordHeader h{
        RecordKind::kRecord, object_, epoch_, static_cast<std::uint32_t>(size), crc, tag};
    std::array<std::uint8_t, kRecordHeaderBytes> raw;
    EncodeRecordHeader(h, salt_, raw);
    iov_.clear();
    iov_.push_back({raw.data(), raw.size()});
    for (ConstPiece p : pieces) {
      if (!p.empty()) iov_.push_back({const_cast<std::uint8_t*>(p.data()), p.size()});
    }
    Status s = PwritevAll(data_.get(), iov_, data_end_, path_);
    if (!s.ok()) {
      ++stats_.write_errors;
      (void)Truncate(data_.get(), data_end_, path_);  // leave no half record behind
      return s;
    }
    VTAPE_RETURN_IF_ERROR(AppendObject(size, false));
    ++stats_.records_written;
    stats_.bytes_written += size;
    return AutoDurablePoint();
  }

  // Writes the filemarks in chunks; at the hard end of the medium (or with the
  // host disk full) at mark i of n, marks 0..i-1 stay written, the position is
  // after them, and the error says so (the caller derives the residual from the
  // position: see Tape::WriteFilemarks).
  Status WriteFilemarks(std::uint64_t count, bool sync) override {
    VTAPE_RETURN_IF_ERROR(Writable());
    if (count > 0 && object_ < eod_) VTAPE_RETURN_IF_ERROR(TruncateAt(object_));
    Status error;
    for (std::uint64_t done = 0; done < count && error.ok();) {
      std::uint64_t n = std::min(count - done, kFilemarkChunk);
      error = WriteFilemarkChunk(n, done, count);
      done += n;
      if (error.ok()) error = AutoDurablePoint();
    }
    // Even when stopped short, a synchronous request makes what was written durable.
    if (sync) {
      Status synced = Sync();
      if (error.ok() || !synced.ok()) error = std::move(synced);
    }
    return error;
  }

  Status Sync() override {
    VTAPE_RETURN_IF_ERROR(Ready());
    if (!writable_) return Status::Ok();
    VTAPE_RETURN_IF_ERROR(failed_);
    return dirty_ ? Commit() : Status::Ok();
  }

  Status Erase() override {
    VTAPE_RETURN_IF_ERROR(Writable());
    if (object_ < eod_) VTAPE_RETURN_IF_ERROR(TruncateAt(object_));
    return Status::Ok();
  }

  // --- Positioning --------------------------------------------------------
  Status SpaceRecords(std::int64_t count, SpaceResult& result) override {
    VTAPE_RETURN_IF_ERROR(Ready());
    return MoveTo(SpaceRecordsTarget(fm_, eod_, object_, count, result));
  }
  Status SpaceFilemarks(std::int64_t count, SpaceResult& result) override {
    VTAPE_RETURN_IF_ERROR(Ready());
    return MoveTo(SpaceFilemarksTarget(fm_, eod_, object_, count, result));
  }
  Status SpaceToEndOfData() override {
    VTAPE_RETURN_IF_ERROR(Ready());
    return MoveTo(eod_);
  }
  Status Locate(std::uint32_t partition, std::uint64_t object, SpaceResult& result) override {
    VTAPE_RETURN_IF_ERROR(SelectPartition(partition));
    return MoveTo(LocateObjectTarget(eod_, object, result));
  }
  Status LocateFile(std::uint32_t partition, std::uint64_t file, SpaceResult& result) override {
    VTAPE_RETURN_IF_ERROR(SelectPartition(partition));
    return MoveTo(LocateFileTarget(fm_, eod_, file, result));
  }
  Status Rewind() override {
    VTAPE_RETURN_IF_ERROR(Ready());
    return MoveTo(0);
  }
  Position GetPosition() const override {
    Position pos;
    FillPosition(fm_, eod_, object_, pos);
    (void)fm_.TakeError();  // (a failing PATH.fm read surfaces on the next move)
    pos.bytes_before = BytesBefore(object_, offset_, fm_before_);
    std::uint64_t ew = std::min(sb_.early_warning_bytes, sb_.partition_bytes);
    pos.beyond_early_warning = pos.bytes_before >= sb_.partition_bytes - ew;
    return pos;
  }

  // --- Medium -------------------------------------------------------------
  Status Load() override {
    if (closed_) return Closed();
    loaded_ = true;
    object_ = 0;
    fm_before_ = 0;
    offset_ = kDataStart;
    return Status::Ok();
  }
  Status Unload() override {
    VTAPE_RETURN_IF_ERROR(Sync());
    loaded_ = false;
    return Status::Ok();
  }
  bool loaded() const override { return loaded_ && !closed_; }

  Status Stat(MediumInfo& info) const override {
    if (closed_) return Closed();
    info = {};
    info.format_version = sb_.format_version;
    info.barcode = sb_.barcode;
    info.media_type = sb_.media_type;
    info.capacity_bytes = sb_.capacity_bytes;
    info.early_warning_bytes = sb_.early_warning_bytes;
    info.used_bytes = BytesBefore(eod_, data_end_, fm_list_.count());
    info.filemarks = fm_list_.count();
    info.records = eod_ - fm_list_.count();
    info.partitions = 1;
    info.write_protected = sb_.write_protected;
    return Status::Ok();
  }
  Status SetWriteProtect(bool on) override {
    VTAPE_RETURN_IF_ERROR(MetadataWritable());
    sb_.write_protected = on;
    return Commit();
  }
  Status SetEarlyWarning(std::uint64_t bytes_before_end) override {
    VTAPE_RETURN_IF_ERROR(MetadataWritable());
    sb_.early_warning_bytes = bytes_before_end;
    return Commit();
  }
  // --- FilePartition -------------------------------------------------------
  const Superblock& superblock() const override { return sb_; }
  Status GetFigures(PartitionInfo& info) const override {
    VTAPE_RETURN_IF_ERROR(Ready());
    info.capacity_bytes = sb_.partition_bytes;
    info.early_warning_bytes = std::min(sb_.early_warning_bytes, sb_.partition_bytes);
    info.used_bytes = BytesBefore(eod_, data_end_, fm_list_.count());
    info.filemarks = fm_list_.count();
    info.records = eod_ - fm_list_.count();
    info.eod_object = eod_;
    return Status::Ok();
  }
  // Empties the partition and applies `change` to the superblock in one
  // durable superblock write: after a crash the image holds either all it had
  // or nothing and the changed superblock.
  Status Reformat(const std::function<void(Superblock&)>& change) override {
    VTAPE_RETURN_IF_ERROR(Writable());
    VTAPE_RETURN_IF_ERROR(MoveTo(0));
    VTAPE_RETURN_IF_ERROR(Commit());  // nothing unsynced may reach the new layout
    VTAPE_RETURN_IF_ERROR(TruncateAt(0, change));
    return Commit();
  }

  // --- MAM ----------------------------------------------------------------
  Status ReadAttribute(std::uint32_t partition, std::uint16_t id,
                       std::vector<std::uint8_t>& value) const override {
    VTAPE_RETURN_IF_ERROR(Ready());
    VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
    for (const Attribute& a : sb_.attributes) {
      if (a.id == id) {
        value = a.value;
        return Status::Ok();
      }
    }
    return Status::NotFound("attribute " + std::to_string(id) + " is not set");
  }
  Status WriteAttribute(std::uint32_t partition, std::uint16_t id,
                        std::span<const std::uint8_t> value) override {
    VTAPE_RETURN_IF_ERROR(MetadataWritable());
    VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
    if (value.size() > 0xffff) {
      return Status::InvalidArgument("attribute values hold at most 65535 bytes, not " +
                                     std::to_string(value.size()));
    }
    Superblock next = sb_;
    std::erase_if(next.attributes, [id](const Attribute& a) { return a.id == id; });
    if (!value.empty()) {
      next.attributes.push_back({id, {value.begin(), value.end()}});
      // Ids are unique here (erased above), so ordering by id alone is the full
      // order; comparing the values too made GCC 12 -O3 warn falsely
      // (-Wstringop-overread in the vector comparison).
      std::sort(next.attributes.begin(), next.attributes.end(),
                [](const Attribute& a, const Attribute& b) { return a.id < b.id; });
    }
    if (EncodedSize(next) > kSlotBytes) {
      return Status::InvalidArgument("the attribute store of " + path_ + " is full (" +
                                     std::to_string(kSlotBytes - FixedBytesOf(sb_) - 4) +
                                     " bytes); attribute " + std::to_string(id) + " does not fit");
    }
    sb_.attributes = std::move(next.attributes);
    return Commit();
  }
  Status ListAttributes(std::uint32_t partition, std::vector<std::uint16_t>& ids) const override {
    VTAPE_RETURN_IF_ERROR(Ready());
    VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
    ids.clear();
    for (const Attribute& a : sb_.attributes) ids.push_back(a.id);
    return Status::Ok();
  }

  // --- State --------------------------------------------------------------
  Statistics statistics() const override { return stats_; }
  Health health() const override { return {}; }
  Status Close() override {
    if (closed_) return Status::Ok();
    Status s;
    if (writable_) {
      s = failed_;
      if (s.ok() && dirty_) s = Commit();
      if (s.ok()) s = index_.Flush();  // (entries are rebuilt from the data if this is lost)
      // Hand back the space reserved past the end (fallocate KEEP_SIZE).
      if (reserved_data_ > data_end_) {
        (void)::fallocate(data_.get(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                          static_cast<off_t>(data_end_),
                          static_cast<off_t>(reserved_data_ - data_end_));
      }
    }
    data_.reset();
    index_ = {};
    fm_list_ = {};
    closed_ = true;
    return s;
  }

 protected:
  AttributeStore* AttributesCapability() override { return this; }

 private:
  Status CheckPartition(std::uint32_t partition) const {
    if (partition < 1) return Status::Ok();
    return Status::InvalidArgument("partition " + std::to_string(partition) +
                                   " does not exist (the medium has 1)");
  }
  static Status Closed() { return Status::InvalidArgument("the tape was closed"); }
  Status Ready() const {
    if (closed_) return Closed();
    if (!loaded_) return Status::NotLoaded("no medium is loaded");
    return Status::Ok();
  }
  // Metadata changes are durable points: refused, like writes, once an
  // fdatasync has failed (FORMAT.md, "Durability").
  Status MetadataWritable() const {
    VTAPE_RETURN_IF_ERROR(Ready());
    if (!writable_) return Status::WriteProtected("tape image " + path_ + " was opened read-only");
    return failed_;
  }
  Status Writable() const {
    VTAPE_RETURN_IF_ERROR(MetadataWritable());
    if (sb_.write_protected) {
      return Status::WriteProtected("the medium in " + path_ + " is write protected");
    }
    return Status::Ok();
  }
  Status SelectPartition(std::uint32_t partition) {
    VTAPE_RETURN_IF_ERROR(Ready());
    if (partition != 0) {
      return Status::InvalidArgument("partition " + std::to_string(partition) +
                                     " does not exist (the medium has 1)");
    }
    return Status::Ok();
  }

  // Medium capacity used before object `object` (at data offset `offset`, with
  // `filemarks` filemarks before it): payload bytes plus kFilemarkBytes per filemark.
  static std::uint64_t BytesBefore(std::uint64_t object, std::uint64_t offset,
                                   std::uint64_t filemarks) {
    return offset - kDataStart - object * kRecordHeaderBytes + filemarks * kFilemarkBytes;
  }

  // Index entry of object `object` (< eod_), from PATH.idx or the unwritten tail.
  Status EntryOf(std::uint64_t object, IndexEntry& e) {
    std::array<std::uint8_t, kIndexEntryBytes> raw;
    Status s = index_.Read(object, raw);
    if (!s.ok() && s.code() != Code::kCorruptImage) return s;
    if (!s.ok()) raw.fill(0);
    if (!DecodeIndexEntry(raw, object, salt_, e) || e.offset < kDataStart ||
        e.offset + kRecordHeaderBytes + e.length > data_end_) {
      return Status::CorruptImage("entry " + std::to_string(object) + " of " + idx_path_ +
                                  " is damaged; remove " + idx_path_ + " and " + fm_path_ +
                                  " and open the image for writing to rebuild them from the data");
    }
    return Status::Ok();
  }

  Status MoveTo(std::uint64_t object) {
    VTAPE_RETURN_IF_ERROR(fm_.TakeError());  // the target was computed from a failed read
    std::uint64_t offset = object == 0 ? kDataStart : data_end_;  // BOP needs no index
    if (object > 0 && object < eod_) {
      IndexEntry e;
      VTAPE_RETURN_IF_ERROR(EntryOf(object, e));
      offset = e.offset;
    }
    std::uint64_t filemarks = object == eod_ ? fm_list_.count() : fm_.Rank(object);
    VTAPE_RETURN_IF_ERROR(fm_.TakeError());
    if (object != object_) read_ahead_now_ = kRandomReadAhead;
    object_ = object;
    offset_ = offset;
    fm_before_ = filemarks;
    return Status::Ok();
  }

  // Records the object just written at data_end_ (its bytes are in the file).
  // The caller made room in the entry buffers first, so this cannot fail halfway.
  Status AppendObject(std::uint64_t length, bool filemark) {
    IndexEntry e{data_end_, static_cast<std::uint32_t>(length), filemark};
    std::array<std::uint8_t, kIndexEntryBytes> raw;
    EncodeIndexEntry(e, eod_, salt_, raw);
    VTAPE_RETURN_IF_ERROR(index_.Append(raw));
    if (filemark) {
      std::uint8_t fm[kFilemarkEntryBytes];
      Put64(fm, eod_);
      VTAPE_RETURN_IF_ERROR(fm_list_.Append(fm));
      if (fm_crc_count_ + 1 == fm_list_.count()) {
        fm_crc_ = Crc32c(fm, fm_crc_);
        ++fm_crc_count_;
      }
      ++fm_before_;
    }
    data_end_ += kRecordHeaderBytes + length;
    ++eod_;
    ++object_;
    offset_ = data_end_;
    dirty_ = true;
    return Status::Ok();
  }

  // Writes filemarks [done, done+n) of a request for `count`, all in one pwrite.
  Status WriteFilemarkChunk(std::uint64_t n, std::uint64_t done, std::uint64_t count) {
    auto stopped = [&](Status s, std::uint64_t written) {
      ++stats_.write_errors;
      return Status(s.code(), s.message() + " (" + std::to_string(written) + " of " +
                                  std::to_string(count) + " filemarks written)");
    };
    std::uint64_t before = BytesBefore(eod_, data_end_, fm_list_.count());
    std::uint64_t room =
        before >= sb_.partition_bytes ? 0 : (sb_.partition_bytes - before) / kFilemarkBytes;
    Status end = Status::EndOfMedium("a filemark does not fit: " + std::to_string(before) + " of " +
                                     std::to_string(sb_.partition_bytes) + " bytes of " + path_ +
                                     " are used (hard end of medium)");
    bool short_of_room = room < n;
    n = std::min(n, room);
    // Disk space for the whole chunk, or (nearly full) for as many as fit one by one.
    std::uint64_t reserved = 0;
    Status space = Reserve(n * kRecordHeaderBytes, n, n);
    if (space.ok()) {
      reserved = n;
    } else {
      while (reserved < n) {
        space = Reserve((reserved + 1) * kRecordHeaderBytes, reserved + 1, reserved + 1);
        if (!space.ok()) break;
        ++reserved;
      }
    }
    if (reserved > 0) {
      VTAPE_RETURN_IF_ERROR(index_.EnsureRoom(reserved));
      VTAPE_RETURN_IF_ERROR(fm_list_.EnsureRoom(reserved));
      if (!chunk_)
        chunk_ =
            std::make_unique_for_overwrite<std::uint8_t[]>(kFilemarkChunk * kRecordHeaderBytes);
      for (std::uint64_t i = 0; i < reserved; ++i) {
        RecordHeader h{RecordKind::kFilemark, eod_ + i, epoch_, 0, 0};
        EncodeRecordHeader(h, salt_,
                           std::span<std::uint8_t, kRecordHeaderBytes>(
                               chunk_.get() + i * kRecordHeaderBytes, kRecordHeaderBytes));
      }
      Status s = PwriteAll(data_.get(), std::span(chunk_.get(), reserved * kRecordHeaderBytes),
                           data_end_, path_);
      if (!s.ok()) {
        (void)Truncate(data_.get(), data_end_, path_);  // none of this chunk is kept
        return stopped(s, done);
      }
      for (std::uint64_t i = 0; i < reserved; ++i) VTAPE_RETURN_IF_ERROR(AppendObject(0, true));
      stats_.filemarks_written += reserved;
    }
    if (reserved < n) return stopped(space, done + reserved);
    if (short_of_room) return stopped(end, done + reserved);
    return Status::Ok();
  }

  // Disk space for `objects` more objects of `data_bytes` in all (data, index
  // entries and `filemarks` PATH.fm entries), so no later write meets a full disk.
  // The data file reserves at most the medium's remaining capacity ahead: a
  // small cartridge (or a fuzz input) does not pay for a full chunk.
  Status Reserve(std::uint64_t data_bytes, std::uint64_t objects, std::uint64_t filemarks) {
    std::uint64_t used = BytesBefore(eod_, data_end_, fm_list_.count());
    std::uint64_t left = used >= sb_.partition_bytes ? 0 : sb_.partition_bytes - used;
    VTAPE_RETURN_IF_ERROR(ReserveIn(data_, path_, data_end_, data_bytes,
                                    std::min(tuning_.reserve_chunk_bytes, left), reserved_data_));
    // Every further record holds at least one byte and every filemark
    // kFilemarkBytes of capacity: that bounds the sidecars' growth as well.
    const std::uint64_t index_end = kSidecarHeaderBytes + eod_ * kIndexEntryBytes;
    VTAPE_RETURN_IF_ERROR(ReserveIn(
        index_.fd(), idx_path_, index_end, objects * kIndexEntryBytes,
        SidecarAhead(index_end, kIndexReserveChunk, left * kIndexEntryBytes), reserved_index_));
    if (filemarks == 0) return Status::Ok();
    const std::uint64_t fm_end = kSidecarHeaderBytes + fm_list_.count() * kFilemarkEntryBytes;
    return ReserveIn(
        fm_list_.fd(), fm_path_, fm_end, filemarks * kFilemarkEntryBytes,
        SidecarAhead(fm_end, kFilemarkReserveChunk, left / kFilemarkBytes * kFilemarkEntryBytes),
        reserved_fm_);
  }
  // How far ahead a sidecar file (PATH.idx, PATH.fm) of `end` bytes reserves:
  // as much again as it holds (from one page up to `chunk`), so a medium with
  // few objects does not pay for a full chunk, and never more than the rest of
  // the medium can fill.
  static std::uint64_t SidecarAhead(std::uint64_t end, std::uint64_t chunk,
                                    std::uint64_t fillable) {
    return std::min({std::max(end, kSidecarMinAhead), chunk, fillable});
  }
  static Status ReserveIn(const Fd& fd, const std::string& what, std::uint64_t end,
                          std::uint64_t need, std::uint64_t chunk, std::uint64_t& reserved) {
    if (end + need <= reserved) return Status::Ok();
    std::uint64_t ahead = std::max(need, chunk);
    if (ReserveSpace(fd.get(), end, ahead, what).ok()) {
      reserved = end + ahead;
      return Status::Ok();
    }
    VTAPE_RETURN_IF_ERROR(ReserveSpace(fd.get(), end, need, what));  // nearly full: just this
    reserved = end + need;
    return Status::Ok();
  }

  // The durable point moves on its own every auto_durable_bytes of data or
  // auto_durable_objects objects, so recovery after a crash re-reads at most
  // that much whatever the writer does (FORMAT.md, "Durability").
  Status AutoDurablePoint() {
    if (data_end_ - sb_.durable_data_end < tuning_.auto_durable_bytes &&
        eod_ - sb_.durable_objects < tuning_.auto_durable_objects) {
      return Status::Ok();
    }
    return Commit();
  }

  // A failed fdatasync (or superblock write) poisons the image for good: Linux
  // reports a write-back error once, so a later fdatasync could succeed while
  // pages written before are lost. No later durable point may cover them.
  Status Poison(Status s) {
    ++stats_.write_errors;
    failed_ = Status(Code::kIoError, s.message() +
                                         "; data written since the last durable point may not "
                                         "be on disk, so nothing more is made durable on " +
                                         path_ +
                                         " (close and reopen it: recovery keeps what "
                                         "is intact)");
    return failed_;
  }
  Status SyncAll() {
    VTAPE_RETURN_IF_ERROR(index_.Flush());
    VTAPE_RETURN_IF_ERROR(fm_list_.Flush());
    VTAPE_RETURN_IF_ERROR(DataSync(data_.get(), path_));
    VTAPE_RETURN_IF_ERROR(DataSync(index_.fd().get(), idx_path_));
    return DataSync(fm_list_.fd().get(), fm_path_);
  }

  // Before the first tagged record: the image becomes version 3 (FORMAT.md,
  // "Record tags"), durably, so no older reader ever meets a tag it would take
  // for damage. The superblock grows to the version-2 layout if it was version 1.
  Status AllowTags() {
    if (sb_.format_version >= kFormatVersion3) return Status::Ok();
    Superblock next = sb_;
    next.format_version = kFormatVersion3;
    if (EncodedSize(next) > kSlotBytes) {
      return Status::Unsupported(path_ +
                                 ": its MAM attributes leave no room for the version-3 "
                                 "superblock, which tagged (compressed) records need");
    }
    const std::uint32_t before = sb_.format_version;
    sb_.format_version = kFormatVersion3;
    Status committed = Commit();
    if (!committed.ok()) sb_.format_version = before;
    return committed;
  }

  // Makes everything durable, then moves the durable point (FORMAT.md, "Durability").
  Status Commit() {
    VTAPE_RETURN_IF_ERROR(failed_);
    Status synced = SyncAll();
    if (!synced.ok()) return Poison(synced);
    if (fm_crc_count_ != fm_list_.count()) {
      if (fm_crc_count_ > fm_list_.count()) fm_crc_count_ = fm_crc_ = 0;
      VTAPE_RETURN_IF_ERROR(ExtendFilemarkCrc(fm_list_, fm_crc_count_, fm_list_.count(), fm_crc_));
      fm_crc_count_ = fm_list_.count();
    }
    Superblock next = sb_;
    next.epoch = epoch_;
    next.durable_objects = eod_;
    next.durable_data_end = data_end_;
    next.durable_filemarks = fm_list_.count();
    next.filemarks_crc = fm_crc_;
    Status written = WriteSuperblock(data_.get(), path_, next, slot_);
    if (!written.ok()) return Poison(written);
    sb_ = std::move(next);
    dirty_ = false;
    return Status::Ok();
  }

  // Discards objects [object, eod_). A new epoch marks everything written from
  // now on, so recovery can tell stale records left behind from new ones; and
  // if durable objects go, the durable point moves back first (FORMAT.md).
  // With `relabel`, the superblock written first (always, then) also carries
  // that change.
  Status TruncateAt(std::uint64_t object,
                    const std::function<void(Superblock&)>& relabel = nullptr) {
    if (epoch_ == std::numeric_limits<std::uint32_t>::max()) {
      return Status::Unsupported(path_ + " has been overwritten 2^32 times; create a new image");
    }
    std::uint64_t offset = 0;
    {
      std::uint64_t keep_object = object_, keep_offset = offset_, keep_fm = fm_before_;
      VTAPE_RETURN_IF_ERROR(MoveTo(object));
      offset = offset_;
      object_ = keep_object;
      offset_ = keep_offset;
      fm_before_ = keep_fm;
    }
    std::uint64_t filemarks = fm_.Rank(object);
    VTAPE_RETURN_IF_ERROR(fm_.TakeError());
    // The list loses entries: its CRC must be recomputed over what stays.
    if (fm_crc_count_ > filemarks) {
      fm_crc_ = 0;
      VTAPE_RETURN_IF_ERROR(ExtendFilemarkCrc(fm_list_, 0, filemarks, fm_crc_));
      fm_crc_count_ = filemarks;
    }
    std::uint32_t epoch = epoch_ + 1;
    if (object < sb_.durable_objects || relabel) {
      Superblock next = sb_;
      if (relabel) relabel(next);
      next.epoch = epoch;
      next.durable_objects = object;
      next.durable_data_end = offset;
      next.durable_filemarks = filemarks;
      next.filemarks_crc = fm_crc_;
      Status written = WriteSuperblock(data_.get(), path_, next, slot_);
      if (!written.ok()) return Poison(written);
      sb_ = std::move(next);
    }
    epoch_ = epoch;
    VTAPE_RETURN_IF_ERROR(Truncate(data_.get(), offset, path_));
    reserved_data_ = offset;
    data_end_ = offset;
    index_.Truncate(object);
    fm_list_.Truncate(filemarks);
    eod_ = object;
    dirty_ = true;
    rbuf_len_ = 0;
    next_header_at_ = kNoOffset;
    return Status::Ok();
  }

  // The 32 header bytes at `offset`, from the read-ahead buffer if possible.
  bool HeaderAt(std::uint64_t offset, std::span<std::uint8_t, kRecordHeaderBytes> out) {
    if (offset >= rbuf_start_ && offset + out.size() <= rbuf_start_ + rbuf_len_) {
      std::memcpy(out.data(), rbuf_.get() + (offset - rbuf_start_), out.size());
      return true;
    }
    if (offset == next_header_at_) {
      std::memcpy(out.data(), next_header_.data(), out.size());
      return true;
    }
    if (last_read_large_) return PreadExact(data_.get(), out, offset, path_).ok();
    if (!FillReadAhead(offset)) return false;
    return HeaderAt(offset, out);
  }
  // Reads ahead from `offset`: little right after a reposition (random reads
  // of small records stay cheap), doubling up to read_ahead_bytes while reads
  // stay sequential. At least `need` bytes are asked for.
  bool FillReadAhead(std::uint64_t offset, std::uint64_t need = kRecordHeaderBytes) {
    std::uint64_t want = std::max(need, read_ahead_now_);
    read_ahead_now_ = std::min(read_ahead_now_ * 2, tuning_.read_ahead_bytes);
    rbuf_start_ = offset;
    rbuf_len_ = 0;
    return PreadUpTo(data_.get(), std::span(rbuf_.get(), want), offset, rbuf_len_, path_).ok() &&
           rbuf_len_ >= kRecordHeaderBytes;
  }

  // Reads the payload at `offset` into `buffer`'s pieces (as much as fits) and
  // computes its CRC over all of it; false if the file ends first.
  bool ReadPayload(std::uint64_t offset, std::uint64_t length, ReadPieces buffer,
                   std::uint32_t& crc) {
    const std::uint64_t room = TotalBytes(buffer);
    if (offset >= rbuf_start_ && offset + length <= rbuf_start_ + rbuf_len_) {
      const std::uint8_t* p = rbuf_.get() + (offset - rbuf_start_);
      crc = Crc32c(std::span(p, length));
      ScatterInto(std::span(p, std::min(length, room)), buffer);
      last_read_large_ = false;
      return true;
    }
    if (length >= tuning_.direct_io_bytes && room >= length && buffer.size() < IOV_MAX) {
      // Straight into the caller's pieces, picking up the next header on the way.
      std::vector<Piece> pieces;
      SlicePieces(buffer, 0, length, pieces);
      iov_.clear();
      for (Piece piece : pieces) iov_.push_back({piece.data(), piece.size()});
      iov_.push_back({next_header_.data(), next_header_.size()});
      ssize_t n;
      do {
        n = ::preadv(data_.get(), iov_.data(), static_cast<int>(iov_.size()),
                     static_cast<off_t>(offset));
      } while (n < 0 && errno == EINTR);
      std::uint64_t got = n < 0 ? 0 : static_cast<std::uint64_t>(n);
      if (got < length) {
        std::vector<Piece> rest;
        SlicePieces(buffer, got, length - got, rest);
        std::uint64_t at = offset + got;
        for (Piece piece : rest) {
          if (!PreadExact(data_.get(), piece, at, path_).ok()) return false;
          at += piece.size();
        }
      }
      next_header_at_ = got >= length + kRecordHeaderBytes ? offset + length : kNoOffset;
      crc = 0;
      for (Piece piece : pieces) crc = Crc32c(piece, crc);
      last_read_large_ = true;
      return true;
    }
    if (kRecordHeaderBytes + length <= tuning_.read_ahead_bytes) {
      if (!FillReadAhead(offset - kRecordHeaderBytes, kRecordHeaderBytes + length) ||
          offset + length > rbuf_start_ + rbuf_len_) {
        return false;
      }
      return ReadPayload(offset, length, buffer, crc);
    }
    std::vector<std::uint8_t> whole(length);
    if (!PreadExact(data_.get(), whole, offset, path_).ok()) return false;
    crc = Crc32c(whole);
    ScatterInto(std::span(whole).first(std::min(length, room)), buffer);
    last_read_large_ = true;
    return true;
  }

  std::vector<iovec> iov_;  // a record write's header and pieces, kept for its capacity
  const FileTapeTuning tuning_;
  const std::string path_, idx_path_, fm_path_;
  const bool writable_;
  Fd data_;
  EntryFile index_;    // PATH.idx: one entry per object before EOD
  EntryFile fm_list_;  // PATH.fm: the filemarks before EOD, ascending
  FilemarkFile fm_{fm_list_};
  Superblock sb_;       // label and the last durable point written
  std::uint64_t slot_;  // the slot sb_ was last written to
  const std::uint32_t salt_;
  std::uint64_t fm_crc_count_;
  std::uint32_t fm_crc_;  // CRC32C of the PATH.fm form of entries [0, fm_crc_count_)

  std::uint64_t eod_;
  std::uint64_t data_end_;  // end of the last object in PATH
  std::uint32_t epoch_;
  std::uint64_t reserved_data_, reserved_index_ = 0, reserved_fm_ = 0;
  Status failed_;  // a failed durable point: sticky (see Poison)

  std::unique_ptr<std::uint8_t[]> chunk_;  // filemark headers on their way out
  std::unique_ptr<std::uint8_t[]> rbuf_;
  std::uint64_t rbuf_start_ = 0, rbuf_len_ = 0;
  std::array<std::uint8_t, kRecordHeaderBytes> next_header_{};
  std::uint64_t next_header_at_ = kNoOffset;
  bool last_read_large_ = false;
  std::uint64_t read_ahead_now_ = kRandomReadAhead;

  std::uint64_t object_ = 0;
  std::uint64_t offset_ = kDataStart;
  std::uint64_t fm_before_ = 0;  // filemarks before object_
  bool loaded_ = true;
  bool closed_ = false;
  bool dirty_ = false;
  Statistics stats_;
};

}  // namespace

std::unique_ptr<FilePartition> NewFilePartition(OpenedImage image, const FileTapeTuning& tuning) {
  return std::make_unique<FileTape>(std::move(image), tuning);
}

}  // namespace vtape
