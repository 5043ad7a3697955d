#include "vtape/memory_tape.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>
#include <string>

#include "vtape/media.h"
#include "vtape/position_math.h"

namespace vtape {
namespace {

// Objects are kept as runs of equal objects (same kind, same length), so the
// layout of a tape of fixed-size records, or of a flood of filemarks, takes a
// few words whatever its length; positions are found by binary search.
struct Run {
  bool filemark = false;
  std::uint64_t length = 0;  // each record's length (0 for filemarks)
  std::uint8_t tag = 0;      // each record's tag (record_tag.h)
  std::uint64_t count = 0;
  std::uint64_t first = 0;             // object number of the first object
  std::uint64_t bytes_before = 0;      // partition bytes used before it
  std::uint64_t filemarks_before = 0;  // filemarks before it
  std::uint64_t records_before = 0;    // records before it
  std::uint64_t cost() const { return filemark ? kFilemarkBytes : length; }
  std::uint64_t end() const { return first + count; }
  std::uint64_t filemarks_end() const { return filemarks_before + (filemark ? count : 0); }
};

struct Partition final : FilemarkIndex {
  std::uint64_t capacity = 0;
  std::vector<Run> runs;
  std::vector<std::vector<std::uint8_t>> data;  // per record, when data is kept

  std::uint64_t count() const override { return runs.empty() ? 0 : runs.back().filemarks_end(); }
  std::uint64_t Rank(std::uint64_t object) const override {
    if (object >= eod()) return count();
    const Run& r = At(object);
    return r.filemarks_before + (r.filemark ? object - r.first : 0);
  }
  std::uint64_t Select(std::uint64_t k) const override {
    auto it = std::partition_point(runs.begin(), runs.end(),
                                   [k](const Run& r) { return r.filemarks_end() <= k; });
    return it->first + (k - it->filemarks_before);
  }
  std::uint64_t eod() const { return runs.empty() ? 0 : runs.back().end(); }
  // The run holding object `object` (< eod()).
  const Run& At(std::uint64_t object) const {
    return *(std::upper_bound(runs.begin(), runs.end(), object,
                              [](std::uint64_t o, const Run& r) { return o < r.first; }) -
             1);
  }
  std::uint64_t BytesBefore(std::uint64_t object) const {
    if (runs.empty()) return 0;
    if (object >= eod()) return runs.back().bytes_before + runs.back().count * runs.back().cost();
    const Run& r = At(object);
    return r.bytes_before + (object - r.first) * r.cost();
  }
  std::uint64_t RecordsBefore(std::uint64_t object) const {
    if (object >= eod()) return eod() - count();
    const Run& r = At(object);
    return r.records_before + (r.filemark ? 0 : object - r.first);
  }
  void TruncateAt(std::uint64_t object) {
    if (object >= eod()) return;
    std::uint64_t records = RecordsBefore(object);
    auto it = std::upper_bound(runs.begin(), runs.end(), object,
                               [](std::uint64_t o, const Run& r) { return o < r.first; }) -
              1;
    it->count = object - it->first;
    runs.erase(it->count == 0 ? it : it + 1, runs.end());
    if (data.size() > records) data.resize(records);
  }
  // Appends `n` objects at EOD.
  void Append(bool filemark, std::uint64_t length, std::uint64_t n, std::uint8_t tag = 0) {
    if (!runs.empty() && runs.back().filemark == filemark && runs.back().length == length &&
        runs.back().tag == tag) {
      runs.back().count += n;
      return;
    }
    Run r{filemark, length, tag, n, eod(), BytesBefore(eod()), count(), eod() - count()};
    runs.push_back(r);
  }
};

class MemoryTape final : public Tape, public Partitioned, public AttributeStore {
 public:
  explicit MemoryTape(const MemoryTapeOptions& options)
      : keep_data_(options.keep_data), info_(options.medium) {
    partitions_.resize(std::max<std::uint32_t>(1, info_.partitions));
    std::uint64_t share = info_.capacity_bytes / partitions_.size();
    for (Partition& p : partitions_) p.capacity = share;
    info_.partitions = partitions_.size();
  }

