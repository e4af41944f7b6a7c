#pragma once

// The files of a local cloud's data directory (docs/local-cloud.md), named in one place:
// the server's databases, and the run files the CLI's daemon code writes and reads.

#include <string>

#include "base/status.h"

namespace cf::cloud {

// "PID\n", written once serving.
std::string PidFilePath(const std::string& data_dir);
// {"pid": P, "port": N}, written once serving: its appearance means ready.
std::string ReadyFilePath(const std::string& data_dir);
// The daemon's stdout and stderr.
std::string LogFilePath(const std::string& data_dir);
// Optional configuration, read at start.
std::string ConfigFilePath(const std::string& data_dir);

// Wipes the state kept in `data_dir` of a cloud that is not running: every record of
// cloud.db (the file stays, with its schema) and the DynamoDB database (removed with its
// -wal and -shm files). OK when there is nothing to wipe. Not for a running cloud: it resets
// through its admin API.
Status ResetDataDir(const std::string& data_dir);

}  // namespace cf::cloud
