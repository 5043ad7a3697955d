#include "tests/powerloss/workload.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <random>
#include <tuple>

#include "vtape/little_endian.h"

namespace vtape::powerloss {
namespace {

constexpr char kRecordMagic[8] = {'P', 'L', 'R', 'E', 'C', 0, 'v', '1'};
constexpr std::size_t kRecordHeader = 32;

std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Record sizes around the file: backend's 64 KiB buffering threshold: small
// ones wait in the process buffer, large ones go straight to pwritev.
std::uint32_t RecordLength(std::mt19937_64& rng) {
  std::uint32_t pick = rng() % 100;
  if (pick < 10) return 1 + rng() % 40;             // tiny, header cut short
  if (pick < 60) return 41 + rng() % 8000;          // small: buffered
  if (pick < 85) return 8192 + rng() % (56 << 10);  // up to 64 KiB: buffered
  return (64u << 10) + rng() % (256u << 10);        // large: written directly
}

}  // namespace

const char* OpKindName(OpKind kind) {
  switch (kind) {
    case OpKind::kFileSyncFilemark:
      return "records+filemark(sync)";
    case OpKind::kFileAsyncFilemark:
      return "records+filemark(no sync)";
    case OpKind::kRecordsSync:
      return "records+Sync";
    case OpKind::kRecordsUnsynced:
      return "records(unsynced)";
    case OpKind::kOverwriteSync:
      return "Locate+records+filemark(sync)";
    case OpKind::kOverwriteUnsynced:
      return "Locate+records(unsynced)";
    case OpKind::kUnload:
      return "Unload+Load";
    case OpKind::kCloseReopen:
      return "Close+Open";
    case OpKind::kAttribute:
      return "WriteAttribute";
    case OpKind::kErase:
      return "Locate+Erase";
  }
  return "?";
}

bool Op::acknowledged() const {
  switch (kind) {
    case OpKind::kFileSyncFilemark:
    case OpKind::kRecordsSync:
    case OpKind::kOverwriteSync:
    case OpKind::kUnload:
    case OpKind::kCloseReopen:
    case OpKind::kAttribute:
      return true;
    default:
      return false;
  }
}

Workload::Workload(std::uint64_t seed, std::uint32_t ops) : seed_(seed) {
  std::mt19937_64 rng(seed);
  states_.emplace_back();
  attributes_.emplace_back();
  ack_states_.push_back(0);
  for (std::uint32_t i = 0; i < ops; ++i) {
    Op op;
    std::uint32_t pick = rng() % 100;
    // One table: the kinds and their weights in percent.
    static constexpr std::pair<OpKind, std::uint32_t> kMix[] = {
        {OpKind::kFileSyncFilemark, 40},
        {OpKind::kFileAsyncFilemark, 8},
        {OpKind::kRecordsSync, 7},
        {OpKind::kRecordsUnsynced, 9},
        {OpKind::kOverwriteSync, 11},
        {OpKind::kOverwriteUnsynced, 7},
        {OpKind::kUnload, 5},
        {OpKind::kCloseReopen, 5},
        {OpKind::kAttribute, 4},
        {OpKind::kErase, 4},
    };
    for (const auto& [kind, weight] : kMix) {
      op.kind = kind;
      if (pick < weight) break;
      pick -= weight;
    }

    Content content = states_.back();
    if (op.truncates()) {
      std::uint64_t n = content.size();
      // Half near the end (the unsynced tail, the last file), half anywhere.
      op.locate_to = (rng() % 2) ? n - std::min<std::uint64_t>(n, rng() % 7) : rng() % (n + 1);
      content.resize(op.locate_to);
    }
    std::string attribute = attributes_.back();
    if (op.kind == OpKind::kAttribute) {
      op.attribute = "seed " + std::to_string(seed) + " op " + std::to_string(i) +
                     std::string(rng() % 200, '.');
      attribute = op.attribute;
    }
    bool writes = op.kind != OpKind::kUnload && op.kind != OpKind::kCloseReopen &&
                  op.kind != OpKind::kAttribute && op.kind != OpKind::kErase;
    if (writes) {
      std::uint32_t count = 1 + rng() % 5;
      for (std::uint32_t r = 0; r < count; ++r) {
        op.records.push_back(RecordLength(rng));
        content.push_back({false, i, op.records.back()});
      }
    }
    if (op.kind == OpKind::kFileSyncFilemark || op.kind == OpKind::kFileAsyncFilemark ||
        op.kind == OpKind::kOverwriteSync) {
      content.push_back({true, i, 0});
    }
    ops_.push_back(std::move(op));
    states_.push_back(std::move(content));
    attributes_.push_back(std::move(attribute));
    if (ops_.back().acknowledged()) ack_states_.push_back(states_.size() - 1);
  }
  ack_states_.push_back(states_.size() - 1);  // the final Close
}

std::vector<std::uint8_t> RecordBytes(std::uint64_t seed, std::uint32_t op, std::uint64_t object,
                                      std::uint32_t length) {
  std::vector<std::uint8_t> header(kRecordHeader);
  std::memcpy(header.data(), kRecordMagic, 8);
  Put64(header.data() + 8, seed);
  Put32(header.data() + 16, op);
  Put32(header.data() + 20, length);
  Put64(header.data() + 24, object);
  std::vector<std::uint8_t> bytes(length);
  std::copy_n(header.begin(), std::min<std::size_t>(length, kRecordHeader), bytes.begin());
  std::uint64_t state = seed ^ (std::uint64_t{op} << 40) ^ (object * 0x100000001B3ull) ^ length;
  for (std::size_t i = kRecordHeader; i < length; i += 8) {
    std::uint64_t v = SplitMix64(state);
    std::size_t n = std::min<std::size_t>(8, length - i);
    std::memcpy(bytes.data() + i, &v, n);
  }
  return bytes;
}

std::string DescribeRecord(const std::vector<std::uint8_t>& bytes, std::uint64_t length) {
  std::string size = std::to_string(length) + " bytes";
  if (bytes.size() < kRecordHeader || std::memcmp(bytes.data(), kRecordMagic, 8) != 0) {
    return "a record of " + size + " without a workload header";
  }
  return "a record of " + size + " claiming op " + std::to_string(Get32(bytes.data() + 16)) +
         " object " + std::to_string(Get64(bytes.data() + 24)) + " length " +
         std::to_string(Get32(bytes.data() + 20)) + " seed " +
         std::to_string(Get64(bytes.data() + 8));
}

namespace {

std::string DescribeExpected(const Object& o, std::uint64_t index) {
  if (o.filemark) return "filemark (op " + std::to_string(o.op) + ")";
  return "record op " + std::to_string(o.op) + " object " + std::to_string(index) + " length " +
         std::to_string(o.length);
}

std::string DescribeRead(const ReadBack& r) {
  return r.filemark ? "a filemark" : DescribeRecord(r.bytes, r.bytes.size());
}

// Whether recovered objects equal the model's, remembering each comparison:
// the candidate states of a window share most of their records.
class Matcher {
 public:
  Matcher(const Workload& w, const std::vector<ReadBack>& recovered)
      : w_(w), recovered_(recovered) {}

