#include "cloud/s3/s3_service.h"

#include <gtest/gtest.h>

#include <chrono>

#include "base/base64.h"
#include "base/crypto.h"
#include "base/strings.h"
#include "cloud/s3/s3_util.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::cloud::s3 {
namespace {

class NoLatency : public LatencyProfile {
 public:
  std::chrono::nanoseconds StateDelay(const std::string&) const override {
    return std::chrono::nanoseconds(0);
  }
};

class S3ServiceTest : public ::testing::Test {
 protected:
  S3ServiceTest()
      : store_(std::move(Store::Open("").value())),
        random_(7),
        ids_(random_),
        credentials_(*store_, {DefaultCredential()}) {
    auto service =
        S3Service::Open(ServiceContext{*store_, ids_, clock_, credentials_, latency_}, "");
    EXPECT_TRUE(service.ok());
    service_ = std::move(service).value();
  }

  ServiceResult Call(std::string operation, Json input, std::string account = "") {
    ServiceCall call;
    call.service = "s3";
    call.operation = std::move(operation);
    call.input = std::move(input);
    call.region = "us-east-1";
    call.caller = DefaultCredential().identity;
    call.account_id = account.empty() ? call.caller.account_id : account;
    return service_->Handle(call);
  }
  Json Ok(std::string operation, Json input) {
    ServiceResult r = Call(operation, std::move(input));
    EXPECT_TRUE(r.ok()) << operation << ": "
                        << (r.ok() ? "" : r.error().code + ": " + r.error().message);
    return r.ok() ? r.output() : Json();
  }
  // "Code/status" of a failing call.
  std::string Error(std::string operation, Json input) {
    ServiceResult r = Call(std::move(operation), std::move(input));
    return r.ok() ? "(no error)" : r.error().code + "/" + std::to_string(r.error().http_status);
  }
  void Put(const std::string& key, const std::string& body, const std::string& bucket = "bk1") {
    Ok("PutObject", {{"Bucket", bucket}, {"Key", key}, {"Body", body}});
  }

  FakeClock clock_;
  NoLatency latency_;
  std::unique_ptr<Store> store_;
  SeededRandom random_;
  IdGenerator ids_;
  CredentialStore credentials_;
  std::unique_ptr<S3Service> service_;
};

TEST_F(S3ServiceTest, BucketLifecycle) {
  EXPECT_EQ(Ok("CreateBucket", {{"Bucket", "bk1"}})["Location"], "/bk1");
  EXPECT_EQ(Error("CreateBucket", {{"Bucket", "bk1"}}), "BucketAlreadyOwnedByYou/409");
  EXPECT_EQ(Error("CreateBucket", {{"Bucket", "BK1"}}), "InvalidBucketName/400");
  ServiceResult other = Call("CreateBucket", {{"Bucket", "bk1"}}, "111111111111");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, "BucketAlreadyExists");
  EXPECT_EQ(Error("HeadBucket", {{"Bucket", "nope"}}), "NoSuchBucket/404");
  Put("k", "v");
  EXPECT_EQ(Error("DeleteBucket", {{"Bucket", "bk1"}}), "BucketNotEmpty/409");
  Ok("DeleteObject", {{"Bucket", "bk1"}, {"Key", "k"}});
  Ok("DeleteBucket", {{"Bucket", "bk1"}});
  EXPECT_TRUE(Ok("ListBuckets", Json::object())["Buckets"].empty());
}

TEST_F(S3ServiceTest, LocationConstraintMustMatchTheRegion) {
  EXPECT_EQ(
      Error("CreateBucket", {{"Bucket", "bk2"},
                             {"CreateBucketConfiguration", {{"LocationConstraint", "eu-west-1"}}}}),
      "IllegalLocationConstraintException/400");
  EXPECT_EQ(
      Error("CreateBucket", {{"Bucket", "bk2"},
                             {"CreateBucketConfiguration", {{"LocationConstraint", "us-east-1"}}}}),
      "InvalidLocationConstraint/400");
  Ok("CreateBucket", {{"Bucket", "bk2"}});
  EXPECT_EQ(Ok("GetBucketLocation", {{"Bucket", "bk2"}})["LocationConstraint"], "");
}

