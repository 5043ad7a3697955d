#include "vtape/file_image.h"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>

#include "vtape/crc32c.h"
#include "vtape/media.h"

namespace vtape {
using namespace file_format;

namespace {

constexpr std::uint64_t kScanWindow = 1u << 20;

// Reads a file front to back through a 1 MiB window (recovery and rebuild).
class SequentialReader {
 public:
  SequentialReader(int fd, std::string what)
      : fd_(fd),
        what_(std::move(what)),
        buf_(std::make_unique_for_overwrite<std::uint8_t[]>(kScanWindow)) {}

  // Hands [offset, offset+length) to `visit` in pieces; `complete` is false
  // when the file ends first.
  Status Visit(std::uint64_t offset, std::uint64_t length,
               const std::function<void(std::span<const std::uint8_t>)>& visit, bool& complete) {
    complete = false;
    while (length > 0) {
      if (offset < start_ || offset >= start_ + size_) {
        start_ = offset;
        VTAPE_RETURN_IF_ERROR(
            PreadUpTo(fd_, std::span(buf_.get(), kScanWindow), offset, size_, what_));
        if (size_ == 0) return Status::Ok();
      }
      std::uint64_t take = std::min(length, start_ + size_ - offset);
      visit(std::span<const std::uint8_t>(buf_.get() + (offset - start_), take));
      offset += take;
      length -= take;
    }
    complete = true;
    return Status::Ok();
  }

