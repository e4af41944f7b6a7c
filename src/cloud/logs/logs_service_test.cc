#include "cloud/logs/logs_service.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "cloud/logs/filter_pattern.h"
#include "testing/service_harness.h"
#include "testing/status_matchers.h"

namespace cf::cloud::logs {
namespace {

constexpr int64_t kHour = 3600 * 1000;
constexpr int64_t kDay = 24 * kHour;

class LogsServiceTest : public testing::ServiceTest {
 protected:
  // 2026-01-01T00:00:00Z.
  LogsServiceTest()
      : ServiceTest(7, std::chrono::system_clock::time_point(std::chrono::seconds(1767225600))),
        service_(Context()) {
    Serve(service_);
  }

  int64_t Now() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
        .count();
  }

  void Stream(const std::string& group, const std::string& stream) {
    Ok("CreateLogStream", {{"logGroupName", group}, {"logStreamName", stream}});
  }

  Json Put(const std::string& group, const std::string& stream,
           std::vector<std::pair<int64_t, std::string>> events) {
    Json list = Json::array();
    for (const auto& [timestamp, message] : events) {
      list.push_back({{"timestamp", timestamp}, {"message", message}});
    }
    return Ok("PutLogEvents",
              {{"logGroupName", group}, {"logStreamName", stream}, {"logEvents", list}});
  }

  static std::vector<std::string> Messages(const Json& out) {
    std::vector<std::string> messages;
    for (const Json& e : out["events"]) {
      messages.push_back(e["message"]);
    }
    return messages;
  }

  LogsService service_;
};

TEST(FilterPatternTest, TermsPhrasesExclusionsAndAlternatives) {
  std::string error;
  auto all = FilterPattern::Parse("ERROR timeout", &error);
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->Matches("ERROR: request timeout after 3s"));
  EXPECT_FALSE(all->Matches("ERROR: refused"));
  EXPECT_FALSE(all->Matches("error timeout"));  // case-sensitive
  auto phrase = FilterPattern::Parse("\"connection reset\"", &error);
  ASSERT_TRUE(phrase);
  EXPECT_TRUE(phrase->Matches("peer: connection reset by peer"));
  EXPECT_FALSE(phrase->Matches("reset connection"));
  auto excluded = FilterPattern::Parse("ERROR -retrying", &error);
  ASSERT_TRUE(excluded);
  EXPECT_TRUE(excluded->Matches("ERROR fatal"));
  EXPECT_FALSE(excluded->Matches("ERROR retrying in 1s"));
  auto any = FilterPattern::Parse("?ERROR ?WARN", &error);
  ASSERT_TRUE(any);
  EXPECT_TRUE(any->Matches("WARN disk 90%"));
  EXPECT_FALSE(any->Matches("INFO ok"));
  auto empty = FilterPattern::Parse("  ", &error);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->Matches("anything"));
  EXPECT_FALSE(FilterPattern::Parse("{ $.level = \"error\" }", &error));
  EXPECT_NE(error.find("not supported"), std::string::npos);
  EXPECT_FALSE(FilterPattern::Parse("\"open", &error));
}

