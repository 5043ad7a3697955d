// Factories of the backends the registry holds from the start.
#pragma once

#include <memory>

#include "vtape/registry.h"

namespace vtape {

std::unique_ptr<Backend> MakeFileBackend();   // file_backend.cc
std::unique_ptr<Backend> MakeNullBackend();   // memory_tape.cc
std::unique_ptr<Backend> MakeMemBackend();    // memory_tape.cc
std::unique_ptr<Backend> MakeFaultBackend();  // fault_backend.cc

}  // namespace vtape
