#include "cli/app.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace cf::cli {
namespace {

struct Captured {
  int code;
  std::string out;
  std::string err;
};

Captured RunClusterform(std::vector<std::string> args) {
  args.insert(args.begin(), "clusterform");
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  int code = RunCli(args, Io{out, err});
  auto slurp = [](std::FILE* f) {
    std::string text;
    std::rewind(f);
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0) {
      text.append(buffer, n);
    }
    std::fclose(f);
    return text;
  };
  return {code, slurp(out), slurp(err)};
}

TEST(CliTest, VersionPrintsVersion) {
  Captured c = RunClusterform({"version"});
  EXPECT_EQ(c.code, 0);
  EXPECT_EQ(c.out, std::string("clusterform ") + kVersion + "\n");
}

TEST(CliTest, UnknownCommandIsAUsageError) {
  Captured c = RunClusterform({"frobnicate"});
  EXPECT_EQ(c.code, 2);
  EXPECT_NE(c.err.find("frobnicate"), std::string::npos) << c.err;
}

TEST(CliTest, HelpListsCommands) {
  Captured c = RunClusterform({"--help"});
  EXPECT_EQ(c.code, 0);
  EXPECT_NE(c.out.find("plan"), std::string::npos);
  EXPECT_NE(c.out.find("cloud"), std::string::npos);
}

TEST(CliTest, GraphAndPolicyAreCommands) {
  for (const char* command : {"graph", "policy"}) {
    Captured c = RunClusterform({command, "-bogus"});
    EXPECT_EQ(c.code, 2);
    EXPECT_EQ(c.err.rfind(std::string("clusterform ") + command + ": ", 0), 0u) << c.err;
  }
}

}  // namespace
}  // namespace cf::cli
