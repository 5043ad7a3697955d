// The library's operations as transitions of a State in memory. library.cc
// runs each under DIR/lock between reading and writing the state file; a
// refusal leaves the State untouched. Generations are library.cc's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "library/library.h"

namespace vtape::library {

// `drives_reachable` false: another process presents the library, so any
// element address of a drive is refused with kPresented.
Result ApplyMove(State& state, std::uint16_t from, std::uint16_t to, bool drives_reachable);
Result ApplyExchange(State& state, std::uint16_t source, std::uint16_t first_dest,
                     std::uint16_t second_dest, bool drives_reachable);

// Import and Add in two steps, because the medium may have to be created in
// between: Choose* checks and picks the element, Place* puts the cartridge there.
// For Import `known` says whether the barcode is a cartridge on the shelf.
Result ChooseImportElement(const State& state, std::string_view barcode,
                           std::optional<std::uint16_t> ie, std::uint16_t& chosen, bool& known);
Result ChooseAddElement(const State& state, std::string_view barcode,
                        std::optional<std::uint16_t> element, std::uint16_t& chosen);
// The media type a new cartridge gets: `requested`, else the barcode's LTO
// suffix's, else the library's default. kUnknownMediaType, kMediaTypeMismatch.
Result ResolveMediaType(const State& state, std::string_view barcode, std::string_view requested,
                        std::string& media_type);
// Puts a new cartridge (not yet in state.cartridges) into the empty element `at`.
void PlaceNew(State& state, Cartridge cartridge, std::uint16_t at);
// Puts a cartridge from the shelf into the empty element `at`.
void PlaceFromShelf(State& state, std::string_view barcode, std::uint16_t at);

Result ApplyExport(State& state, std::uint16_t ie);
Result ApplySetDoor(State& state, std::uint16_t ie, bool open);

}  // namespace vtape::library
