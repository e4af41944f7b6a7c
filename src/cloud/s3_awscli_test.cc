// S3 end to end: the local cloud driven by Debian's awscli (a client nobody here wrote):
// buckets and their configurations, a multi-megabyte object up and down (multipart on the
// way up), listings, presigned URLs (both signature forms) used with curl, restart, and
// clean-up.

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "cloud/cloud_server.h"
#include "testing/awscli.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

using CliResult = ShellResult;

CliResult Shell(const std::string& command) {
  return RunShell(command);
}

CliResult Aws(uint16_t port, const std::string& args) {
  return RunAwsCli(port, args);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class S3AwsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists("/usr/bin/aws")) {
      GTEST_SKIP() << "/usr/bin/aws is not installed";
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_s3cli_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    options_.port = 0;
    options_.data_dir = dir_ + "/data";
    Start();
  }
  void TearDown() override {
    server_.reset();
    if (!dir_.empty()) {
      std::filesystem::remove_all(dir_);
    }
  }
  void Start() {
    auto server = CloudServer::Start(options_, clock_, logger_);
    ASSERT_OK(server);
    server_ = std::move(server).value();
  }
  uint16_t port() const { return server_->port(); }
  Json JsonOf(const CliResult& r) {
    Json json = Json::parse(r.output, nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << r.output;
    return json;
  }

  SystemClock clock_;
  NullLogger logger_;
  CloudOptions options_;
  std::string dir_;
  std::unique_ptr<CloudServer> server_;
};

TEST_F(S3AwsCliTest, BigFileRoundTripsThroughMultipartAndSurvivesRestart) {
  ASSERT_EQ(Aws(port(), "s3 mb s3://cf-data").status, 0);
  std::string big = dir_ + "/big.bin";
  {
    std::mt19937_64 random(42);
    std::string bytes(12 * 1024 * 1024 + 123, '\0');
    for (char& c : bytes) {
      c = static_cast<char>(random());
    }
    std::ofstream(big, std::ios::binary) << bytes;
  }
  CliResult up = Aws(port(), fmt::format("s3 cp {} s3://cf-data/dir/big.bin", big));
  ASSERT_EQ(up.status, 0) << up.output;
  CliResult head = Aws(port(), "s3api head-object --bucket cf-data --key dir/big.bin");
  ASSERT_EQ(head.status, 0) << head.output;
  EXPECT_EQ(JsonOf(head)["ContentLength"], 12 * 1024 * 1024 + 123);
  EXPECT_NE(JsonOf(head)["ETag"].get<std::string>().find("-2\""), std::string::npos)
      << head.output;  // awscli uploads 12 MB as two 8 MB-chunked parts

  CliResult listing = Aws(port(), "s3 ls s3://cf-data/dir/");
  ASSERT_EQ(listing.status, 0) << listing.output;
  EXPECT_NE(listing.output.find("12583035 big.bin"), std::string::npos) << listing.output;

  std::string down = dir_ + "/down.bin";
  CliResult get = Aws(port(), fmt::format("s3 cp s3://cf-data/dir/big.bin {}", down));
  ASSERT_EQ(get.status, 0) << get.output;
  EXPECT_TRUE(ReadAll(down) == ReadAll(big)) << "downloaded bytes differ";

  server_.reset();
  Start();
  std::string again = dir_ + "/again.bin";
  CliResult after = Aws(port(), fmt::format("s3 cp s3://cf-data/dir/big.bin {}", again));
  ASSERT_EQ(after.status, 0) << after.output;
  EXPECT_TRUE(ReadAll(again) == ReadAll(big)) << "bytes differ after restart";

  // A server-side copy of a big object goes through UploadPartCopy.
  CliResult copy = Aws(port(), "s3 cp s3://cf-data/dir/big.bin s3://cf-data/copies/big.bin");
  ASSERT_EQ(copy.status, 0) << copy.output;
  std::string copied = dir_ + "/copied.bin";
  ASSERT_EQ(Aws(port(), fmt::format("s3 cp s3://cf-data/copies/big.bin {}", copied)).status, 0);
  EXPECT_TRUE(ReadAll(copied) == ReadAll(big)) << "copied bytes differ";

  CliResult not_empty = Aws(port(), "s3 rb s3://cf-data");
  EXPECT_NE(not_empty.status, 0);
  EXPECT_NE(not_empty.output.find("BucketNotEmpty"), std::string::npos) << not_empty.output;
  CliResult rm = Aws(port(), "s3 rm --recursive s3://cf-data");
  ASSERT_EQ(rm.status, 0) << rm.output;
  EXPECT_EQ(Aws(port(), "s3 rb s3://cf-data").status, 0);
  CliResult gone = Aws(port(), "s3api head-bucket --bucket cf-data");
  EXPECT_NE(gone.status, 0);
  EXPECT_NE(gone.output.find("404"), std::string::npos) << gone.output;
}

