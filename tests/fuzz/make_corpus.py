#!/usr/bin/env python3
"""Writes the seed corpus of ssc_fuzz (tests/fuzz/corpus/ssc/): command
sequences as the Linux st driver and common tools send them, in the input
format documented at the top of ssc_fuzz.cc. Run from anywhere; it rewrites the
directory's seed files (deterministic output, so re-running changes nothing)."""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "ssc")

# Medium indices (kMedia in ssc_fuzz.cc).
MEM, MEM_WP, NO_MEDIUM, MEM_2PART, NULL, FAULT_READ, FAULT_ENOSPC, FAULT_ANY, FAULT_CORRUPT, \
    FAULT_CRASH, FILE, RAIT_MIRROR, RAIT_PARITY, RAIT_FAULT = range(14)
LENGTH_CLASS = {6: 0, 10: 1, 12: 2, 16: 3}


def cmd(cdb, data_out=b"", data_in=0):
    cdb = bytes(cdb)
    if len(cdb) in LENGTH_CLASS:
        head = bytes([LENGTH_CLASS[len(cdb)]])
    else:
        head = bytes([0x04, len(cdb)])
    return head + cdb + struct.pack("<H", len(data_out)) + bytes(data_out) + \
        struct.pack("<H", data_in)


def change_medium(index):
    return bytes([0xFF, index])


def be(value, width):
    return value.to_bytes(width, "big")


# --- the commands ---------------------------------------------------------------
TUR = cmd([0x00, 0, 0, 0, 0, 0])
REQUEST_SENSE = cmd([0x03, 0, 0, 0, 18, 0], data_in=18)
READ_BLOCK_LIMITS = cmd([0x05, 0, 0, 0, 0, 0], data_in=6)
MODE_SENSE_0 = cmd([0x1A, 0, 0, 0, 12, 0], data_in=12)
REWIND = cmd([0x01, 0, 0, 0, 0, 0])
READ_POSITION = cmd([0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0], data_in=20)


def write6(n, fixed=False, block=512):
    count = n // block if fixed else n
    return cmd([0x0A, 1 if fixed else 0] + list(be(count, 3)) + [0], bytes(i & 0xFF for i in range(n)))


def read6(n, fixed=False, block=512, sili=False):
    count = n // block if fixed else n
    flags = (1 if fixed else 0) | (2 if sili else 0)
    return cmd([0x08, flags] + list(be(count, 3)) + [0], data_in=n)


def wfm(n, immed=False):
    return cmd([0x10, 1 if immed else 0] + list(be(n, 3)) + [0])


def space(code, count):
    return cmd([0x11, code] + list(be(count & 0xFFFFFF, 3)) + [0])


def locate10(block, bt=True):
    return cmd([0x2B, 0x04 if bt else 0, 0] + list(be(block, 4)) + [0, 0, 0])


def mode_select6(block_length, density=0, buffered=1, pages=b""):
    data = bytes([0, 0, buffered << 4, 8, density, 0, 0, 0, 0]) + be(block_length, 3) + pages
    return cmd([0x15, 0x10, 0, 0, len(data), 0], data)


def mode_sense6(page, pc=0, dbd=False, subpage=0):
    return cmd([0x1A, 0x08 if dbd else 0, (pc << 6) | page, subpage, 255, 0], data_in=255)


def mode_sense10(page, pc=0):
    return cmd([0x5A, 0, (pc << 6) | page, 0, 0, 0, 0, 0x02, 0x00, 0], data_in=512)


def log_sense(page, pc=1, pointer=0):
    return cmd([0x4D, 0, (pc << 6) | page, 0, 0] + list(be(pointer, 2)) + [0x10, 0x00, 0],
               data_in=4096)


def inquiry(evpd=0, page=0, alloc=255):
    return cmd([0x12, evpd, page] + list(be(alloc, 2)) + [0], data_in=alloc)


def rsoc(options, opcode=0, sa=0):
    return cmd([0xA3, 0x0C, options, opcode] + list(be(sa, 2)) + list(be(8192, 4)) + [0, 0],
               data_in=8192)


def rds(media=False, medium_type=False):
    return cmd([0x44, (2 if medium_type else 0) | (1 if media else 0), 0, 0, 0, 0, 0, 0x10, 0, 0],
               data_in=4096)


OPEN = TUR + TUR + READ_BLOCK_LIMITS + MODE_SENSE_0
CLOSE_AFTER_WRITE = wfm(1) + REWIND

