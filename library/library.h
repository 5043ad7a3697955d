// The tape library model: elements (SMC element types and addresses), the
// cartridges in them, and the operations that move cartridges, kept in a
// directory with a crash-safe state file. Plain C++, no SCSI: the SMC changer
// (handler/smc/) and the `vtape library` tool are both built on it.
//
// A library directory DIR holds (library/README.md has the full description):
//   DIR/state.json    where every cartridge is (format: library/README.md)
//   DIR/media/        the cartridge images, DIR/media/BARCODE.img (file: backend)
//   DIR/lock          flock'ed exclusively across every read-modify-write
//   DIR/presented     flock'ed exclusively by the process presenting the library
//                     (tcmu-runner), for as long as it presents it
//
// Guarantees:
//  * Every operation is atomic and durable: it either happened (and survives a
//    crash or kill -9 right after it returned) or left the state unchanged.
//    The state is replaced by write-temp, fsync, rename, fsync-directory, so at
//    any moment every cartridge is in exactly one place (an element, or the
//    shelf outside the library after Export).
//  * Two processes changing the same library are serialised by DIR/lock; each
//    operation re-reads the state under the lock, so no update is lost.
//  * A reader never sees a half-written state (it reads the renamed file).
//  * Refusals leave the state unchanged and say why as a Reason (below), so the
//    changer maps each to its exact sense data.
//
// Threading: a Library object is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vtape/status.h"

namespace vtape::library {

// --- Elements ---------------------------------------------------------------

// SMC-3 element type codes (READ ELEMENT STATUS, MODE page 1Dh).
enum class ElementType : std::uint8_t {
  kTransport = 1,     // the robot (medium transport element): never holds a cartridge here
  kStorage = 2,       // a slot
  kImportExport = 3,  // a mail slot, reached by the operator from outside
  kDataTransfer = 4,  // a drive
};

// Fixed address ranges (MODE page 1Dh reports them).
inline constexpr std::uint16_t kTransportAddress = 0x0000;  // the one transport element
inline constexpr std::uint16_t kFirstDriveAddress = 0x0100;
inline constexpr std::uint16_t kFirstImportExportAddress = 0x0300;
inline constexpr std::uint16_t kFirstStorageAddress = 0x1000;
inline constexpr std::uint32_t kMaxDrives = kFirstImportExportAddress - kFirstDriveAddress;  // 512
inline constexpr std::uint32_t kMaxImportExport = 256;
inline constexpr std::uint32_t kMaxSlots = 0x10000 - kFirstStorageAddress;  // 61440

// A library's shape: how many elements of each type.
struct Layout {
  std::uint32_t drives = 0;         // 0 .. kMaxDrives
  std::uint32_t slots = 0;          // 1 .. kMaxSlots
  std::uint32_t import_export = 0;  // 0 .. kMaxImportExport
};

// The element at `address` in `layout`: its type and 0-based index within that
// type. nullopt when no element has that address.
struct ElementRef {
  ElementType type = ElementType::kStorage;
  std::uint32_t index = 0;
};
std::optional<ElementRef> FindElement(const Layout& layout, std::uint16_t address);
// The address of element `index` (0-based) of `type`; the caller keeps index in range.
std::uint16_t AddressOf(ElementType type, std::uint32_t index);

// Element names as people type them: "slot:N" (1-based, slot:1 = 0x1000),
// "drive:N" (0-based, as mtx numbers drives: drive:0 = 0x0100), "ie:N"
// (1-based, ie:1 = 0x0300), "transport" (0x0000), or a raw address in decimal or
// 0x hex. Checked against `layout`: a name outside it is kInvalidArgument.
Status ParseElementName(const Layout& layout, std::string_view text, std::uint16_t& address);
// The name of an address in the form above ("slot:3"), or "0x1234" if none.
std::string ElementName(const Layout& layout, std::uint16_t address);
std::string_view ElementTypeName(ElementType type);  // "storage", "drive", "import-export", ...

// One element as READ ELEMENT STATUS reports it.
struct Element {
  ElementType type = ElementType::kStorage;
  std::uint16_t address = 0;
  std::string barcode;  // the cartridge's volume tag; empty = the element is empty
  // SValid: the address the cartridge was last moved from by the transport
  // (Move/Exchange). nullopt after Add/Import and for empty elements.
  std::optional<std::uint16_t> source;
  // Import/export elements only.
  bool placed_by_operator = false;  // SMC ImpExp: Import put it here (not the transport)
  bool door_open = false;  // OPEN IMPORT EXPORT ELEMENT state; the transport cannot reach it
  // Drive elements only: the serial number the drive reports in VPD 80h (and
  // the changer in its DVCID descriptor). See DriveSerial.
  std::string drive_serial;

