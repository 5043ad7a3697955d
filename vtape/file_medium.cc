// The medium of a file: image: partition 0 in PATH, partitions 1..3 (format
// version 2) in PATH.p1..PATH.p3, each a complete image with its own data,
// durable point, index, filemark list and MAM attributes (FORMAT.md,
// "Partitions"). PATH's superblock is the medium's label (barcode, media type,
// write protection) and its partition layout, the commit point of a format.
#include <unistd.h>

#include <algorithm>
#include <array>

#include "vtape/file_tape.h"
#include "vtape/media.h"

namespace vtape {
using namespace file_format;

namespace {

class FileMedium final : public Tape, public Partitioned, public AttributeStore {
 public:
  FileMedium(std::string path, bool writable, const FileTapeTuning& tuning,
             std::vector<std::unique_ptr<FilePartition>> parts)
      : path_(std::move(path)), writable_(writable), tuning_(tuning), parts_(std::move(parts)) {}
  ~FileMedium() override {
    if (!closed_) (void)Close();
  }

  // --- Data and positioning: the current partition's -------------------------
  Status Read(std::span<std::uint8_t> b, ReadResult& r) override { return cur().Read(b, r); }
  Status Write(std::span<const std::uint8_t> r) override {
    VTAPE_RETURN_IF_ERROR(LabelWritable());
    return cur().Write(r);
  }
  Status ReadScattered(ReadPieces b, ReadResult& r) override { return cur().ReadScattered(b, r); }
  Status WriteGathered(RecordPieces pieces) override {
    VTAPE_RETURN_IF_ERROR(LabelWritable());
    return cur().WriteGathered(pieces);
  }
  Status WriteTagged(RecordPieces pieces, std::uint8_t tag) override {
    VTAPE_RETURN_IF_ERROR(LabelWritable());
    return cur().WriteTagged(pieces, tag);
  }
  Status WriteFilemarks(std::uint64_t n, bool sync) override {
    VTAPE_RETURN_IF_ERROR(LabelWritable());
    return cur().WriteFilemarks(n, sync);
  }
  Status Sync() override {
    VTAPE_RETURN_IF_ERROR(Ready());
    return ForAll([](FilePartition& p) { return p.Sync(); });
  }
  Status Erase() override {
    VTAPE_RETURN_IF_ERROR(LabelWritable());
    return cur().Erase();
  }
  Status SpaceRecords(std::int64_t n, SpaceResult& r) override { return cur().SpaceRecords(n, r); }
  Status SpaceFilemarks(std::int64_t n, SpaceResult& r) override {
    return cur().SpaceFilemarks(n, r);
  }
  Status SpaceToEndOfData() override { return cur().SpaceToEndOfData(); }
  Status Locate(std::uint32_t partition, std::uint64_t object, SpaceResult& r) override {
    VTAPE_RETURN_IF_ERROR(Select(partition));
    return cur().Locate(0, object, r);
  }
  Status LocateFile(std::uint32_t partition, std::uint64_t file, SpaceResult& r) override {
    VTAPE_RETURN_IF_ERROR(Select(partition));
    return cur().LocateFile(0, file, r);
  }
  Status Rewind() override {
    VTAPE_RETURN_IF_ERROR(Select(0));
    return cur().Rewind();
  }
  Position GetPosition() const override {
    Position pos = parts_[current_]->GetPosition();
    pos.partition = current_;
    return pos;
  }

