#include "cloud/logs/log_sink.h"

#include <algorithm>

namespace cf::cloud::logs {

namespace {

Status Call(Service& logs, const std::string& region, const std::string& account,
            const char* operation, Json input) {
  ServiceCall call;
  call.service = "logs";
  call.operation = operation;
  call.input = std::move(input);
  call.region = region;
  call.account_id = account;
  call.request_id = "in-process";
  call.caller.account_id = account;
  call.caller.arn = "arn:aws:iam::" + account + ":root";
  ServiceResult r = logs.Handle(call);
  if (r.ok() || r.error().code == "ResourceAlreadyExistsException") {
    return OkStatus();
  }
  return UnavailableError(r.error().code + ": " + r.error().message);
}

}  // namespace

Status ServiceLogSink::Append(const std::string& region, const std::string& account_id,
                              const std::string& group, const std::string& stream,
                              const std::vector<LogLine>& lines) {
  if (lines.empty()) {
    return OkStatus();
  }
  RETURN_IF_ERROR(Call(logs_, region, account_id, "CreateLogGroup", {{"logGroupName", group}}));
  RETURN_IF_ERROR(Call(logs_, region, account_id, "CreateLogStream",
                       {{"logGroupName", group}, {"logStreamName", stream}}));
  // PutLogEvents takes at most 10,000 events per batch, in timestamp order.
  std::vector<LogLine> sorted = lines;
  std::stable_sort(sorted.begin(), sorted.end(), [](const LogLine& a, const LogLine& b) {
    return a.timestamp_ms < b.timestamp_ms;
  });
  for (size_t i = 0; i < sorted.size(); i += 10000) {
    Json events = Json::array();
    for (size_t j = i; j < std::min(sorted.size(), i + 10000); ++j) {
      events.push_back({{"timestamp", sorted[j].timestamp_ms},
                        {"message", sorted[j].message.empty() ? " " : sorted[j].message}});
    }
    RETURN_IF_ERROR(
        Call(logs_, region, account_id, "PutLogEvents",
             {{"logGroupName", group}, {"logStreamName", stream}, {"logEvents", events}}));
  }
  return OkStatus();
}

}  // namespace cf::cloud::logs
