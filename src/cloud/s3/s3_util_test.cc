#include "cloud/s3/s3_util.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "cloud/s3/aws_chunked.h"

namespace cf::cloud::s3 {
namespace {

TEST(BucketNameTest, FollowsS3NamingRules) {
  EXPECT_TRUE(IsValidBucketName("my-bucket.logs-2"));
  EXPECT_TRUE(IsValidBucketName("abc"));
  EXPECT_FALSE(IsValidBucketName("ab"));
  EXPECT_FALSE(IsValidBucketName(std::string(64, 'a')));
  EXPECT_FALSE(IsValidBucketName("Upper"));
  EXPECT_FALSE(IsValidBucketName("under_score"));
  EXPECT_FALSE(IsValidBucketName("-leading"));
  EXPECT_FALSE(IsValidBucketName("trailing-"));
  EXPECT_FALSE(IsValidBucketName("two..dots"));
  EXPECT_FALSE(IsValidBucketName("192.168.5.4"));
  EXPECT_FALSE(IsValidBucketName("xn--punycode"));
  EXPECT_FALSE(IsValidBucketName("name-s3alias"));
}

TEST(RangeTest, ReadsTheThreeFormsAgainstTheObjectSize) {
  ByteRange r;
  ASSERT_EQ(ParseRange("bytes=0-9", 100, &r), RangeKind::kRange);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.last, 9u);
  ASSERT_EQ(ParseRange("bytes=90-", 100, &r), RangeKind::kRange);
  EXPECT_EQ(r.first, 90u);
  EXPECT_EQ(r.last, 99u);
  ASSERT_EQ(ParseRange("bytes=-5", 100, &r), RangeKind::kRange);
  EXPECT_EQ(r.first, 95u);
  ASSERT_EQ(ParseRange("bytes=50-1000", 100, &r), RangeKind::kRange);
  EXPECT_EQ(r.last, 99u);
  ASSERT_EQ(ParseRange("bytes=-500", 100, &r), RangeKind::kRange);
  EXPECT_EQ(r.first, 0u);
}

TEST(RangeTest, UnsatisfiableAndIgnoredRanges) {
  ByteRange r;
  EXPECT_EQ(ParseRange("bytes=100-", 100, &r), RangeKind::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=0-0", 0, &r), RangeKind::kUnsatisfiable);
  EXPECT_EQ(ParseRange("bytes=9-3", 100, &r), RangeKind::kWhole);
  EXPECT_EQ(ParseRange("bytes=0-1,5-6", 100, &r), RangeKind::kWhole);
  EXPECT_EQ(ParseRange("items=0-1", 100, &r), RangeKind::kWhole);
  EXPECT_EQ(ParseRange("bytes=x-1", 100, &r), RangeKind::kWhole);
}

TEST(EtagTest, MatchesQuotedBareWeakAndStar) {
  EXPECT_TRUE(EtagListMatches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(EtagListMatches("abc", "\"abc\""));
  EXPECT_TRUE(EtagListMatches("\"x\", W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(EtagListMatches("*", "\"abc\""));
  EXPECT_FALSE(EtagListMatches("\"abd\"", "\"abc\""));
  EXPECT_FALSE(EtagListMatches("", "\"abc\""));
}

std::vector<std::string> Keys() {
  return {"a.txt", "dir/one", "dir/sub/two", "dir/sub/three", "dir/zed", "e"};
}

TEST(ListKeysTest, DelimiterRollsUpCommonPrefixes) {
  std::vector<std::string> keys = Keys();
  std::sort(keys.begin(), keys.end());
  ListPage page = ListKeys(keys, "", "/", "", 1000);
  ASSERT_EQ(page.contents.size(), 2u);
  EXPECT_EQ(keys[page.contents[0]], "a.txt");
  EXPECT_EQ(keys[page.contents[1]], "e");
  ASSERT_EQ(page.common_prefixes.size(), 1u);
  EXPECT_EQ(page.common_prefixes[0], "dir/");
  EXPECT_FALSE(page.truncated);
}

TEST(ListKeysTest, PagesResumeAfterACommonPrefix) {
  std::vector<std::string> keys = {"dir/one", "dir/sub/three", "dir/sub/two", "dir/zed"};
  ListPage first = ListKeys(keys, "dir/", "/", "", 2);
  ASSERT_TRUE(first.truncated);
  ASSERT_EQ(first.contents.size(), 1u);
  EXPECT_EQ(first.common_prefixes, std::vector<std::string>{"dir/sub/"});
  EXPECT_EQ(first.next_marker, "dir/sub/");
  ListPage second = ListKeys(keys, "dir/", "/", first.next_marker, 2);
  ASSERT_EQ(second.contents.size(), 1u);
  EXPECT_EQ(keys[second.contents[0]], "dir/zed");
  EXPECT_TRUE(second.common_prefixes.empty());
  EXPECT_FALSE(second.truncated);
}

TEST(ListKeysTest, MaxKeysTruncatesWithoutDelimiter) {
  std::vector<std::string> keys = {"a", "b", "c"};
  ListPage page = ListKeys(keys, "", "", "a", 1);
  ASSERT_EQ(page.contents.size(), 1u);
  EXPECT_EQ(keys[page.contents[0]], "b");
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.next_marker, "b");
}

TEST(AwsChunkedTest, DecodesSignedChunksAndSkipsTrailers) {
  std::string body =
      "5;chunk-signature=aaaa\r\nhello\r\n"
      "6;chunk-signature=bbbb\r\n world\r\n"
      "0;chunk-signature=cccc\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
  auto decoded = DecodeAwsChunked(body);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, "hello world");
}

TEST(AwsChunkedTest, RejectsTruncatedAndMalformedBodies) {
  EXPECT_FALSE(DecodeAwsChunked("5\r\nhel").ok());
  EXPECT_FALSE(DecodeAwsChunked("zz\r\nhello\r\n0\r\n\r\n").ok());
  EXPECT_FALSE(DecodeAwsChunked("5\r\nhelloXX0\r\n\r\n").ok());
  EXPECT_FALSE(DecodeAwsChunked("").ok());
}

TEST(AwsChunkedTest, RecognisesStreamingRequests) {
  EXPECT_TRUE(IsAwsChunked("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", ""));
  EXPECT_TRUE(IsAwsChunked("STREAMING-UNSIGNED-PAYLOAD-TRAILER", ""));
  EXPECT_TRUE(IsAwsChunked("UNSIGNED-PAYLOAD", "aws-chunked"));
  EXPECT_FALSE(IsAwsChunked("UNSIGNED-PAYLOAD", "gzip"));
  EXPECT_EQ(WithoutAwsChunked("aws-chunked, gzip"), "gzip");
  EXPECT_EQ(WithoutAwsChunked("aws-chunked"), "");
}

}  // namespace
}  // namespace cf::cloud::s3
