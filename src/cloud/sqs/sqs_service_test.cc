#include "cloud/sqs/sqs_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "base/crypto.h"
#include "base/strings.h"
#include "testing/service_harness.h"

namespace cf::cloud::sqs {
namespace {

using std::chrono::seconds;

class SqsServiceTest : public testing::ServiceTest {
 protected:
  SqsServiceTest() : service_(Context(), [] { return std::string("http://127.0.0.1:4566"); }) {
    Serve(service_);
  }

  std::string Create(const std::string& name, Json attributes = Json::object()) {
    Json input = {{"QueueName", name}};
    if (!attributes.empty()) {
      input["Attributes"] = attributes;
    }
    return Ok("CreateQueue", input)["QueueUrl"].get<std::string>();
  }

  Json Receive(const std::string& url, Json extra = Json::object()) {
    Json input = {{"QueueUrl", url}, {"MaxNumberOfMessages", 10}};
    input.update(extra);
    return Ok("ReceiveMessage", input).value("Messages", Json::array());
  }

  std::string Attribute(const std::string& url, const std::string& name) {
    return Ok("GetQueueAttributes", {{"QueueUrl", url}, {"AttributeNames", {"All"}}})["Attributes"]
        .value(name, "(absent)");
  }

  SqsService service_;
};

TEST_F(SqsServiceTest, CreateIsIdempotentOnlyWithTheSameAttributes) {
  std::string url = Create("jobs", {{"VisibilityTimeout", "60"}});
  EXPECT_EQ(url, "http://127.0.0.1:4566/000000000000/jobs");
  EXPECT_EQ(Create("jobs", {{"VisibilityTimeout", "60"}}), url);
  EXPECT_EQ(ErrorCode("CreateQueue",
                      {{"QueueName", "jobs"}, {"Attributes", {{"VisibilityTimeout", "61"}}}}),
            "QueueAlreadyExists");
  EXPECT_EQ(Ok("GetQueueUrl", {{"QueueName", "jobs"}})["QueueUrl"], url);
  EXPECT_EQ(Attribute(url, "QueueArn"), "arn:aws:sqs:us-east-1:000000000000:jobs");
  EXPECT_EQ(Attribute(url, "VisibilityTimeout"), "60");
  EXPECT_EQ(Attribute(url, "MessageRetentionPeriod"), "345600");
  EXPECT_EQ(Attribute(url, "SqsManagedSseEnabled"), "true");
}

TEST_F(SqsServiceTest, BadNamesAndAttributesAreRefusedAndCreateNothing) {
  EXPECT_EQ(ErrorCode("CreateQueue", {{"QueueName", "has space"}}), "InvalidParameterValue");
  EXPECT_EQ(ErrorCode("CreateQueue", {{"QueueName", std::string(81, 'a')}}),
            "InvalidParameterValue");
  EXPECT_EQ(ErrorCode("CreateQueue", {{"QueueName", "x.fifo"}}), "InvalidParameterValue");
  EXPECT_EQ(ErrorCode("CreateQueue",
                      {{"QueueName", "x"}, {"Attributes", {{"VisibilityTimeout", "43201"}}}}),
            "InvalidAttributeValue");
  EXPECT_EQ(ErrorCode("CreateQueue", {{"QueueName", "x"}, {"Attributes", {{"Colour", "red"}}}}),
            "InvalidAttributeName");
  EXPECT_EQ(ErrorCode("CreateQueue", {{"QueueName", "x"},
                                      {"Attributes", {{"RedrivePolicy", R"({"deadLetterTargetArn":
                         "arn:aws:sqs:us-east-1:000000000000:nowhere","maxReceiveCount":3})"}}}}),
            "InvalidParameterValue");
  EXPECT_EQ(ErrorCode("CreateQueue", {{"QueueName", "x"},
                                      {"Attributes", {{"ContentBasedDeduplication", "true"}}}}),
            "InvalidAttributeName");
  EXPECT_EQ(ErrorCode("GetQueueUrl", {{"QueueName", "x"}}),
            "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_TRUE(Ok("ListQueues", Json::object()).value("QueueUrls", Json::array()).empty());
}

TEST_F(SqsServiceTest, SendReceiveDeleteWithVisibilityTimeout) {
  std::string url = Create("q", {{"VisibilityTimeout", "30"}});
  Json sent = Ok("SendMessage", {{"QueueUrl", url}, {"MessageBody", "hello"}});
  EXPECT_EQ(sent["MD5OfMessageBody"], HexEncode(Md5("hello")));
  Json got = Receive(url, {{"AttributeNames", {"All"}}});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["Body"], "hello");
  EXPECT_EQ(got[0]["MessageId"], sent["MessageId"]);
  EXPECT_EQ(got[0]["Attributes"]["ApproximateReceiveCount"], "1");
  // In flight: invisible until the timeout passes, then delivered again.
  EXPECT_TRUE(Receive(url).empty());
  EXPECT_EQ(Attribute(url, "ApproximateNumberOfMessagesNotVisible"), "1");
  clock_.Advance(seconds(31));
  Json again = Receive(url, {{"AttributeNames", {"ApproximateReceiveCount"}}});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0]["Attributes"]["ApproximateReceiveCount"], "2");
  EXPECT_NE(again[0]["ReceiptHandle"], got[0]["ReceiptHandle"]);
  Ok("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", again[0]["ReceiptHandle"]}});
  clock_.Advance(seconds(31));
  EXPECT_TRUE(Receive(url).empty());
  EXPECT_EQ(Attribute(url, "ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(ErrorCode("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", "garbage"}}),
            "ReceiptHandleIsInvalid");
}

TEST_F(SqsServiceTest, ChangeVisibilityNeedsTheMessageInFlightWithTheLatestHandle) {
  std::string url = Create("q");
  Ok("SendMessage", {{"QueueUrl", url}, {"MessageBody", "m"}});
  Json got = Receive(url);
  ASSERT_EQ(got.size(), 1u);
  std::string handle = got[0]["ReceiptHandle"];
  Ok("ChangeMessageVisibility",
     {{"QueueUrl", url}, {"ReceiptHandle", handle}, {"VisibilityTimeout", 0}});
  Json back = Receive(url);
  ASSERT_EQ(back.size(), 1u);  // visible again at once
  EXPECT_EQ(ErrorCode("ChangeMessageVisibility",
                      {{"QueueUrl", url}, {"ReceiptHandle", handle}, {"VisibilityTimeout", 5}}),
            "InvalidParameterValue");  // the first handle expired
  EXPECT_EQ(ErrorCode("ChangeMessageVisibility", {{"QueueUrl", url},
                                                  {"ReceiptHandle", back[0]["ReceiptHandle"]},
                                                  {"VisibilityTimeout", 43201}}),
            "InvalidParameterValue");
  clock_.Advance(seconds(31));
  EXPECT_EQ(ErrorCode("ChangeMessageVisibility", {{"QueueUrl", url},
                                                  {"ReceiptHandle", back[0]["ReceiptHandle"]},
                                                  {"VisibilityTimeout", 5}}),
            "AWS.SimpleQueueService.MessageNotInflight");
}

TEST_F(SqsServiceTest, DelaysAndRetentionRunOnTheClock) {
  std::string url = Create("q", {{"MessageRetentionPeriod", "60"}});
  Ok("SendMessage", {{"QueueUrl", url}, {"MessageBody", "later"}, {"DelaySeconds", 10}});
  EXPECT_EQ(Attribute(url, "ApproximateNumberOfMessagesDelayed"), "1");
  EXPECT_TRUE(Receive(url).empty());
  clock_.Advance(seconds(11));
  EXPECT_EQ(Attribute(url, "ApproximateNumberOfMessages"), "1");
  clock_.Advance(seconds(60));  // past the retention period: gone without being received
  EXPECT_TRUE(Receive(url).empty());
  EXPECT_EQ(Attribute(url, "ApproximateNumberOfMessages"), "0");
}

TEST_F(SqsServiceTest, MessageAttributesKeepTheirTypesAndTheirDigest) {
  std::string url = Create("q");
  Json attributes = {
      {"colour", {{"DataType", "String"}, {"StringValue", "blue"}}},
      {"size", {{"DataType", "Number"}, {"StringValue", "3"}}},
      {"blob", {{"DataType", "Binary"}, {"BinaryValue", std::string("\x00\xff", 2)}}}};
  Json sent = Ok("SendMessage",
                 {{"QueueUrl", url}, {"MessageBody", "m"}, {"MessageAttributes", attributes}});
  // The digest SQS documents: for each name in order, length-prefixed name, type, a
  // transport byte and the value; checked here against a hand-built encoding.
  auto prefixed = [](std::string_view s) {
    std::string out(4, '\0');
    out[3] = static_cast<char>(s.size());
    return out + std::string(s);
  };
  std::string encoded = prefixed("blob") + prefixed("Binary") + '\x02' +
                        prefixed(std::string("\x00\xff", 2)) + prefixed("colour") +
                        prefixed("String") + '\x01' + prefixed("blue") + prefixed("size") +
                        prefixed("Number") + '\x01' + prefixed("3");
  EXPECT_EQ(sent["MD5OfMessageAttributes"], HexEncode(Md5(encoded)));
  Json got = Receive(url, {{"MessageAttributeNames", {"All"}}});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["MessageAttributes"]["blob"]["BinaryValue"], std::string("\x00\xff", 2));
  EXPECT_EQ(got[0]["MD5OfMessageAttributes"], sent["MD5OfMessageAttributes"]);
  clock_.Advance(seconds(31));
  Json some = Receive(url, {{"MessageAttributeNames", {"colour"}}});
  ASSERT_EQ(some.size(), 1u);
  EXPECT_EQ(some[0]["MessageAttributes"].size(), 1u);
  EXPECT_EQ(
      ErrorCode("SendMessage", {{"QueueUrl", url},
                                {"MessageBody", "m"},
                                {"MessageAttributes",
                                 {{"n", {{"DataType", "Number"}, {"StringValue", "three"}}}}}}),
      "InvalidParameterValue");
  EXPECT_EQ(ErrorCode("SendMessage", {{"QueueUrl", url}, {"MessageBody", std::string("\x01")}}),
            "InvalidMessageContents");
}

TEST_F(SqsServiceTest, RedriveMovesAMessageReceivedTooOftenToTheDeadLetterQueue) {
  std::string dlq = Create("dead");
  std::string url = Create(
      "work",
      {{"VisibilityTimeout", "1"},
       {"RedrivePolicy",
        R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dead","maxReceiveCount":"2"})"}});
  Ok("SendMessage", {{"QueueUrl", url}, {"MessageBody", "poison"}});
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(Receive(url).size(), 1u);
    clock_.Advance(seconds(2));
  }
  EXPECT_TRUE(Receive(url).empty());
  Json dead = Receive(dlq);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0]["Body"], "poison");
  Json sources = Ok("ListDeadLetterSourceQueues", {{"QueueUrl", dlq}})["queueUrls"];
  EXPECT_EQ(sources, Json::array({url}));
}

