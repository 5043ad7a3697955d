#include "rados/spec.h"

#include <charconv>

#include "vtape/name.h"

namespace vtape::rados {
namespace {

bool NameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

Status ParseOption(std::string_view item, RadosSpec& spec) {
  std::size_t eq = item.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Status::InvalidArgument("rados: option '" + std::string(item) + "' needs KEY=VALUE");
  }
  std::string_view key = item.substr(0, eq);
  std::string_view value = item.substr(eq + 1);
  if (value.empty()) {
    return Status::InvalidArgument("rados: option " + std::string(key) + "= has no value");
  }
  if (key == "conf") {
    spec.conf = value;
  } else if (key == "id") {
    spec.id = value;
  } else if (key == "keyring") {
    spec.keyring = value;
  } else if (key == "timeout") {
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(),
                                     spec.timeout_seconds);
    if (ec != std::errc() || end != value.data() + value.size() || spec.timeout_seconds == 0) {
      return Status::InvalidArgument("rados: timeout='" + std::string(value) +
                                     "' is not a whole number of seconds above 0");
    }
  } else if (key == "lease") {
    auto [end, ec] =
        std::from_chars(value.data(), value.data() + value.size(), spec.lease_seconds);
    // Below 3 s a renewal every third of the lease races the cluster's own timeouts.
    if (ec != std::errc() || end != value.data() + value.size() ||
        (spec.lease_seconds != 0 && spec.lease_seconds < 3)) {
      return Status::InvalidArgument("rados: lease='" + std::string(value) +
                                     "' is not 0 (no expiry) or a whole number of seconds >= 3");
    }
  } else {
    return Status::InvalidArgument("rados: unknown option '" + std::string(key) +
                                   "' (known: conf, id, keyring, timeout, lease)");
  }
  return Status::Ok();
}

}  // namespace

Status ParseRadosName(std::string_view rest, RadosSpec& spec) {
  spec = RadosSpec{};
  if (rest.starts_with("{")) {
    std::size_t close = 0;
    VTAPE_RETURN_IF_ERROR(MatchBrace(rest, 0, close));
    std::string_view options = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    while (!options.empty()) {
      std::size_t comma = options.find(',');
      VTAPE_RETURN_IF_ERROR(ParseOption(options.substr(0, comma), spec));
      options = comma == std::string_view::npos ? std::string_view() : options.substr(comma + 1);
    }
  }
  std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size()) {
    return Status::InvalidArgument("rados: needs POOL/NAME, e.g. rados:vtape/A00001L8 or "
                                   "rados:{conf=/etc/ceph/ceph.conf,id=vtape}vtape/A00001L8");
  }
  spec.pool = rest.substr(0, slash);
  spec.name = rest.substr(slash + 1);
  for (char c : spec.pool + spec.name) {
    if (!NameChar(c)) {
      return Status::InvalidArgument("rados: '" + std::string(rest) +
                                     "': pool and name hold letters, digits, '.', '_' and '-'");
    }
  }
  if (spec.name.size() > 64) {
    return Status::InvalidArgument("rados: name '" + spec.name + "' is longer than 64 characters");
  }
  return Status::Ok();
}

}  // namespace vtape::rados
