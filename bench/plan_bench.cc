// `clusterform plan` without the terminal: load the root module, collect its inputs, expand
// the built-in module, make the create plan and render it as JSON. For examples/weka-minimal
// and for a generated 1,000-backend, 500-client WEKA configuration. DESIGN.md targets:
// minimal < 50 ms; large < 1 s and < 200 MB peak RSS (the peak_rss_mb counter, the whole
// process's high-water mark from getrusage).

#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "base/file_system.h"
#include "config/inputs.h"
#include "config/loader.h"
#include "graph/configuration.h"
#include "modules/builtin/builtin_modules.h"
#include "plan/plan.h"
#include "plan/render_json.h"
#include "provider/plan_data_sources.h"
#include "provider/resource_schemas.h"

namespace {

double PeakRssMb() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// One plan of `dir`; returns the JSON's size.
size_t PlanOnce(const std::string& dir, cf::FileSystem& fs) {
  cf::config::LoadResult loaded = cf::config::LoadRootModule(dir, fs);
  cf::hcl::Diagnostics diags = loaded.diagnostics;
  cf::config::InputValues inputs = cf::config::CollectInputs(*loaded.module, {}, {}, fs, diags);
  cf::modules::BuiltinModules builtins;
  cf::provider::AwsResourceSchemas schemas;
  cf::graph::ConfigurationOptions options;
  options.lookup = builtins.Lookup();
  options.schemas = &schemas;
  options.data_sources = [](const cf::config::ProviderSettings& provider) {
    return cf::provider::MakePlanDataSources(provider);
  };
  options.functions.file_system = &fs;
  options.functions.base_dir = dir;
  cf::graph::DesiredState desired =
      cf::graph::ExpandConfiguration(*loaded.module, inputs, options, diags);
  if (diags.HasErrors()) {
    std::fprintf(stderr, "%s", cf::hcl::FormatDiagnostics(diags).c_str());
    std::abort();
  }
  cf::plan::Plan plan = cf::plan::MakeCreatePlan(desired, schemas);
  return cf::plan::RenderPlanJson(plan, {"bench", true}).size();
}

void Run(benchmark::State& state, const std::string& dir) {
  cf::RealFileSystem fs;
  size_t bytes = 0;
  for (auto _ : state) {
    bytes = PlanOnce(dir, fs);
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["json_bytes"] = static_cast<double>(bytes);
  state.counters["peak_rss_mb"] = PeakRssMb();
}

void BM_PlanWekaMinimal(benchmark::State& state) {
  Run(state, std::string(CF_SOURCE_DIR) + "/examples/weka-minimal");
}

// A WEKA deployment of 1,000 backends and 500 clients, written to a temporary directory.
std::string WriteLargeWekaDir() {
  {
    char pattern[] = "/tmp/cf_plan_bench_XXXXXX";
    const char* made = mkdtemp(pattern);
    if (made == nullptr) {
      std::abort();
    }
    cf::RealFileSystem fs;
    cf::Status s = fs.WriteFileAtomic(std::string(made) + "/main.tf", R"(provider "aws" {
  region = "us-east-1"
}

module "weka" {
  source            = "weka/weka/aws"
  prefix            = "big"
  cluster_name      = "scale"
  cluster_size      = 1000
  instance_type     = "i3en.6xlarge"
  clients_number    = 500
  get_weka_io_token = "token"
  weka_version      = "4.4.10"
  allow_ssh_cidrs   = ["198.51.100.0/24"]
}

output "helpers" {
  value = module.weka.cluster_helper_commands
}
)");
    if (!s.ok()) {
      std::abort();
    }
    return std::string(made);
  }
}

void BM_PlanWeka1000Backends500Clients(benchmark::State& state) {
  std::string dir = WriteLargeWekaDir();
  Run(state, dir);
  cf::RealFileSystem fs;
  (void)fs.RemoveFile(dir + "/main.tf");
  rmdir(dir.c_str());
}

}  // namespace

BENCHMARK(BM_PlanWekaMinimal)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PlanWeka1000Backends500Clients)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