 private:
  int fd_;
  std::string what_;
  std::unique_ptr<std::uint8_t[]> buf_;  // not zeroed: only bytes read are used
  std::uint64_t start_ = 0, size_ = 0;
};

// A walk along the chain of record headers (see FORMAT.md, "Recovery").
struct Walk {
  std::uint64_t object = 0;
  std::uint64_t offset = kDataStart;
  std::uint32_t epoch_floor = 0;  // headers need epoch >= this (and it rises with them)
  std::uint32_t epoch_ceiling = std::numeric_limits<std::uint32_t>::max();
  std::string stop_reason;
};

using EntrySink = std::function<Status(std::span<const std::uint8_t>)>;
using FilemarkSink = std::function<Status(std::uint64_t object)>;
constexpr std::uint64_t kEntryBatchBytes = 64u << 10;

// Follows valid records from `w` until `limit` objects or the first record that
// does not validate; hands encoded index entries to `sink` in batches.
Status WalkChain(SequentialReader& reader, std::uint32_t salt, std::uint64_t limit,
                 bool verify_payload, Walk& w, const FilemarkSink& filemarks,
                 const EntrySink& sink) {
  std::vector<std::uint8_t> batch;
  while (w.object < limit) {
    std::array<std::uint8_t, kRecordHeaderBytes> raw;
    bool complete = false;
    VTAPE_RETURN_IF_ERROR(reader.Visit(
        w.offset, raw.size(),
        [&, at = std::size_t{0}](std::span<const std::uint8_t> piece) mutable {
          std::memcpy(raw.data() + at, piece.data(), piece.size());
          at += piece.size();
        },
        complete));
    RecordHeader h;
    std::string why;
    if (!complete) {
      w.stop_reason = "the data file ends";
      break;
    }
    if (!DecodeRecordHeader(raw, salt, h, why)) {
      w.stop_reason = "the header " + why;
      break;
    }
    if (h.object != w.object) {
      w.stop_reason = "the header holds object " + std::to_string(h.object);
      break;
    }
    if (h.epoch < w.epoch_floor || h.epoch > w.epoch_ceiling) {
      w.stop_reason =
          "the record is from an overwritten generation (epoch " + std::to_string(h.epoch) + ")";
      break;
    }
    if (verify_payload && h.length > 0) {
      std::uint32_t crc = 0;
      VTAPE_RETURN_IF_ERROR(reader.Visit(
          w.offset + kRecordHeaderBytes, h.length,
          [&](std::span<const std::uint8_t> piece) { crc = Crc32c(piece, crc); }, complete));
      if (!complete) {
        w.stop_reason = "the data file ends inside the record";
        break;
      }
      if (crc != h.payload_crc) {
        w.stop_reason = "the record fails its CRC32C";
        break;
      }
    }
    IndexEntry e{w.offset, h.length, h.kind == RecordKind::kFilemark};
    batch.resize(batch.size() + kIndexEntryBytes);
    EncodeIndexEntry(e, w.object, salt,
                     std::span<std::uint8_t, kIndexEntryBytes>(
                         batch.data() + batch.size() - kIndexEntryBytes, kIndexEntryBytes));
    if (e.filemark) VTAPE_RETURN_IF_ERROR(filemarks(w.object));
    w.epoch_floor = h.epoch;
    w.offset += kRecordHeaderBytes + h.length;
    ++w.object;
    if (batch.size() >= kEntryBatchBytes) {
      VTAPE_RETURN_IF_ERROR(sink(batch));
      batch.clear();
    }
  }
  if (!batch.empty()) VTAPE_RETURN_IF_ERROR(sink(batch));
  return Status::Ok();
}

Status ReadSuperblock(int fd, const std::string& path, Superblock& sb, std::uint64_t& slot) {
  std::vector<std::uint8_t> raw(kDataStart);
  std::uint64_t got = 0;
  VTAPE_RETURN_IF_ERROR(PreadUpTo(fd, raw, 0, got, path));
  std::string reasons;
  Status unsupported;
  bool found = false;
  for (std::uint64_t i = 0; i < kSlotCount; ++i) {
    Superblock candidate;
    Status s = got >= (i + 1) * kSlotBytes
                   ? DecodeSuperblock(std::span(raw).subspan(i * kSlotBytes, kSlotBytes), candidate)
                   : Status::CorruptImage("slot is cut off (the file is " + std::to_string(got) +
                                          " bytes)");
    if (s.ok()) {
      if (!found || candidate.sequence > sb.sequence) {
        sb = std::move(candidate);
        slot = i;
      }
      found = true;
    } else {
      if (s.code() == Code::kUnsupported) unsupported = s;
      reasons += "; slot " + std::to_string(i) + ": " + s.message();
    }
  }
  if (found) return Status::Ok();
  if (!unsupported.ok()) return Status(Code::kUnsupported, path + ": " + unsupported.message());
  return Status::CorruptImage(path + " is not a usable vtape image: no valid superblock" + reasons);
}

Status OpenSidecar(const std::string& path, bool writable, Fd& fd, bool& exists) {
  Status s = OpenFile(path, writable ? (O_RDWR | O_CREAT) : O_RDONLY, fd);
  exists = s.ok();
  if (s.code() == Code::kNotFound && !writable) return Status::Ok();
  return s;
}

// Checks whether a sidecar file holds a valid header and at least `entries`
// entries of `entry_bytes`; the reason if not.
Status CheckSidecar(const Fd& fd, const std::string& path, const char (&magic)[8],
                    const ImageId& id, std::uint64_t entries, std::uint64_t entry_bytes) {
  if (!fd.valid()) return Status::CorruptImage(path + " is missing");
  std::array<std::uint8_t, kSidecarHeaderBytes> header;
  std::uint64_t got = 0, size = 0;
  VTAPE_RETURN_IF_ERROR(PreadUpTo(fd.get(), header, 0, got, path));
  if (got != header.size() || !DecodeSidecarHeader(header, magic, id)) {
    return Status::CorruptImage(path + " has no valid header for this image");
  }
  VTAPE_RETURN_IF_ERROR(FileSize(fd.get(), size, path));
  if ((size - kSidecarHeaderBytes) / entry_bytes < entries) {
    return Status::CorruptImage(path + " is shorter than the durable point (" +
                                std::to_string(entries) + " entries)");
  }
  return Status::Ok();
}

// Does PATH.idx agree with the durable point? (The last durable entry must be
// valid and end exactly at durable_data_end.)
Status CheckIndex(OpenedImage& im, std::uint32_t salt) {
  const Superblock& sb = im.sb;
  std::string idx_path = IndexPathOf(im.path);
  VTAPE_RETURN_IF_ERROR(CheckSidecar(im.index.fd(), idx_path, kIndexMagic, sb.image_id,
                                     sb.durable_objects, kIndexEntryBytes));
  if (sb.durable_objects == 0) return Status::Ok();
  std::uint64_t last = sb.durable_objects - 1;
  std::array<std::uint8_t, kIndexEntryBytes> raw;
  VTAPE_RETURN_IF_ERROR(PreadExact(im.index.fd().get(), raw,
                                   kSidecarHeaderBytes + last * kIndexEntryBytes, idx_path));
  IndexEntry e;
  if (!DecodeIndexEntry(raw, last, salt, e)) {
    return Status::CorruptImage("entry " + std::to_string(last) + " of " + idx_path +
                                " fails its CRC32C");
  }
  // The entry's CRC covers its object number and the image's id, so an entry
  // that passes and ends exactly at the durable point belongs to this state.
  // (The record header itself is checked when the record is read.)
  if (e.offset + kRecordHeaderBytes + e.length != sb.durable_data_end) {
    return Status::CorruptImage(idx_path + " does not match the data at the durable point");
  }
  return Status::Ok();
}

// Does PATH.fm hold the durable point's filemark list (CRC as the superblock
// says, ascending, below the durable objects)? Reads it in bounded pieces.
Status CheckFilemarks(const Fd& fd, const std::string& fm_path, const Superblock& sb) {
  VTAPE_RETURN_IF_ERROR(CheckSidecar(fd, fm_path, kFilemarkMagic, sb.image_id, sb.durable_filemarks,
                                     kFilemarkEntryBytes));
  EntryFile list;
  Fd dup(::dup(fd.get()));
  if (!dup.valid()) return Status::FromErrno(errno, "dup " + fm_path);
  list.Reset(std::move(dup), fm_path, kFilemarkEntryBytes, sb.durable_filemarks);
  std::uint32_t crc = 0;
  bool ascending = true;
  std::uint64_t next_min = 0;
  VTAPE_RETURN_IF_ERROR(list.Visit(0, sb.durable_filemarks, [&](std::span<const std::uint8_t> raw) {
    crc = Crc32c(raw, crc);
    for (std::size_t at = 0; at < raw.size(); at += kFilemarkEntryBytes) {
      std::uint64_t object = Get64(raw.data() + at);
      if (object < next_min || object >= sb.durable_objects) ascending = false;
      next_min = object + 1;
    }
  }));
  if (crc != sb.filemarks_crc) return Status::CorruptImage(fm_path + " fails its CRC32C");
  if (!ascending) return Status::CorruptImage(fm_path + " is not an ascending list of filemarks");
  return Status::Ok();
}

Status WriteSidecarHeader(const Fd& fd, const std::string& path, const char (&magic)[8],
                          const ImageId& id) {
  std::array<std::uint8_t, kSidecarHeaderBytes> header;
  EncodeSidecarHeader(magic, id, header);
  return PwriteAll(fd.get(), header, 0, path);
}

// Rebuilds the filemark list (and PATH.idx when `write_index`) from the records
// before the durable point: a scan of every header, for damaged or lost lists.
Status RebuildFromData(OpenedImage& im, std::uint32_t salt, bool write_index) {
  const Superblock& sb = im.sb;
  std::string idx_path = IndexPathOf(im.path);
  if (write_index) {
    VTAPE_RETURN_IF_ERROR(Truncate(im.index.fd().get(), 0, idx_path));
    VTAPE_RETURN_IF_ERROR(WriteSidecarHeader(im.index.fd(), idx_path, kIndexMagic, sb.image_id));
  }
  SequentialReader reader(im.data.get(), im.path);
  Walk w;
  w.epoch_ceiling = sb.epoch;
  std::uint64_t at = kSidecarHeaderBytes;
  VTAPE_RETURN_IF_ERROR(WalkChain(
      reader, salt, sb.durable_objects, false, w,
      [&](std::uint64_t object) {
        std::uint8_t raw[kFilemarkEntryBytes];
        Put64(raw, object);
        return im.filemarks.Append(raw);
      },
      [&](std::span<const std::uint8_t> entries) -> Status {
        if (!write_index) return Status::Ok();
        VTAPE_RETURN_IF_ERROR(PwriteAll(im.index.fd().get(), entries, at, idx_path));
        at += entries.size();
        return Status::Ok();
      }));
  if (w.object != sb.durable_objects || w.offset != sb.durable_data_end) {
    return Status::CorruptImage(im.path + " is damaged before its last durable point: record " +
                                std::to_string(w.object) + " at byte " + std::to_string(w.offset) +
                                " cannot be used (" + w.stop_reason + "), but the image says " +
                                std::to_string(sb.durable_objects) + " objects are durable");
  }
  return im.filemarks.Flush();
}

Status CreateSidecar(const std::string& path, const char (&magic)[8], const ImageId& id) {
  Fd fd;
  VTAPE_RETURN_IF_ERROR(OpenFile(path, O_RDWR | O_CREAT | O_TRUNC, fd));
  VTAPE_RETURN_IF_ERROR(WriteSidecarHeader(fd, path, magic, id));
  return DataSync(fd.get(), path);
}

Status NewImageId(ImageId& id) {
  if (::getrandom(id.data(), id.size(), 0) != static_cast<ssize_t>(id.size())) {
    return Status::FromErrno(errno, "getrandom for a new image id");
  }
  return Status::Ok();
}

// rename(2); with `no_replace` an existing `to` is an error (another create won).
Status RenameInto(const std::string& from, const std::string& to, bool no_replace) {
  int rc =
      ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), no_replace ? RENAME_NOREPLACE : 0);
  if (rc != 0 && errno == EINVAL && no_replace) {  // a file system without RENAME_NOREPLACE
    rc = ::link(from.c_str(), to.c_str());
    if (rc == 0) rc = ::unlink(from.c_str());
  }
  if (rc == 0) return Status::Ok();
  if (errno == EEXIST) {
    return Status::InvalidArgument("tape image " + to +
                                   " appeared while it was being created; pass overwrite to "
                                   "replace it");
  }
  return Status::FromErrno(errno, "rename " + from + " to " + to);
}

