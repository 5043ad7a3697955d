// Every Library operation and every refusal with its exact reason.
#include <sys/stat.h>

#include <fstream>

#include "tests/library/library_fixture.h"
#include "vtape/registry.h"

namespace vtape::library {
namespace {

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

TEST_F(LibraryTest, CreateLaysOutEveryElementAndPlacesTheCartridges) {
  Make(4, {2, 10, 2});
  const State& s = lib_->state();
  EXPECT_EQ(s.generation, 1u);
  EXPECT_EQ(s.operator_generation, 0u);
  EXPECT_EQ(s.name, "testlib");
  EXPECT_EQ(s.serial, "VLTEST0001");
  EXPECT_EQ(s.default_media_type, "LTO-8");
  EXPECT_FALSE(s.removal_prevented);
  EXPECT_EQ(s.transport.address, 0x0000);
  EXPECT_EQ(s.transport.type, ElementType::kTransport);
  ASSERT_EQ(s.drives.size(), 2u);
  EXPECT_EQ(s.drives[0].address, 0x0100);
  EXPECT_EQ(s.drives[1].address, 0x0101);
  EXPECT_EQ(s.drives[0].type, ElementType::kDataTransfer);
  EXPECT_EQ(s.drives[0].drive_serial, "VLTEST0001D000");
  EXPECT_EQ(s.drives[1].drive_serial, "VLTEST0001D001");
  ASSERT_EQ(s.import_export.size(), 2u);
  EXPECT_EQ(s.import_export[1].address, 0x0301);
  EXPECT_EQ(s.import_export[1].type, ElementType::kImportExport);
  ASSERT_EQ(s.slots.size(), 10u);
  EXPECT_EQ(s.slots[9].address, 0x1009);
  EXPECT_EQ(s.slots[9].type, ElementType::kStorage);
  const char* barcodes[] = {"A00001L8", "A00002L8", "A00003L8", "A00004L8"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(s.slots[i].barcode, barcodes[i]);
    EXPECT_FALSE(s.slots[i].source.has_value());
    EXPECT_FALSE(s.slots[i].placed_by_operator);
    const Cartridge* c = s.FindCartridge(barcodes[i]);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->medium, std::string("file:media/") + barcodes[i] + ".img");
    EXPECT_EQ(c->media_type, "LTO-8");
    EXPECT_TRUE(Exists(dir_ + "/media/" + barcodes[i] + ".img"));
  }
  for (int i = 4; i < 10; ++i) EXPECT_FALSE(s.slots[i].full());
  std::string name;
  ASSERT_TRUE(lib_->MediumName("A00002L8", name).ok());
  EXPECT_EQ(name, "file:" + dir_ + "/media/A00002L8.img");
  // The image is a blank LTO-8 cartridge labelled with its barcode.
  std::unique_ptr<Tape> tape;
  ASSERT_TRUE(OpenTape(name, {.read_only = true}, tape).ok());
  MediumInfo info;
  ASSERT_TRUE(tape->Stat(info).ok());
  EXPECT_EQ(info.barcode, "A00002L8");
  EXPECT_EQ(info.media_type, "LTO-8");
  EXPECT_EQ(lib_->MediumName("NOPE00L8", name).code(), Code::kNotFound);
}

TEST_F(LibraryTest, CreateTakesTheMediaTypeFromTheLabelAndRefusesBadSpecs) {
  CreateSpec spec;
  spec.layout = {1, 5, 0};
  spec.barcodes = {"B00001L7", "C00001L9", "CLN001", "D00001M8", "E00001LY"};
  ASSERT_TRUE(Library::Create(dir_, spec).ok());
  Reopen();
  const State& s = lib_->state();
  EXPECT_EQ(s.FindCartridge("B00001L7")->media_type, "LTO-7");
  EXPECT_EQ(s.FindCartridge("C00001L9")->media_type, "LTO-9");
  EXPECT_EQ(s.FindCartridge("CLN001")->media_type, "LTO-8");  // no LTO label: the default
  EXPECT_EQ(s.FindCartridge("D00001M8")->media_type, "LTO-M8");
  // A WORM label: the cartridge's image is an LTO-8 WORM cartridge.
  EXPECT_EQ(s.FindCartridge("E00001LY")->media_type, "LTO-8 WORM");
  std::string worm;
  ASSERT_TRUE(lib_->MediumName("E00001LY", worm).ok());
  std::unique_ptr<Tape> tape;
  ASSERT_TRUE(OpenTape(worm, {.read_only = true}, tape).ok());
  MediumInfo info;
  ASSERT_TRUE(tape->Stat(info).ok());
  EXPECT_EQ(info.media_type, "LTO-8 WORM");
  EXPECT_EQ(s.name, "lib");                // the directory's name
  EXPECT_EQ(s.serial.substr(0, 2), "VL");  // generated
  EXPECT_EQ(s.serial.size(), 10u);

  Status again = Library::Create(dir_, spec);
  EXPECT_EQ(again.code(), Code::kInvalidArgument);
  EXPECT_NE(again.message().find("already holds a library"), std::string::npos);

  struct Case {
    Layout layout;
    std::vector<std::string> barcodes;
    std::string media;
    const char* reason;
  };
  const Case cases[] = {
      {{1, 0, 0}, {}, "LTO-8", "1 to 61440 slots, not 0"},
      {{1, 61441, 0}, {}, "LTO-8", "1 to 61440 slots, not 61441"},
      {{513, 1, 0}, {}, "LTO-8", "at most 512 drives"},
      {{1, 1, 257}, {}, "LTO-8", "at most 256 import/export"},
      {{1, 1, 0}, {"A00001L8", "A00002L8"}, "LTO-8", "2 cartridges do not fit in 1 slots"},
      {{1, 2, 0}, {"A00001L8", "A00001L8"}, "LTO-8", "already has a cartridge A00001L8"},
      {{1, 2, 0}, {"A 0001"}, "LTO-8", "without spaces"},
      {{1, 2, 0}, {}, "LTO-99", "unknown media type 'LTO-99'"},
  };
  int n = 0;
  for (const Case& c : cases) {
    CreateSpec bad;
    bad.layout = c.layout;
    bad.barcodes = c.barcodes;
    bad.media_type = c.media;
    Status st = Library::Create(root_ + "/bad" + std::to_string(n++), bad);
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << c.reason;
    EXPECT_NE(st.message().find(c.reason), std::string::npos) << st.message();
  }
}

TEST_F(LibraryTest, MoveCarriesTheCartridgeAndRecordsItsSource) {
  Make();
  EXPECT_DONE(lib_->Move(kSlot1, kDrive0));
  EXPECT_FALSE(At(kSlot1).full());
  EXPECT_FALSE(At(kSlot1).source.has_value());
  EXPECT_EQ(At(kDrive0).barcode, "A00001L8");
  EXPECT_EQ(At(kDrive0).source, kSlot1);
  EXPECT_EQ(lib_->state().generation, 2u);
  EXPECT_EQ(lib_->state().operator_generation, 0u);  // the transport moved it
  EXPECT_DONE(lib_->Move(kDrive0, kSlot10));
  EXPECT_EQ(At(kSlot10).barcode, "A00001L8");
  EXPECT_EQ(At(kSlot10).source, kDrive0);
  EXPECT_DONE(lib_->Move(kSlot2, kIe1));
  EXPECT_EQ(At(kIe1).barcode, "A00002L8");
  EXPECT_FALSE(At(kIe1).placed_by_operator);
  EXPECT_EQ(At(kIe1).source, kSlot2);
  // Durable: another object reading the directory sees the same.
  Reopen();
  EXPECT_EQ(lib_->state().generation, 4u);
  EXPECT_EQ(At(kSlot10).barcode, "A00001L8");
  EXPECT_EQ(At(kSlot10).source, kDrive0);
  EXPECT_EQ(At(kIe1).barcode, "A00002L8");
  EXPECT_EQ(lib_->state().LocationOf("A00002L8"), kIe1);
}

TEST_F(LibraryTest, MoveRefusalsHaveDistinctReasonsAndChangeNothing) {
  Make();
  EXPECT_REFUSED(lib_->Move(0x0050, kSlot5), Reason::kInvalidElement, "address 0x0050");
  EXPECT_REFUSED(lib_->Move(kSlot1, 0x100A), Reason::kInvalidElement, "address 0x100a");
  EXPECT_REFUSED(lib_->Move(kSlot1, 0x0102), Reason::kInvalidElement, "address 0x0102");
  EXPECT_REFUSED(lib_->Move(kSlot1, 0x0302), Reason::kInvalidElement, "address 0x0302");
  EXPECT_REFUSED(lib_->Move(0x0000, kSlot5), Reason::kInvalidElement, "address 0x0000");
  EXPECT_REFUSED(lib_->Move(kSlot1, 0x0000), Reason::kInvalidElement, "address 0x0000");
  EXPECT_REFUSED(lib_->Move(kSlot5, kSlot10), Reason::kSourceEmpty, "slot:5 is empty");
  EXPECT_REFUSED(lib_->Move(kDrive1, kSlot10), Reason::kSourceEmpty, "drive:1 is empty");
  EXPECT_REFUSED(lib_->Move(kSlot1, kSlot2), Reason::kDestinationFull, "slot:2 is full (A00002L8)");
  EXPECT_REFUSED(lib_->Move(kSlot1, kSlot1), Reason::kDestinationFull, "slot:1 is full");
  // An invalid address wins over an empty source.
  EXPECT_REFUSED(lib_->Move(kSlot5, 0xFFFF), Reason::kInvalidElement, "0xffff");
  EXPECT_EQ(lib_->state().generation, 1u);
  Reopen();
  EXPECT_EQ(lib_->state().generation, 1u);
  EXPECT_EQ(At(kSlot1).barcode, "A00001L8");
}

TEST_F(LibraryTest, ExchangeSwapsOrRotatesThroughTheTransport) {
  Make();
  // A swap: second destination = source.
  EXPECT_DONE(lib_->Exchange(kSlot1, kSlot2, kSlot1));
  EXPECT_EQ(At(kSlot1).barcode, "A00002L8");
  EXPECT_EQ(At(kSlot1).source, kSlot2);
  EXPECT_EQ(At(kSlot2).barcode, "A00001L8");
  EXPECT_EQ(At(kSlot2).source, kSlot1);
  // A rotation: slot3 -> drive0 needs drive0 full; load it first.
  EXPECT_DONE(lib_->Move(kSlot4, kDrive0));
  EXPECT_DONE(lib_->Exchange(kSlot3, kDrive0, kSlot10));
  EXPECT_FALSE(At(kSlot3).full());
  EXPECT_EQ(At(kDrive0).barcode, "A00003L8");
  EXPECT_EQ(At(kDrive0).source, kSlot3);
  EXPECT_EQ(At(kSlot10).barcode, "A00004L8");
  EXPECT_EQ(At(kSlot10).source, kDrive0);
  EXPECT_EQ(lib_->state().generation, 4u);
}

TEST_F(LibraryTest, ExchangeRefusals) {
  Make();
  EXPECT_REFUSED(lib_->Exchange(kSlot1, kSlot2, 0x2000), Reason::kInvalidElement, "0x2000");
  EXPECT_REFUSED(lib_->Exchange(kSlot5, kSlot2, kSlot5), Reason::kSourceEmpty, "slot:5 is empty");
  EXPECT_REFUSED(lib_->Exchange(kSlot1, kSlot5, kSlot1), Reason::kFirstDestinationEmpty,
                 "slot:5 (the first destination) is empty");
  EXPECT_REFUSED(lib_->Exchange(kSlot1, kSlot2, kSlot3), Reason::kDestinationFull,
                 "slot:3 is full (A00003L8)");
  EXPECT_REFUSED(lib_->Exchange(kSlot1, kSlot1, kSlot5), Reason::kDestinationFull,
                 "first destination is the source");
  EXPECT_EQ(lib_->state().generation, 1u);
}

TEST_F(LibraryTest, ImportBringsANewCartridgeThroughTheMailSlot) {
  Make();
  NewCartridge b;
  b.barcode = "B00001L7";
  EXPECT_DONE(lib_->Import(b, std::nullopt));
  EXPECT_EQ(At(kIe1).barcode, "B00001L7");
  EXPECT_TRUE(At(kIe1).placed_by_operator);
  EXPECT_FALSE(At(kIe1).source.has_value());
  EXPECT_EQ(lib_->state().FindCartridge("B00001L7")->media_type, "LTO-7");
  EXPECT_TRUE(Exists(dir_ + "/media/B00001L7.img"));
  EXPECT_EQ(lib_->state().generation, 2u);
  EXPECT_EQ(lib_->state().operator_generation, 2u);
  // The next one takes the next free mail slot; an explicit one is honoured.
  b.barcode = "B00002L7";
  EXPECT_DONE(lib_->Import(b, std::nullopt));
  EXPECT_EQ(At(kIe2).barcode, "B00002L7");
  // The transport takes it into a slot: no longer placed by the operator there.
  EXPECT_DONE(lib_->Move(kIe1, kSlot5));
  EXPECT_FALSE(At(kSlot5).placed_by_operator);
  EXPECT_EQ(At(kSlot5).source, kIe1);
  EXPECT_FALSE(At(kIe1).placed_by_operator);
  b.barcode = "B00003L7";
  EXPECT_DONE(lib_->Import(b, kIe1));
  EXPECT_EQ(At(kIe1).barcode, "B00003L7");
}

TEST_F(LibraryTest, ImportRefusals) {
  Make();
  NewCartridge b = Cart("B00001L8");
  EXPECT_REFUSED(lib_->Import(b, kSlot5), Reason::kNotImportExport,
                 "slot:5 is no import/export element");
  EXPECT_REFUSED(lib_->Import(b, 0x0302), Reason::kInvalidElement, "0x0302");
  EXPECT_REFUSED(lib_->Import(Cart("A00001L8"), std::nullopt), Reason::kAlreadyInLibrary,
                 "A00001L8 is already in the library, in slot:1");
  EXPECT_REFUSED(lib_->Import(Cart(""), std::nullopt), Reason::kInvalidBarcode,
                 "1 to 32 characters");
  EXPECT_REFUSED(lib_->Import(Cart("x/y"), std::nullopt), Reason::kInvalidBarcode,
                 "cannot name an image file");
  EXPECT_REFUSED(lib_->Import(Cart("B00001L8", "LTO-7"), std::nullopt), Reason::kMediaTypeMismatch,
                 "labels an LTO-8 cartridge, not LTO-7");
  EXPECT_REFUSED(lib_->Import(Cart("CLN001", "LTO-99"), std::nullopt), Reason::kUnknownMediaType,
                 "unknown media type 'LTO-99'");
  EXPECT_DONE(lib_->Import(b, kIe1));
  EXPECT_REFUSED(lib_->Import(Cart("B00002L8"), kIe1), Reason::kDestinationFull,
                 "ie:1 is full (B00001L8)");
  EXPECT_DONE(lib_->Import(Cart("B00002L8"), std::nullopt));
  EXPECT_REFUSED(lib_->Import(Cart("B00003L8"), std::nullopt), Reason::kNoFreeElement,
                 "every import/export element is full");
  EXPECT_EQ(lib_->state().generation, 3u);
}

TEST_F(LibraryTest, RemovalPreventedLocksTheMailSlotsForTheOperator) {
  Make();
  EXPECT_DONE(lib_->Import(Cart("B00001L8"), kIe1));
  EXPECT_DONE(lib_->SetRemovalPrevented(true));
  EXPECT_TRUE(lib_->state().removal_prevented);
  EXPECT_REFUSED(lib_->Import(Cart("B00002L8"), kIe2), Reason::kRemovalPrevented,
                 "medium removal is prevented");
  EXPECT_REFUSED(lib_->Export(kIe1), Reason::kRemovalPrevented, "medium removal is prevented");
  EXPECT_REFUSED(lib_->SetDoor(kIe1, true), Reason::kRemovalPrevented, "prevented");
  // The transport still reaches the mail slots.
  EXPECT_DONE(lib_->Move(kIe1, kSlot5));
  EXPECT_DONE(lib_->SetRemovalPrevented(false));
  EXPECT_DONE(lib_->Move(kSlot5, kIe1));
  EXPECT_DONE(lib_->Export(kIe1));
}

TEST_F(LibraryTest, ExportPutsTheCartridgeOnTheShelfAndImportBringsItBack) {
  Make();
  EXPECT_DONE(lib_->Move(kSlot2, kIe2));
  EXPECT_DONE(lib_->Export(kIe2));
  EXPECT_FALSE(At(kIe2).full());
  EXPECT_FALSE(At(kIe2).source.has_value());
  const Cartridge* c = lib_->state().FindCartridge("A00002L8");
  ASSERT_NE(c, nullptr);  // still known: on the shelf
  EXPECT_FALSE(lib_->state().LocationOf("A00002L8").has_value());
  EXPECT_TRUE(Exists(dir_ + "/media/A00002L8.img"));
  EXPECT_EQ(lib_->state().operator_generation, 3u);
  Reopen();
  EXPECT_FALSE(lib_->state().LocationOf("A00002L8").has_value());
  EXPECT_REFUSED(lib_->Add(Cart("A00002L8"), std::nullopt), Reason::kDuplicateBarcode,
                 "on the shelf; import it instead");
  EXPECT_REFUSED(lib_->Import(Cart("A00002L8", "LTO-7"), std::nullopt), Reason::kMediaTypeMismatch,
                 "is LTO-8, not LTO-7");
  EXPECT_DONE(lib_->Import(Cart("A00002L8"), std::nullopt));
  EXPECT_EQ(At(kIe1).barcode, "A00002L8");
  EXPECT_TRUE(At(kIe1).placed_by_operator);
  EXPECT_EQ(lib_->state().cartridges.size(), 4u);
}

TEST_F(LibraryTest, ExportRefusals) {
  Make();
  EXPECT_REFUSED(lib_->Export(kSlot1), Reason::kNotImportExport, "slot:1 is no import/export");
  EXPECT_REFUSED(lib_->Export(0x0310), Reason::kInvalidElement, "0x0310");
  EXPECT_REFUSED(lib_->Export(kIe1), Reason::kSourceEmpty, "ie:1 is empty");
}

TEST_F(LibraryTest, AddCreatesTheImageAndFillsTheFirstFreeOrNamedElement) {
  Make();
  EXPECT_DONE(lib_->Add(Cart("C00001L9"), std::nullopt));
  EXPECT_EQ(At(kSlot5).barcode, "C00001L9");
  EXPECT_FALSE(At(kSlot5).placed_by_operator);
  EXPECT_EQ(lib_->state().FindCartridge("C00001L9")->media_type, "LTO-9");
  EXPECT_DONE(lib_->Add(Cart("CLN002", "lto-6"), kSlot10));
  EXPECT_EQ(At(kSlot10).barcode, "CLN002");
  EXPECT_EQ(lib_->state().FindCartridge("CLN002")->media_type, "LTO-6");
  EXPECT_DONE(lib_->Add(Cart("C00002L9"), kIe2));
  EXPECT_TRUE(At(kIe2).placed_by_operator);
  EXPECT_EQ(lib_->state().operator_generation, 4u);
  // Any backend name as the medium: its own label gives the type.
  ASSERT_TRUE(CreateTape("file:" + root_ + "/other.img", Blank("X", "LTO-5")).ok());
  EXPECT_DONE(lib_->Add(Cart("OTHER1", "", "file:" + root_ + "/other.img"), std::nullopt));
  EXPECT_EQ(lib_->state().FindCartridge("OTHER1")->media_type, "LTO-5");
  std::string name;
  ASSERT_TRUE(lib_->MediumName("OTHER1", name).ok());
  EXPECT_EQ(name, "file:" + root_ + "/other.img");
}

TEST_F(LibraryTest, AddAdoptsAnImageAlreadyInTheMediaDirectory) {
  Make();
  // What an Add cut short between creating the image and writing the state leaves.
  ASSERT_TRUE(CreateTape("file:" + dir_ + "/media/D00001L6.img", Blank("D00001L6", "LTO-6")).ok());
  std::unique_ptr<Tape> tape;
  ASSERT_TRUE(OpenTape("file:" + dir_ + "/media/D00001L6.img", {}, tape).ok());
  std::vector<std::uint8_t> record(100, 0x5A);
  ASSERT_TRUE(tape->Write(record).ok());
  ASSERT_TRUE(tape->Close().ok());
  EXPECT_DONE(lib_->Add(Cart("D00001L6"), std::nullopt));
  EXPECT_EQ(lib_->state().FindCartridge("D00001L6")->media_type, "LTO-6");
  ASSERT_TRUE(OpenTape("file:" + dir_ + "/media/D00001L6.img", {.read_only = true}, tape).ok());
  MediumInfo info;
  ASSERT_TRUE(tape->Stat(info).ok());
  EXPECT_EQ(info.records, 1u);  // adopted, not overwritten
  // An image whose label disagrees with the barcode's type is refused.
  ASSERT_TRUE(CreateTape("file:" + dir_ + "/media/E00001L8.img", Blank("", "LTO-7")).ok());
  EXPECT_REFUSED(lib_->Add(Cart("E00001L8"), std::nullopt), Reason::kMediaTypeMismatch,
                 "is LTO-7, not LTO-8");
  // A damaged image is a failure, not a refusal, and names the file.
  { std::ofstream(dir_ + "/media/F00001L8.img") << "junk"; }
  Result r = lib_->Add(Cart("F00001L8"), std::nullopt);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.reason, Reason::kNone);
  EXPECT_NE(r.status.message().find("F00001L8.img"), std::string::npos) << r.status.ToString();
  EXPECT_EQ(lib_->state().FindCartridge("F00001L8"), nullptr);
}

