#include "state/s3_backend.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aws/transport_curl.h"
#include "base/clock.h"
#include "base/logging.h"
#include "cloud/cloud_server.h"
#include "state/kms_sealer.h"
#include "state/lock.h"
#include "state/store.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::state {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
using namespace std::chrono_literals;

// The s3 backend and the KMS sealer against the local cloud, in-process on 127.0.0.1.
class S3BackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cloud::CloudOptions options;
    options.port = 0;
    options.imds_port = 0;
    auto server = cloud::CloudServer::Start(options, clock_, logger_);
    ASSERT_OK(server);
    server_ = std::move(server).value();
    aws::ClientOptions client_options;
    client_options.region = "us-east-1";
    client_options.endpoint_url = fmt::format("http://127.0.0.1:{}", server_->port());
    client_ = std::make_unique<aws::Client>(models_, credentials_, conditional_, clock_, random_,
                                            client_options);
    ASSERT_OK(client_->Call("s3", "CreateBucket", {{"Bucket", "states"}}));
  }
  void TearDown() override {
    if (server_ != nullptr) {
      server_->Stop();
    }
  }

  std::unique_ptr<S3Backend> Backend(S3BackendOptions options = {}) {
    if (options.bucket.empty()) {
      options.bucket = "states";
    }
    if (options.key.empty()) {
      options.key = "weka/prod.tfstate";
    }
    return std::make_unique<S3Backend>(*client_, conditional_, options);
  }

  Result<Json> RawGet(const std::string& key) {
    return client_->Call("s3", "GetObject", {{"Bucket", "states"}, {"Key", key}});
  }

  SystemClock clock_;
  NullLogger logger_;
  std::unique_ptr<cloud::CloudServer> server_;
  aws::Models models_;
  aws::StaticCredentialsProvider credentials_{{"test", "test", "", std::nullopt, "test"}};
  aws::CurlTransport transport_;
  ConditionalTransport conditional_{transport_};
  aws::SystemRandomSource random_;
  std::unique_ptr<aws::Client> client_;
  FakeClock lock_clock_;
};

TEST_F(S3BackendTest, LocalS3AnswersPreconditionFailedToIfNoneMatchOnAnExistingKey) {
  ASSERT_OK(client_->Call("s3", "PutObject", {{"Bucket", "states"}, {"Key", "k"}, {"Body", "a"}}));
  ConditionalTransport::Scope scope(conditional_, {{"If-None-Match", "*"}});
  Result<aws::AwsResponse> again =
      client_->Invoke("s3", "PutObject", {{"Bucket", "states"}, {"Key", "k"}, {"Body", "b"}});
  ASSERT_OK(again);
  ASSERT_TRUE(again->error.has_value());
  EXPECT_EQ(again->http_status, 412);
  EXPECT_EQ(again->error->code, "PreconditionFailed");
  auto body = RawGet("k");
  ASSERT_OK(body);
  EXPECT_EQ((*body)["Body"], "a");  // nothing changed
}

TEST_F(S3BackendTest, TheLockIsTheTflockObjectAndASecondTakerIsRefusedWithTheHolder) {
  auto backend = Backend();
  LockInfo mine = MakeLockInfo(LockOptions{}, backend->Location(), lock_clock_);
  ASSERT_OK(backend->TryLock(mine, nullptr));
  auto record = RawGet("weka/prod.tfstate.tflock");
  ASSERT_OK(record);
  EXPECT_EQ(Json::parse((*record)["Body"].get<std::string>())["ID"], mine.id);

  auto other = Backend();
  LockInfo theirs = MakeLockInfo(LockOptions{}, other->Location(), lock_clock_);
  LockInfo holder;
  EXPECT_THAT(other->TryLock(theirs, &holder), StatusIs(StatusCode::kConflict, HasSubstr("")));
  EXPECT_EQ(holder.id, mine.id);
  // Taking it again under the same id (a retried PUT) is ours already.
  EXPECT_OK(backend->TryLock(mine, nullptr));

  EXPECT_THAT(other->Unlock(theirs.id), StatusIs(StatusCode::kConflict, HasSubstr(mine.id)));
  LockInfo renewed = mine;
  renewed.expires = "2099-01-01T00:00:00Z";
  EXPECT_THAT(other->ReplaceLock(theirs.id, renewed, &holder),
              StatusIs(StatusCode::kConflict, HasSubstr("")));
  ASSERT_OK(backend->ReplaceLock(mine.id, renewed, nullptr));
  auto current = other->CurrentLock();
  ASSERT_OK(current);
  ASSERT_TRUE(current->has_value());
  EXPECT_EQ((*current)->expires, "2099-01-01T00:00:00Z");
  ASSERT_OK(backend->Unlock(mine.id));
  EXPECT_THAT(RawGet("weka/prod.tfstate.tflock"), StatusIs(StatusCode::kNotFound, HasSubstr("")));
  EXPECT_THAT(backend->Unlock(mine.id), StatusIs(StatusCode::kNotFound, HasSubstr("not locked")));
  EXPECT_OK(other->TryLock(theirs, nullptr));
}

