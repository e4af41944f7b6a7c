#include "control/scripts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "testing/awscli.h"

namespace cf::control {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

constexpr const char* kToken = "TOKEN-s3cr3t-4f9a";

ScriptEnv Env() {
  ScriptEnv env;
  env.region = "us-east-1";
  env.instance_id = "i-0abc";
  env.private_ip = "127.0.1.5";
  env.report_lambda = "p-c-report-lambda";
  env.clusterize_lambda = "p-c-clusterize-lambda";
  env.clusterize_finalization_lambda = "p-c-clusterize-finalization-lambda";
  env.join_nfs_finalization_lambda = "p-c-join-nfs-finalization-lambda";
  env.fetch_lambda = "p-c-fetch-lambda";
  env.status_lambda = "p-c-status-lambda";
  env.token_id = "weka/p-c/get_weka_io_token-AbC1";
  env.install_url = "${AWS_ENDPOINT_URL}/_wekasim/dist/v1/install/4.4.1";
  env.drive_cores = 1;
  env.compute_cores = 2;
  env.frontend_cores = 1;
  env.compute_memory = "20GB";
  env.nvmes_num = 2;
  env.weka_api_scheme = "http";
  return env;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Write(const fs::path& p, const std::string& text, bool executable = false) {
  std::ofstream(p) << text;
  if (executable) {
    fs::permissions(p, fs::perms::owner_all);
  }
}

// `bash -n` over a script: its syntax error, or "".
std::string SyntaxError(const std::string& script) {
  fs::path f = fs::temp_directory_path() / ("cf_script_" + std::to_string(::getpid()) + ".sh");
  Write(f, script);
  ShellResult r = RunShell("bash -n " + f.string() + " 2>&1");
  fs::remove(f);
  return r.status == 0 ? "" : r.output;
}

TEST(ScriptsTest, EveryScriptIsValidBash) {
  ScriptEnv env = Env();
  ClusterizeParams p;
  p.cluster_name = "poc";
  p.vm_names = {"i-1", "i-2", "i-3"};
  p.ips = {"127.0.1.1", "127.0.1.2", "127.0.1.3"};
  p.stripe_width = 3;
  p.protection_level = 2;
  p.hotspare = 1;
  p.add_frontend = true;
  p.post_cluster_setup_script = "echo 'done'";
  EXPECT_EQ(SyntaxError(BackendDeployScript(env, "vol-0123")), "");
  EXPECT_EQ(SyntaxError(ClusterizeScript(env, p)), "");
  EXPECT_EQ(SyntaxError(ReportOnlyScript(env, "This (i-1) is instance 1/6 that's ready")), "");
  EXPECT_EQ(SyntaxError(ErrorScript(env, "it's broken")), "");
  EXPECT_EQ(SyntaxError(JoinScript(env, "vol-0123", {"127.0.1.1", "127.0.1.2"})), "");
  env.protocol = "nfs";
  EXPECT_EQ(SyntaxError(GatewayDeployScript(env, {"127.0.1.1"})), "");
  env.protocol = "data";
  EXPECT_EQ(SyntaxError(GatewayDeployScript(env, {"127.0.1.1"})), "");
}

TEST(ScriptsTest, EveryScriptStartsWithTheInstanceRootAndNeverCarriesTheToken) {
  ScriptEnv env = Env();
  ClusterizeParams p;
  p.vm_names = {"i-1"};
  p.ips = {"127.0.1.1"};
  for (const std::string& s :
       {BackendDeployScript(env, "vol-1"), ClusterizeScript(env, p), ReportOnlyScript(env, "x"),
        JoinScript(env, "vol-1", {"127.0.1.1"}), GatewayDeployScript(env, {"127.0.1.1"})}) {
    EXPECT_NE(s.find("\nROOT=\"${CLUSTERFORM_INSTANCE_ROOT:-}\"\n"), std::string::npos);
    EXPECT_EQ(s.find("get.weka.io"), std::string::npos);
    EXPECT_EQ(s.find(" /tmp/"), std::string::npos);
    EXPECT_EQ(s.find("\"/opt/weka"), std::string::npos);
    EXPECT_EQ(s.find(" /etc/"), std::string::npos);
  }
  EXPECT_THAT(ClusterizeScript(env, p), HasSubstr("'i-1-drives0' 'i-1-compute0'"));
  EXPECT_THAT(ClusterizeScript(env, p), HasSubstr("HOST_IPS='127.0.1.1:14000,127.0.1.1:15000'"));
  p.protection_level = 4;
  EXPECT_THAT(ClusterizeScript(env, p), HasSubstr("--bucket-raft-size 9"));
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ReportHostname("127.0.1.5"), "ip-127-0-1-5");
}

// Runs the deploy script against stand-ins for the instance's commands (aws, curl, weka,
// lsblk, lscpu, mkfs.ext4, mount) that log their arguments: what a real instance would do,
// without touching this host.
class DeployScriptRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cf_deploy_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    bin_ = dir_ / "bin";
    root_ = dir_ / "root";
    fs::create_directories(bin_);
    fs::create_directories(root_);
    std::string log = (dir_ / "argv.log").string();
    auto stub = [&](const std::string& name, const std::string& body) {
      Write(bin_ / name, "#!/bin/bash\necho \"" + name + " $*\" >> " + log + "\n" + body, true);
    };
    stub("aws", R"SH(
case "$*" in
  *--version*) echo "aws-cli/1.45.0 Python/3" ;;
  *get-secret-value*) echo ")SH" +
                    std::string(kToken) + R"SH(" ;;
  *"lambda invoke"*)
    out="${@: -1}"; fn=""; payload=""
    while (( $# )); do case "$1" in --function-name) fn=$2 ;; --payload) payload=$2 ;; esac; shift; done
    echo "$fn $payload" >> ")SH" +
                    (dir_ / "invocations.log").string() + R"SH("
    case "$fn" in
      *clusterize-lambda) printf '%s' '"#!/bin/bash\necho clusterize script ran > \"$CLUSTERFORM_INSTANCE_ROOT/clusterized\"\n"' > "$out" ;;
      *fetch-lambda) printf '%s' '{"username": "weka-deployment", "password": "DeployPw1", "admin_password": "AdminPw1"}' > "$out" ;;
      *) printf '"ok"' > "$out" ;;
    esac ;;