TEST_F(S3ServiceTest, ConfigurationsRoundTripAndDelete) {
  Ok("CreateBucket", {{"Bucket", "bk1"}});
  EXPECT_EQ(Error("GetBucketTagging", {{"Bucket", "bk1"}}), "NoSuchTagSet/404");
  Json tags = {{"TagSet", {{{"Key", "a"}, {"Value", "1"}}}}};
  Ok("PutBucketTagging", {{"Bucket", "bk1"}, {"Tagging", tags}});
  EXPECT_EQ(Ok("GetBucketTagging", {{"Bucket", "bk1"}}), tags);
  Ok("DeleteBucketTagging", {{"Bucket", "bk1"}});
  EXPECT_EQ(Error("GetBucketTagging", {{"Bucket", "bk1"}}), "NoSuchTagSet/404");

  EXPECT_EQ(Ok("GetBucketEncryption",
               {{"Bucket", "bk1"}})["ServerSideEncryptionConfiguration"]["Rules"][0]
                                   ["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"],
            "AES256");
  EXPECT_EQ(Error("PutBucketEncryption",
                  {{"Bucket", "bk1"},
                   {"ServerSideEncryptionConfiguration",
                    {{"Rules",
                      {{{"ApplyServerSideEncryptionByDefault",
                         {{"SSEAlgorithm", "AES256"}, {"KMSMasterKeyID", "k"}}}}}}}}}),
            "InvalidArgument/400");
  Json kms = {{"Rules",
               {{{"ApplyServerSideEncryptionByDefault",
                  {{"SSEAlgorithm", "aws:kms"}, {"KMSMasterKeyID", "alias/x"}}}}}}};
  Ok("PutBucketEncryption", {{"Bucket", "bk1"}, {"ServerSideEncryptionConfiguration", kms}});
  Json put = Ok("PutObject", {{"Bucket", "bk1"}, {"Key", "enc"}, {"Body", "x"}});
  EXPECT_EQ(put["ServerSideEncryption"], "aws:kms");
  EXPECT_EQ(put["SSEKMSKeyId"], "alias/x");

  EXPECT_EQ(Error("PutBucketPolicy", {{"Bucket", "bk1"}, {"Policy", "[1]"}}),
            "MalformedPolicy/400");
  EXPECT_EQ(Error("GetBucketPolicy", {{"Bucket", "bk1"}}), "NoSuchBucketPolicy/404");
  EXPECT_EQ(Error("GetPublicAccessBlock", {{"Bucket", "bk1"}}),
            "NoSuchPublicAccessBlockConfiguration/404");
  EXPECT_EQ(Error("GetBucketOwnershipControls", {{"Bucket", "bk1"}}),
            "OwnershipControlsNotFoundError/404");
  EXPECT_EQ(Error("GetBucketLifecycleConfiguration", {{"Bucket", "bk1"}}),
            "NoSuchLifecycleConfiguration/404");
  EXPECT_EQ(Ok("GetBucketVersioning", {{"Bucket", "bk1"}}), Json::object());
  EXPECT_EQ(Error("PutBucketVersioning",
                  {{"Bucket", "bk1"}, {"VersioningConfiguration", {{"Status", "On"}}}}),
            "MalformedXML/400");
  Ok("PutBucketVersioning",
     {{"Bucket", "bk1"}, {"VersioningConfiguration", {{"Status", "Suspended"}}}});
  EXPECT_EQ(Ok("GetBucketVersioning", {{"Bucket", "bk1"}})["Status"], "Suspended");
  EXPECT_EQ(Ok("GetBucketNotificationConfiguration", {{"Bucket", "bk1"}}), Json::object());
}

