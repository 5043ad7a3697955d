// The fault: backend. Semantics are documented in fault_backend.h.
#include "vtape/fault_backend.h"

#include <algorithm>
#include <charconv>

#include "vtape/builtin_backends.h"
#include "vtape/name.h"

namespace vtape {
namespace {

constexpr std::array<std::string_view, kFaultOpCount> kOpNames = {"read",  "write",  "weof", "sync",
                                                                  "space", "locate", "any"};
constexpr std::array<std::string_view, 6> kEffectNames = {"eio",     "enospc", "medium",
                                                          "corrupt", "tear",   "crash"};

std::string JoinNames(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

// Some effects only make sense for some operations (see fault_backend.h).
Status ValidateRule(const FaultRule& rule) {
  if (rule.nth == 0) return Status::InvalidArgument("fault rule: call numbers start at 1");
  bool ok = true;
  if (rule.effect == FaultEffect::kCorrupt) {
    ok = rule.op == FaultOp::kRead || rule.op == FaultOp::kWrite;
  } else if (rule.effect == FaultEffect::kTear) {
    ok = rule.op == FaultOp::kWrite || rule.op == FaultOp::kWeof;
  }
  if (!ok) {
    return Status::InvalidArgument(
        "fault rule '" + FaultRuleToString(rule) + "': effect '" +
        std::string(FaultEffectName(rule.effect)) + "' applies only to " +
        (rule.effect == FaultEffect::kCorrupt ? "read and write" : "write and weof"));
  }
  return Status::Ok();
}

std::string CallName(FaultOp op, std::uint64_t n) {
  return std::string(FaultOpName(op)) + " call " + std::to_string(n);
}

}  // namespace

std::string_view FaultOpName(FaultOp op) {
  return kOpNames[static_cast<std::size_t>(op)];
}
std::string_view FaultEffectName(FaultEffect effect) {
  return kEffectNames[static_cast<std::size_t>(effect)];
}

std::string FaultRuleToString(const FaultRule& rule) {
  return std::string(FaultOpName(rule.op)) + "@" + std::to_string(rule.nth) +
         (rule.and_later ? "+" : "") + "=" + std::string(FaultEffectName(rule.effect));
}

Status ParseFaultRule(std::string_view text, FaultRule& rule) {
  const std::string quoted = "fault rule '" + std::string(text) + "'";
  std::size_t at = text.find('@');
  std::size_t eq = text.find('=');
  if (at == std::string_view::npos || eq == std::string_view::npos || eq < at) {
    return Status::InvalidArgument(quoted + " must look like OP@N=EFFECT or OP@N+=EFFECT");
  }
  std::string_view op = text.substr(0, at);
  std::string_view count = text.substr(at + 1, eq - at - 1);
  std::string_view effect = text.substr(eq + 1);
  FaultRule parsed;
  auto op_it = std::find(kOpNames.begin(), kOpNames.end(), op);
  if (op_it == kOpNames.end()) {
    return Status::InvalidArgument(quoted + ": unknown operation '" + std::string(op) +
                                   "' (known: " + JoinNames(kOpNames) + ")");
  }
  parsed.op = static_cast<FaultOp>(op_it - kOpNames.begin());
  if (!count.empty() && count.back() == '+') {
    parsed.and_later = true;
    count.remove_suffix(1);
  }
  auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), parsed.nth);
  if (count.empty() || ec != std::errc() || end != count.data() + count.size()) {
    return Status::InvalidArgument(quoted + ": call number '" + std::string(count) +
                                   "' is not a whole number");
  }
  auto effect_it = std::find(kEffectNames.begin(), kEffectNames.end(), effect);
  if (effect_it == kEffectNames.end()) {
    return Status::InvalidArgument(quoted + ": unknown effect '" + std::string(effect) +
                                   "' (known: " + JoinNames(kEffectNames) + ")");
  }
  parsed.effect = static_cast<FaultEffect>(effect_it - kEffectNames.begin());
  VTAPE_RETURN_IF_ERROR(ValidateRule(parsed));
  rule = parsed;
  return Status::Ok();
}

