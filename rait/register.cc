// PLACEHOLDER until the rait: backend lands: registers nothing.
#include "rait/rait.h"

namespace vtape::rait {
void RegisterRait() {}
}  // namespace vtape::rait