TEST_F(LogsServiceTest, LogGroupsAreCreatedOnceWithAwsShapedArns) {
  Ok("CreateLogGroup", {{"logGroupName", "/weka/cluster"},
                        {"kmsKeyId", "arn:aws:kms:us-east-1:000000000000:key/k1"},
                        {"tags", {{"team", "storage"}}},
                        {"logGroupClass", "INFREQUENT_ACCESS"}});
  EXPECT_EQ(ErrorCode("CreateLogGroup", {{"logGroupName", "/weka/cluster"}}),
            "ResourceAlreadyExistsException");
  EXPECT_EQ(ErrorCode("CreateLogGroup", {{"logGroupName", "bad name!"}}),
            "InvalidParameterException");
  EXPECT_EQ(ErrorCode("CreateLogGroup", {{"logGroupName", "x"}, {"logGroupClass", "COLD"}}),
            "InvalidParameterException");
  Json groups = Ok("DescribeLogGroups", Json::object())["logGroups"];
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]["arn"], "arn:aws:logs:us-east-1:000000000000:log-group:/weka/cluster:*");
  EXPECT_EQ(groups[0]["kmsKeyId"], "arn:aws:kms:us-east-1:000000000000:key/k1");
  EXPECT_FALSE(groups[0].contains("logGroupClass"));  // not in the embedded model
  EXPECT_EQ(Ok("DescribeLogGroups", {{"logGroupClass", "INFREQUENT_ACCESS"}})["logGroups"].size(),
            1u);
  EXPECT_TRUE(Ok("DescribeLogGroups", {{"logGroupClass", "STANDARD"}})["logGroups"].empty());
  EXPECT_EQ(groups[0]["creationTime"], Now());
  EXPECT_FALSE(groups[0].contains("_tags"));
  EXPECT_FALSE(groups[0].contains("retentionInDays"));
  // Another region has its own groups.
  ServiceResult other = Call("DescribeLogGroups", Json::object(), "eu-west-1");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other.output()["logGroups"].empty());
  Ok("DeleteLogGroup", {{"logGroupName", "/weka/cluster"}});
  EXPECT_EQ(ErrorCode("DeleteLogGroup", {{"logGroupName", "/weka/cluster"}}),
            "ResourceNotFoundException");
}

TEST_F(LogsServiceTest, DescribeLogGroupsByPrefixPatternAndPages) {
  for (const char* name : {"/aws/lambda/a", "/aws/lambda/b", "/aws/rds/c", "/weka/d", "/weka/E"}) {
    Ok("CreateLogGroup", {{"logGroupName", name}});
  }
  EXPECT_EQ(Ok("DescribeLogGroups", {{"logGroupNamePrefix", "/aws/"}})["logGroups"].size(), 3u);
  EXPECT_EQ(Ok("DescribeLogGroups", {{"logGroupNamePattern", "LAMBDA"}})["logGroups"].size(), 2u);
  EXPECT_EQ(
      ErrorCode("DescribeLogGroups", {{"logGroupNamePrefix", "/a"}, {"logGroupNamePattern", "b"}}),
      "InvalidParameterException");
  EXPECT_EQ(ErrorCode("DescribeLogGroups", {{"limit", 51}}), "InvalidParameterException");
  std::vector<std::string> seen;
  Json input = {{"limit", 2}};
  int pages = 0;
  while (true) {
    Json out = Ok("DescribeLogGroups", input);
    ++pages;
    for (const Json& g : out["logGroups"]) {
      seen.push_back(g["logGroupName"]);
    }
    if (!out.contains("nextToken")) {
      break;
    }
    input["nextToken"] = out["nextToken"];
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, std::vector<std::string>(
                      {"/aws/lambda/a", "/aws/lambda/b", "/aws/rds/c", "/weka/E", "/weka/d"}));
}

TEST_F(LogsServiceTest, RetentionTakesOnlyAllowedValues) {
  Ok("CreateLogGroup", {{"logGroupName", "g"}});
  for (int days : {0, 2, 8, 366, 4000}) {
    EXPECT_EQ(ErrorCode("PutRetentionPolicy", {{"logGroupName", "g"}, {"retentionInDays", days}}),
              "InvalidParameterException")
        << days;
  }
  Ok("PutRetentionPolicy", {{"logGroupName", "g"}, {"retentionInDays", 14}});
  EXPECT_EQ(Ok("DescribeLogGroups", Json::object())["logGroups"][0]["retentionInDays"], 14);
  EXPECT_EQ(ErrorCode("PutRetentionPolicy", {{"logGroupName", "nope"}, {"retentionInDays", 7}}),
            "ResourceNotFoundException");
  Ok("DeleteRetentionPolicy", {{"logGroupName", "g"}});
  EXPECT_FALSE(Ok("DescribeLogGroups", Json::object())["logGroups"][0].contains("retentionInDays"));
}

