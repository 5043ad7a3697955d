// The vtape interface: one small table of methods for "a possibly virtual tape".
//
// It keeps the operations of the classic virtual tape API recognisable
// (access, open, stat, close, fsf, read, rewind, unload, status, weof, write;
// access/open/create live in registry.h, resetofs has no meaning here because
// every offset is 64-bit) and adds what an SSC drive needs on top of them.
//
// The model. A medium holds one or more partitions. A partition is a sequence of
// logical objects, each a record (1 byte .. kMaxRecordBytes, any size) or a
// filemark, followed by end of data (EOD). The position is a point between
// objects: object number N means "before object N" (N records and filemarks lie
// between beginning of partition (BOP) and the position). File number F means F
// filemarks lie before the position.
//
// Guarantees every backend keeps (tests/vtape/conformance_test.cc checks them):
//  * A record reads back exactly as written, whatever its size.
//  * Read never returns parts of two records. A buffer smaller than the record
//    gets the record's first bytes and the record's true length, and the position
//    moves past the whole record.
//  * Reading a filemark reports it and moves past it. Reading at EOD reports EOD
//    and does not move.
//  * Writing a record or filemarks (or Erase) at any position discards every
//    object after that position: the write becomes the new EOD.
//  * Spacing or locating beyond EOD stops at EOD; backwards beyond BOP stops at
//    BOP. Either way the result says how many objects were not crossed (the SSC
//    residual) and why it stopped.
//  * A record whose checksum fails is reported as kMediumError, never as data;
//    the position then moves past it so a reader can skip it.
//  * While not loaded (after Unload), everything but Load, loaded(), Stat and
//    Close fails with kNotLoaded.
//
// Threading: a Tape is used by one thread at a time (the SSC engine runs one
// command at a time per drive). Distinct Tape objects may be used concurrently.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vtape/attributes.h"
#include "vtape/partitions.h"
#include "vtape/record_pieces.h"
#include "vtape/record_tag.h"
#include "vtape/status.h"

namespace vtape {

// The largest record every backend accepts (SSC drives offer at most 16 MiB; LTO
// drives report 8 MiB). Backends may accept more.
inline constexpr std::uint64_t kMaxRecordBytes = 16u << 20;

// The medium capacity one filemark uses up, on every backend. A filemark costs
// capacity on a real drive too, and charging for it means a flood of filemarks
// reaches end of medium instead of growing without bound.
inline constexpr std::uint64_t kFilemarkBytes = 4096;

// The record-size rule every backend's Write enforces, with one message.
inline Status CheckRecordSize(std::uint64_t bytes) {
  if (bytes >= 1 && bytes <= kMaxRecordBytes) return Status::Ok();
  return Status::InvalidArgument("record of " + std::to_string(bytes) +
                                 " bytes: records hold 1 to " + std::to_string(kMaxRecordBytes) +
                                 " bytes");
}

enum class ObjectKind : std::uint8_t { kRecord, kFilemark, kEndOfData };

// The rule for a record written with `tag` (record_tag.h): a known tag, and
// tagged records may exceed the record limit by kMaxTaggedRecordOverhead.
inline Status CheckTaggedRecord(std::uint64_t bytes, std::uint8_t tag) {
  if (tag == 0) return CheckRecordSize(bytes);
  VTAPE_RETURN_IF_ERROR(CheckRecordTag(tag, false));
  if (bytes >= 1 && bytes <= kMaxRecordBytes + kMaxTaggedRecordOverhead) return Status::Ok();
  return CheckRecordSize(bytes);
}

// What Read found.
struct ReadResult {
  ObjectKind kind = ObjectKind::kEndOfData;
  // For a record: its true length. Bytes copied = min(length, buffer.size()).
  // Of a tagged record, the length of its stored bytes.
  std::uint64_t length = 0;
  // For a record: the tag it was written with (record_tag.h); 0 for records
  // written by Write/WriteGathered.
  std::uint8_t tag = 0;
};

// Why a space or locate stopped short.
enum class Stop : std::uint8_t {
  kNone,                 // moved the full count
  kFilemark,             // spacing records met a filemark (and crossed it, see SpaceRecords)
  kEndOfData,            // reached EOD going forward
  kBeginningOfPartition  // reached BOP going backward
};

struct SpaceResult {
  Stop stop = Stop::kNone;
  std::uint64_t not_crossed = 0;  // requested count minus objects actually crossed
};

struct Position {
  std::uint32_t partition = 0;
  std::uint64_t object = 0;          // logical object number (records + filemarks before)
  std::uint64_t file = 0;            // filemarks before the position
  std::uint64_t record_in_file = 0;  // records between the last filemark (or BOP) and here
  std::uint64_t bytes_before = 0;    // medium bytes used before the position (capacity accounting)
  bool at_bop = true;
  bool at_eod = true;
  bool beyond_early_warning = false;  // writing here is inside the early-warning zone
};

// The medium's label and shape ("stat").
struct MediumInfo {
  std::uint32_t format_version = 0;
  std::string barcode;                    // volume label, printable ASCII, at most 32 characters
  std::string media_type;                 // "LTO-8", ... (see media.h)
  std::uint64_t capacity_bytes = 0;       // nominal native capacity: the hard end
  std::uint64_t early_warning_bytes = 0;  // the early-warning point lies this far before the end
  std::uint64_t used_bytes = 0;           // bytes used up to EOD, all partitions
  std::uint64_t records = 0;              // records up to EOD, all partitions
  std::uint64_t filemarks = 0;            // filemarks up to EOD, all partitions
  std::uint32_t partitions = 1;
  bool write_protected = false;
};

// Counters since open ("status").
struct Statistics {
  std::uint64_t records_written = 0;
  std::uint64_t bytes_written = 0;
  std::uint64_t filemarks_written = 0;
  std::uint64_t records_read = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t filemarks_read = 0;
  std::uint64_t read_errors_corrected = 0;    // e.g. rebuilt from RAIT parity
  std::uint64_t read_errors_uncorrected = 0;  // reported as kMediumError
  std::uint64_t write_errors = 0;
};

// Redundancy state (RAIT). Plain backends are never degraded.
struct Health {
  bool degraded = false;
  std::string detail;  // which member failed and why (names paths): for the host log only
  // Indices of the failed members (RAIT): what initiators may be shown.
  std::vector<std::uint32_t> failed_members;
};

class Tape {
 public:
  virtual ~Tape() = default;
  Tape() = default;
  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;

