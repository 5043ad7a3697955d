// A list of fixed-size entries kept in a file: PATH.idx (one entry per object)
// and PATH.fm (one per filemark). Entries are appended through a small bounded
// buffer and read back by pread through a small block cache, so the memory a
// list takes stays bounded however many entries it holds.
//
// A read-only open cannot write the sidecar; entries it adds (the index of
// records after the durable point, or a filemark list rebuilt from the data)
// go to an anonymous in-memory file (memfd) instead of the process heap.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "vtape/file_io.h"
#include "vtape/status.h"

namespace vtape {

class EntryFile {
 public:
  static constexpr std::uint64_t kBufferBytes = 64u << 10;  // appended, not yet written
  static constexpr std::uint64_t kBlockBytes = 4096;        // unit of the read cache
  static constexpr std::size_t kCacheBlocks = 16;

  EntryFile() = default;
  EntryFile(EntryFile&&) noexcept = default;
  EntryFile& operator=(EntryFile&&) noexcept = default;

  // Entries [0, count) are in `fd` (may be invalid when count is 0) after its
  // 64-byte header; `path` names it in messages.
  void Reset(Fd fd, std::string path, std::uint64_t entry_bytes, std::uint64_t count);
  // From now on entries at and after count() live in a memfd (read-only opens).
  Status UseOverlay();

  std::uint64_t count() const { return count_; }
  const Fd& fd() const { return fd_; }
  const std::string& path() const { return path_; }
  bool overlay() const { return split_ != kNoSplit; }

  // Makes room for `entries` more appends that then cannot fail.
  Status EnsureRoom(std::uint64_t entries);
  // Appends encoded entries (a multiple of the entry size).
  Status Append(std::span<const std::uint8_t> entries);
  // Writes the buffered entries to the file.
  Status Flush();
  // Drops entries [count, count()).
  void Truncate(std::uint64_t count);

  // Entry `k` (< count()) into `out` (entry_bytes long).
  Status Read(std::uint64_t k, std::span<std::uint8_t> out) const;
  // Hands entries [from, to) to `visit` in pieces of whole entries.
  Status Visit(std::uint64_t from, std::uint64_t to,
               const std::function<void(std::span<const std::uint8_t>)>& visit) const;

 private:
  static constexpr std::uint64_t kNoSplit = ~std::uint64_t{0};
  struct Block {
    std::uint64_t number = ~std::uint64_t{0};  // byte offset / kBlockBytes in its file
    bool overlay = false;
    std::uint64_t used = 0;  // last use, for LRU
    std::uint64_t valid = 0;  // bytes read
    std::array<std::uint8_t, kBlockBytes> bytes;
  };

  // Where entry k lives: file descriptor and byte offset.
  void Locate(std::uint64_t k, int& fd, bool& overlay, std::uint64_t& offset) const;
  Status ReadBytes(bool overlay, int fd, std::uint64_t offset, std::span<std::uint8_t> out) const;
  void DropCache() const;

  Fd fd_, overlay_fd_;
  std::string path_;
  std::uint64_t entry_bytes_ = 8;
  std::uint64_t split_ = kNoSplit;  // entries >= split_ live in overlay_fd_
  std::uint64_t written_ = 0;       // entries [0, written_) are in the files
  std::uint64_t count_ = 0;
  std::unique_ptr<std::uint8_t[]> pending_;  // entries [written_, count_)
  mutable std::unique_ptr<Block[]> cache_;
  mutable std::uint64_t clock_ = 0;
};

}  // namespace vtape