  bool Matches(const Object& expected, std::size_t index) {
    const ReadBack& got = recovered_[index];
    if (expected.filemark || got.filemark) return expected.filemark == got.filemark;
    auto key = std::make_tuple(index, expected.op, expected.length);
    auto it = seen_.find(key);
    if (it == seen_.end()) {
      bool same = got.bytes == RecordBytes(w_.seed(), expected.op, index, expected.length);
      it = seen_.emplace(key, same).first;
    }
    return it->second;
  }

  // How many leading recovered objects match `state`.
  std::size_t MatchingPrefix(const Content& state) {
    std::size_t n = 0;
    while (n < recovered_.size() && n < state.size() && Matches(state[n], n)) ++n;
    return n;
  }

 private:
  const Workload& w_;
  const std::vector<ReadBack>& recovered_;
  std::map<std::tuple<std::size_t, std::uint32_t, std::uint32_t>, bool> seen_;
};

}  // namespace

Verdict Judge(const Workload& w, std::size_t ack, const std::vector<ReadBack>& recovered) {
  const auto& acks = w.ack_states();
  std::size_t lo = acks.at(ack);
  std::size_t hi = ack + 1 < acks.size() ? acks[ack + 1] : w.states().size() - 1;
  const Content& acked = w.states()[lo];
  std::size_t protect = acked.size();  // objects the writer had not itself discarded since
  for (std::size_t i = lo; i < hi; ++i) {
    if (w.ops()[i].truncates()) protect = std::min<std::size_t>(protect, w.ops()[i].locate_to);
  }
  std::string at_ack = " (ack " + std::to_string(ack) + ", after op " + std::to_string(lo) + ")";
  Matcher matcher(w, recovered);
  std::size_t same = matcher.MatchingPrefix(acked);
  if (same < protect) {
    std::string got = same < recovered.size() ? DescribeRead(recovered[same]) : "end of data";
    return {false, "acknowledged object " + std::to_string(same) + " of " +
                       std::to_string(protect) + at_ack + ": expected " +
                       DescribeExpected(acked[same], same) + ", got " + got};
  }
  std::size_t best = 0, best_state = lo;
  for (std::size_t t = lo; t <= hi; ++t) {
    const Content& state = w.states()[t];
    std::size_t n = matcher.MatchingPrefix(state);
    if (n == recovered.size()) return {true, ""};
    if (n >= best) best = n, best_state = t;
  }
  const Content& state = w.states()[best_state];
  std::string expected = best < state.size() ? DescribeExpected(state[best], best) : "end of data";
  return {false, "object " + std::to_string(best) + " (after " + std::to_string(protect) +
                     " protected ones)" + at_ack +
                     " belongs to no state the writer passed through "
                     "before the next ack: got " +
                     DescribeRead(recovered[best]) + ", closest state (after op " +
                     std::to_string(best_state) + ") has " + expected};
}

Verdict JudgeAttribute(const Workload& w, std::size_t ack, const std::string& value) {
  const auto& acks = w.ack_states();
  std::size_t lo = acks.at(ack);
  std::size_t hi = ack + 1 < acks.size() ? acks[ack + 1] : w.states().size() - 1;
  for (std::size_t t = lo; t <= hi; ++t) {
    if (w.attributes()[t] == value) return {true, ""};
  }
  return {false, "attribute " + std::to_string(kAttributeId) + " is '" + value + "' after ack " +
                     std::to_string(ack) + "; acknowledged: '" + w.attributes()[lo] + "'"};
}

}  // namespace vtape::powerloss