TEST_F(SqsServiceTest, FifoKeepsGroupOrderAndDropsDuplicates) {
  std::string url = Create("orders.fifo", {{"FifoQueue", "true"}});
  EXPECT_EQ(ErrorCode("SendMessage", {{"QueueUrl", url}, {"MessageBody", "a"}}),
            "MissingParameter");
  EXPECT_EQ(
      ErrorCode("SendMessage", {{"QueueUrl", url}, {"MessageBody", "a"}, {"MessageGroupId", "g"}}),
      "InvalidParameterValue");  // no dedup id and no content-based deduplication
  auto send = [&](const std::string& body, const std::string& group, const std::string& dedup) {
    return Ok("SendMessage", {{"QueueUrl", url},
                              {"MessageBody", body},
                              {"MessageGroupId", group},
                              {"MessageDeduplicationId", dedup}});
  };
  Json first = send("g1-a", "g1", "1");
  EXPECT_EQ(send("g1-a again", "g1", "1")["MessageId"], first["MessageId"]);  // deduplicated
  send("g1-b", "g1", "2");
  send("g2-a", "g2", "3");
  Json got = Receive(url, {{"MaxNumberOfMessages", 1}});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["Body"], "g1-a");
  // g1 is blocked while its first message is in flight; g2 is not.
  Json next = Receive(url);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0]["Body"], "g2-a");
  Ok("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", got[0]["ReceiptHandle"]}});
  Json last = Receive(url);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0]["Body"], "g1-b");
  clock_.Advance(std::chrono::minutes(6));  // past the deduplication window
  EXPECT_NE(send("g1-a", "g1", "1")["MessageId"], first["MessageId"]);
}

