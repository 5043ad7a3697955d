// vtape_docgen: renders vtape(1) and the bash completion from the command table
// the tool's --help prints (tools/commands.h). Run by the build (vtape_docs).
//   vtape_docgen man VERSION OUT
//   vtape_docgen bash-completion OUT
#include <fstream>
#include <iostream>
#include <string>

#include "tools/completion.h"
#include "tools/manpage.h"

int main(int argc, char** argv) {
  std::string what = argc > 1 ? argv[1] : "";
  std::string text;
  std::string out_path;
  if (what == "man" && argc == 4) {
    text = vtape::tool::RenderManPage(argv[2]);
    out_path = argv[3];
  } else if (what == "bash-completion" && argc == 3) {
    text = vtape::tool::RenderBashCompletion();
    out_path = argv[2];
  } else {
    std::cerr << "usage: vtape_docgen man VERSION OUT | bash-completion OUT\n";
    return 2;
  }
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "vtape_docgen: cannot write " << out_path << "\n";
    return 1;
  }
  return 0;
}