bool PrintableAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

}  // namespace

Status ExtendFilemarkCrc(const EntryFile& list, std::uint64_t from, std::uint64_t to,
                         std::uint32_t& crc) {
  return list.Visit(from, to, [&](std::span<const std::uint8_t> raw) { crc = Crc32c(raw, crc); });
}

Status WriteSuperblock(int data_fd, const std::string& path, Superblock& sb, std::uint64_t& slot) {
  ++sb.sequence;
  std::vector<std::uint8_t> raw = EncodeSuperblock(sb);
  std::uint64_t next = (slot + 1) % kSlotCount;
  VTAPE_RETURN_IF_ERROR(PwriteAll(data_fd, raw, next * kSlotBytes, path));
  VTAPE_RETURN_IF_ERROR(DataSync(data_fd, path));
  slot = next;
  return Status::Ok();
}

namespace {

// The steps of OpenImage. The data file opened and locked, its superblock
// read, and its size (`size`) at least the last durable point.
Status OpenDataFile(const std::string& path, bool writable, OpenedImage& im, std::uint64_t& size) {
  Status s = OpenFile(path, writable ? O_RDWR : O_RDONLY, im.data);
  if (s.code() == Code::kNotFound) {
    return Status::NotFound("tape image " + path +
                            " does not exist; create it with `vtape create file:" + path + "`");
  }
  VTAPE_RETURN_IF_ERROR(s);
  VTAPE_RETURN_IF_ERROR(writable ? LockForWriting(im.data.get(), path)
                                 : LockForReading(im.data.get(), path));
  VTAPE_RETURN_IF_ERROR(ReadSuperblock(im.data.get(), path, im.sb, im.sb_slot));
  VTAPE_RETURN_IF_ERROR(FileSize(im.data.get(), size, path));
  if (size < im.sb.durable_data_end) {
    return Status::CorruptImage(path + " is " + std::to_string(size) +
                                " bytes, shorter than its last durable point at byte " +
                                std::to_string(im.sb.durable_data_end) +
                                ": the image was truncated");
  }
  return Status::Ok();
}

// The index and filemark sidecars opened and checked against the superblock;
// one that fails its check is rebuilt from the data (writable), or the open
// fails (read-only, index) or keeps its entries in memory (read-only).
// `fm_crc` is the CRC of the filemark entries up to the durable point.
Status OpenSidecars(OpenedImage& im, std::uint32_t salt, std::uint32_t& fm_crc) {
  const Superblock& sb = im.sb;
  const bool writable = im.writable;
  std::string idx_path = IndexPathOf(im.path), fm_path = FilemarkPathOf(im.path);
  bool idx_exists = false, fm_exists = false;
  Fd idx_fd, fm_fd;
  VTAPE_RETURN_IF_ERROR(OpenSidecar(idx_path, writable, idx_fd, idx_exists));
  VTAPE_RETURN_IF_ERROR(OpenSidecar(fm_path, writable, fm_fd, fm_exists));
  im.index.Reset(std::move(idx_fd), idx_path, kIndexEntryBytes, sb.durable_objects);
  Status index_ok = CheckIndex(im, salt);
  Status filemarks_ok = index_ok.ok() ? CheckFilemarks(fm_fd, fm_path, sb) : index_ok;
  // A medium that never got past creation has nothing to index: a reader need
  // not insist on its sidecars (a create interrupted between its renames).
  if (!writable && sb.durable_objects == 0) index_ok = filemarks_ok = Status::Ok();
  bool fm_durable = filemarks_ok.ok() && fm_fd.valid();
  im.filemarks.Reset(std::move(fm_fd), fm_path, kFilemarkEntryBytes,
                     fm_durable ? sb.durable_filemarks : 0);
  fm_crc = fm_durable ? sb.filemarks_crc : 0;
  if (!index_ok.ok() && !writable) {
    return Status::CorruptImage(index_ok.message() +
                                "; open the image once for writing to rebuild the index");
  }
  if (!writable) {
    // Entries this open adds cannot go into the sidecars.
    VTAPE_RETURN_IF_ERROR(im.index.UseOverlay());
    VTAPE_RETURN_IF_ERROR(im.filemarks.UseOverlay());
  } else if (!filemarks_ok.ok()) {
    VTAPE_RETURN_IF_ERROR(Truncate(im.filemarks.fd().get(), 0, fm_path));
    VTAPE_RETURN_IF_ERROR(
        WriteSidecarHeader(im.filemarks.fd(), fm_path, kFilemarkMagic, sb.image_id));
  }
  if (!index_ok.ok()) {
    VTAPE_RETURN_IF_ERROR(RebuildFromData(im, salt, true));
    im.recovery_note = "rebuilt the index (" + index_ok.message() + ")";
  } else if (!filemarks_ok.ok()) {
    VTAPE_RETURN_IF_ERROR(RebuildFromData(im, salt, false));
    im.recovery_note = "rebuilt the filemark list (" + filemarks_ok.message() + ")";
  }
  if (!fm_durable) {
    VTAPE_RETURN_IF_ERROR(ExtendFilemarkCrc(im.filemarks, 0, im.filemarks.count(), fm_crc));
  }
  return Status::Ok();
}

// Records after the durable point: keeps every one that validates completely
// (the automatic durable point bounds how many there can be) and sets the end
// of data.
Status RecoverTail(OpenedImage& im, std::uint32_t salt, std::uint32_t& fm_crc) {
  const Superblock& sb = im.sb;
  SequentialReader reader(im.data.get(), im.path);
  Walk w;
  w.object = sb.durable_objects;
  w.offset = sb.durable_data_end;
  w.epoch_floor = sb.epoch;
  VTAPE_RETURN_IF_ERROR(WalkChain(
      reader, salt, std::numeric_limits<std::uint64_t>::max(), true, w,
      [&](std::uint64_t object) {
        std::uint8_t raw[kFilemarkEntryBytes];
        Put64(raw, object);
        fm_crc = Crc32c(raw, fm_crc);
        return im.filemarks.Append(raw);
      },
      [&](std::span<const std::uint8_t> entries) { return im.index.Append(entries); }));
  im.eod = w.object;
  im.data_end = w.offset;
  im.epoch = std::max(sb.epoch, w.epoch_floor);
  VTAPE_RETURN_IF_ERROR(im.index.Flush());
  VTAPE_RETURN_IF_ERROR(im.filemarks.Flush());
  if (im.eod > sb.durable_objects) {
    std::string note = "recovered " + std::to_string(im.eod - sb.durable_objects) +
                       " objects written after the last durable point";
    im.recovery_note += (im.recovery_note.empty() ? "" : "; ") + note;
  }
  return Status::Ok();
}

// Makes the recovered state the new durable point and drops any torn tail
// (`size`: the data file's size at open).
Status MakeRecoveredStateDurable(OpenedImage& im, std::uint64_t size, std::uint32_t fm_crc) {
  const std::string& path = im.path;
  const bool tail = im.eod > im.sb.durable_objects;
  if (size != im.data_end) VTAPE_RETURN_IF_ERROR(Truncate(im.data.get(), im.data_end, path));
  if (!tail && size == im.data_end && im.recovery_note.empty()) return Status::Ok();
  VTAPE_RETURN_IF_ERROR(DataSync(im.data.get(), path));
  VTAPE_RETURN_IF_ERROR(DataSync(im.index.fd().get(), IndexPathOf(path)));
  VTAPE_RETURN_IF_ERROR(DataSync(im.filemarks.fd().get(), FilemarkPathOf(path)));
  im.sb.epoch = im.epoch;
  im.sb.durable_objects = im.eod;
  im.sb.durable_data_end = im.data_end;
  im.sb.durable_filemarks = im.filemarks.count();
  im.sb.filemarks_crc = fm_crc;
  return WriteSuperblock(im.data.get(), path, im.sb, im.sb_slot);
}

}  // namespace