SEQUENCES = {
    "open": OPEN,
    "write_read_variable": OPEN + write6(512) + write6(100) + write6(4096) + CLOSE_AFTER_WRITE +
    read6(512) + read6(100) + read6(4096) + read6(4096) + read6(4096),
    "short_and_long_reads": OPEN + write6(300) + write6(700) + wfm(1) + REWIND + read6(1000) +
    read6(10) + read6(300, sili=True),
    "setblk_fixed": OPEN + mode_select6(512) + MODE_SENSE_0 + write6(2048, fixed=True) +
    CLOSE_AFTER_WRITE + read6(1024, fixed=True) + read6(2048, fixed=True),
    "setblk_too_big": OPEN + mode_select6(0x200000) + mode_select6(0),
    "drvbuffer_setdensity": OPEN + mode_select6(0, buffered=0) + mode_select6(0, density=0x5C) +
    MODE_SENSE_0 + mode_select6(0, density=0x7F),
    "files_fsf_bsf": OPEN + write6(64) + wfm(1) + write6(64) + wfm(1) + write6(64) + wfm(2) +
    REWIND + space(1, 1) + space(1, 1) + space(1, -1) + space(0, 1) + space(0, -1) + READ_POSITION,
    "eod_slow_and_fast": OPEN + write6(128) + wfm(1) + write6(128) + wfm(1) + REWIND +
    space(1, 0x7FFFFF) + REQUEST_SENSE + REWIND + space(3, 0) + READ_POSITION,
    "tell_seek": OPEN + write6(32) + write6(32) + write6(32) + READ_POSITION + locate10(1) +
    READ_POSITION + locate10(100) + REQUEST_SENSE + locate10(0),
    "erase_and_unload": OPEN + write6(256) + REWIND + cmd([0x19, 0x01, 0, 0, 0, 0]) +
    cmd([0x1B, 0, 0, 0, 0, 0]) + TUR + cmd([0x1B, 0, 0, 0, 1, 0]) + TUR,
    "lock_unlock": OPEN + cmd([0x1E, 0, 0, 0, 1, 0]) + cmd([0x1B, 0, 0, 0, 0, 0]) +
    cmd([0x1E, 0, 0, 0, 0, 0]),
    "inquiry_vpd": inquiry() + inquiry(alloc=5) + inquiry(1, 0x00) + inquiry(1, 0x80) +
    inquiry(1, 0x83) + inquiry(1, 0xB0) + inquiry(1, 0xC0) + inquiry(0, 0x80),
    "mode_pages": OPEN + mode_sense6(0x3F) + mode_sense6(0x3F, subpage=0xFF) +
    mode_sense6(0x0F, pc=1) + mode_sense6(0x10, pc=2) + mode_sense10(0x3F, pc=3) +
    mode_sense6(0x11, dbd=True),
    "mode_select_pages": OPEN + mode_select6(0, pages=bytes([0x0F, 0x0E, 0x80, 0x80] + [0] * 12)) +
    mode_select6(0, pages=bytes([0x10, 0x0E, 0, 0, 0, 0, 0, 0, 0x40, 0, 0x10, 0, 0, 0, 0, 0])) +
    mode_select6(0, pages=bytes([0x50, 0x01, 0, 0x1C] + [0] * 28)),
    "log_pages": OPEN + write6(1000) + REWIND + read6(1000) + log_sense(0x00) + log_sense(0x02) +
    log_sense(0x03) + log_sense(0x0C) + log_sense(0x2E) + log_sense(0x31) + log_sense(0x3D) +
    log_sense(0x02, pointer=5) + log_sense(0x02, pc=0),
    "log_select": OPEN + write6(100) + cmd([0x4C, 0x02, 0x40, 0, 0, 0, 0, 0, 0, 0]) +
    cmd([0x4C, 0, 0x4C, 0, 0, 0, 0, 0, 0, 0]) +
    cmd([0x4C, 0, 0x40, 0, 0, 0, 0, 0, 4, 0], bytes([0x0C, 0, 0, 0])) + log_sense(0x0C),
    "info_commands": OPEN + cmd([0x05, 1, 0, 0, 0, 0], data_in=20) + rds() + rds(media=True) +
    rds(medium_type=True) + rds(True, True) + rsoc(0) + rsoc(0x80) + rsoc(1, 0x08) +
    rsoc(2, 0xA3, 0x0C) + rsoc(3, 0x12) + rsoc(1, 0xC7),
    "sixteen_byte_commands": OPEN + cmd([0x8A, 0, 0] + [0] * 9 + list(be(256, 3)) + [0],
                                        bytes(256)) +
    cmd([0x80, 0, 0] + [0] * 9 + list(be(1, 3)) + [0]) + cmd([0x92, 0, 0, 0] + [0] * 8 +
                                                             [0, 0, 0, 0]) +
    cmd([0x88, 0, 0] + [0] * 9 + list(be(256, 3)) + [0], data_in=256) +
    cmd([0x91, 0x01, 0, 0] + list(be(1, 8)) + [0, 0, 0, 0]) + cmd([0x93, 0, 0] + [0] * 13),
    "fill_to_early_warning": OPEN + b"".join(write6(1024) for _ in range(6)) + REQUEST_SENSE +
    wfm(1),
    "media_change": OPEN + write6(64) + change_medium(MEM) + TUR + TUR + read6(64) +
    change_medium(NO_MEDIUM) + TUR + MODE_SENSE_0 + change_medium(MEM_WP) + TUR + write6(64),
    "overwrite_middle": OPEN + write6(700) + write6(700) + wfm(1) + write6(700) + locate10(1) +
    write6(900) + wfm(1) + REWIND + read6(700) + read6(900) + read6(900) + read6(900) +
    locate10(0) + cmd([0x19, 0x01, 0, 0, 0, 0]) + READ_POSITION,
    "filemark_flood": OPEN + write6(4096) + wfm(0xFFFFFF) + REQUEST_SENSE + READ_POSITION +
    wfm(1, immed=True) + REWIND + space(1, 0x7FFFFF) + REQUEST_SENSE,
    "media_change_disk": OPEN + write6(64) + change_medium(FILE) + TUR + TUR + write6(64) +
    change_medium(RAIT_PARITY) + TUR + TUR + write6(64) + REWIND + read6(64) +
    change_medium(RAIT_MIRROR) + TUR + TUR + read6(64),
    "bad_cdbs": cmd([0xC7, 0, 0, 0, 0, 0]) + cmd([0x01, 0x04, 0, 0, 0, 0]) + cmd([0x12]) +
    cmd([0x12, 0, 0, 0]) + cmd([0xA3, 0x1F] + [0] * 10),
}

