// A device type's personalities (the INQUIRY identities it can take) are found
// by the key the config string names them by.
#pragma once

#include <span>
#include <string_view>

namespace vtape::spc {

// The entry of `all` whose `key` is `key`, or nullptr.
template <class Personality>
const Personality* FindByKey(std::span<const Personality> all, std::string_view key) {
  for (const Personality& p : all) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

}  // namespace vtape::spc
