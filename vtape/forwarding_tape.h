// A Tape that forwards every call to another one (LevelDB's EnvWrapper):
// decorators such as the fault injector override only what they change.
#pragma once

#include <memory>
#include <utility>

#include "vtape/tape.h"

namespace vtape {

// It offers the target's optional capabilities as its own (itself is the
// Partitioned and AttributeStore it returns, when the target has them), so a
// decorator overrides the capability calls it must act on like any other.
class ForwardingTape : public Tape, public Partitioned, public AttributeStore {
 public:
  explicit ForwardingTape(std::unique_ptr<Tape> target) : target_(std::move(target)) {}
  // A target other owners share (a test medium that outlives its handles).
  explicit ForwardingTape(std::shared_ptr<Tape> target) : target_(std::move(target)) {}

  Tape& target() const { return *target_; }

  Status Read(std::span<std::uint8_t> b, ReadResult& r) override { return target_->Read(b, r); }
  Status Write(std::span<const std::uint8_t> r) override { return target_->Write(r); }
  // Tagged records reach the target with their tag; tag 0 takes the
  // decorator's own write path (WriteGathered, Write). A decorator that acts on
  // writes overrides this too.
  Status WriteTagged(RecordPieces p, std::uint8_t tag) override {
    if (tag == 0) return WriteGathered(p);
    return target_->WriteTagged(p, tag);
  }
  Status WriteFilemarks(std::uint64_t n, bool sync) override {
    return target_->WriteFilemarks(n, sync);
  }
  Status Sync() override { return target_->Sync(); }
  Status Erase() override { return target_->Erase(); }
  Status SpaceRecords(std::int64_t n, SpaceResult& r) override {
    return target_->SpaceRecords(n, r);
  }
  Status SpaceFilemarks(std::int64_t n, SpaceResult& r) override {
    return target_->SpaceFilemarks(n, r);
  }
  Status SpaceToEndOfData() override { return target_->SpaceToEndOfData(); }
  Status Locate(std::uint32_t p, std::uint64_t o, SpaceResult& r) override {
    return target_->Locate(p, o, r);
  }
  Status LocateFile(std::uint32_t p, std::uint64_t f, SpaceResult& r) override {
    return target_->LocateFile(p, f, r);
  }
  Status Rewind() override { return target_->Rewind(); }
  Position GetPosition() const override { return target_->GetPosition(); }
  Status Load() override { return target_->Load(); }
  Status Unload() override { return target_->Unload(); }
  bool loaded() const override { return target_->loaded(); }
  Status Stat(MediumInfo& info) const override { return target_->Stat(info); }
  Status SetWriteProtect(bool on) override { return target_->SetWriteProtect(on); }
  Status SetEarlyWarning(std::uint64_t b) override { return target_->SetEarlyWarning(b); }
  Statistics statistics() const override { return target_->statistics(); }
  Health health() const override { return target_->health(); }
  Status Close() override { return target_->Close(); }

  // Partitioned: called only when the target offers it (see PartitionsCapability).
  std::uint32_t MaxPartitions() const override { return target_->partitions()->MaxPartitions(); }
  Status FormatPartitions(std::span<const std::uint64_t> s) override {
    return target_->partitions()->FormatPartitions(s);
  }
  Status GetPartitionInfo(std::uint32_t p, PartitionInfo& info) const override {
    return target_->partitions()->GetPartitionInfo(p, info);
  }
  // AttributeStore: called only when the target offers it.
  Status ReadAttribute(std::uint32_t p, std::uint16_t id,
                       std::vector<std::uint8_t>& v) const override {
    return target_->attributes()->ReadAttribute(p, id, v);
  }
  Status WriteAttribute(std::uint32_t p, std::uint16_t id,
                        std::span<const std::uint8_t> v) override {
    return target_->attributes()->WriteAttribute(p, id, v);
  }
  Status ListAttributes(std::uint32_t p, std::vector<std::uint16_t>& ids) const override {
    return target_->attributes()->ListAttributes(p, ids);
  }

 protected:
  Partitioned* PartitionsCapability() override {
    return target_->partitions() != nullptr ? this : nullptr;
  }
  AttributeStore* AttributesCapability() override {
    return target_->attributes() != nullptr ? this : nullptr;
  }

 private:
  std::shared_ptr<Tape> target_;
};

}  // namespace vtape