TEST_F(SqsServiceTest, BatchesReportEachEntryAndCheckTheirIds) {
  std::string url = Create("q");
  Json result =
      Ok("SendMessageBatch", {{"QueueUrl", url},
                              {"Entries",
                               {{{"Id", "a"}, {"MessageBody", "one"}},
                                {{"Id", "b"}, {"MessageBody", "two"}, {"DelaySeconds", 901}}}}});
  ASSERT_EQ(result["Successful"].size(), 1u);
  EXPECT_EQ(result["Successful"][0]["Id"], "a");
  ASSERT_EQ(result["Failed"].size(), 1u);
  EXPECT_EQ(result["Failed"][0]["Id"], "b");
  EXPECT_EQ(result["Failed"][0]["Code"], "InvalidParameterValue");
  EXPECT_EQ(
      ErrorCode("SendMessageBatch",
                {{"QueueUrl", url},
                 {"Entries",
                  {{{"Id", "x"}, {"MessageBody", "1"}}, {{"Id", "x"}, {"MessageBody", "2"}}}}}),
      "AWS.SimpleQueueService.BatchEntryIdsNotDistinct");
  EXPECT_EQ(ErrorCode("SendMessageBatch", {{"QueueUrl", url}, {"Entries", Json::array()}}),
            "AWS.SimpleQueueService.EmptyBatchRequest");
  Json got = Receive(url);
  ASSERT_EQ(got.size(), 1u);
  Json deleted =
      Ok("DeleteMessageBatch", {{"QueueUrl", url},
                                {"Entries",
                                 {{{"Id", "ok"}, {"ReceiptHandle", got[0]["ReceiptHandle"]}},
                                  {{"Id", "bad"}, {"ReceiptHandle", "nope"}}}}});
  EXPECT_EQ(deleted["Successful"].size(), 1u);
  ASSERT_EQ(deleted["Failed"].size(), 1u);
  EXPECT_EQ(deleted["Failed"][0]["Code"], "ReceiptHandleIsInvalid");
}

