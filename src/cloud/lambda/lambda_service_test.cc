#include "cloud/lambda/lambda_service.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/base64.h"
#include "cloud/core/credentials.h"
#include "cloud/core/ids.h"
#include "cloud/core/store.h"
#include "cloud/lambda/zip_archive.h"
#include "testing/fake_clock.h"

namespace cf::cloud::lambda {
namespace {

TEST(ZipArchiveTest, RoundTripsAndReadsDeflatedArchives) {
  std::string zip = WriteZip({{"bootstrap", 0100755, "#!/bin/sh\necho hi\n"},
                              {"lib/", 040755, ""},
                              {"lib/data.txt", 0100644, "data"}});
  Result<std::vector<ZipEntry>> entries = ReadZip(zip);
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].name, "bootstrap");
  EXPECT_EQ((*entries)[0].mode & 0777, 0755u);
  EXPECT_EQ((*entries)[2].data, "data");

  // A deflated archive made by Debian's zip.
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("cf_zip_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "big.txt") << std::string(10000, 'a') << "end";
  std::string cmd = "cd " + dir.string() + " && zip -q -9 out.zip big.txt";
  if (std::system(cmd.c_str()) == 0) {
    std::ifstream in(dir / "out.zip", std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    Result<std::vector<ZipEntry>> deflated = ReadZip(bytes.str());
    ASSERT_TRUE(deflated.ok()) << deflated.status().message();
    EXPECT_EQ((*deflated)[0].data.size(), 10003u);
    ASSERT_TRUE(ExtractZip(*deflated, (dir / "x").string()).ok());
    EXPECT_TRUE(fs::exists(dir / "x" / "big.txt"));
  }
  fs::remove_all(dir);
}

TEST(ZipArchiveTest, RefusesWhatIsNotASafeZip) {
  Result<std::vector<ZipEntry>> junk = ReadZip("PK\x03\x04 not really");
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.status().message().rfind("Could not unzip uploaded file.", 0), 0u);
  EXPECT_FALSE(ReadZip(WriteZip({{"../escape", 0100644, "x"}})).ok());
  EXPECT_FALSE(ReadZip(WriteZip({{"/abs", 0100644, "x"}})).ok());
  std::string corrupt = WriteZip({{"f", 0100644, "hello"}});
  corrupt[corrupt.find("hello")] = 'j';
  Result<std::vector<ZipEntry>> bad_crc = ReadZip(corrupt);
  ASSERT_FALSE(bad_crc.ok());
  EXPECT_NE(bad_crc.status().message().find("CRC-32"), std::string::npos);
}

class FakeRunner : public FunctionRunner {
 public:
  RunResult Invoke(const FunctionSpec& spec, const RunRequest& request) override {
    last = spec;
    RunResult r;
    r.payload = request.payload;
    ++calls;
    return r;
  }
  void Retire(const std::string& arn) override { retired.push_back(arn); }
  FunctionSpec last;
  int calls = 0;
  std::vector<std::string> retired;
};

class DelayProfile : public LatencyProfile {
 public:
  std::chrono::nanoseconds StateDelay(const std::string& name) const override {
    return name == "lambda:Function" ? std::chrono::seconds(5) : std::chrono::nanoseconds(0);
  }
  double TimeScale() const override { return scale; }
  double scale = 1.0;
};

class LambdaServiceTest : public ::testing::Test {
 protected:
  LambdaServiceTest()
      : store_(Store::Open("").value()),
        credentials_(*store_, {DefaultCredential()}),
        context_{*store_, ids_, clock_, credentials_, latency_},
        service_(context_, runner_,
                 {"", nullptr, [] { return std::string("http://127.0.0.1:9"); }}) {}

