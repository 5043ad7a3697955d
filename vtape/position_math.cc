#include "vtape/position_math.h"

namespace vtape {

std::uint64_t SpaceRecordsTarget(const FilemarkIndex& fm, std::uint64_t eod, std::uint64_t from,
                                 std::int64_t count, SpaceResult& result) {
  result = {};
  std::uint64_t before = fm.Rank(from);  // filemarks before the position
  if (count >= 0) {
    std::uint64_t want = static_cast<std::uint64_t>(count);
    bool filemark_ahead = before < fm.count();
    std::uint64_t barrier = filemark_ahead ? fm.Select(before) : eod;
    std::uint64_t room = barrier - from;
    if (want <= room) return from + want;
    result.not_crossed = want - room;
    if (filemark_ahead) {
      result.stop = Stop::kFilemark;
      return barrier + 1;  // forward: just after the filemark
    }
    result.stop = Stop::kEndOfData;
    return eod;
  }
  std::uint64_t want = static_cast<std::uint64_t>(-(count + 1)) + 1;  // |count| without overflow
  bool filemark_behind = before > 0;
  std::uint64_t barrier = filemark_behind ? fm.Select(before - 1) + 1 : 0;
  std::uint64_t room = from - barrier;
  if (want <= room) return from - want;
  result.not_crossed = want - room;
  if (filemark_behind) {
    result.stop = Stop::kFilemark;
    return barrier - 1;  // backward: just before the filemark
  }
  result.stop = Stop::kBeginningOfPartition;
  return 0;
}

std::uint64_t SpaceFilemarksTarget(const FilemarkIndex& fm, std::uint64_t eod, std::uint64_t from,
                                   std::int64_t count, SpaceResult& result) {
  result = {};
  std::uint64_t before = fm.Rank(from);
  if (count >= 0) {
    std::uint64_t want = static_cast<std::uint64_t>(count);
    if (want == 0) return from;
    std::uint64_t ahead = fm.count() - before;
    if (want <= ahead) return fm.Select(before + want - 1) + 1;
    result.stop = Stop::kEndOfData;
    result.not_crossed = want - ahead;
    return eod;
  }
  std::uint64_t want = static_cast<std::uint64_t>(-(count + 1)) + 1;
  if (want <= before) return fm.Select(before - want);
  result.stop = Stop::kBeginningOfPartition;
  result.not_crossed = want - before;
  return 0;
}

std::uint64_t LocateObjectTarget(std::uint64_t eod, std::uint64_t object, SpaceResult& result) {
  result = {};
  if (object <= eod) return object;
  result.stop = Stop::kEndOfData;
  result.not_crossed = object - eod;
  return eod;
}

std::uint64_t LocateFileTarget(const FilemarkIndex& fm, std::uint64_t eod, std::uint64_t file,
                               SpaceResult& result) {
  result = {};
  if (file == 0) return 0;
  if (file <= fm.count()) return fm.Select(file - 1) + 1;
  result.stop = Stop::kEndOfData;
  result.not_crossed = file - fm.count();
  return eod;
}

void FillPosition(const FilemarkIndex& fm, std::uint64_t eod, std::uint64_t object, Position& pos) {
  pos.object = object;
  pos.file = fm.Rank(object);
  pos.record_in_file = object - (pos.file > 0 ? fm.Select(pos.file - 1) + 1 : 0);
  pos.at_bop = object == 0;
  pos.at_eod = object == eod;
}

}  // namespace vtape
