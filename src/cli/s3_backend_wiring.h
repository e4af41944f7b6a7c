#pragma once

// The `s3` backend of a `terraform { backend "s3" { ... } }` block: its arguments (bucket, key,
// region, encrypt, kms_key_id, endpoints / endpoint, profile, access_key, secret_key, token,
// use_path_style, use_lockfile and the skip_* switches, which need nothing here), the AWS
// client it talks through, and how its state's sensitive values are sealed:
//   - under a KMS data key of `kms_key_id` when the block names one;
//   - pointed at the local cloud without one: under a data key of the local cloud's state key
//     (state::kLocalCloudStateKeyAlias, made on first need);
//   - otherwise with a local key file, `.clusterform-state.key` in the configuration directory.

#include <map>
#include <memory>
#include <string>

#include "base/file_system.h"
#include "config/root_module.h"
#include "state/backend.h"
#include "state/store.h"

namespace cf::cli {

struct OpenedBackend {
  std::unique_ptr<state::Backend> backend;
  state::SealerFactory sealers;
};

// InvalidArgument, with the block's file:line:column, for a missing bucket or key, an
// argument of the wrong type, an argument the s3 backend does not have, or `dynamodb_table`
// (clusterform locks with the KEY.tflock object, as `use_lockfile = true` does).
Result<OpenedBackend> OpenS3Backend(const config::Backend& block, const std::string& dir,
                                    FileSystem& fs,
                                    const std::map<std::string, std::string>& environment);

}  // namespace cf::cli