TEST_F(S3AwsCliTest, PresignedUrlServesPlainCurl) {
  ASSERT_EQ(Aws(port(), "s3 mb s3://cf-presign").status, 0);
  std::string small = dir_ + "/small.txt";
  std::ofstream(small) << "hello from the local cloud\n";
  ASSERT_EQ(Aws(port(), fmt::format("s3 cp {} s3://cf-presign/notes/small.txt", small)).status, 0);
  CliResult url = Aws(port(), "s3 presign s3://cf-presign/notes/small.txt --expires-in 300");
  ASSERT_EQ(url.status, 0) << url.output;
  std::string link = url.output.substr(0, url.output.find_last_not_of("\r\n") + 1);
  ASSERT_EQ(link.rfind(fmt::format("http://127.0.0.1:{}/", port()), 0), 0u) << link;
  CliResult fetched = Shell(fmt::format("curl -s '{}'", link));
  EXPECT_EQ(fetched.output, "hello from the local cloud\n");
  // A tampered signature is refused.
  std::string bad = link;
  bad[bad.size() - 1] = bad.back() == '0' ? '1' : '0';
  CliResult refused = Shell(fmt::format("curl -s -o /dev/null -w '%{{http_code}}' '{}'", bad));
  EXPECT_EQ(refused.output, "403");
}

