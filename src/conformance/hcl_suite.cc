// The HCL conformance suites:
//   hcl DIR [--known-failures FILE]: every X.tf under DIR with X.tf.json beside it must parse
//     without errors to that JSON (hcl2json format); with X.tf.error beside it, it must be
//     rejected with an error at the first line:column the golden names.
//   hcl-json FILE: prints FILE's body in the hcl2json format (diagnostics to stderr).

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "conformance/tally.h"
#include "hcl/hcl_json.h"
#include "hcl/parser.h"

namespace cf::conformance {

namespace {

bool ReadWholeFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// The first "input.tf:LINE,COLUMN" of an hcl2json error golden.
bool FirstErrorPosition(const std::string& golden, int* line, int* column) {
  size_t at = golden.find("input.tf:");
  if (at == std::string::npos) {
    return false;
  }
  return std::sscanf(golden.c_str() + at + 9, "%d,%d", line, column) == 2;
}

// A short description of where two JSON values first differ.
std::string FirstDifference(const nlohmann::json& want, const nlohmann::json& got) {
  nlohmann::json patch = nlohmann::json::diff(want, got);
  if (patch.empty()) {
    return "equal";
  }
  std::string out = patch[0].dump();
  if (out.size() > 400) {
    out = out.substr(0, 400) + "...";
  }
  return out;
}

int RunCorpus(const std::vector<std::string>& args) {
  std::string dir;
  std::string known;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--known-failures" && i + 1 < args.size()) {
      known = args[++i];
    } else if (dir.empty()) {
      dir = args[i];
    } else {
      std::fprintf(stderr, "usage: hcl DIR [--known-failures FILE]\n");
      return 2;
    }
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: hcl DIR [--known-failures FILE]\n");
    return 2;
  }
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".tf") {
      files.push_back(it->path().string());
    }
  }
  if (ec) {
    std::fprintf(stderr, "hcl: cannot read %s: %s\n", dir.c_str(), ec.message().c_str());
    return 2;
  }
  std::sort(files.begin(), files.end());
  Tally tally(known.empty() ? std::set<std::string>{} : ReadNameList(known));
  for (const std::string& path : files) {
    std::string name = std::filesystem::relative(path, dir).string();
    std::string source;
    if (!ReadWholeFile(path, &source)) {
      tally.Fail(name, "cannot read the file");
      continue;
    }
    std::string golden;
    if (ReadWholeFile(path + ".json", &golden)) {
      hcl::ParseResult parsed = hcl::Parse(source, "input.tf");
      if (parsed.diagnostics.HasErrors()) {
        std::string first = hcl::FormatDiagnostic(parsed.diagnostics[0]);
        if (!first.empty() && first.back() == '\n') {
          first.pop_back();
        }
        tally.Fail(name, "unexpected error: " + first);
        continue;
      }
      nlohmann::json want = nlohmann::json::parse(golden, nullptr, /*allow_exceptions=*/false);
      if (want.is_discarded()) {
        tally.Fail(name, "the golden .json is not JSON");
        continue;
      }
      nlohmann::json got = hcl::BodyToHclJson(*parsed.file);
      if (got != want) {
        tally.Fail(name, "JSON differs: " + FirstDifference(want, got));
        continue;
      }
      tally.Pass(name);
    } else if (ReadWholeFile(path + ".error", &golden)) {
      int line = 0;
      int column = 0;
      if (!FirstErrorPosition(golden, &line, &column)) {
        tally.Fail(name, "the golden .error names no position");
        continue;
      }
      hcl::ParseResult parsed = hcl::Parse(source, "input.tf");
      if (!parsed.diagnostics.HasErrors()) {
        tally.Fail(name, "accepted, but the golden rejects it at " + std::to_string(line) + ":" +
                             std::to_string(column));
        continue;
      }
      const hcl::Diagnostic& first = parsed.diagnostics[0];
      if (first.start.line != line || first.start.column != column) {
        tally.Fail(name, "first error at " + std::to_string(first.start.line) + ":" +
                             std::to_string(first.start.column) + " (" + first.summary +
                             "), the golden's at " + std::to_string(line) + ":" +
                             std::to_string(column));
        continue;
      }
      tally.Pass(name);
    }
  }
  return tally.Finish();
}

int PrintJson(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: hcl-json FILE\n");
    return 2;
  }
  std::string source;
  if (!ReadWholeFile(args[0], &source)) {
    std::fprintf(stderr, "hcl-json: cannot read %s\n", args[0].c_str());
    return 2;
  }
  hcl::ParseResult parsed = hcl::Parse(source, args[0]);
  if (!parsed.diagnostics.empty()) {
    std::fputs(hcl::FormatDiagnostics(parsed.diagnostics, source).c_str(), stderr);
  }
  if (parsed.diagnostics.HasErrors()) {
    return 1;
  }
  std::printf("%s\n", hcl::BodyToHclJson(*parsed.file)
                          .dump(1, ' ', false, nlohmann::json::error_handler_t::replace)
                          .c_str());
  return 0;
}

}  // namespace

int HclMain(const std::vector<std::string>& args) {
  return RunCorpus(args);
}

int HclJsonMain(const std::vector<std::string>& args) {
  return PrintJson(args);
}

}  // namespace cf::conformance