  bool full() const { return !barcode.empty(); }
};

// A drive's serial number: the library serial followed by "D" and the 0-based
// drive index in three digits ("VL3F2A9C01" + "D" + "000"), at most 32 characters.
std::string DriveSerial(std::string_view library_serial, std::uint32_t drive_index);

// --- Cartridges --------------------------------------------------------------

struct Cartridge {
  std::string barcode;     // volume tag: 1..32 printable ASCII characters, no space
  std::string medium;      // backend name as stored; a relative file: path is relative to DIR
  std::string media_type;  // "LTO-8" (a name from vtape/media.h)
};

// Checks a volume tag: 1..32 characters 0x21..0x7E. The reason if not.
Status CheckBarcode(std::string_view barcode);
// The media type an LTO label names: 8 characters whose last two are a suffix
// from vtape/media.h (L5 L6 L7 L8 L9 M8) -> "LTO-5" .. "LTO-9", "LTO-M8"; the
// WORM labels LV LW LX LY LZ -> "LTO-5 WORM" .. "LTO-9 WORM". nullopt for any
// other barcode.
std::optional<std::string> MediaTypeOfBarcode(std::string_view barcode);
// "A00001L8" x 3 -> A00001L8 A00002L8 A00003L8: increments the last run of
// digits before an LTO suffix (or at the end), keeping its width. Fails when the
// barcode has no digits or the count overflows them.
Status ExpandBarcodes(std::string_view first, std::uint32_t count,
                      std::vector<std::string>& barcodes);

// --- State --------------------------------------------------------------------

// A consistent snapshot of the whole library (what DIR/state.json holds).
struct State {
  std::uint64_t generation = 0;  // +1 on every successful change
  // The generation of the last operator action (Import, Export, Add): the
  // changer raises UNIT ATTENTION 28h when it grows.
  std::uint64_t operator_generation = 0;
  std::string name;                // the library's name (default: DIR's base name)
  std::string serial;              // the changer's serial number (VPD 80h)
  std::string default_media_type;  // for cartridges added without a type
  bool removal_prevented = false;  // PREVENT MEDIUM REMOVAL: the operator cannot Import/Export
  Layout layout;
  // Every element, by type, each vector in address order.
  Element transport;
  std::vector<Element> drives, import_export, slots;
  // Every cartridge the library knows, in barcode order, including those on
  // the shelf (exported: in no element).
  std::vector<Cartridge> cartridges;

  // The element at `address`, or nullptr.
  const Element* FindElement(std::uint16_t address) const;
  Element* FindElement(std::uint16_t address);
  const Cartridge* FindCartridge(std::string_view barcode) const;
  // The address of the element holding `barcode`; nullopt when on the shelf or
  // unknown. Linear in the number of elements.
  std::optional<std::uint16_t> LocationOf(std::string_view barcode) const;
  // The cartridges in no element (exported), in barcode order.
  std::vector<const Cartridge*> Shelf() const;
};

// --- Results ------------------------------------------------------------------

// Why an operation was refused. Each is distinct so the changer can map it to
// exact sense; conditions of the drive itself (medium removal prevented in the
// drive, incompatible medium, image missing or damaged) are the changer's.
enum class Reason : std::uint8_t {
  kNone = 0,               // success, or a failure that is no refusal (see Result::status)
  kInvalidElement,         // no element at that address, or the transport element
  kSourceEmpty,            // the source element holds no cartridge
  kDestinationFull,        // the destination element holds a cartridge
  kFirstDestinationEmpty,  // Exchange: the first destination holds no cartridge to move on
  kDoorOpen,           // the import/export element's door is open: the transport cannot reach it
  kNotImportExport,    // Import/Export/door named an element that is no import/export element
  kRemovalPrevented,   // Import/Export while PREVENT MEDIUM REMOVAL is in effect
  kPresented,          // a move involving a drive while another process presents the library
  kInvalidBarcode,     // barcode fails CheckBarcode
  kDuplicateBarcode,   // Add of a barcode the library has (in an element or on the shelf)
  kAlreadyInLibrary,   // Import of a known cartridge that is in an element, not on the shelf
  kUnknownMediaType,   // media type not in vtape/media.h
  kMediaTypeMismatch,  // the type disagrees with the LTO label or the medium's own label
  kNoFreeElement,      // Import/Add without an element named and none is empty
  kWrongElementType,   // Add into an element that is not a slot or import/export element
};
std::string_view ReasonName(Reason reason);  // "source-empty", ... (stable, for --json)

// What an operation returns: ok(), or a refusal (reason != kNone, status code
// kInvalidArgument, message for people), or a failure that is no refusal
// (reason kNone: I/O error, corrupt state file kCorruptImage, lock kBusy).
struct [[nodiscard]] Result {
  Reason reason = Reason::kNone;
  Status status;

