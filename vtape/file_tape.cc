#include "vtape/file_tape.h"

#include <fcntl.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#include "vtape/crc32c.h"
#include "vtape/position_math.h"

namespace vtape {
using namespace file_format;

namespace {

constexpr std::uint64_t kIndexBufferBytes = 1u << 20;
constexpr std::uint64_t kIndexReserveChunk = 1u << 20;
constexpr std::uint64_t kFilemarkReserveChunk = 64u << 10;
constexpr std::uint64_t kRandomReadAhead = 64u << 10;
constexpr std::uint64_t kNoOffset = std::numeric_limits<std::uint64_t>::max();

class FilemarkList final : public FilemarkIndex {
 public:
  explicit FilemarkList(const std::vector<std::uint64_t>& objects) : objects_(objects) {}
  std::uint64_t count() const override { return objects_.size(); }
  std::uint64_t Rank(std::uint64_t object) const override {
    return std::lower_bound(objects_.begin(), objects_.end(), object) - objects_.begin();
  }
  std::uint64_t Select(std::uint64_t k) const override { return objects_[k]; }

 private:
  const std::vector<std::uint64_t>& objects_;
};

class FileTape final : public Tape {
 public:
  FileTape(OpenedImage im, const FileTapeTuning& tuning)
      : tuning_(tuning),
        path_(im.path),
        idx_path_(IndexPathOf(im.path)),
        fm_path_(FilemarkPathOf(im.path)),
        writable_(im.writable),
        data_(std::move(im.data)),
        index_(std::move(im.index)),
        fm_file_(std::move(im.filemarks)),
        sb_(std::move(im.sb)),
        slot_(im.sb_slot),
        salt_(SaltOf(sb_.image_id)),
        fm_(std::move(im.filemark_objects)),
        fm_flushed_(fm_.size()),
        eod_(im.eod),
        data_end_(im.data_end),
        wbuf_start_(im.data_end),
        indexed_(im.indexed),
        ibuf_(std::move(im.pending_index)),
        epoch_(im.epoch),
        reserved_data_(im.data_end),
        wbuf_(std::make_unique_for_overwrite<std::uint8_t[]>(writable_ ? tuning.write_buffer_bytes
                                                                       : 0)),
        rbuf_(std::make_unique_for_overwrite<std::uint8_t[]>(tuning.read_ahead_bytes)) {
    fm_crc_count_ = std::min<std::uint64_t>(sb_.durable_filemarks, fm_.size());
    fm_crc_ = fm_crc_count_ == sb_.durable_filemarks ? sb_.filemarks_crc
                                                     : FilemarkListCrc(fm_, fm_crc_count_);
  }

  ~FileTape() override {
    if (!closed_) (void)Close();
  }