Status ParseFaultName(std::string_view rest, std::vector<FaultRule>& rules, std::string& inner) {
  rules.clear();
  std::string_view name = rest;
  if (!rest.empty() && rest.front() == '{') {
    std::size_t close = 0;
    VTAPE_RETURN_IF_ERROR(MatchBrace(rest, 0, close));
    std::string_view group = rest.substr(0, close + 1);
    name = rest.substr(close + 1);
    if (group != "{}") {
      std::vector<std::string> items;
      VTAPE_RETURN_IF_ERROR(SplitBraceList(group, items));
      for (const std::string& item : items) {
        FaultRule rule;
        VTAPE_RETURN_IF_ERROR(ParseFaultRule(item, rule));
        rules.push_back(rule);
      }
    }
  }
  if (name.empty()) {
    return Status::InvalidArgument("fault:" + std::string(rest) +
                                   " names no inner backend: expected fault:{RULES}NAME, "
                                   "e.g. fault:{write@3=eio}mem:");
  }
  inner = name;
  return Status::Ok();
}

// --- FaultTape ------------------------------------------------------------------

FaultTape::FaultTape(std::unique_ptr<Tape> target, std::vector<FaultRule> rules)
    : ForwardingTape(std::move(target)), rules_(std::move(rules)) {}

Status FaultTape::Arm(const FaultRule& rule) {
  VTAPE_RETURN_IF_ERROR(ValidateRule(rule));
  rules_.push_back(rule);
  return Status::Ok();
}

Status FaultTape::Arm(std::string_view rule_text) {
  FaultRule rule;
  VTAPE_RETURN_IF_ERROR(ParseFaultRule(rule_text, rule));
  rules_.push_back(rule);
  return Status::Ok();
}

const FaultRule* FaultTape::Count(FaultOp op) {
  std::uint64_t own = ++calls_[static_cast<std::size_t>(op)];
  std::uint64_t any = ++calls_[static_cast<std::size_t>(FaultOp::kAny)];
  for (const FaultRule& rule : rules_) {
    if (rule.op != op && rule.op != FaultOp::kAny) continue;
    std::uint64_t n = rule.op == FaultOp::kAny ? any : own;
    if (n == rule.nth || (rule.and_later && n > rule.nth)) return &rule;
  }
  return nullptr;
}

Status FaultTape::Crash(FaultOp op) {
  crashed_ = true;
  ++injected_;
  crash_position_ = target().GetPosition();
  crash_point_ = CallName(op, calls(op));
  return Crashed();
}

Status FaultTape::Crashed() const {
  return Status::IoError("fault: the process is modelled as killed at " + crash_point_ +
                         " (crash); nothing reaches the medium any more");
}

Status FaultTape::Fail(FaultEffect effect, FaultOp op) {
  if (effect == FaultEffect::kCrash) return Crash(op);
  ++injected_;
  if (op == FaultOp::kWrite || op == FaultOp::kWeof) ++injected_write_errors_;
  std::string what =
      "fault: injected " + std::string(FaultEffectName(effect)) + " on " + CallName(op, calls(op));
  switch (effect) {
    case FaultEffect::kEnospc:
      return Status::EndOfMedium(what + " (host disk full)");
    case FaultEffect::kMedium:
    case FaultEffect::kCorrupt:
      return Status::MediumError(what);
    default:
      return Status::IoError(what);
  }
}

void FaultTape::ForgetMarksFrom(const Position& pos) {
  auto first = corrupt_objects_.lower_bound({pos.partition, pos.object});
  auto last = corrupt_objects_.lower_bound({pos.partition + 1, 0});
  corrupt_objects_.erase(first, last);
}

Status FaultTape::Read(std::span<std::uint8_t> buffer, ReadResult& result) {
  if (crashed_) return Crashed();
  const FaultRule* rule = Count(FaultOp::kRead);
  bool injected_medium =
      rule && (rule->effect == FaultEffect::kMedium || rule->effect == FaultEffect::kCorrupt);
  if (rule && !injected_medium) return Fail(rule->effect, FaultOp::kRead);
  Position before;
  if (!corrupt_objects_.empty()) before = target().GetPosition();
  VTAPE_RETURN_IF_ERROR(target().Read(buffer, result));
  bool marked = result.kind == ObjectKind::kRecord &&
                corrupt_objects_.count({before.partition, before.object}) > 0;
  if (!injected_medium && !marked) return Status::Ok();
  // Never deliver the bytes of a record reported as unreadable.
  std::size_t copied = std::min<std::uint64_t>(result.length, buffer.size());
  std::fill_n(buffer.begin(), copied, std::uint8_t{0});
  ++injected_;
  ++injected_read_errors_;
  if (marked) {
    return Status::MediumError("fault: record at object " + std::to_string(before.object) +
                               " was written corrupt (corrupt rule) and fails its checksum");
  }
  return Status::MediumError("fault: injected " + std::string(FaultEffectName(rule->effect)) +
                             " on " + CallName(FaultOp::kRead, calls(FaultOp::kRead)));
}

