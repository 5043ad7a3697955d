// A small RAII client over libiscsi for the conformance suite: log in (CHAP),
// send raw CDBs, get back status, raw sense, data and residual. libiscsi has no
// tape helpers, so every SSC command is a CDB the tests build themselves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

struct iscsi_context;
struct scsi_task;

namespace vtape::iscsi_test {

// Where the target is and who we are (from environment variables, see main.cc).
struct Target {
  std::string portal;     // host:port
  std::string iqn;        // target name
  std::string initiator;  // our initiator IQN
  std::string chap_user;
  std::string chap_secret;
  int lun = 0;
};

inline constexpr int kStatusGood = 0x00;
inline constexpr int kStatusCheckCondition = 0x02;
inline constexpr int kStatusReservationConflict = 0x18;

// Fixed-format sense (70h/71h) as SSC reports it; decoded from the raw bytes so
// the tests can check every flag, not only libiscsi's key/ASC summary.
struct Sense {
  std::vector<std::uint8_t> raw;
  bool present() const { return raw.size() >= 14; }
  std::uint8_t response_code() const { return present() ? raw[0] & 0x7F : 0; }
  bool valid() const { return present() && (raw[0] & 0x80) != 0; }
  bool filemark() const { return present() && (raw[2] & 0x80) != 0; }
  bool eom() const { return present() && (raw[2] & 0x40) != 0; }
  bool ili() const { return present() && (raw[2] & 0x20) != 0; }
  std::uint8_t key() const { return present() ? raw[2] & 0x0F : 0xFF; }
  std::uint8_t asc() const { return present() ? raw[12] : 0xFF; }
  std::uint8_t ascq() const { return present() ? raw[13] : 0xFF; }
  // INFORMATION, bytes 3-6, as the signed residual SSC puts there.
  std::int32_t information() const;
  std::string Describe() const;  // "key 8h ASC 00h/05h FM=0 EOM=1 ILI=0 info=..."
};

struct Reply {
  int status = -1;  // SCSI status, or -1 when the transport failed
  std::string transport_error;
  Sense sense;  // with CHECK CONDITION
  // Data-in: the buffer the test asked for; bytes the target did not send keep
  // kUnsentFill, so a test sees exactly how many arrived.
  std::vector<std::uint8_t> data;
  bool residual_underflow = false;  // only reported by libiscsi with GOOD status
  bool residual_overflow = false;
  std::size_t residual = 0;
  std::string Describe() const;
};

inline constexpr std::uint8_t kUnsentFill = 0xA5;

class Session {
 public:
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Logs in; null with `error` set when the login fails (e.g. bad CHAP secret).
  static std::unique_ptr<Session> Login(const Target& target, std::string& error);

  // One command, synchronously. `data_in_len` > 0 makes it a read into a
  // buffer of that size; non-empty `data_out` makes it a write.
  Reply Run(std::span<const std::uint8_t> cdb, std::size_t data_in_len = 0,
            std::span<const std::uint8_t> data_out = {}) {
    return RunOn(target_.lun, cdb, data_in_len, data_out);
  }
  // The same to another LUN of the target, over this session (a library: the
  // changer and its drives are LUNs of one target).
  Reply RunOn(int lun, std::span<const std::uint8_t> cdb, std::size_t data_in_len = 0,
              std::span<const std::uint8_t> data_out = {});

  // Asynchronous commands for abort/reset tests: Start queues one, Poll
  // services the connection until every started command has finished (or the
  // timeout, in seconds, ran out: returns false).
  struct Pending;
  Pending* Start(std::span<const std::uint8_t> cdb, std::span<const std::uint8_t> data_out);
  bool WaitAll(int timeout_s);
  // Services the connection until every queued PDU is on the wire. A TMF must
  // not overtake commands libiscsi has not sent yet: it cancels them locally,
  // and their CmdSNs, never seen by the target, would stall every later command.
  bool SendQueued(int timeout_s);
  // Task management. Return the iSCSI TMF response code, or -1 on a transport error.
  int AbortTask(Pending* pending);
  int LunReset();
  const std::string& last_error() const { return last_error_; }  // of a failed TMF

  // How each started command ended: SCSI status, or kCancelled when a TMF
  // cancelled it, or -1 while it is still running.
  static constexpr int kCancelled = 0x0F000000;
  int StatusOf(const Pending* pending) const;

  const Target& target() const { return target_; }
  iscsi_context* context() { return ctx_; }

 private:
  Session(iscsi_context* ctx, Target target);  // out of line: Pending is incomplete here
  iscsi_context* ctx_;
  Target target_;
  std::vector<std::unique_ptr<Pending>> pending_;
  std::string last_error_;
};

}  // namespace vtape::iscsi_test