  // --- Data ---------------------------------------------------------------
  Status Read(std::span<std::uint8_t> buffer, ReadResult& result) override {
    VTAPE_RETURN_IF_ERROR(Ready());
    VTAPE_RETURN_IF_ERROR(Flush());
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
      offset_ += kRecordHeaderBytes;
      ++stats_.filemarks_read;
      return Status::Ok();
    }
    std::uint64_t at = offset_ + kRecordHeaderBytes;
    std::uint64_t copied = std::min<std::uint64_t>(h.length, buffer.size());
    std::uint32_t crc = 0;
    bool complete = ReadPayload(at, h.length, buffer, crc);
    std::uint64_t record = object_;
    ++object_;
    offset_ = at + h.length;
    result = {ObjectKind::kRecord, h.length};
    if (!complete || crc != h.payload_crc) {
      std::memset(buffer.data(), 0, copied);  // damaged bytes are never handed out
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
    VTAPE_RETURN_IF_ERROR(Writable());
    VTAPE_RETURN_IF_ERROR(CheckRecordSize(record.size()));
    std::uint64_t before = PayloadBefore(object_, offset_);
    if (before + record.size() > sb_.partition_bytes) {
      ++stats_.write_errors;
      return Status::EndOfMedium("record of " + std::to_string(record.size()) +
                                 " bytes does not fit: " + std::to_string(before) + " of " +
                                 std::to_string(sb_.partition_bytes) + " bytes of " + path_ +
                                 " are used (hard end of medium)");
    }
    if (object_ < eod_) VTAPE_RETURN_IF_ERROR(TruncateAt(object_));
    std::uint64_t total = kRecordHeaderBytes + record.size();
    Status reserved = Reserve(total, 0);
    if (!reserved.ok()) {
      ++stats_.write_errors;
      return reserved;
    }
    RecordHeader h{RecordKind::kRecord, object_, epoch_, static_cast<std::uint32_t>(record.size()),
                   Crc32c(record)};
    if (record.size() >= tuning_.direct_io_bytes) {
      VTAPE_RETURN_IF_ERROR(FlushData());
      std::array<std::uint8_t, kRecordHeaderBytes> raw;
      EncodeRecordHeader(h, salt_, raw);
      iovec iov[2] = {{raw.data(), raw.size()},
                      {const_cast<std::uint8_t*>(record.data()), record.size()}};
      Status s = PwritevAll(data_.get(), iov, data_end_, path_);
      if (!s.ok()) {
        ++stats_.write_errors;
        (void)Truncate(data_.get(), data_end_, path_);  // leave no half record behind
        return s;
      }
      wbuf_start_ = data_end_ + total;
    } else {
      if (wbuf_used_ + total > tuning_.write_buffer_bytes) VTAPE_RETURN_IF_ERROR(FlushData());
      std::uint8_t* p = wbuf_.get() + wbuf_used_;
      EncodeRecordHeader(h, salt_,
                         std::span<std::uint8_t, kRecordHeaderBytes>(p, kRecordHeaderBytes));
      std::memcpy(p + kRecordHeaderBytes, record.data(), record.size());
      wbuf_used_ += total;
    }
    AppendObject(record.size(), false);
    ++stats_.records_written;
    stats_.bytes_written += record.size();
    return Status::Ok();
  }

  Status WriteFilemarks(std::uint64_t count, bool sync) override {
    VTAPE_RETURN_IF_ERROR(Writable());
    if (count > (1ull << 32)) {
      return Status::InvalidArgument("cannot write " + std::to_string(count) +
                                     " filemarks at once (at most 2^32)");
    }
    if (count > 0 && object_ < eod_) VTAPE_RETURN_IF_ERROR(TruncateAt(object_));
    for (std::uint64_t i = 0; i < count; ++i) {
      Status reserved = Reserve(kRecordHeaderBytes, kFilemarkEntryBytes);
      if (!reserved.ok()) {
        ++stats_.write_errors;
        return Status(reserved.code(), reserved.message() + " (" + std::to_string(i) + " of " +
                                           std::to_string(count) + " filemarks written)");
      }
      if (wbuf_used_ + kRecordHeaderBytes > tuning_.write_buffer_bytes) {
        VTAPE_RETURN_IF_ERROR(FlushData());
      }
      RecordHeader h{RecordKind::kFilemark, object_, epoch_, 0, 0};
      EncodeRecordHeader(h, salt_,
                         std::span<std::uint8_t, kRecordHeaderBytes>(wbuf_.get() + wbuf_used_,
                                                                     kRecordHeaderBytes));
      wbuf_used_ += kRecordHeaderBytes;
      fm_.push_back(object_);
      AppendObject(0, true);
      ++stats_.filemarks_written;
    }
    if (sync) return Sync();
    return Flush();
  }

  Status Sync() override {
    VTAPE_RETURN_IF_ERROR(Ready());
    if (!writable_) return Status::Ok();
    VTAPE_RETURN_IF_ERROR(Flush());
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
    VTAPE_RETURN_IF_ERROR(Flush());
    return MoveTo(SpaceRecordsTarget(FilemarkList(fm_), eod_, object_, count, result));
  }
  Status SpaceFilemarks(std::int64_t count, SpaceResult& result) override {
    VTAPE_RETURN_IF_ERROR(Ready());
    VTAPE_RETURN_IF_ERROR(Flush());
    return MoveTo(SpaceFilemarksTarget(FilemarkList(fm_), eod_, object_, count, result));
  }
  Status SpaceToEndOfData() override {
    VTAPE_RETURN_IF_ERROR(Ready());
    VTAPE_RETURN_IF_ERROR(Flush());
    return MoveTo(eod_);
  }
  Status Locate(std::uint32_t partition, std::uint64_t object, SpaceResult& result) override {
    VTAPE_RETURN_IF_ERROR(SelectPartition(partition));
    return MoveTo(LocateObjectTarget(eod_, object, result));
  }
  Status LocateFile(std::uint32_t partition, std::uint64_t file, SpaceResult& result) override {
    VTAPE_RETURN_IF_ERROR(SelectPartition(partition));
    return MoveTo(LocateFileTarget(FilemarkList(fm_), eod_, file, result));
  }
  Status Rewind() override {
    VTAPE_RETURN_IF_ERROR(Ready());
    VTAPE_RETURN_IF_ERROR(Flush());
    return MoveTo(0);
  }
  Position GetPosition() const override {
    Position pos;
    FillPosition(FilemarkList(fm_), eod_, object_, pos);
    pos.bytes_before = PayloadBefore(object_, offset_);
    std::uint64_t ew = std::min(sb_.early_warning_bytes, sb_.partition_bytes);
    pos.beyond_early_warning = pos.bytes_before >= sb_.partition_bytes - ew;
    return pos;
  }

