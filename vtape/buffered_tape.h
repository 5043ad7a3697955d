// A write-behind buffer in front of a medium, as a real drive's buffer: in
// buffered mode a record is copied once into the buffer (from the pieces the
// initiator's data came in: WriteGathered) and Write returns; one
// writer thread commits the buffered records and filemarks to the medium in
// order. Every other operation that needs the medium to be current (Read,
// positioning, synchronous filemarks, Sync, Unload, Close, metadata changes)
// first waits until the buffer is empty ("drains").
//
// Nothing is buffered before the medium has taken one write since it was
// opened, loaded or had its write protection changed: a medium that cannot be
// written (read-only open, protected) refuses that first write itself.
//
// Bounds. The buffer holds at most `capacity` record bytes: a full buffer makes
// Write wait (back-pressure), memory never grows beyond it. It never accepts an
// object that would end inside the medium's early-warning zone: such writes
// (and records larger than the buffer, and media with more than one partition)
// go straight to the medium once the buffer is empty, so early warning and end
// of medium are reported on the command that reaches them, exactly as without
// the buffer.
//
// Deferred errors. When the writer fails (I/O error, host disk full, end of
// medium) on an object already acknowledged, the object and everything queued
// after it are discarded (the medium keeps what it had before them) and the
// error is kept until TakeDeferredError: the SSC engine reports it on the next
// command (sense response code 71h). Until it is taken, Write and every
// draining call fail with that error and do nothing.
//
// Read-ahead. After a Read (done on the medium itself) the same thread reads
// on, sequentially, into the buffer (at most `capacity` record bytes and
// kMaxReadAhead objects; it crosses filemarks, stops at EOD and after an
// error), and the next Reads are served from there: each returns exactly what
// reading the medium would have (data, kind, length, status), and the position
// the engine sees is that after the objects it has taken. A medium error met
// ahead is reported by the Read that reaches that record, not earlier. Any other
// operation that needs the medium (Write, filemarks, positioning, Sync, Erase,
// Unload, Load, Close, metadata changes) first stops the read-ahead, discards
// what was read ahead and moves the medium back to the engine's position
// (Locate). statistics() counts only what the engine has taken.
//
// Threading: one thread (the engine's) calls the Tape methods, as for every
// Tape; the writer thread is internal. While the writer works, the queries the
// engine makes on every command never wait for the medium: loaded() is true
// (only a drained Unload ends that), Stat answers what the medium said when the
// buffer started filling (its shape and write protection cannot change without
// a drain) with EOD at the logical position, health() what it said after the last object
// written, statistics() that plus what the buffer holds. Attribute reads wait for the buffer.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "vtape/forwarding_tape.h"

namespace vtape {

class BufferedTape final : public ForwardingTape {
 public:
  BufferedTape(std::unique_ptr<Tape> target, std::uint64_t capacity_bytes);
  ~BufferedTape() override;

  // What the buffer holds (written to it, not yet to the medium).
  struct Contents {
    std::uint64_t objects = 0;  // records and filemarks
    std::uint64_t bytes = 0;    // record bytes
    std::uint64_t filemarks = 0;
  };
  Contents buffered() const;
  std::uint64_t capacity() const { return capacity_; }

  // An error the writer met after the objects were acknowledged.
  struct DeferredError {
    Status status;
    std::uint64_t objects_lost = 0;  // acknowledged records and filemarks not written
  };
  // The pending deferred error, if any; clears it (the buffer accepts writes
  // again, at the medium's position).
  std::optional<DeferredError> TakeDeferredError();

  // Writes the record to the medium before returning (buffered mode 0), after
  // the buffer drained.
  Status WriteThrough(RecordPieces record, std::uint8_t tag = 0);
  // Waits until the writer emptied the buffer and stops the read-ahead, so the
  // medium is idle and current; returns the pending deferred error (not
  // taken), else Ok.
  Status Drain();
  // Waits until the writer emptied the buffer (tests; no error is taken).
  void WaitWritten() const;
  // Objects and record bytes read ahead and not yet taken by a Read.
  Contents read_ahead() const;
  // Waits until the read-ahead has read all it will for now (buffer full, EOD,
  // an error) or is off (tests).
  void WaitReadAhead() const;
  static constexpr std::uint64_t kMaxReadAhead = 1024;  // objects
  // How often the engine waited for the writer, and the most record bytes held
  // at once (never more than the capacity).
  struct Counters {
    std::uint64_t drains_waited = 0;   // a draining call found objects buffered
    std::uint64_t waits_for_room = 0;  // a Write found the buffer full
    std::uint64_t peak_bytes = 0;
    std::uint64_t objects_read_ahead = 0;  // objects the read-ahead took from the medium
  };
  Counters counters() const;

