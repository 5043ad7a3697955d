// Test support: a ForwardingTape that asks Gate() before each call reaches the
// target, so a decorator that fails calls (a crash cut, a removed medium)
// states only when. Not part of the product.
#pragma once

#include <memory>
#include <utility>

#include "vtape/forwarding_tape.h"

namespace vtape::rait::testing {

class GatedTape : public ForwardingTape {
 public:
  using ForwardingTape::ForwardingTape;

  // What a call does to the medium.
  enum class Call {
    kChange,  // writes, erases, syncs or changes the label or shape
    kMove,    // reads or moves (Read, Space*, Locate*, Rewind, Load, Unload, Close)
    kQuery,   // only reports (Stat, ReadAttribute, ListAttributes)
  };

  Status Write(std::span<const std::uint8_t> r) override {
    return Pass(Call::kChange, [&] { return ForwardingTape::Write(r); });
  }
  Status WriteFilemarks(std::uint64_t n, bool s) override {
    return Pass(Call::kChange, [&] { return ForwardingTape::WriteFilemarks(n, s); });
  }
  Status Sync() override {
    return Pass(Call::kChange, [&] { return ForwardingTape::Sync(); });
  }
  Status Erase() override {
    return Pass(Call::kChange, [&] { return ForwardingTape::Erase(); });
  }
  Status SetWriteProtect(bool on) override {
    return Pass(Call::kChange, [&] { return ForwardingTape::SetWriteProtect(on); });
  }
  Status SetEarlyWarning(std::uint64_t b) override {
    return Pass(Call::kChange, [&] { return ForwardingTape::SetEarlyWarning(b); });
  }
  Status FormatPartitions(std::span<const std::uint64_t> s) override {
    return Pass(Call::kChange, [&] { return ForwardingTape::FormatPartitions(s); });
  }
  Status WriteAttribute(std::uint32_t p, std::uint16_t id,
                        std::span<const std::uint8_t> v) override {
    return Pass(Call::kChange, [&] { return ForwardingTape::WriteAttribute(p, id, v); });
  }
  Status Read(std::span<std::uint8_t> b, ReadResult& r) override {
    return Pass(Call::kMove, [&] { return ForwardingTape::Read(b, r); });
  }
  Status SpaceRecords(std::int64_t n, SpaceResult& r) override {
    return Pass(Call::kMove, [&] { return ForwardingTape::SpaceRecords(n, r); });
  }
  Status SpaceFilemarks(std::int64_t n, SpaceResult& r) override {
    return Pass(Call::kMove, [&] { return ForwardingTape::SpaceFilemarks(n, r); });
  }
  Status SpaceToEndOfData() override {
    return Pass(Call::kMove, [&] { return ForwardingTape::SpaceToEndOfData(); });
  }
  Status Locate(std::uint32_t p, std::uint64_t o, SpaceResult& r) override {
    return Pass(Call::kMove, [&] { return ForwardingTape::Locate(p, o, r); });
  }
  Status LocateFile(std::uint32_t p, std::uint64_t f, SpaceResult& r) override {
    return Pass(Call::kMove, [&] { return ForwardingTape::LocateFile(p, f, r); });
  }
  Status Rewind() override {
    return Pass(Call::kMove, [&] { return ForwardingTape::Rewind(); });
  }
  Status Load() override {
    return Pass(Call::kMove, [&] { return ForwardingTape::Load(); });
  }
  Status Unload() override {
    return Pass(Call::kMove, [&] { return ForwardingTape::Unload(); });
  }
  Status Close() override {
    return Pass(Call::kMove, [&] { return ForwardingTape::Close(); });
  }
  Status Stat(MediumInfo& info) const override {
    return Pass(Call::kQuery, [&] { return ForwardingTape::Stat(info); });
  }
  Status ReadAttribute(std::uint32_t p, std::uint16_t id,
                       std::vector<std::uint8_t>& v) const override {
    return Pass(Call::kQuery, [&] { return ForwardingTape::ReadAttribute(p, id, v); });
  }
  Status ListAttributes(std::uint32_t p, std::vector<std::uint16_t>& ids) const override {
    return Pass(Call::kQuery, [&] { return ForwardingTape::ListAttributes(p, ids); });
  }
  Status GetPartitionInfo(std::uint32_t p, PartitionInfo& info) const override {
    return Pass(Call::kQuery, [&] { return ForwardingTape::GetPartitionInfo(p, info); });
  }

 protected:
  // OK lets the call through to the target; any other status is its answer.
  virtual Status Gate(Call call) const = 0;

 private:
  template <class Forward>
  Status Pass(Call call, Forward forward) const {
    Status gate = Gate(call);
    return gate.ok() ? forward() : gate;
  }
};

}  // namespace vtape::rait::testing
