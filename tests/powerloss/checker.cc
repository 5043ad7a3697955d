#include "tests/powerloss/checker.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <memory>

#include "vtape/registry.h"
#include "vtape/tape.h"

namespace vtape::powerloss {
namespace {

// The acks file's "ack K state I" lines must agree with the model.
bool CheckAckLog(const std::string& path, const Workload& w, std::size_t& acks_logged,
                 std::string& error) {
  std::ifstream in(path);
  if (!in) return error = "cannot read " + path, false;
  std::string word1, word2;
  std::size_t k = 0, state = 0;
  acks_logged = 0;
  while (in >> word1 >> k >> word2 >> state) {
    if (word1 != "ack" || word2 != "state" || k != acks_logged || k >= w.ack_states().size() ||
        w.ack_states()[k] != state) {
      return error = path + ": line " + std::to_string(acks_logged + 1) +
                     " does not match the workload (other seed or op count?)",
             false;
    }
    ++acks_logged;
  }
  return true;
}

// Reads the whole tape from BOP; false with `error` on any read failure.
bool ReadAll(Tape& tape, std::vector<ReadBack>& out, std::string& error) {
  out.clear();
  if (Status s = tape.Rewind(); !s.ok()) return error = "rewind: " + s.ToString(), false;
  std::vector<std::uint8_t> buffer(kMaxRecordBytes);
  for (;;) {
    ReadResult r;
    Status s = tape.Read(buffer, r);
    if (!s.ok()) {
      return error = "read of object " + std::to_string(out.size()) + ": " + s.ToString(), false;
    }
    if (r.kind == ObjectKind::kEndOfData) return true;
    if (r.kind == ObjectKind::kFilemark) {
      out.push_back({true, {}});
    } else {
      out.push_back({false, {buffer.begin(), buffer.begin() + static_cast<long>(r.length)}});
    }
  }
}

}  // namespace

Outcome CheckImage(const std::string& image, const std::string& acks, const Workload& w,
                   std::optional<std::size_t> ack) {
  std::string error;
  std::size_t logged = 0;
  if (!CheckAckLog(acks, w, logged, error)) return {false, false, error};
  if (ack && *ack >= logged) {
    return {false, false,
            "mark ack-" + std::to_string(*ack) + " in the log but only " + std::to_string(logged) +
                " acks in " + acks};
  }
  std::string name = "file:" + image;
  struct stat st;
  if (::stat(image.c_str(), &st) != 0 && !ack) {
    return {true, false, "no image yet (its creation was not acknowledged)"};
  }
  std::string after = ack ? "after ack " + std::to_string(*ack) : "before the first ack";
  std::unique_ptr<Tape> tape;
  if (Status s = OpenTape(name, {}, tape); !s.ok()) {
    // Not acknowledged: a half-created image may stay unopenable (issue 8, item 12).
    if (!ack) return {true, false, "unacknowledged image does not open (" + s.ToString() + ")"};
    return {false, false, after + " the image does not open: " + s.ToString()};
  }
  std::vector<ReadBack> first, second;
  if (!ReadAll(*tape, first, error)) return {false, false, after + ", recovered image: " + error};
  Verdict v = Judge(w, ack.value_or(0), first);
  if (!v.ok) return {false, false, v.reason};
  std::vector<std::uint8_t> value;
  Status s = tape->attributes()->ReadAttribute(0, kAttributeId, value);
  if (!s.ok() && s.code() != Code::kNotFound) {
    return {false, false, after + ", reading the attribute: " + s.ToString()};
  }
  v = JudgeAttribute(w, ack.value_or(0), std::string(value.begin(), value.end()));
  if (!v.ok) return {false, false, v.reason};
  if (Status s = tape->Close(); !s.ok()) {
    return {false, false, after + ", close after recovery: " + s.ToString()};
  }
  tape.reset();
  if (Status s = OpenTape(name, OpenOptions{true}, tape); !s.ok()) {
    return {false, false, after + ", read-only reopen after recovery: " + s.ToString()};
  }
  if (!ReadAll(*tape, second, error)) {
    return {false, false, after + ", read-only reopen after recovery: " + error};
  }
  auto same = [](const ReadBack& x, const ReadBack& y) {
    return x.filemark == y.filemark && x.bytes == y.bytes;
  };
  if (second.size() != first.size() ||
      !std::equal(first.begin(), first.end(), second.begin(), same)) {
    return {false, false,
            after + ": reopening the recovered image gives " + std::to_string(second.size()) +
                " objects instead of " + std::to_string(first.size())};
  }
  std::size_t acked = w.states()[w.ack_states()[ack.value_or(0)]].size();
  return {true, true,
          std::to_string(first.size()) + " objects recovered (" + std::to_string(acked) +
              " acknowledged)"};
}

bool ParseAck(const std::string& text, std::optional<std::size_t>& ack) {
  if (text == "none") return ack.reset(), true;
  char* end = nullptr;
  ack = std::strtoull(text.c_str(), &end, 10);
  return !text.empty() && *end == '\0';
}

}  // namespace vtape::powerloss