  // --- Data -----------------------------------------------------------------
  // Reads one object at the position (see ReadResult).
  virtual Status Read(std::span<std::uint8_t> buffer, ReadResult& result) = 0;
  // Read into `pieces` (the initiator's scatter/gather buffers) as into their
  // concatenation. Backends that can fill the pieces directly (file:, the
  // drive buffer) override it; the default reads into one buffer and scatters.
  virtual Status ReadScattered(ReadPieces pieces, ReadResult& result) {
    if (pieces.size() == 1) return Read(pieces[0], result);
    std::vector<std::uint8_t> whole(TotalBytes(pieces));
    Status status = Read(whole, result);
    if (result.kind == ObjectKind::kRecord) {
      ScatterInto(std::span(whole).first(std::min<std::uint64_t>(result.length, whole.size())),
                  pieces);
    }
    return status;
  }
  // Writes one record of 1..kMaxRecordBytes bytes at the position, discarding
  // what followed. In the early-warning zone the write still succeeds
  // (Position::beyond_early_warning tells); at the hard end, or when the host
  // disk is full, it fails with kEndOfMedium and nothing of it is stored.
  // Success means stored but not yet durable against power loss: durable after
  // Sync, a synchronous filemark, Unload/Close or (file:) an automatic durable
  // point. file: has handed the record to the kernel before returning, so the
  // death of the process never loses it (vtape/FORMAT.md, "Durability").
  virtual Status Write(std::span<const std::uint8_t> record) = 0;
  // Write of the record whose bytes are `pieces` in order (the initiator's
  // scatter/gather buffers). Backends that can store the pieces as they are
  // (file:'s vectored write, null:, the drive buffer) override it; the default
  // gathers them into one buffer first.
  virtual Status WriteGathered(RecordPieces pieces) {
    if (pieces.size() == 1) return Write(pieces[0]);
    std::vector<std::uint8_t> record(TotalBytes(pieces));
    GatherInto(pieces, record.data());
    return Write(record);
  }
  // Write of a record whose stored bytes are `pieces` and whose tag is `tag`
  // (record_tag.h): Read returns the same bytes with the same tag. Tag 0 is
  // WriteGathered. Every backend and decorator of this tree overrides it; the
  // default stores tag 0 only, so a backend that cannot store tags refuses
  // tagged records instead of losing their tag.
  virtual Status WriteTagged(RecordPieces pieces, std::uint8_t tag) {
    if (tag == 0) return WriteGathered(pieces);
    VTAPE_RETURN_IF_ERROR(CheckRecordTag(tag, false));
    return Status::Unsupported("this backend stores no record tags");
  }
  // "weof": writes `count` filemarks at the position (count 0 writes none).
  // Each filemark uses kFilemarkBytes of capacity. With `sync`, everything
  // written so far is durable when it returns.
  // Partial write: when mark i of `count` cannot be written (hard end of
  // medium: kEndOfMedium; host disk full: kEndOfMedium; or an I/O error), marks
  // 0..i-1 stay written, the position is just after them, and the error is
  // returned (its message says "(i of count filemarks written)"). The caller
  // derives the residual, count - i, from how far the position moved. Memory
  // used does not grow with `count`.
  virtual Status WriteFilemarks(std::uint64_t count, bool sync) = 0;
  // Makes everything written so far durable.
  virtual Status Sync() = 0;
  // Discards everything from the position to the end of the partition.
  virtual Status Erase() = 0;

