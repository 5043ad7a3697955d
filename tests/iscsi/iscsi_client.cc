#include "tests/iscsi/iscsi_client.h"

// libiscsi's headers are C; they declare everything extern "C" themselves.
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>
#include <poll.h>

#include <chrono>
#include <cstdio>
#include <cstring>

namespace vtape::iscsi_test {

struct Session::Pending {
  scsi_task* task = nullptr;
  std::vector<std::uint8_t> out;  // libiscsi sends from this buffer: it must outlive the task
  iscsi_data data{};
  int status = -1;
  ~Pending() {
    if (task != nullptr) scsi_free_scsi_task(task);
  }
};

namespace {

std::string Hex(std::uint8_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02Xh", v);
  return buf;
}

// Decodes the sense of a CHECK CONDITION. On that status libiscsi leaves the
// response PDU's data segment in task->datain: a 2-byte SenseLength, then the sense.
Sense SenseOf(const scsi_task* task) {
  Sense sense;
  if (task->datain.data == nullptr || task->datain.size < 2) return sense;
  std::size_t len = (std::size_t{task->datain.data[0]} << 8) | task->datain.data[1];
  len = std::min(len, static_cast<std::size_t>(task->datain.size) - 2);
  sense.raw.assign(task->datain.data + 2, task->datain.data + 2 + len);
  return sense;
}

// Runs the connection's event loop until `done()` or the deadline.
template <typename Done>
bool ServiceUntil(iscsi_context* ctx, Done done, int timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    pollfd pfd{iscsi_get_fd(ctx), static_cast<short>(iscsi_which_events(ctx)), 0};
    int n = poll(&pfd, 1, 100);
    if (n < 0) return false;
    if (iscsi_service(ctx, n == 0 ? 0 : pfd.revents) < 0) return false;
  }
  return true;
}

void OnCommandDone(iscsi_context*, int status, void*, void* private_data) {
  static_cast<Session::Pending*>(private_data)->status = status;
}

struct TmfState {
  bool done = false;
  int response = -1;
};

void OnTmfDone(iscsi_context*, int status, void* command_data, void* private_data) {
  auto* state = static_cast<TmfState*>(private_data);
  state->done = true;
  if (status == SCSI_STATUS_GOOD && command_data != nullptr) {
    state->response = static_cast<int>(*static_cast<std::uint32_t*>(command_data));
  }
}

constexpr int kTmfTimeoutSeconds = 120;
constexpr int kLateAnswerSeconds = 15;

}  // namespace

std::int32_t Sense::information() const {
  if (!present()) return 0;
  std::uint32_t v = (std::uint32_t{raw[3]} << 24) | (std::uint32_t{raw[4]} << 16) |
                    (std::uint32_t{raw[5]} << 8) | raw[6];
  return static_cast<std::int32_t>(v);
}

std::string Sense::Describe() const {
  if (!present()) return "no sense data (" + std::to_string(raw.size()) + " bytes)";
  return "sense " + Hex(response_code()) + " key " + Hex(key()) + " ASC " + Hex(asc()) + "/" +
         Hex(ascq()) + " FM=" + std::to_string(filemark()) + " EOM=" + std::to_string(eom()) +
         " ILI=" + std::to_string(ili()) + " VALID=" + std::to_string(valid()) +
         " info=" + std::to_string(information());
}

std::string Reply::Describe() const {
  if (status < 0) return "transport error: " + transport_error;
  std::string s = "status " + Hex(static_cast<std::uint8_t>(status));
  if (status == kStatusCheckCondition) s += ", " + sense.Describe();
  if (residual_underflow || residual_overflow) {
    s += residual_underflow ? ", underflow " : ", overflow ";
    s += std::to_string(residual);
  }
  return s;
}

Session::Session(iscsi_context* ctx, Target target) : ctx_(ctx), target_(std::move(target)) {}

Session::~Session() {
  pending_.clear();
  if (iscsi_is_logged_in(ctx_)) iscsi_logout_sync(ctx_);
  iscsi_destroy_context(ctx_);
}

std::unique_ptr<Session> Session::Login(const Target& target, std::string& error) {
  iscsi_context* ctx = iscsi_create_context(target.initiator.c_str());
  if (ctx == nullptr) {
    error = "iscsi_create_context failed for initiator " + target.initiator;
    return nullptr;
  }
  iscsi_set_targetname(ctx, target.iqn.c_str());
  iscsi_set_session_type(ctx, ISCSI_SESSION_NORMAL);
  iscsi_set_header_digest(ctx, ISCSI_HEADER_DIGEST_NONE_CRC32C);
  // TCG makes the target slow, but a wedged target must still fail the test.
  iscsi_set_timeout(ctx, 120);
  if (!target.chap_user.empty()) {
    iscsi_set_initiator_username_pwd(ctx, target.chap_user.c_str(), target.chap_secret.c_str());
  }
  if (iscsi_full_connect_sync(ctx, target.portal.c_str(), target.lun) != 0) {
    error = "login to " + target.iqn + " at " + target.portal + " as " + target.initiator +
            " failed: " + iscsi_get_error(ctx);
    iscsi_destroy_context(ctx);
    return nullptr;
  }
  return std::unique_ptr<Session>(new Session(ctx, target));
}

