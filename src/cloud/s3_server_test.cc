// S3 through the real server with hand-made signed requests: what the wire must look like
// beyond what awscli checks (HEAD and 304 without bodies, 206 with Content-Range, S3 error
// documents, virtual-host addressing, aws-chunked uploads, conditional writes, big bodies).

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "aws/sigv4.h"
#include "cloud/cloud_server.h"
#include "cloud/loopback_client.h"
#include "cloud/s3/s3_protocol.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

class S3ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CloudOptions options;
    options.port = 0;
    options.seed = 11;
    auto server = CloudServer::Start(options, clock_, logger_);
    ASSERT_OK(server);
    server_ = std::move(server).value();
    client_ = std::make_unique<LoopbackHttpClient>(server_->port());
    ASSERT_EQ(Send("PUT", "/bkt").status, 200);
  }

  // Signs (S3 rules) and sends. `payload_hash` "" signs the body's hash.
  HttpResponse Send(const std::string& method, const std::string& target,
                    std::vector<std::pair<std::string, std::string>> headers = {},
                    const std::string& body = "", const std::string& host = "",
                    const std::string& payload_hash = "") {
    aws::HttpRequest request;
    request.method = method;
    request.path = target;
    request.body = body;
    request.headers.push_back(
        {"Host", host.empty() ? fmt::format("127.0.0.1:{}", server_->port()) : host});
    for (auto& [name, value] : headers) {
      request.headers.push_back({name, value});
    }
    aws::SigningParams params = aws::DefaultSigningParams("s3", "us-east-1", clock_.Now());
    params.payload_hash = payload_hash;
    params.add_content_sha256_header = true;
    auto signed_parts =
        aws::SignRequest(request, {"test", "test", "", std::nullopt, "test"}, params);
    EXPECT_OK(signed_parts);
    HttpRequest r;
    r.method = request.method;
    r.target = request.path;
    for (const auto& h : request.headers) {
      r.headers.emplace_back(h.name, h.value);
    }
    r.body = request.body;
    auto response = client_->Send(r);
    EXPECT_OK(response);
    return response.ok() ? *response : HttpResponse{};
  }

  static std::string HeaderOf(const HttpResponse& r, std::string_view name) {
    for (const auto& [n, v] : r.headers) {
      if (strcasecmp(n.c_str(), std::string(name).c_str()) == 0) {
        return v;
      }
    }
    return "";
  }

  FakeClock clock_;
  NullLogger logger_;
  std::unique_ptr<CloudServer> server_;
  std::unique_ptr<LoopbackHttpClient> client_;
};

TEST_F(S3ServerTest, HeadCarriesTheObjectSizeButNoBody) {
  ASSERT_EQ(Send("PUT", "/bkt/a.txt", {}, "0123456789").status, 200);
  HttpResponse head = Send("HEAD", "/bkt/a.txt");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(HeaderOf(head, "Content-Length"), "10");
  EXPECT_TRUE(head.body.empty());
  // The connection is still in step: the next answer is read correctly.
  HttpResponse get = Send("GET", "/bkt/a.txt");
  EXPECT_EQ(get.body, "0123456789");
  HttpResponse missing = Send("HEAD", "/bkt/none");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(missing.body.empty());
  EXPECT_EQ(Send("GET", "/bkt/a.txt").status, 200);
}