  // --- Positioning ------------------------------------------------------------
  // Moves over `count` records, forward (> 0) or backward (< 0). Meeting a
  // filemark stops the move with Stop::kFilemark: going forward the position
  // ends just after the filemark, going backward just before it; the filemark is
  // not counted as crossed.
  virtual Status SpaceRecords(std::int64_t count, SpaceResult& result) = 0;
  // "fsf"/"bsf": moves over `count` filemarks, forward (> 0: ends just after the
  // last one crossed) or backward (< 0: ends just before it).
  virtual Status SpaceFilemarks(std::int64_t count, SpaceResult& result) = 0;
  // Moves to EOD of the current partition.
  virtual Status SpaceToEndOfData() = 0;
  // Moves to logical object `object` of `partition` (before that object).
  // Beyond EOD: stops at EOD with Stop::kEndOfData.
  virtual Status Locate(std::uint32_t partition, std::uint64_t object, SpaceResult& result) = 0;
  // Moves to the start of file `file` of `partition` (just after filemark
  // file-1; file 0 is BOP). Fewer filemarks: stops at EOD with Stop::kEndOfData.
  virtual Status LocateFile(std::uint32_t partition, std::uint64_t file, SpaceResult& result) = 0;
  // Moves to BOP of partition 0.
  virtual Status Rewind() = 0;
  virtual Position GetPosition() const = 0;

  // --- Medium -------------------------------------------------------------------
  virtual Status Load() = 0;    // makes the medium ready again at BOP of partition 0
  virtual Status Unload() = 0;  // flushes, then "ejects": most calls fail with kNotLoaded
  virtual bool loaded() const = 0;
  virtual Status Stat(MediumInfo& info) const = 0;
  virtual Status SetWriteProtect(bool on) = 0;  // persistent in the medium
  // Moves the early-warning point to `bytes_before_end` before the hard end.
  virtual Status SetEarlyWarning(std::uint64_t bytes_before_end) = 0;

  // --- Optional capabilities ---------------------------------------------------
  // What only some backends offer lives behind these (the escape hatch of
  // SQLite's VFS): nullptr when the backend lacks it. A non-null pointer stays
  // valid, and the same, for the Tape's lifetime. See partitions.h and
  // attributes.h.
  Partitioned* partitions() { return PartitionsCapability(); }
  const Partitioned* partitions() const { return const_cast<Tape*>(this)->PartitionsCapability(); }
  AttributeStore* attributes() { return AttributesCapability(); }
  const AttributeStore* attributes() const {
    return const_cast<Tape*>(this)->AttributesCapability();
  }

  // --- State ------------------------------------------------------------------
  virtual Statistics statistics() const = 0;  // "status"
  virtual Health health() const = 0;
  // "close": flushes and releases the medium (its lock). Further calls fail.
  // The destructor closes too, but only Close reports a failed final flush.
  virtual Status Close() = 0;

 protected:
  // Backends that offer a capability override these (and return themselves or
  // a member); the defaults say "not offered".
  virtual Partitioned* PartitionsCapability() { return nullptr; }
  virtual AttributeStore* AttributesCapability() { return nullptr; }
};

}  // namespace vtape
