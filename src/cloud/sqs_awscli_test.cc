// SQS end to end with real AWS clients: Debian's awscli (SQS on the query protocol) and, when
// one is on PATH, a newer awscli (SQS on JSON, botocore >= 1.31), against one local cloud.

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "cloud/cloud_server.h"
#include "testing/awscli.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

// One client's scenario: every step a queue user takes, with a queue of its own.
void RunScenario(const std::string& aws, uint16_t port, const std::string& queue) {
  SCOPED_TRACE(aws);
  auto run = [&](const std::string& args) { return RunAwsCliBinary(aws, port, args); };
  ShellResult created =
      run(fmt::format("sqs create-queue --queue-name {} --attributes VisibilityTimeout=30,"
                      "DelaySeconds=0 --tags team=ml",
                      queue));
  ASSERT_EQ(created.status, 0) << created.output;
  std::string url = created.Json()["QueueUrl"];
  EXPECT_EQ(url, fmt::format("http://127.0.0.1:{}/000000000000/{}", port, queue));

  ShellResult found = run("sqs get-queue-url --queue-name " + queue);
  ASSERT_EQ(found.status, 0) << found.output;
  EXPECT_EQ(found.Json()["QueueUrl"], url);

  ShellResult sent = run(fmt::format(
      "sqs send-message --queue-url {} --message-body 'hello queue' --message-attributes "
      "'{{\"kind\":{{\"DataType\":\"String\",\"StringValue\":\"greeting\"}}}}'",
      url));
  ASSERT_EQ(sent.status, 0) << sent.output;
  EXPECT_EQ(sent.Json()["MD5OfMessageBody"],
            "778e165e87cc13f0713e9d3bf72a9734");  // md5 of "hello queue"

  ShellResult received = run(fmt::format(
      "sqs receive-message --queue-url {} --attribute-names All --message-attribute-names All "
      "--max-number-of-messages 10",
      url));
  ASSERT_EQ(received.status, 0) << received.output;
  nlohmann::json messages = received.Json()["Messages"];
  ASSERT_EQ(messages.size(), 1u) << received.output;
  EXPECT_EQ(messages[0]["Body"], "hello queue");
  EXPECT_EQ(messages[0]["MessageAttributes"]["kind"]["StringValue"], "greeting");
  EXPECT_EQ(messages[0]["Attributes"]["ApproximateReceiveCount"], "1");
  std::string handle = messages[0]["ReceiptHandle"];

  // In flight: the next receive finds nothing; after ChangeMessageVisibility 0 it comes back.
  ShellResult empty = run("sqs receive-message --queue-url " + url);
  ASSERT_EQ(empty.status, 0) << empty.output;
  EXPECT_FALSE(empty.Json().contains("Messages")) << empty.output;
  ShellResult changed =
      run(fmt::format("sqs change-message-visibility --queue-url {} --receipt-handle {} "
                      "--visibility-timeout 0",
                      url, handle));
  ASSERT_EQ(changed.status, 0) << changed.output;
  ShellResult again = run("sqs receive-message --queue-url " + url);
  ASSERT_EQ(again.status, 0) << again.output;
  ASSERT_EQ(again.Json()["Messages"].size(), 1u) << again.output;
  std::string second = again.Json()["Messages"][0]["ReceiptHandle"];
  ShellResult deleted =
      run(fmt::format("sqs delete-message --queue-url {} --receipt-handle {}", url, second));
  ASSERT_EQ(deleted.status, 0) << deleted.output;

  ShellResult attributes = run("sqs get-queue-attributes --attribute-names All --queue-url " + url);
  ASSERT_EQ(attributes.status, 0) << attributes.output;
  nlohmann::json view = attributes.Json()["Attributes"];
  EXPECT_EQ(view["VisibilityTimeout"], "30");
  EXPECT_EQ(view["ApproximateNumberOfMessages"], "0");
  EXPECT_EQ(view["QueueArn"], "arn:aws:sqs:us-east-1:000000000000:" + queue);

  ShellResult tags = run("sqs list-queue-tags --queue-url " + url);
  ASSERT_EQ(tags.status, 0) << tags.output;
  EXPECT_EQ(tags.Json()["Tags"]["team"], "ml");

  ShellResult bad = run(fmt::format(
      "sqs set-queue-attributes --queue-url {} --attributes VisibilityTimeout=99999", url));
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.output.find("InvalidAttributeValue"), std::string::npos) << bad.output;

  ShellResult gone = run("sqs delete-queue --queue-url " + url);
  ASSERT_EQ(gone.status, 0) << gone.output;
  ShellResult missing = run("sqs get-queue-url --queue-name " + queue);
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.output.find("NonExistentQueue"), std::string::npos) << missing.output;
}

TEST(SqsAwsCliTest, QueryAndJsonClientsSendReceiveAndDelete) {
  if (!HaveAwsCli()) {
    GTEST_SKIP() << "/usr/bin/aws is not installed";
  }
  SystemClock clock;
  NullLogger logger;
  CloudOptions options;
  options.port = 0;
  auto server = CloudServer::Start(options, clock, logger);
  ASSERT_OK(server);
  uint16_t port = (*server)->port();
  RunScenario("/usr/bin/aws", port, "debian-cli");
  if (std::optional<std::string> newer = NewerAwsCli()) {
    RunScenario(*newer, port, "newer-cli");
  }
}

}  // namespace
}  // namespace cf::cloud