  Status Read(std::span<std::uint8_t> buffer, ReadResult& result) override;
  Status ReadScattered(ReadPieces buffer, ReadResult& result) override;
  Status Write(std::span<const std::uint8_t> record) override;
  Status WriteGathered(RecordPieces pieces) override;
  // Buffered like WriteGathered; the tag goes to the medium with the record.
  Status WriteTagged(RecordPieces pieces, std::uint8_t tag) override;
  Status WriteFilemarks(std::uint64_t count, bool sync) override;
  Status Sync() override;
  Status Erase() override;
  Status SpaceRecords(std::int64_t count, SpaceResult& result) override;
  Status SpaceFilemarks(std::int64_t count, SpaceResult& result) override;
  Status SpaceToEndOfData() override;
  Status Locate(std::uint32_t partition, std::uint64_t object, SpaceResult& result) override;
  Status LocateFile(std::uint32_t partition, std::uint64_t file, SpaceResult& result) override;
  Status Rewind() override;
  Position GetPosition() const override;
  Status Load() override;
  Status Unload() override;
  bool loaded() const override;
  Status Stat(MediumInfo& info) const override;
  Status SetWriteProtect(bool on) override;
  Status SetEarlyWarning(std::uint64_t bytes_before_end) override;
  Status FormatPartitions(std::span<const std::uint64_t> sizes) override;
  Status GetPartitionInfo(std::uint32_t partition, PartitionInfo& info) const override;
  Status ReadAttribute(std::uint32_t partition, std::uint16_t id,
                       std::vector<std::uint8_t>& value) const override;
  Status WriteAttribute(std::uint32_t partition, std::uint16_t id,
                        std::span<const std::uint8_t> value) override;
  Status ListAttributes(std::uint32_t partition, std::vector<std::uint16_t>& ids) const override;
  Statistics statistics() const override;
  Health health() const override;
  Status Close() override;

 private:
  // Memory for one record; reused for later records of about its size.
  struct Block {
    std::unique_ptr<std::uint8_t[]> bytes;
    std::uint64_t capacity = 0;
  };
  // One buffered object: a record (`size` bytes of block) or `filemarks`
  // filemarks.
  struct Entry {
    Block block;
    std::uint64_t size = 0;
    std::uint64_t filemarks = 0;
    std::uint8_t tag = 0;  // the record's (record_tag.h)
    std::uint64_t objects() const { return filemarks != 0 ? filemarks : 1; }
    std::span<const std::uint8_t> data() const { return {block.bytes.get(), size}; }
  };

  // One object read ahead: what the medium answered, and its position after it.
  struct Ahead {
    Status status;
    ReadResult result;
    Block block;             // the record's bytes
    std::uint64_t size = 0;  // bytes of block held (the record's length)
    Position after;
    Statistics counted;  // what the medium counted for this read
  };

  void Run();
  // The writer's step: commits the front entry (mu_ held, unlocked meanwhile).
  void WriteFront(std::unique_lock<std::mutex>& lock);
  // The read-ahead's step: reads one object into ahead_ (same locking).
  void ReadAheadOne(std::unique_lock<std::mutex>& lock);
  // Whether the read-ahead should read another object now (mu_ held).
  bool ReadAheadWanted() const;
  // Ends the read-ahead: waits for a read in progress, discards ahead_ and
  // locates the medium back to the engine's position.
  Status StopReadAhead(std::unique_lock<std::mutex>& lock);
  // Appends `entry` (mu_ held): counts it as held and moves the logical
  // position past it; the writer takes it from there.
  void Enqueue(Entry entry);
  // Writes the record to the medium now (the buffer is empty).
  Status WriteToMedium(RecordPieces record, std::uint8_t tag);
  // A block of at least `size` bytes: a spare one close to that size, else a
  // new one (mu_ held).
  Block TakeBlock(std::uint64_t size);
  // Keeps `block` for reuse while spare and held bytes stay within the
  // capacity, else frees it (mu_ held).
  void ReturnBlock(Block block);
  // Waits until the buffer is empty; the pending deferred error, else Ok.
  Status DrainLocked(std::unique_lock<std::mutex>& lock);
  // Whether an object costing `cost` medium bytes may wait in the buffer;
  // starts tracking the logical position when the buffer was empty.
  bool MayBuffer(std::unique_lock<std::mutex>& lock, std::uint64_t cost);
  void StopWriter();

  const std::uint64_t capacity_;

  mutable std::mutex mu_;                  // guards everything below but the target
  std::condition_variable work_;           // the writer waits for entries or stop
  mutable std::condition_variable space_;  // writers and drainers wait for progress
  std::deque<Entry> queue_;                // the front one stays while it is written
  std::vector<Block> spare_;               // blocks of written or read records, for reuse
  std::uint64_t spare_bytes_ = 0;
  Contents held_;
  std::optional<DeferredError> deferred_;
  bool stop_ = false;
  Counters counters_;
  // The position after the last buffered object (valid while queue_ is not
  // empty) and where the early-warning zone starts (bytes before).
  Position logical_;
  std::uint64_t early_warning_at_ = 0;
  bool bufferable_medium_ = false;  // one partition, not write protected
  bool proven_writable_ = false;    // a write reached the medium (see above)
  // Read-ahead state (see above). While reading_, the engine's position is
  // read_pos_ and the medium's is after the last object in ahead_.
  std::deque<Ahead> ahead_;
  Contents ahead_held_;
  bool reading_ = false;
  bool reader_busy_ = false;     // a read of the medium is in progress
  bool reader_done_ = false;     // EOD, an error or a stop: no more reads
  std::uint64_t next_size_ = 0;  // the record size the next read expects
  Position read_pos_;
  Statistics ahead_counted_;  // the medium's counts for ahead_
  Statistics uncounted_;      // the medium's counts for reads no Read took
  // The medium's answers, for queries while the writer works (see above).
  MediumInfo info_;
  Statistics statistics_;
  Health health_;

  // Serialises calls into the target between the engine and the writer.
  mutable std::mutex target_mu_;
  std::thread writer_;
};

}  // namespace vtape
