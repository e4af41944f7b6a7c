#pragma once

// `clusterform validate [DIR] [-var NAME=VALUE]... [-var-file FILE]... [-json]`: checks the
// syntax of every *.tf file, the structure of the blocks, variable values against their types
// and validations, and module arguments against the built-in module's inputs. Exit 0 when
// valid, 1 when not, 2 on a usage error.

#include <map>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "cli/app.h"
#include "cli/flags.h"

namespace cf::cli {

// The flags above, and one optional DIR.
const FlagSpec& ValidateFlags();

int RunValidate(const std::vector<std::string>& args, const Io& io,
                const std::map<std::string, std::string>& environment, const FileSystem& fs);

}  // namespace cf::cli