  ServiceResult Call(const std::string& op, Json input) {
    ServiceCall call;
    call.operation = op;
    call.input = std::move(input);
    call.region = "us-east-1";
    call.account_id = "000000000000";
    return service_.Handle(call);
  }
  Json Create(Json extra = Json::object()) {
    Json input = {{"FunctionName", "fn"},
                  {"Runtime", "provided.al2"},
                  {"Role", "arn:aws:iam::000000000000:role/r"},
                  {"Code", {{"ZipFile", WriteZip({{"bootstrap", 0100755, "#!/bin/sh\n"}})}}}};
    input.update(extra);
    ServiceResult r = Call("CreateFunction", input);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.output() : Json();
  }

  FakeClock clock_;
  SeededRandom random_{2};
  IdGenerator ids_{random_};
  DelayProfile latency_;
  std::unique_ptr<Store> store_;
  CredentialStore credentials_;
  ServiceContext context_;
  FakeRunner runner_;
  LambdaService service_;
};

TEST_F(LambdaServiceTest, PendingThenActiveOnTheLatencyProfile) {
  Json created = Create({{"Environment", {{"Variables", {{"MODE", "test"}}}}}});
  EXPECT_EQ(created["State"], "Pending");
  EXPECT_EQ(created["StateReasonCode"], "Creating");
  EXPECT_EQ(created["FunctionArn"], "arn:aws:lambda:us-east-1:000000000000:function:fn");
  ServiceResult early = Call("Invoke", {{"FunctionName", "fn"}, {"Payload", "{}"}});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, "ResourceConflictException");
  clock_.Advance(std::chrono::seconds(5));
  EXPECT_EQ(Call("GetFunctionConfiguration", {{"FunctionName", "fn"}}).output()["State"], "Active");
  ServiceResult invoked = Call("Invoke", {{"FunctionName", "fn"}, {"Payload", R"({"a":1})"}});
  ASSERT_TRUE(invoked.ok()) << invoked.error().message;
  EXPECT_EQ(invoked.output()["Payload"], R"({"a":1})");
  EXPECT_EQ(invoked.output()["StatusCode"], 200);
  const auto& env = runner_.last.environment;
  EXPECT_EQ(env.at("MODE"), "test");
  EXPECT_EQ(env.at("AWS_LAMBDA_FUNCTION_NAME"), "fn");
  EXPECT_EQ(env.at("AWS_REGION"), "us-east-1");
  EXPECT_EQ(env.at("AWS_ENDPOINT_URL"), "http://127.0.0.1:9");
  Result<Credential> key = credentials_.Lookup(env.at("AWS_ACCESS_KEY_ID"));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->identity.arn, "arn:aws:sts::000000000000:assumed-role/r/fn");
  EXPECT_EQ(runner_.last.argv[0], runner_.last.code_dir + "/bootstrap");
}

TEST_F(LambdaServiceTest, FunctionsSeeTheTimeScaleAndANewScaleStartsNewEnvironments) {
  Create();
  clock_.Advance(std::chrono::seconds(5));
  ASSERT_TRUE(Call("Invoke", {{"FunctionName", "fn"}, {"Payload", "{}"}}).ok());
  EXPECT_EQ(runner_.last.environment.at("CLUSTERFORM_TIME_SCALE"), "1");
  std::string revision = runner_.last.revision;

  latency_.scale = 0.05;
  ASSERT_TRUE(Call("Invoke", {{"FunctionName", "fn"}, {"Payload", "{}"}}).ok());
  EXPECT_EQ(runner_.last.environment.at("CLUSTERFORM_TIME_SCALE"), "0.05");
  EXPECT_NE(runner_.last.revision, revision);
}

