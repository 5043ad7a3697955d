// A Tape that forwards every call to another one (LevelDB's EnvWrapper):
// decorators such as the fault injector override only what they change.
#pragma once

#include <memory>
#include <utility>

#include "vtape/tape.h"

namespace vtape {

class ForwardingTape : public Tape {
 public:
  explicit ForwardingTape(std::unique_ptr<Tape> target) : target_(std::move(target)) {}
  // A target other owners share (a test medium that outlives its handles).
  explicit ForwardingTape(std::shared_ptr<Tape> target) : target_(std::move(target)) {}

  Tape& target() const { return *target_; }

  Status Read(std::span<std::uint8_t> b, ReadResult& r) override { return target_->Read(b, r); }
  Status Write(std::span<const std::uint8_t> r) override { return target_->Write(r); }
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
  Status FormatPartitions(std::span<const std::uint64_t> s) override {
    return target_->FormatPartitions(s);
  }
  Status ReadAttribute(std::uint16_t id, std::vector<std::uint8_t>& v) const override {
    return target_->ReadAttribute(id, v);
  }
  Status WriteAttribute(std::uint16_t id, std::span<const std::uint8_t> v) override {
    return target_->WriteAttribute(id, v);
  }
  Status ListAttributes(std::vector<std::uint16_t>& ids) const override {
    return target_->ListAttributes(ids);
  }
  Statistics statistics() const override { return target_->statistics(); }
  Health health() const override { return target_->health(); }
  Status Close() override { return target_->Close(); }

 private:
  std::shared_ptr<Tape> target_;
};

}  // namespace vtape
