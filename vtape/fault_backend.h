// The fault: backend: fault injection layered on any other backend, in the
// style of SQLite's test VFS. It forwards every call to the inner tape and, when
// a rule matches, injects a failure instead.
//
// Names:
//   fault:NAME                 pure pass-through; rules may be armed from C++
//   fault:{RULE,RULE,...}NAME  e.g. fault:{write@3=enospc,read@2+=medium}file:/x.img
// RULE is OP@N=EFFECT (the N-th call of OP only, 1-based) or OP@N+=EFFECT (the
// N-th call and every later one). Calls are counted per OP from open, whether
// they succeed or not; arming a rule later does not reset the counts.
//
// OPs and the Tape calls they count:
//   read    Read
//   write   Write
//   weof    WriteFilemarks
//   sync    Sync
//   space   SpaceRecords, SpaceFilemarks, SpaceToEndOfData
//   locate  Locate, LocateFile, Rewind
//   any     every call of the six OPs above (its own counter over all of them)
// Other calls (Erase, Stat, attributes, Load, ...) are never counted or faulted,
// except that they fail after a crash.
// When several rules match one call, the first armed rule wins.
//
// EFFECTs (precise semantics):
//   eio      the call fails with kIoError; the inner tape is not called, so
//            nothing moves and nothing is stored.
//   enospc   the same, with kEndOfMedium (host disk full: nothing was written).
//   medium   read: the inner Read runs (the position moves past the object, as
//            for a real checksum failure) and the call reports kMediumError;
//            the buffer is zeroed, no data is delivered. Other OPs: fails with
//            kMediumError without calling the inner tape.
//   corrupt  read: exactly like medium. write: silent corruption — the write
//            reports success, the record is stored intact in the inner tape,
//            and every later Read of that object through this FaultTape reports
//            kMediumError (and moves past it). The record is NOT stored with
//            flipped bits: the inner backend would checksum the flipped bytes
//            and later deliver wrong data as good, which the contract forbids.
//            The mark lives as long as this FaultTape and is dropped when the
//            object is overwritten or erased. Valid for read and write only.
//   tear     write: the first len/2 bytes are stored as a complete record (none
//            for a 1-byte record), then the call fails with kIoError; the inner
//            tape stays consistent and its position is after the prefix.
//            weof: count/2 filemarks are written, then kIoError.
//            Valid for write and weof only.
//   crash    this call and every later call fail with kIoError and nothing more
//            is forwarded to the inner tape: models the process being killed at
//            that point. The interface offers no way to make the inner tape drop
//            its buffers, so "crash" means "stop forwarding everything": what the
//            inner backend had accepted before the crash is still flushed when
//            the FaultTape is destroyed (the inner tape's destructor closes it,
//            which also releases the image lock so a test can reopen it).
//            Close after a crash reports kIoError. Disarm does not undo a crash.
//            health() reports degraded with the crash point.
// Statistics are the inner tape's, plus injected failures: write and weof
// failures add to write_errors, read medium errors to read_errors_uncorrected.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vtape/forwarding_tape.h"
#include "vtape/registry.h"

namespace vtape {

enum class FaultOp : std::uint8_t { kRead, kWrite, kWeof, kSync, kSpace, kLocate, kAny };
inline constexpr std::size_t kFaultOpCount = 7;

enum class FaultEffect : std::uint8_t { kEio, kEnospc, kMedium, kCorrupt, kTear, kCrash };

struct FaultRule {
  FaultOp op = FaultOp::kAny;
  std::uint64_t nth = 1;   // 1-based call number
  bool and_later = false;  // "N+": the N-th and every later call
  FaultEffect effect = FaultEffect::kEio;

  bool operator==(const FaultRule&) const = default;
};

std::string_view FaultOpName(FaultOp op);
std::string_view FaultEffectName(FaultEffect effect);
// "write@3+=enospc"
std::string FaultRuleToString(const FaultRule& rule);
// One RULE; kInvalidArgument with the reason when malformed.
Status ParseFaultRule(std::string_view text, FaultRule& rule);
// The REST of a fault: name: "{RULES}NAME" or "NAME" -> rules and inner name.
Status ParseFaultName(std::string_view rest, std::vector<FaultRule>& rules, std::string& inner);

class FaultTape final : public ForwardingTape {
 public:
  FaultTape(std::unique_ptr<Tape> target, std::vector<FaultRule> rules);

  // Adds a rule after the ones already armed; kInvalidArgument for an effect
  // the op does not support (e.g. read with tear).
  Status Arm(const FaultRule& rule);
  Status Arm(std::string_view rule_text);
  // Removes every rule (a crash stays a crash).
  void Disarm() { rules_.clear(); }
  const std::vector<FaultRule>& rules() const { return rules_; }

  // Calls of `op` so far (kAny: of all six ops).
  std::uint64_t calls(FaultOp op) const { return calls_[static_cast<std::size_t>(op)]; }
  // Failures injected so far (silent corrupt writes count too).
  std::uint64_t injected() const { return injected_; }
  bool crashed() const { return crashed_; }

  Status Read(std::span<std::uint8_t> buffer, ReadResult& result) override;
  Status Write(std::span<const std::uint8_t> record) override;
  // Write and WriteTagged meet the same write rules (a tagged record keeps its tag).
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
  // Counts a call of `op` and returns the rule that fires for it, if any.
  const FaultRule* Count(FaultOp op);
  // The Status an effect that does not touch the inner tape produces.
  Status Fail(FaultEffect effect, FaultOp op);
  Status Crash(FaultOp op);
  Status Crashed() const;
  // Drops corrupt marks at or after `pos` in its partition (overwritten objects).
  void ForgetMarksFrom(const Position& pos);

  std::vector<FaultRule> rules_;
  std::array<std::uint64_t, kFaultOpCount> calls_{};
  std::uint64_t injected_ = 0;
  std::uint64_t injected_write_errors_ = 0;
  std::uint64_t injected_read_errors_ = 0;
  bool crashed_ = false;
  std::string crash_point_;
  Position crash_position_;
  std::set<std::pair<std::uint32_t, std::uint64_t>> corrupt_objects_;  // (partition, object)
};

}  // namespace vtape
