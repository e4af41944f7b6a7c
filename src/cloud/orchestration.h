#pragma once

// The wiring of the local cloud's orchestration services: Lambda (with the LambdaHost that
// runs its functions), Step Functions (Task states invoke Lambda in-process) and EventBridge
// (schedules and targets), plus the CloudWatch Logs sink they write to. Owned by the server;
// everything here outlives the registered services.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "cloud/core/context.h"
#include "cloud/core/service.h"

namespace cf::cloud {

class Orchestration {
 public:
  // Registers "lambda", "states" and "events" in `services` (whose "logs" and "s3" services,
  // when registered, are used). `data_dir` empty keeps deployment packages in a temporary
  // directory. `port` gives the server's port once it listens (for AWS_ENDPOINT_URL).
  static Result<std::unique_ptr<Orchestration>> Create(const ServiceContext& context,
                                                       ServiceRegistry& services,
                                                       const std::string& data_dir,
                                                       std::function<uint16_t()> port);
  ~Orchestration();

  // Stops schedules and ends every function environment; call it while the registered
  // services still exist (the server does, in Stop). Idempotent.
  void Shutdown();

 private:
  struct Impl;
  explicit Orchestration(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cf::cloud