esac
)SH");
    stub("curl", R"SH(
if [[ "$*" == *"--config -"* ]]; then cat > ")SH" +
                     (dir_ / "curl_stdin").string() + R"SH("; fi
out=""; data=""
for a in "$@"; do [[ "$a" == *jsonrpc* ]] && data=$a; done
while (( $# )); do case "$1" in -o) out=$2 ;; esac; shift; done
if [[ -n "$out" ]]; then
  printf '#!/bin/bash\necho installed > "$CLUSTERFORM_INSTANCE_ROOT/installed"\n' > "$out"
elif [[ -z "$data" ]]; then
  body=$(cat)
  [[ "$body" == *'"username":"weka-deployment","password":"DeployPw1"'* ]] && echo '{"result": {"access_token": "tok"}}'
else
  case "$data" in *client_query_backend*) echo '{"result": {"software_release": "4.4.1"}}' ;; esac
fi
)SH");
    stub("weka", R"SH(
case "$1 $2" in
  "local ps") printf 'drives0  Running\ncompute0  Running\nfrontend0  Running\n' ;;
  "cluster container") echo " 7" ;;
  "status -J") echo '{"capacity": {"unprovisioned_bytes": 5000}}' ;;
  "debug manhole")
    case "$*" in *operational_status*) echo "is_ready: true" ;; *getServerInfo*) echo '{"hostIdValue": 7}' ;; esac ;;
esac
echo "  env WEKA_USERNAME=${WEKA_USERNAME:-} WEKA_PASSWORD=${WEKA_PASSWORD:-}" >> "$(dirname "$0")/../weka_env.log"
)SH");
    stub("lsblk", R"SH(
case "$*" in
  *SERIAL*) printf '/dev/nvme0n1 vol0123\n/dev/nvme1n1 AWS1\n' ;;
  *MODEL*) printf '/dev/nvme1n1 Amazon EC2 NVMe Instance Storage\n/dev/nvme2n1 Amazon EC2 NVMe Instance Storage\n' ;;
esac
)SH");
    // 8 physical cores with 2 threads each over 2 NUMA nodes.
    stub("lscpu", R"SH(
echo "# CPU,Core,Node"
for cpu in $(seq 0 15); do core=$(( cpu % 8 )); echo "$cpu,$core,$(( core / 4 ))"; done
)SH");
    stub("mkfs.ext4", "");
    stub("mount", "");
  }
  void TearDown() override { fs::remove_all(dir_); }

  ShellResult Run(const std::string& script) {
    Write(dir_ / "deploy.sh", script);
    return RunShell("cd " + dir_.string() + " && env -i PATH=" + bin_.string() +
                    ":/usr/bin:/bin CLUSTERFORM_INSTANCE_ROOT=" + root_.string() +
                    " AWS_ENDPOINT_URL=http://127.0.0.1:1 bash deploy.sh 2>&1");
  }

  fs::path dir_, bin_, root_;
};

