#include "cli/policy_command.h"

#include <fmt/format.h>

#include <cstdio>

#include "cli/load_configuration.h"
#include "plan/policy.h"

namespace cf::cli {

const FlagSpec& PolicyFlags() {
  static const FlagSpec kSpec{{ValueFlag("var"), ValueFlag("var-file"), ValueFlag("o"),
                               ValueFlag("account"), BooleanFlag("no-color")},
                              {},
                              /*directory=*/true};
  return kSpec;
}

int RunPolicy(const std::vector<std::string>& args, const Io& io,
              const std::map<std::string, std::string>& environment, FileSystem& fs,
              const config::ModuleLookup& lookup) {
  Result<ParsedFlags> flags = ParseFlags(args, PolicyFlags());
  if (!flags.ok()) {
    fmt::print(io.err, "clusterform policy: {}\n", flags.status().message());
    return 2;
  }
  std::unique_ptr<LoadedConfiguration> loaded =
      LoadConfiguration(flags->dir, VarOptions(flags->values), environment, fs, lookup);
  if (PrintDiagnostics(*loaded, io) > 0) {
    return 1;
  }
  plan::PolicyOptions options;
  options.account = flags->Last("account");
  plan::Policy policy = plan::LeastPrivilegePolicy(loaded->desired, options);
  for (const std::string& type : policy.uncovered_types) {
    fmt::print(io.err,
               "Warning: clusterform does not know the IAM actions of {}; the policy does not "
               "cover it.\n",
               type);
  }

  if (policy.documents.empty()) {
    fmt::print(io.err, "The configuration makes no AWS calls: no policy is needed.\n");
  }
  std::string out_dir = flags->Last("o");
  if (out_dir.empty()) {
    for (const auto& document : policy.documents) {
      fmt::print(io.out, "{}\n", plan::RenderPolicyDocument(document, true));
    }
    return 0;
  }
  Status made = fs.MakeDirectories(out_dir);
  if (!made.ok()) {
    fmt::print(io.err, "clusterform policy: {}\n", made.message());
    return 1;
  }
  for (size_t i = 0; i < policy.documents.size(); ++i) {
    std::string path = JoinPath(out_dir, fmt::format("policy-{}.json", i + 1));
    Status written =
        fs.WriteFileAtomic(path, plan::RenderPolicyDocument(policy.documents[i], true) + "\n");
    if (!written.ok()) {
      fmt::print(io.err, "clusterform policy: writing {}: {}\n", path, written.message());
      return 1;
    }
    fmt::print(io.out, "{} ({} characters without whitespace)\n", path,
               plan::RenderPolicyDocument(policy.documents[i], false).size());
  }
  // Documents of an earlier, bigger policy would otherwise be mistaken for part of this one.
  Result<std::vector<std::string>> names = fs.ListDirectory(out_dir);
  if (names.ok()) {
    for (const std::string& name : *names) {
      size_t n = 0;
      if (std::sscanf(name.c_str(), "policy-%zu.json", &n) == 1 &&
          name == fmt::format("policy-{}.json", n) && n > policy.documents.size()) {
        Status removed = fs.RemoveFile(JoinPath(out_dir, name));
        if (!removed.ok()) {
          fmt::print(io.err, "clusterform policy: removing {}: {}\n", name, removed.message());
          return 1;
        }
      }
    }
  }
  return 0;
}

}  // namespace cf::cli
