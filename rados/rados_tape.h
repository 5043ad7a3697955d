// The rados: backend's Tape: a cartridge in a RADOS pool (layout.h, FORMAT.md).
//
// In memory it keeps each partition's index (24 bytes per record or filemark, so
// at most 0.6% of the capacity written: a filemark costs 4096 bytes of it) and a
// sorted list of filemark positions: reads, spaces and locates never list or scan
// objects. Writes are pipelined: record bytes gather into a stripe buffer and go
// out as asynchronous object writes (at most kMaxInFlight unacknowledged); Sync,
// a synchronous filemark, Unload and Close wait for every acknowledgement and only
// then rewrite the header, whose EOD makes the new objects part of the medium.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "rados/connection.h"
#include "rados/layout.h"
#include "rados/lease.h"
#include "rados/spec.h"
#include "vtape/position_math.h"
#include "vtape/registry.h"
#include "vtape/tape.h"

namespace vtape::rados {

inline constexpr std::size_t kMaxInFlight = 8;

// One partition's index in memory.
struct PartitionIndex final : FilemarkIndex {
  std::uint64_t capacity = 0;
  std::uint64_t data_end = 0;           // record bytes up to EOD
  std::vector<Entry> entries;           // one per logical object up to EOD
  std::vector<std::uint64_t> marks;     // object numbers of the filemarks, ascending
  std::uint64_t durable_eod = 0;        // EOD in the header as last written
  std::uint64_t index_dirty = 0;        // entries from here on are not yet in index objects

  std::uint64_t count() const override { return marks.size(); }
  std::uint64_t Rank(std::uint64_t object) const override;
  std::uint64_t Select(std::uint64_t k) const override { return marks[k]; }
  std::uint64_t eod() const { return entries.size(); }
  std::uint64_t OffsetOf(std::uint64_t object) const {
    return object < entries.size() ? entries[object].offset : data_end;
  }
  std::uint64_t BytesBefore(std::uint64_t object) const {
    return OffsetOf(object) + Rank(object) * kFilemarkBytes;
  }
};

class RadosTape final : public Tape, public Partitioned, public AttributeStore {
 public:
  ~RadosTape() override;
  // Connects, takes the writer's lock (unless read-only), bumps the epoch, loads the index.
  static Status Open(const RadosSpec& spec, const OpenOptions& options,
                     std::unique_ptr<RadosTape>& tape);

  Status Read(std::span<std::uint8_t> buffer, ReadResult& result) override;
  Status Write(std::span<const std::uint8_t> record) override;
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
  bool loaded() const override { return loaded_ && !closed_; }
  Status Stat(MediumInfo& info) const override;
  Status SetWriteProtect(bool on) override;
  Status SetEarlyWarning(std::uint64_t bytes_before_end) override;
  Statistics statistics() const override { return stats_; }
  Health health() const override { return {}; }
  Status Close() override;

  // Partitioned
  std::uint32_t MaxPartitions() const override;
  Status FormatPartitions(std::span<const std::uint64_t> sizes) override;
  Status GetPartitionInfo(std::uint32_t partition, PartitionInfo& info) const override;
  // AttributeStore (the header object's omap)
  Status ReadAttribute(std::uint32_t partition, std::uint16_t id,
                       std::vector<std::uint8_t>& value) const override;
  Status WriteAttribute(std::uint32_t partition, std::uint16_t id,
                        std::span<const std::uint8_t> value) override;
  Status ListAttributes(std::uint32_t partition, std::vector<std::uint16_t>& ids) const override;

 protected:
  Partitioned* PartitionsCapability() override { return this; }
  AttributeStore* AttributesCapability() override { return this; }

 private:
  RadosTape() = default;
  struct InFlight {
    rados_completion_t completion = nullptr;
    std::vector<std::uint8_t> bytes;  // kept alive until acknowledged
    std::string oid;
  };

  Status Ready() const;
  Status Writable() const;
  Status SelectPartition(std::uint32_t partition);
  Status CheckPartition(std::uint32_t partition) const;  // Ready and an existing partition
  PartitionIndex& current() { return parts_[partition_]; }
  std::uint64_t EarlyWarningOf(const PartitionIndex& p) const;

  Status LoadIndex(std::uint32_t partition);
  Status TakeLock();
  // With a lease: fences (blocklists) the writer named by a record a lease writer
  // left behind without closing, whose lock has expired.
  Status FenceExpiredWriter();
  Status BumpEpoch();
  // Ok unless this writer's lease may have run out.
  Status LeaseValid() const { return lease_ ? lease_->Valid() : Status::Ok(); }
  // Discards the objects from `object` on in the current partition (the write point).
  Status TruncateAt(std::uint64_t object);
  // Sends the stripe buffer's complete stripes (all of it with `all`).
  Status IssuePending(bool all);
  Status IssueWrite(std::string oid, std::vector<std::uint8_t> bytes, std::uint64_t offset);
  Status WaitOldest();
  Status WaitAll();
  Status IssueIndex();
  // Everything to RADOS and acknowledged, then the header: the durable point.
  Status Commit();
  Status WriteHeader();
  Status ReadStream(const PartitionIndex& p, std::uint32_t partition, std::uint64_t offset,
                    std::span<std::uint8_t> out);
  Status Fail(Status s);

  RadosSpec spec_;
  Connection conn_;
  std::unique_ptr<Lease> lease_;  // with lease=SEC; stops renewing before conn_ goes
  std::string writer_record_;      // kWriterXattr's value for this open
  Header header_;
  std::vector<PartitionIndex> parts_;
  std::string cookie_;
  bool writable_ = false;  // opened for writing: holds the lock
  bool locked_ = false;
  bool loaded_ = true;
  bool closed_ = false;
  std::uint32_t partition_ = 0;
  std::uint64_t object_ = 0;
  // Record bytes of partition pending_partition_ from pending_start_ on, not yet sent.
  std::vector<std::uint8_t> pending_;
  std::uint64_t pending_start_ = 0;
  std::uint32_t pending_partition_ = 0;
  std::deque<InFlight> in_flight_;
  Status error_;  // the first failed asynchronous write: every later write reports it
  // One stripe cached for reading (sequential reads of small records cost one
  // round trip per stripe, not per record).
  std::uint32_t cache_partition_ = 0;
  std::uint64_t cache_stripe_ = ~0ull;
  std::vector<std::uint8_t> cache_;
  Statistics stats_;
};

}  // namespace vtape::rados