TEST_F(DeployScriptRunTest, InstallsSetsUpContainersAndRunsTheClusterizeAnswer) {
  ShellResult r = Run(BackendDeployScript(Env(), "vol-0123"));
  ASSERT_EQ(r.status, 0) << r.output;
  std::string argv = Read(dir_ / "argv.log");
  // The WEKA volume found by its serial, formatted and mounted under the instance root.
  EXPECT_THAT(argv, HasSubstr("mkfs.ext4 -F -L wekaiosw /dev/nvme0n1"));
  EXPECT_THAT(argv, HasSubstr("mount /dev/nvme0n1 " + (root_ / "opt/weka").string()));
  EXPECT_THAT(Read(root_ / "etc/fstab"), HasSubstr("LABEL=wekaiosw /opt/weka ext4"));
  // The installer came from the URL with ${AWS_ENDPOINT_URL} expanded, and ran.
  EXPECT_THAT(argv, HasSubstr("http://127.0.0.1:1/_wekasim/dist/v1/install/4.4.1"));
  EXPECT_EQ(Read(root_ / "installed"), "installed\n");
  // The token went to curl on stdin only: never in any command line, never in the output.
  EXPECT_THAT(Read(dir_ / "curl_stdin"), HasSubstr(std::string("user = \"") + kToken + ":\""));
  EXPECT_THAT(argv, Not(HasSubstr(kToken)));
  EXPECT_THAT(r.output, Not(HasSubstr(kToken)));
  EXPECT_THAT(argv, HasSubstr("secretsmanager get-secret-value --secret-id "
                              "weka/p-c/get_weka_io_token-AbC1"));
  // Cores: first thread per core, core 0 skipped, round-robin over the NUMA nodes (0-3 on
  // node 0, 4-7 on node 1): 1, 4, 2, 5, ...
  EXPECT_THAT(argv, HasSubstr("weka local setup container --name drives0 --base-port 14000 "
                              "--cores 1 --no-frontends --drives-dedicated-cores 1"));
  EXPECT_THAT(argv, HasSubstr("--core-ids 1 --net udp --dedicate"));
  EXPECT_THAT(argv, HasSubstr("--name compute0 --base-port 15000 --cores 2 --no-frontends "
                              "--compute-dedicated-cores 2 --memory 20GB"));
  EXPECT_THAT(argv, HasSubstr("--core-ids 4,2 --net udp"));
  EXPECT_THAT(argv,
              HasSubstr("--name frontend0 --base-port 16000 --cores 1 --allow-protocols true"));
  EXPECT_THAT(argv, HasSubstr("--core-ids 5 --net udp"));
  std::string invocations = Read(dir_ / "invocations.log");
  EXPECT_THAT(invocations, HasSubstr("Weka containers are ready"));
  EXPECT_THAT(invocations, HasSubstr("\"hostname\":\"ip-127-0-1-5\""));
  EXPECT_THAT(invocations, HasSubstr("p-c-clusterize-lambda {\"name\": \"i-0abc\"}"));
  EXPECT_EQ(Read(root_ / "clusterized"), "clusterize script ran\n");
  EXPECT_TRUE(fs::exists(root_ / "tmp/weka_clusterization.log"));
}

