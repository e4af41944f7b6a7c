#include "aws/paginator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const json kDoc = json::parse(R"({"pagination": {
  "DescribeInstances": {"input_token": "NextToken", "output_token": "NextToken",
                        "limit_key": "MaxResults", "result_key": "Reservations"},
  "ListObjects": {"more_results": "IsTruncated", "limit_key": "MaxKeys",
                  "output_token": "NextMarker || Contents[-1].Key", "input_token": "Marker",
                  "result_key": ["Contents", "CommonPrefixes"]},
  "ListObjectVersions": {"more_results": "IsTruncated", "limit_key": "MaxKeys",
                         "output_token": ["NextKeyMarker", "NextVersionIdMarker"],
                         "input_token": ["KeyMarker", "VersionIdMarker"],
                         "result_key": ["Versions", "DeleteMarkers"]}
}})");

// A service holding `pages`, answering by the token in the params.
struct TokenService {
  std::vector<json> pages;
  std::vector<json> seen_params;
  Result<json> operator()(const json& params) {
    seen_params.push_back(params);
    size_t index = 0;
    if (params.contains("NextToken")) {
      index = std::stoul(params["NextToken"].get<std::string>());
    }
    return pages.at(index);
  }
};

TEST(PaginatorTest, ParsesSingleAndMultipleTokens) {
  EXPECT_TRUE(CanPaginate(kDoc, "ListObjects"));
  EXPECT_FALSE(CanPaginate(kDoc, "RunInstances"));
  auto versions = ParsePaginator(kDoc, "ListObjectVersions");
  ASSERT_OK(versions);
  EXPECT_EQ(versions->input_tokens.size(), 2u);
  EXPECT_THAT(ParsePaginator(kDoc, "RunInstances"),
              StatusIs(StatusCode::kNotFound, HasSubstr("cannot be paginated")));
}

TEST(PaginatorTest, FollowsNextTokenAndMergesResults) {
  auto config = ParsePaginator(kDoc, "DescribeInstances");
  ASSERT_OK(config);
  TokenService service;
  service.pages = {json::parse(R"({"Reservations": [{"id": 1}], "NextToken": "1"})"),
                   json::parse(R"({"Reservations": [{"id": 2}, {"id": 3}], "NextToken": "2"})"),
                   json::parse(R"({"Reservations": [{"id": 4}]})")};
  PaginateOptions options;
  options.page_size = 50;
  auto all = PaginateAll(*config, {{"Filters", json::array()}}, std::ref(service), options);
  ASSERT_OK(all);
  EXPECT_EQ((*all)["Reservations"].size(), 4u);
  EXPECT_FALSE(all->contains("NextToken"));
  ASSERT_EQ(service.seen_params.size(), 3u);
  EXPECT_EQ(service.seen_params[0]["MaxResults"], 50);
  EXPECT_FALSE(service.seen_params[0].contains("NextToken"));
  EXPECT_EQ(service.seen_params[2]["NextToken"], "2");
  EXPECT_TRUE(service.seen_params[2].contains("Filters"));
}

TEST(PaginatorTest, MaxItemsStopsEarly) {
  auto config = ParsePaginator(kDoc, "DescribeInstances");
  ASSERT_OK(config);
  TokenService service;
  service.pages = {json::parse(R"({"Reservations": [1, 2], "NextToken": "1"})"),
                   json::parse(R"({"Reservations": [3, 4], "NextToken": "2"})"),
                   json::parse(R"({"Reservations": [5]})")};
  PaginateOptions options;
  options.max_items = 3;
  auto all = PaginateAll(*config, json::object(), std::ref(service), options);
  ASSERT_OK(all);
  EXPECT_EQ((*all)["Reservations"], json::parse("[1, 2, 3]"));
  EXPECT_EQ(service.seen_params.size(), 2u);
}

TEST(PaginatorTest, S3MarkerFallsBackToTheLastKeyAndStopsWhenNotTruncated) {
  auto config = ParsePaginator(kDoc, "ListObjects");
  ASSERT_OK(config);
  std::vector<json> seen;
  auto call = [&](const json& params) -> Result<json> {
    seen.push_back(params);
    if (!params.contains("Marker")) {
      return json::parse(R"({"IsTruncated": true, "Contents": [{"Key": "a"}, {"Key": "b"}]})");
    }
    return json::parse(R"({"IsTruncated": false, "Contents": [{"Key": "c"}]})");
  };
  auto all = PaginateAll(*config, {{"Bucket", "b"}}, call);
  ASSERT_OK(all);
  EXPECT_EQ((*all)["Contents"].size(), 3u);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1]["Marker"], "b");
  EXPECT_FALSE(all->contains("IsTruncated"));
}

TEST(PaginatorTest, SendsEveryTokenOfAMultiTokenPaginator) {
  auto config = ParsePaginator(kDoc, "ListObjectVersions");
  ASSERT_OK(config);
  std::vector<json> seen;
  auto call = [&](const json& params) -> Result<json> {
    seen.push_back(params);
    if (seen.size() == 1) {
      return json::parse(R"({"IsTruncated": true, "Versions": [1], "NextKeyMarker": "k",
                             "NextVersionIdMarker": "v"})");
    }
    if (seen.size() == 2) {
      return json::parse(R"({"IsTruncated": true, "DeleteMarkers": [2], "NextKeyMarker": "k2"})");
    }
    return json::parse(R"({"IsTruncated": false, "Versions": [3]})");
  };
  auto all = PaginateAll(*config, json::object(), call);
  ASSERT_OK(all);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1]["KeyMarker"], "k");
  EXPECT_EQ(seen[1]["VersionIdMarker"], "v");
  EXPECT_EQ(seen[2]["KeyMarker"], "k2");
  EXPECT_FALSE(seen[2].contains("VersionIdMarker"));
  EXPECT_EQ((*all)["Versions"], json::parse("[1, 3]"));
  EXPECT_EQ((*all)["DeleteMarkers"], json::parse("[2]"));
}

TEST(PaginatorTest, ARepeatedTokenIsAnErrorNotALoop) {
  auto config = ParsePaginator(kDoc, "DescribeInstances");
  ASSERT_OK(config);
  int calls = 0;
  auto call = [&](const json&) -> Result<json> {
    ++calls;
    return json::parse(R"({"Reservations": [], "NextToken": "same"})");
  };
  EXPECT_THAT(PaginateAll(*config, json::object(), call),
              StatusIs(StatusCode::kInternal, HasSubstr("same next-page token twice")));
  EXPECT_EQ(calls, 2);
}

TEST(PaginatorTest, ErrorsFromTheCallAreReturned) {
  auto config = ParsePaginator(kDoc, "DescribeInstances");
  ASSERT_OK(config);
  auto call = [](const json&) -> Result<json> { return UnavailableError("throttled"); };
  EXPECT_THAT(PaginateAll(*config, json::object(), call),
              StatusIs(StatusCode::kUnavailable, HasSubstr("throttled")));
}

}  // namespace
}  // namespace cf::aws