  static Result Ok() { return {}; }
  static Result Refused(Reason why, std::string message) {
    return {why, Status::InvalidArgument(std::move(message))};
  }
  static Result Failed(Status status) { return {Reason::kNone, std::move(status)}; }
  bool ok() const { return status.ok(); }
};

// --- The library -------------------------------------------------------------

struct CreateSpec {
  std::string name;    // default: DIR's base name
  std::string serial;  // default: "VL" + 8 hex digits from the name and the creation time
  Layout layout;
  std::string media_type = "LTO-8";  // default for new cartridges
  // Cartridges created as DIR/media/BARCODE.img and placed in slots 1, 2, ...
  // Each one's media type: its LTO suffix if it has one, else media_type.
  std::vector<std::string> barcodes;
  std::uint64_t capacity_bytes = 0;  // per cartridge image; 0 = the media type's native capacity
  std::uint64_t early_warning_bytes = 0;  // per cartridge image; 0 = kDefaultEarlyWarningBytes
};

struct OpenOptions {
  // Take DIR/presented (exclusively, for this object's lifetime): this process
  // presents the library (the changer in tcmu-runner). Fails kBusy when another
  // process presents it. Without it, moves into or out of a drive element are
  // refused (kPresented) while some other process presents the library.
  bool present = false;
};

// Where a new cartridge comes from (Add, Import of an unknown barcode).
struct NewCartridge {
  std::string barcode;
  std::string media_type;                 // empty = from the LTO suffix, else the library's default
  std::string medium;                     // empty = file:media/BARCODE.img, created blank
  std::uint64_t capacity_bytes = 0;       // 0 = native (only when the image is created)
  std::uint64_t early_warning_bytes = 0;  // 0 = the default (only when the image is created)
};

class Library {
 public:
  // Creates DIR (it may exist but must hold no state.json), its media and state.
  static Status Create(const std::string& dir, const CreateSpec& spec);
  // Opens and loads the state. kNotFound when DIR holds no library,
  // kCorruptImage (with file, position and reason) for a damaged state file.
  static Status Open(const std::string& dir, const OpenOptions& options,
                     std::unique_ptr<Library>& library);
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  const std::string& dir() const { return dir_; }
  // The state as of the last Open/Refresh/operation by this object.
  const State& state() const { return state_; }
  // Re-reads the state if another process (or Library object) changed it since:
  // cheap (one fstat) when nothing changed. `changed` says whether it did.
  Status Refresh(bool* changed = nullptr);

  // The backend name to open a cartridge with (a relative file: path made
  // absolute against DIR). kNotFound for an unknown barcode.
  Status MediumName(std::string_view barcode, std::string& name) const;

  // MOVE MEDIUM: the cartridge in `from` goes to `to`; to.source = from.
  // Refusals: kInvalidElement (either address), kSourceEmpty, kDestinationFull
  // (also from == to), kDoorOpen (an import/export element with its door open),
  // kPresented (a drive element, see OpenOptions).
  Result Move(std::uint16_t from, std::uint16_t to);
  // EXCHANGE MEDIUM: source's cartridge -> first_dest, first_dest's cartridge ->
  // second_dest (second_dest may equal source: a swap). Refusals as Move, plus
  // kFirstDestinationEmpty; kDestinationFull when second_dest is full and not source.
  Result Exchange(std::uint16_t source, std::uint16_t first_dest, std::uint16_t second_dest);
  // The operator puts a cartridge into import/export element `ie` (nullopt: the
  // first empty one). A barcode on the shelf comes back; an unknown one is a
  // new cartridge (created as in Add). placed_by_operator is set, source cleared.
  // Refusals: kNotImportExport, kDestinationFull, kNoFreeElement,
  // kRemovalPrevented, kAlreadyInLibrary, kInvalidBarcode, kUnknownMediaType,
  // kMediaTypeMismatch.
  Result Import(const NewCartridge& cartridge, std::optional<std::uint16_t> ie);
  // The operator takes the cartridge out of import/export element `ie`: it goes
  // to the shelf (its image stays in DIR/media). Refusals: kInvalidElement,
  // kNotImportExport, kSourceEmpty, kRemovalPrevented.
  Result Export(std::uint16_t ie);
  // Creates a new cartridge and puts it into `element` (a slot or import/export
  // element; nullopt: the first empty slot). Refusals: kDuplicateBarcode,
  // kInvalidBarcode, kUnknownMediaType, kMediaTypeMismatch, kInvalidElement,
  // kWrongElementType, kDestinationFull, kNoFreeElement.
  Result Add(const NewCartridge& cartridge, std::optional<std::uint16_t> element);
  // OPEN/CLOSE IMPORT EXPORT ELEMENT. Refusals: kInvalidElement, kNotImportExport,
  // kRemovalPrevented (opening while prevented).
  Result SetDoor(std::uint16_t ie, bool open);
  // PREVENT ALLOW MEDIUM REMOVAL for the import/export elements.
  Result SetRemovalPrevented(bool prevented);

 private:
  class Impl;  // the open files (state, presented); library.cc
  Library(std::string dir, std::unique_ptr<Impl> impl);
  // Runs `apply` on the current state under DIR/lock and writes the result;
  // `drives_reachable` tells `apply` whether drive elements may be touched.
  Result Change(bool by_operator,
                const std::function<Result(State& state, bool drives_reachable)>& apply);

  std::string dir_;
  std::unique_ptr<Impl> impl_;
  State state_;
};

}  // namespace vtape::library