  // --- Medium ----------------------------------------------------------------
  Status Load() override {
    VTAPE_RETURN_IF_ERROR(ForAll([](FilePartition& p) { return p.Load(); }));
    current_ = 0;
    return Status::Ok();
  }
  Status Unload() override {
    return ForAll([](FilePartition& p) { return p.Unload(); });
  }
  bool loaded() const override { return parts_[0]->loaded(); }
  Status Stat(MediumInfo& info) const override {
    VTAPE_RETURN_IF_ERROR(parts_[0]->Stat(info));
    info.partitions = static_cast<std::uint32_t>(parts_.size());
    for (std::size_t k = 1; k < parts_.size(); ++k) {
      MediumInfo m;
      VTAPE_RETURN_IF_ERROR(parts_[k]->Stat(m));
      info.used_bytes += m.used_bytes;
      info.records += m.records;
      info.filemarks += m.filemarks;
    }
    return Status::Ok();
  }
  // The label lives in PATH alone.
  Status SetWriteProtect(bool on) override { return parts_[0]->SetWriteProtect(on); }
  // Each partition keeps the distance for its own end; PATH first, then the
  // others (an open copies PATH's to any that missed it in a crash).
  Status SetEarlyWarning(std::uint64_t b) override {
    return ForAll([b](FilePartition& p) { return p.SetEarlyWarning(b); });
  }
  Statistics statistics() const override {
    Statistics sum;
    for (const auto& p : parts_) {
      Statistics s = p->statistics();
      sum.records_written += s.records_written;
      sum.bytes_written += s.bytes_written;
      sum.filemarks_written += s.filemarks_written;
      sum.records_read += s.records_read;
      sum.bytes_read += s.bytes_read;
      sum.filemarks_read += s.filemarks_read;
      sum.read_errors_corrected += s.read_errors_corrected;
      sum.read_errors_uncorrected += s.read_errors_uncorrected;
      sum.write_errors += s.write_errors;
    }
    return sum;
  }
  Health health() const override { return {}; }
  Status Close() override {
    if (closed_) return Status::Ok();
    closed_ = true;
    Status first;
    // The others before PATH, whose lock stands for the whole medium.
    for (std::size_t k = parts_.size(); k-- > 0;) {
      Status s = parts_[k]->Close();
      if (first.ok()) first = std::move(s);
    }
    return first;
  }

  // --- Partitioned -------------------------------------------------------------
  std::uint32_t MaxPartitions() const override {
    return std::min(MaxPartitionsOf(parts_[0]->superblock().media_type), kMaxImagePartitions);
  }
  Status GetPartitionInfo(std::uint32_t partition, PartitionInfo& info) const override {
    VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
    return parts_[partition]->GetFigures(info);
  }
  Status FormatPartitions(std::span<const std::uint64_t> sizes) override;

  // --- AttributeStore: each partition's image holds its own --------------------
  Status ReadAttribute(std::uint32_t partition, std::uint16_t id,
                       std::vector<std::uint8_t>& value) const override {
    VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
    return parts_[partition]->ReadAttribute(0, id, value);
  }
  Status WriteAttribute(std::uint32_t partition, std::uint16_t id,
                        std::span<const std::uint8_t> value) override {
    VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
    return parts_[partition]->WriteAttribute(0, id, value);
  }
  Status ListAttributes(std::uint32_t partition, std::vector<std::uint16_t>& ids) const override {
    VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
    return parts_[partition]->ListAttributes(0, ids);
  }

 protected:
  Partitioned* PartitionsCapability() override { return this; }
  AttributeStore* AttributesCapability() override { return this; }

 private:
  FilePartition& cur() { return *parts_[current_]; }
  void Step(std::string_view step) const {
    if (tuning_.format_step) tuning_.format_step(step);
  }
  Status Ready() const {
    if (closed_) return Status::InvalidArgument("the tape was closed");
    if (!parts_[0]->loaded()) return Status::NotLoaded("no medium is loaded");
    return Status::Ok();
  }
  // Write protection is the medium's, recorded in PATH only.
  Status LabelWritable() const {
    VTAPE_RETURN_IF_ERROR(Ready());
    if (current_ != 0 && parts_[0]->superblock().write_protected) {
      return Status::WriteProtected("the medium in " + path_ + " is write protected");
    }
    return Status::Ok();
  }
  Status CheckPartition(std::uint32_t partition) const {
    VTAPE_RETURN_IF_ERROR(Ready());
    if (partition < parts_.size()) return Status::Ok();
    return Status::InvalidArgument("partition " + std::to_string(partition) +
                                   " does not exist (the medium has " +
                                   std::to_string(parts_.size()) + ")");
  }
  Status Select(std::uint32_t partition) {
    VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
    current_ = partition;
    return Status::Ok();
  }
  template <class F>
  Status ForAll(F f) {
    Status first;
    for (auto& p : parts_) {
      Status s = f(*p);
      if (first.ok()) first = std::move(s);
    }
    return first;
  }

