// DIR/state.json: the library state as JSON (format: library/README.md).
#pragma once

#include <string>
#include <string_view>

#include "library/library.h"

namespace vtape::library {

inline constexpr std::string_view kStateSchema = "vtape-library-state";
inline constexpr int kStateVersion = 1;

// The state as the file's text: one line per cartridge, so a diff shows a move.
std::string EncodeState(const State& state);
// Parses and checks everything (schema, version, layout, each cartridge in one
// valid element at most, unique barcodes). `what` names the file in messages.
// kCorruptImage for damage, kUnsupported for a newer version.
Status DecodeState(std::string_view text, const std::string& what, State& state);
// Empty elements for state.layout, the drives' serials from state.serial.
void LayOutElements(State& state);

}  // namespace vtape::library
