// Golden plans: `clusterform plan` of every directory in examples/, human and JSON, compared
// byte for byte with tests/golden/<example>.plan.txt and .plan.json (stdout, then stderr and
// the exit status when there are diagnostics or the plan fails; for .json only when it fails). Run
// with CF_UPDATE_GOLDEN=1 to rewrite the goldens from the current output (docs/plan-output.md).

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "cli/plan_command.h"
#include "testing/cli_runner.h"
#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::cli {
namespace {

bool Updating() {
  const char* update = std::getenv("CF_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

// The example's files, copied to "examples/NAME/..." in memory so that every path the plan
// may print is relative and the same on every machine.
void CopyExample(const RealFileSystem& real, const std::string& from, const std::string& to,
                 InMemoryFileSystem& memory) {
  Result<std::vector<std::string>> names = real.ListDirectory(from);
  ASSERT_OK(names);
  for (const std::string& name : *names) {
    std::string path = from + "/" + name;
    if (real.IsDirectory(path)) {
      CopyExample(real, path, to + "/" + name, memory);
      continue;
    }
    Result<std::string> text = real.ReadFile(path);
    ASSERT_OK(text);
    ASSERT_OK(memory.WriteFileAtomic(to + "/" + name, *text));
  }
}

void Check(RealFileSystem& real, const std::string& golden, const std::string& actual) {
  std::string path = std::string(CF_SOURCE_DIR) + "/tests/golden/" + golden;
  if (Updating()) {
    ASSERT_OK(real.MakeDirectories(DirName(path)));
    ASSERT_OK(real.WriteFileAtomic(path, actual));
    return;
  }
  Result<std::string> expected = real.ReadFile(path);
  ASSERT_TRUE(expected.ok()) << "no golden " << golden << "; run the test with CF_UPDATE_GOLDEN=1";
  EXPECT_TRUE(*expected == actual)
      << golden << " differs from the plan; if the change is intended, run the test with "
      << "CF_UPDATE_GOLDEN=1 and review the diff.\n--- plan output ---\n"
      << actual.substr(0, 4000);
}

TEST(PlanGoldenTest, EveryExamplePlansAsItsGolden) {
  RealFileSystem real;
  std::string examples = std::string(CF_SOURCE_DIR) + "/examples";
  Result<std::vector<std::string>> names = real.ListDirectory(examples);
  ASSERT_OK(names);
  ASSERT_GE(names->size(), 7u);
  for (const std::string& name : *names) {
    SCOPED_TRACE(name);
    InMemoryFileSystem fs;
    std::string dir = "examples/" + name;
    CopyExample(real, examples + "/" + name, dir, fs);
    // A fixed Lambda package in the configuration directory (looked at first), so the plans'
    // source_code_hash does not change with every build of clusterform-lambda.
    ASSERT_OK(fs.WriteFileAtomic(dir + "/clusterform-lambda.zip", "golden-test package"));
    for (bool json : {false, true}) {
      std::vector<std::string> args = {dir, json ? "-json" : "-no-color"};
      CommandOutput run = CaptureOutput([&](std::FILE* out, std::FILE* err) {
        return RunPlan(args, Io{out, err}, {}, fs);
      });
      int code = run.code;
      std::string text = run.out;
      const std::string& errors = run.err;
      // Diagnostics and a failing exit status are part of what the golden pins. With -json a
      // successful plan's stderr holds only the preflight findings, which the .txt golden pins,
      // so the .json golden stays one JSON document.
      if (code != 0 || (!errors.empty() && !json)) {
        text += "--- stderr, exit status " + std::to_string(code) + " ---\n" + errors;
      }
      Check(real, name + (json ? ".plan.json" : ".plan.txt"), text);
    }
  }
}

}  // namespace
}  // namespace cf::cli