  const std::string path_;
  const bool writable_;
  const FileTapeTuning tuning_;
  std::vector<std::unique_ptr<FilePartition>> parts_;  // [0] is PATH
  std::uint32_t current_ = 0;
  bool closed_ = false;
};

// Opens partition k (>= 1) of the medium whose PATH superblock is `sb`:
// PATH.pK if it carries the listed image id; else PATH.pK.next if that does (a
// format committed its layout but died before renaming: a writable open
// finishes the renames, a read-only one reads PATH.pK.next where it lies).
Status OpenPartition(const std::string& path, const Superblock& sb, std::uint32_t k, bool writable,
                     const FileTapeTuning& tuning, std::unique_ptr<FilePartition>& out) {
  const ImageId& want = sb.partition_ids[k - 1];
  std::string at = PartitionPathOf(path, k), next = NextPathOf(at);
  Superblock found;
  std::string where = at;
  if (!ReadImageSuperblock(at, found).ok() || found.image_id != want) {
    if (!ReadImageSuperblock(next, found).ok() || found.image_id != want) {
      return Status::CorruptImage("partition " + std::to_string(k) + " of " + path +
                                  " is missing: neither " + at + " nor " + next +
                                  " holds the image its superblock lists");
    }
    if (writable) {
      VTAPE_RETURN_IF_ERROR(RenameImageFiles(next, at));
      VTAPE_RETURN_IF_ERROR(SyncDirectoryOf(path));
    } else {
      where = next;
    }
  }
  if (found.partition_index != k) {
    return Status::CorruptImage(where + " holds partition " +
                                std::to_string(found.partition_index) + ", not " +
                                std::to_string(k));
  }
  OpenedImage im;
  VTAPE_RETURN_IF_ERROR(OpenImage(where, writable, im));
  if (im.sb.image_id != want) {
    return Status::CorruptImage(where + " changed while it was being opened");
  }
  out = NewFilePartition(std::move(im), tuning);
  return Status::Ok();
}

// Whether `path` is an image holding partition k (what a format made), so
// that nothing else of that name is ever removed.
bool IsPartitionImage(const std::string& path, std::uint32_t k) {
  Superblock sb;
  return ReadImageSuperblock(path, sb).ok() && sb.partition_index == k;
}

// A writable open removes what a format left behind: PATH.pK.next images (by
// then renamed or never committed) and the images of partitions the layout no
// longer has.
Status RemoveLeftovers(const std::string& path, const Superblock& sb) {
  bool removed = false;
  for (std::uint32_t k = 1; k < kMaxImagePartitions; ++k) {
    std::string at = PartitionPathOf(path, k);
    for (const std::string& p : {NextPathOf(at), at}) {
      if (p == at && k < sb.partitions) continue;
      // A PATH.pK.next whose data file was renamed may leave its sidecars.
      bool orphan_sidecars =
          p != at && ::access(p.c_str(), F_OK) != 0 && ::access(IndexPathOf(p).c_str(), F_OK) == 0;
      if (!orphan_sidecars && !IsPartitionImage(p, k)) continue;
      VTAPE_RETURN_IF_ERROR(RemoveImageFiles(p));
      removed = true;
    }
  }
  return removed ? SyncDirectoryOf(path) : Status::Ok();
}

Status FileMedium::FormatPartitions(std::span<const std::uint64_t> sizes) {
  VTAPE_RETURN_IF_ERROR(Ready());
  if (!writable_) return Status::WriteProtected("tape image " + path_ + " was opened read-only");
  const Superblock& label = parts_[0]->superblock();
  if (label.write_protected) {
    return Status::WriteProtected("the medium in " + path_ + " is write protected");
  }
  std::vector<std::uint64_t> bytes;
  VTAPE_RETURN_IF_ERROR(
      ResolvePartitionSizes(sizes, label.capacity_bytes, MaxPartitions(), label.media_type, bytes));
  const auto n = static_cast<std::uint32_t>(bytes.size());

  // 1. The new partitions 1.. as complete, empty images beside the old ones.
  std::array<ImageId, kMaxImagePartitions - 1> ids{};
  for (std::uint32_t k = 1; k < n; ++k) {
    Superblock sb;
    sb.format_version = kFormatVersion2;
    sb.partition_index = k;
    sb.media_type = label.media_type;
    sb.barcode = label.barcode;
    sb.capacity_bytes = sb.partition_bytes = bytes[k];
    sb.early_warning_bytes = label.early_warning_bytes;
    VTAPE_RETURN_IF_ERROR(CreatePartitionImage(NextPathOf(PartitionPathOf(path_, k)), sb));
    ids[k - 1] = sb.image_id;
  }
  Step("built");
  // The old partitions' images are about to go: flush and release them.
  Status result;
  for (std::size_t k = parts_.size(); k-- > 1;) {
    Status s = parts_[k]->Close();
    if (result.ok()) result = std::move(s);
  }
  parts_.resize(1);
  current_ = 0;
  Step("closed");
  // 2. The commit point: one superblock write empties partition 0 and names
  //    the new layout. A crash before it leaves the old medium, after it the new.
  Status st = parts_[0]->Reformat([&](Superblock& sb) {
    if (n > 1) sb.format_version = kFormatVersion2;
    sb.partitions = n;
    sb.partition_bytes = bytes[0];
    sb.partition_ids = ids;
  });
  if (st.ok()) Step("committed");
  // 3. Open what PATH now lists (the new layout, or the old one if the commit
  //    failed); the open moves the new images into place and drops the rest.
  const Superblock& now = parts_[0]->superblock();
  for (std::uint32_t k = 1; k < now.partitions && st.ok(); ++k) {
    std::unique_ptr<FilePartition> part;
    st = OpenPartition(path_, now, k, writable_, tuning_, part);
    if (st.ok()) parts_.push_back(std::move(part));
  }
  if (st.ok()) Step("renamed");
  if (st.ok()) st = RemoveLeftovers(path_, now);
  return st.ok() ? result : st;
}

}  // namespace

Status OpenFileTape(OpenedImage image, const FileTapeTuning& tuning, std::unique_ptr<Tape>& tape) {
  const Superblock sb = image.sb;
  const std::string path = image.path;
  const bool writable = image.writable;
  if (sb.partition_index != 0) {
    return Status::InvalidArgument(path + " holds partition " + std::to_string(sb.partition_index) +
                                   " of a medium; open the medium's first image instead");
  }
  std::vector<std::unique_ptr<FilePartition>> parts;
  parts.push_back(NewFilePartition(std::move(image), tuning));
  for (std::uint32_t k = 1; k < sb.partitions; ++k) {
    std::unique_ptr<FilePartition> part;
    VTAPE_RETURN_IF_ERROR(OpenPartition(path, sb, k, writable, tuning, part));
    // A crash in SetEarlyWarning may have left this partition behind PATH.
    if (writable && part->superblock().early_warning_bytes != sb.early_warning_bytes) {
      VTAPE_RETURN_IF_ERROR(part->SetEarlyWarning(sb.early_warning_bytes));
    }
    parts.push_back(std::move(part));
  }
  if (writable) VTAPE_RETURN_IF_ERROR(RemoveLeftovers(path, sb));
  tape = std::make_unique<FileMedium>(path, writable, tuning, std::move(parts));
  return Status::Ok();
}

std::unique_ptr<Tape> NewFileTape(OpenedImage image, const FileTapeTuning& tuning) {
  std::unique_ptr<Tape> tape;
  if (!OpenFileTape(std::move(image), tuning, tape).ok()) return nullptr;
  return tape;
}

}  // namespace vtape
