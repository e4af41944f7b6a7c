#include "cli/graph_command.h"

#include <fmt/format.h>

#include "cli/load_configuration.h"
#include "graph/dot.h"

namespace cf::cli {

const FlagSpec& GraphFlags() {
  static const FlagSpec kSpec{
      {ValueFlag("var"), ValueFlag("var-file"), BooleanFlag("instances"), BooleanFlag("no-color")},
      {},
      /*directory=*/true};
  return kSpec;
}

int RunGraph(const std::vector<std::string>& args, const Io& io,
             const std::map<std::string, std::string>& environment, const FileSystem& fs,
             const config::ModuleLookup& lookup) {
  Result<ParsedFlags> flags = ParseFlags(args, GraphFlags());
  if (!flags.ok()) {
    fmt::print(io.err, "clusterform graph: {}\n", flags.status().message());
    return 2;
  }
  std::unique_ptr<LoadedConfiguration> loaded =
      LoadConfiguration(flags->dir, VarOptions(flags->values), environment, fs, lookup);
  if (PrintDiagnostics(*loaded, io) > 0) {
    return 1;
  }
  graph::DotOptions options;
  options.instances = flags->Has("instances");
  fmt::print(io.out, "{}", graph::ToDot(loaded->desired, options));
  return 0;
}

}  // namespace cf::cli
