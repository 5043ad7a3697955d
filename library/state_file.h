// The files of a library directory: reading and atomically replacing
// DIR/state.json, and the flock()s on DIR/lock and DIR/presented.
#pragma once

#include <string>

#include "library/library.h"
#include "vtape/file_io.h"

namespace vtape::library {

std::string StatePath(const std::string& dir);
std::string MediaDir(const std::string& dir);

// Reads and decodes DIR/state.json; `fd` stays open on the file read, so
// StateReplaced can tell later whether a writer has renamed another over it.
// kNotFound when DIR holds no library.
Status ReadStateFile(const std::string& dir, State& state, Fd& fd);
// Replaces DIR/state.json durably: write DIR/state.json.tmp, fsync, rename
// over, fsync DIR. `fd` is left open on the new file. Call with DIR/lock held.
Status WriteStateFile(const std::string& dir, const State& state, Fd& fd);
// Whether the file `fd` was read from is no longer DIR/state.json: every
// writer renames a new file over it, which leaves the old one without links.
// (An open descriptor pins the inode, so its number cannot be reused meanwhile.)
Status StateReplaced(int fd, bool& replaced);

// Takes DIR/lock exclusively, waiting for another holder; released when `fd` closes.
Status LockLibrary(const std::string& dir, Fd& fd);
// Takes DIR/presented exclusively without waiting: kBusy when another process
// (or another open in this one) presents the library. Held until `fd` closes.
Status TakePresented(const std::string& dir, Fd& fd);
// Whether anyone holds DIR/presented (call with DIR/lock held: presenters take
// it only under DIR/lock, so the answer holds until that is released).
Status IsPresented(const std::string& dir, bool& presented);

}  // namespace vtape::library
