// The verdict of a crash trial: is what the tape holds after a crash consistent
// with what the writer was told was written? Pure logic (no tape I/O), fed the
// objects read back one by one, so tests/crash/stretch_check_test.cc can prove
// it catches each kind of loss.
//
// The rules (tests/crash/README.md):
//  - every record is a correct record of the trials (whole header, checksums,
//    every byte as generated) and comes in order: record r+1 of a file right after
//    record r, a file's record 0 right after a filemark (the next file of the same
//    trial) or at the end of a torn file or a closed one (file 0 of a later trial);
//  - every file closed by a filemark holds all the records its writer put in it;
//    no empty files (two filemarks in a row);
//  - every acknowledged file (its synchronous filemark returned) is on the tape,
//    complete, closed, in order; a file that follows it is only there if the
//    writer got that far;
//  - what the previous check found after its last filemark (a torn file) is
//    still there, unchanged: appending after a restart must not lose it; and
//    beyond the end of data it found there is only data of the trial being
//    checked (a record of an earlier trial there is stale data come back).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tests/crash/crash_record.h"

namespace vtape::crash {

struct Ack {  // one line of the writer's acknowledgement log
  std::uint32_t trial = 0;
  std::uint32_t file = 0;
  std::uint32_t records = 0;
};

struct FileRef {
  std::uint32_t trial = 0;
  std::uint32_t file = 0;
  bool operator==(const FileRef&) const = default;
};

// Where a check starts: what an earlier check left behind.
struct StretchStart {
  std::uint64_t object = 0;            // logical object just after the last filemark seen (0 = BOT)
  std::optional<FileRef> last_closed;  // the file that filemark closed
  std::vector<RecordId> tail;          // the records after it (a torn file), in order
  // Set when a check found end of data right after `tail`: whatever lies beyond
  // was written since, by the trial being checked, never by an earlier one.
  bool end_known = false;
};

std::string FormatStart(const StretchStart& start);
bool ParseStart(const std::string& text, StretchStart& start, std::string& why);

class StretchChecker {
 public:
  // Records of trials up to `max_trial` may appear; the acknowledgements of
  // trials >= `acks_from_trial` are checked (earlier ones lie before `start`).
  StretchChecker(std::uint64_t seed, std::uint32_t max_trial, std::vector<Ack> acks,
                 std::uint32_t acks_from_trial, StretchStart start);

  // `id` (and so, by the order rules, everything before it) must be read in this
  // stretch: a record the drive accepted before a clean stop.
  void RequireRecord(const RecordId& id) { required_ = id; }

  void Record(std::span<const std::uint8_t> data);
  void Filemark();
  void ReadError(const std::string& what);  // the tape could not be read here
  void EndOfData();                         // runs the acknowledgement checks

  bool ok() const { return errors_.empty(); }
  const std::vector<std::string>& errors() const { return errors_; }
  std::string Summary() const;
  StretchStart Next() const;  // where the next check starts

 private:
  void Fail(const std::string& why);
  bool LegalNext(const RecordId& id) const;
  void Accept(const RecordId& id);
  std::string Where() const;

  struct SeenFile {
    FileRef ref;
    std::uint32_t records = 0;
    bool closed = false;
  };

  std::uint64_t seed_;
  std::uint32_t max_trial_;
  std::vector<Ack> acks_;
  std::uint32_t acks_from_trial_;
  StretchStart start_;

  std::uint64_t objects_ = 0;  // objects read in this stretch
  std::uint64_t filemarks_ = 0;
  std::optional<RecordId> open_;  // last record of a file not closed yet
  std::optional<FileRef> last_closed_;
  std::vector<SeenFile> files_;            // in tape order
  std::uint64_t after_last_filemark_ = 0;  // objects_ when the last filemark was read
  std::vector<RecordId> since_filemark_;
  bool ended_ = false;
  std::optional<RecordId> required_;
  bool required_seen_ = false;
  std::vector<std::string> errors_;
  std::vector<std::uint8_t> expected_;
};

}  // namespace vtape::crash