  Status Read(std::span<std::uint8_t> buffer, ReadResult& result) override {
    const Piece one[1] = {buffer};
    return ReadScattered(one, result);
  }

  // Straight into the pieces: mem: copies the record once, null: zeroes them.
  Status ReadScattered(ReadPieces buffer, ReadResult& result) override {
    VTAPE_RETURN_IF_ERROR(Ready());
    Partition& p = current();
    if (object_ == p.eod()) {
      result = {ObjectKind::kEndOfData, 0};
      return Status::Ok();
    }
    const Run& o = p.At(object_);
    std::uint64_t record = p.RecordsBefore(object_);
    ++object_;
    if (o.filemark) {
      result = {ObjectKind::kFilemark, 0};
      ++stats_.filemarks_read;
      return Status::Ok();
    }
    result = {ObjectKind::kRecord, o.length, o.tag};
    std::size_t n = std::min<std::uint64_t>(o.length, TotalBytes(buffer));
    if (keep_data_) {
      ScatterInto(std::span(p.data[record]).first(n), buffer);
    } else {
      ZeroPieces(buffer, n);
    }
    ++stats_.records_read;
    stats_.bytes_read += n;
    return Status::Ok();
  }

  Status Write(std::span<const std::uint8_t> record) override {
    const ConstPiece one[1] = {record};
    return WriteGathered(one);
  }

  // null: keeps only the length, so the pieces are never touched; mem: copies
  // them once into the record it keeps.
  Status WriteGathered(RecordPieces pieces) override { return WriteTagged(pieces, 0); }

  Status WriteTagged(RecordPieces pieces, std::uint8_t tag) override {
    VTAPE_RETURN_IF_ERROR(Writable());
    const std::uint64_t size = TotalBytes(pieces);
    VTAPE_RETURN_IF_ERROR(CheckTaggedRecord(size, tag));
    Partition& p = current();
    std::uint64_t start = p.BytesBefore(object_);
    if (start + size > p.capacity) {
      ++stats_.write_errors;
      return Status::EndOfMedium("record of " + std::to_string(size) +
                                 " bytes does not fit before the end of partition " +
                                 std::to_string(partition_));
    }
    p.TruncateAt(object_);
    p.Append(false, size, 1, tag);
    if (keep_data_) {
      std::vector<std::uint8_t>& data = p.data.emplace_back();
      data.reserve(size);
      for (ConstPiece piece : pieces) data.insert(data.end(), piece.begin(), piece.end());
    }
    ++object_;
    ++stats_.records_written;
    stats_.bytes_written += size;
    return Status::Ok();
  }

  // Each filemark costs kFilemarkBytes: at the hard end, the marks that fit
  // stay written, the position is after them, and kEndOfMedium says how many.
  Status WriteFilemarks(std::uint64_t count,
                        bool /*sync: memory is as durable as it gets*/) override {
    VTAPE_RETURN_IF_ERROR(Writable());
    if (count == 0) return Status::Ok();
    Partition& p = current();
    std::uint64_t start = p.BytesBefore(object_);
    std::uint64_t room = start >= p.capacity ? 0 : (p.capacity - start) / kFilemarkBytes;
    std::uint64_t n = std::min(count, room);
    p.TruncateAt(object_);
    if (n > 0) p.Append(true, 0, n);
    object_ += n;
    stats_.filemarks_written += n;
    if (n == count) return Status::Ok();
    ++stats_.write_errors;
    return Status::EndOfMedium("a filemark does not fit before the end of partition " +
                               std::to_string(partition_) + " (" + std::to_string(n) + " of " +
                               std::to_string(count) + " filemarks written)");
  }

  Status Sync() override { return Ready(); }

  Status Erase() override {
    VTAPE_RETURN_IF_ERROR(Writable());
    current().TruncateAt(object_);
    return Status::Ok();
  }