Status OpenImage(const std::string& path, bool writable, OpenedImage& im) {
  im = {};
  im.path = path;
  im.writable = writable;
  std::uint64_t size = 0;
  VTAPE_RETURN_IF_ERROR(OpenDataFile(path, writable, im, size));
  const std::uint32_t salt = SaltOf(im.sb.image_id);
  std::uint32_t fm_crc = 0;
  VTAPE_RETURN_IF_ERROR(OpenSidecars(im, salt, fm_crc));
  VTAPE_RETURN_IF_ERROR(RecoverTail(im, salt, fm_crc));
  if (!writable) return Status::Ok();
  return MakeRecoveredStateDurable(im, size, fm_crc);
}

// Creation is atomic: the image is built and synced under PATH.creating (with
// PATH.creating.idx/.fm), then renamed into place, so PATH never exists without
// a valid superblock. A create that died leaves only *.creating files, which
// the next create replaces. The lock on PATH.creating keeps two creates apart.
Status CreateImage(const std::string& path, const CreateOptions& options) {
  if (options.barcode.size() > 32 || !PrintableAscii(options.barcode)) {
    return Status::InvalidArgument("barcode '" + options.barcode +
                                   "' must be printable ASCII of at most 32 characters");
  }
  auto type = FindMediaType(options.media_type);
  if (!type) return Status::InvalidArgument("unknown media type '" + options.media_type + "'");
  Superblock sb;
  VTAPE_RETURN_IF_ERROR(NewImageId(sb.image_id));
  sb.media_type = type->name;
  sb.barcode = options.barcode;
  sb.capacity_bytes = options.capacity_bytes != 0 ? options.capacity_bytes : type->native_bytes;
  sb.partition_bytes = sb.capacity_bytes;
  sb.early_warning_bytes =
      options.early_warning_bytes != 0 ? options.early_warning_bytes : kDefaultEarlyWarningBytes;
  sb.write_protected = options.write_protected;

  if (!options.overwrite && ::access(path.c_str(), F_OK) == 0) {
    return Status::InvalidArgument("tape image " + path +
                                   " already exists; pass overwrite to replace it");
  }
  Fd old;  // held locked until the new image has replaced it: never replace a medium in use
  if (options.overwrite) {
    Status s = OpenFile(path, O_RDWR, old);
    if (s.ok()) {
      VTAPE_RETURN_IF_ERROR(LockForWriting(old.get(), path));
    } else if (s.code() != Code::kNotFound) {
      return s;
    }
  }
  std::string temp = path + ".creating";
  Fd data;
  VTAPE_RETURN_IF_ERROR(OpenFile(temp, O_RDWR | O_CREAT, data));
  VTAPE_RETURN_IF_ERROR(LockForWriting(data.get(), temp));  // another create of `path` is running
  VTAPE_RETURN_IF_ERROR(Truncate(data.get(), 0, temp));
  std::vector<std::uint8_t> zero(kDataStart, 0);
  VTAPE_RETURN_IF_ERROR(PwriteAll(data.get(), zero, 0, temp));
  std::uint64_t slot = kSlotCount - 1;  // so the first superblock lands in slot 0
  VTAPE_RETURN_IF_ERROR(CreateSidecar(IndexPathOf(temp), kIndexMagic, sb.image_id));
  VTAPE_RETURN_IF_ERROR(CreateSidecar(FilemarkPathOf(temp), kFilemarkMagic, sb.image_id));
  VTAPE_RETURN_IF_ERROR(WriteSuperblock(data.get(), temp, sb, slot));
  VTAPE_RETURN_IF_ERROR(RenameInto(temp, path, !options.overwrite));
  // The data file first: until the sidecars follow, the new image (no objects
  // yet) opens with the old ones ignored as another image's.
  VTAPE_RETURN_IF_ERROR(RenameInto(IndexPathOf(temp), IndexPathOf(path), false));
  VTAPE_RETURN_IF_ERROR(RenameInto(FilemarkPathOf(temp), FilemarkPathOf(path), false));
  return SyncDirectoryOf(path);
}

