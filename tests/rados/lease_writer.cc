// A gateway for RadosBackend's lease tests, as its own process (so the test can
// freeze it with SIGSTOP): opens argv[1] for writing, writes one 1000-byte record
// and a synchronous filemark, says "ready", waits for a line on stdin, then writes
// a 5000-byte record, synchronises, and prints "write: ok" or "write: <error>".
#include <iostream>
#include <string>
#include <vector>

#include "rados/rados.h"
#include "vtape/registry.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: rados_lease_writer rados:NAME\n";
    return 2;
  }
  vtape::rados::RegisterRados();
  std::unique_ptr<vtape::Tape> tape;
  vtape::Status s = vtape::OpenTape(argv[1], {}, tape);
  if (s.ok()) s = tape->Write(std::vector<std::uint8_t>(1000, 0x11));
  if (s.ok()) s = tape->WriteFilemarks(1, true);
  if (!s.ok()) {
    std::cout << "open: " << s.ToString() << std::endl;
    return 1;
  }
  std::cout << "ready" << std::endl;
  std::string line;
  std::getline(std::cin, line);
  s = tape->Write(std::vector<std::uint8_t>(5000, 0x22));
  if (s.ok()) s = tape->Sync();
  std::cout << "write: " << (s.ok() ? std::string("ok") : s.ToString()) << std::endl;
  (void)tape->Close();
  return 0;
}