TEST_F(LambdaServiceTest, BadInputChangesNothing) {
  ServiceResult reserved =
      Call("CreateFunction", {{"FunctionName", "fn"},
                              {"Runtime", "provided.al2"},
                              {"Role", "arn:aws:iam::000000000000:role/r"},
                              {"Environment", {{"Variables", {{"AWS_REGION", "x"}}}}},
                              {"Code", {{"ZipFile", WriteZip({{"bootstrap", 0100755, "x"}})}}}});
  ASSERT_FALSE(reserved.ok());
  EXPECT_NE(reserved.error().message.find("Reserved keys used in this request: AWS_REGION"),
            std::string::npos);
  ServiceResult runtime = Call("CreateFunction", {{"FunctionName", "fn"},
                                                  {"Runtime", "java11"},
                                                  {"Handler", "a.B"},
                                                  {"Role", "arn:aws:iam::000000000000:role/r"},
                                                  {"Code", {{"ZipFile", "x"}}}});
  EXPECT_EQ(runtime.error().code, "InvalidParameterValueException");
  ServiceResult zip = Call("CreateFunction", {{"FunctionName", "fn"},
                                              {"Runtime", "provided.al2"},
                                              {"Role", "arn:aws:iam::000000000000:role/r"},
                                              {"Code", {{"ZipFile", "not a zip"}}}});
  EXPECT_EQ(zip.error().code, "InvalidParameterValueException");
  EXPECT_NE(zip.error().message.find("Could not unzip uploaded file"), std::string::npos);
  ServiceResult role = Call("CreateFunction", {{"FunctionName", "fn"},
                                               {"Runtime", "provided.al2"},
                                               {"Role", "nope"},
                                               {"Code", {{"ZipFile", "x"}}}});
  EXPECT_EQ(role.error().code, "ValidationException");
  EXPECT_TRUE(Call("ListFunctions", Json::object()).output()["Functions"].empty());
  Create();
  EXPECT_EQ(
      Call("CreateFunction", {{"FunctionName", "fn"},
                              {"Runtime", "provided.al2"},
                              {"Role", "arn:aws:iam::000000000000:role/r"},
                              {"Code", {{"ZipFile", WriteZip({{"bootstrap", 0100755, "y"}})}}}})
          .error()
          .code,
      "ResourceConflictException");
  EXPECT_EQ(
      Call("UpdateFunctionConfiguration", {{"FunctionName", "fn"}, {"Timeout", 901}}).error().code,
      "ValidationException");
  EXPECT_EQ(Call("GetFunctionConfiguration", {{"FunctionName", "fn"}}).output()["Timeout"], 3);
}

TEST_F(LambdaServiceTest, UpdatesRetireEnvironments) {
  Create();
  ServiceResult updated =
      Call("UpdateFunctionConfiguration", {{"FunctionName", "fn"}, {"MemorySize", 512}});
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated.output()["MemorySize"], 512);
  EXPECT_EQ(updated.output()["LastUpdateStatus"], "InProgress");
  ASSERT_EQ(runner_.retired.size(), 1u);
  clock_.Advance(std::chrono::seconds(6));
  EXPECT_EQ(
      Call("GetFunction", {{"FunctionName", "fn"}}).output()["Configuration"]["LastUpdateStatus"],
      "Successful");
  ASSERT_TRUE(Call("DeleteFunction", {{"FunctionName", "fn"}}).ok());
  EXPECT_EQ(runner_.retired.size(), 2u);
  EXPECT_EQ(Call("GetFunction", {{"FunctionName", "fn"}}).error().code,
            "ResourceNotFoundException");
}

// An S3 that serves objects (base64 in the store) from the store, as the real one does: it waits
// for the store while a call's transaction is open.
class StoreBackedS3 : public Service {
 public:
  explicit StoreBackedS3(Store& store) : store_(store) {}
  std::string name() const override { return "s3"; }
  bool HasOperation(const std::string& operation) const override {
    return operation == "GetObject";
  }
  ServiceResult Handle(const ServiceCall& call) override {
    auto object = store_.Get("test/object", call.input.value("Key", ""));
    if (!object.ok() || !*object) {
      return ServiceError{"NoSuchKey", "The specified key does not exist.", 404, true};
    }
    return Json{{"Body", Base64Decode((**object).value("Body", "")).value_or("")}};
  }