// What Terraform's aws_s3_bucket reads after every create: each unset configuration answers
// as AWS does (its "not configured" error, or the default document).
TEST_F(S3ServiceTest, UnsetBucketConfigurationsAnswerAsAws) {
  Ok("CreateBucket", {{"Bucket", "bk1"}});
  EXPECT_EQ(Error("GetBucketWebsite", {{"Bucket", "bk1"}}), "NoSuchWebsiteConfiguration/404");
  EXPECT_EQ(Error("GetBucketReplication", {{"Bucket", "bk1"}}),
            "ReplicationConfigurationNotFoundError/404");
  EXPECT_EQ(Error("GetObjectLockConfiguration", {{"Bucket", "bk1"}}),
            "ObjectLockConfigurationNotFoundError/404");
  EXPECT_EQ(Ok("GetBucketAccelerateConfiguration", {{"Bucket", "bk1"}}), Json::object());
  EXPECT_EQ(Ok("GetBucketRequestPayment", {{"Bucket", "bk1"}}), (Json{{"Payer", "BucketOwner"}}));
  EXPECT_EQ(Ok("GetBucketLogging", {{"Bucket", "bk1"}}), Json::object());
  EXPECT_EQ(Error("GetBucketWebsite", {{"Bucket", "nope"}}), "NoSuchBucket/404");

  Json website = {{"IndexDocument", {{"Suffix", "index.html"}}}};
  Ok("PutBucketWebsite", {{"Bucket", "bk1"}, {"WebsiteConfiguration", website}});
  EXPECT_EQ(Ok("GetBucketWebsite", {{"Bucket", "bk1"}}), website);
  Ok("DeleteBucketWebsite", {{"Bucket", "bk1"}});
  EXPECT_EQ(Error("GetBucketWebsite", {{"Bucket", "bk1"}}), "NoSuchWebsiteConfiguration/404");

  EXPECT_EQ(Error("PutBucketRequestPayment",
                  {{"Bucket", "bk1"}, {"RequestPaymentConfiguration", {{"Payer", "Nobody"}}}}),
            "MalformedXML/400");
  Ok("PutBucketRequestPayment",
     {{"Bucket", "bk1"}, {"RequestPaymentConfiguration", {{"Payer", "Requester"}}}});
  EXPECT_EQ(Ok("GetBucketRequestPayment", {{"Bucket", "bk1"}})["Payer"], "Requester");
  EXPECT_EQ(Error("PutBucketAccelerateConfiguration",
                  {{"Bucket", "bk1"}, {"AccelerateConfiguration", {{"Status", "On"}}}}),
            "MalformedXML/400");
  Ok("PutBucketAccelerateConfiguration",
     {{"Bucket", "bk1"}, {"AccelerateConfiguration", {{"Status", "Enabled"}}}});
  EXPECT_EQ(Ok("GetBucketAccelerateConfiguration", {{"Bucket", "bk1"}})["Status"], "Enabled");
}

TEST_F(S3ServiceTest, PutChecksContentMd5) {
  Ok("CreateBucket", {{"Bucket", "bk1"}});
  std::string good = Base64Encode(Md5("data"));
  Ok("PutObject", {{"Bucket", "bk1"}, {"Key", "k"}, {"Body", "data"}, {"ContentMD5", good}});
  EXPECT_EQ(Error("PutObject",
                  {{"Bucket", "bk1"}, {"Key", "k"}, {"Body", "other"}, {"ContentMD5", good}}),
            "BadDigest/400");
  EXPECT_EQ(
      Error("PutObject", {{"Bucket", "bk1"}, {"Key", "k"}, {"Body", "x"}, {"ContentMD5", "!"}}),
      "InvalidDigest/400");
  EXPECT_EQ(Error("PutObject", {{"Bucket", "nope"}, {"Key", "k"}, {"Body", "x"}}),
            "NoSuchBucket/404");
}