TEST_F(LogsServiceTest, TagsByArnAndByTheOlderGroupCalls) {
  Ok("CreateLogGroup", {{"logGroupName", "g"}, {"tags", {{"a", "1"}}}});
  std::string arn = "arn:aws:logs:us-east-1:000000000000:log-group:g";
  Ok("TagResource", {{"resourceArn", arn}, {"tags", {{"b", "2"}}}});
  EXPECT_EQ(Ok("ListTagsForResource", {{"resourceArn", arn}})["tags"],
            Json({{"a", "1"}, {"b", "2"}}));
  Ok("UntagResource", {{"resourceArn", arn + ":*"}, {"tagKeys", {"a"}}});
  EXPECT_EQ(Ok("ListTagsLogGroup", {{"logGroupName", "g"}})["tags"], Json({{"b", "2"}}));
  Ok("TagLogGroup", {{"logGroupName", "g"}, {"tags", {{"c", "3"}}}});
  Ok("UntagLogGroup", {{"logGroupName", "g"}, {"tags", {"b"}}});
  EXPECT_EQ(Ok("ListTagsForResource", {{"resourceArn", arn}})["tags"], Json({{"c", "3"}}));
  EXPECT_EQ(ErrorCode("ListTagsForResource",
                      {{"resourceArn", "arn:aws:logs:us-east-1:000000000000:log-group:nope"}}),
            "ResourceNotFoundException");
  EXPECT_EQ(ErrorCode("TagResource", {{"resourceArn", "not-an-arn"}, {"tags", {{"x", "y"}}}}),
            "InvalidParameterException");
  EXPECT_EQ(ErrorCode("TagResource", {{"resourceArn", arn}, {"tags", {{"aws:x", "y"}}}}),
            "InvalidParameterException");
  Json many = Json::object();
  for (int i = 0; i < 50; ++i) {
    many[fmt::format("k{}", i)] = "v";
  }
  EXPECT_EQ(ErrorCode("TagResource", {{"resourceArn", arn}, {"tags", many}}),
            "TooManyTagsException");
}