// The AWS CLI version 1 (the newer `aws` on this machine's PATH) presigns with S3's older
// query form (AWSAccessKeyId, Expires, Signature), and botocore does so for any client set
// to signature_version "s3": GET and PUT through such URLs work with plain curl, and a
// tampered or expired URL is refused as S3 refuses it.
TEST_F(S3AwsCliTest, OlderFormPresignedUrlsWorkForGetAndPut) {
  ASSERT_EQ(Aws(port(), "s3 mb s3://cf-presign2").status, 0);
  std::string small = dir_ + "/small.txt";
  std::ofstream(small) << "signed the old way\n";
  ASSERT_EQ(Aws(port(), fmt::format("s3 cp {} s3://cf-presign2/a/b+c.txt", small)).status, 0);

  // PUT and GET URLs from Debian's botocore with signature version 2.
  std::string script = dir_ + "/presign.py";
  std::ofstream(script) << fmt::format(
      "import sys, botocore.session\n"
      "from botocore.config import Config\n"
      "s = botocore.session.get_session()\n"
      "c = s.create_client('s3', region_name='us-east-1', endpoint_url='http://127.0.0.1:{}',\n"
      "    aws_access_key_id='test', aws_secret_access_key='test',\n"
      "    config=Config(signature_version='s3', s3={{'addressing_style': 'path'}}))\n"
      "print(c.generate_presigned_url(sys.argv[1], Params={{'Bucket': 'cf-presign2',\n"
      "    'Key': sys.argv[2]}}, ExpiresIn=int(sys.argv[3])))\n",
      port());
  auto presign = [&](const std::string& method, const std::string& key, int expires) {
    CliResult r =
        Shell(fmt::format("/usr/bin/python3 {} {} '{}' {}", script, method, key, expires));
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("AWSAccessKeyId="), std::string::npos) << r.output;
    return r.output.substr(0, r.output.find_last_not_of("\r\n") + 1);
  };
  std::string put_url = presign("put_object", "up/loaded file.txt", 300);
  std::string body = dir_ + "/body.txt";
  std::ofstream(body) << "put through a presigned URL\n";
  CliResult put = Shell(fmt::format("curl -s -w '%{{http_code}}' -T {} '{}'", body, put_url));
  EXPECT_EQ(put.output, "200") << put.output;
  CliResult got = Aws(port(), "s3 cp 's3://cf-presign2/up/loaded file.txt' -");
  EXPECT_EQ(got.output, "put through a presigned URL\n");

  std::string get_url = presign("get_object", "a/b+c.txt", 300);
  EXPECT_EQ(Shell(fmt::format("curl -s '{}'", get_url)).output, "signed the old way\n");

  // The same from the AWS CLI version 1, with its default settings.
  if (std::optional<std::string> newer = NewerAwsCli()) {
    CliResult url = RunAwsCliBinary(*newer, port(), "s3 presign s3://cf-presign2/a/b+c.txt");
    ASSERT_EQ(url.status, 0) << url.output;
    std::string link = url.output.substr(0, url.output.find_last_not_of("\r\n") + 1);
    if (link.find("AWSAccessKeyId=") == std::string::npos) {
      ADD_FAILURE() << *newer << " no longer presigns in the older form: " << link;
    }
    EXPECT_EQ(Shell(fmt::format("curl -s '{}'", link)).output, "signed the old way\n");
  }

  // A changed signature, another key's URL, and an expired URL are refused.
  std::string tampered = get_url;
  size_t sig = tampered.find("Signature=") + std::string("Signature=").size();
  tampered[sig] = tampered[sig] == 'A' ? 'B' : 'A';
  CliResult refused = Shell(fmt::format("curl -s -w ' %{{http_code}}' '{}'", tampered));
  EXPECT_NE(refused.output.find("<Code>SignatureDoesNotMatch</Code>"), std::string::npos)
      << refused.output;
  EXPECT_NE(refused.output.find(" 403"), std::string::npos) << refused.output;
  std::string expired = presign("get_object", "a/b+c.txt", -10);
  CliResult late = Shell(fmt::format("curl -s -w ' %{{http_code}}' '{}'", expired));
  EXPECT_NE(late.output.find("Request has expired"), std::string::npos) << late.output;
  EXPECT_NE(late.output.find(" 403"), std::string::npos) << late.output;
  // Nothing was written by the refused requests; the PUT URL does not serve a GET.
  CliResult listed = Aws(port(), "s3api list-objects-v2 --bucket cf-presign2");
  EXPECT_EQ(JsonOf(listed)["Contents"].size(), 2u) << listed.output;
  CliResult wrong_method =
      Shell(fmt::format("curl -s -o /dev/null -w '%{{http_code}}' '{}'", put_url));
  EXPECT_EQ(wrong_method.output, "403");
}

