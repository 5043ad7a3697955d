// The power-loss trials' workload: a deterministic sequence of tape operations
// (from a seed) and, for every point in it, what the tape holds. The writer
// performs it on a file: medium; the checker regenerates it to judge what a
// crash state recovered.
//
// Every record is self-describing: its bytes follow from (seed, op, object,
// length), and its first 32 bytes say so ("PLREC", seed, op, length, object),
// so a wrong record is recognised exactly and named in a failure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vtape::powerloss {

enum class OpKind : std::uint8_t {
  kFileSyncFilemark,   // records, then WriteFilemarks(1, sync=true): acknowledged
  kFileAsyncFilemark,  // records, then WriteFilemarks(1, sync=false)
  kRecordsSync,        // records, then Sync(): acknowledged
  kRecordsUnsynced,    // records only (some stay in the process buffer)
  kOverwriteSync,      // Locate(to), records, WriteFilemarks(1, sync=true): acknowledged
  kOverwriteUnsynced,  // Locate(to), records
  kUnload,             // Unload (acknowledged), then Load + SpaceToEndOfData
  kCloseReopen,        // Close (acknowledged), then open again + SpaceToEndOfData
  kAttribute,          // WriteAttribute(kAttributeId, value): a durable point, acknowledged
  kErase,              // Locate(to), Erase
};

// The MAM attribute the workload rewrites (a vendor-specific id: no meaning
// to anything else reading the medium).
inline constexpr std::uint16_t kAttributeId = 0x1623;

const char* OpKindName(OpKind kind);

struct Op {
  OpKind kind = OpKind::kFileSyncFilemark;
  std::uint64_t locate_to = 0;         // overwrites, erase: where the tape is cut
  std::vector<std::uint32_t> records;  // lengths of the records written
  std::string attribute;               // kAttribute: the value written
  bool acknowledged() const;           // ends in a durable point the writer acknowledges
  bool truncates() const {
    return kind == OpKind::kOverwriteSync || kind == OpKind::kOverwriteUnsynced ||
           kind == OpKind::kErase;
  }
};

// One logical object of the tape as the model knows it.
struct Object {
  bool filemark = false;
  std::uint32_t op = 0;  // the op that wrote it
  std::uint32_t length = 0;
  bool operator==(const Object&) const = default;
};
using Content = std::vector<Object>;

class Workload {
 public:
  // `ops` operations; the writer closes the medium after the last (one more ack).
  Workload(std::uint64_t seed, std::uint32_t ops);

  std::uint64_t seed() const { return seed_; }
  const std::vector<Op>& ops() const { return ops_; }
  // states()[i]: the tape after ops [0, i); states()[0] is the new, empty medium.
  const std::vector<Content>& states() const { return states_; }
  // attributes()[i]: the value of kAttributeId after ops [0, i) ("" = none).
  const std::vector<std::string>& attributes() const { return attributes_; }
  // ack_states()[k]: the state index whose content acknowledgement k made durable.
  // Ack 0 is the created and opened medium; the last is the final Close.
  const std::vector<std::size_t>& ack_states() const { return ack_states_; }

 private:
  std::uint64_t seed_;
  std::vector<Op> ops_;
  std::vector<Content> states_;
  std::vector<std::string> attributes_;
  std::vector<std::size_t> ack_states_;
};

// The bytes of record `object` written by op `op` with `length` bytes.
std::vector<std::uint8_t> RecordBytes(std::uint64_t seed, std::uint32_t op, std::uint64_t object,
                                      std::uint32_t length);

// Describes a record read back ("op 12 object 40 length 5000", or "not a
// workload record") for failure messages.
std::string DescribeRecord(const std::vector<std::uint8_t>& bytes, std::uint64_t length);

// One object read back from a recovered tape.
struct ReadBack {
  bool filemark = false;
  std::vector<std::uint8_t> bytes;  // a record's bytes
};

// Whether a recovered tape is a state a power cut may leave once
// acknowledgement `ack` had returned and the next one (if any) had not:
//  * every object of the acknowledged state is there, exactly, except those
//    the writer itself discarded afterwards (an overwrite before the next ack);
//  * the whole tape is a prefix of what the writer had written at some moment
//    between the two acknowledgements: records after the durable point may be
//    missing, but never wrong, never out of order, never from another moment.
struct Verdict {
  bool ok = false;
  std::string reason;  // why not, naming the first bad object
};
Verdict Judge(const Workload& w, std::size_t ack, const std::vector<ReadBack>& recovered);
// The same for the attribute: the value it had at ack `ack` or took before the
// next ack ("" = absent).
Verdict JudgeAttribute(const Workload& w, std::size_t ack, const std::string& value);

}  // namespace vtape::powerloss
