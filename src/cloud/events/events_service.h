#pragma once

// Amazon EventBridge for the local cloud (JSON 1.1, signing name "events"), on the default
// event bus: PutRule (ScheduleExpression rate()/cron(), EventPattern), DescribeRule,
// ListRules, DeleteRule, EnableRule, DisableRule, PutTargets, RemoveTargets,
// ListTargetsByRule, PutEvents (matched against the rules' patterns), TagResource,
// UntagResource, ListTagsForResource.
//
// Schedules fire on a thread the service owns, on simulated time: the server's Clock with
// its elapsed time divided by the latency profile's time scale (0.01: "rate(1 minute)" fires
// every 0.6 s). A rate rule first fires one period after it was created or enabled. Targets
// get the scheduled event ({"detail-type": "Scheduled Event", "source": "aws.events", ...})
// or, with Input / InputPath / InputTransformer, what those make of it, through a
// TargetDispatcher.
//
// State in the Store: events/rule "<region>|<name>" -> the DescribeRule shape plus
// "_targets" (the Target list), "_tags" and "_anchor_ms" (simulated time of the anchor).

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"
#include "cloud/stepfunctions/sleeper.h"

namespace cf::cloud::events {

// Delivers an event to a target ARN (a Lambda function or a Step Functions state machine).
// Thread-safe.
class TargetDispatcher {
 public:
  virtual ~TargetDispatcher() = default;
  // OK when accepted; the error otherwise (recorded, not retried).
  virtual Status Deliver(const std::string& region, const std::string& account_id,
                         const std::string& target_arn, const std::string& role_arn,
                         const std::string& input) = 0;
};

// The input a target receives for `event` (Input, InputPath or InputTransformer of `target`,
// else the event itself). InvalidArgument when a path does not select anything usable.
Result<std::string> TargetInput(const Json& target, const Json& event);

// Whether `event` matches the EventBridge `pattern` (values lists, prefix, suffix,
// anything-but, exists, numeric comparisons, nested objects).
bool MatchesPattern(const Json& pattern, const Json& event);

class EventsService : public TableService<EventsService> {
 public:
  // `dispatcher` and `sleeper` must outlive the service. Starts the scheduler thread.
  EventsService(const ServiceContext& context, TargetDispatcher& dispatcher, Sleeper& sleeper);
  ~EventsService() override;  // Stops the scheduler.

  std::string name() const override { return "events"; }
  Status Reset() override;

  // Stops the scheduler (idempotent).
  void Shutdown();
  // Simulated now (see above).
  std::chrono::system_clock::time_point SimulatedNow() const;
  // Times each rule fired so far, by rule ARN (tests).
  int64_t FireCount(const std::string& rule_arn);

 private:
  static const OperationTable<EventsService>& Operations();

  ServiceResult PutRule(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeRule(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListRules(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteRule(const ServiceCall& call, CallTxn& txn);
  // EnableRule and DisableRule.
  ServiceResult SetState(const ServiceCall& call, CallTxn& txn, const char* state);
  ServiceResult PutTargets(const ServiceCall& call, CallTxn& txn);
  ServiceResult RemoveTargets(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListTargetsByRule(const ServiceCall& call, CallTxn& txn);
  ServiceResult PutEvents(const ServiceCall& call, CallTxn& txn);
  ServiceResult TagResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult UntagResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListTagsForResource(const ServiceCall& call, CallTxn& txn);

  void SchedulerLoop();
  void Fire(const Json& rule, const Json& event);

  ServiceContext context_;
  TargetDispatcher& dispatcher_;
  Sleeper& sleeper_;
  mutable std::mutex mu_;
  // Simulated time advances by real elapsed time / time scale at each reading.
  mutable std::chrono::system_clock::time_point last_real_;  // guarded by mu_
  mutable std::chrono::system_clock::time_point sim_now_;    // guarded by mu_
  std::map<std::string, int64_t> last_fired_ms_;  // guarded by mu_: rule ARN -> simulated ms
  std::map<std::string, int64_t> fire_counts_;    // guarded by mu_
  std::atomic<bool> stop_{false};
  std::thread scheduler_;
};

}  // namespace cf::cloud::events