TEST_F(LibraryTest, AddRefusals) {
  Make(10, {1, 10, 1});
  EXPECT_REFUSED(lib_->Add(Cart("A00001L8"), std::nullopt), Reason::kDuplicateBarcode,
                 "already has a cartridge A00001L8 (in slot:1)");
  EXPECT_REFUSED(lib_->Add(Cart("B00001L8"), std::nullopt), Reason::kNoFreeElement,
                 "every slot is full");
  EXPECT_REFUSED(lib_->Add(Cart("B00001L8"), kSlot3), Reason::kDestinationFull, "slot:3 is full");
  EXPECT_REFUSED(lib_->Add(Cart("B00001L8"), kDrive0), Reason::kWrongElementType,
                 "drive:0 is no slot or import/export element");
  EXPECT_REFUSED(lib_->Add(Cart("B00001L8"), 0x0000), Reason::kWrongElementType, "transport");
  EXPECT_REFUSED(lib_->Add(Cart("B00001L8"), 0x0101), Reason::kInvalidElement, "0x0101");
  EXPECT_REFUSED(lib_->Add(Cart(std::string(33, 'A')), kIe1), Reason::kInvalidBarcode,
                 "1 to 32 characters");
  EXPECT_REFUSED(lib_->Add(Cart("B00001L8", "LTO-6"), kIe1), Reason::kMediaTypeMismatch,
                 "labels an LTO-8 cartridge, not LTO-6");
  EXPECT_REFUSED(lib_->Add(Cart("B00001", "DLT"), kIe1), Reason::kUnknownMediaType,
                 "unknown media type 'DLT'");
  EXPECT_EQ(lib_->state().generation, 1u);
}