TEST_F(S3BackendTest, SecondApplyWaitsThenFailsWithTheHoldersDetailsAndAnExpiredLeaseIsTakenOver) {
  auto backend = Backend();
  LockOptions options;
  options.lease = 30s;
  auto first = AcquireLock(*backend, lock_clock_, options);
  ASSERT_OK(first);
  auto other = Backend();
  LockOptions waiting = options;
  waiting.timeout = 3s;
  auto before = lock_clock_.Monotonic();
  auto second = AcquireLock(*other, lock_clock_, waiting);
  EXPECT_THAT(second, StatusIs(StatusCode::kConflict, HasSubstr((*first)->info().id)));
  EXPECT_THAT(second.status().message(), HasSubstr("Who:       " + (*first)->info().who));
  EXPECT_THAT(second.status().message(), HasSubstr("s3://states/weka/prod.tfstate"));
  EXPECT_GE(lock_clock_.Monotonic() - before, 3s);

  // The holder is killed on another machine (its pid cannot be checked): its lease runs out.
  std::string dead_id = (*first)->info().id;
  (*first)->Abandon();
  LockInfo record = (*first)->info();
  record.who = "ci@elsewhere";
  ASSERT_OK(backend->ReplaceLock(dead_id, record, nullptr));
  lock_clock_.Advance(31s);
  std::string warning;
  options.warn = [&](const std::string& w) { warning = w; };
  auto next = AcquireLock(*other, lock_clock_, options);
  ASSERT_OK(next);
  EXPECT_THAT(warning, HasSubstr(dead_id));
  EXPECT_THAT(warning, HasSubstr("expired"));
  ASSERT_OK((*next)->Release());
}

TEST_F(S3BackendTest, StateWritesAreConditionalOnWhatWasRead) {
  auto a = Backend();
  auto b = Backend();
  auto none = a->ReadState();
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  ASSERT_OK(b->ReadState());
  ASSERT_OK(a->WriteState("{\"serial\": 1}"));
  ASSERT_OK(a->WriteState("{\"serial\": 2}"));
  // b read "no state": its write would clobber a's, and is refused.
  EXPECT_THAT(b->WriteState("{\"serial\": 1, \"b\": true}"),
              StatusIs(StatusCode::kConflict, HasSubstr("another writer")));
  auto stored = RawGet("weka/prod.tfstate");
  ASSERT_OK(stored);
  EXPECT_EQ((*stored)["Body"], "{\"serial\": 2}");
  auto read = b->ReadState();
  ASSERT_OK(read);
  EXPECT_EQ(**read, "{\"serial\": 2}");
  EXPECT_OK(b->WriteState("{\"serial\": 3}"));
  EXPECT_THAT(a->WriteState("{\"serial\": 3, \"a\": true}"),
              StatusIs(StatusCode::kConflict, HasSubstr("")));
}

TEST_F(S3BackendTest, EncryptAsksForSseKmsWithTheBackendsKey) {
  auto key = client_->Call("kms", "CreateKey", Json::object());
  ASSERT_OK(key);
  std::string key_id = (*key)["KeyMetadata"]["KeyId"];
  auto backend =
      Backend({.bucket = "states", .key = "enc.tfstate", .encrypt = true, .kms_key_id = key_id});
  ASSERT_OK(backend->WriteState("{}"));
  auto head = client_->Call("s3", "HeadObject", {{"Bucket", "states"}, {"Key", "enc.tfstate"}});
  ASSERT_OK(head);
  EXPECT_EQ((*head)["ServerSideEncryption"], "aws:kms");
  EXPECT_THAT((*head)["SSEKMSKeyId"].get<std::string>(), HasSubstr(key_id));
}

TEST_F(S3BackendTest, SensitiveValuesAreSealedUnderAKmsDataKeyAndReadBack) {
  auto key_id = EnsureLocalCloudStateKey(*client_);
  ASSERT_OK(key_id);
  auto again = EnsureLocalCloudStateKey(*client_);
  ASSERT_OK(again);
  EXPECT_EQ(*again, *key_id);  // made once

  const std::string secret = "hunter2-Zq9!sensitive";
  auto backend = Backend();
  {
    StateStore store(*backend, KmsSealers(*client_, *key_id), "0.1.0");
    ASSERT_OK(store.Load());
    ASSERT_OK(store.Mutate([&](State& s) {
      ParsedAddress address{"", "managed", "random_password", "admin", Json()};
      InstanceState& i = s.Upsert(address, "provider[\"registry.terraform.io/hashicorp/random\"]");
      i.attributes = {{"id", "none"}, {"result", secret}};
      i.sensitive_attributes = {"result"};
      s.outputs["password"] = OutputState{secret, "string", true};
    }));
  }
  auto raw = RawGet("weka/prod.tfstate");
  ASSERT_OK(raw);
  std::string file = (*raw)["Body"];
  EXPECT_THAT(file, Not(HasSubstr(secret)));
  EXPECT_THAT(file, HasSubstr("clusterform_sealed"));
  Json doc = Json::parse(file);
  EXPECT_EQ(doc["clusterform"]["data_key"]["kms_key_id"], *key_id);

  // Another run opens it through KMS.
  auto reader = Backend();
  StateStore reopened(*reader, KmsSealers(*client_, *key_id), "0.1.0");
  ASSERT_OK(reopened.Load());
  State s = reopened.Snapshot();
  ASSERT_NE(s.Find("random_password.admin"), nullptr);
  EXPECT_EQ(s.Find("random_password.admin")->attributes["result"], secret);
  EXPECT_EQ(s.outputs["password"].value, secret);

  // A wrapped key that KMS cannot open (another state's lineage) is refused, not guessed.
  doc["lineage"] = "another-lineage";
  ASSERT_OK(client_->Call("s3", "PutObject",
                          {{"Bucket", "states"}, {"Key", "moved.tfstate"}, {"Body", doc.dump()}}));
  auto moved =
      Backend({.bucket = "states", .key = "moved.tfstate", .encrypt = false, .kms_key_id = ""});
  StateStore tampered(*moved, KmsSealers(*client_, *key_id), "0.1.0");
  EXPECT_THAT(tampered.Load(), Not(IsOk()));
}

}  // namespace
}  // namespace cf::state
