// The tcmu-runner plugin: adapts tcmu-runner 1.5.4's handler interface to the
// SSC engine (handler/drive.h). The only file that includes tcmu headers.
//
// Threading. The handler has handle_cmd and no read/write/flush callouts, so
// tcmu-runner treats it as "passthrough only"; with nr_threads = 0 it calls
// handle_cmd from the device's single cmdproc thread and completes each command
// right after handle_cmd returns (main.c tcmur_cmdproc_thread ->
// tcmur_cmd_passthrough_handler). Commands of one device therefore already run
// one at a time, in ring order. reconfig and close arrive on other threads
// (netlink, device removal), so each device's Drive is still guarded by a mutex.
//
// Every entry point runs its body through RunEntryPoint (handler/entry_point.h):
// pthread cancellation (tcmu-runner stops a device's cmdproc thread with
// pthread_cancel on removal and SIGTERM) is held off until the callout returns,
// no C++ exception crosses into tcmu-runner, and glibc's forced unwind is never
// swallowed.
#include <errno.h>
#include <scsi/scsi.h>
#include <string.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "libtcmu.h"
#include "libtcmu_common.h"
#include "tcmu-runner.h"

// libtcmu_common.h defines function-like min/max macros that break std::min.
#undef min
#undef max

// Exported by tcmu-runner (main-syms.txt) for handlers' per-device data, but declared
// in tcmur_device.h, which is not valid C++ (a parameter named `private`).
extern "C" {
void tcmur_dev_set_private(struct tcmu_device* dev, void* priv);
void* tcmur_dev_get_private(struct tcmu_device* dev);
}

#include "handler/config.h"
#include "handler/entry_point.h"
#include "handler/library_config.h"
#include "handler/library_presenter.h"
#include "handler/media_change.h"
#include "handler/smc/expected_transfer.h"
#include "handler/ssc/drive.h"
#include "rados/rados.h"
#include "rait/rait.h"
#include "vtape/status.h"

