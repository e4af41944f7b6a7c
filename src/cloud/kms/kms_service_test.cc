#include "cloud/kms/kms_service.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "base/base64.h"
#include "base/crypto.h"
#include "cloud/kms/ciphertext.h"
#include "cloud/kms/master_key.h"
#include "testing/service_harness.h"
#include "testing/status_matchers.h"

namespace cf::cloud::kms {
namespace {

constexpr auto kDay = std::chrono::hours(24);

class KmsServiceTest : public testing::ServiceTest {
 protected:
  KmsServiceTest() : service_(Context(), std::string(32, 'm')) { Serve(service_); }

  std::string NewKey(Json input = Json::object()) {
    return Ok("CreateKey", std::move(input))["KeyMetadata"]["KeyId"];
  }

  std::string Encrypt(const std::string& key, const std::string& plaintext,
                      Json context = Json::object()) {
    return Ok("Encrypt", {{"KeyId", key},
                          {"Plaintext", plaintext},
                          {"EncryptionContext", context}})["CiphertextBlob"];
  }

  KmsService service_;
};

TEST(CiphertextTest, BlobNamesItsKeyAndVersionAndBindsContext) {
  std::string material(32, 'q');
  BlobHeader header{"0b5c2f0e-9d1e-4c55-a0b4-5d7c9e1f2a3b", 3};
  auto blob = SealBlob(header, material, "secret", {{"purpose", "test"}});
  ASSERT_OK(blob);
  auto peeked = PeekBlob(*blob);
  ASSERT_TRUE(peeked);
  EXPECT_EQ(peeked->key_id, header.key_id);
  EXPECT_EQ(peeked->version, 3u);
  EXPECT_EQ(OpenBlob(*blob, material, {{"purpose", "test"}}), "secret");
  EXPECT_FALSE(OpenBlob(*blob, material, {}));
  EXPECT_FALSE(OpenBlob(*blob, material, {{"purpose", "other"}}));
  std::string relabeled = *blob;
  relabeled[43] = 4;  // the version byte is authenticated too
  EXPECT_FALSE(OpenBlob(relabeled, material, {{"purpose", "test"}}));
  EXPECT_FALSE(PeekBlob("not a blob"));
}

TEST(MasterKeyTest, CreatesAPrivateFileOnceAndReadsItBack) {
  std::string pattern = (std::filesystem::temp_directory_path() / "cf_kms_XXXXXX").string();
  std::string dir = mkdtemp(pattern.data());
  auto first = LoadOrCreateMasterKey(dir);
  ASSERT_OK(first);
  EXPECT_EQ(first->size(), 32u);
  struct stat st;
  ASSERT_EQ(::stat(MasterKeyPath(dir).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto second = LoadOrCreateMasterKey(dir);
  ASSERT_OK(second);
  EXPECT_EQ(*first, *second);
  ::chmod(MasterKeyPath(dir).c_str(), 0644);
  EXPECT_FALSE(LoadOrCreateMasterKey(dir).ok());
  std::filesystem::remove_all(dir);
}

TEST_F(KmsServiceTest, CreateKeyDescribesASymmetricKeyWithTheDefaultPolicy) {
  Json meta =
      Ok("CreateKey", {{"Description", "state bucket key"},
                       {"Tags", {{{"TagKey", "team"}, {"TagValue", "infra"}}}}})["KeyMetadata"];
  std::string id = meta["KeyId"];
  EXPECT_EQ(meta["Arn"], "arn:aws:kms:us-east-1:000000000000:key/" + id);
  EXPECT_EQ(meta["KeyState"], "Enabled");
  EXPECT_EQ(meta["Enabled"], true);
  EXPECT_EQ(meta["KeySpec"], "SYMMETRIC_DEFAULT");
  EXPECT_EQ(meta["KeyUsage"], "ENCRYPT_DECRYPT");
  EXPECT_EQ(meta["KeyManager"], "CUSTOMER");
  EXPECT_EQ(meta["Description"], "state bucket key");
  EXPECT_FALSE(meta.contains("_versions"));
  Json described = Ok("DescribeKey", {{"KeyId", meta["Arn"]}})["KeyMetadata"];
  EXPECT_EQ(described["KeyId"], id);
  Json policy = Json::parse(
      Ok("GetKeyPolicy", {{"KeyId", id}, {"PolicyName", "default"}})["Policy"].get<std::string>());
  EXPECT_EQ(policy["Statement"][0]["Principal"]["AWS"], "arn:aws:iam::000000000000:root");
  EXPECT_EQ(policy["Statement"][0]["Action"], "kms:*");
  EXPECT_EQ(Ok("ListResourceTags", {{"KeyId", id}})["Tags"][0]["TagValue"], "infra");
  EXPECT_EQ(Ok("ListKeyPolicies", {{"KeyId", id}})["PolicyNames"], Json({"default"}));
}

TEST_F(KmsServiceTest, CreateKeyRefusesOtherSpecsAndUsages) {
  EXPECT_EQ(ErrorCode("CreateKey", {{"KeySpec", "RSA_2048"}}), "UnsupportedOperationException");
  EXPECT_EQ(ErrorCode("CreateKey", {{"KeyUsage", "SIGN_VERIFY"}}), "ValidationException");
  EXPECT_EQ(ErrorCode("CreateKey", {{"Policy", "not json"}}), "MalformedPolicyDocumentException");
  EXPECT_EQ(ErrorCode("CreateKey", {{"Tags", {{{"TagKey", "aws:x"}, {"TagValue", "y"}}}}}),
            "TagException");
}

TEST_F(KmsServiceTest, UnknownKeysAreNotFound) {
  ServiceResult r = Call("DescribeKey", {{"KeyId", "11111111-2222-3333-4444-555555555555"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "NotFoundException");
  EXPECT_EQ(r.error().message,
            "Key 'arn:aws:kms:us-east-1:000000000000:key/11111111-2222-3333-4444-555555555555' "
            "does not exist");
  ServiceResult alias = Call("DescribeKey", {{"KeyId", "alias/nope"}});
  ASSERT_FALSE(alias.ok());
  EXPECT_EQ(alias.error().message,
            "Alias arn:aws:kms:us-east-1:000000000000:alias/nope is not found.");
  EXPECT_EQ(ErrorCode("DescribeKey", {{"KeyId", "garbage"}}), "NotFoundException");
  // A key of one region is not visible from another.
  std::string id = NewKey();
  EXPECT_FALSE(Call("DescribeKey", {{"KeyId", id}}, "eu-west-1").ok());
}

TEST_F(KmsServiceTest, AliasesResolveAndFollowUpdates) {
  std::string a = NewKey();
  std::string b = NewKey();
  Ok("CreateAlias", {{"AliasName", "alias/state"}, {"TargetKeyId", a}});
  EXPECT_EQ(Ok("DescribeKey", {{"KeyId", "alias/state"}})["KeyMetadata"]["KeyId"], a);
  EXPECT_EQ(
      Ok("DescribeKey",
         {{"KeyId", "arn:aws:kms:us-east-1:000000000000:alias/state"}})["KeyMetadata"]["KeyId"],
      a);
  EXPECT_EQ(ErrorCode("CreateAlias", {{"AliasName", "alias/state"}, {"TargetKeyId", b}}),
            "AlreadyExistsException");
  EXPECT_EQ(ErrorCode("CreateAlias", {{"AliasName", "state"}, {"TargetKeyId", b}}),
            "ValidationException");
  EXPECT_EQ(ErrorCode("CreateAlias", {{"AliasName", "alias/aws/mine"}, {"TargetKeyId", b}}),
            "NotAuthorizedException");
  EXPECT_EQ(ErrorCode("CreateAlias", {{"AliasName", "alias/"}, {"TargetKeyId", b}}),
            "InvalidAliasNameException");
  Ok("UpdateAlias", {{"AliasName", "alias/state"}, {"TargetKeyId", b}});
  EXPECT_EQ(Ok("DescribeKey", {{"KeyId", "alias/state"}})["KeyMetadata"]["KeyId"], b);
  Json listed = Ok("ListAliases", {{"KeyId", b}})["Aliases"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["AliasArn"], "arn:aws:kms:us-east-1:000000000000:alias/state");
  EXPECT_TRUE(Ok("ListAliases", {{"KeyId", a}})["Aliases"].empty());
  Ok("DeleteAlias", {{"AliasName", "alias/state"}});
  EXPECT_EQ(ErrorCode("DescribeKey", {{"KeyId", "alias/state"}}), "NotFoundException");
  EXPECT_EQ(ErrorCode("DeleteAlias", {{"AliasName", "alias/state"}}), "NotFoundException");
}

TEST_F(KmsServiceTest, ListKeysPagesWithMarkers) {
  std::set<std::string> created;
  for (int i = 0; i < 5; ++i) {
    created.insert(NewKey());
  }
  std::set<std::string> seen;
  Json page = Ok("ListKeys", {{"Limit", 2}});
  int pages = 1;
  for (const Json& k : page["Keys"]) {
    seen.insert(k["KeyId"].get<std::string>());
  }
  while (page["Truncated"] == true) {
    page = Ok("ListKeys", {{"Limit", 2}, {"Marker", page["NextMarker"]}});
    ++pages;
    for (const Json& k : page["Keys"]) {
      seen.insert(k["KeyId"].get<std::string>());
    }
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, created);
  EXPECT_EQ(ErrorCode("ListKeys", {{"Marker", "zzz"}}), "InvalidMarkerException");
}

TEST_F(KmsServiceTest, EncryptDecryptRoundTripsWithContextAndWithoutKeyId) {
  std::string key = NewKey();
  std::string blob = Encrypt(key, "hunter2", {{"cluster", "poc"}});
  EXPECT_EQ(blob.find("hunter2"), std::string::npos);
  Json out = Ok("Decrypt", {{"CiphertextBlob", blob}, {"EncryptionContext", {{"cluster", "poc"}}}});
  EXPECT_EQ(out["Plaintext"], "hunter2");
  EXPECT_EQ(out["KeyId"], "arn:aws:kms:us-east-1:000000000000:key/" + key);
  EXPECT_EQ(out["EncryptionAlgorithm"], "SYMMETRIC_DEFAULT");
  EXPECT_EQ(ErrorCode("Decrypt", {{"CiphertextBlob", blob}}), "InvalidCiphertextException");
  EXPECT_EQ(ErrorCode("Decrypt",
                      {{"CiphertextBlob", blob}, {"EncryptionContext", {{"cluster", "prod"}}}}),
            "InvalidCiphertextException");
  std::string tampered = blob;
  tampered[tampered.size() - 1] ^= 0x40;
  EXPECT_EQ(ErrorCode("Decrypt",
                      {{"CiphertextBlob", tampered}, {"EncryptionContext", {{"cluster", "poc"}}}}),
            "InvalidCiphertextException");
  EXPECT_EQ(ErrorCode("Decrypt", {{"CiphertextBlob", "garbage"}}), "InvalidCiphertextException");
}

TEST_F(KmsServiceTest, CiphertextOfOneKeyNeverDecryptsUnderAnother) {
  std::string a = NewKey();
  std::string b = NewKey();
  std::string blob = Encrypt(a, "payload");
  EXPECT_EQ(ErrorCode("Decrypt", {{"CiphertextBlob", blob}, {"KeyId", b}}),
            "IncorrectKeyException");
  // Relabeling the blob with the other key's id fails authentication.
  std::string relabeled = blob;
  relabeled.replace(4, 36, b);
  EXPECT_EQ(ErrorCode("Decrypt", {{"CiphertextBlob", relabeled}}), "InvalidCiphertextException");
  EXPECT_EQ(Ok("Decrypt", {{"CiphertextBlob", blob}, {"KeyId", a}})["Plaintext"], "payload");
}

TEST_F(KmsServiceTest, ReEncryptMovesCiphertextToAnotherKeyAndContext) {
  std::string a = NewKey();
  std::string b = NewKey();
  std::string blob = Encrypt(a, "move me", {{"k", "1"}});
  Json out = Ok("ReEncrypt", {{"CiphertextBlob", blob},
                              {"SourceEncryptionContext", {{"k", "1"}}},
                              {"DestinationKeyId", b},
                              {"DestinationEncryptionContext", {{"k", "2"}}}});
  EXPECT_EQ(out["SourceKeyId"], "arn:aws:kms:us-east-1:000000000000:key/" + a);
  EXPECT_EQ(out["KeyId"], "arn:aws:kms:us-east-1:000000000000:key/" + b);
  EXPECT_EQ(ErrorCode("Decrypt", {{"CiphertextBlob", out["CiphertextBlob"]}, {"KeyId", a}}),
            "IncorrectKeyException");
  EXPECT_EQ(Ok("Decrypt", {{"CiphertextBlob", out["CiphertextBlob"]},
                           {"EncryptionContext", {{"k", "2"}}}})["Plaintext"],
            "move me");
  EXPECT_EQ(ErrorCode("ReEncrypt",
                      {{"CiphertextBlob", blob}, {"SourceKeyId", b}, {"DestinationKeyId", b}}),
            "IncorrectKeyException");
}

TEST_F(KmsServiceTest, GenerateDataKeyGivesAKeyItsCiphertextDecryptsTo) {
  std::string key = NewKey();
  Json out = Ok("GenerateDataKey", {{"KeyId", key}, {"KeySpec", "AES_256"}});
  std::string plaintext = out["Plaintext"];
  EXPECT_EQ(plaintext.size(), 32u);
  EXPECT_EQ(Ok("Decrypt", {{"CiphertextBlob", out["CiphertextBlob"]}})["Plaintext"], plaintext);
  EXPECT_EQ(Ok("GenerateDataKey", {{"KeyId", key}, {"KeySpec", "AES_128"}})["Plaintext"]
                .get<std::string>()
                .size(),
            16u);
  EXPECT_EQ(Ok("GenerateDataKey", {{"KeyId", key}, {"NumberOfBytes", 64}})["Plaintext"]
                .get<std::string>()
                .size(),
            64u);
  Json without = Ok("GenerateDataKeyWithoutPlaintext", {{"KeyId", key}, {"KeySpec", "AES_256"}});
  EXPECT_FALSE(without.contains("Plaintext"));
  EXPECT_EQ(Ok("Decrypt", {{"CiphertextBlob", without["CiphertextBlob"]}})["Plaintext"]
                .get<std::string>()
                .size(),
            32u);
  EXPECT_EQ(ErrorCode("GenerateDataKey", {{"KeyId", key}}), "ValidationException");
  EXPECT_EQ(
      ErrorCode("GenerateDataKey", {{"KeyId", key}, {"KeySpec", "AES_256"}, {"NumberOfBytes", 32}}),
      "ValidationException");
  std::string r1 = Ok("GenerateRandom", {{"NumberOfBytes", 48}})["Plaintext"];
  std::string r2 = Ok("GenerateRandom", {{"NumberOfBytes", 48}})["Plaintext"];
  EXPECT_EQ(r1.size(), 48u);
  EXPECT_NE(r1, r2);
}

TEST_F(KmsServiceTest, DisabledKeysRefuseCryptographyUntilEnabled) {
  std::string key = NewKey();
  std::string blob = Encrypt(key, "x");
  Ok("DisableKey", {{"KeyId", key}});
  EXPECT_EQ(Ok("DescribeKey", {{"KeyId", key}})["KeyMetadata"]["KeyState"], "Disabled");
  ServiceResult r = Call("Encrypt", {{"KeyId", key}, {"Plaintext", "x"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "DisabledException");
  EXPECT_EQ(r.error().message, "arn:aws:kms:us-east-1:000000000000:key/" + key + " is disabled.");
  EXPECT_EQ(ErrorCode("Decrypt", {{"CiphertextBlob", blob}}), "DisabledException");
  EXPECT_EQ(ErrorCode("GenerateDataKey", {{"KeyId", key}, {"KeySpec", "AES_256"}}),
            "DisabledException");
  Ok("EnableKey", {{"KeyId", key}});
  EXPECT_EQ(Ok("Decrypt", {{"CiphertextBlob", blob}})["Plaintext"], "x");
}

TEST_F(KmsServiceTest, ScheduledDeletionBlocksUseCancelDisablesAndTheWindowDeletes) {
  std::string key = NewKey();
  Ok("CreateAlias", {{"AliasName", "alias/doomed"}, {"TargetKeyId", key}});
  EXPECT_EQ(ErrorCode("ScheduleKeyDeletion", {{"KeyId", key}, {"PendingWindowInDays", 6}}),
            "ValidationException");
  EXPECT_EQ(ErrorCode("ScheduleKeyDeletion", {{"KeyId", key}, {"PendingWindowInDays", 31}}),
            "ValidationException");
  Json scheduled = Ok("ScheduleKeyDeletion", {{"KeyId", key}});
  EXPECT_EQ(scheduled["PendingWindowInDays"], 30);
  EXPECT_EQ(scheduled["KeyState"], "PendingDeletion");
  int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  EXPECT_EQ(scheduled["DeletionDate"], now + 30 * 86400);
  EXPECT_EQ(ErrorCode("Encrypt", {{"KeyId", key}, {"Plaintext", "x"}}), "KMSInvalidStateException");
  EXPECT_EQ(ErrorCode("EnableKey", {{"KeyId", key}}), "KMSInvalidStateException");
  Ok("CancelKeyDeletion", {{"KeyId", key}});
  Json meta = Ok("DescribeKey", {{"KeyId", key}})["KeyMetadata"];
  EXPECT_EQ(meta["KeyState"], "Disabled");
  EXPECT_FALSE(meta.contains("DeletionDate"));
  EXPECT_EQ(ErrorCode("CancelKeyDeletion", {{"KeyId", key}}), "KMSInvalidStateException");

  Ok("ScheduleKeyDeletion", {{"KeyId", key}, {"PendingWindowInDays", 7}});
  clock_.Advance(6 * kDay);
  EXPECT_EQ(Ok("DescribeKey", {{"KeyId", key}})["KeyMetadata"]["KeyState"], "PendingDeletion");
  clock_.Advance(kDay);
  EXPECT_EQ(ErrorCode("DescribeKey", {{"KeyId", key}}), "NotFoundException");
  EXPECT_EQ(ErrorCode("DescribeKey", {{"KeyId", "alias/doomed"}}), "NotFoundException");
  EXPECT_TRUE(Ok("ListKeys", Json::object())["Keys"].empty());
  EXPECT_TRUE(Ok("ListAliases", Json::object())["Aliases"].empty());
}

TEST_F(KmsServiceTest, RotationOnScheduleAddsAVersionAndOldCiphertextStillDecrypts) {
  std::string key = NewKey();
  EXPECT_EQ(Ok("GetKeyRotationStatus", {{"KeyId", key}})["KeyRotationEnabled"], false);
  EXPECT_EQ(ErrorCode("EnableKeyRotation", {{"KeyId", key}, {"RotationPeriodInDays", 89}}),
            "ValidationException");
  EXPECT_EQ(ErrorCode("EnableKeyRotation", {{"KeyId", key}, {"RotationPeriodInDays", 2561}}),
            "ValidationException");
  Ok("EnableKeyRotation", {{"KeyId", key}, {"RotationPeriodInDays", 90}});
  EXPECT_EQ(Ok("GetKeyRotationStatus", {{"KeyId", key}})["KeyRotationEnabled"], true);
  std::string before = Encrypt(key, "old");
  EXPECT_EQ(PeekBlob(before)->version, 0u);
  clock_.Advance(89 * kDay);
  EXPECT_EQ(PeekBlob(Encrypt(key, "still old"))->version, 0u);
  clock_.Advance(kDay);
  std::string after = Encrypt(key, "new");
  EXPECT_EQ(PeekBlob(after)->version, 1u);
  EXPECT_EQ(Ok("Decrypt", {{"CiphertextBlob", before}})["Plaintext"], "old");
  EXPECT_EQ(Ok("Decrypt", {{"CiphertextBlob", after}})["Plaintext"], "new");
  // The next rotation is a period after the last one.
  clock_.Advance(90 * kDay);
  EXPECT_EQ(PeekBlob(Encrypt(key, "newer"))->version, 2u);
  Ok("DisableKeyRotation", {{"KeyId", key}});
  clock_.Advance(400 * kDay);
  EXPECT_EQ(PeekBlob(Encrypt(key, "same"))->version, 2u);
}

TEST_F(KmsServiceTest, DefaultRotationPeriodIsAYear) {
  std::string key = NewKey();
  Ok("EnableKeyRotation", {{"KeyId", key}});
  clock_.Advance(364 * kDay);
  EXPECT_EQ(PeekBlob(Encrypt(key, "x"))->version, 0u);
  clock_.Advance(kDay);
  EXPECT_EQ(PeekBlob(Encrypt(key, "x"))->version, 1u);
}

TEST_F(KmsServiceTest, GrantsAreRecordedListedRetiredAndRevoked) {
  std::string key = NewKey();
  Json g1 = Ok("CreateGrant", {{"KeyId", key},
                               {"GranteePrincipal", "arn:aws:iam::000000000000:role/app"},
                               {"RetiringPrincipal", "arn:aws:iam::000000000000:role/ops"},
                               {"Operations", {"Decrypt", "Encrypt"}},
                               {"Name", "app"}});
  EXPECT_EQ(g1["GrantId"].get<std::string>().size(), 64u);
  Json again = Ok("CreateGrant", {{"KeyId", key},
                                  {"GranteePrincipal", "arn:aws:iam::000000000000:role/app"},
                                  {"Operations", {"Decrypt", "Encrypt"}},
                                  {"Name", "app"}});
  EXPECT_EQ(again["GrantId"], g1["GrantId"]);
  Json g2 = Ok("CreateGrant", {{"KeyId", key},
                               {"GranteePrincipal", "arn:aws:iam::000000000000:role/batch"},
                               {"Operations", {"GenerateDataKey"}}});
  Json listed = Ok("ListGrants", {{"KeyId", key}})["Grants"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_FALSE(listed[0].contains("_token"));
  EXPECT_EQ(Ok("ListRetirableGrants",
               {{"RetiringPrincipal", "arn:aws:iam::000000000000:role/ops"}})["Grants"]
                .size(),
            1u);
  Ok("RetireGrant", {{"GrantToken", g1["GrantToken"]}});
  EXPECT_EQ(ErrorCode("RetireGrant", {{"GrantToken", g1["GrantToken"]}}),
            "InvalidGrantTokenException");
  Ok("RevokeGrant", {{"KeyId", key}, {"GrantId", g2["GrantId"]}});
  EXPECT_EQ(ErrorCode("RevokeGrant", {{"KeyId", key}, {"GrantId", g2["GrantId"]}}),
            "NotFoundException");
  EXPECT_TRUE(Ok("ListGrants", {{"KeyId", key}})["Grants"].empty());
}

TEST_F(KmsServiceTest, PoliciesAndTagsChange) {
  std::string key = NewKey();
  std::string policy = R"({"Version":"2012-10-17","Statement":[]})";
  Ok("PutKeyPolicy", {{"KeyId", key}, {"PolicyName", "default"}, {"Policy", policy}});
  EXPECT_EQ(Ok("GetKeyPolicy", {{"KeyId", key}, {"PolicyName", "default"}})["Policy"], policy);
  EXPECT_EQ(
      ErrorCode("PutKeyPolicy", {{"KeyId", key}, {"PolicyName", "default"}, {"Policy", "{nope"}}),
      "MalformedPolicyDocumentException");
  Ok("TagResource",
     {{"KeyId", key},
      {"Tags", {{{"TagKey", "a"}, {"TagValue", "1"}}, {{"TagKey", "b"}, {"TagValue", "2"}}}}});
  Ok("TagResource", {{"KeyId", key}, {"Tags", {{{"TagKey", "a"}, {"TagValue", "3"}}}}});
  Ok("UntagResource", {{"KeyId", key}, {"TagKeys", {"b"}}});
  Json tags = Ok("ListResourceTags", {{"KeyId", key}})["Tags"];
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0]["TagKey"], "a");
  EXPECT_EQ(tags[0]["TagValue"], "3");
}

TEST_F(KmsServiceTest, ManagedKeyIsCreatedOnFirstUseOfItsAlias) {
  CallTxn txn(*store_);
  KeyScope scope{"000000000000", "us-east-1"};
  auto arn = service_.ResolveKeyArn(txn, scope, "alias/aws/secretsmanager");
  ASSERT_TRUE(arn.ok());
  auto again = service_.ResolveKeyArn(txn, scope, "alias/aws/secretsmanager");
  EXPECT_EQ(*again, *arn);
  auto blob = service_.Encrypt(txn, scope, "alias/aws/secretsmanager", "v", {{"a", "b"}});
  ASSERT_TRUE(blob.ok());
  auto plain = service_.Decrypt(txn, scope, *blob, {{"a", "b"}});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->plaintext, "v");
  EXPECT_EQ(plain->key_arn, *arn);
  auto unknown = service_.ResolveKeyArn(txn, scope, "alias/aws/not-a-service");
  EXPECT_FALSE(unknown.ok());
  ASSERT_OK(txn.Commit());
  Json meta = Ok("DescribeKey", {{"KeyId", "alias/aws/secretsmanager"}})["KeyMetadata"];
  EXPECT_EQ(meta["KeyManager"], "AWS");
  EXPECT_EQ(
      Ok("GetKeyRotationStatus", {{"KeyId", "alias/aws/secretsmanager"}})["KeyRotationEnabled"],
      true);
  EXPECT_EQ(ErrorCode("ScheduleKeyDeletion", {{"KeyId", "alias/aws/secretsmanager"}}),
            "KMSInvalidStateException");
}

TEST_F(KmsServiceTest, IllTypedInputIsAnErrorNotACrash) {
  std::string key = NewKey();
  EXPECT_EQ(ErrorCode("TagResource", {{"KeyId", key}, {"Tags", "not a list"}}),
            "ValidationException");
  EXPECT_EQ(ErrorCode("CreateKey", {{"Tags", {1, 2}}}), "ValidationException");
  EXPECT_EQ(ErrorCode("DescribeKey", {{"KeyId", 5}}), "NotFoundException");
}

TEST_F(KmsServiceTest, EveryOperationAnswersOddInputWithAnError) {
  std::string key = NewKey();
  const char* const kOperations[] = {"CreateKey",
                                     "DescribeKey",
                                     "ListKeys",
                                     "UpdateKeyDescription",
                                     "CreateAlias",
                                     "UpdateAlias",
                                     "DeleteAlias",
                                     "ListAliases",
                                     "GetKeyPolicy",
                                     "PutKeyPolicy",
                                     "ListKeyPolicies",
                                     "EnableKeyRotation",
                                     "DisableKeyRotation",
                                     "GetKeyRotationStatus",
                                     "EnableKey",
                                     "DisableKey",
                                     "Encrypt",
                                     "Decrypt",
                                     "GenerateDataKey",
                                     "GenerateDataKeyWithoutPlaintext",
                                     "ReEncrypt",
                                     "GenerateRandom",
                                     "CreateGrant",
                                     "ListGrants",
                                     "ListRetirableGrants",
                                     "RetireGrant",
                                     "RevokeGrant",
                                     "ScheduleKeyDeletion",
                                     "CancelKeyDeletion",
                                     "TagResource",
                                     "UntagResource",
                                     "ListResourceTags"};
  const Json kInputs[] = {
      Json(),
      Json::array(),
      Json::object(),
      {{"KeyId", key}, {"Tags", {{{"TagKey", 1}}}}, {"Marker", "x"}, {"Limit", -1}},
      {{"KeyId", {1}}, {"AliasName", 2}, {"Plaintext", Json()}, {"CiphertextBlob", 3}},
      {{"KeyId", "alias/aws/secretsmanager"}, {"TargetKeyId", key}, {"GrantToken", ""}},
      {{"KeyId", key}, {"Operations", "Decrypt"}, {"Constraints", 5}, {"TagKeys", "k"}}};
  for (const char* operation : kOperations) {
    ASSERT_TRUE(service_.HasOperation(operation)) << operation;
    for (const Json& input : kInputs) {
      ServiceResult r = Call(operation, input);
      if (!r.ok()) {
        EXPECT_FALSE(r.error().code.empty()) << operation << " " << input.dump();
      }
    }
  }
  EXPECT_FALSE(service_.HasOperation("Sign"));
}

TEST_F(KmsServiceTest, KeyMaterialIsNotStoredInTheClear) {
  std::string key = NewKey();
  auto doc = store_->Get("kms/keys", "000000000000/us-east-1/" + key);
  ASSERT_OK(doc);
  ASSERT_TRUE(*doc);
  std::string wrapped = (**doc)["_versions"][0]["material"];
  // IV, the 32 bytes sealed, and the tag: the material is stored wrapped.
  EXPECT_EQ(Base64Decode(wrapped)->size(), kGcmIvBytes + kAes256KeyBytes + kGcmTagBytes);
  // Another master key cannot open the stored material, so no ciphertext decrypts.
  KmsService other(Context(), std::string(32, 'z'));
  std::string blob = Encrypt(key, "x");
  ServiceCall call;
  call.operation = "Decrypt";
  call.input = {{"CiphertextBlob", blob}};
  call.region = "us-east-1";
  call.account_id = "000000000000";
  ServiceResult r = other.Handle(call);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "KMSInternalException");
}

}  // namespace
}  // namespace cf::cloud::kms