TEST_F(S3ServiceTest, GetReturnsBytesHeadersAndRanges) {
  Ok("CreateBucket", {{"Bucket", "bk1"}});
  Ok("PutObject", {{"Bucket", "bk1"},
                   {"Key", "dir/file.txt"},
                   {"Body", "0123456789"},
                   {"ContentType", "text/plain"},
                   {"Metadata", {{"owner", "me"}}}});
  Json got = Ok("GetObject", {{"Bucket", "bk1"}, {"Key", "dir/file.txt"}});
  EXPECT_EQ(got["Body"], "0123456789");
  EXPECT_EQ(got["ContentType"], "text/plain");
  EXPECT_EQ(got["Metadata"]["owner"], "me");
  EXPECT_EQ(got["ETag"], "\"" + HexEncode(Md5("0123456789")) + "\"");
  EXPECT_FALSE(got.contains("ContentRange"));
  Json part = Ok("GetObject", {{"Bucket", "bk1"}, {"Key", "dir/file.txt"}, {"Range", "bytes=2-4"}});
  EXPECT_EQ(part["Body"], "234");
  EXPECT_EQ(part["ContentRange"], "bytes 2-4/10");
  EXPECT_EQ(part["ContentLength"], 3);
  EXPECT_EQ(
      Error("GetObject", {{"Bucket", "bk1"}, {"Key", "dir/file.txt"}, {"Range", "bytes=10-"}}),
      "InvalidRange/416");
  Json head = Ok("HeadObject", {{"Bucket", "bk1"}, {"Key", "dir/file.txt"}});
  EXPECT_FALSE(head.contains("Body"));
  EXPECT_EQ(head["ContentLength"], 10);
  ServiceResult missing = Call("GetObject", {{"Bucket", "bk1"}, {"Key", "nope"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "NoSuchKey");
  ASSERT_EQ(missing.error().details.size(), 1u);
  EXPECT_EQ(missing.error().details[0].second, "nope");
}

TEST_F(S3ServiceTest, ConditionalReads) {
  Ok("CreateBucket", {{"Bucket", "bk1"}});
  Put("k", "v1");
  std::string etag = Ok("HeadObject", {{"Bucket", "bk1"}, {"Key", "k"}})["ETag"];
  int64_t modified = Ok("HeadObject", {{"Bucket", "bk1"}, {"Key", "k"}})["LastModified"];
  Json base = {{"Bucket", "bk1"}, {"Key", "k"}};
  auto with = [&](const char* name, Json value) {
    Json input = base;
    input[name] = std::move(value);
    return input;
  };
  EXPECT_EQ(Error("GetObject", with("IfNoneMatch", etag)), "NotModified/304");
  Ok("GetObject", with("IfNoneMatch", "\"other\""));
  EXPECT_EQ(Error("GetObject", with("IfMatch", "\"other\"")), "PreconditionFailed/412");
  Ok("GetObject", with("IfMatch", etag));
  EXPECT_EQ(Error("GetObject", with("IfModifiedSince", modified)), "NotModified/304");
  Ok("GetObject", with("IfModifiedSince", modified - 10));
  EXPECT_EQ(Error("GetObject", with("IfUnmodifiedSince", modified - 10)), "PreconditionFailed/412");
  Ok("GetObject", with("IfUnmodifiedSince", modified));
}

TEST_F(S3ServiceTest, ConditionalWrites) {
  Ok("CreateBucket", {{"Bucket", "bk1"}});
  Ok("PutObject", {{"Bucket", "bk1"}, {"Key", "lock"}, {"Body", "a"}, {"IfNoneMatch", "*"}});
  EXPECT_EQ(
      Error("PutObject", {{"Bucket", "bk1"}, {"Key", "lock"}, {"Body", "b"}, {"IfNoneMatch", "*"}}),
      "PreconditionFailed/412");
  std::string etag = Ok("HeadObject", {{"Bucket", "bk1"}, {"Key", "lock"}})["ETag"];
  EXPECT_EQ(Error("PutObject",
                  {{"Bucket", "bk1"}, {"Key", "lock"}, {"Body", "c"}, {"IfMatch", "\"nope\""}}),
            "PreconditionFailed/412");
  Ok("PutObject", {{"Bucket", "bk1"}, {"Key", "lock"}, {"Body", "c"}, {"IfMatch", etag}});
  EXPECT_EQ(Ok("GetObject", {{"Bucket", "bk1"}, {"Key", "lock"}})["Body"], "c");
  EXPECT_EQ(
      Error("PutObject", {{"Bucket", "bk1"}, {"Key", "new"}, {"Body", "c"}, {"IfMatch", etag}}),
      "NoSuchKey/404");
}

TEST_F(S3ServiceTest, ListObjectsV2PrefixDelimiterAndPages) {
  Ok("CreateBucket", {{"Bucket", "bk1"}});
  for (const char* key : {"a.txt", "dir/one", "dir/sub/two", "dir/sub/three", "dir/zed", "e"}) {
    Put(key, key);
  }
  Json root = Ok("ListObjectsV2", {{"Bucket", "bk1"}, {"Delimiter", "/"}});
  ASSERT_EQ(root["Contents"].size(), 2u);
  EXPECT_EQ(root["CommonPrefixes"][0]["Prefix"], "dir/");
  EXPECT_EQ(root["KeyCount"], 3);
  Json first = Ok("ListObjectsV2", {{"Bucket", "bk1"}, {"Prefix", "dir/"}, {"MaxKeys", 2}});
  EXPECT_EQ(first["IsTruncated"], true);
  ASSERT_EQ(first["Contents"].size(), 2u);
  Json second = Ok("ListObjectsV2", {{"Bucket", "bk1"},
                                     {"Prefix", "dir/"},
                                     {"MaxKeys", 2},
                                     {"ContinuationToken", first["NextContinuationToken"]}});
  ASSERT_EQ(second["Contents"].size(), 2u);
  EXPECT_EQ(second["Contents"][1]["Key"], "dir/zed");
  EXPECT_EQ(second["IsTruncated"], false);
  Json after = Ok("ListObjectsV2", {{"Bucket", "bk1"}, {"StartAfter", "dir/zed"}});
  ASSERT_EQ(after["Contents"].size(), 1u);
  EXPECT_EQ(after["Contents"][0]["Key"], "e");
  EXPECT_EQ(Error("ListObjectsV2", {{"Bucket", "bk1"}, {"ContinuationToken", "garbage"}}),
            "InvalidArgument/400");
  Json v1 = Ok("ListObjects", {{"Bucket", "bk1"}, {"MaxKeys", 1}, {"Marker", "a.txt"}});
  EXPECT_EQ(v1["Contents"][0]["Key"], "dir/one");
  EXPECT_EQ(v1["NextMarker"], "dir/one");
}

TEST_F(S3ServiceTest, CopyAndDeleteObjects) {
  Ok("CreateBucket", {{"Bucket", "bk1"}});
  Ok("CreateBucket", {{"Bucket", "bk2"}});
  Ok("PutObject",
     {{"Bucket", "bk1"}, {"Key", "src key"}, {"Body", "payload"}, {"Metadata", {{"m", "1"}}}});
  Json copy =
      Ok("CopyObject", {{"Bucket", "bk2"}, {"Key", "dst"}, {"CopySource", "bk1/src%20key"}});
  EXPECT_EQ(copy["CopyObjectResult"]["ETag"], "\"" + HexEncode(Md5("payload")) + "\"");
  Json got = Ok("GetObject", {{"Bucket", "bk2"}, {"Key", "dst"}});
  EXPECT_EQ(got["Body"], "payload");
  EXPECT_EQ(got["Metadata"]["m"], "1");
  EXPECT_EQ(
      Error("CopyObject", {{"Bucket", "bk1"}, {"Key", "src key"}, {"CopySource", "bk1/src%20key"}}),
      "InvalidRequest/400");
  Ok("CopyObject", {{"Bucket", "bk1"},
                    {"Key", "src key"},
                    {"CopySource", "/bk1/src%20key"},
                    {"MetadataDirective", "REPLACE"},
                    {"Metadata", {{"m", "2"}}}});
  EXPECT_EQ(Ok("HeadObject", {{"Bucket", "bk1"}, {"Key", "src key"}})["Metadata"]["m"], "2");
  EXPECT_EQ(Error("CopyObject", {{"Bucket", "bk2"}, {"Key", "x"}, {"CopySource", "bk1/none"}}),
            "NoSuchKey/404");
  Json deleted = Ok(
      "DeleteObjects",
      {{"Bucket", "bk2"}, {"Delete", {{"Objects", {{{"Key", "dst"}}, {{"Key", "never-there"}}}}}}});
  EXPECT_EQ(deleted["Deleted"].size(), 2u);
  EXPECT_EQ(Error("GetObject", {{"Bucket", "bk2"}, {"Key", "dst"}}), "NoSuchKey/404");
}

TEST_F(S3ServiceTest, MultipartUploadAssemblesPartsInOrder) {
  Ok("CreateBucket", {{"Bucket", "bk1"}});
  std::string id = Ok("CreateMultipartUpload",
                      {{"Bucket", "bk1"}, {"Key", "big"}, {"ContentType", "app/x"}})["UploadId"];
  std::string one(kMinPartBytes, 'a');
  std::string two = "tail";
  std::string e1 = Ok("UploadPart", {{"Bucket", "bk1"},
                                     {"Key", "big"},
                                     {"UploadId", id},
                                     {"PartNumber", 1},
                                     {"Body", one}})["ETag"];
  std::string e2 = Ok("UploadPart", {{"Bucket", "bk1"},
                                     {"Key", "big"},
                                     {"UploadId", id},
                                     {"PartNumber", 2},
                                     {"Body", two}})["ETag"];
  EXPECT_EQ(Error("UploadPart", {{"Bucket", "bk1"},
                                 {"Key", "big"},
                                 {"UploadId", "nope"},
                                 {"PartNumber", 1},
                                 {"Body", two}}),
            "NoSuchUpload/404");
  Json parts = Ok("ListParts", {{"Bucket", "bk1"}, {"Key", "big"}, {"UploadId", id}});
  ASSERT_EQ(parts["Parts"].size(), 2u);
  EXPECT_EQ(parts["Parts"][1]["Size"], 4);
  EXPECT_EQ(Ok("ListMultipartUploads", {{"Bucket", "bk1"}})["Uploads"][0]["UploadId"], id);

  auto complete = [&](Json list) {
    return Json{{"Bucket", "bk1"},
                {"Key", "big"},
                {"UploadId", id},
                {"MultipartUpload", {{"Parts", std::move(list)}}}};
  };
  EXPECT_EQ(Error("CompleteMultipartUpload",
                  complete({{{"PartNumber", 2}, {"ETag", e2}}, {{"PartNumber", 1}, {"ETag", e1}}})),
            "InvalidPartOrder/400");
  EXPECT_EQ(Error("CompleteMultipartUpload",
                  complete({{{"PartNumber", 1}, {"ETag", e1}}, {{"PartNumber", 3}, {"ETag", e2}}})),
            "InvalidPart/400");
  EXPECT_EQ(Error("CompleteMultipartUpload",
                  complete({{{"PartNumber", 2}, {"ETag", e2}}, {{"PartNumber", 1}, {"ETag", e1}}})),
            "InvalidPartOrder/400");
  Json done = Ok("CompleteMultipartUpload",
                 complete({{{"PartNumber", 1}, {"ETag", e1}}, {{"PartNumber", 2}, {"ETag", e2}}}));
  std::string digests = Md5(one) + Md5(two);
  EXPECT_EQ(done["ETag"], "\"" + HexEncode(Md5(digests)) + "-2\"");
  Json got = Ok("GetObject", {{"Bucket", "bk1"}, {"Key", "big"}, {"Range", "bytes=-5"}});
  EXPECT_EQ(got["Body"], "atail");
  EXPECT_EQ(got["ContentType"], "app/x");
  EXPECT_EQ(Error("ListParts", {{"Bucket", "bk1"}, {"Key", "big"}, {"UploadId", id}}),
            "NoSuchUpload/404");
}

TEST_F(S3ServiceTest, UploadPartCopyTakesARangeOfAnObject) {
  Ok("CreateBucket", {{"Bucket", "bk1"}});
  Put("src", "0123456789");
  std::string id = Ok("CreateMultipartUpload", {{"Bucket", "bk1"}, {"Key", "dst"}})["UploadId"];
  Json copied = Ok("UploadPartCopy", {{"Bucket", "bk1"},
                                      {"Key", "dst"},
                                      {"UploadId", id},
                                      {"PartNumber", 1},
                                      {"CopySource", "bk1/src"},
                                      {"CopySourceRange", "bytes=2-5"}});
  std::string etag = copied["CopyPartResult"]["ETag"];
  EXPECT_EQ(etag, "\"" + HexEncode(Md5("2345")) + "\"");
  EXPECT_EQ(Error("UploadPartCopy", {{"Bucket", "bk1"},
                                     {"Key", "dst"},
                                     {"UploadId", id},
                                     {"PartNumber", 2},
                                     {"CopySource", "bk1/src"},
                                     {"CopySourceRange", "bytes=5-20"}}),
            "InvalidArgument/400");
  Ok("CompleteMultipartUpload",
     {{"Bucket", "bk1"},
      {"Key", "dst"},
      {"UploadId", id},
      {"MultipartUpload", {{"Parts", {{{"PartNumber", 1}, {"ETag", etag}}}}}}});
  EXPECT_EQ(Ok("GetObject", {{"Bucket", "bk1"}, {"Key", "dst"}})["Body"], "2345");
}

TEST_F(S3ServiceTest, ObjectTagsFromTheHeaderAndTheTaggingCalls) {
  Ok("CreateBucket", {{"Bucket", "bk1"}});
  Ok("PutObject",
     {{"Bucket", "bk1"}, {"Key", "k"}, {"Body", "x"}, {"Tagging", "a=1&b=two%20words"}});
  Json tags = Ok("GetObjectTagging", {{"Bucket", "bk1"}, {"Key", "k"}})["TagSet"];
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[1]["Value"], "two words");
  Ok("CopyObject", {{"Bucket", "bk1"}, {"Key", "c"}, {"CopySource", "bk1/k"}});
  EXPECT_EQ(Ok("GetObjectTagging", {{"Bucket", "bk1"}, {"Key", "c"}})["TagSet"], tags);
  Ok("PutObjectTagging", {{"Bucket", "bk1"},
                          {"Key", "k"},
                          {"Tagging", {{"TagSet", {{{"Key", "z"}, {"Value", "9"}}}}}}});
  EXPECT_EQ(Ok("GetObjectTagging", {{"Bucket", "bk1"}, {"Key", "k"}})["TagSet"][0]["Key"], "z");
  Ok("DeleteObjectTagging", {{"Bucket", "bk1"}, {"Key", "k"}});
  EXPECT_TRUE(Ok("GetObjectTagging", {{"Bucket", "bk1"}, {"Key", "k"}})["TagSet"].empty());
  EXPECT_EQ(Error("GetObjectTagging", {{"Bucket", "bk1"}, {"Key", "none"}}), "NoSuchKey/404");
}

TEST_F(S3ServiceTest, SmallPartsBeforeTheLastAreEntityTooSmall) {
  Ok("CreateBucket", {{"Bucket", "bk1"}});
  std::string id = Ok("CreateMultipartUpload", {{"Bucket", "bk1"}, {"Key", "k"}})["UploadId"];
  std::string e1 = Ok("UploadPart", {{"Bucket", "bk1"},
                                     {"Key", "k"},
                                     {"UploadId", id},
                                     {"PartNumber", 1},
                                     {"Body", "small"}})["ETag"];
  std::string e2 = Ok("UploadPart", {{"Bucket", "bk1"},
                                     {"Key", "k"},
                                     {"UploadId", id},
                                     {"PartNumber", 2},
                                     {"Body", "small"}})["ETag"];
  EXPECT_EQ(
      Error(
          "CompleteMultipartUpload",
          {{"Bucket", "bk1"},
           {"Key", "k"},
           {"UploadId", id},
           {"MultipartUpload",
            {{"Parts", {{{"PartNumber", 1}, {"ETag", e1}}, {{"PartNumber", 2}, {"ETag", e2}}}}}}}),
      "EntityTooSmall/400");
  Ok("AbortMultipartUpload", {{"Bucket", "bk1"}, {"Key", "k"}, {"UploadId", id}});
  EXPECT_EQ(Error("AbortMultipartUpload", {{"Bucket", "bk1"}, {"Key", "k"}, {"UploadId", id}}),
            "NoSuchUpload/404");
}

TEST_F(S3ServiceTest, OtherAccountsAreDenied) {
  Ok("CreateBucket", {{"Bucket", "bk1"}});
  ServiceResult r = Call("ListObjectsV2", {{"Bucket", "bk1"}}, "111111111111");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "AccessDenied");
  EXPECT_EQ(r.error().http_status, 403);
}

}  // namespace
}  // namespace cf::cloud::s3