namespace {

using vtape::Code;
using vtape::Status;
using vtape::ssc::Config;
using vtape::ssc::Drive;

// --- The command ring, as the kernel lays it out ---------------------------------
//
// Returning data together with CHECK CONDITION (a short read: ILI, a filemark
// after some blocks) needs the kernel's READ_LEN protocol: the response entry's
// header carries TCMU_UFLAG_READ_LEN (0x2) in uflags and the response holds the
// byte count in rsp.read_len; the kernel then copies that much data back and
// completes with the sense (SCF_TREAT_READ_AS_NORMAL), and also reports the
// residual of a GOOD read (which st's SILI mode relies on). The kernel offers it
// when the mailbox flags carry TCMU_MAILBOX_FLAG_CAP_READ_LEN (1 << 1).
//
// tcmu-runner 1.5.4 never sets either: tcmulib_command_complete() writes only
// hdr.cmd_id, rsp.scsi_status and rsp.sense_buffer of the entry it completes,
// and its bundled uapi header calls read_len "__pad3". That entry is the first
// TCMU_OP_CMD entry at or after mb->cmd_tail (PAD entries skipped), and the
// completion happens right after handle_cmd returns, on the same thread (see
// the threading note above). So handle_cmd finds that same entry, checks that
// it carries this command's cmd_id, and sets uflags and read_len on it; the
// runner's completion leaves both alone. rsp.read_len overlays
// req.iov_bidi_cnt, which the kernel no longer reads once the command is in
// flight, and libtcmu copied the request's iovecs and CDB at fetch time.
//
// Neither the runner's bundled header nor <linux/target_core_user.h> compiles
// as C++, so the few fields needed are declared here from the stable uapi
// layout and checked by static_assert.
constexpr std::uint16_t kMailboxCapReadLen = 1u << 1;
constexpr std::uint32_t kOpMask = 0x7;
constexpr std::uint32_t kOpCmd = 1;
constexpr std::uint8_t kUflagReadLen = 0x2;

struct RingMailbox {
  std::uint16_t version;
  std::uint16_t flags;
  std::uint32_t cmdr_off;
  std::uint32_t cmdr_size;
  std::uint32_t cmd_head;
  std::uint8_t pad_to_tail[48];
  std::uint32_t cmd_tail;  // own 64-byte cache line in the uapi struct
} __attribute__((packed));
static_assert(offsetof(RingMailbox, cmdr_off) == 4);
static_assert(offsetof(RingMailbox, cmd_head) == 12);
static_assert(offsetof(RingMailbox, cmd_tail) == 64);

struct RingEntryHeader {
  std::uint32_t len_op;
  std::uint16_t cmd_id;
  std::uint8_t kflags;
  std::uint8_t uflags;
} __attribute__((packed));

struct RingResponse {
  RingEntryHeader hdr;
  std::uint8_t scsi_status;
  std::uint8_t pad1;
  std::uint16_t pad2;
  std::uint32_t read_len;
  // sense_buffer[96] follows
} __attribute__((packed));
static_assert(offsetof(RingResponse, scsi_status) == 8);
static_assert(offsetof(RingResponse, read_len) == 12);

// --- Per-device state ------------------------------------------------------------

struct Device {
  std::mutex mutex;                 // guards everything below
  vtape::ssc::LoadedMedium loaded;  // config in effect, and the string of the medium in the drive
  std::unique_ptr<Drive> drive;  // a lone drive's or a library drive's engine; null for a changer
  // A library device (handler/library_presenter.h): the changer, or the
  // registration of a library drive (declared after `drive`: it goes first).
  std::unique_ptr<vtape::presenter::ChangerAttachment> changer;
  std::unique_ptr<vtape::presenter::DriveAttachment> library_drive;
  std::string library_cfgstring;      // a library device's config string
  vtape::ssc::ScratchBuffer scratch;  // data of commands whose buffer comes in pieces
  // A WRITE's data-out or a READ's data-in iovecs as byte spans
  // (ScsiCommand::data_out_pieces, data_in_pieces).
  std::vector<std::span<const std::uint8_t>> pieces;
  std::vector<std::span<std::uint8_t>> in_pieces;
  std::uint8_t* ring = nullptr;  // the mapped mailbox + command ring + data area
  bool warned_no_read_len = false;
};

Device* DeviceOf(tcmu_device* dev) {
  return static_cast<Device*>(tcmur_dev_get_private(dev));
}

int ErrnoFor(const Status& s) {
  switch (s.code()) {
    case Code::kOk:
      return 0;
    case Code::kInvalidArgument:
      return -EINVAL;
    case Code::kNotFound:
      return -ENOENT;
    case Code::kWriteProtected:
      return -EROFS;
    case Code::kBusy:
      return -EBUSY;
    case Code::kUnsupported:
      return -EOPNOTSUPP;
    case Code::kEndOfMedium:
      return -ENOSPC;
    default:
      return -EIO;
  }
}

enum class LogLevel { kError, kWarning, kInfo };

// tcmu-runner cuts log entries at 255 bytes (libtcmu_log.c LOG_ENTRY_LEN), prefix
// included, and our reasons name paths and fixes: long text goes out in pieces.
void Log(tcmu_device* dev, LogLevel level, const std::string& text) {
  constexpr std::size_t kPiece = 150;
  std::size_t at = 0;
  do {
    std::string piece = (at == 0 ? "vtape: " : "vtape: ... ") + text.substr(at, kPiece);
    switch (level) {
      case LogLevel::kError:
        tcmu_dev_err(dev, "%s\n", piece.c_str());
        break;
      case LogLevel::kWarning:
        tcmu_dev_warn(dev, "%s\n", piece.c_str());
        break;
      case LogLevel::kInfo:
        tcmu_dev_info(dev, "%s\n", piece.c_str());
        break;
    }
    at += kPiece;
  } while (at < text.size());
}

void PrintDriveLog(tcmu_device* dev, Drive& drive) {
  for (const std::string& line : drive.TakeLogMessages()) Log(dev, LogLevel::kWarning, line);
}

std::uint32_t MaxTransferBytes(tcmu_device* dev) {
  std::uint64_t bytes =
      std::uint64_t{tcmu_dev_get_max_xfer_len(dev)} * tcmu_dev_get_block_size(dev);
  if (bytes == 0 || bytes > UINT32_MAX) bytes = 1u << 20;
  return static_cast<std::uint32_t>(bytes);
}

// Parses the config string and opens its medium. `what` names the step for logs.
Status OpenFromConfigString(std::string_view text, Config& config,
                            std::unique_ptr<vtape::Tape>& tape) {
  VTAPE_RETURN_IF_ERROR(vtape::ssc::ParseConfig(text, config));
  return vtape::ssc::OpenConfiguredMedium(config, tape);
}

// --- Ring access for READ_LEN ------------------------------------------------------

// The ring entry tcmulib_command_complete() will fill for `cmd`, or null.
RingEntryHeader* PendingEntryFor(Device& device, const tcmulib_cmd& cmd) {
  auto* mb = reinterpret_cast<volatile RingMailbox*>(device.ring);
  std::uint32_t tail = mb->cmd_tail;
  const std::uint32_t head = mb->cmd_head;
  const std::uint32_t size = mb->cmdr_size;
  std::uint8_t* ring = device.ring + mb->cmdr_off;
  while (tail != head) {
    auto* hdr = reinterpret_cast<RingEntryHeader*>(ring + tail);
    if ((hdr->len_op & kOpMask) == kOpCmd) {
      return hdr->cmd_id == cmd.cmd_id ? hdr : nullptr;
    }
    std::uint32_t len = hdr->len_op & ~kOpMask;
    if (len == 0 || size == 0) return nullptr;  // malformed: never loop forever
    tail = (tail + len) % size;
  }
  return nullptr;
}

// Tells the kernel how many bytes of data_in hold data (see the ring comment).
void SetReadLength(tcmu_device* dev, Device& device, const tcmulib_cmd& cmd, std::size_t length) {
  if (device.ring == nullptr) {
    void* base = nullptr;
    char* name = tcmu_dev_get_memory_info(dev, &base, nullptr, nullptr);
    free(name);
    device.ring = static_cast<std::uint8_t*>(base);
  }
  const bool capable =
      device.ring != nullptr &&
      (reinterpret_cast<volatile RingMailbox*>(device.ring)->flags & kMailboxCapReadLen) != 0;
  RingEntryHeader* hdr = capable ? PendingEntryFor(device, cmd) : nullptr;
  if (hdr == nullptr) {
    if (!device.warned_no_read_len) {
      device.warned_no_read_len = true;
      tcmu_dev_warn(
          dev, "cannot report a read length to the kernel (%s): short reads lose their data\n",
          capable ? "ring entry not found" : "kernel lacks TCMU_MAILBOX_FLAG_CAP_READ_LEN");
    }
    return;
  }
  auto* rsp = reinterpret_cast<RingResponse*>(hdr);
  rsp->read_len = static_cast<std::uint32_t>(length);
  hdr->uflags |= kUflagReadLen;
}

// --- Library devices: a library's changer and drives ---------------------------------
//
// The config string says which (handler/library_config.h); the presenter ties the
// devices of one library together (handler/library_presenter.h). A library drive
// runs its commands like a lone drive, under its device mutex, which the
// changer's loads and unloads take too.

void LogFromPresenter(vtape::presenter::LogLevel level, const std::string& text) {
  switch (level) {
    case vtape::presenter::LogLevel::kError:
      Log(nullptr, LogLevel::kError, text);
      break;
    case vtape::presenter::LogLevel::kWarning:
      Log(nullptr, LogLevel::kWarning, text);
      break;
    case vtape::presenter::LogLevel::kInfo:
      Log(nullptr, LogLevel::kInfo, text);
      break;
  }
}

bool IsLibraryDevice(const Device& device) {
  return device.changer != nullptr || device.library_drive != nullptr;
}

Status CheckLibraryConfig(std::string_view cfgstring) {
  vtape::presenter::LibraryDeviceConfig config;
  VTAPE_RETURN_IF_ERROR(vtape::presenter::ParseLibraryConfig(cfgstring, config));
  return vtape::presenter::CheckLibraryDevice(config);
}

// Attaches `device` to its library as the changer or drive its string names.
Status OpenLibraryDevice(tcmu_device* dev, std::string_view cfgstring, Device& device) {
  vtape::presenter::LibraryDeviceConfig config;
  VTAPE_RETURN_IF_ERROR(vtape::presenter::ParseLibraryConfig(cfgstring, config));
  vtape::presenter::Presenter& presenter = vtape::presenter::Presenter::Process();
  if (config.role == vtape::presenter::LibraryRole::kChanger) {
    VTAPE_RETURN_IF_ERROR(presenter.AttachChanger(config, device.changer));
    Log(dev, LogLevel::kInfo,
        "changer of library " + config.library + " (model " + config.model + ")");
  } else {
    VTAPE_RETURN_IF_ERROR(presenter.AttachDrive(config, MaxTransferBytes(dev), device.mutex,
                                                device.drive, device.library_drive));
    PrintDriveLog(dev, *device.drive);
    Log(dev, LogLevel::kInfo,
        "drive " + std::to_string(config.drive) + " of library " + config.library + " (model " +
            config.model + ", max transfer " + std::to_string(MaxTransferBytes(dev)) + " bytes)");
  }
  device.library_cfgstring = std::string(cfgstring);
  return Status::Ok();
}

// A library device's string names its place in the library, which cannot
// change while it is open: the same string again (restoreconfig) is a no-op,
// any other is refused.
int ReconfigLibraryDevice(tcmu_device* dev, Device& device, const char* text) {
  std::lock_guard lock(device.mutex);
  const std::string_view wanted = text ? text : "";
  if (vtape::ssc::WithoutSubtypePrefix(wanted) ==
      vtape::ssc::WithoutSubtypePrefix(device.library_cfgstring)) {
    Log(dev, LogLevel::kInfo, "config string re-applied unchanged");
    return 0;
  }
  Log(dev, LogLevel::kError,
      "a library device's config string cannot change while it exists ('" +
          device.library_cfgstring + "' -> '" + std::string(wanted) +
          "'); cartridges move with the changer (mtx), re-create the device to change its role");
  return -EINVAL;
}

// The SCSI status tcmu-runner gets for an engine result (sense copied).
int CompleteWith(tcmu_device* dev, tcmulib_cmd* cmd, const vtape::spc::ScsiResult& result) {
  switch (result.status) {
    case vtape::spc::kStatusGood:
      return TCMU_STS_OK;
    case vtape::spc::kStatusCheckCondition:
      memset(cmd->sense_buf, 0, SENSE_BUFFERSIZE);
      memcpy(cmd->sense_buf, result.sense.data(),
             std::min<std::size_t>({result.sense_len, result.sense.size(), SENSE_BUFFERSIZE}));
      return TCMU_STS_PASSTHROUGH_ERR;
    default:
      tcmu_dev_err(dev, "vtape: engine returned unsupported SCSI status 0x%02x\n", result.status);
      return TCMU_STS_HW_ERR;
  }
}

// A command's data buffers over the request's iovecs: one iovec is used in
// place; several are gathered into (or filled from) the scratch buffer, except
// a WRITE's or READ's data (`scattered`), which the engine takes as the pieces
// themselves: a record is copied at most once on its way. A command moves data
// one way only, so the iovec helpers (which advance the iovecs) run once.
struct Transfer {
  vtape::spc::ScsiCommand command;
  bool in_place;  // data_in is the iovec itself: nothing to copy back
};

Transfer CommandFromIovecs(Device& device, tcmulib_cmd& cmd, std::span<const std::uint8_t> cdb,
                           std::size_t out_bytes, std::size_t in_bytes, bool scattered = false) {
  Transfer t{{}, cmd.iov_cnt == 1};
  auto* first = t.in_place ? static_cast<std::uint8_t*>(cmd.iovec[0].iov_base) : nullptr;
  t.command.cdb = cdb;
  if (out_bytes > 0) {
    if (t.in_place) {
      t.command.data_out = {first, out_bytes};
    } else if (scattered) {
      device.pieces.clear();
      std::size_t left = out_bytes;
      for (std::size_t i = 0; i < cmd.iov_cnt && left > 0; ++i) {
        const std::size_t n = std::min(left, cmd.iovec[i].iov_len);
        if (n > 0)
          device.pieces.emplace_back(static_cast<const std::uint8_t*>(cmd.iovec[i].iov_base), n);
        left -= n;
      }
      t.command.data_out_pieces = device.pieces;
    } else {
      std::span<std::uint8_t> gathered = device.scratch.Get(out_bytes);
      tcmu_memcpy_from_iovec(gathered.data(), out_bytes, cmd.iovec, cmd.iov_cnt);
      t.command.data_out = gathered;
    }
  }
  if (in_bytes > 0 && !t.in_place && scattered) {
    device.in_pieces.clear();
    std::size_t left = in_bytes;
    for (std::size_t i = 0; i < cmd.iov_cnt && left > 0; ++i) {
      const std::size_t n = std::min(left, cmd.iovec[i].iov_len);
      if (n > 0)
        device.in_pieces.emplace_back(static_cast<std::uint8_t*>(cmd.iovec[i].iov_base), n);
      left -= n;
    }
    t.command.data_in_pieces = device.in_pieces;
    t.in_place = true;  // the engine filled the iovecs themselves
  } else if (in_bytes > 0) {
    t.command.data_in = t.in_place ? std::span{first, in_bytes} : device.scratch.Get(in_bytes);
  }
  return t;
}

// Hands the `data_in_len` bytes the engine produced back to the initiator.
// Writes report no data (length 0): marking them would make the kernel report
// a residual of the whole transfer.
void ReturnDataIn(tcmu_device* dev, Device& device, tcmulib_cmd& cmd, const Transfer& t,
                  std::size_t data_in_len) {
  std::size_t room = t.command.data_in.size();
  for (std::span<std::uint8_t> piece : t.command.data_in_pieces) room += piece.size();
  const std::size_t length = std::min(data_in_len, room);
  if (length > 0 && !t.in_place) {
    tcmu_memcpy_into_iovec(cmd.iovec, cmd.iov_cnt, t.command.data_in.data(), length);
  }
  device.scratch.ReleaseIfLarge();
  if (length > 0) SetReadLength(dev, device, cmd, length);
}

// One changer command, with the drive path's buffer rules: each way at most
// what its CDB can move (smc::ExpectedTransfer).
int ExecuteChangerCommand(tcmu_device* dev, Device& device, tcmulib_cmd* cmd) {
  const int cdb_len = tcmu_cdb_get_length(cmd->cdb);
  if (cdb_len <= 0) return TCMU_STS_INVALID_CDB;
  const std::span<const std::uint8_t> cdb(cmd->cdb, static_cast<std::size_t>(cdb_len));
  const std::size_t total = tcmu_iovec_length(cmd->iovec, cmd->iov_cnt);

  std::lock_guard lock(device.mutex);
  const vtape::smc::ChangerTransfer expected =
      vtape::smc::ExpectedTransfer(cdb, MaxTransferBytes(dev));
  const std::size_t out_bytes = std::min(total, expected.data_out);
  const std::size_t in_bytes = std::min(total, expected.data_in);
  Transfer transfer = CommandFromIovecs(device, *cmd, cdb, out_bytes, in_bytes);
  const vtape::spc::ScsiResult result = device.changer->Execute(transfer.command);
  ReturnDataIn(dev, device, *cmd, transfer, result.data_in_len);
  return CompleteWith(dev, cmd, result);
}

// --- tcmur_handler callouts ----------------------------------------------------------

bool CheckConfig(const char* cfgstring, char** reason) {
  return vtape::ssc::RunEntryPoint(
      [&] {
        Status s;
        if (vtape::presenter::IsLibraryConfig(cfgstring ? cfgstring : "")) {
          s = CheckLibraryConfig(cfgstring);
        } else {
          Config config;
          s = vtape::ssc::ParseConfig(cfgstring ? cfgstring : "", config);
          if (s.ok()) s = vtape::ssc::CheckConfiguredMedium(config);
        }
        if (s.ok()) return true;
        if (reason) *reason = strdup(s.message().c_str());
        return false;
      },
      [&](std::string_view) {
        if (reason) *reason = strdup("vtape: internal error while checking the config string");
        return false;
      });
}

int OpenDevice(tcmu_device* dev) {
  const char* cfgstring = tcmu_dev_get_cfgstring(dev);
  auto device = std::make_unique<Device>();
  if (vtape::presenter::IsLibraryConfig(cfgstring ? cfgstring : "")) {
    Status s = OpenLibraryDevice(dev, cfgstring, *device);
    if (!s.ok()) {
      Log(dev, LogLevel::kError, "cannot open library device: " + s.message());
      return ErrnoFor(s);
    }
    tcmur_dev_set_private(dev, device.release());
    return 0;
  }
  std::unique_ptr<vtape::Tape> tape;
  Status s = OpenFromConfigString(cfgstring ? cfgstring : "", device->loaded.config, tape);
  if (!s.ok()) {
    Log(dev, LogLevel::kError, "cannot open device: " + s.message());
    return ErrnoFor(s);
  }
  vtape::ssc::DriveConfig drive_config = device->loaded.config.ToDriveConfig();
  drive_config.max_transfer_bytes = MaxTransferBytes(dev);
  device->drive = std::make_unique<Drive>(std::move(drive_config), std::move(tape));
  PrintDriveLog(dev, *device->drive);
  Log(dev, LogLevel::kInfo,
      "medium " + device->loaded.config.medium + " loaded (model " + device->loaded.config.model +
          ", max transfer " + std::to_string(MaxTransferBytes(dev)) + " bytes)");
  device->loaded.cfgstring = cfgstring ? cfgstring : "";
  tcmur_dev_set_private(dev, device.release());
  return 0;
}

int Open(tcmu_device* dev, bool /*reopen*/) {
  return vtape::ssc::RunEntryPoint([&] { return OpenDevice(dev); },
                                   [&](std::string_view what) {
                                     Log(dev, LogLevel::kError,
                                         "cannot open device: " + std::string(what));
                                     return -ENOMEM;
                                   });
}

// tcmu-runner calls close from tcmur_stop_device: on device removal and on
// SIGTERM/SIGINT (g_main_loop_quit -> tcmulib_close -> device_remove for every
// device -> dev_removed), after it cancelled the device's cmdproc thread, as
// that thread's cancellation cleanup handler (or on the removing thread when
// the cmdproc thread had ended); also when its own open steps after ours fail.
// So close is the one place where the medium is flushed and closed; it runs
// whole even while the thread is being cancelled. If closing throws, the
// Device's destructor still closes the medium (Drive::~Drive).
void Close(tcmu_device* dev) {
  std::unique_ptr<Device> device(DeviceOf(dev));
  tcmur_dev_set_private(dev, nullptr);
  if (!device) return;
  vtape::ssc::RunEntryPoint(
      [&] {
        // A library device leaves its library first: no move reaches it after this.
        device->changer.reset();
        device->library_drive.reset();
        if (!device->drive) return;
        std::lock_guard lock(device->mutex);
        const bool had_medium = !device->loaded.cfgstring.empty();
        Status s = device->drive->ChangeMedium(nullptr);  // flushes and closes the medium
        PrintDriveLog(dev, *device->drive);
        if (!s.ok()) {
          Log(dev, LogLevel::kError,
              "closing medium " + device->loaded.config.medium + " failed: " + s.message());
        } else if (had_medium) {
          Log(dev, LogLevel::kInfo,
              "medium " + device->loaded.config.medium + " flushed and closed");
        }
      },
      [&](std::string_view what) {
        Log(dev, LogLevel::kError,
            "unexpected error while closing the medium: " + std::string(what));
      });
}

// A new config string = a media change (handler/media_change.h has the rules):
// the new medium is loaded and the next command gets UNIT ATTENTION. Model and
// serial are fixed for the device's life.
int ReconfigMedium(tcmu_device* dev, Device& device, const char* text) {
  std::vector<vtape::ssc::LogLine> log;
  std::lock_guard lock(device.mutex);
  Status s = vtape::ssc::ApplyConfigString(*device.drive, device.loaded, text ? text : "", log);
  PrintDriveLog(dev, *device.drive);
  for (const vtape::ssc::LogLine& line : log) {
    Log(dev,
        line.severity == vtape::ssc::Severity::kError     ? LogLevel::kError
        : line.severity == vtape::ssc::Severity::kWarning ? LogLevel::kWarning
                                                          : LogLevel::kInfo,
        line.text);
  }
  return ErrnoFor(s);
}

int ReconfigDevice(tcmu_device* dev, Device& device, const tcmulib_cfg_info& cfg) {
  switch (cfg.type) {
    case TCMULIB_CFG_DEV_CFGSTR:
      if (IsLibraryDevice(device))
        return ReconfigLibraryDevice(dev, device, cfg.data.dev_cfgstring);
      return ReconfigMedium(dev, device, cfg.data.dev_cfgstring);
    case TCMULIB_CFG_DEV_SIZE:
      return 0;  // a tape's size is its medium's; LIO's dev_size means nothing here
    case TCMULIB_CFG_WRITE_CACHE:
      // The engine writes through to the backend on every command, and st
      // decides flushing with WRITE FILEMARKS; LIO's emulate_write_cache
      // (re-applied by restoreconfig) has nothing to switch.
      return 0;
    default:
      return -EOPNOTSUPP;
  }
}

int Reconfig(tcmu_device* dev, tcmulib_cfg_info* cfg) {
  Device* device = DeviceOf(dev);
  if (!device || !cfg) return -EINVAL;
  return vtape::ssc::RunEntryPoint([&] { return ReconfigDevice(dev, *device, *cfg); },
                                   [&](std::string_view what) {
                                     Log(dev, LogLevel::kError,
                                         "unexpected error during reconfig: " + std::string(what));
                                     return -EIO;
                                   });
}

int ExecuteCommand(tcmu_device* dev, Device& device, tcmulib_cmd* cmd) {
  const int cdb_len = tcmu_cdb_get_length(cmd->cdb);
  if (cdb_len <= 0) return TCMU_STS_INVALID_CDB;
  const std::span<const std::uint8_t> cdb(cmd->cdb, static_cast<std::size_t>(cdb_len));
  const std::size_t total = tcmu_iovec_length(cmd->iovec, cmd->iov_cnt);

  std::lock_guard lock(device.mutex);
  // Each way at most what the command can use (transfer_size.h), never simply
  // the initiator's buffer total.
  const vtape::ssc::TransferBytes expected = device.drive->ExpectedTransfer(cdb);
  const std::size_t out_bytes = std::min(total, expected.data_out);
  const std::size_t in_bytes = std::min(total, expected.data_in);
  // WRITE(6), WRITE(16), READ(6), READ(16): their data stays in the iovecs.
  const bool data = cdb[0] == 0x0A || cdb[0] == 0x8A || cdb[0] == 0x08 || cdb[0] == 0x88;
  Transfer transfer = CommandFromIovecs(device, *cmd, cdb, out_bytes, in_bytes, data);
  const vtape::ssc::ScsiResult result = device.drive->Execute(transfer.command);
  PrintDriveLog(dev, *device.drive);
  ReturnDataIn(dev, device, *cmd, transfer, result.data_in_len);
  return CompleteWith(dev, cmd, result);
}

int HandleCmd(tcmu_device* dev, tcmur_cmd* runner_cmd) {
  tcmulib_cmd* cmd = runner_cmd->lib_cmd;
  Device* device = DeviceOf(dev);
  if (!device) return TCMU_STS_HW_ERR;
  return vtape::ssc::RunEntryPoint(
      [&] {
        return device->changer ? ExecuteChangerCommand(dev, *device, cmd)
                               : ExecuteCommand(dev, *device, cmd);
      },
      [&](std::string_view what) {
        Log(dev, LogLevel::kError,
            "command " + std::to_string(cmd->cdb[0]) + " failed: " + std::string(what));
        return TCMU_STS_HW_ERR;
      });
}

tcmur_handler MakeHandler() {
  tcmur_handler h{};
  h.name = "vtape: virtual SCSI tape drive";
  h.subtype = "vtape";
  h.cfg_desc =
      "MEDIUM[;model=KEY][;serial=TEXT][;readonly=1][;missing=refuse|create][;media=LTO-8]"
      "[;capacity=SIZE][;barcode=LABEL][;early_warning=SIZE], MEDIUM e.g. "
      "file:/var/lib/vtape/A00001L8.img, rait:{...}, mem:; or a library's changer "
      "library=DIR;role=changer[;model=ibm-ts3100|hpe-msl] or drive library=DIR;drive=N"
      "[;model=KEY]";
  h.check_config = CheckConfig;
  h.reconfig = Reconfig;
  h.open = Open;
  h.close = Close;
  h.nr_threads = 0;  // handle_cmd runs on the device's cmdproc thread, one command at a time
  h.handle_cmd = HandleCmd;
  return h;
}

tcmur_handler g_handler = MakeHandler();

}  // namespace

extern "C" int handler_init(void) {
  try {
    vtape::rait::RegisterRait();
    vtape::rados::RegisterRados();
    vtape::presenter::Presenter::Process().SetLogSink(LogFromPresenter);
  } catch (...) {
    return -ENOMEM;
  }
  return tcmur_register_handler(&g_handler);
}
