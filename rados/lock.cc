#include "rados/lock.h"

#include <cerrno>

#include "vtape/media.h"

namespace vtape::rados {
namespace {

// librados lists "a\0b\0" in caller buffers; -ERANGE asks for bigger ones.
std::vector<std::string> SplitNul(const std::vector<char>& b, std::size_t len) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < len && i < b.size(); ++i) {
    if (b[i] == '\0') {
      out.emplace_back(b.data() + start, i - start);
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

Status ReadHeader(const Connection& conn, const RadosSpec& spec, Header& header) {
  std::vector<std::uint8_t> bytes(kHeaderBytes + 1);
  int r = rados_read(conn.io(), spec.name.c_str(), reinterpret_cast<char*>(bytes.data()),
                     bytes.size(), 0);
  if (r == -ENOENT) {
    return Status::NotFound("rados:" + spec.Label() + ": no such cartridge in pool " + spec.pool +
                            " (vtape create makes one)");
  }
  if (r < 0) return FromRados(r, "rados: reading the header of " + spec.Label());
  bytes.resize(r);
  return DecodeHeader(bytes, "rados:" + spec.Label(), header);
}

Status CreateMedium(const Connection& conn, const RadosSpec& spec, const CreateOptions& options) {
  if (options.barcode.size() > 32) {
    return Status::InvalidArgument("barcode '" + options.barcode + "' is longer than 32 characters");
  }
  for (char c : options.barcode) {
    if (c < 0x20 || c > 0x7e) {
      return Status::InvalidArgument("barcode '" + options.barcode + "' must be printable ASCII");
    }
  }
  auto type = FindMediaType(options.media_type);
  if (!type) return Status::InvalidArgument("unknown media type '" + options.media_type + "'");
  Header h;
  h.media_type = type->name;
  h.barcode = options.barcode;
  h.capacity_bytes = options.capacity_bytes != 0 ? options.capacity_bytes : type->native_bytes;
  h.early_warning_bytes =
      options.early_warning_bytes != 0 ? options.early_warning_bytes : kDefaultEarlyWarningBytes;
  h.write_protected = options.write_protected;
  h.partitions = {PartitionHeader{h.capacity_bytes, 0, 0}};
  h.epoch = 1;

  const char* cookie = "vtape-create";
  rados_write_op_t op = rados_create_write_op();
  if (options.overwrite) {
    // Only a cartridge nobody writes to is replaced; its epoch moves on.
    Header old;
    Status st = ReadHeader(conn, spec, old);
    if (st.ok()) {
      int r = rados_lock_exclusive(conn.io(), spec.name.c_str(), kLockName, cookie,
                                   "vtape create --overwrite", nullptr, 0);
      if (r == -EBUSY || r == -EEXIST) {
        rados_release_write_op(op);
        return Status::Busy("rados:" + spec.Label() + " is open for writing: not replacing it");
      }
      h.epoch = old.epoch + 1;
    } else if (st.code() != Code::kNotFound) {
      rados_release_write_op(op);
      return st;
    }
  } else {
    rados_write_op_create(op, LIBRADOS_CREATE_EXCLUSIVE, nullptr);
  }
  std::vector<std::uint8_t> bytes = EncodeHeader(h);
  std::string epoch = std::to_string(h.epoch);
  rados_write_op_write_full(op, reinterpret_cast<const char*>(bytes.data()), bytes.size());
  rados_write_op_setxattr(op, kEpochXattr, epoch.data(), epoch.size());
  rados_write_op_omap_clear(op);  // a replaced cartridge's MAM attributes go too
  int r = rados_write_op_operate(op, conn.io(), spec.name.c_str(), nullptr, 0);
  rados_release_write_op(op);
  if (options.overwrite) rados_unlock(conn.io(), spec.name.c_str(), kLockName, cookie);
  if (r == -EEXIST) {
    return Status::InvalidArgument("rados:" + spec.Label() +
                                   " already exists; pass overwrite to replace it");
  }
  return r < 0 ? FromRados(r, "rados: creating " + spec.Label()) : Status::Ok();
}

Status ListLockers(const Connection& conn, const std::string& oid, std::vector<Locker>& out) {
  out.clear();
  std::size_t size = 1024;
  for (int attempt = 0; attempt < 4; ++attempt, size *= 8) {
    int exclusive = 0;
    std::vector<char> tag(size), clients(size), cookies(size), addrs(size);
    std::size_t tag_len = size, clients_len = size, cookies_len = size, addrs_len = size;
    ssize_t n = rados_list_lockers(conn.io(), oid.c_str(), kLockName, &exclusive, tag.data(),
                                   &tag_len, clients.data(), &clients_len, cookies.data(),
                                   &cookies_len, addrs.data(), &addrs_len);
    if (n == -ERANGE) continue;
    if (n == -ENOENT) return Status::Ok();
    if (n < 0) return FromRados(static_cast<int>(n), "rados: listing the lockers of " + oid);
    auto c = SplitNul(clients, clients_len), k = SplitNul(cookies, cookies_len),
         a = SplitNul(addrs, addrs_len);
    for (ssize_t i = 0; i < n && i < static_cast<ssize_t>(c.size()) &&
                        i < static_cast<ssize_t>(k.size()) && i < static_cast<ssize_t>(a.size());
         ++i) {
      out.push_back({c[i], k[i], a[i]});
    }
    return Status::Ok();
  }
  return Status::IoError("rados: the lockers of " + oid + " do not fit 512 KiB");
}

Status BreakLock(const Connection& conn, const RadosSpec& spec, std::uint32_t blocklist_seconds,
                 std::vector<Locker>& broken) {
  VTAPE_RETURN_IF_ERROR(ListLockers(conn, spec.name, broken));
  for (const Locker& l : broken) {
    // Fence first: once the OSDs refuse the old writer, freeing its lock is safe.
    int r = rados_blocklist_add(conn.cluster(), const_cast<char*>(l.address.c_str()),
                                blocklist_seconds);
    if (r < 0) {
      return FromRados(r, "rados: blocklisting " + l.client + " at " + l.address +
                              " (the client needs the mon capability to blocklist)");
    }
    r = rados_break_lock(conn.io(), spec.name.c_str(), kLockName, l.client.c_str(),
                         l.cookie.c_str());
    if (r < 0 && r != -ENOENT) return FromRados(r, "rados: breaking the lock of " + l.client);
  }
  return Status::Ok();
}

}  // namespace vtape::rados