  // --- Medium -------------------------------------------------------------
  Status Load() override {
    if (closed_) return Closed();
    loaded_ = true;
    object_ = 0;
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
    info.used_bytes = PayloadBefore(eod_, data_end_);
    info.filemarks = fm_.size();
    info.records = eod_ - fm_.size();
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
  Status FormatPartitions(std::span<const std::uint64_t> sizes) override {
    VTAPE_RETURN_IF_ERROR(Writable());
    if (sizes.empty()) return Status::InvalidArgument("FormatPartitions needs at least one size");
    if (sizes.size() > 1) {
      return Status::Unsupported("file: images hold a single partition (image format version " +
                                 std::to_string(kFormatVersion) + "); cannot format " +
                                 std::to_string(sizes.size()) + " partitions");
    }
    if (sizes[0] > sb_.capacity_bytes) {
      return Status::InvalidArgument("partition of " + std::to_string(sizes[0]) +
                                     " bytes exceeds the medium's capacity of " +
                                     std::to_string(sb_.capacity_bytes));
    }
    VTAPE_RETURN_IF_ERROR(Flush());
    VTAPE_RETURN_IF_ERROR(MoveTo(0));
    if (eod_ > 0) VTAPE_RETURN_IF_ERROR(TruncateAt(0));
    sb_.partition_bytes = sizes[0] == 0 ? sb_.capacity_bytes : sizes[0];
    return Commit();
  }

  // --- MAM ----------------------------------------------------------------
  Status ReadAttribute(std::uint16_t id, std::vector<std::uint8_t>& value) const override {
    VTAPE_RETURN_IF_ERROR(Ready());
    for (const Attribute& a : sb_.attributes) {
      if (a.id == id) {
        value = a.value;
        return Status::Ok();
      }
    }
    return Status::NotFound("attribute " + std::to_string(id) + " is not set");
  }
  Status WriteAttribute(std::uint16_t id, std::span<const std::uint8_t> value) override {
    VTAPE_RETURN_IF_ERROR(MetadataWritable());
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
                                     std::to_string(kSlotBytes - kSuperblockFixedBytes - 4) +
                                     " bytes); attribute " + std::to_string(id) + " does not fit");
    }
    sb_.attributes = std::move(next.attributes);
    return Commit();
  }
  Status ListAttributes(std::vector<std::uint16_t>& ids) const override {
    VTAPE_RETURN_IF_ERROR(Ready());
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
      s = Flush();
      if (s.ok() && dirty_) s = Commit();
      // Hand back the space reserved past the end (fallocate KEEP_SIZE).
      if (reserved_data_ > data_end_) {
        (void)::fallocate(data_.get(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                          static_cast<off_t>(data_end_),
                          static_cast<off_t>(reserved_data_ - data_end_));
      }
    }
    data_.reset();
    index_.reset();
    fm_file_.reset();
    closed_ = true;
    return s;
  }

 private:
  static Status Closed() { return Status::InvalidArgument("the tape was closed"); }
  Status Ready() const {
    if (closed_) return Closed();
    if (!loaded_) return Status::NotLoaded("no medium is loaded");
    return Status::Ok();
  }
  Status MetadataWritable() const {
    VTAPE_RETURN_IF_ERROR(Ready());
    if (!writable_) return Status::WriteProtected("tape image " + path_ + " was opened read-only");
    return Status::Ok();
  }
  Status Writable() const {
    VTAPE_RETURN_IF_ERROR(Ready());
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
    return Flush();
  }