 private:
  Store& store_;
};

TEST_F(LambdaServiceTest, CodeFromS3IsReadOutsideTheCallsTransaction) {
  StoreBackedS3 s3(*store_);
  LambdaService with_s3(context_, runner_, {"", &s3, [] { return std::string(); }});
  std::string zip = WriteZip({{"bootstrap", 0100755, "#!/bin/sh\n"}});
  ASSERT_TRUE(store_->Put("test/object", "fn.zip", {{"Body", Base64Encode(zip)}}).ok());
  ServiceCall call;
  call.operation = "CreateFunction";
  call.region = "us-east-1";
  call.account_id = "000000000000";
  call.input = {{"FunctionName", "from-s3"},
                {"Runtime", "provided.al2"},
                {"Role", "arn:aws:iam::000000000000:role/r"},
                {"Code", {{"S3Bucket", "b"}, {"S3Key", "fn.zip"}}}};
  Json created_input = call.input;
  ServiceResult created = with_s3.Handle(call);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created.output()["CodeSize"], zip.size());
  call.operation = "UpdateFunctionCode";
  call.input = {{"FunctionName", "from-s3"}, {"S3Bucket", "b"}, {"S3Key", "missing.zip"}};
  ServiceResult refused = with_s3.Handle(call);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "InvalidParameterValueException");
  EXPECT_NE(refused.error().message.find("NoSuchKey"), std::string::npos);
  call.operation = "CreateFunction";
  call.input = created_input;
  EXPECT_EQ(with_s3.Handle(call).error().code, "ResourceConflictException");
}

TEST_F(LambdaServiceTest, UnreadableInputAndUnknownFunctionsGetLambdaCodes) {
  EXPECT_EQ(Call("GetFunction", {{"FunctionName", 7}}).error().code,
            "InvalidParameterValueException");
  EXPECT_EQ(Call("GetFunction", {{"FunctionName", "bad name!"}}).error().code,
            "ValidationException");
  EXPECT_EQ(
      Call("TagResource", {{"Resource", "arn:aws:lambda:us-east-1:000000000000:function:none"},
                           {"Tags", {{"a", "1"}}}})
          .error()
          .code,
      "ResourceNotFoundException");
  Create();
  ASSERT_TRUE(
      Call("TagResource", {{"Resource", "arn:aws:lambda:us-east-1:000000000000:function:fn"},
                           {"Tags", {{"a", "1"}}}})
          .ok());
  EXPECT_EQ(Call("ListTags", {{"Resource", "arn:aws:lambda:us-east-1:000000000000:function:fn"}})
                .output()["Tags"],
            Json({{"a", "1"}}));
  EXPECT_EQ(Call("PutFunctionConcurrency",
                 {{"FunctionName", "fn"}, {"ReservedConcurrentExecutions", 5000}})
                .error()
                .code,
            "InvalidParameterValueException");
  EXPECT_EQ(Call("GetFunctionConcurrency", {{"FunctionName", "fn"}}).output(), Json::object());
}

// Terraform's aws_lambda_function reads the code signing configuration after every create.
TEST_F(LambdaServiceTest, FunctionsHaveNoCodeSigningConfig) {
  EXPECT_EQ(Call("GetFunctionCodeSigningConfig", {{"FunctionName", "fn"}}).error().code,
            "ResourceNotFoundException");
  Create();
  EXPECT_EQ(Call("GetFunctionCodeSigningConfig", {{"FunctionName", "fn"}}).output(),
            (Json{{"CodeSigningConfigArn", ""}, {"FunctionName", "fn"}}));
  EXPECT_EQ(Call("GetFunctionCodeSigningConfig",
                 {{"FunctionName", "arn:aws:lambda:us-east-1:000000000000:function:fn"}})
                .output()["FunctionName"],
            "fn");
}

}  // namespace
}  // namespace cf::cloud::lambda