TEST_F(LibraryTest, AnOpenDoorKeepsTheTransportOut) {
  Make();
  EXPECT_DONE(lib_->SetDoor(kIe1, true));
  EXPECT_TRUE(At(kIe1).door_open);
  EXPECT_EQ(lib_->state().operator_generation, 0u);
  EXPECT_REFUSED(lib_->Move(kSlot1, kIe1), Reason::kDoorOpen, "ie:1 has its door open");
  EXPECT_REFUSED(lib_->Exchange(kSlot1, kSlot2, kIe1), Reason::kDoorOpen, "door open");
  // The operator uses it meanwhile; the other mail slot works as usual.
  EXPECT_DONE(lib_->Import(Cart("B00001L8"), kIe1));
  EXPECT_REFUSED(lib_->Move(kIe1, kSlot5), Reason::kDoorOpen, "door open");
  EXPECT_DONE(lib_->Move(kSlot1, kIe2));
  EXPECT_DONE(lib_->SetDoor(kIe1, false));
  EXPECT_DONE(lib_->Move(kIe1, kSlot5));
  EXPECT_REFUSED(lib_->SetDoor(kSlot1, true), Reason::kNotImportExport, "slot:1");
  EXPECT_REFUSED(lib_->SetDoor(0x0305, true), Reason::kInvalidElement, "0x0305");
  Reopen();
  EXPECT_FALSE(At(kIe1).door_open);
}

