#pragma once

// Amazon SQS for the local cloud: standard and FIFO queues with their attributes, tags and
// permissions, and messages for real: delays, visibility timeouts, receive counts, long
// polling, retention, dead-letter redrive, FIFO ordering per message group and
// deduplication, batches. Clients speak query (Debian's awscli) or JSON (newer botocore,
// the Terraform provider): the server's protocol answers each in kind (model_protocol.h).
//
// Queues live in the Store under "sqs/queue" ("REGION/ACCOUNT/NAME"), messages under
// "sqs/message" ("REGION/ACCOUNT/NAME/SEQUENCE", in send order). A queue's URL is
// "<endpoint>/ACCOUNT/NAME"; the endpoint is asked for when a URL is written, so URLs follow
// the server's port. Only the URL's path is read back, so AWS-style URLs work too.
//
// Time: visibility timeouts, delays and retention run on the context's clock at real speed
// (clients rely on them); long polling waits in real time, woken by sends.
//
// Not done (docs/local-cloud.md): server-side encryption is recorded, not applied; the
// 60-second wait before a deleted queue's name can be reused is not enforced.

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"

namespace cf::cloud::sqs {

class SqsService : public TableService<SqsService> {
 public:
  // `endpoint` returns the base of queue URLs ("http://127.0.0.1:4566").
  SqsService(const ServiceContext& context, std::function<std::string()> endpoint)
      : TableService(context.store, Operations()),
        context_(context),
        endpoint_(std::move(endpoint)) {}

  std::string name() const override { return "sqs"; }

  // Sends `body` to the queue with ARN `queue_arn` as the service principal `sender` (S3
  // event notifications). NotFound when there is no such queue. Must not be called from
  // inside another call's transaction.
  Status Deliver(const std::string& queue_arn, const std::string& body, const std::string& sender);

 private:
  static const OperationTable<SqsService>& Operations();

  ServiceResult CreateQueue(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetQueueUrl(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListQueues(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteQueue(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetQueueAttributes(const ServiceCall& call, CallTxn& txn);
  ServiceResult SetQueueAttributes(const ServiceCall& call, CallTxn& txn);
  ServiceResult PurgeQueue(const ServiceCall& call, CallTxn& txn);
  ServiceResult TagQueue(const ServiceCall& call, CallTxn& txn);
  ServiceResult UntagQueue(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListQueueTags(const ServiceCall& call, CallTxn& txn);
  ServiceResult AddPermission(const ServiceCall& call, CallTxn& txn);
  ServiceResult RemovePermission(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListDeadLetterSourceQueues(const ServiceCall& call, CallTxn& txn);
  ServiceResult SendMessage(const ServiceCall& call, CallTxn& txn);
  ServiceResult SendMessageBatch(const ServiceCall& call, CallTxn& txn);
  ServiceResult ReceiveMessage(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteMessage(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteMessageBatch(const ServiceCall& call, CallTxn& txn);
  ServiceResult ChangeMessageVisibility(const ServiceCall& call, CallTxn& txn);
  ServiceResult ChangeMessageVisibilityBatch(const ServiceCall& call, CallTxn& txn);

  std::string QueueUrl(const std::string& account, const std::string& name) const;
  // Wakes long polls after a send.
  void Notify();

  ServiceContext context_;
  std::function<std::string()> endpoint_;
  std::mutex wake_mu_;
  std::condition_variable wake_;
  uint64_t sends_ = 0;  // guarded by wake_mu_
};

}  // namespace cf::cloud::sqs
