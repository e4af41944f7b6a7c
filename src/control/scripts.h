#pragma once

// The bash scripts the control plane hands to instances (reference §4.3 deploy, §4.4
// clusterize, §4.9 join, §4.13 gateways and data services), generated from the functions'
// configuration. Every script:
//  - starts with ROOT="${CLUSTERFORM_INSTANCE_ROOT:-}" and prefixes every absolute path it
//    reads or writes with $ROOT, and calls commands from PATH only (the contract with the
//    simulator, /work/briefs/weka-contract.md §3), so it runs unchanged on AWS (ROOT empty)
//    and on the local cloud;
//  - never carries the get.weka.io token: the deploy script reads it from Secrets Manager
//    (`aws secretsmanager get-secret-value --secret-id "$TOKEN_ID"`) when it downloads WEKA,
//    hands it to curl on stdin (never argv, never a file) and forgets it;
//  - passes WEKA credentials to `weka` through WEKA_USERNAME / WEKA_PASSWORD in its own
//    environment (never argv), fetched from the fetch function at run time;
//  - defines report/clusterize/clusterize_finalization/fetch/status/join_nfs_finalization as
//    bash functions that invoke the functions with `aws lambda invoke` (plus --endpoint-url
//    "$AWS_ENDPOINT_URL" when set: Debian's awscli predates that variable).
// Values from the configuration are shell-quoted; `install_url` alone is expanded by bash at
// run time (it may reference ${AWS_ENDPOINT_URL}, contract §2).

#include <string>
#include <vector>

namespace cf::control {

struct ScriptEnv {
  std::string region;
  std::string instance_id;
  std::string private_ip;  // the instance's; reports are filed under "ip-a-b-c-d"
  std::string protocol;    // "" for backends
  std::string report_lambda;
  std::string clusterize_lambda;
  std::string clusterize_finalization_lambda;
  std::string join_nfs_finalization_lambda;
  std::string fetch_lambda;
  std::string status_lambda;
  std::string token_id;     // the get.weka.io token's secret
  std::string install_url;  // "$TOKEN@" userinfo removed: the token goes by basic auth
  std::string proxy_url;
  std::string cgroups_mode;
  bool install_dpdk = false;
  int nics_num = 1;
  int nvmes_num = 0;
  int drive_cores = 1;
  int compute_cores = 1;
  int frontend_cores = 1;
  std::string compute_memory;
  std::string weka_api_scheme = "https";  // "http" on the local cloud
};

// The name reports are filed under for an IP: "127.0.1.5" -> "ip-127-0-1-5".
std::string ReportHostname(const std::string& ip);

// Single-quoted for bash.
std::string ShellQuote(const std::string& s);

// Backend, not yet clusterized: format and mount the WEKA volume (EBS `volume_id`), install
// WEKA, set up drives0/compute0[/frontend0] on dedicated cores, wait for the containers and
// the NVMe drives, then run what the clusterize function answers.
std::string BackendDeployScript(const ScriptEnv& env, const std::string& volume_id);

struct ClusterizeParams {
  std::string cluster_name;
  std::vector<std::string> vm_names;  // instance ids, in state order
  std::vector<std::string> ips;       // their private IPs, same order
  int stripe_width = 0;
  int protection_level = 0;
  int hotspare = 0;
  bool add_frontend = false;
  bool set_default_fs = true;
  std::string weka_home_url;
  std::string post_cluster_setup_script;
  bool set_obs = false;
  std::string obs_name;
  std::string obs_ssd_percent;
  std::string tiering_target_ssd_retention;
  std::string tiering_start_demote;
};

// The clusterizer's script (§4.4 steps 1-18).
std::string ClusterizeScript(const ScriptEnv& env, const ClusterizeParams& params);

// A script that reports `message` as progress and exits 0.
std::string ReportOnlyScript(const ScriptEnv& env, const std::string& message);

// A script that reports `message` as an error and exits 1.
std::string ErrorScript(const ScriptEnv& env, const std::string& message);

// Scale-out (§4.9): join the running cluster through one of `backend_ips`.
std::string JoinScript(const ScriptEnv& env, const std::string& volume_id,
                       const std::vector<std::string>& backend_ips);

// NFS/SMB/S3 gateways and data services (§4.13): install, wait for the cluster, set up
// frontend0 (or dataserv) joined to `backend_ips`, then call clusterize with the container
// uid and NIC.
std::string GatewayDeployScript(const ScriptEnv& env, const std::vector<std::string>& backend_ips);

}  // namespace cf::control
