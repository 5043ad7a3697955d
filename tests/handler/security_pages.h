// The SECURITY PROTOCOL OUT pages the engine tests send: the key they use and
// the SET DATA ENCRYPTION page stenc 1.0.7 builds.
#pragma once

#include <algorithm>
#include <string>

#include "ssc_test_util.h"

namespace vtape::ssc::testing {

inline Bytes TestKey() {
  Bytes k(32);
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(0xA0 + i);
  return k;
}

// The page stenc 1.0.7's SCSIWriteEncryptOptions builds: scope ALL I_T NEXUS,
// CEEM 0, the RDMC and CKOD given, modes, algorithm, a 32-byte key field
// (zeros and length 32 for "off"), then a U-KAD with the key description.
inline Bytes StencPage(std::uint8_t encryption, std::uint8_t decryption, std::uint8_t algorithm,
                       const Bytes& key, const std::string& description = "",
                       std::uint8_t byte5 = 0) {
  Bytes p(52, 0);
  p[1] = 0x10;
  p[4] = 0x40;
  p[5] = byte5;
  p[6] = encryption;
  p[7] = decryption;
  p[8] = algorithm;
  p[19] = 0x20;
  std::copy(key.begin(), key.end(), p.begin() + 20);
  if (!description.empty()) {
    const std::size_t at = p.size();
    p.resize(at + 4 + description.size(), 0);
    p[at + 3] = static_cast<std::uint8_t>(description.size());
    std::copy(description.begin(), description.end(), p.begin() + static_cast<long>(at) + 4);
  }
  Put(p, 2, 2, p.size() - 4);
  return p;
}

// SECURITY PROTOCOL IN (A2h) or OUT (B5h): protocol, page (protocol specific) and
// allocation or transfer length.
inline Bytes SecurityProtocolCdb(std::uint8_t opcode, std::uint8_t protocol, std::uint16_t page,
                                 std::uint32_t length) {
  Bytes c(12, 0);
  c[0] = opcode;
  c[1] = protocol;
  Put(c, 2, 2, page);
  Put(c, 6, 4, length);
  return c;
}

inline Bytes SpinCdb(std::uint8_t protocol, std::uint16_t page, std::uint32_t allocation = 8196) {
  return SecurityProtocolCdb(0xA2, protocol, page, allocation);
}

// SECURITY PROTOCOL OUT, tape data encryption, page `page`.
inline Bytes SpoutCdb(std::uint16_t page, std::uint32_t length, std::uint8_t protocol = 0x20) {
  return SecurityProtocolCdb(0xB5, protocol, page, length);
}

}  // namespace vtape::ssc::testing