# Which media each sequence runs on (header: medium, personality, transfer limit).
MEDIA_FOR = {
    "open": [MEM, MEM_WP, NO_MEDIUM, NULL],
    "write_read_variable": [MEM, NULL, FAULT_READ, FAULT_ENOSPC, FAULT_ANY, FAULT_CORRUPT,
                            FAULT_CRASH, FILE, RAIT_MIRROR, RAIT_PARITY, RAIT_FAULT],
    "short_and_long_reads": [MEM, FAULT_READ],
    "setblk_fixed": [MEM, FAULT_ENOSPC],
    "files_fsf_bsf": [MEM, MEM_2PART, FAULT_ANY, FILE, RAIT_PARITY],
    "eod_slow_and_fast": [MEM, FAULT_ANY, RAIT_MIRROR],
    "tell_seek": [MEM, MEM_2PART, RAIT_PARITY],
    "erase_and_unload": [MEM, MEM_WP, FILE, RAIT_MIRROR],
    "fill_to_early_warning": [MEM_2PART, FILE, RAIT_PARITY],
    "overwrite_middle": [MEM, FILE, RAIT_MIRROR, RAIT_PARITY, RAIT_FAULT],
    "filemark_flood": [MEM, FILE, RAIT_MIRROR, RAIT_PARITY],
    "media_change_disk": [MEM],
    "log_pages": [MEM, FAULT_READ, NO_MEDIUM],
    "info_commands": [MEM, NO_MEDIUM],
    "media_change": [MEM],
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.startswith("seed_"):
            os.remove(os.path.join(OUT, old))
    count = 0
    for name, body in SEQUENCES.items():
        for i, medium in enumerate(MEDIA_FOR.get(name, [MEM])):
            personality = (i * 3) % 11  # spread over the personalities
            transfer = 0 if name != "setblk_too_big" else 2
            path = os.path.join(OUT, f"seed_{name}_{medium}")
            with open(path, "wb") as f:
                f.write(bytes([medium, personality, transfer]) + body)
            count += 1
    print(f"wrote {count} seeds to {OUT}")


if __name__ == "__main__":
    main()