  Status SpaceRecords(std::int64_t count, SpaceResult& result) override {
    VTAPE_RETURN_IF_ERROR(Ready());
    object_ = SpaceRecordsTarget(current(), current().eod(), object_, count, result);
    return Status::Ok();
  }
  Status SpaceFilemarks(std::int64_t count, SpaceResult& result) override {
    VTAPE_RETURN_IF_ERROR(Ready());
    object_ = SpaceFilemarksTarget(current(), current().eod(), object_, count, result);
    return Status::Ok();
  }
  Status SpaceToEndOfData() override {
    VTAPE_RETURN_IF_ERROR(Ready());
    object_ = current().eod();
    return Status::Ok();
  }
  Status Locate(std::uint32_t partition, std::uint64_t object, SpaceResult& result) override {
    VTAPE_RETURN_IF_ERROR(SelectPartition(partition));
    object_ = LocateObjectTarget(current().eod(), object, result);
    return Status::Ok();
  }
  Status LocateFile(std::uint32_t partition, std::uint64_t file, SpaceResult& result) override {
    VTAPE_RETURN_IF_ERROR(SelectPartition(partition));
    object_ = LocateFileTarget(current(), current().eod(), file, result);
    return Status::Ok();
  }
  Status Rewind() override {
    VTAPE_RETURN_IF_ERROR(Ready());
    partition_ = 0;
    object_ = 0;
    return Status::Ok();
  }
  Position GetPosition() const override {
    Position pos;
    const Partition& p = partitions_[partition_];
    pos.partition = partition_;
    FillPosition(p, p.eod(), object_, pos);
    pos.bytes_before = p.BytesBefore(object_);
    std::uint64_t ew = EarlyWarningOf(p);
    pos.beyond_early_warning = pos.bytes_before >= p.capacity - ew;
    return pos;
  }

  Status Load() override {
    if (closed_) return Closed();
    loaded_ = true;
    partition_ = 0;
    object_ = 0;
    return Status::Ok();
  }
  Status Unload() override {
    VTAPE_RETURN_IF_ERROR(Ready());
    loaded_ = false;
    return Status::Ok();
  }
  bool loaded() const override { return loaded_ && !closed_; }

  Status Stat(MediumInfo& info) const override {
    if (closed_) return Closed();
    info = info_;
    info.used_bytes = info.records = info.filemarks = 0;
    for (const Partition& p : partitions_) {
      info.used_bytes += p.BytesBefore(p.eod());
      info.filemarks += p.count();
      info.records += p.eod() - p.count();
    }
    return Status::Ok();
  }
  Status SetWriteProtect(bool on) override {
    VTAPE_RETURN_IF_ERROR(Ready());
    info_.write_protected = on;
    return Status::Ok();
  }
  Status SetEarlyWarning(std::uint64_t bytes_before_end) override {
    VTAPE_RETURN_IF_ERROR(Ready());
    info_.early_warning_bytes = bytes_before_end;
    return Status::Ok();
  }
  // --- Partitioned ---
  std::uint32_t MaxPartitions() const override { return MaxPartitionsOf(info_.media_type); }
  Status FormatPartitions(std::span<const std::uint64_t> sizes) override {
    VTAPE_RETURN_IF_ERROR(Writable());
    std::vector<std::uint64_t> bytes;
    VTAPE_RETURN_IF_ERROR(ResolvePartitionSizes(sizes, info_.capacity_bytes, MaxPartitions(),
                                                info_.media_type, bytes));
    partitions_.assign(bytes.size(), Partition{});
    for (std::size_t i = 0; i < bytes.size(); ++i) partitions_[i].capacity = bytes[i];
    info_.partitions = sizes.size();
    // Partition 0's attributes stay (they describe the cartridge); the other
    // partitions' go with their data.
    std::erase_if(attributes_, [](const auto& a) { return a.first.first != 0; });
    partition_ = 0;
    object_ = 0;
    return Status::Ok();
  }
  Status GetPartitionInfo(std::uint32_t partition, PartitionInfo& info) const override {
    VTAPE_RETURN_IF_ERROR(Ready());
    VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
    const Partition& p = partitions_[partition];
    info.capacity_bytes = p.capacity;
    info.early_warning_bytes = EarlyWarningOf(p);
    info.used_bytes = p.BytesBefore(p.eod());
    info.filemarks = p.count();
    info.records = p.eod() - p.count();
    info.eod_object = p.eod();
    return Status::Ok();
  }

