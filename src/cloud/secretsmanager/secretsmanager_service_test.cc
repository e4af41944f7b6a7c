#include "cloud/secretsmanager/secretsmanager_service.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "cloud/kms/kms_service.h"
#include "testing/service_harness.h"
#include "testing/status_matchers.h"

namespace cf::cloud::secretsmanager {
namespace {

constexpr auto kDay = std::chrono::hours(24);
constexpr char kToken1[] = "11111111-1111-4111-8111-111111111111";
constexpr char kToken2[] = "22222222-2222-4222-8222-222222222222";
constexpr char kToken3[] = "33333333-3333-4333-8333-333333333333";
constexpr char kToken4[] = "44444444-4444-4444-8444-444444444444";

class SecretsManagerServiceTest : public testing::ServiceTest {
 protected:
  SecretsManagerServiceTest()
      : ServiceTest(11), kms_(Context(), std::string(32, 'm')), service_(Context(), kms_) {
    Serve(service_);
  }

  Json KmsOk(const std::string& operation, Json input) {
    return OkOn(kms_, operation, std::move(input));
  }

  ServiceError Error(const std::string& operation, Json input) {
    ServiceResult r = Call(operation, std::move(input));
    return r.ok() ? ServiceError{"(no error)", ""} : r.error();
  }

  Json Stages(const std::string& secret) {
    return Ok("DescribeSecret", {{"SecretId", secret}})["VersionIdsToStages"];
  }