TEST_F(DeployScriptRunTest, TheClusterizeScriptCreatesTheClusterAndFinalizes) {
  ClusterizeParams p;
  p.cluster_name = "poc";
  p.vm_names = {"i-1", "i-2"};
  p.ips = {"127.0.1.1", "127.0.1.2"};
  p.stripe_width = 3;
  p.protection_level = 2;
  p.hotspare = 1;
  p.set_default_fs = true;
  ShellResult r =
      RunShell("cd " + dir_.string() + " && printf '%s' " + ShellQuote(ClusterizeScript(Env(), p)) +
               " > c.sh && env -i PATH=" + bin_.string() +
               ":/usr/bin:/bin CLUSTERFORM_INSTANCE_ROOT=" + root_.string() +
               " CF_CLUSTERIZE_SETTLE_SECONDS=0 CF_START_IO_SETTLE_SECONDS=0 bash c.sh 2>&1");
  ASSERT_EQ(r.status, 0) << r.output;
  std::string argv = Read(dir_ / "argv.log");
  EXPECT_THAT(argv, HasSubstr("weka cluster create i-1-drives0 i-1-compute0 i-2-drives0 "
                              "i-2-compute0 --host-ips "
                              "127.0.1.1:14000,127.0.1.1:15000,127.0.1.2:14000,127.0.1.2:15000"));
  EXPECT_THAT(argv, HasSubstr("weka user add weka-deployment clusteradmin DeployPw1"));
  EXPECT_THAT(argv, HasSubstr("weka cluster drive add 7 /dev/nvme1n1 /dev/nvme2n1"));
  EXPECT_THAT(argv, HasSubstr("weka cluster update --data-drives 3 --parity-drives 2"));
  EXPECT_THAT(argv, HasSubstr("weka cluster hot-spare 1"));
  EXPECT_THAT(argv, HasSubstr("weka cluster start-io"));
  EXPECT_THAT(argv, HasSubstr("weka fs create default default 5000B"));
  EXPECT_THAT(argv, HasSubstr("weka alerts mute JumboConnectivity 365d"));
  // Later weka calls run as admin through the environment.
  EXPECT_THAT(Read(dir_ / "weka_env.log"), HasSubstr("WEKA_USERNAME=admin WEKA_PASSWORD=AdminPw1"));
  EXPECT_TRUE(fs::exists(root_ / "tmp/weka_clusterization_completion_validation"));
  std::string invocations = Read(dir_ / "invocations.log");
  EXPECT_THAT(invocations, HasSubstr("Clusterization completed successfully"));
  EXPECT_THAT(invocations, HasSubstr("p-c-clusterize-finalization-lambda {}"));
}

TEST_F(DeployScriptRunTest, TheJoinScriptJoinsThroughABackend) {
  ShellResult r = Run(JoinScript(Env(), "vol-0123", {"127.0.1.1"}));
  ASSERT_EQ(r.status, 0) << r.output;
  std::string argv = Read(dir_ / "argv.log");
  EXPECT_THAT(argv, HasSubstr("curl --fail -sSk --max-time 10 -o " +
                              (root_ / "tmp/weka-agent/install.sh").string() +
                              " http://127.0.1.1:14000/dist/v1/install"));
  EXPECT_EQ(Read(root_ / "installed"), "installed\n");
  EXPECT_THAT(argv, HasSubstr("weka version get --from 127.0.1.1:14000 4.4.1 --set-current"));
  EXPECT_THAT(argv, HasSubstr("--dedicate --join-ips 127.0.1.1 --management-ips 127.0.1.5"));
  EXPECT_THAT(argv, HasSubstr("weka cluster drive scan 7"));
  EXPECT_THAT(argv,
              HasSubstr("weka events trigger-event Scale up operation completed on host i-0abc"));
  // The deployment password never appears on a command line.
  EXPECT_THAT(argv, Not(HasSubstr("DeployPw1")));
  EXPECT_TRUE(fs::exists(root_ / "tmp/weka_join_completion_validation"));
  EXPECT_THAT(Read(dir_ / "invocations.log"), HasSubstr("Joined the cluster"));
}

TEST_F(DeployScriptRunTest, AMissingVolumeIsReportedAndStops) {
  ShellResult r = Run(BackendDeployScript(Env(), "vol-9999"));
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(Read(dir_ / "invocations.log"),
              HasSubstr("the WEKA volume vol-9999 is not attached"));
  EXPECT_FALSE(fs::exists(root_ / "installed"));
}

TEST_F(DeployScriptRunTest, TooFewCoresIsReported) {
  ScriptEnv env = Env();
  env.compute_cores = 9;
  ShellResult r = Run(BackendDeployScript(env, "vol-0123"));
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(Read(dir_ / "invocations.log"), HasSubstr("7 usable cores, 11 are needed"));
}

TEST_F(DeployScriptRunTest, AReportOnlyScriptReportsAndSucceeds) {
  ShellResult r = Run(
      ReportOnlyScript(Env(), "This (i-0abc) is instance 2/6 that is ready for clusterization"));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_THAT(Read(dir_ / "invocations.log"),
              HasSubstr("p-c-report-lambda {\"type\":\"progress\",\"message\":\"This (i-0abc) is "
                        "instance 2/6 that is ready for clusterization\""));
}

}  // namespace
}  // namespace cf::control