Status FaultTape::Write(std::span<const std::uint8_t> record) {
  const ConstPiece one[1] = {record};
  return WriteTagged(one, 0);
}

Status FaultTape::WriteTagged(RecordPieces pieces, std::uint8_t tag) {
  if (crashed_) return Crashed();
  const FaultRule* rule = Count(FaultOp::kWrite);
  if (!rule || rule->effect == FaultEffect::kCorrupt) {
    Position before = target().GetPosition();
    VTAPE_RETURN_IF_ERROR(target().WriteTagged(pieces, tag));
    ForgetMarksFrom(before);
    if (rule) {
      corrupt_objects_.insert({before.partition, before.object});
      ++injected_;
    }
    return Status::Ok();
  }
  if (rule->effect == FaultEffect::kTear) {
    const std::uint64_t size = TotalBytes(pieces);
    std::size_t kept = size / 2;
    if (kept > 0) {
      std::vector<std::uint8_t> record(size);
      GatherInto(pieces, record.data());
      const ConstPiece first[1] = {std::span(record).first(kept)};
      Position before = target().GetPosition();
      VTAPE_RETURN_IF_ERROR(target().WriteTagged(first, tag));
      ForgetMarksFrom(before);
    }
    ++injected_;
    ++injected_write_errors_;
    return Status::IoError(
        "fault: torn write on " + CallName(FaultOp::kWrite, calls(FaultOp::kWrite)) + ": stored " +
        std::to_string(kept) + " of " + std::to_string(size) + " bytes as a record");
  }
  return Fail(rule->effect, FaultOp::kWrite);
}

Status FaultTape::WriteFilemarks(std::uint64_t count, bool sync) {
  if (crashed_) return Crashed();
  const FaultRule* rule = Count(FaultOp::kWeof);
  if (!rule) {
    Position before = target().GetPosition();
    VTAPE_RETURN_IF_ERROR(target().WriteFilemarks(count, sync));
    if (count > 0) ForgetMarksFrom(before);
    return Status::Ok();
  }
  if (rule->effect == FaultEffect::kTear) {
    std::uint64_t kept = count / 2;
    if (kept > 0) {
      Position before = target().GetPosition();
      VTAPE_RETURN_IF_ERROR(target().WriteFilemarks(kept, sync));
      ForgetMarksFrom(before);
    }
    ++injected_;
    ++injected_write_errors_;
    return Status::IoError("fault: torn filemark write on " +
                           CallName(FaultOp::kWeof, calls(FaultOp::kWeof)) + ": wrote " +
                           std::to_string(kept) + " of " + std::to_string(count) + " filemarks");
  }
  return Fail(rule->effect, FaultOp::kWeof);
}

Status FaultTape::Sync() {
  if (crashed_) return Crashed();
  if (const FaultRule* rule = Count(FaultOp::kSync)) return Fail(rule->effect, FaultOp::kSync);
  return target().Sync();
}

Status FaultTape::Erase() {
  if (crashed_) return Crashed();
  Position before = target().GetPosition();
  VTAPE_RETURN_IF_ERROR(target().Erase());
  ForgetMarksFrom(before);
  return Status::Ok();
}

Status FaultTape::SpaceRecords(std::int64_t count, SpaceResult& result) {
  if (crashed_) return Crashed();
  if (const FaultRule* rule = Count(FaultOp::kSpace)) return Fail(rule->effect, FaultOp::kSpace);
  return target().SpaceRecords(count, result);
}

Status FaultTape::SpaceFilemarks(std::int64_t count, SpaceResult& result) {
  if (crashed_) return Crashed();
  if (const FaultRule* rule = Count(FaultOp::kSpace)) return Fail(rule->effect, FaultOp::kSpace);
  return target().SpaceFilemarks(count, result);
}

Status FaultTape::SpaceToEndOfData() {
  if (crashed_) return Crashed();
  if (const FaultRule* rule = Count(FaultOp::kSpace)) return Fail(rule->effect, FaultOp::kSpace);
  return target().SpaceToEndOfData();
}

Status FaultTape::Locate(std::uint32_t partition, std::uint64_t object, SpaceResult& result) {
  if (crashed_) return Crashed();
  if (const FaultRule* rule = Count(FaultOp::kLocate)) {
    return Fail(rule->effect, FaultOp::kLocate);
  }
  return target().Locate(partition, object, result);
}

