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

#include <string>

#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"

namespace cf::cloud::logs {

// Events per stored chunk.
inline constexpr size_t kChunkEvents = 1000;

class LogsService : public TableService<LogsService> {
 public:
  explicit LogsService(const ServiceContext& context)
      : TableService(context.store, Operations()), context_(context) {}

  std::string name() const override { return "logs"; }

 private:
  static const OperationTable<LogsService>& Operations();

  ServiceResult CreateLogGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteLogGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeLogGroups(const ServiceCall& call, CallTxn& txn);
  ServiceResult PutRetentionPolicy(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteRetentionPolicy(const ServiceCall& call, CallTxn& txn);
  ServiceResult TagResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult UntagResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListTagsForResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult TagLogGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult UntagLogGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListTagsLogGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult CreateLogStream(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteLogStream(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeLogStreams(const ServiceCall& call, CallTxn& txn);
  // Events (logs_events.cc).
  ServiceResult PutLogEvents(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetLogEvents(const ServiceCall& call, CallTxn& txn);
  ServiceResult FilterLogEvents(const ServiceCall& call, CallTxn& txn);

  int64_t NowMillis() const;

  ServiceContext context_;
};

}  // namespace cf::cloud::logs
