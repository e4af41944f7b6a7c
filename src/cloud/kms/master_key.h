#pragma once

// The local KMS's master key: 32 random bytes that wrap every KMS key's material before it
// goes into the SQLite store, so the database file alone does not give the keys away.
//
// File: <data dir>/kms-master-key, mode 0600, two lines: "cf-kms-master-key v1" and the key
// as 64 lowercase hex digits. Written temp -> fsync -> rename on first start. Losing the
// file makes every stored key (and so every ciphertext) unusable; `cloud reset` keeps it.

#include <string>

#include "base/status.h"

namespace cf::cloud::kms {

// Reads the master key of `data_dir`, creating the file when there is none. An empty
// `data_dir` (an in-memory cloud) gives a fresh random key that is never written.
// InvalidArgument when the file exists but is malformed or readable by group or others.
Result<std::string> LoadOrCreateMasterKey(const std::string& data_dir);

// The file name inside a data dir.
std::string MasterKeyPath(const std::string& data_dir);

}  // namespace cf::cloud::kms