Reply Session::RunOn(int lun, std::span<const std::uint8_t> cdb, std::size_t data_in_len,
                     std::span<const std::uint8_t> data_out) {
  Reply reply;
  std::vector<std::uint8_t> cdb_copy(cdb.begin(), cdb.end());
  int dir =
      data_in_len > 0 ? SCSI_XFER_READ : (data_out.empty() ? SCSI_XFER_NONE : SCSI_XFER_WRITE);
  int xfer = static_cast<int>(data_in_len > 0 ? data_in_len : data_out.size());
  scsi_task* task = scsi_create_task(static_cast<int>(cdb_copy.size()), cdb_copy.data(), dir, xfer);
  if (task == nullptr) {
    reply.transport_error = "scsi_create_task failed";
    return reply;
  }
  if (data_in_len > 0) {
    reply.data.assign(data_in_len, kUnsentFill);
    scsi_task_add_data_in_buffer(task, static_cast<int>(data_in_len), reply.data.data());
  }
  std::vector<std::uint8_t> out(data_out.begin(), data_out.end());
  iscsi_data d{out.size(), out.data()};
  scsi_task* done = iscsi_scsi_command_sync(ctx_, lun, task, out.empty() ? nullptr : &d);
  if (done == nullptr) {
    reply.transport_error = iscsi_get_error(ctx_);
    scsi_free_scsi_task(task);
    return reply;
  }
  reply.status = task->status;
  if (task->status == SCSI_STATUS_CHECK_CONDITION) {
    reply.sense = SenseOf(task);
  } else if (task->status == SCSI_STATUS_GOOD) {
    reply.residual_underflow = task->residual_status == SCSI_RESIDUAL_UNDERFLOW;
    reply.residual_overflow = task->residual_status == SCSI_RESIDUAL_OVERFLOW;
    reply.residual = task->residual;
  } else if (task->status != SCSI_STATUS_RESERVATION_CONFLICT) {
    reply.transport_error = iscsi_get_error(ctx_);
    reply.status = -1;
  }
  scsi_free_scsi_task(task);
  return reply;
}

Session::Pending* Session::Start(std::span<const std::uint8_t> cdb,
                                 std::span<const std::uint8_t> data_out) {
  auto pending = std::make_unique<Pending>();
  std::vector<std::uint8_t> cdb_copy(cdb.begin(), cdb.end());
  pending->out.assign(data_out.begin(), data_out.end());
  pending->task = scsi_create_task(static_cast<int>(cdb_copy.size()), cdb_copy.data(),
                                   data_out.empty() ? SCSI_XFER_NONE : SCSI_XFER_WRITE,
                                   static_cast<int>(data_out.size()));
  if (pending->task == nullptr) return nullptr;
  pending->data = iscsi_data{pending->out.size(), pending->out.data()};
  if (iscsi_scsi_command_async(ctx_, target_.lun, pending->task, OnCommandDone,
                               pending->out.empty() ? nullptr : &pending->data,
                               pending.get()) != 0) {
    return nullptr;
  }
  pending_.push_back(std::move(pending));
  return pending_.back().get();
}

bool Session::WaitAll(int timeout_s) {
  return ServiceUntil(
      ctx_,
      [this] {
        for (const auto& p : pending_) {
          if (p->status == -1) return false;
        }
        return true;
      },
      timeout_s);
}

bool Session::SendQueued(int timeout_s) {
  return ServiceUntil(
      ctx_, [this] { return iscsi_out_queue_length(ctx_) == 0; }, timeout_s);
}

int Session::StatusOf(const Pending* pending) const {
  return pending->status;
}

int Session::AbortTask(Pending* pending) {
  TmfState state;
  if (iscsi_task_mgmt_abort_task_async(ctx_, pending->task, OnTmfDone, &state) != 0) return -1;
  if (!ServiceUntil(
          ctx_, [&] { return state.done; }, kTmfTimeoutSeconds))
    return -1;
  // The target sends nothing more for a task it aborted; without this libiscsi
  // would wait for it until its timeout.
  if (state.response == 0 && pending->status == -1) iscsi_scsi_cancel_task(ctx_, pending->task);
  return state.response;
}

// Not iscsi_task_mgmt_lun_reset_async: that cancels every task locally before
// the request leaves, while the target still sends R2Ts for those writes; their
// unknown task tags break the connection and the TMF ends without a response.
// Per RFC 7143 the target answers the TMF only after the affected tasks are
// terminated and sends nothing more for them, so they are cancelled after that.
int Session::LunReset() {
  TmfState state;
  if (iscsi_task_mgmt_async(ctx_, target_.lun, ISCSI_TM_LUN_RESET, 0xffffffff, 0, OnTmfDone,
                            &state) != 0) {
    last_error_ = iscsi_get_error(ctx_);
    return -1;
  }
  if (!ServiceUntil(
          ctx_, [&] { return state.done; }, kTmfTimeoutSeconds)) {
    last_error_ = std::string("no LUN RESET response: ") + iscsi_get_error(ctx_);
    return -1;
  }
  if (state.response < 0) {
    last_error_ = std::string("the LUN RESET ended without a response: ") + iscsi_get_error(ctx_);
  }
  if (state.response == 0) {
    // LIO aborts only the tasks that reached the device; a write still
    // receiving its data when the reset arrived runs afterwards and answers.
    // Give those their answer, then take the silent ones as aborted.
    WaitAll(kLateAnswerSeconds);
    for (const auto& p : pending_) {
      if (p->status == -1) iscsi_scsi_cancel_task(ctx_, p->task);
    }
  }
  return state.response;
}

}  // namespace vtape::iscsi_test
