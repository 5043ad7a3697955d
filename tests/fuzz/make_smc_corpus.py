#!/usr/bin/env python3
"""Writes the seed corpus of smc_fuzz (tests/fuzz/corpus/smc/): changer and
drive command sequences as mtx, Bacula and an operator produce them, in the
input format documented at the top of smc_fuzz.cc. Deterministic output."""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "smc")

# kChangerOpcodes / kDriveOpcodes indices in smc_fuzz.cc.
CHANGER = {op: i for i, op in enumerate(
    [0x00, 0x03, 0x07, 0x12, 0x15, 0x1A, 0x1B, 0x1E, 0x2B, 0x37,
     0x4C, 0x4D, 0x55, 0x5A, 0xA3, 0xA5, 0xA6, 0xB8, 0x05, 0x01])}
DRIVE = {op: i for i, op in enumerate([0x00, 0x01, 0x03, 0x08, 0x0A, 0x10, 0x12, 0x1B, 0x1E, 0x34])}
LENGTH_CLASS = {6: 0, 10: 1, 12: 2, 16: 3}

# Layout byte: 2 drives (generic, ibm-lto5), 4 slots, 1 import/export element.
# Element indices for mapped addresses: 0 transport, 1-2 drives, 3 ie, 4-7 slots
# (slot 1 holds A00001L8, a file: image; slot 2 B00001L7, mem: LTO-7).
LAYOUT = 49  # 49 % 3 == 1, (49 >> 2) % 5 == 2, (49 >> 5) % 3 == 1
T, D0, D1, IE, S1, S2, S3, S4 = range(8)


def changer(cdb, data_out=b"", data_in=0, map_addresses=False):
    cdb = list(cdb)
    cdb[0] = CHANGER[cdb[0]]
    head = LENGTH_CLASS[len(cdb)] | 0x04 | (0x08 if map_addresses else 0)
    return bytes([head] + cdb) + bytes([len(data_out)]) + bytes(data_out) + \
        struct.pack("<H", data_in)


def drive(index, cdb, data_out=b"", data_in=0):
    cdb = list(cdb)
    cdb[0] = DRIVE[cdb[0]]
    head = 0x80 | (LENGTH_CLASS[len(cdb)] << 2) | index
    return bytes([head] + cdb) + bytes([len(data_out)]) + bytes(data_out) + \
        struct.pack("<H", data_in)


def operator(action):
    return bytes([0xC0, action])


def move(src, dst):
    return changer([0xA5, 0, 0, T, 0, src, 0, dst, 0, 0, 0, 0], map_addresses=True)


def exchange(src, first, second):
    return changer([0xA6, 0, 0, T, 0, src, 0, first, 0, second, 0, 0], map_addresses=True)


def res(voltag=True, dvcid=True, alloc=4096):
    return changer([0xB8, 0x10 if voltag else 0, 0, 0, 0, 100, 1 if dvcid else 0,
                    alloc >> 16, (alloc >> 8) & 0xFF, alloc & 0xFF, 0, 0], data_in=alloc)


TUR = [0x00, 0, 0, 0, 0, 0]

SEEDS = {
    "load_write_unload": bytes([LAYOUT, 0]) + changer(TUR) + move(S1, D0) +
    drive(0, TUR) + drive(0, TUR) + drive(0, [0x0A, 0, 0, 0, 16, 0], bytes(range(16))) +
    move(D0, S3) + move(S3, D0) + drive(0, TUR) + drive(0, [0x08, 0, 0, 0, 16, 0], data_in=16) +
    drive(0, [0x1B, 0, 0, 0, 0, 0]) + move(D0, S1) + res(),
    "incompatible_and_exchange": bytes([LAYOUT, 1]) + changer(TUR) + move(S2, D1) +
    move(S1, D1) + move(S2, D0) + exchange(S1, D0, S2) + exchange(S2, D0, S2) + res(False, True),
    "operator_door_prevent": bytes([LAYOUT, 2]) + changer(TUR) + operator(0) + changer(TUR) +
    operator(0x80) + changer(TUR) + move(IE, S3) + operator(3) + changer(TUR) + move(IE, S3) +
    changer([0x1E, 0, 0, 0, 1, 0]) + move(S3, IE) + changer([0x1E, 0, 0, 0, 0, 0]) +
    move(S3, IE) + operator(1) + operator(0x80 | 0x40 | 0) + changer(TUR) + res(),
    "missing_image": bytes([LAYOUT, 0]) + changer(TUR) + operator(4) + move(S1, D0) +
    move(S1, S4) + res(True, False, 30),
    "prevent_in_drive": bytes([LAYOUT, 0]) + changer(TUR) + move(S1, D0) + drive(0, TUR) +
    drive(0, TUR) + drive(0, [0x1E, 0, 0, 0, 1, 0]) + move(D0, S1) + drive(0, [0x1E, 0, 0, 0, 0, 0]) +
    move(D0, S1),
    "spc_commands": bytes([LAYOUT, 1]) + changer(TUR) + changer([0x12, 1, 0x83, 0, 255, 0], data_in=255) +
    changer([0x1A, 0x08, 0x3F, 0, 255, 0], data_in=255) +
    changer([0x5A, 0, 0x7F, 0, 0, 0, 0, 1, 0, 0], data_in=256) +
    changer([0x4D, 0, 0x6E, 0, 0, 0, 0, 2, 0, 0], data_in=512) +
    changer([0xA3, 0x0C, 0x80, 0, 0, 0, 0, 0, 8, 0, 0, 0], data_in=2048) +
    changer([0x07, 0, 0, 0, 0, 0]) + changer([0x2B, 0, 0, 0, 0x10, 0, 0, 0, 0, 0]) +
    changer([0x1B, 0, 3, 0, 0, 0]) + changer([0x1B, 0, 3, 0, 1, 0]),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, "seed_" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
