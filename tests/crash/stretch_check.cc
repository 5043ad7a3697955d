#include "tests/crash/stretch_check.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <sstream>

namespace vtape::crash {

std::string FormatStart(const StretchStart& start) {
  std::ostringstream out;
  out << "object " << start.object << "\n";
  if (start.last_closed) {
    out << "last_closed " << start.last_closed->trial << " " << start.last_closed->file << "\n";
  }
  for (const RecordId& id : start.tail) {
    out << "tail " << id.trial << " " << id.file << " " << id.record << "\n";
  }
  if (start.end_known) out << "end_known\n";
  return out.str();
}

bool ParseStart(const std::string& text, StretchStart& start, std::string& why) {
  start = {};
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string key;
    fields >> key;
    if (key == "object") {
      fields >> start.object;
    } else if (key == "last_closed") {
      FileRef ref;
      fields >> ref.trial >> ref.file;
      start.last_closed = ref;
    } else if (key == "end_known") {
      start.end_known = true;
    } else if (key == "tail") {
      RecordId id;
      fields >> id.trial >> id.file >> id.record;
      start.tail.push_back(id);
    } else {
      why = "unknown line '" + line + "'";
      return false;
    }
    if (fields.fail()) {
      why = "malformed line '" + line + "'";
      return false;
    }
  }
  return true;
}

StretchChecker::StretchChecker(std::uint64_t seed, std::uint32_t max_trial, std::vector<Ack> acks,
                               std::uint32_t acks_from_trial, StretchStart start)
    : seed_(seed),
      max_trial_(max_trial),
      acks_(std::move(acks)),
      acks_from_trial_(acks_from_trial),
      start_(std::move(start)),
      last_closed_(start_.last_closed) {}

std::string StretchChecker::Where() const {
  return "object " + std::to_string(start_.object + objects_);
}

void StretchChecker::Fail(const std::string& why) {
  constexpr std::size_t kMaxErrors = 20;  // the first ones tell the story
  if (errors_.size() < kMaxErrors) errors_.push_back(why);
}

bool StretchChecker::LegalNext(const RecordId& id) const {
  if (id.trial == 0 || id.trial > max_trial_) return false;
  if (open_ && id == RecordId{open_->trial, open_->file, open_->record + 1}) return true;
  if (id.record != 0) return false;
  // A file starts: the next file of the same trial right after a filemark, or
  // file 0 of a later trial after anything (a torn file, a closed one, BOT).
  std::optional<FileRef> before;
  if (open_) {
    before = FileRef{open_->trial, open_->file};
  } else {
    before = last_closed_;
  }
  if (!before) return id.file == 0;
  if (!open_ && id.trial == before->trial && id.file == before->file + 1) return true;
  return id.trial > before->trial && id.file == 0;
}

void StretchChecker::Accept(const RecordId& id) {
  const std::uint64_t index = objects_ - 1;  // this record's index in the stretch
  if (filemarks_ == 0 && index < start_.tail.size() && !(start_.tail[index] == id)) {
    Fail(Where() + ": the torn file found by the last check is gone: expected " +
         ToString(start_.tail[index]) + ", found " + ToString(id));
  }
  if (required_ && id == *required_) required_seen_ = true;
  if (id.record == 0) files_.push_back({{id.trial, id.file}, 0, false});
  files_.back().records++;
  open_ = id;
  since_filemark_.push_back(id);
}

void StretchChecker::Record(std::span<const std::uint8_t> data) {
  objects_++;
  if (ended_) return Fail("a record after the end of data");
  RecordId id;
  std::string why;
  if (data.size() >= kHeaderBytes) {
    if (!ParseHeader(data.data(), data.size(), id, why)) {
      return Fail(Where() + ": not a correct record (" + std::to_string(data.size()) +
                  " bytes): " + why);
    }
  } else if (open_) {
    id = {open_->trial, open_->file, open_->record + 1};  // short records never start a file
  } else {
    return Fail(Where() + ": a " + std::to_string(data.size()) +
                "-byte record where a file must begin (after a filemark or at the start)");
  }
  if (start_.end_known && id.trial < max_trial_ &&
      (filemarks_ > 0 || objects_ - 1 >= start_.tail.size())) {
    return Fail(Where() + ": " + ToString(id) + " lies beyond the end of data the last check " +
                "found (object " + std::to_string(start_.object + start_.tail.size()) +
                "), where only trial " + std::to_string(max_trial_) +
                " wrote since: stale data came back");
  }
  if (!LegalNext(id)) {
    std::string after = open_ ? ToString(*open_)
                        : last_closed_
                            ? "the filemark closing trial " + std::to_string(last_closed_->trial) +
                                  " file " + std::to_string(last_closed_->file)
                            : "the beginning";
    return Fail(Where() + ": " + ToString(id) + " out of order (after " + after +
                "): a gap, a repeat or a record from another place");
  }
  MakeRecord(seed_, id, expected_);
  if (expected_.size() != data.size() ||
      std::memcmp(expected_.data(), data.data(), data.size()) != 0) {
    return Fail(Where() + ": " + ToString(id) + ": " + std::to_string(data.size()) +
                " bytes read, the content differs from what was written (" +
                std::to_string(expected_.size()) + " bytes)");
  }
  Accept(id);
}

