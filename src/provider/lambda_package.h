#pragma once

// Where the zip that an aws_lambda_function's `filename` names is found, and its hash.
// A relative name is looked up in each search folder in order (the configuration directory,
// then the folder of the running clusterform executable, where the build puts
// clusterform-lambda.zip); an absolute name is used as it is. Plan resolves and hashes the
// package (a missing one is a plan-time error), apply reads the same file.

#include <string>
#include <string_view>
#include <vector>

#include "base/file_system.h"
#include "base/status.h"

namespace cf::provider {

// The search folders for a configuration in `config_dir`: it, then the running executable's
// folder (/proc/self/exe), when that can be read.
std::vector<std::string> LambdaPackageDirs(const std::string& config_dir);

// The path of `filename`. InvalidArgument naming every place looked at when no such file
// exists.
Result<std::string> FindLambdaPackage(const FileSystem& fs, const std::string& filename,
                                      const std::vector<std::string>& dirs);

// A package's source_code_hash as Lambda's CodeSha256 has it: base64 of its SHA-256.
std::string LambdaPackageHash(std::string_view zip);

}  // namespace cf::provider