  // --- AttributeStore ---
  Status ReadAttribute(std::uint32_t partition, std::uint16_t id,
                       std::vector<std::uint8_t>& value) const override {
    VTAPE_RETURN_IF_ERROR(Ready());
    VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
    auto it = attributes_.find({partition, id});
    if (it == attributes_.end()) {
      return Status::NotFound("attribute " + std::to_string(id) + " is not set in partition " +
                              std::to_string(partition));
    }
    value = it->second;
    return Status::Ok();
  }
  Status WriteAttribute(std::uint32_t partition, std::uint16_t id,
                        std::span<const std::uint8_t> value) override {
    VTAPE_RETURN_IF_ERROR(Writable());
    VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
    if (value.empty()) {
      attributes_.erase({partition, id});
    } else {
      attributes_[{partition, id}].assign(value.begin(), value.end());
    }
    return Status::Ok();
  }
  Status ListAttributes(std::uint32_t partition, std::vector<std::uint16_t>& ids) const override {
    VTAPE_RETURN_IF_ERROR(Ready());
    VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
    ids.clear();
    for (auto it = attributes_.lower_bound({partition, 0});
         it != attributes_.end() && it->first.first == partition; ++it) {
      ids.push_back(it->first.second);
    }
    return Status::Ok();
  }

  Statistics statistics() const override { return stats_; }
  Health health() const override { return {}; }
  Status Close() override {
    closed_ = true;
    return Status::Ok();
  }

 protected:
  Partitioned* PartitionsCapability() override { return this; }
  AttributeStore* AttributesCapability() override { return this; }

 private:
  Partition& current() { return partitions_[partition_]; }
  // The early-warning zone of `p`: the medium's, at most the partition.
  std::uint64_t EarlyWarningOf(const Partition& p) const {
    return std::min(info_.early_warning_bytes, p.capacity);
  }
  Status CheckPartition(std::uint32_t partition) const {
    if (partition < partitions_.size()) return Status::Ok();
    return Status::InvalidArgument("partition " + std::to_string(partition) +
                                   " does not exist (the medium has " +
                                   std::to_string(partitions_.size()) + ")");
  }
  static Status Closed() { return Status::InvalidArgument("the tape was closed"); }
  Status Ready() const {
    if (closed_) return Closed();
    if (!loaded_) return Status::NotLoaded("no medium is loaded");
    return Status::Ok();
  }
  Status Writable() const {
    VTAPE_RETURN_IF_ERROR(Ready());
    if (info_.write_protected) return Status::WriteProtected("the medium is write protected");
    return Status::Ok();
  }
  Status SelectPartition(std::uint32_t partition) {
    VTAPE_RETURN_IF_ERROR(Ready());
    VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
    partition_ = partition;
    return Status::Ok();
  }

