// The rados: backend in a build without librados (VTAPE_RADOS=OFF or librados-dev
// missing): the prefix is not registered, so a rados: name is an unknown prefix,
// and break-lock says why.
#include "rados/rados.h"

namespace vtape::rados {

void RegisterRados() {}

Status BreakWriterLock(std::string_view, std::uint32_t, std::vector<std::string>& holders) {
  holders.clear();
  return Status::Unsupported("this vtape was built without librados (VTAPE_RADOS=OFF): "
                             "no rados: backend");
}

}  // namespace vtape::rados
