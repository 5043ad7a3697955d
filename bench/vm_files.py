#!/usr/bin/env python3
"""Small files and positioning on one tape device, from ONE process (bench/vm_dd.sh).

    vm_files.py DEVICE FILES FSF [RECORD_BYTES]

Writes FILES files of one RECORD_BYTES record (default 64 KiB) and a filemark each
(MTWEOF, as st writes one when a writer closes the device), rewinds, then spaces
forward over FSF filemarks (MTFSF) and reads the record found there, which must be
file FSF's (st's file number says so too; null: reads zeros, so there only the
position and the length are checked). Prints two lines, times from this process's clock around the ioctls
and writes only (a process start under TCG costs 30-400 ms and would hide the
drive):
    files FILES SECONDS     (writing all files, filemarks included)
    fsf FSF SECONDS         (the one MTFSF)
"""
import fcntl
import os
import struct
import sys
import time

MTIOCTOP = 0x40086D01  # _IOW('m', 1, struct mtop { short mt_op; int mt_count; })
# _IOR('m', 2, struct mtget): five longs, then mt_fileno and mt_blkno (x86-64: 48 bytes)
MTIOCGET, MTGET = 0x80306D02, "5lii"
MTFSF, MTWEOF, MTREW = 1, 5, 6


def mtop(fd, op, count):
    fcntl.ioctl(fd, MTIOCTOP, struct.pack("hxxi", op, count))


def file_and_block(fd):
    got = fcntl.ioctl(fd, MTIOCGET, bytes(struct.calcsize(MTGET)))
    return struct.unpack(MTGET, got)[5:7]


def main():
    device, files, fsf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    record = int(sys.argv[4]) if len(sys.argv) > 4 else 64 * 1024
    if not 0 < fsf < files:
        sys.exit("vm_files.py: FSF must be between 0 and FILES")
    fd = os.open(device, os.O_RDWR)
    mtop(fd, MTREW, 1)
    body = bytearray(record)
    start = time.perf_counter()
    for i in range(files):
        body[0:8] = i.to_bytes(8, "little")  # which file this is, checked after MTFSF
        if os.write(fd, body) != record:
            sys.exit(f"vm_files.py: short write in file {i}")
        mtop(fd, MTWEOF, 1)
    written = time.perf_counter() - start
    mtop(fd, MTREW, 1)
    start = time.perf_counter()
    mtop(fd, MTFSF, fsf)
    spaced = time.perf_counter() - start
    if file_and_block(fd) != (fsf, 0):
        sys.exit(f"vm_files.py: after MTFSF {fsf} st says file/block {file_and_block(fd)}")
    got = os.read(fd, record)
    # null: keeps no data (its records read as zeros): only the length tells there.
    if len(got) != record or (any(got) and int.from_bytes(got[0:8], "little") != fsf):
        sys.exit(f"vm_files.py: after MTFSF {fsf} the record read is not file {fsf}'s")
    mtop(fd, MTREW, 1)
    os.close(fd)
    print(f"files {files} {written:.6f}")
    print(f"fsf {fsf} {spaced:.6f}")


if __name__ == "__main__":
    main()