  kms::KmsService kms_;
  SecretsManagerService service_;
};

TEST_F(SecretsManagerServiceTest, CreateAndGetUnderTheManagedKey) {
  Json created = Ok("CreateSecret", {{"Name", "weka/admin"},
                                     {"SecretString", "hunter2"},
                                     {"Description", "admin password"},
                                     {"ClientRequestToken", kToken1}});
  std::string arn = created["ARN"];
  EXPECT_TRUE(std::regex_match(
      arn, std::regex("arn:aws:secretsmanager:us-east-1:000000000000:secret:weka/admin-"
                      "[A-Za-z0-9]{6}")))
      << arn;
  EXPECT_EQ(created["VersionId"], kToken1);
  Json value = Ok("GetSecretValue", {{"SecretId", "weka/admin"}});
  EXPECT_EQ(value["SecretString"], "hunter2");
  EXPECT_EQ(value["VersionId"], kToken1);
  EXPECT_EQ(value["VersionStages"], Json({"AWSCURRENT"}));
  EXPECT_EQ(value["ARN"], arn);
  // By full ARN and by the ARN without its random suffix.
  EXPECT_EQ(Ok("GetSecretValue", {{"SecretId", arn}})["SecretString"], "hunter2");
  EXPECT_EQ(Ok("GetSecretValue", {{"SecretId", arn.substr(0, arn.size() - 7)}})["SecretString"],
            "hunter2");
  // The account's managed key was created on first use, like AWS does.
  Json key = KmsOk("DescribeKey", {{"KeyId", "alias/aws/secretsmanager"}})["KeyMetadata"];
  EXPECT_EQ(key["KeyManager"], "AWS");
  Json described = Ok("DescribeSecret", {{"SecretId", "weka/admin"}});
  EXPECT_EQ(described["Description"], "admin password");
  EXPECT_FALSE(described.contains("KmsKeyId"));
  EXPECT_EQ(described["VersionIdsToStages"][kToken1], Json({"AWSCURRENT"}));
  EXPECT_TRUE(described.contains("LastAccessedDate"));
}

TEST_F(SecretsManagerServiceTest, StoreHoldsOnlyCiphertext) {
  Ok("CreateSecret", {{"Name", "db"}, {"SecretString", "correct horse battery staple"}});
  Ok("PutSecretValue", {{"SecretId", "db"}, {"SecretBinary", std::string("\x01zebra\x02", 7)}});
  for (const char* ns : {"secretsmanager/secrets", "kms/keys", "kms/aliases"}) {
    auto docs = store_->List(ns);
    ASSERT_OK(docs);
    for (const auto& [key, doc] : *docs) {
      std::string text = doc.dump();
      EXPECT_EQ(text.find("horse"), std::string::npos) << text;
      EXPECT_EQ(text.find("zebra"), std::string::npos) << text;
    }
  }
}

TEST_F(SecretsManagerServiceTest, BinarySecretsRoundTrip) {
  std::string bytes("\x00\xff\x10 binary", 9);
  Ok("CreateSecret", {{"Name", "blob"}, {"SecretBinary", bytes}});
  Json value = Ok("GetSecretValue", {{"SecretId", "blob"}});
  EXPECT_EQ(value["SecretBinary"], bytes);
  EXPECT_FALSE(value.contains("SecretString"));
  EXPECT_EQ(
      ErrorCode("CreateSecret", {{"Name", "both"}, {"SecretString", "a"}, {"SecretBinary", "b"}}),
      "InvalidParameterException");
}

TEST_F(SecretsManagerServiceTest, PutSecretValueMovesStages) {
  Ok("CreateSecret", {{"Name", "s"}, {"SecretString", "v1"}, {"ClientRequestToken", kToken1}});
  Json put = Ok("PutSecretValue",
                {{"SecretId", "s"}, {"SecretString", "v2"}, {"ClientRequestToken", kToken2}});
  EXPECT_EQ(put["VersionStages"], Json({"AWSCURRENT"}));
  Json stages = Stages("s");
  EXPECT_EQ(stages[kToken1], Json({"AWSPREVIOUS"}));
  EXPECT_EQ(stages[kToken2], Json({"AWSCURRENT"}));
  EXPECT_EQ(
      Ok("GetSecretValue", {{"SecretId", "s"}, {"VersionStage", "AWSPREVIOUS"}})["SecretString"],
      "v1");
  Ok("PutSecretValue",
     {{"SecretId", "s"}, {"SecretString", "v3"}, {"ClientRequestToken", kToken3}});
  stages = Stages("s");
  EXPECT_FALSE(stages.contains(kToken1));
  EXPECT_EQ(stages[kToken2], Json({"AWSPREVIOUS"}));
  EXPECT_EQ(Ok("ListSecretVersionIds", {{"SecretId", "s"}})["Versions"].size(), 2u);
  EXPECT_EQ(Ok("ListSecretVersionIds", {{"SecretId", "s"}, {"IncludeDeprecated", true}})["Versions"]
                .size(),
            3u);
  // The old version is still readable by id.
  EXPECT_EQ(Ok("GetSecretValue", {{"SecretId", "s"}, {"VersionId", kToken1}})["SecretString"],
            "v1");

  // A pending version leaves AWSCURRENT where it is.
  Ok("PutSecretValue", {{"SecretId", "s"},
                        {"SecretString", "v4"},
                        {"ClientRequestToken", kToken4},
                        {"VersionStages", {"AWSPENDING"}}});
  EXPECT_EQ(Ok("GetSecretValue", {{"SecretId", "s"}})["SecretString"], "v3");
  EXPECT_EQ(
      Ok("GetSecretValue", {{"SecretId", "s"}, {"VersionStage", "AWSPENDING"}})["SecretString"],
      "v4");
  // Promoting it needs the current holder named.
  EXPECT_EQ(
      ErrorCode("UpdateSecretVersionStage",
                {{"SecretId", "s"}, {"VersionStage", "AWSCURRENT"}, {"MoveToVersionId", kToken4}}),
      "InvalidParameterException");
  Ok("UpdateSecretVersionStage", {{"SecretId", "s"},
                                  {"VersionStage", "AWSCURRENT"},
                                  {"MoveToVersionId", kToken4},
                                  {"RemoveFromVersionId", kToken3}});
  stages = Stages("s");
  EXPECT_EQ(stages[kToken4], Json({"AWSPENDING", "AWSCURRENT"}));
  EXPECT_EQ(stages[kToken3], Json({"AWSPREVIOUS"}));
  Ok("UpdateSecretVersionStage",
     {{"SecretId", "s"}, {"VersionStage", "AWSPENDING"}, {"RemoveFromVersionId", kToken4}});
  EXPECT_EQ(Stages("s")[kToken4], Json({"AWSCURRENT"}));
  EXPECT_EQ(ErrorCode("UpdateSecretVersionStage", {{"SecretId", "s"},
                                                   {"VersionStage", "AWSCURRENT"},
                                                   {"RemoveFromVersionId", kToken4}}),
            "InvalidParameterException");
  ServiceError missing =
      Error("GetSecretValue", {{"SecretId", "s"}, {"VersionStage", "AWSPENDING"}});
  EXPECT_EQ(missing.code, "ResourceNotFoundException");
  EXPECT_EQ(missing.message,
            "Secrets Manager can't find the specified secret value for staging label: AWSPENDING");
}

TEST_F(SecretsManagerServiceTest, KeepsAtMostAHundredUnlabelledVersions) {
  Ok("CreateSecret", {{"Name", "s"}, {"SecretString", "v0"}, {"ClientRequestToken", kToken1}});
  for (int i = 1; i <= 105; ++i) {
    clock_.Advance(std::chrono::seconds(1));
    Ok("PutSecretValue", {{"SecretId", "s"}, {"SecretString", fmt::format("v{}", i)}});
  }
  Json all = Ok("ListSecretVersionIds",
                {{"SecretId", "s"}, {"IncludeDeprecated", true}, {"MaxResults", 100}});
  Json rest = Ok("ListSecretVersionIds",
                 {{"SecretId", "s"}, {"IncludeDeprecated", true}, {"NextToken", all["NextToken"]}});
  EXPECT_EQ(all["Versions"].size() + rest["Versions"].size(), 102u);
  // The oldest unlabelled version went first.
  EXPECT_EQ(ErrorCode("GetSecretValue", {{"SecretId", "s"}, {"VersionId", kToken1}}),
            "ResourceNotFoundException");
  EXPECT_EQ(Ok("GetSecretValue", {{"SecretId", "s"}})["SecretString"], "v105");
}

TEST_F(SecretsManagerServiceTest, ClientRequestTokenMakesRetriesIdempotent) {
  Json first =
      Ok("CreateSecret", {{"Name", "s"}, {"SecretString", "v"}, {"ClientRequestToken", kToken1}});
  Json again =
      Ok("CreateSecret", {{"Name", "s"}, {"SecretString", "v"}, {"ClientRequestToken", kToken1}});
  EXPECT_EQ(again["ARN"], first["ARN"]);
  EXPECT_EQ(again["VersionId"], kToken1);
  EXPECT_EQ(ErrorCode("CreateSecret",
                      {{"Name", "s"}, {"SecretString", "other"}, {"ClientRequestToken", kToken1}}),
            "ResourceExistsException");
  ServiceError exists = Error(
      "CreateSecret", {{"Name", "s"}, {"SecretString", "v"}, {"ClientRequestToken", kToken2}});
  EXPECT_EQ(exists.code, "ResourceExistsException");
  EXPECT_EQ(exists.message, "The operation failed because the secret s already exists.");
  Ok("PutSecretValue",
     {{"SecretId", "s"}, {"SecretString", "v2"}, {"ClientRequestToken", kToken2}});
  Ok("PutSecretValue",
     {{"SecretId", "s"}, {"SecretString", "v2"}, {"ClientRequestToken", kToken2}});
  EXPECT_EQ(ErrorCode("PutSecretValue",
                      {{"SecretId", "s"}, {"SecretString", "v3"}, {"ClientRequestToken", kToken2}}),
            "ResourceExistsException");
  EXPECT_EQ(Stages("s")[kToken2], Json({"AWSCURRENT"}));
}

TEST_F(SecretsManagerServiceTest, DeleteWithRecoveryWindowThenRestoreOrExpire) {
  Ok("CreateSecret", {{"Name", "s"}, {"SecretString", "v"}});
  EXPECT_EQ(ErrorCode("DeleteSecret", {{"SecretId", "s"}, {"RecoveryWindowInDays", 6}}),
            "InvalidParameterException");
  EXPECT_EQ(ErrorCode("DeleteSecret", {{"SecretId", "s"},
                                       {"RecoveryWindowInDays", 7},
                                       {"ForceDeleteWithoutRecovery", true}}),
            "InvalidParameterException");
  Json deleted = Ok("DeleteSecret", {{"SecretId", "s"}});
  int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  EXPECT_EQ(deleted["DeletionDate"], now + 30 * 86400);
  ServiceError refused = Error("GetSecretValue", {{"SecretId", "s"}});
  EXPECT_EQ(refused.code, "InvalidRequestException");
  EXPECT_EQ(refused.message,
            "You can't perform this operation on the secret because it was marked for deletion.");
  EXPECT_EQ(ErrorCode("PutSecretValue", {{"SecretId", "s"}, {"SecretString", "x"}}),
            "InvalidRequestException");
  EXPECT_TRUE(Ok("DescribeSecret", {{"SecretId", "s"}}).contains("DeletedDate"));
  EXPECT_TRUE(Ok("ListSecrets", Json::object())["SecretList"].empty());
  EXPECT_EQ(ErrorCode("CreateSecret", {{"Name", "s"}, {"SecretString", "v"}}),
            "InvalidRequestException");
  Ok("RestoreSecret", {{"SecretId", "s"}});
  EXPECT_EQ(Ok("GetSecretValue", {{"SecretId", "s"}})["SecretString"], "v");
  EXPECT_FALSE(Ok("DescribeSecret", {{"SecretId", "s"}}).contains("DeletedDate"));

  Ok("DeleteSecret", {{"SecretId", "s"}, {"RecoveryWindowInDays", 7}});
  clock_.Advance(7 * kDay - std::chrono::seconds(1));
  EXPECT_EQ(ErrorCode("GetSecretValue", {{"SecretId", "s"}}), "InvalidRequestException");
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(ErrorCode("DescribeSecret", {{"SecretId", "s"}}), "ResourceNotFoundException");
  EXPECT_EQ(ErrorCode("RestoreSecret", {{"SecretId", "s"}}), "ResourceNotFoundException");
  // The name is free again.
  Ok("CreateSecret", {{"Name", "s"}, {"SecretString", "new"}});

  Ok("DeleteSecret", {{"SecretId", "s"}, {"ForceDeleteWithoutRecovery", true}});
  ServiceError gone = Error("DescribeSecret", {{"SecretId", "s"}});
  EXPECT_EQ(gone.code, "ResourceNotFoundException");
  EXPECT_EQ(gone.message, "Secrets Manager can't find the specified secret.");
}

TEST_F(SecretsManagerServiceTest, ListSecretsFiltersSortsAndPages) {
  Ok("CreateSecret", {{"Name", "prod/db"},
                      {"Description", "Production database"},
                      {"Tags", {{{"Key", "env"}, {"Value", "prod"}}}}});
  clock_.Advance(std::chrono::seconds(1));
  Ok("CreateSecret", {{"Name", "prod/api"}, {"Tags", {{{"Key", "env"}, {"Value", "prod"}}}}});
  clock_.Advance(std::chrono::seconds(1));
  Ok("CreateSecret", {{"Name", "dev/db"},
                      {"Description", "dev database"},
                      {"Tags", {{{"Key", "team"}, {"Value", "infra"}}}}});
  auto names = [&](Json filters, Json extra = Json::object()) {
    extra["Filters"] = filters;
    std::vector<std::string> out;
    Json listed = Ok("ListSecrets", extra);
    for (const Json& s : listed["SecretList"]) {
      out.push_back(s["Name"]);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(Json::array({{{"Key", "name"}, {"Values", {"prod/"}}}})),
            V({"prod/db", "prod/api"}));
  EXPECT_EQ(names(Json::array({{{"Key", "name"}, {"Values", {"Prod/"}}}})), V());
  EXPECT_EQ(names(Json::array({{{"Key", "description"}, {"Values", {"production"}}}})),
            V({"prod/db"}));
  EXPECT_EQ(names(Json::array({{{"Key", "tag-key"}, {"Values", {"team"}}}})), V({"dev/db"}));
  EXPECT_EQ(names(Json::array({{{"Key", "tag-value"}, {"Values", {"prod"}}}})),
            V({"prod/db", "prod/api"}));
  EXPECT_EQ(names(Json::array({{{"Key", "tag-value"}, {"Values", {"!prod"}}}})), V({"dev/db"}));
  EXPECT_EQ(names(Json::array({{{"Key", "all"}, {"Values", {"INFRA"}}}})), V({"dev/db"}));
  EXPECT_EQ(names(Json::array({{{"Key", "name"}, {"Values", {"prod/", "dev/"}}},
                               {{"Key", "tag-key"}, {"Values", {"env"}}}})),
            V({"prod/db", "prod/api"}));
  EXPECT_EQ(names(Json::array(), {{"SortOrder", "desc"}}), V({"dev/db", "prod/api", "prod/db"}));

  Json page = Ok("ListSecrets", {{"MaxResults", 2}});
  ASSERT_EQ(page["SecretList"].size(), 2u);
  ASSERT_TRUE(page.contains("NextToken"));
  Json rest = Ok("ListSecrets", {{"MaxResults", 2}, {"NextToken", page["NextToken"]}});
  EXPECT_EQ(rest["SecretList"].size(), 1u);
  EXPECT_FALSE(rest.contains("NextToken"));
  EXPECT_EQ(ErrorCode("ListSecrets", {{"NextToken", "bogus"}}), "InvalidNextTokenException");
  EXPECT_EQ(Ok("ListSecrets", Json::object())["SecretList"][0]["Tags"][0]["Key"], "env");
}

TEST_F(SecretsManagerServiceTest, UpdateSecretChangesDescriptionKeyAndValue) {
  std::string key = KmsOk("CreateKey", Json::object())["KeyMetadata"]["KeyId"];
  Ok("CreateSecret", {{"Name", "s"}, {"SecretString", "v1"}});
  clock_.Advance(std::chrono::seconds(1));
  Json updated = Ok("UpdateSecret", {{"SecretId", "s"},
                                     {"Description", "new"},
                                     {"KmsKeyId", key},
                                     {"SecretString", "v2"},
                                     {"ClientRequestToken", kToken2}});
  EXPECT_EQ(updated["VersionId"], kToken2);
  Json described = Ok("DescribeSecret", {{"SecretId", "s"}});
  EXPECT_EQ(described["Description"], "new");
  EXPECT_EQ(described["KmsKeyId"], key);
  EXPECT_EQ(Ok("GetSecretValue", {{"SecretId", "s"}})["SecretString"], "v2");
  Json versions = Ok("ListSecretVersionIds", {{"SecretId", "s"}})["Versions"];
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[1]["KmsKeyIds"][0], "arn:aws:kms:us-east-1:000000000000:key/" + key);
  EXPECT_EQ(ErrorCode("UpdateSecret",
                      {{"SecretId", "s"}, {"KmsKeyId", "11111111-2222-3333-4444-555555555555"}}),
            "EncryptionFailure");
}

TEST_F(SecretsManagerServiceTest, ADisabledKeyMakesValuesUnreadable) {
  std::string key = KmsOk("CreateKey", Json::object())["KeyMetadata"]["KeyId"];
  Ok("CreateSecret", {{"Name", "s"}, {"SecretString", "v"}, {"KmsKeyId", key}});
  KmsOk("DisableKey", {{"KeyId", key}});
  EXPECT_EQ(ErrorCode("GetSecretValue", {{"SecretId", "s"}}), "DecryptionFailure");
  EXPECT_EQ(ErrorCode("PutSecretValue", {{"SecretId", "s"}, {"SecretString", "w"}}),
            "EncryptionFailure");
  KmsOk("EnableKey", {{"KeyId", key}});
  EXPECT_EQ(Ok("GetSecretValue", {{"SecretId", "s"}})["SecretString"], "v");
}

TEST_F(SecretsManagerServiceTest, ResourcePoliciesAndTags) {
  Ok("CreateSecret", {{"Name", "s"}, {"SecretString", "v"}});
  EXPECT_EQ(ErrorCode("PutResourcePolicy", {{"SecretId", "s"}, {"ResourcePolicy", "{nope"}}),
            "MalformedPolicyDocumentException");
  std::string policy = R"({"Version":"2012-10-17","Statement":[]})";
  Ok("PutResourcePolicy", {{"SecretId", "s"}, {"ResourcePolicy", policy}});
  EXPECT_EQ(Ok("GetResourcePolicy", {{"SecretId", "s"}})["ResourcePolicy"], policy);
  EXPECT_EQ(Ok("ValidateResourcePolicy", {{"ResourcePolicy", policy}})["PolicyValidationPassed"],
            true);
  Ok("DeleteResourcePolicy", {{"SecretId", "s"}});
  EXPECT_FALSE(Ok("GetResourcePolicy", {{"SecretId", "s"}}).contains("ResourcePolicy"));

  Ok("TagResource", {{"SecretId", "s"},
                     {"Tags", {{{"Key", "a"}, {"Value", "1"}}, {{"Key", "b"}, {"Value", "2"}}}}});
  Ok("TagResource", {{"SecretId", "s"}, {"Tags", {{{"Key", "a"}, {"Value", "3"}}}}});
  Ok("UntagResource", {{"SecretId", "s"}, {"TagKeys", {"b"}}});
  Json tags = Ok("DescribeSecret", {{"SecretId", "s"}})["Tags"];
  EXPECT_EQ(tags, Json::parse(R"([{"Key":"a","Value":"3"}])"));
  EXPECT_EQ(ErrorCode("TagResource", {{"SecretId", "nope"}, {"Tags", Json::array()}}),
            "ResourceNotFoundException");
}

TEST_F(SecretsManagerServiceTest, IllTypedInputIsAnErrorNotACrash) {
  Ok("CreateSecret", {{"Name", "s"}, {"SecretString", "v"}});
  EXPECT_EQ(ErrorCode("UntagResource", {{"SecretId", "s"}, {"TagKeys", {1}}}),
            "InvalidParameterException");
  EXPECT_EQ(ErrorCode("ListSecrets", {{"Filters", {{{"Key", "name"}, {"Values", {7}}}}}}),
            "InvalidParameterException");
}

TEST_F(SecretsManagerServiceTest, EveryOperationAnswersOddInputWithAnError) {
  Ok("CreateSecret", {{"Name", "s"}, {"SecretString", "v"}, {"ClientRequestToken", kToken1}});
  const char* const kOperations[] = {
      "CreateSecret",         "DescribeSecret",         "GetSecretValue",
      "PutSecretValue",       "UpdateSecret",           "UpdateSecretVersionStage",
      "ListSecretVersionIds", "DeleteSecret",           "RestoreSecret",
      "ListSecrets",          "GetResourcePolicy",      "PutResourcePolicy",
      "DeleteResourcePolicy", "ValidateResourcePolicy", "TagResource",
      "UntagResource",        "GetRandomPassword"};
  const Json kInputs[] = {
      Json(),
      Json::array(),
      Json::object(),
      {{"SecretId", "s"}, {"Tags", {{{"Key", 1}}}}, {"NextToken", "x"}, {"MaxResults", -1}},
      {{"SecretId", {1}}, {"Name", 2}, {"SecretString", Json()}, {"SecretBinary", 3}},
      {{"SecretId", "s"}, {"VersionStage", "AWSCURRENT"}, {"MoveToVersionId", "nope"}},
      {{"SecretId", "s"}, {"Filters", "x"}, {"TagKeys", "k"}, {"PasswordLength", "long"}},
      {{"SecretId", "s"}, {"VersionId", kToken1}, {"VersionStages", {1}}, {"ResourcePolicy", 9}}};
  for (const char* operation : kOperations) {
    ASSERT_TRUE(service_.HasOperation(operation)) << operation;
    for (const Json& input : kInputs) {
      ServiceResult r = Call(operation, input);
      if (!r.ok()) {
        EXPECT_FALSE(r.error().code.empty()) << operation << " " << input.dump();
      }
    }
  }
  EXPECT_FALSE(service_.HasOperation("RotateSecret"));
}

TEST_F(SecretsManagerServiceTest, RejectsBadNames) {
  EXPECT_EQ(ErrorCode("CreateSecret", {{"Name", "has space"}}), "InvalidParameterException");
  EXPECT_EQ(ErrorCode("GetSecretValue", {{"SecretId", "missing"}}), "ResourceNotFoundException");
}

TEST_F(SecretsManagerServiceTest, GetRandomPasswordHonoursItsOptions) {
  std::string p = Ok("GetRandomPassword", Json::object())["RandomPassword"];
  EXPECT_EQ(p.size(), 32u);
  EXPECT_NE(p, Ok("GetRandomPassword", Json::object())["RandomPassword"].get<std::string>());
  std::string digits = Ok("GetRandomPassword", {{"PasswordLength", 64},
                                                {"ExcludeLowercase", true},
                                                {"ExcludeUppercase", true},
                                                {"ExcludePunctuation", true},
                                                {"ExcludeCharacters", "01"}})["RandomPassword"];
  EXPECT_EQ(digits.size(), 64u);
  EXPECT_EQ(digits.find_first_not_of("23456789"), std::string::npos) << digits;
  for (int i = 0; i < 20; ++i) {
    std::string each =
        Ok("GetRandomPassword", {{"PasswordLength", 4}, {"IncludeSpace", false}})["RandomPassword"];
    EXPECT_NE(each.find_first_of("abcdefghijklmnopqrstuvwxyz"), std::string::npos) << each;
    EXPECT_NE(each.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string::npos) << each;
    EXPECT_NE(each.find_first_of("0123456789"), std::string::npos) << each;
  }
  EXPECT_EQ(ErrorCode("GetRandomPassword", {{"PasswordLength", 3}}), "InvalidParameterException");
  EXPECT_EQ(ErrorCode("GetRandomPassword", {{"ExcludeLowercase", true},
                                            {"ExcludeUppercase", true},
                                            {"ExcludeNumbers", true},
                                            {"ExcludePunctuation", true}}),
            "InvalidParameterException");
}

}  // namespace
}  // namespace cf::cloud::secretsmanager