TEST_F(LibraryTest, RefreshSeesAnotherWritersChangeAndIsCheapOtherwise) {
  Make();
  std::unique_ptr<Library> other;
  ASSERT_TRUE(Library::Open(dir_, {}, other).ok());
  bool changed = true;
  ASSERT_TRUE(lib_->Refresh(&changed).ok());
  EXPECT_FALSE(changed);
  EXPECT_DONE(other->Move(kSlot1, kSlot5));
  EXPECT_EQ(At(kSlot1).barcode, "A00001L8");  // the snapshot until Refresh
  ASSERT_TRUE(lib_->Refresh(&changed).ok());
  EXPECT_TRUE(changed);
  EXPECT_EQ(At(kSlot5).barcode, "A00001L8");
  EXPECT_EQ(lib_->state().generation, 2u);
  // An operation re-reads first, so it acts on the current state.
  EXPECT_DONE(other->Move(kSlot5, kSlot6));
  EXPECT_REFUSED(lib_->Move(kSlot5, kSlot1), Reason::kSourceEmpty, "slot:5 is empty");
  EXPECT_DONE(lib_->Move(kSlot6, kSlot1));
  ASSERT_TRUE(other->Refresh(&changed).ok());
  EXPECT_TRUE(changed);
  EXPECT_EQ(other->state().generation, 4u);
}

TEST_F(LibraryTest, NamesThatAreNotUtf8NeitherCrashNorCorruptTheState) {
  // A directory name is any bytes: the library's name keeps what JSON can hold.
  dir_ = root_ + "/lib\xff";
  CreateSpec spec;
  spec.layout = {1, 4, 0};
  ASSERT_TRUE(Library::Create(dir_, spec).ok());
  Reopen();
  EXPECT_EQ(lib_->state().name, "lib\xef\xbf\xbd");  // U+FFFD
  // A medium name must be stored exactly, so one that is not UTF-8 is refused.
  Result r = lib_->Add(Cart("X00001", "", "file:" + root_ + "/\xff.img"), std::nullopt);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.reason, Reason::kNone);
  EXPECT_EQ(r.status.code(), Code::kInvalidArgument);
  EXPECT_NE(r.status.message().find("is not valid UTF-8"), std::string::npos);
  EXPECT_EQ(lib_->state().generation, 1u);
}

}  // namespace
}  // namespace vtape::library