TEST_F(S3AwsCliTest, BucketConfigurationCalls) {
  ASSERT_EQ(Aws(port(), "s3api create-bucket --bucket cf-config").status, 0);
  CliResult again = Aws(port(), "s3api create-bucket --bucket cf-config");
  EXPECT_NE(again.output.find("BucketAlreadyOwnedByYou"), std::string::npos) << again.output;
  CliResult bad_name = Aws(port(), "s3api create-bucket --bucket Bad_Name");
  EXPECT_NE(bad_name.output.find("InvalidBucketName"), std::string::npos) << bad_name.output;

  CliResult location = Aws(port(), "s3api get-bucket-location --bucket cf-config");
  ASSERT_EQ(location.status, 0) << location.output;
  EXPECT_TRUE(JsonOf(location)["LocationConstraint"].is_null()) << location.output;

  ASSERT_EQ(Aws(port(),
                "s3api put-bucket-tagging --bucket cf-config --tagging "
                "'TagSet=[{Key=team,Value=storage}]'")
                .status,
            0);
  CliResult tags = Aws(port(), "s3api get-bucket-tagging --bucket cf-config");
  EXPECT_EQ(JsonOf(tags)["TagSet"][0]["Value"], "storage") << tags.output;

  ASSERT_EQ(Aws(port(),
                "s3api put-bucket-versioning --bucket cf-config "
                "--versioning-configuration Status=Enabled")
                .status,
            0);
  EXPECT_EQ(JsonOf(Aws(port(), "s3api get-bucket-versioning --bucket cf-config"))["Status"],
            "Enabled");

  CliResult encryption =
      Aws(port(),
          "s3api put-bucket-encryption --bucket cf-config --server-side-encryption-configuration "
          "'{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\","
          "\"KMSMasterKeyID\":\"alias/cf\"},\"BucketKeyEnabled\":true}]}'");
  ASSERT_EQ(encryption.status, 0) << encryption.output;
  Json sse = JsonOf(Aws(port(), "s3api get-bucket-encryption --bucket cf-config"));
  EXPECT_EQ(sse["ServerSideEncryptionConfiguration"]["Rules"][0]
               ["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"],
            "alias/cf");

  ASSERT_EQ(Aws(port(),
                "s3api put-public-access-block --bucket cf-config "
                "--public-access-block-configuration BlockPublicAcls=true,"
                "IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true")
                .status,
            0);
  Json pab = JsonOf(Aws(port(), "s3api get-public-access-block --bucket cf-config"));
  EXPECT_EQ(pab["PublicAccessBlockConfiguration"]["BlockPublicPolicy"], true);

  CliResult no_policy = Aws(port(), "s3api get-bucket-policy --bucket cf-config");
  EXPECT_NE(no_policy.output.find("NoSuchBucketPolicy"), std::string::npos) << no_policy.output;
  CliResult bad_policy =
      Aws(port(), "s3api put-bucket-policy --bucket cf-config --policy 'not json'");
  EXPECT_NE(bad_policy.output.find("MalformedPolicy"), std::string::npos) << bad_policy.output;
  std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*",)"
      R"("Resource":"arn:aws:s3:::cf-config/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]})";
  ASSERT_EQ(
      Aws(port(), "s3api put-bucket-policy --bucket cf-config --policy '" + policy + "'").status,
      0);
  EXPECT_EQ(JsonOf(Aws(port(), "s3api get-bucket-policy --bucket cf-config"))["Policy"], policy);

  ASSERT_EQ(Aws(port(),
                "s3api put-bucket-ownership-controls --bucket cf-config "
                "--ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'")
                .status,
            0);
  Json ownership = JsonOf(Aws(port(), "s3api get-bucket-ownership-controls --bucket cf-config"));
  EXPECT_EQ(ownership["OwnershipControls"]["Rules"][0]["ObjectOwnership"], "BucketOwnerEnforced");

  CliResult lifecycle =
      Aws(port(),
          "s3api put-bucket-lifecycle-configuration --bucket cf-config --lifecycle-configuration "
          "'{\"Rules\":[{\"ID\":\"expire\",\"Status\":\"Enabled\",\"Filter\":{\"Prefix\":\"tmp/\"},"
          "\"Expiration\":{\"Days\":7}}]}'");
  ASSERT_EQ(lifecycle.status, 0) << lifecycle.output;
  Json rules = JsonOf(Aws(port(), "s3api get-bucket-lifecycle-configuration --bucket cf-config"));
  EXPECT_EQ(rules["Rules"][0]["Expiration"]["Days"], 7);

  CliResult cors =
      Aws(port(),
          "s3api put-bucket-cors --bucket cf-config --cors-configuration "
          "'{\"CORSRules\":[{\"AllowedMethods\":[\"GET\"],\"AllowedOrigins\":[\"*\"]}]}'");
  ASSERT_EQ(cors.status, 0) << cors.output;
  EXPECT_EQ(
      JsonOf(Aws(port(),
                 "s3api get-bucket-cors --bucket cf-config"))["CORSRules"][0]["AllowedMethods"][0],
      "GET");
  EXPECT_EQ(Aws(port(), "s3api delete-bucket-cors --bucket cf-config").status, 0);
  CliResult no_cors = Aws(port(), "s3api get-bucket-cors --bucket cf-config");
  EXPECT_NE(no_cors.output.find("NoSuchCORSConfiguration"), std::string::npos) << no_cors.output;

  CliResult missing = Aws(port(), "s3api get-object --bucket cf-config --key nope /dev/null");
  EXPECT_NE(missing.output.find("NoSuchKey"), std::string::npos) << missing.output;
  CliResult no_bucket = Aws(port(), "s3api get-bucket-tagging --bucket cf-absent");
  EXPECT_NE(no_bucket.output.find("NoSuchBucket"), std::string::npos) << no_bucket.output;

  CliResult buckets = Aws(port(), "s3api list-buckets");
  ASSERT_EQ(buckets.status, 0) << buckets.output;
  EXPECT_EQ(JsonOf(buckets)["Buckets"][0]["Name"], "cf-config");
}

}  // namespace
}  // namespace cf::cloud