Status FaultTape::LocateFile(std::uint32_t partition, std::uint64_t file, SpaceResult& result) {
  if (crashed_) return Crashed();
  if (const FaultRule* rule = Count(FaultOp::kLocate)) {
    return Fail(rule->effect, FaultOp::kLocate);
  }
  return target().LocateFile(partition, file, result);
}

Status FaultTape::Rewind() {
  if (crashed_) return Crashed();
  if (const FaultRule* rule = Count(FaultOp::kLocate)) {
    return Fail(rule->effect, FaultOp::kLocate);
  }
  return target().Rewind();
}

Position FaultTape::GetPosition() const {
  return crashed_ ? crash_position_ : target().GetPosition();
}

Status FaultTape::Load() {
  return crashed_ ? Crashed() : target().Load();
}
Status FaultTape::Unload() {
  return crashed_ ? Crashed() : target().Unload();
}
bool FaultTape::loaded() const {
  return !crashed_ && target().loaded();
}
Status FaultTape::Stat(MediumInfo& info) const {
  return crashed_ ? Crashed() : target().Stat(info);
}
Status FaultTape::SetWriteProtect(bool on) {
  return crashed_ ? Crashed() : target().SetWriteProtect(on);
}
Status FaultTape::SetEarlyWarning(std::uint64_t bytes_before_end) {
  return crashed_ ? Crashed() : target().SetEarlyWarning(bytes_before_end);
}
Status FaultTape::FormatPartitions(std::span<const std::uint64_t> sizes) {
  if (crashed_) return Crashed();
  VTAPE_RETURN_IF_ERROR(ForwardingTape::FormatPartitions(sizes));
  corrupt_objects_.clear();
  return Status::Ok();
}
Status FaultTape::GetPartitionInfo(std::uint32_t partition, PartitionInfo& info) const {
  return crashed_ ? Crashed() : ForwardingTape::GetPartitionInfo(partition, info);
}
Status FaultTape::ReadAttribute(std::uint32_t partition, std::uint16_t id,
                                std::vector<std::uint8_t>& value) const {
  return crashed_ ? Crashed() : ForwardingTape::ReadAttribute(partition, id, value);
}
Status FaultTape::WriteAttribute(std::uint32_t partition, std::uint16_t id,
                                 std::span<const std::uint8_t> value) {
  return crashed_ ? Crashed() : ForwardingTape::WriteAttribute(partition, id, value);
}
Status FaultTape::ListAttributes(std::uint32_t partition, std::vector<std::uint16_t>& ids) const {
  return crashed_ ? Crashed() : ForwardingTape::ListAttributes(partition, ids);
}

Statistics FaultTape::statistics() const {
  Statistics stats = target().statistics();
  stats.write_errors += injected_write_errors_;
  stats.read_errors_uncorrected += injected_read_errors_;
  return stats;
}

Health FaultTape::health() const {
  if (crashed_) return {true, "fault: crashed at " + crash_point_, {}};
  return target().health();
}

Status FaultTape::Close() {
  if (crashed_) return Crashed();
  return target().Close();
}

// --- Backend --------------------------------------------------------------------

namespace {

class FaultBackend final : public Backend {
 public:
  std::string_view prefix() const override { return "fault"; }
  Status Open(std::string_view rest, const OpenOptions& options,
              std::unique_ptr<Tape>& tape) override {
    std::vector<FaultRule> rules;
    std::string inner_name;
    VTAPE_RETURN_IF_ERROR(ParseFaultName(rest, rules, inner_name));
    std::unique_ptr<Tape> inner;
    VTAPE_RETURN_IF_ERROR(OpenTape(inner_name, options, inner));
    tape = std::make_unique<FaultTape>(std::move(inner), std::move(rules));
    return Status::Ok();
  }
  Status Create(std::string_view rest, const CreateOptions& options) override {
    std::vector<FaultRule> rules;
    std::string inner_name;
    VTAPE_RETURN_IF_ERROR(ParseFaultName(rest, rules, inner_name));
    return CreateTape(inner_name, options);
  }
  Status Access(std::string_view rest, bool for_write) override {
    std::vector<FaultRule> rules;
    std::string inner_name;
    VTAPE_RETURN_IF_ERROR(ParseFaultName(rest, rules, inner_name));
    return AccessTape(inner_name, for_write);
  }
};

}  // namespace

std::unique_ptr<Backend> MakeFaultBackend() {
  return std::make_unique<FaultBackend>();
}

}  // namespace vtape