  bool keep_data_;
  MediumInfo info_;
  std::vector<Partition> partitions_;
  // (partition, id) -> value
  std::map<std::pair<std::uint32_t, std::uint16_t>, std::vector<std::uint8_t>> attributes_;
  std::uint32_t partition_ = 0;
  std::uint64_t object_ = 0;
  bool loaded_ = true;
  bool closed_ = false;
  Statistics stats_;
};

Status ParseUnsigned(std::string_view key, std::string_view text, std::uint64_t& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("option " + std::string(key) + "='" + std::string(text) +
                                   "' is not a whole number");
  }
  return Status::Ok();
}

class MemoryBackend final : public Backend {
 public:
  MemoryBackend(std::string_view prefix, bool keep_data) : prefix_(prefix), keep_data_(keep_data) {}
  std::string_view prefix() const override { return prefix_; }
  Status Open(std::string_view rest, const OpenOptions& options,
              std::unique_ptr<Tape>& tape) override {
    MemoryTapeOptions parsed;
    parsed.keep_data = keep_data_;
    VTAPE_RETURN_IF_ERROR(ParseMemoryTapeOptions(rest, parsed));
    if (options.read_only) parsed.medium.write_protected = true;
    tape = NewMemoryTape(parsed);
    return Status::Ok();
  }
  Status Create(std::string_view rest, const CreateOptions&) override {
    MemoryTapeOptions parsed;
    return ParseMemoryTapeOptions(rest, parsed);  // nothing persists: only check the name
  }
  Status Access(std::string_view rest, bool) override {
    MemoryTapeOptions parsed;
    return ParseMemoryTapeOptions(rest, parsed);
  }

 private:
  std::string_view prefix_;
  bool keep_data_;
};

}  // namespace

Status ParseMemoryTapeOptions(std::string_view rest, MemoryTapeOptions& options) {
  MediumInfo& m = options.medium;
  m.format_version = 1;
  m.media_type = "LTO-8";
  m.capacity_bytes = 0;
  m.early_warning_bytes = kDefaultEarlyWarningBytes;
  std::uint64_t partitions = 1;
  bool capacity_given = false;
  while (!rest.empty()) {
    std::size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument("option '" + std::string(item) + "' needs KEY=VALUE");
    }
    std::string_view key = item.substr(0, eq);
    std::string_view value = item.substr(eq + 1);
    if (key == "capacity") {
      VTAPE_RETURN_IF_ERROR(ParseUnsigned(key, value, m.capacity_bytes));
      capacity_given = true;
    } else if (key == "early_warning") {
      VTAPE_RETURN_IF_ERROR(ParseUnsigned(key, value, m.early_warning_bytes));
    } else if (key == "write_protected") {
      if (value != "0" && value != "1") {
        return Status::InvalidArgument("write_protected takes 0 or 1, not '" + std::string(value) +
                                       "'");
      }
      m.write_protected = value == "1";
    } else if (key == "barcode") {
      if (value.size() > 32) return Status::InvalidArgument("barcode longer than 32 characters");
      m.barcode = value;
    } else if (key == "media") {
      auto type = FindMediaType(value);
      if (!type) return Status::InvalidArgument("unknown media type '" + std::string(value) + "'");
      m.media_type = type->name;
    } else if (key == "partitions") {
      VTAPE_RETURN_IF_ERROR(ParseUnsigned(key, value, partitions));
      if (partitions < 1 || partitions > 4) {
        return Status::InvalidArgument("partitions takes 1 to 4");
      }
    } else {
      return Status::InvalidArgument(
          "unknown option '" + std::string(key) +
          "' (known: capacity, early_warning, write_protected, barcode, media, partitions)");
    }
  }
  if (!capacity_given) m.capacity_bytes = FindMediaType(m.media_type)->native_bytes;
  if (partitions > MaxPartitionsOf(m.media_type)) {
    return Status::InvalidArgument("a " + m.media_type + " medium holds at most " +
                                   std::to_string(MaxPartitionsOf(m.media_type)) + " partitions");
  }
  m.partitions = static_cast<std::uint32_t>(partitions);
  return Status::Ok();
}

std::unique_ptr<Tape> NewMemoryTape(const MemoryTapeOptions& options) {
  return std::make_unique<MemoryTape>(options);
}

std::unique_ptr<Backend> MakeMemBackend() {
  return std::make_unique<MemoryBackend>("mem", true);
}
std::unique_ptr<Backend> MakeNullBackend() {
  return std::make_unique<MemoryBackend>("null", false);
}

}  // namespace vtape