TEST_F(S3ServerTest, RangeAnswers206AndConditionsAnswer304Or412) {
  HttpResponse put = Send("PUT", "/bkt/r", {{"Content-Type", "text/plain"}}, "abcdefghij");
  std::string etag = HeaderOf(put, "ETag");
  ASSERT_FALSE(etag.empty());
  HttpResponse part = Send("GET", "/bkt/r", {{"Range", "bytes=2-5"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, "cdef");
  EXPECT_EQ(HeaderOf(part, "Content-Range"), "bytes 2-5/10");
  EXPECT_EQ(HeaderOf(part, "Content-Type"), "text/plain");
  EXPECT_FALSE(HeaderOf(part, "Last-Modified").empty());
  HttpResponse not_modified = Send("GET", "/bkt/r", {{"If-None-Match", etag}});
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(Send("GET", "/bkt/r", {{"If-Match", "\"0000\""}}).status, 412);
  HttpResponse bad_range = Send("GET", "/bkt/r", {{"Range", "bytes=20-"}});
  EXPECT_EQ(bad_range.status, 416);
  EXPECT_NE(bad_range.body.find("<Code>InvalidRange</Code>"), std::string::npos);
  EXPECT_EQ(Send("GET", "/bkt/r").body, "abcdefghij");
}

TEST_F(S3ServerTest, ErrorsAreS3Documents) {
  HttpResponse r = Send("GET", "/bkt/no/such%20key");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("<Error><Code>NoSuchKey</Code>"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<Key>no/such key</Key>"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<RequestId>"), std::string::npos) << r.body;
  EXPECT_FALSE(HeaderOf(r, "x-amz-request-id").empty());
  HttpResponse bucket = Send("GET", "/nobucket?list-type=2");
  EXPECT_NE(bucket.body.find("<BucketName>nobucket</BucketName>"), std::string::npos)
      << bucket.body;
}

TEST_F(S3ServerTest, OddRequestsGetS3Errors) {
  HttpResponse bad_xml = Send("PUT", "/bkt?tagging", {}, "<Tagging><TagSet>");
  EXPECT_EQ(bad_xml.status, 400);
  EXPECT_NE(bad_xml.body.find("<Code>MalformedXML</Code>"), std::string::npos) << bad_xml.body;
  HttpResponse no_body = Send("PUT", "/bkt?tagging");
  EXPECT_EQ(no_body.status, 400);
  EXPECT_NE(no_body.body.find("<Code>MalformedXML</Code>"), std::string::npos) << no_body.body;
  HttpResponse bad_part = Send("PUT", "/bkt/k?partNumber=x&uploadId=1", {}, "data");
  EXPECT_EQ(bad_part.status, 400) << bad_part.body;
  HttpResponse dots = Send("PUT", "/bkt/../../etc/passwd", {}, "safe");
  EXPECT_EQ(dots.status, 200) << dots.body;
  EXPECT_EQ(Send("GET", "/bkt/../../etc/passwd").body, "safe");
  HttpResponse no_upload = Send("PUT", "/bkt/k?partNumber=1&uploadId=..%2F..%2Fx", {}, "d");
  EXPECT_EQ(no_upload.status, 404);
  EXPECT_NE(no_upload.body.find("NoSuchUpload"), std::string::npos) << no_upload.body;
}

TEST_F(S3ServerTest, VirtualHostAddressing) {
  std::string host = fmt::format("bkt.localhost:{}", server_->port());
  ASSERT_EQ(Send("PUT", "/v.txt", {}, "virtual", host).status, 200);
  EXPECT_EQ(Send("GET", "/bkt/v.txt").body, "virtual");
  HttpResponse listed =
      Send("GET", "/?list-type=2", {}, "", fmt::format("bkt.s3.localhost:{}", server_->port()));
  EXPECT_EQ(listed.status, 200);
  EXPECT_NE(listed.body.find("<Key>v.txt</Key>"), std::string::npos) << listed.body;
  EXPECT_EQ(s3::VirtualHostBucket("127.0.0.1:4566"), "");
  EXPECT_EQ(s3::VirtualHostBucket("s3.localhost"), "");
  EXPECT_EQ(s3::VirtualHostBucket("s3.us-east-1.localhost:1"), "");
  EXPECT_EQ(s3::VirtualHostBucket("my.bucket.s3.us-east-1.localhost:1"), "my.bucket");
}

TEST_F(S3ServerTest, AwsChunkedUploadIsDecoded) {
  std::string body =
      "4;chunk-signature=0000000000000000000000000000000000000000000000000000000000000000\r\n"
      "abcd\r\n"
      "3;chunk-signature=0000000000000000000000000000000000000000000000000000000000000000\r\n"
      "efg\r\n"
      "0;chunk-signature=0000000000000000000000000000000000000000000000000000000000000000\r\n"
      "\r\n";
  HttpResponse put =
      Send("PUT", "/bkt/chunked",
           {{"Content-Encoding", "aws-chunked"}, {"x-amz-decoded-content-length", "7"}}, body, "",
           "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
  ASSERT_EQ(put.status, 200) << put.body;
  HttpResponse get = Send("GET", "/bkt/chunked");
  EXPECT_EQ(get.body, "abcdefg");
  EXPECT_TRUE(HeaderOf(get, "Content-Encoding").empty());
  HttpResponse wrong = Send("PUT", "/bkt/chunked", {{"x-amz-decoded-content-length", "9"}}, body,
                            "", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("IncompleteBody"), std::string::npos);
}

TEST_F(S3ServerTest, ConditionalWritesByHeader) {
  EXPECT_EQ(Send("PUT", "/bkt/lock", {{"If-None-Match", "*"}}, "one").status, 200);
  HttpResponse again = Send("PUT", "/bkt/lock", {{"If-None-Match", "*"}}, "two");
  EXPECT_EQ(again.status, 412);
  EXPECT_NE(again.body.find("PreconditionFailed"), std::string::npos);
  EXPECT_EQ(Send("PUT", "/bkt/lock", {{"If-Match", "\"0000\""}}, "two").status, 412);
  EXPECT_EQ(Send("GET", "/bkt/lock").body, "one");
}

TEST_F(S3ServerTest, PresignedPutAndGetNeedNoCredentials) {
  auto presign = [&](const std::string& method, const std::string& target) {
    aws::HttpRequest request;
    request.method = method;
    request.path = target;
    request.headers.push_back({"Host", fmt::format("127.0.0.1:{}", server_->port())});
    aws::SigningParams params = aws::DefaultSigningParams("s3", "us-east-1", clock_.Now());
    params.payload_hash = "UNSIGNED-PAYLOAD";
    params.expires = std::chrono::seconds(60);
    EXPECT_OK(aws::PresignRequest(request, {"test", "test", "", std::nullopt, "test"}, params));
    HttpRequest out;
    out.method = method;
    out.target = request.path;
    return out;
  };
  HttpRequest put = presign("PUT", "/bkt/shared.txt");
  put.body = "uploaded without credentials";
  auto stored = client_->Send(put);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->status, 200) << stored->body;
  auto fetched = client_->Send(presign("GET", "/bkt/shared.txt"));
  ASSERT_OK(fetched);
  EXPECT_EQ(fetched->body, "uploaded without credentials");
  HttpRequest expired = presign("GET", "/bkt/shared.txt");
  clock_.Advance(std::chrono::seconds(61));
  auto refused = client_->Send(expired);
  ASSERT_OK(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_NE(refused->body.find("<Code>AccessDenied</Code>"), std::string::npos) << refused->body;
}

TEST_F(S3ServerTest, BodiesBeyondTheServerLimitAndTooLargeOnes) {
  std::string big(20 * 1024 * 1024, 'x');  // over the default 16 MiB server limit
  EXPECT_EQ(Send("PUT", "/bkt/big", {}, big, "", "UNSIGNED-PAYLOAD").status, 200);
  EXPECT_EQ(Send("HEAD", "/bkt/big").headers.size() > 0, true);
  EXPECT_EQ(HeaderOf(Send("HEAD", "/bkt/big"), "Content-Length"), std::to_string(big.size()));
  // A declared 2 GiB body is refused before it is read, in S3's words.
  aws::HttpRequest request;
  request.method = "PUT";
  request.path = "/bkt/huge";
  request.headers.push_back({"Host", fmt::format("127.0.0.1:{}", server_->port())});
  aws::SigningParams params = aws::DefaultSigningParams("s3", "us-east-1", clock_.Now());
  params.payload_hash = "UNSIGNED-PAYLOAD";
  params.add_content_sha256_header = true;
  ASSERT_OK(aws::SignRequest(request, {"test", "test", "", std::nullopt, "test"}, params));
  std::string raw = "PUT /bkt/huge HTTP/1.1\r\n";
  for (const auto& h : request.headers) {
    raw += h.name + ": " + h.value + "\r\n";
  }
  raw += "Content-Length: 2147483648\r\n\r\n";
  LoopbackHttpClient raw_client(server_->port());
  auto answer = raw_client.SendRaw(raw);
  ASSERT_OK(answer);
  EXPECT_NE(answer->find("400"), std::string::npos) << *answer;
  EXPECT_NE(answer->find("<Code>EntityTooLarge</Code>"), std::string::npos) << *answer;
}

}  // namespace
}  // namespace cf::cloud
