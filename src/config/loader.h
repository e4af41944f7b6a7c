#pragma once

// Reading a root module directory: every *.tf file in lexical order, parsed and decoded.

#include <memory>
#include <string>

#include "base/file_system.h"
#include "config/root_module.h"
#include "hcl/diagnostic.h"

namespace cf::config {

struct LoadResult {
  std::unique_ptr<RootModule> module;  // Never nullptr; partial when diagnostics has errors.
  hcl::Diagnostics diagnostics;
};

// Loads the root module in `dir`. A missing directory, a directory with no *.tf file,
// *.tf.json files and override files are errors (diagnostics without a source position).
// Filenames in diagnostics are relative to `dir` when `dir` is ".", else `dir/name`.
LoadResult LoadRootModule(const std::string& dir, const FileSystem& fs);

// Renders every diagnostic with its source line (looked up in `module`'s files).
std::string FormatDiagnosticsWithSource(const hcl::Diagnostics& diags, const RootModule& module);

}  // namespace cf::config