Status ReadImageSuperblock(const std::string& path, Superblock& sb) {
  Fd data;
  VTAPE_RETURN_IF_ERROR(OpenFile(path, O_RDONLY, data));
  std::uint64_t slot = 0;
  return ReadSuperblock(data.get(), path, sb, slot);
}

Status CreatePartitionImage(const std::string& path, Superblock& sb) {
  VTAPE_RETURN_IF_ERROR(NewImageId(sb.image_id));
  sb.sequence = 0;
  sb.durable_objects = sb.durable_filemarks = 0;
  sb.durable_data_end = kDataStart;
  sb.filemarks_crc = 0;
  Fd data;
  VTAPE_RETURN_IF_ERROR(OpenFile(path, O_RDWR | O_CREAT, data));
  VTAPE_RETURN_IF_ERROR(LockForWriting(data.get(), path));
  VTAPE_RETURN_IF_ERROR(Truncate(data.get(), 0, path));
  std::vector<std::uint8_t> zero(kDataStart, 0);
  VTAPE_RETURN_IF_ERROR(PwriteAll(data.get(), zero, 0, path));
  VTAPE_RETURN_IF_ERROR(CreateSidecar(IndexPathOf(path), kIndexMagic, sb.image_id));
  VTAPE_RETURN_IF_ERROR(CreateSidecar(FilemarkPathOf(path), kFilemarkMagic, sb.image_id));
  std::uint64_t slot = kSlotCount - 1;
  VTAPE_RETURN_IF_ERROR(WriteSuperblock(data.get(), path, sb, slot));
  return SyncDirectoryOf(path);
}

