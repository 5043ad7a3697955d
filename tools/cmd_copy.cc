// vtape copy: a medium of any backend onto a new medium of any backend, bit for
// bit: label and shape, partitions, every record and filemark in order, MAM
// attributes, write protect last. file: -> rados: and back, rait: -> file:, ...
#include <unistd.h>

#include <iostream>
#include <vector>

#include "tools/args.h"
#include "tools/command.h"
#include "tools/progress.h"
#include "vtape/attributes.h"
#include "vtape/partitions.h"

namespace vtape::tool {
namespace {

// Copies partition `p` from src's BOP to EOD; runs of filemarks go as one WriteFilemarks.
Status CopyPartition(Tape& src, Tape& dst, std::uint32_t p, std::vector<std::uint8_t>& buffer,
                     Progress& progress, std::uint64_t done_before) {
  SpaceResult r;
  VTAPE_RETURN_IF_ERROR(src.Locate(p, 0, r));
  VTAPE_RETURN_IF_ERROR(dst.Locate(p, 0, r));
  std::uint64_t marks = 0;
  for (;;) {
    ReadResult result;
    Position at = src.GetPosition();
    Status s = src.Read(buffer, result);
    if (!s.ok()) {
      return Status(s.code(), "source partition " + std::to_string(p) + " object " +
                                  std::to_string(at.object) + ": " + s.message());
    }
    if (result.kind == ObjectKind::kFilemark) {
      ++marks;
      continue;
    }
    if (marks > 0) VTAPE_RETURN_IF_ERROR(dst.WriteFilemarks(marks, false));
    marks = 0;
    if (result.kind == ObjectKind::kEndOfData) return Status::Ok();
    // The record's tag goes with its stored bytes: an encrypted or
    // compressed record stays one (record_tag.h).
    const std::span<const std::uint8_t> record = std::span(buffer).first(result.length);
    if (result.tag == 0) {
      VTAPE_RETURN_IF_ERROR(dst.Write(record));
    } else {
      const ConstPiece piece[1] = {record};
      VTAPE_RETURN_IF_ERROR(dst.WriteTagged(piece, result.tag));
    }
    progress.Update(done_before + src.GetPosition().bytes_before);
  }
}

Status CopyAttributes(const Tape& src, Tape& dst, std::uint32_t partitions) {
  if (!src.attributes()) return Status::Ok();
  for (std::uint32_t p = 0; p < partitions; ++p) {
    std::vector<std::uint16_t> ids;
    VTAPE_RETURN_IF_ERROR(ListMamAttributes(src, p, ids));
    for (std::uint16_t id : ids) {
      std::vector<std::uint8_t> value;
      VTAPE_RETURN_IF_ERROR(ReadMamAttribute(src, p, id, value));
      VTAPE_RETURN_IF_ERROR(WriteMamAttribute(dst, p, id, value));
    }
  }
  return Status::Ok();
}

int Run(std::span<const std::string> argv) {
  const Command& self = CopyCommand();
  Args args;
  if (int rc = kExitOk; !ParseCommandLine(self, argv, args, rc)) return rc;
  const std::vector<std::string>& names = args.positional;
  bool overwrite = args.has("--overwrite");
  if (names.size() != 2) return UsageError(self, "expected SRC and DST");
  std::string from = ResolveName(names[0]), to = ResolveName(names[1]);
  std::unique_ptr<Tape> src, dst;
  MediumInfo info;
  Status s = OpenMedium(from, false, src);
  if (s.ok()) s = src->Stat(info);
  if (!s.ok()) return OperationError("open " + from, s);

  CreateOptions shape = CreateOptionsLike(info);
  shape.overwrite = overwrite;
  s = CreateTape(to, shape);
  if (!s.ok()) return OperationError("create " + to, s);
  s = OpenMedium(to, true, dst);
  if (!s.ok()) return OperationError("open " + to, s);
  if (info.partitions > 1) {
    std::vector<std::uint64_t> sizes;
    for (std::uint32_t p = 0; p < info.partitions && s.ok(); ++p) {
      PartitionInfo pi;
      s = src->partitions()->GetPartitionInfo(p, pi);
      sizes.push_back(pi.capacity_bytes);
    }
    if (s.ok()) s = FormatPartitions(*dst, sizes);
    if (!s.ok()) return OperationError("partition " + to, s);
  }
  s = CopyAttributes(*src, *dst, info.partitions);
  if (!s.ok()) return OperationError("copy the attributes of " + from, s);

  std::vector<std::uint8_t> buffer(kMaxRecordBytes + kMaxTaggedRecordOverhead);
  Progress progress("copy", info.used_bytes, isatty(STDERR_FILENO) == 1);
  std::uint64_t done = 0;
  for (std::uint32_t p = 0; p < info.partitions; ++p) {
    s = CopyPartition(*src, *dst, p, buffer, progress, done);
    if (!s.ok()) {
      progress.Finish();
      (void)dst->Close();
      if (s.code() != Code::kMediumError) return OperationError("copy " + from + " to " + to, s);
      std::cerr << "vtape: copy " << from << ": " << s.ToString() << " (the copy in " << to
                << " is incomplete)\n";
      return kExitDataProblem;
    }
    done += src->GetPosition().bytes_before;
  }
  progress.Finish();
  if (info.write_protected) s = dst->SetWriteProtect(true);
  if (s.ok()) s = dst->Close();
  if (!s.ok()) return OperationError("close " + to, s);
  std::cout << "copied " << from << " to " << to << ": " << info.records << " records, "
            << info.filemarks << " filemarks, " << info.used_bytes << " bytes ("
            << HumanBytes(info.used_bytes) << ")\n";
  return kExitOk;
}

}  // namespace

const Command& CopyCommand() {
  static const Command command{
      "copy", "SRC DST [--overwrite]",
      "Copies a medium onto a new one, of any two backends, bit for bit.",
      "DST is created with SRC's barcode, media type, capacity and early warning, partitioned\n"
      "as SRC is, and gets every record and filemark of every partition in order, SRC's MAM\n"
      "attributes and, last, its write protect. SRC is opened read only. An unreadable SRC\n"
      "record stops the copy (exit 1): DST then ends before it.\n"
      "  --overwrite          replace an existing DST\n",
      Run};
  return command;
}

}  // namespace vtape::tool
