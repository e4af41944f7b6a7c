#pragma once

// Where input variable values come from, with Terraform's precedence (later wins):
//   1. TF_VAR_name environment variables
//   2. terraform.tfvars
//   3. *.auto.tfvars, in lexical order of file name
//   4. -var name=value and -var-file FILE, in the order given on the command line
// This file collects the assignments; evaluation against the declared types happens in
// variables.h.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "config/root_module.h"
#include "hcl/diagnostic.h"
#include "hcl/parser.h"

namespace cf::config {

enum class InputSource { kEnvironment, kFile, kCommandLine };

// One assignment of a value to a root variable.
struct InputAssignment {
  std::string name;
  InputSource source = InputSource::kFile;
  // From a tfvars file: the right-hand side expression (owned by InputValues::files).
  const hcl::Expression* expr = nullptr;
  // From -var or TF_VAR_: the text after '='. Taken literally for variables of a primitive
  // type, parsed as an HCL expression otherwise (as Terraform does).
  std::string raw;
  // For files: the attribute's range. For -var / env: empty filename.
  hcl::Range range;
  // For people: "-var flag", "environment variable TF_VAR_x" or "file terraform.tfvars".
  std::string origin;
};

// One command-line option that sets variables, in the order given.
struct VarOption {
  enum class Kind { kVar, kVarFile };
  Kind kind;
  std::string text;  // "name=value" for kVar, a path for kVarFile
};

struct InputValues {
  std::vector<std::unique_ptr<hcl::File>> files;  // the tfvars files read
  // The winning assignment per variable name.
  std::map<std::string, InputAssignment> assignments;

  std::string_view SourceOf(std::string_view filename) const;
};

// Collects assignments for `module`'s variables from `environment` (a snapshot of the
// process environment), the tfvars files in module.dir, and `options`. Problems (unreadable
// or invalid files, malformed -var, values for undeclared variables) become diagnostics:
// errors for the command line and for blocks in tfvars files, warnings for undeclared
// variables in files; undeclared TF_VAR_ variables are ignored, as in Terraform.
InputValues CollectInputs(const RootModule& module,
                          const std::map<std::string, std::string>& environment,
                          const std::vector<VarOption>& options, const FileSystem& fs,
                          hcl::Diagnostics& diags);

}  // namespace cf::config
