// The Tape of a file: image (see FORMAT.md for the layout and guarantees).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "vtape/file_image.h"
#include "vtape/tape.h"

namespace vtape {

// Tuning knobs; the defaults are what the backend uses.
struct FileTapeTuning {
  std::uint64_t direct_io_bytes = 64u << 10;  // records this big are read into the caller's buffer
  std::uint64_t read_ahead_bytes = 1u << 20;  // small records are read in chunks this big
  std::uint64_t reserve_chunk_bytes = 16u << 20;  // disk space reserved ahead of the writes
  // The automatic durable point: after this much data or this many objects
  // since the last one (FORMAT.md, "Durability").
  std::uint64_t auto_durable_bytes = 256u << 20;
  std::uint64_t auto_durable_objects = 1u << 20;
  // Tests: called between the steps of a format ("built", "closed",
  // "committed", "renamed"), where the crash tests copy the files.
  std::function<void(std::string_view step)> format_step;
};

// One partition of a file: medium, held in one image: PATH (partition 0, with
// the label and the partition layout) or PATH.pK. As a Tape it has the single
// partition 0; its attribute store is that partition's MAM.
class FilePartition : public Tape, public AttributeStore {
 public:
  // The last durable superblock.
  virtual const file_format::Superblock& superblock() const = 0;
  // This partition's figures (capacity = the superblock's partition bytes).
  virtual Status GetFigures(PartitionInfo& info) const = 0;
  // Discards every object and applies `change` to the superblock in the same
  // durable superblock write (the commit point of a format, FORMAT.md).
  virtual Status Reformat(const std::function<void(file_format::Superblock&)>& change) = 0;
};

std::unique_ptr<FilePartition> NewFilePartition(OpenedImage image,
                                                const FileTapeTuning& tuning = {});

// The medium of an opened PATH: opens (and, writable, finishes an interrupted
// format of) its other partitions PATH.p1.. (file_medium.cc).
Status OpenFileTape(OpenedImage image, const FileTapeTuning& tuning, std::unique_ptr<Tape>& tape);
// The same, nullptr when it fails (tests).
std::unique_ptr<Tape> NewFileTape(OpenedImage image, const FileTapeTuning& tuning = {});

}  // namespace vtape
