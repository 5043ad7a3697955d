// Where a space or locate lands, computed from the filemark index alone.
//
// Every backend that knows where its filemarks are (as sorted logical object
// numbers) and where EOD is gets identical SSC positioning semantics from these
// functions: O(log n) with a binary-searchable index, never a scan of the data.
#pragma once

#include <cstdint>

#include "vtape/tape.h"

namespace vtape {

// The filemarks of one partition as a sorted set of logical object numbers.
class FilemarkIndex {
 public:
  virtual ~FilemarkIndex() = default;
  virtual std::uint64_t count() const = 0;
  // Number of filemarks whose object number is < `object`.
  virtual std::uint64_t Rank(std::uint64_t object) const = 0;
  // Object number of filemark `k` (0-based, k < count()).
  virtual std::uint64_t Select(std::uint64_t k) const = 0;
};

// Each returns the new object number and fills `result` (see Tape for the rules).
std::uint64_t SpaceRecordsTarget(const FilemarkIndex& fm, std::uint64_t eod, std::uint64_t from,
                                 std::int64_t count, SpaceResult& result);
std::uint64_t SpaceFilemarksTarget(const FilemarkIndex& fm, std::uint64_t eod, std::uint64_t from,
                                   std::int64_t count, SpaceResult& result);
std::uint64_t LocateObjectTarget(std::uint64_t eod, std::uint64_t object, SpaceResult& result);
std::uint64_t LocateFileTarget(const FilemarkIndex& fm, std::uint64_t eod, std::uint64_t file,
                               SpaceResult& result);

// Fills object, file, record_in_file, at_bop and at_eod of `pos` for `object`.
void FillPosition(const FilemarkIndex& fm, std::uint64_t eod, std::uint64_t object, Position& pos);

}  // namespace vtape
