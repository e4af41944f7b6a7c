#include "cli/app.h"

#include <gtest/gtest.h>

#include <string>

#include "testing/cli_runner.h"

namespace cf::cli {
namespace {

using Captured = CommandOutput;

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

// Every --help page, byte for byte as clusterform printed them with CLI11 before the command
// table replaced it: the table must not change what users read.
struct HelpCase {
  std::vector<std::string> args;
  const char* text;
};

const HelpCase kHelpPages[] = {
    {{"--help"},
     R"(clusterform: data-platform clusters on AWS from your main.tf
Usage: clusterform [OPTIONS] SUBCOMMAND

Options:
  -h,--help                   Print this help message and exit
  --version                   Display program version information and exit

Subcommands:
  version                     print the version
  aws                         call one AWS API operation (clusterform's client)
  validate                    check the configuration in DIR: syntax, types, validations, module inputs  [DIR] [-var NAME=VALUE] [-var-file FILE] [-json]
  plan                        preview the changes for DIR, with preflight checks  [DIR] [-var NAME=VALUE] [-var-file FILE] [-out FILE] [-json] [-detailed-exitcode] [-no-color]
  graph                       the resource graph of DIR as Graphviz DOT  [DIR] [-var NAME=VALUE] [-var-file FILE] [-instances]
  policy                      the least-privilege IAM policy for DIR's plan, in documents of at most 6,144 characters  [DIR] [-var NAME=VALUE] [-var-file FILE] [-account ID] [-o DIR]
  apply                       create or change everything, with live progress  [DIR|PLANFILE] [-auto-approve] [-parallelism=N] [-json] [-lock-timeout=D] [-refresh=false] [-refresh-only] [-target=ADDR] [-replace=ADDR] [-destroy] [-var NAME=VALUE] [-var-file FILE]
  destroy                     tear everything down  [DIR] [-auto-approve] [-target=ADDR]
  output                      the root outputs from the state  [NAME] [-json] [-raw] [-dir DIR]
  state                       the instances in state  list [DIR] | show ADDR | rm ADDR...  [-dir DIR]
  import                      adopt an existing object  ADDR ID [-dir DIR] [-var NAME=VALUE]
  force-unlock                release a lock a dead process left  LOCK_ID [-force]
  module                      the built-in modules' inputs  show SOURCE [INPUT]
  cloud                       run the local AWS-compatible cloud
  status                      clusterization progress and the WEKA cluster's health  [DIR] [--watch] [-json] [-interval=D] [-var NAME=VALUE] [-var-file FILE]
  scale                       set the number of WEKA backends and follow the cluster until it has them  N [DIR] [-timeout=D] [-interval=D] [-var NAME=VALUE] [-var-file FILE]; cluster_size in the configuration stays the initial size (the group's size is ignored by plan: no drift)
  rotate                      rotate credentials and keys

)"},
    {{"-h"},
     R"(clusterform: data-platform clusters on AWS from your main.tf
Usage: clusterform [OPTIONS] SUBCOMMAND

Options:
  -h,--help                   Print this help message and exit
  --version                   Display program version information and exit

Subcommands:
  version                     print the version
  aws                         call one AWS API operation (clusterform's client)
  validate                    check the configuration in DIR: syntax, types, validations, module inputs  [DIR] [-var NAME=VALUE] [-var-file FILE] [-json]
  plan                        preview the changes for DIR, with preflight checks  [DIR] [-var NAME=VALUE] [-var-file FILE] [-out FILE] [-json] [-detailed-exitcode] [-no-color]
  graph                       the resource graph of DIR as Graphviz DOT  [DIR] [-var NAME=VALUE] [-var-file FILE] [-instances]
  policy                      the least-privilege IAM policy for DIR's plan, in documents of at most 6,144 characters  [DIR] [-var NAME=VALUE] [-var-file FILE] [-account ID] [-o DIR]
  apply                       create or change everything, with live progress  [DIR|PLANFILE] [-auto-approve] [-parallelism=N] [-json] [-lock-timeout=D] [-refresh=false] [-refresh-only] [-target=ADDR] [-replace=ADDR] [-destroy] [-var NAME=VALUE] [-var-file FILE]
  destroy                     tear everything down  [DIR] [-auto-approve] [-target=ADDR]
  output                      the root outputs from the state  [NAME] [-json] [-raw] [-dir DIR]
  state                       the instances in state  list [DIR] | show ADDR | rm ADDR...  [-dir DIR]
  import                      adopt an existing object  ADDR ID [-dir DIR] [-var NAME=VALUE]
  force-unlock                release a lock a dead process left  LOCK_ID [-force]
  module                      the built-in modules' inputs  show SOURCE [INPUT]
  cloud                       run the local AWS-compatible cloud
  status                      clusterization progress and the WEKA cluster's health  [DIR] [--watch] [-json] [-interval=D] [-var NAME=VALUE] [-var-file FILE]
  scale                       set the number of WEKA backends and follow the cluster until it has them  N [DIR] [-timeout=D] [-interval=D] [-var NAME=VALUE] [-var-file FILE]; cluster_size in the configuration stays the initial size (the group's size is ignored by plan: no drift)
  rotate                      rotate credentials and keys

)"},
    {{"version", "--help"},
     R"(print the version
Usage: clusterform version [OPTIONS]

Options:
  -h,--help                   Print this help message and exit

)"},
    {{"aws", "--help"},
     R"(call one AWS API operation (clusterform's client)
Usage: clusterform aws [OPTIONS] service operation

Positionals:
  service TEXT REQUIRED       service, as botocore names it (ec2, s3, dynamodb)
  operation TEXT REQUIRED     operation (DescribeInstances)

Options:
  -h,--help                   Print this help message and exit
  --input TEXT                parameters: a JSON object, or @FILE
  --endpoint-url TEXT         send every request there (default: $AWS_ENDPOINT_URL, else AWS)
  --region TEXT               region (default: the CLI's resolution order)
  --profile TEXT              shared-config profile
  --paginate                  follow next-page tokens and merge the pages
  --wait TEXT                 wait with this waiter (InstanceRunning) instead of one call; OPERATION is ignored

)"},
    {{"validate", "--help"},
     R"(check the configuration in DIR: syntax, types, validations, module inputs  [DIR] [-var NAME=VALUE] [-var-file FILE] [-json]
Usage: clusterform validate [OPTIONS]

Options:
  -h,--help                   Print this help message and exit

)"},
    {{"plan", "--help"},
     R"(preview the changes for DIR, with preflight checks  [DIR] [-var NAME=VALUE] [-var-file FILE] [-out FILE] [-json] [-detailed-exitcode] [-no-color]
Usage: clusterform plan [OPTIONS]

Options:
  -h,--help                   Print this help message and exit

)"},
    {{"graph", "--help"},
     R"(the resource graph of DIR as Graphviz DOT  [DIR] [-var NAME=VALUE] [-var-file FILE] [-instances]
Usage: clusterform graph [OPTIONS]

Options:
  -h,--help                   Print this help message and exit

)"},
    {{"policy", "--help"},
     R"(the least-privilege IAM policy for DIR's plan, in documents of at most 6,144 characters  [DIR] [-var NAME=VALUE] [-var-file FILE] [-account ID] [-o DIR]
Usage: clusterform policy [OPTIONS]

Options:
  -h,--help                   Print this help message and exit

)"},
    {{"cloud", "--help"},
     R"(run the local AWS-compatible cloud
Usage: clusterform cloud [OPTIONS] SUBCOMMAND

Options:
  -h,--help                   Print this help message and exit

Subcommands:
  start                       start the local cloud on 127.0.0.1
  stop                        stop the running local cloud
  status                      is the local cloud running, where, with what pid
  reset                       wipe all state of the local cloud

)"},
    {{"cloud", "start", "--help"},
     R"(start the local cloud on 127.0.0.1
Usage: clusterform cloud start [OPTIONS]

Options:
  -h,--help                   Print this help message and exit
  --port UINT:INT in [0 - 65535]
                              port to listen on (0: any free port)
  --data-dir TEXT             state directory (default $CLUSTERFORM_CLOUD_DIR or ~/.clusterform/cloud)
  --foreground                stay in the foreground (Ctrl-C stops)
  --config TEXT               JSON configuration (docs/local-cloud.md)
  --seed TEXT                 seed identifiers and fault draws (repeatable runs)

)"},
    {{"cloud", "stop", "--help"},
     R"(stop the running local cloud
Usage: clusterform cloud stop [OPTIONS]

Options:
  -h,--help                   Print this help message and exit
  --data-dir TEXT             state directory (default $CLUSTERFORM_CLOUD_DIR or ~/.clusterform/cloud)

)"},
    {{"cloud", "status", "--help"},
     R"(is the local cloud running, where, with what pid
Usage: clusterform cloud status [OPTIONS]

Options:
  -h,--help                   Print this help message and exit
  --data-dir TEXT             state directory (default $CLUSTERFORM_CLOUD_DIR or ~/.clusterform/cloud)

)"},
    {{"cloud", "reset", "--help"},
     R"(wipe all state of the local cloud
Usage: clusterform cloud reset [OPTIONS]

Options:
  -h,--help                   Print this help message and exit
  --data-dir TEXT             state directory (default $CLUSTERFORM_CLOUD_DIR or ~/.clusterform/cloud)

)"},
    {{"apply", "--help"},
     R"(create or change everything, with live progress  [DIR|PLANFILE] [-auto-approve] [-parallelism=N] [-json] [-lock-timeout=D] [-refresh=false] [-refresh-only] [-target=ADDR] [-replace=ADDR] [-destroy] [-var NAME=VALUE] [-var-file FILE]
Usage: clusterform apply [OPTIONS]

Options:
  -h,--help                   Print this help message and exit

)"},
    {{"status", "--help"},
     R"(clusterization progress and the WEKA cluster's health  [DIR] [--watch] [-json] [-interval=D] [-var NAME=VALUE] [-var-file FILE]
Usage: clusterform status [OPTIONS]

Options:
  -h,--help                   Print this help message and exit
  --watch                     refresh until clusterized or Ctrl-C
  --json                      print one JSON document (docs/status-and-scale.md)
  --interval DURATION         time between refreshes with --watch (default 2s)

)"},
    {{"scale", "--help"},
     R"(set the number of WEKA backends and follow the cluster until it has them  N [DIR] [-timeout=D] [-interval=D] [-var NAME=VALUE] [-var-file FILE]; cluster_size in the configuration stays the initial size (the group's size is ignored by plan: no drift)
Usage: clusterform scale [OPTIONS] N

Positionals:
  N TEXT REQUIRED             the number of backends (at least the module's minimum, at most the group's max)

Options:
  -h,--help                   Print this help message and exit
  --timeout DURATION          how long to follow the cluster (default 30m)
  --interval DURATION         time between looks at the cluster (default 5s)

)"},
    {{"rotate", "--help"},
     R"(rotate credentials and keys
Usage: clusterform rotate [OPTIONS]

Options:
  -h,--help                   Print this help message and exit

)"},
    {{"destroy", "--help"},
     R"(tear everything down  [DIR] [-auto-approve] [-target=ADDR]
Usage: clusterform destroy [OPTIONS]

Options:
  -h,--help                   Print this help message and exit

)"},
    {{"output", "--help"},
     R"(the root outputs from the state  [NAME] [-json] [-raw] [-dir DIR]
Usage: clusterform output [OPTIONS]

Options:
  -h,--help                   Print this help message and exit

)"},
    {{"state", "--help"},
     R"(the instances in state  list [DIR] | show ADDR | rm ADDR...  [-dir DIR]
Usage: clusterform state [OPTIONS]

Options:
  -h,--help                   Print this help message and exit

)"},
    {{"import", "--help"},
     R"(adopt an existing object  ADDR ID [-dir DIR] [-var NAME=VALUE]
Usage: clusterform import [OPTIONS]

Options:
  -h,--help                   Print this help message and exit

)"},
    {{"force-unlock", "--help"},
     R"(release a lock a dead process left  LOCK_ID [-force]
Usage: clusterform force-unlock [OPTIONS]

Options:
  -h,--help                   Print this help message and exit

)"},
};

// The built-in modules' inputs, which live in no file the user can open.
TEST(CliTest, ModuleShowDescribesABuiltInInput) {
  Captured one = RunClusterform({"module", "show", "weka/weka/aws", "cluster_size"});
  EXPECT_EQ(one.code, 0) << one.err;
  EXPECT_EQ(one.out,
            "weka/weka/aws (weka/terraform-aws-weka v2.0.1) input \"cluster_size\"\n"
            "  description: Number of backend instances.\n"
            "  type:        number\n"
            "  default:     6\n"
            "  validation:  var.cluster_size >= 6\n"
            "    message:   \"Cluster size should be at least 6.\"\n");
  Captured all = RunClusterform({"module", "show", "github.com/wandb/terraform-aws-wandb"});
  EXPECT_EQ(all.code, 0) << all.err;
  EXPECT_EQ(all.out.substr(0, all.out.find('\n')),
            "wandb/wandb/aws: the 104 inputs of wandb/terraform-aws-wandb v8.0.0");
  Captured typo = RunClusterform({"module", "show", "weka/weka/aws", "clustr_size"});
  EXPECT_EQ(typo.code, 1);
  EXPECT_EQ(typo.err,
            "clusterform module show: weka/weka/aws has no input \"clustr_size\"; did you mean "
            "\"cluster_size\"?\n");
  EXPECT_EQ(RunClusterform({"module", "show", "terraform-aws-modules/vpc/aws"}).code, 1);
}

TEST(CliTest, HelpPagesAreUnchanged) {
  for (const HelpCase& page : kHelpPages) {
    Captured c = RunClusterform(page.args);
    EXPECT_EQ(c.code, 0) << page.args[0];
    EXPECT_EQ(c.out, page.text) << testing::PrintToString(page.args);
    EXPECT_EQ(c.err, "");
  }
}

TEST(CliTest, UsageErrorsExitTwoAndSayWhatToRun) {
  Captured none = RunClusterform({});
  EXPECT_EQ(none.code, 2);
  EXPECT_EQ(none.err,
            "clusterform: A subcommand is required\nRun 'clusterform --help' for the commands.\n");
  EXPECT_EQ(RunClusterform({"-x"}).code, 2);
  Captured unknown = RunClusterform({"cloud", "bogus"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_EQ(unknown.err,
            "clusterform cloud: unknown command \"bogus\"\n"
            "Run 'clusterform cloud --help' for the commands.\n");
  EXPECT_EQ(RunClusterform({"cloud"}).code, 2);
  Captured extra = RunClusterform({"version", "extra"});
  EXPECT_EQ(extra.code, 2);
  EXPECT_EQ(extra.err, "clusterform version: unexpected argument \"extra\"\n");
  Captured port = RunClusterform({"cloud", "start", "--port", "70000"});
  EXPECT_EQ(port.code, 2);
  EXPECT_EQ(port.err, "clusterform cloud start: --port: Value 70000 not in range 0 to 65535\n");
  Captured missing = RunClusterform({"cloud", "stop", "--data-dir"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_EQ(missing.err, "clusterform cloud stop: --data-dir needs a value\n");
}

TEST(CliTest, VersionFlagBeforeAnyCommand) {
  Captured c = RunClusterform({"--version", "plan"});
  EXPECT_EQ(c.code, 0);
  EXPECT_EQ(c.out, std::string("clusterform ") + kVersion + "\n");
}

TEST(CliTest, HelpFollowsTheFlagsOfTheCommand) {
  // -json is plan's own flag; the help still wins.
  EXPECT_EQ(RunClusterform({"plan", "-json", "--help"}).out, RunClusterform({"plan", "-h"}).out);
  EXPECT_EQ(RunClusterform({"cloud", "start", "--foreground", "-help"}).code, 0);
}

// A command of DESIGN.md not built yet says so, and does not exit 2 (that is bad usage).
TEST(CliTest, CommandsNotBuiltYetSaySoWithExitOne) {
  for (const char* command : {"rotate"}) {
    Captured c = RunClusterform({command, "-auto-approve"});
    EXPECT_EQ(c.code, 1) << command;
    EXPECT_EQ(c.err, std::string("clusterform ") + command + ": not available in this build yet\n");
  }
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