  static std::uint64_t PayloadBefore(std::uint64_t object, std::uint64_t offset) {
    return offset - kDataStart - object * kRecordHeaderBytes;
  }

  // Index entry of object `object` (< eod_), from PATH.idx or the unflushed tail.
  Status EntryOf(std::uint64_t object, IndexEntry& e) {
    std::array<std::uint8_t, kIndexEntryBytes> raw;
    if (object >= indexed_) {
      std::memcpy(raw.data(), ibuf_.data() + (object - indexed_) * kIndexEntryBytes, raw.size());
    } else {
      Status s =
          PreadExact(index_.get(), raw, kSidecarHeaderBytes + object * kIndexEntryBytes, idx_path_);
      if (!s.ok() && s.code() != Code::kCorruptImage) return s;
      if (!s.ok()) raw.fill(0);
    }
    if (!DecodeIndexEntry(raw, object, salt_, e) || e.offset < kDataStart ||
        e.offset + kRecordHeaderBytes + e.length > data_end_) {
      return Status::CorruptImage("entry " + std::to_string(object) + " of " + idx_path_ +
                                  " is damaged; remove " + idx_path_ + " and " + fm_path_ +
                                  " and open the image for writing to rebuild them from the data");
    }
    return Status::Ok();
  }

  Status MoveTo(std::uint64_t object) {
    std::uint64_t offset = object == 0 ? kDataStart : data_end_;  // BOP needs no index
    if (object > 0 && object < eod_) {
      IndexEntry e;
      VTAPE_RETURN_IF_ERROR(EntryOf(object, e));
      offset = e.offset;
    }
    if (object != object_) read_ahead_now_ = kRandomReadAhead;
    object_ = object;
    offset_ = offset;
    return Status::Ok();
  }

  void AppendObject(std::uint64_t length, bool filemark) {
    IndexEntry e{data_end_, static_cast<std::uint32_t>(length), filemark};
    ibuf_.resize(ibuf_.size() + kIndexEntryBytes);
    EncodeIndexEntry(e, eod_, salt_,
                     std::span<std::uint8_t, kIndexEntryBytes>(
                         ibuf_.data() + ibuf_.size() - kIndexEntryBytes, kIndexEntryBytes));
    data_end_ += kRecordHeaderBytes + length;
    ++eod_;
    ++object_;
    offset_ = data_end_;
    dirty_ = true;
    if (ibuf_.size() >= kIndexBufferBytes) (void)FlushIndex();  // retried by the next Flush
  }

  // Disk space for one more object (data + index entry + `filemark_bytes`),
  // so a buffered write can never meet a full disk later.
  Status Reserve(std::uint64_t data_bytes, std::uint64_t filemark_bytes) {
    VTAPE_RETURN_IF_ERROR(ReserveIn(data_, path_, data_end_, data_bytes,
                                    tuning_.reserve_chunk_bytes, reserved_data_));
    VTAPE_RETURN_IF_ERROR(ReserveIn(index_, idx_path_,
                                    kSidecarHeaderBytes + eod_ * kIndexEntryBytes, kIndexEntryBytes,
                                    kIndexReserveChunk, reserved_index_));
    if (filemark_bytes == 0) return Status::Ok();
    return ReserveIn(fm_file_, fm_path_, kSidecarHeaderBytes + fm_.size() * kFilemarkEntryBytes,
                     filemark_bytes, kFilemarkReserveChunk, reserved_fm_);
  }
  static Status ReserveIn(const Fd& fd, const std::string& what, std::uint64_t end,
                          std::uint64_t need, std::uint64_t chunk, std::uint64_t& reserved) {
    if (end + need <= reserved) return Status::Ok();
    std::uint64_t ahead = std::max(need, chunk);
    if (ReserveSpace(fd.get(), end, ahead, what).ok()) {
      reserved = end + ahead;
      return Status::Ok();
    }
    VTAPE_RETURN_IF_ERROR(ReserveSpace(fd.get(), end, need, what));  // nearly full: just this one
    reserved = end + need;
    return Status::Ok();
  }