TEST_F(LogsServiceTest, StreamsAreListedByNameOrLastEventWithPages) {
  Ok("CreateLogGroup", {{"logGroupName", "g"}});
  EXPECT_EQ(ErrorCode("CreateLogStream", {{"logGroupName", "nope"}, {"logStreamName", "s"}}),
            "ResourceNotFoundException");
  EXPECT_EQ(ErrorCode("CreateLogStream", {{"logGroupName", "g"}, {"logStreamName", "a:b"}}),
            "InvalidParameterException");
  for (const char* name : {"node-b", "node-a", "node-c", "other"}) {
    Stream("g", name);
  }
  EXPECT_EQ(ErrorCode("CreateLogStream", {{"logGroupName", "g"}, {"logStreamName", "node-a"}}),
            "ResourceAlreadyExistsException");
  Put("g", "node-c", {{Now() - 3000, "c"}});
  Put("g", "node-a", {{Now() - 2000, "a"}});
  Put("g", "node-b", {{Now() - 1000, "b"}});

  Json by_prefix =
      Ok("DescribeLogStreams", {{"logGroupName", "g"}, {"logStreamNamePrefix", "node-"}});
  ASSERT_EQ(by_prefix["logStreams"].size(), 3u);
  EXPECT_EQ(by_prefix["logStreams"][0]["logStreamName"], "node-a");
  EXPECT_EQ(by_prefix["logStreams"][0]["arn"],
            "arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:node-a");
  Json latest = Ok("DescribeLogStreams", {{"logGroupIdentifier", "g"},
                                          {"orderBy", "LastEventTime"},
                                          {"descending", true},
                                          {"limit", 2}});
  ASSERT_EQ(latest["logStreams"].size(), 2u);
  EXPECT_EQ(latest["logStreams"][0]["logStreamName"], "node-b");
  EXPECT_EQ(latest["logStreams"][1]["logStreamName"], "node-a");
  EXPECT_EQ(latest["logStreams"][0]["lastEventTimestamp"], Now() - 1000);
  Json rest = Ok("DescribeLogStreams", {{"logGroupName", "g"},
                                        {"orderBy", "LastEventTime"},
                                        {"descending", true},
                                        {"nextToken", latest["nextToken"]}});
  ASSERT_EQ(rest["logStreams"].size(), 2u);
  EXPECT_EQ(rest["logStreams"][0]["logStreamName"], "node-c");
  EXPECT_FALSE(rest.contains("nextToken"));
  EXPECT_EQ(ErrorCode("DescribeLogStreams", {{"logGroupName", "g"},
                                             {"orderBy", "LastEventTime"},
                                             {"logStreamNamePrefix", "n"}}),
            "InvalidParameterException");
  EXPECT_EQ(ErrorCode("DescribeLogStreams", {{"logGroupName", "g"}, {"nextToken", "junk"}}),
            "InvalidParameterException");

  Ok("DeleteLogStream", {{"logGroupName", "g"}, {"logStreamName", "node-a"}});
  EXPECT_EQ(ErrorCode("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "node-a"}}),
            "ResourceNotFoundException");
  // A new stream of the same name starts empty.
  Stream("g", "node-a");
  EXPECT_TRUE(
      Ok("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "node-a"}})["events"].empty());
}

TEST_F(LogsServiceTest, PutLogEventsEnforcesBatchRules) {
  Ok("CreateLogGroup", {{"logGroupName", "g"}});
  Stream("g", "s");
  int64_t now = Now();
  auto put = [&](Json events) {
    return ErrorCode("PutLogEvents",
                     {{"logGroupName", "g"}, {"logStreamName", "s"}, {"logEvents", events}});
  };
  EXPECT_EQ(put(Json::array()), "InvalidParameterException");
  EXPECT_EQ(
      put({{{"timestamp", now}, {"message", "b"}}, {{"timestamp", now - 1}, {"message", "a"}}}),
      "InvalidParameterException");  // not chronological
  EXPECT_EQ(put({{{"timestamp", now - kDay - 1}, {"message", "a"}},
                 {{"timestamp", now}, {"message", "b"}}}),
            "InvalidParameterException");  // spans more than 24 hours
  EXPECT_EQ(put({{{"timestamp", now}, {"message", std::string(262144, 'x')}}}),
            "InvalidParameterException");  // one event over 256 KB
  Json big = Json::array();
  for (int i = 0; i < 5; ++i) {
    big.push_back({{"timestamp", now}, {"message", std::string(250000, 'x')}});
  }
  EXPECT_EQ(put(big), "InvalidParameterException");  // batch over 1 MB
  Json too_many = Json::array();
  for (int i = 0; i < 10001; ++i) {
    too_many.push_back({{"timestamp", now}, {"message", "m"}});
  }
  EXPECT_EQ(put(too_many), "InvalidParameterException");
  EXPECT_EQ(ErrorCode("PutLogEvents", {{"logGroupName", "g"},
                                       {"logStreamName", "nope"},
                                       {"logEvents", {{{"timestamp", now}, {"message", "m"}}}}}),
            "ResourceNotFoundException");

  // Too old (over 14 days) and too new (over 2 hours ahead) events are rejected, the rest kept.
  Json out = Put("g", "s", {{now - 14 * kDay - kHour, "old"}, {now - 14 * kDay + kHour, "kept-1"}});
  EXPECT_EQ(out["rejectedLogEventsInfo"]["tooOldLogEventEndIndex"], 1);
  EXPECT_FALSE(out["rejectedLogEventsInfo"].contains("tooNewLogEventStartIndex"));
  std::string first_token = out["nextSequenceToken"];
  Json ahead =
      Put("g", "s", {{now, "kept-2"}, {now + kHour, "kept-3"}, {now + 3 * kHour, "future"}});
  EXPECT_EQ(ahead["rejectedLogEventsInfo"]["tooNewLogEventStartIndex"], 2);
  EXPECT_FALSE(ahead["rejectedLogEventsInfo"].contains("tooOldLogEventEndIndex"));
  EXPECT_NE(ahead["nextSequenceToken"], first_token);
  Json plain = Put("g", "s", {{now - 1, "kept-0"}});
  EXPECT_FALSE(plain.contains("rejectedLogEventsInfo"));
  Json got = Ok("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}});
  EXPECT_EQ(Messages(got), std::vector<std::string>({"kept-1", "kept-0", "kept-2", "kept-3"}));
  EXPECT_EQ(got["events"][0]["ingestionTime"], now);
}

TEST_F(LogsServiceTest, RetentionHidesAndRejectsOlderEvents) {
  Ok("CreateLogGroup", {{"logGroupName", "g"}});
  Stream("g", "s");
  int64_t now = Now();
  Put("g", "s", {{now - 3 * kDay, "three days ago"}});
  Put("g", "s", {{now - kHour, "an hour ago"}});
  Ok("PutRetentionPolicy", {{"logGroupName", "g"}, {"retentionInDays", 1}});
  Json got = Ok("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}});
  EXPECT_EQ(Messages(got), std::vector<std::string>({"an hour ago"}));
  Json filtered = Ok("FilterLogEvents", {{"logGroupName", "g"}});
  EXPECT_EQ(Messages(filtered), std::vector<std::string>({"an hour ago"}));
  Json rejected = Put("g", "s", {{now - kDay - 1, "expired"}, {now - 1, "fresh"}});
  EXPECT_EQ(rejected["rejectedLogEventsInfo"]["expiredLogEventEndIndex"], 1);
  // Time passes: the hour-old event ages out too.
  clock_.Advance(std::chrono::hours(23) + std::chrono::seconds(1));
  got = Ok("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}});
  EXPECT_EQ(Messages(got), std::vector<std::string>({"fresh"}));
  Ok("DeleteRetentionPolicy", {{"logGroupName", "g"}});
  got = Ok("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}});
  EXPECT_EQ(got["events"].size(), 3u);
}

TEST_F(LogsServiceTest, GetLogEventsPagesForwardAndBackward) {
  Ok("CreateLogGroup", {{"logGroupName", "g"}});
  Stream("g", "s");
  int64_t base = Now() - kHour;
  // Two batches; the second holds earlier events, which reads put back in time order.
  Put("g", "s", {{base + 5, "e5"}, {base + 6, "e6"}, {base + 7, "e7"}, {base + 8, "e8"}});
  Put("g", "s", {{base + 1, "e1"}, {base + 2, "e2"}, {base + 3, "e3"}, {base + 4, "e4"}});

  // Without a token: the newest page, or the oldest with startFromHead.
  Json tail = Ok("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}, {"limit", 3}});
  EXPECT_EQ(Messages(tail), std::vector<std::string>({"e6", "e7", "e8"}));
  Json head =
      Ok("GetLogEvents",
         {{"logGroupName", "g"}, {"logStreamName", "s"}, {"limit", 3}, {"startFromHead", true}});
  EXPECT_EQ(Messages(head), std::vector<std::string>({"e1", "e2", "e3"}));

  // Forward from the head until the token repeats.
  std::vector<std::string> forward = Messages(head);
  std::string token = head["nextForwardToken"];
  while (true) {
    Json page =
        Ok("GetLogEvents",
           {{"logGroupName", "g"}, {"logStreamName", "s"}, {"limit", 3}, {"nextToken", token}});
    for (const std::string& m : Messages(page)) {
      forward.push_back(m);
    }
    if (page["nextForwardToken"] == token) {
      EXPECT_TRUE(page["events"].empty());
      break;
    }
    token = page["nextForwardToken"];
  }
  EXPECT_EQ(forward, std::vector<std::string>({"e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8"}));

  // Backward from the tail.
  Json back = Ok("GetLogEvents", {{"logGroupName", "g"},
                                  {"logStreamName", "s"},
                                  {"limit", 3},
                                  {"nextToken", tail["nextBackwardToken"]}});
  EXPECT_EQ(Messages(back), std::vector<std::string>({"e3", "e4", "e5"}));
  Json first = Ok("GetLogEvents", {{"logGroupName", "g"},
                                   {"logStreamName", "s"},
                                   {"limit", 3},
                                   {"nextToken", back["nextBackwardToken"]}});
  EXPECT_EQ(Messages(first), std::vector<std::string>({"e1", "e2"}));

  // Time range: startTime inclusive, endTime exclusive.
  Json range = Ok("GetLogEvents", {{"logGroupName", "g"},
                                   {"logStreamName", "s"},
                                   {"startTime", base + 3},
                                   {"endTime", base + 6}});
  EXPECT_EQ(Messages(range), std::vector<std::string>({"e3", "e4", "e5"}));
  EXPECT_EQ(ErrorCode("GetLogEvents",
                      {{"logGroupName", "g"}, {"logStreamName", "s"}, {"nextToken", "x/1"}}),
            "InvalidParameterException");
  EXPECT_EQ(
      ErrorCode("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}, {"limit", 0}}),
      "InvalidParameterException");
}

TEST_F(LogsServiceTest, ManyEventsSpanSeveralChunks) {
  Ok("CreateLogGroup", {{"logGroupName", "g"}});
  Stream("g", "s");
  int64_t base = Now() - kHour;
  for (int batch = 0; batch < 3; ++batch) {
    Json events = Json::array();
    for (int i = 0; i < 900; ++i) {
      events.push_back(
          {{"timestamp", base + batch * 900 + i}, {"message", std::to_string(batch * 900 + i)}});
    }
    Ok("PutLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}, {"logEvents", events}});
  }
  Json all = Ok("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}});
  ASSERT_EQ(all["events"].size(), 2700u);
  EXPECT_EQ(all["events"][0]["message"], "0");
  EXPECT_EQ(all["events"][2699]["message"], "2699");
  EXPECT_EQ(store_->List("logs/events").value().size(), 3u);
}

TEST_F(LogsServiceTest, FilterLogEventsAcrossStreams) {
  Ok("CreateLogGroup", {{"logGroupName", "g"}});
  Stream("g", "api");
  Stream("g", "worker");
  Stream("g", "db");
  int64_t base = Now() - kHour;
  Put("g", "api", {{base + 1, "INFO started"}, {base + 4, "ERROR timeout calling db"}});
  Put("g", "worker", {{base + 2, "ERROR connection reset by peer"}, {base + 5, "WARN slow job"}});
  Put("g", "db", {{base + 3, "ERROR disk full"}});

  Json errors = Ok("FilterLogEvents", {{"logGroupName", "g"}, {"filterPattern", "ERROR"}});
  EXPECT_EQ(Messages(errors),
            std::vector<std::string>(
                {"ERROR connection reset by peer", "ERROR disk full", "ERROR timeout calling db"}));
  EXPECT_EQ(errors["events"][0]["logStreamName"], "worker");
  EXPECT_EQ(errors["searchedLogStreams"].size(), 3u);
  EXPECT_NE(errors["events"][0]["eventId"], errors["events"][1]["eventId"]);
  Json phrase =
      Ok("FilterLogEvents", {{"logGroupName", "g"}, {"filterPattern", "\"connection reset\""}});
  EXPECT_EQ(phrase["events"].size(), 1u);
  Json streams =
      Ok("FilterLogEvents",
         {{"logGroupName", "g"}, {"logStreamNames", {"api", "db"}}, {"filterPattern", "ERROR"}});
  EXPECT_EQ(streams["events"].size(), 2u);
  Json prefix = Ok("FilterLogEvents", {{"logGroupName", "g"}, {"logStreamNamePrefix", "w"}});
  EXPECT_EQ(prefix["events"].size(), 2u);
  Json range = Ok("FilterLogEvents",
                  {{"logGroupName", "g"}, {"startTime", base + 2}, {"endTime", base + 4}});
  EXPECT_EQ(Messages(range),
            std::vector<std::string>({"ERROR connection reset by peer", "ERROR disk full"}));
  Json any = Ok("FilterLogEvents", {{"logGroupName", "g"}, {"filterPattern", "?WARN ?INFO"}});
  EXPECT_EQ(any["events"].size(), 2u);

  // Pages of two until no token.
  std::vector<std::string> seen;
  Json input = {{"logGroupName", "g"}, {"limit", 2}};
  while (true) {
    Json page = Ok("FilterLogEvents", input);
    for (const std::string& m : Messages(page)) {
      seen.push_back(m);
    }
    if (!page.contains("nextToken")) {
      break;
    }
    input["nextToken"] = page["nextToken"];
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen.front(), "INFO started");
  EXPECT_EQ(seen.back(), "WARN slow job");

  EXPECT_EQ(
      ErrorCode("FilterLogEvents",
                {{"logGroupName", "g"}, {"logStreamNames", {"api"}}, {"logStreamNamePrefix", "a"}}),
      "InvalidParameterException");
  EXPECT_EQ(ErrorCode("FilterLogEvents", {{"logGroupName", "g"}, {"filterPattern", "{ $.x = 1 }"}}),
            "InvalidParameterException");
  EXPECT_EQ(ErrorCode("FilterLogEvents", {{"logGroupName", "nope"}}), "ResourceNotFoundException");
  // A group is also named by its ARN.
  Json by_arn = Ok("FilterLogEvents",
                   {{"logGroupIdentifier", "arn:aws:logs:us-east-1:000000000000:log-group:g"},
                    {"filterPattern", "disk"}});
  EXPECT_EQ(by_arn["events"].size(), 1u);
}

TEST_F(LogsServiceTest, DeletingAGroupRemovesItsStreamsAndEvents) {
  Ok("CreateLogGroup", {{"logGroupName", "g"}});
  Ok("CreateLogGroup", {{"logGroupName", "g2"}});
  Stream("g", "s");
  Stream("g2", "s");
  Put("g", "s", {{Now(), "one"}});
  Put("g2", "s", {{Now(), "two"}});
  Ok("DeleteLogGroup", {{"logGroupName", "g"}});
  EXPECT_EQ(store_->List("logs/stream").value().size(), 1u);
  EXPECT_EQ(store_->List("logs/events").value().size(), 1u);
  Ok("CreateLogGroup", {{"logGroupName", "g"}});
  EXPECT_EQ(ErrorCode("GetLogEvents", {{"logGroupName", "g"}, {"logStreamName", "s"}}),
            "ResourceNotFoundException");
  EXPECT_EQ(Messages(Ok("GetLogEvents", {{"logGroupName", "g2"}, {"logStreamName", "s"}})),
            std::vector<std::string>({"two"}));
}

TEST_F(LogsServiceTest, WronglyTypedMembersAreInvalidParameters) {
  EXPECT_EQ(ErrorCode("CreateLogGroup", {{"logGroupName", "g"}, {"tags", "x"}}),
            "InvalidParameterException");
  Ok("CreateLogGroup", {{"logGroupName", "g"}});
  EXPECT_EQ(ErrorCode("PutRetentionPolicy", {{"logGroupName", "g"}, {"retentionInDays", "7"}}),
            "InvalidParameterException");
  EXPECT_EQ(ErrorCode("DescribeLogGroups", {{"limit", "5"}}), "InvalidParameterException");
  EXPECT_EQ(ErrorCode("NoSuchOperation", Json::object()), "UnknownOperationException");
}

}  // namespace
}  // namespace cf::cloud::logs