void StretchChecker::Filemark() {
  objects_++;
  if (ended_) return Fail("a filemark after the end of data");
  if (filemarks_ == 0 && objects_ - 1 < start_.tail.size()) {
    Fail(Where() + ": a filemark inside the torn file found by the last check");
  }
  filemarks_++;
  if (!open_) {
    return Fail(Where() + ": a filemark right after " +
                (last_closed_ ? std::string("another filemark (an empty file)") : "the start"));
  }
  const std::uint32_t written = RecordsInFile(seed_, open_->trial, open_->file);
  if (open_->record + 1 != written) {
    Fail(Where() + ": trial " + std::to_string(open_->trial) + " file " +
         std::to_string(open_->file) + " closed after " + std::to_string(open_->record + 1) +
         " records, but its writer puts " + std::to_string(written) + " in it");
  }
  files_.back().closed = true;
  last_closed_ = FileRef{open_->trial, open_->file};
  open_.reset();
  after_last_filemark_ = objects_;
  since_filemark_.clear();
}

void StretchChecker::ReadError(const std::string& what) {
  Fail(Where() + ": read failed: " + what);
}

void StretchChecker::EndOfData() {
  if (ended_) return;
  ended_ = true;
  if (filemarks_ == 0 && objects_ < start_.tail.size()) {
    Fail("end of data at " + Where() + ": the torn file found by the last check had " +
         std::to_string(start_.tail.size()) + " records, " + std::to_string(objects_) +
         " are left");
  }
  if (required_ && !required_seen_) {
    Fail("LOST: " + ToString(*required_) +
         " was accepted by the drive (WRITE returned GOOD) before a clean stop, but is not on the "
         "tape");
  }
  // Per trial: the acknowledged files, in log order, and the files on the tape.
  std::map<std::uint32_t, std::vector<Ack>> acked;
  for (const Ack& a : acks_) {
    if (a.trial >= acks_from_trial_) acked[a.trial].push_back(a);
  }
  std::map<std::uint32_t, std::vector<const SeenFile*>> seen;
  for (const SeenFile& f : files_) seen[f.ref.trial].push_back(&f);

  for (const auto& [trial, list] : acked) {
    const std::vector<const SeenFile*>& on_tape = seen[trial];
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Ack& a = list[i];
      const std::string name = "trial " + std::to_string(trial) + " file " + std::to_string(a.file);
      if (a.file != i) {
        Fail("acknowledgement log: " + name + " acknowledged as the " + std::to_string(i + 1) +
             ". file of its trial");
        break;
      }
      if (a.records != RecordsInFile(seed_, trial, a.file)) {
        Fail("acknowledgement log: " + name + " with " + std::to_string(a.records) +
             " records, the generator says " + std::to_string(RecordsInFile(seed_, trial, a.file)));
      }
      if (i >= on_tape.size()) {
        Fail("LOST: " + name + " (" + std::to_string(a.records) +
             " records) was acknowledged (its WRITE FILEMARKS returned) but is not on the tape");
        continue;
      }
      const SeenFile& f = *on_tape[i];
      if (!f.closed || f.records != a.records) {
        Fail("LOST: acknowledged " + name + " has " + std::to_string(f.records) + " of " +
             std::to_string(a.records) + " records" + (f.closed ? "" : " and no filemark"));
      }
    }
  }
  // A file of a checked trial that another file follows must have been acknowledged:
  // the writer starts file f+1 only after the filemark of file f returned.
  for (const auto& [trial, on_tape] : seen) {
    if (trial < acks_from_trial_) continue;
    const std::size_t n_acked = acked.count(trial) ? acked[trial].size() : 0;
    if (on_tape.size() > n_acked + 1) {
      Fail("trial " + std::to_string(trial) + ": " + std::to_string(on_tape.size()) +
           " files on the tape but only " + std::to_string(n_acked) +
           " acknowledged: the writer cannot have started the later ones");
    }
  }
}

std::string StretchChecker::Summary() const {
  std::uint64_t records = objects_ - filemarks_;
  std::size_t n_acked = 0;
  for (const Ack& a : acks_) n_acked += a.trial >= acks_from_trial_;
  std::ostringstream out;
  out << "objects " << start_.object << ".." << start_.object + objects_ << ": " << records
      << " records, " << filemarks_ << " filemarks; " << n_acked << " acknowledged files checked";
  if (!since_filemark_.empty()) {
    const RecordId& first = since_filemark_.front();
    out << "; torn file at the end: trial " << first.trial << " file " << first.file << ", "
        << since_filemark_.size() << " records";
  }
  return out.str();
}

StretchStart StretchChecker::Next() const {
  StretchStart next;
  next.end_known = true;
  if (filemarks_ == 0) {
    next = start_;
    next.tail = since_filemark_;
    next.end_known = true;
    return next;
  }
  next.object = start_.object + after_last_filemark_;
  next.last_closed = last_closed_;
  next.tail = since_filemark_;
  return next;
}

}  // namespace vtape::crash