  Status FlushData() {
    if (wbuf_used_ == 0) return Status::Ok();
    VTAPE_RETURN_IF_ERROR(
        PwriteAll(data_.get(), std::span(wbuf_.get(), wbuf_used_), wbuf_start_, path_));
    wbuf_start_ += wbuf_used_;
    wbuf_used_ = 0;
    return Status::Ok();
  }
  Status FlushIndex() {
    if (!writable_ || ibuf_.empty()) return Status::Ok();
    VTAPE_RETURN_IF_ERROR(PwriteAll(index_.get(), ibuf_,
                                    kSidecarHeaderBytes + indexed_ * kIndexEntryBytes, idx_path_));
    indexed_ += ibuf_.size() / kIndexEntryBytes;
    ibuf_.clear();
    return Status::Ok();
  }
  Status FlushFilemarks() {
    if (!writable_ || fm_flushed_ == fm_.size()) return Status::Ok();
    std::vector<std::uint8_t> raw((fm_.size() - fm_flushed_) * kFilemarkEntryBytes);
    for (std::uint64_t k = fm_flushed_; k < fm_.size(); ++k) {
      Put64(raw.data() + (k - fm_flushed_) * kFilemarkEntryBytes, fm_[k]);
    }
    VTAPE_RETURN_IF_ERROR(PwriteAll(
        fm_file_.get(), raw, kSidecarHeaderBytes + fm_flushed_ * kFilemarkEntryBytes, fm_path_));
    fm_flushed_ = fm_.size();
    return Status::Ok();
  }
  Status Flush() {
    if (!writable_) return Status::Ok();
    VTAPE_RETURN_IF_ERROR(FlushData());
    VTAPE_RETURN_IF_ERROR(FlushIndex());
    return FlushFilemarks();
  }

  // Makes everything durable, then moves the durable point (FORMAT.md, "Durability").
  Status Commit() {
    VTAPE_RETURN_IF_ERROR(Flush());
    VTAPE_RETURN_IF_ERROR(DataSync(data_.get(), path_));
    VTAPE_RETURN_IF_ERROR(DataSync(index_.get(), idx_path_));
    VTAPE_RETURN_IF_ERROR(DataSync(fm_file_.get(), fm_path_));
    if (fm_crc_count_ > fm_.size()) fm_crc_count_ = fm_crc_ = 0;
    fm_crc_ = FilemarkListCrc(fm_, fm_.size(), fm_crc_count_, fm_crc_);
    fm_crc_count_ = fm_.size();
    Superblock next = sb_;
    next.epoch = epoch_;
    next.durable_objects = eod_;
    next.durable_data_end = data_end_;
    next.durable_filemarks = fm_.size();
    next.filemarks_crc = fm_crc_;
    VTAPE_RETURN_IF_ERROR(WriteSuperblock(data_.get(), path_, next, slot_));
    sb_ = std::move(next);
    dirty_ = false;
    return Status::Ok();
  }

