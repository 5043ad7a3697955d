// MAM attributes of a rados: cartridge: omap entries of the header object, one
// key per (partition, id); writes are guarded by the writer's epoch like the header.
#include <cerrno>

#include "rados/rados_tape.h"

namespace vtape::rados {

Status RadosTape::ReadAttribute(std::uint32_t partition, std::uint16_t id,
                                std::vector<std::uint8_t>& value) const {
  VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
  std::string key = AttributeKey(partition, id);
  const char* keys[1] = {key.c_str()};
  rados_omap_iter_t iter = nullptr;
  int prval = 0;
  rados_read_op_t op = rados_create_read_op();
  rados_read_op_omap_get_vals_by_keys(op, keys, 1, &iter, &prval);
  int r = rados_read_op_operate(op, conn_.io(), spec_.name.c_str(), 0);
  rados_release_read_op(op);
  if (r < 0 || prval < 0) return FromRados(r < 0 ? r : prval, "rados: reading attribute " + key);
  char *k = nullptr, *v = nullptr;
  std::size_t klen = 0, vlen = 0;
  bool found = rados_omap_get_next2(iter, &k, &v, &klen, &vlen) == 0 && k != nullptr;
  if (found) value.assign(v, v + vlen);
  rados_omap_get_end(iter);
  if (!found) {
    return Status::NotFound("attribute " + std::to_string(id) + " is not set in partition " +
                            std::to_string(partition));
  }
  return Status::Ok();
}

Status RadosTape::WriteAttribute(std::uint32_t partition, std::uint16_t id,
                                 std::span<const std::uint8_t> value) {
  VTAPE_RETURN_IF_ERROR(Writable());
  VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
  std::string key = AttributeKey(partition, id);
  const char* keys[1] = {key.c_str()};
  const char* vals[1] = {reinterpret_cast<const char*>(value.data())};
  std::size_t lens[1] = {value.size()};
  std::string epoch = std::to_string(header_.epoch);
  rados_write_op_t op = rados_create_write_op();
  rados_write_op_cmpxattr(op, kEpochXattr, LIBRADOS_CMPXATTR_OP_EQ, epoch.data(), epoch.size());
  if (value.empty()) {
    rados_write_op_omap_rm_keys(op, keys, 1);
  } else {
    rados_write_op_omap_set(op, keys, vals, lens, 1);
  }
  int r = rados_write_op_operate(op, conn_.io(), spec_.name.c_str(), nullptr, 0);
  rados_release_write_op(op);
  if (r == -ECANCELED) {
    return Status::IoError("rados:" + spec_.Label() + ": this writer is fenced (epoch moved)");
  }
  return r < 0 ? FromRados(r, "rados: writing attribute " + key) : Status::Ok();
}

Status RadosTape::ListAttributes(std::uint32_t partition, std::vector<std::uint16_t>& ids) const {
  VTAPE_RETURN_IF_ERROR(CheckPartition(partition));
  ids.clear();
  std::string prefix = "attr." + std::to_string(partition) + ".";
  std::string after;
  unsigned char more = 1;
  while (more) {
    rados_omap_iter_t iter = nullptr;
    int prval = 0;
    rados_read_op_t op = rados_create_read_op();
    rados_read_op_omap_get_vals2(op, after.c_str(), prefix.c_str(), 1024, &iter, &more, &prval);
    int r = rados_read_op_operate(op, conn_.io(), spec_.name.c_str(), 0);
    rados_release_read_op(op);
    if (r < 0 || prval < 0) return FromRados(r < 0 ? r : prval, "rados: listing attributes");
    char *k = nullptr, *v = nullptr;
    std::size_t klen = 0, vlen = 0;
    while (rados_omap_get_next2(iter, &k, &v, &klen, &vlen) == 0 && k != nullptr) {
      after.assign(k, klen);
      ids.push_back(static_cast<std::uint16_t>(std::stoul(after.substr(prefix.size()), nullptr, 16)));
    }
    rados_omap_get_end(iter);
  }
  return Status::Ok();
}

}  // namespace vtape::rados
