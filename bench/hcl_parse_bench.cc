// HCL parse throughput over the real-world corpus (../shared/conformance/hcl/real-world):
// every .tf file is loaded into memory first, then each iteration parses all of them.
// Reports bytes_per_second (the design target is >= 50 MB/s on one core).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "hcl/hcl_json.h"
#include "hcl/parser.h"

namespace {

const std::vector<std::string>& Corpus() {
  static const std::vector<std::string> files = [] {
    std::vector<std::string> paths;
    std::string dir = std::string(CF_SHARED_DIR) + "/conformance/hcl/real-world";
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file() && it->path().extension() == ".tf") {
        paths.push_back(it->path().string());
      }
    }
    std::sort(paths.begin(), paths.end());
    std::vector<std::string> contents;
    for (const std::string& p : paths) {
      std::ifstream in(p, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      contents.push_back(ss.str());
    }
    return contents;
  }();
  return files;
}

size_t CorpusBytes() {
  size_t total = 0;
  for (const std::string& f : Corpus()) {
    total += f.size();
  }
  return total;
}

void BM_ParseRealWorld(benchmark::State& state) {
  const auto& files = Corpus();
  if (files.empty()) {
    state.SkipWithError("no .tf files found under CF_SHARED_DIR/conformance/hcl/real-world");
    return;
  }
  size_t bytes = CorpusBytes();
  for (auto _ : state) {
    for (const std::string& f : files) {
      cf::hcl::ParseResult r = cf::hcl::Parse(f, "input.tf");
      benchmark::DoNotOptimize(r.file->body());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
  state.counters["files"] = static_cast<double>(files.size());
}
BENCHMARK(BM_ParseRealWorld)->Unit(benchmark::kMillisecond);

void BM_ParseAndPrintHclJson(benchmark::State& state) {
  const auto& files = Corpus();
  if (files.empty()) {
    state.SkipWithError("no .tf files found");
    return;
  }
  size_t bytes = CorpusBytes();
  for (auto _ : state) {
    for (const std::string& f : files) {
      cf::hcl::ParseResult r = cf::hcl::Parse(f, "input.tf");
      benchmark::DoNotOptimize(cf::hcl::BodyToHclJson(*r.file));
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
}
BENCHMARK(BM_ParseAndPrintHclJson)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
