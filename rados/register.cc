// The rados: prefix in the vtape registry, and the public entry points of rados.h.
#include <mutex>

#include "rados/lock.h"
#include "rados/rados.h"
#include "rados/rados_tape.h"
#include "vtape/name.h"

namespace vtape::rados {
namespace {

class RadosBackend final : public Backend {
 public:
  std::string_view prefix() const override { return "rados"; }

  Status Open(std::string_view rest, const OpenOptions& options,
              std::unique_ptr<Tape>& tape) override {
    RadosSpec spec;
    VTAPE_RETURN_IF_ERROR(ParseRadosName(rest, spec));
    std::unique_ptr<RadosTape> t;
    VTAPE_RETURN_IF_ERROR(RadosTape::Open(spec, options, t));
    tape = std::move(t);
    return Status::Ok();
  }

  Status Create(std::string_view rest, const CreateOptions& options) override {
    RadosSpec spec;
    VTAPE_RETURN_IF_ERROR(ParseRadosName(rest, spec));
    Connection conn;
    VTAPE_RETURN_IF_ERROR(conn.Connect(spec));
    return CreateMedium(conn, spec, options);
  }

  Status Access(std::string_view rest, bool for_write) override {
    RadosSpec spec;
    VTAPE_RETURN_IF_ERROR(ParseRadosName(rest, spec));
    Connection conn;
    VTAPE_RETURN_IF_ERROR(conn.Connect(spec));
    Header header;
    VTAPE_RETURN_IF_ERROR(ReadHeader(conn, spec, header));
    if (!for_write) return Status::Ok();
    if (header.write_protected) return Status::WriteProtected("the medium is write protected");
    std::vector<Locker> holders;
    VTAPE_RETURN_IF_ERROR(ListLockers(conn, spec.name, holders));
    if (!holders.empty()) {
      return Status::Busy("rados:" + spec.Label() + " is open for writing by " +
                          holders[0].client + " at " + holders[0].address);
    }
    return Status::Ok();
  }
};

}  // namespace

void RegisterRados() {
  static std::once_flag once;
  std::call_once(once, [] { RegisterBackend(std::make_unique<RadosBackend>()); });
}

Status BreakWriterLock(std::string_view name, std::uint32_t blocklist_seconds,
                       std::vector<std::string>& holders) {
  holders.clear();
  std::string_view prefix, rest;
  VTAPE_RETURN_IF_ERROR(SplitPrefix(name, prefix, rest));
  if (prefix != "rados") {
    return Status::InvalidArgument("'" + std::string(name) +
                                   "' is not a rados: name: only rados: cartridges have locks "
                                   "that outlive their process");
  }
  RadosSpec spec;
  VTAPE_RETURN_IF_ERROR(ParseRadosName(rest, spec));
  Connection conn;
  VTAPE_RETURN_IF_ERROR(conn.Connect(spec));
  std::vector<Locker> broken;
  VTAPE_RETURN_IF_ERROR(BreakLock(conn, spec, blocklist_seconds, broken));
  for (const Locker& l : broken) {
    holders.push_back(l.client + " at " + l.address + " (" + l.cookie + ")");
  }
  return Status::Ok();
}

}  // namespace vtape::rados
