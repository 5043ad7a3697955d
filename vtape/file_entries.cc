#include "vtape/file_entries.h"

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "vtape/file_format.h"

namespace vtape {
using file_format::kSidecarHeaderBytes;

void EntryFile::Reset(Fd fd, std::string path, std::uint64_t entry_bytes, std::uint64_t count) {
  fd_ = std::move(fd);
  overlay_fd_.reset();
  path_ = std::move(path);
  entry_bytes_ = entry_bytes;
  split_ = kNoSplit;
  written_ = count_ = count;
  if (!pending_) pending_ = std::make_unique_for_overwrite<std::uint8_t[]>(kBufferBytes);
  DropCache();
}

Status EntryFile::UseOverlay() {
  if (overlay()) return Status::Ok();
  VTAPE_RETURN_IF_ERROR(Flush());
  int raw = ::memfd_create("vtape-entries", MFD_CLOEXEC);
  if (raw < 0) return Status::FromErrno(errno, "memfd_create for the entries of " + path_);
  overlay_fd_ = Fd(raw);
  split_ = count_;
  return Status::Ok();
}

void EntryFile::Locate(std::uint64_t k, int& fd, bool& overlay, std::uint64_t& offset) const {
  overlay = k >= split_;
  fd = overlay ? overlay_fd_.get() : fd_.get();
  offset = overlay ? (k - split_) * entry_bytes_ : kSidecarHeaderBytes + k * entry_bytes_;
}

Status EntryFile::EnsureRoom(std::uint64_t entries) {
  if ((count_ - written_ + entries) * entry_bytes_ <= kBufferBytes) return Status::Ok();
  return Flush();
}

Status EntryFile::Append(std::span<const std::uint8_t> entries) {
  while (!entries.empty()) {
    std::uint64_t used = (count_ - written_) * entry_bytes_;
    if (used == kBufferBytes) VTAPE_RETURN_IF_ERROR(Flush());
    used = (count_ - written_) * entry_bytes_;
    std::uint64_t take = std::min<std::uint64_t>(entries.size(), kBufferBytes - used);
    take -= take % entry_bytes_;
    std::memcpy(pending_.get() + used, entries.data(), take);
    count_ += take / entry_bytes_;
    entries = entries.subspan(take);
  }
  return Status::Ok();
}

Status EntryFile::Flush() {
  while (written_ < count_) {
    int fd;
    bool overlay;
    std::uint64_t offset;
    Locate(written_, fd, overlay, offset);
    // One run goes to one file: the part before split_ to the sidecar, the rest to the overlay.
    std::uint64_t end = written_ < split_ ? std::min(count_, split_) : count_;
    std::uint64_t bytes = (end - written_) * entry_bytes_;  // pending_ starts at entry written_
    VTAPE_RETURN_IF_ERROR(
        PwriteAll(fd, std::span(pending_.get(), bytes), offset, overlay ? "memfd" : path_));
    std::memmove(pending_.get(), pending_.get() + bytes, (count_ - end) * entry_bytes_);
    written_ = end;
  }
  DropCache();
  return Status::Ok();
}

void EntryFile::Truncate(std::uint64_t count) {
  if (count >= count_) return;
  if (count < written_) {
    written_ = count;
    DropCache();
  }
  count_ = count;
}

void EntryFile::DropCache() const {
  if (!cache_) return;
  for (std::size_t i = 0; i < kCacheBlocks; ++i) cache_[i].number = ~std::uint64_t{0};
}

Status EntryFile::ReadBytes(bool overlay, int fd, std::uint64_t offset,
                            std::span<std::uint8_t> out) const {
  if (!cache_) {
    cache_ = std::make_unique<Block[]>(kCacheBlocks);
  }
  std::uint64_t number = offset / kBlockBytes;
  Block* hit = nullptr;
  Block* victim = &cache_[0];
  for (std::size_t i = 0; i < kCacheBlocks; ++i) {
    Block& b = cache_[i];
    if (b.number == number && b.overlay == overlay) {
      hit = &b;
      break;
    }
    if (b.used < victim->used) victim = &b;
  }
  if (!hit) {
    hit = victim;
    hit->number = ~std::uint64_t{0};
    std::uint64_t got = 0;
    VTAPE_RETURN_IF_ERROR(PreadUpTo(fd, hit->bytes, number * kBlockBytes, got, path_));
    hit->number = number;
    hit->overlay = overlay;
    hit->valid = got;
  }
  hit->used = ++clock_;
  std::uint64_t at = offset - number * kBlockBytes;
  if (at + out.size() > hit->valid) {
    return Status::CorruptImage(path_ + " ends before its entry at byte " + std::to_string(offset));
  }
  std::memcpy(out.data(), hit->bytes.data() + at, out.size());
  return Status::Ok();
}

Status EntryFile::Read(std::uint64_t k, std::span<std::uint8_t> out) const {
  if (k >= written_) {
    std::memcpy(out.data(), pending_.get() + (k - written_) * entry_bytes_, entry_bytes_);
    return Status::Ok();
  }
  int fd;
  bool overlay;
  std::uint64_t offset;
  Locate(k, fd, overlay, offset);
  // Entries are sized 8 or 16, so one never straddles two blocks.
  return ReadBytes(overlay, fd, offset, out.first(entry_bytes_));
}

Status EntryFile::Visit(std::uint64_t from, std::uint64_t to,
                        const std::function<void(std::span<const std::uint8_t>)>& visit) const {
  constexpr std::uint64_t kChunk = 64u << 10;
  auto chunk = std::make_unique_for_overwrite<std::uint8_t[]>(kChunk);
  while (from < to && from < written_) {
    int fd;
    bool overlay;
    std::uint64_t offset;
    Locate(from, fd, overlay, offset);
    std::uint64_t end = std::min({to, written_, from < split_ ? split_ : to});
    std::uint64_t n = std::min<std::uint64_t>(end - from, kChunk / entry_bytes_);
    std::span<std::uint8_t> piece(chunk.get(), n * entry_bytes_);
    VTAPE_RETURN_IF_ERROR(PreadExact(fd, piece, offset, overlay ? "memfd" : path_));
    visit(piece);
    from += n;
  }
  if (from < to) {
    visit(std::span<const std::uint8_t>(pending_.get() + (from - written_) * entry_bytes_,
                                        (to - from) * entry_bytes_));
  }
  return Status::Ok();
}

}  // namespace vtape
