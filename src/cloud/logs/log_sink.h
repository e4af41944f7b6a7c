#pragma once

// Writing to CloudWatch Logs from inside the local cloud (Lambda function output, Step
// Functions execution logs): the Logs service called in-process, no HTTP and no signature.

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "cloud/core/service.h"

namespace cf::cloud::logs {

struct LogLine {
  int64_t timestamp_ms = 0;
  std::string message;
};

// Thread-safe implementations only.
class LogSink {
 public:
  virtual ~LogSink() = default;
  // Appends `lines` (in order) to `stream` of `group`, creating the group and the stream when
  // they do not exist.
  virtual Status Append(const std::string& region, const std::string& account_id,
                        const std::string& group, const std::string& stream,
                        const std::vector<LogLine>& lines) = 0;
};

// Through `logs` (the "logs" service), which must outlive the sink.
class ServiceLogSink : public LogSink {
 public:
  explicit ServiceLogSink(Service& logs) : logs_(logs) {}
  Status Append(const std::string& region, const std::string& account_id, const std::string& group,
                const std::string& stream, const std::vector<LogLine>& lines) override;

 private:
  Service& logs_;
};

}  // namespace cf::cloud::logs
