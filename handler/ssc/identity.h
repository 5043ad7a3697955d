// The drive's identity as INQUIRY reports it: the unit serial number (the NAA
// name of VPD 83h is derived from it, spc/identity.h). Shared by
// cmd_inquiry.cc and the tests.
#pragma once

#include <string>

#include "handler/spc/identity.h"
#include "handler/ssc/drive.h"

namespace vtape::ssc {

// DriveConfig.serial when set; otherwise a stable 10-character serial derived
// from the medium name: the low 40 bits of Fnv1a64(medium_name) as 10
// upper-case hex digits. The same medium name always gives the same serial, so
// a host sees the same drive across restarts.
std::string UnitSerial(const DriveConfig& config);

}  // namespace vtape::ssc
