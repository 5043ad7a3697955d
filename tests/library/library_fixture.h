// A fresh library in a temporary directory for each test.
#pragma once

#include <stdlib.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "library/library.h"
#include "vtape/registry.h"

namespace vtape::library {

class LibraryTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "vtape-lib-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dir_ = root_ + "/lib";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  // 2 drives, 10 slots, 2 import/export; A00001L8..A0000NL8 in slots 1..N.
  void Make(std::uint32_t cartridges = 4, Layout layout = {2, 10, 2}) {
    CreateSpec spec;
    spec.name = "testlib";
    spec.serial = "VLTEST0001";
    spec.layout = layout;
    ASSERT_TRUE(ExpandBarcodes("A00001L8", cartridges, spec.barcodes).ok());
    Status s = Library::Create(dir_, spec);
    ASSERT_TRUE(s.ok()) << s.ToString();
    Reopen();
  }

  void Reopen() {
    lib_.reset();
    Status s = Library::Open(dir_, {}, lib_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  const Element& At(std::uint16_t address) { return *lib_->state().FindElement(address); }

  std::string root_, dir_;
  std::unique_ptr<Library> lib_;
};

inline NewCartridge Cart(std::string barcode, std::string media_type = "",
                         std::string medium = "") {
  NewCartridge c;
  c.barcode = std::move(barcode);
  c.media_type = std::move(media_type);
  c.medium = std::move(medium);
  return c;
}

inline vtape::CreateOptions Blank(std::string barcode, std::string media_type) {
  vtape::CreateOptions o;
  o.barcode = std::move(barcode);
  o.media_type = std::move(media_type);
  return o;
}

inline constexpr std::uint16_t kSlot1 = 0x1000, kSlot2 = 0x1001, kSlot3 = 0x1002, kSlot4 = 0x1003,
                               kSlot5 = 0x1004, kSlot6 = 0x1005, kSlot10 = 0x1009;
inline constexpr std::uint16_t kDrive0 = 0x0100, kDrive1 = 0x0101;
inline constexpr std::uint16_t kIe1 = 0x0300, kIe2 = 0x0301;

// Expects a refusal with exactly `reason` whose message contains `part`.
#define EXPECT_REFUSED(expr, reason_, part)                                        \
  do {                                                                             \
    ::vtape::library::Result r_ = (expr);                                          \
    EXPECT_FALSE(r_.ok()) << #expr;                                                \
    EXPECT_EQ(r_.reason, reason_) << #expr << ": " << ReasonName(r_.reason) << " " \
                                  << r_.status.ToString();                         \
    EXPECT_EQ(r_.status.code(), ::vtape::Code::kInvalidArgument) << #expr;         \
    EXPECT_NE(r_.status.message().find(part), std::string::npos)                   \
        << #expr << ": " << r_.status.message();                                   \
  } while (0)

#define EXPECT_DONE(expr)                                                                          \
  do {                                                                                             \
    ::vtape::library::Result r_ = (expr);                                                          \
    EXPECT_TRUE(r_.ok()) << #expr << ": " << ReasonName(r_.reason) << " " << r_.status.ToString(); \
  } while (0)

}  // namespace vtape::library