TEST_F(SqsServiceTest, AttributesTagsPermissionsPurgeAndDelete) {
  std::string url = Create("q");
  Ok("SetQueueAttributes", {{"QueueUrl", url}, {"Attributes", {{"KmsMasterKeyId", "alias/k"}}}});
  EXPECT_EQ(Attribute(url, "SqsManagedSseEnabled"), "false");
  EXPECT_EQ(Attribute(url, "KmsDataKeyReusePeriodSeconds"), "300");
  EXPECT_EQ(
      ErrorCode("SetQueueAttributes", {{"QueueUrl", url}, {"Attributes", {{"FifoQueue", "true"}}}}),
      "InvalidAttributeName");
  Ok("TagQueue", {{"QueueUrl", url}, {"Tags", {{"team", "ml"}, {"env", "dev"}}}});
  Ok("UntagQueue", {{"QueueUrl", url}, {"TagKeys", {"env"}}});
  EXPECT_EQ(Ok("ListQueueTags", {{"QueueUrl", url}})["Tags"], Json({{"team", "ml"}}));
  Ok("AddPermission", {{"QueueUrl", url},
                       {"Label", "share"},
                       {"AWSAccountIds", {"111111111111"}},
                       {"Actions", {"SendMessage"}}});
  Json policy = Json::parse(Attribute(url, "Policy"));
  EXPECT_EQ(policy["Statement"][0]["Action"], Json::array({"SQS:SendMessage"}));
  Ok("RemovePermission", {{"QueueUrl", url}, {"Label", "share"}});
  EXPECT_EQ(Attribute(url, "Policy"), "(absent)");
  Ok("SendMessage", {{"QueueUrl", url}, {"MessageBody", "m"}});
  Ok("PurgeQueue", {{"QueueUrl", url}});
  EXPECT_EQ(ErrorCode("PurgeQueue", {{"QueueUrl", url}}),
            "AWS.SimpleQueueService.PurgeQueueInProgress");
  EXPECT_TRUE(Receive(url).empty());
  Ok("DeleteQueue", {{"QueueUrl", url}});
  EXPECT_EQ(ErrorCode("SendMessage", {{"QueueUrl", url}, {"MessageBody", "m"}}),
            "AWS.SimpleQueueService.NonExistentQueue");
}

TEST_F(SqsServiceTest, ListQueuesFiltersByPrefixAndPages) {
  for (const char* name : {"app-a", "app-b", "app-c", "other"}) {
    Create(name);
  }
  Json first = Ok("ListQueues", {{"QueueNamePrefix", "app-"}, {"MaxResults", 2}});
  ASSERT_EQ(first["QueueUrls"].size(), 2u);
  ASSERT_TRUE(first.contains("NextToken"));
  Json rest =
      Ok("ListQueues",
         {{"QueueNamePrefix", "app-"}, {"MaxResults", 2}, {"NextToken", first["NextToken"]}});
  ASSERT_EQ(rest["QueueUrls"].size(), 1u);
  EXPECT_EQ(rest["QueueUrls"][0], "http://127.0.0.1:4566/000000000000/app-c");
  EXPECT_FALSE(rest.contains("NextToken"));
}

TEST_F(SqsServiceTest, LongPollingWakesOnASend) {
  std::string url = Create("q");
  std::thread sender([this, url] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    Ok("SendMessage", {{"QueueUrl", url}, {"MessageBody", "woke"}});
  });
  Json got = Receive(url, {{"WaitTimeSeconds", 5}});
  sender.join();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["Body"], "woke");
}

TEST_F(SqsServiceTest, DeliverPutsANotificationOnTheQueue) {
  std::string url = Create("events");
  ASSERT_TRUE(
      service_.Deliver("arn:aws:sqs:us-east-1:000000000000:events", R"({"Records":[]})", "AIDAS3")
          .ok());
  Json got = Receive(url);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["Body"], R"({"Records":[]})");
  EXPECT_FALSE(service_.Deliver("arn:aws:sqs:us-east-1:000000000000:none", "x", "s").ok());
}

}  // namespace
}  // namespace cf::cloud::sqs