Status RemoveImageFiles(const std::string& path) {
  for (const std::string& p : {path, IndexPathOf(path), FilemarkPathOf(path)}) {
    if (::unlink(p.c_str()) != 0 && errno != ENOENT) {
      return Status::FromErrno(errno, "remove " + p);
    }
  }
  return Status::Ok();
}

Status RenameImageFiles(const std::string& from, const std::string& to) {
  VTAPE_RETURN_IF_ERROR(RenameInto(from, to, false));
  VTAPE_RETURN_IF_ERROR(RenameInto(IndexPathOf(from), IndexPathOf(to), false));
  return RenameInto(FilemarkPathOf(from), FilemarkPathOf(to), false);
}

Status UpgradeImage(const std::string& path) {
  OpenedImage im;
  VTAPE_RETURN_IF_ERROR(OpenImage(path, true, im));
  if (im.sb.format_version >= kFormatVersion2) return Status::Ok();
  im.sb.format_version = kFormatVersion2;
  if (EncodedSize(im.sb) > kSlotBytes) {
    return Status::InvalidArgument(path +
                                   ": its MAM attributes leave no room for the version-2 "
                                   "superblock's partition fields; delete some first");
  }
  return WriteSuperblock(im.data.get(), path, im.sb, im.sb_slot);
}

Status AccessImage(const std::string& path, bool for_write) {
  Fd data;
  Status s = OpenFile(path, for_write ? O_RDWR : O_RDONLY, data);
  if (s.code() == Code::kNotFound) {
    return Status::NotFound("tape image " + path +
                            " does not exist; create it with `vtape create file:" + path + "`");
  }
  VTAPE_RETURN_IF_ERROR(s);
  Superblock sb;
  std::uint64_t slot = 0;
  VTAPE_RETURN_IF_ERROR(ReadSuperblock(data.get(), path, sb, slot));
  if (!for_write) return LockForReading(data.get(), path);  // released when `data` closes
  if (sb.write_protected)
    return Status::WriteProtected("tape image " + path + " is write protected");
  return LockForWriting(data.get(), path);  // released again when `data` closes
}

}  // namespace vtape
