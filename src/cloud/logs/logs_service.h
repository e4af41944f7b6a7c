#pragma once

// CloudWatch Logs for the local cloud (JSON 1.1, signing name "logs"): log groups with
// retention, KMS key id, class and tags; log streams; PutLogEvents with AWS's batch rules;
// GetLogEvents with forward/backward tokens; FilterLogEvents with term/phrase patterns.
//
// State lives in the Store, keyed "<region>|<group>[|<stream>[|<chunk>]]" with '%' and '|'
// escaped in names so that one group's or stream's keys are a prefix of no other's:
//   logs/group   one document per log group (the LogGroup shape, tags under "_tags");
//   logs/stream  one document per stream (the LogStream shape, counters under "_...");
//   logs/events  a stream's events in chunks of up to kChunkEvents, in arrival order, each
//                event [timestamp, ingestionTime, message, serial].
// Reads sort a stream's events by timestamp (arrival order among equals). Events older than
// the group's retention are not returned (and are rejected as expired by PutLogEvents).

#include <map>
#include <string>

#include "cloud/core/context.h"
#include "cloud/core/service.h"

namespace cf::cloud::logs {

// Events per stored chunk.
inline constexpr size_t kChunkEvents = 1000;

class LogsService : public Service {
 public:
  explicit LogsService(const ServiceContext& context) : context_(context) {}

  std::string name() const override { return "logs"; }
  bool HasOperation(const std::string& operation) const override;
  ServiceResult Handle(const ServiceCall& call) override;

 private:
  using Handler = ServiceResult (LogsService::*)(const ServiceCall&);
  // Operation name -> member function.
  static const std::map<std::string, Handler>& Handlers();

  ServiceResult CreateLogGroup(const ServiceCall& call);
  ServiceResult DeleteLogGroup(const ServiceCall& call);
  ServiceResult DescribeLogGroups(const ServiceCall& call);
  ServiceResult PutRetentionPolicy(const ServiceCall& call);
  ServiceResult DeleteRetentionPolicy(const ServiceCall& call);
  ServiceResult TagResource(const ServiceCall& call);
  ServiceResult UntagResource(const ServiceCall& call);
  ServiceResult ListTagsForResource(const ServiceCall& call);
  ServiceResult TagLogGroup(const ServiceCall& call);
  ServiceResult UntagLogGroup(const ServiceCall& call);
  ServiceResult ListTagsLogGroup(const ServiceCall& call);
  ServiceResult CreateLogStream(const ServiceCall& call);
  ServiceResult DeleteLogStream(const ServiceCall& call);
  ServiceResult DescribeLogStreams(const ServiceCall& call);
  // Events (logs_events.cc).
  ServiceResult PutLogEvents(const ServiceCall& call);
  ServiceResult GetLogEvents(const ServiceCall& call);
  ServiceResult FilterLogEvents(const ServiceCall& call);

  int64_t NowMillis() const;

  ServiceContext context_;
};

}  // namespace cf::cloud::logs