  // Discards objects [object, eod_). A new epoch marks everything written from
  // now on, so recovery can tell stale records left behind from new ones; and
  // if durable objects go, the durable point moves back first (FORMAT.md).
  Status TruncateAt(std::uint64_t object) {
    if (epoch_ == std::numeric_limits<std::uint32_t>::max()) {
      return Status::Unsupported(path_ + " has been overwritten 2^32 times; create a new image");
    }
    std::uint64_t offset = 0;
    {
      std::uint64_t keep_object = object_, keep_offset = offset_;
      VTAPE_RETURN_IF_ERROR(MoveTo(object));
      offset = offset_;
      object_ = keep_object;
      offset_ = keep_offset;
    }
    std::uint64_t filemarks = FilemarkList(fm_).Rank(object);
    std::uint32_t epoch = epoch_ + 1;
    if (object < sb_.durable_objects) {
      Superblock next = sb_;
      next.epoch = epoch;
      next.durable_objects = object;
      next.durable_data_end = offset;
      next.durable_filemarks = filemarks;
      next.filemarks_crc = FilemarkListCrc(fm_, filemarks);
      VTAPE_RETURN_IF_ERROR(WriteSuperblock(data_.get(), path_, next, slot_));
      sb_ = std::move(next);
    }
    epoch_ = epoch;
    if (offset >= wbuf_start_) {
      wbuf_used_ = offset - wbuf_start_;
    } else {
      wbuf_used_ = 0;
      wbuf_start_ = offset;
      VTAPE_RETURN_IF_ERROR(Truncate(data_.get(), offset, path_));
      reserved_data_ = offset;
    }
    data_end_ = offset;
    if (object >= indexed_) {
      ibuf_.resize((object - indexed_) * kIndexEntryBytes);
    } else {
      ibuf_.clear();
      indexed_ = object;
    }
    fm_.resize(filemarks);
    fm_flushed_ = std::min(fm_flushed_, filemarks);
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

  // Reads the payload at `offset` into `buffer` (as much as fits) and computes
  // its CRC over all of it; false if the file ends first.
  bool ReadPayload(std::uint64_t offset, std::uint64_t length, std::span<std::uint8_t> buffer,
                   std::uint32_t& crc) {
    std::uint64_t copy = std::min<std::uint64_t>(length, buffer.size());
    if (offset >= rbuf_start_ && offset + length <= rbuf_start_ + rbuf_len_) {
      const std::uint8_t* p = rbuf_.get() + (offset - rbuf_start_);
      crc = Crc32c(std::span(p, length));
      std::memcpy(buffer.data(), p, copy);
      last_read_large_ = false;
      return true;
    }
    if (length >= tuning_.direct_io_bytes && buffer.size() >= length) {
      // Straight into the caller's buffer, picking up the next header on the way.
      iovec iov[2] = {{buffer.data(), length}, {next_header_.data(), next_header_.size()}};
      ssize_t n;
      do {
        n = ::preadv(data_.get(), iov, 2, static_cast<off_t>(offset));
      } while (n < 0 && errno == EINTR);
      std::uint64_t got = n < 0 ? 0 : static_cast<std::uint64_t>(n);
      if (got < length &&
          !PreadExact(data_.get(), buffer.subspan(got, length - got), offset + got, path_).ok()) {
        return false;
      }
      next_header_at_ = got >= length + kRecordHeaderBytes ? offset + length : kNoOffset;
      crc = Crc32c(buffer.first(length));
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
    std::memcpy(buffer.data(), whole.data(), copy);
    last_read_large_ = true;
    return true;
  }

  const FileTapeTuning tuning_;
  const std::string path_, idx_path_, fm_path_;
  const bool writable_;
  Fd data_, index_, fm_file_;
  Superblock sb_;       // label and the last durable point written
  std::uint64_t slot_;  // the slot sb_ was last written to
  const std::uint32_t salt_;

  std::vector<std::uint64_t> fm_;  // object numbers of all filemarks before EOD
  std::uint64_t fm_flushed_;       // fm_[0, fm_flushed_) are in PATH.fm
  std::uint64_t fm_crc_count_ = 0;
  std::uint32_t fm_crc_ = 0;  // CRC32C of the PATH.fm form of fm_[0, fm_crc_count_)

  std::uint64_t eod_;
  std::uint64_t data_end_;    // end of the last object, buffered or not
  std::uint64_t wbuf_start_;  // data file offset of wbuf_[0]: everything before is written
  std::uint64_t indexed_;     // PATH.idx holds entries [0, indexed_); ibuf_ the rest
  std::vector<std::uint8_t> ibuf_;
  std::uint32_t epoch_;
  std::uint64_t reserved_data_, reserved_index_ = 0, reserved_fm_ = 0;

  std::unique_ptr<std::uint8_t[]> wbuf_;
  std::uint64_t wbuf_used_ = 0;
  std::unique_ptr<std::uint8_t[]> rbuf_;
  std::uint64_t rbuf_start_ = 0, rbuf_len_ = 0;
  std::array<std::uint8_t, kRecordHeaderBytes> next_header_{};
  std::uint64_t next_header_at_ = kNoOffset;
  bool last_read_large_ = false;
  std::uint64_t read_ahead_now_ = kRandomReadAhead;

  std::uint64_t object_ = 0;
  std::uint64_t offset_ = kDataStart;
  bool loaded_ = true;
  bool closed_ = false;
  bool dirty_ = false;
  Statistics stats_;
};

}  // namespace

std::unique_ptr<Tape> NewFileTape(OpenedImage image, const FileTapeTuning& tuning) {
  return std::make_unique<FileTape>(std::move(image), tuning);
}

}  // namespace vtape
