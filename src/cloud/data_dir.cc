#include "cloud/data_dir.h"

#include <memory>

#include "base/file_system.h"
#include "cloud/cloud_server.h"
#include "cloud/core/store.h"
#include "cloud/dynamodb/dynamodb_service.h"

namespace cf::cloud {

std::string PidFilePath(const std::string& data_dir) {
  return JoinPath(data_dir, "cloud.pid");
}

std::string ReadyFilePath(const std::string& data_dir) {
  return JoinPath(data_dir, "cloud.ready");
}

std::string LogFilePath(const std::string& data_dir) {
  return JoinPath(data_dir, "cloud.log");
}

std::string ConfigFilePath(const std::string& data_dir) {
  return JoinPath(data_dir, "config.json");
}

Status ResetDataDir(const std::string& data_dir) {
  RealFileSystem fs;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    RETURN_IF_ERROR(fs.RemoveFile(dynamodb::DynamoDbPath(data_dir) + suffix));
  }
  if (!fs.Exists(DatabasePath(data_dir))) {
    return OkStatus();
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Open(DatabasePath(data_dir)));
  return store->Clear();
}

}  // namespace cf::cloud
