#include "cloud/iam/iam_service.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <regex>

#include "cloud/iam/iam_store.h"
#include "cloud/iam/policy_document.h"
#include "testing/service_harness.h"
#include "testing/status_matchers.h"

namespace cf::cloud::iam {
namespace {

const char kTrust[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":)"
    R"("ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
const char kPolicy[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],)"
    R"("Resource":"arn:aws:s3:::bucket/*"}]})";
const char kSsm[] = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

// A policy document of about `size` characters (not counting whitespace).
std::string PolicyOfSize(size_t size) {
  std::string actions;
  while (actions.size() + 80 < size) {
    actions += fmt::format("\"s3:GetObject{}\",", actions.size());
  }
  actions += "\"s3:ListBucket\"";
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[)" + actions +
         R"(],"Resource":"*"}]})";
}

class IamServiceTest : public testing::ServiceTest {
 protected:
  IamServiceTest() : service_(Context()) { Serve(service_); }

  // "Code HTTP: message" of a failing call, or "ok".
  std::string Err(const std::string& operation, const Json& input) {
    ServiceResult r = Call(operation, input);
    if (r.ok()) {
      return "ok";
    }
    return fmt::format("{} {}: {}", r.error().code, r.error().http_status, r.error().message);
  }

  std::string Code(const std::string& operation, const Json& input) {
    ServiceResult r = Call(operation, input);
    return r.ok() ? "ok" : r.error().code;
  }

  Json Role(const std::string& name, const std::string& path = "/") {
    return Ok("CreateRole",
              {{"RoleName", name}, {"Path", path}, {"AssumeRolePolicyDocument", kTrust}})["Role"];
  }

  std::string Policy(const std::string& name) {
    return Ok("CreatePolicy", {{"PolicyName", name}, {"PolicyDocument", kPolicy}})["Policy"]["Arn"];
  }

  IamService service_;
};

TEST_F(IamServiceTest, CreateRoleGivesAwsShapedIdsArnAndEncodedTrustPolicy) {
  Json role = Ok("CreateRole", {{"RoleName", "weka-backend"},
                                {"Path", "/weka/"},
                                {"Description", "backends"},
                                {"MaxSessionDuration", 7200},
                                {"AssumeRolePolicyDocument", kTrust},
                                {"Tags", {{{"Key", "team"}, {"Value", "storage"}}}}})["Role"];
  EXPECT_TRUE(std::regex_match(role["RoleId"].get<std::string>(), std::regex("AROA[0-9A-Z]{17}")))
      << role["RoleId"];
  EXPECT_EQ(role["Arn"], "arn:aws:iam::000000000000:role/weka/weka-backend");
  EXPECT_EQ(role["Path"], "/weka/");
  EXPECT_EQ(role["MaxSessionDuration"], 7200);
  EXPECT_EQ(role["Description"], "backends");
  EXPECT_EQ(role["AssumeRolePolicyDocument"], UrlEncodeDocument(kTrust));
  EXPECT_EQ(role["Tags"][0]["Value"], "storage");
  EXPECT_EQ(
      role["CreateDate"].get<int64_t>(),
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count());

  Json got = Ok("GetRole", {{"RoleName", "WEKA-BACKEND"}})["Role"];
  EXPECT_EQ(got["RoleId"], role["RoleId"]);
  EXPECT_EQ(got["RoleName"], "weka-backend");

  auto stored = store_->Get(kRoleNamespace, "000000000000/weka-backend");
  ASSERT_OK(stored);
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((**stored)["AssumeRolePolicyDocument"], kTrust);
}

TEST_F(IamServiceTest, OpenIdConnectProvidersKeepClientIdsThumbprintsAndTags) {
  const std::string thumb(40, 'a');
  Json created =
      Ok("CreateOpenIDConnectProvider", {{"Url", "https://oidc.eks.us-east-1.amazonaws.com/id/ABC"},
                                         {"ClientIDList", {"sts.amazonaws.com"}},
                                         {"ThumbprintList", {thumb}},
                                         {"Tags", {{{"Key", "team"}, {"Value", "ml"}}}}});
  const std::string arn = created["OpenIDConnectProviderArn"];
  EXPECT_EQ(arn, "arn:aws:iam::000000000000:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC");
  EXPECT_EQ(ErrorCode("CreateOpenIDConnectProvider",
                      {{"Url", "https://oidc.eks.us-east-1.amazonaws.com/id/ABC"},
                       {"ThumbprintList", {thumb}}}),
            "EntityAlreadyExists");
  EXPECT_EQ(ErrorCode("CreateOpenIDConnectProvider",
                      {{"Url", "https://other.example"}, {"ThumbprintList", {"xyz"}}}),
            "InvalidInput");
  Ok("AddClientIDToOpenIDConnectProvider",
     {{"OpenIDConnectProviderArn", arn}, {"ClientID", "other"}});
  Ok("RemoveClientIDFromOpenIDConnectProvider",
     {{"OpenIDConnectProviderArn", arn}, {"ClientID", "sts.amazonaws.com"}});
  Json got = Ok("GetOpenIDConnectProvider", {{"OpenIDConnectProviderArn", arn}});
  EXPECT_EQ(got["ClientIDList"], Json::array({"other"}));
  EXPECT_EQ(got["ThumbprintList"], Json::array({thumb}));
  EXPECT_EQ(got["Tags"][0]["Key"], "team");
  Ok("DeleteOpenIDConnectProvider", {{"OpenIDConnectProviderArn", arn}});
  EXPECT_EQ(ErrorCode("GetOpenIDConnectProvider", {{"OpenIDConnectProviderArn", arn}}),
            "NoSuchEntity");
}

TEST_F(IamServiceTest, RoleErrorsUseIamCodes) {
  Role("app");
  EXPECT_EQ(Err("CreateRole", {{"RoleName", "APP"}, {"AssumeRolePolicyDocument", kTrust}}),
            "EntityAlreadyExists 409: Role with name APP already exists.");
  EXPECT_EQ(Err("GetRole", {{"RoleName", "ghost"}}),
            "NoSuchEntity 404: The role with name ghost cannot be found.");
  EXPECT_EQ(Code("CreateRole", {{"RoleName", "bad name"}, {"AssumeRolePolicyDocument", kTrust}}),
            "ValidationError");
  EXPECT_EQ(Code("CreateRole",
                 {{"RoleName", std::string(65, 'r')}, {"AssumeRolePolicyDocument", kTrust}}),
            "ValidationError");
  EXPECT_EQ(Code("CreateRole", {{"AssumeRolePolicyDocument", kTrust}}), "ValidationError");
  EXPECT_EQ(Code("CreateRole",
                 {{"RoleName", "p"}, {"Path", "nopath"}, {"AssumeRolePolicyDocument", kTrust}}),
            "ValidationError");
  EXPECT_EQ(
      Code("CreateRole",
           {{"RoleName", "m"}, {"MaxSessionDuration", 60}, {"AssumeRolePolicyDocument", kTrust}}),
      "ValidationError");
  EXPECT_EQ(Err("CreateRole", {{"RoleName", "r"}, {"AssumeRolePolicyDocument", kPolicy}}),
            "MalformedPolicyDocument 400: Has prohibited field Resource");
  EXPECT_EQ(Err("CreateRole", {{"RoleName", "r"}, {"AssumeRolePolicyDocument", "{"}}),
            "MalformedPolicyDocument 400: Syntax errors in policy.");
  std::string big_trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":[)";
  for (int i = 0; i < 60; ++i) {
    big_trust += fmt::format("\"arn:aws:iam::000000000000:role/role-{:03}\",", i);
  }
  big_trust += R"("*"]},"Action":"sts:AssumeRole"}]})";
  EXPECT_EQ(Err("CreateRole", {{"RoleName", "r"}, {"AssumeRolePolicyDocument", big_trust}}),
            "LimitExceeded 409: Cannot exceed quota for ACLSizePerRole: 2048");
  EXPECT_EQ(Code("CreateRole",
                 {{"RoleName", "t"},
                  {"AssumeRolePolicyDocument", kTrust},
                  {"Tags", {{{"Key", "a"}, {"Value", "1"}}, {{"Key", "A"}, {"Value", "2"}}}}}),
            "InvalidInput");
}

TEST_F(IamServiceTest, DeleteRoleConflictsWhilePoliciesOrProfilesRemain) {
  Role("app");
  Ok("AttachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", kSsm}});
  EXPECT_EQ(Err("DeleteRole", {{"RoleName", "app"}}),
            "DeleteConflict 409: Cannot delete entity, must detach all policies first.");
  Ok("DetachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", kSsm}});

  Ok("PutRolePolicy", {{"RoleName", "app"}, {"PolicyName", "read"}, {"PolicyDocument", kPolicy}});
  EXPECT_EQ(Err("DeleteRole", {{"RoleName", "app"}}),
            "DeleteConflict 409: Cannot delete entity, must delete policies first.");
  Ok("DeleteRolePolicy", {{"RoleName", "app"}, {"PolicyName", "read"}});

  Ok("CreateInstanceProfile", {{"InstanceProfileName", "app-profile"}});
  Ok("AddRoleToInstanceProfile", {{"InstanceProfileName", "app-profile"}, {"RoleName", "app"}});
  EXPECT_EQ(
      Err("DeleteRole", {{"RoleName", "app"}}),
      "DeleteConflict 409: Cannot delete entity, must remove roles from instance profile first.");
  Ok("RemoveRoleFromInstanceProfile",
     {{"InstanceProfileName", "app-profile"}, {"RoleName", "app"}});

  Ok("DeleteRole", {{"RoleName", "app"}});
  EXPECT_EQ(Code("GetRole", {{"RoleName", "app"}}), "NoSuchEntity");
  EXPECT_EQ(Code("DeleteRole", {{"RoleName", "app"}}), "NoSuchEntity");
}

TEST_F(IamServiceTest, ListRolesFiltersByPathAndPaginatesWithMarker) {
  for (const char* name : {"d", "a", "c", "b", "e"}) {
    Role(name, "/team/");
  }
  Role("other", "/else/");
  Json page1 = Ok("ListRoles", {{"PathPrefix", "/team/"}, {"MaxItems", 2}});
  ASSERT_EQ(page1["Roles"].size(), 2u);
  EXPECT_EQ(page1["Roles"][0]["RoleName"], "a");
  EXPECT_EQ(page1["Roles"][1]["RoleName"], "b");
  EXPECT_EQ(page1["IsTruncated"], true);
  Json page2 =
      Ok("ListRoles", {{"PathPrefix", "/team/"}, {"MaxItems", 2}, {"Marker", page1["Marker"]}});
  EXPECT_EQ(page2["Roles"][0]["RoleName"], "c");
  Json page3 =
      Ok("ListRoles", {{"PathPrefix", "/team/"}, {"MaxItems", 2}, {"Marker", page2["Marker"]}});
  ASSERT_EQ(page3["Roles"].size(), 1u);
  EXPECT_EQ(page3["Roles"][0]["RoleName"], "e");
  EXPECT_EQ(page3["IsTruncated"], false);
  EXPECT_FALSE(page3.contains("Marker"));
  EXPECT_EQ(Ok("ListRoles", Json::object())["Roles"].size(), 6u);
  EXPECT_EQ(Code("ListRoles", {{"MaxItems", 0}}), "ValidationError");
  EXPECT_EQ(Code("ListRoles", {{"Marker", "%%%"}}), "InvalidInput");
}

TEST_F(IamServiceTest, UpdateRoleAndTrustPolicyAndTags) {
  Role("app");
  Ok("UpdateRole", {{"RoleName", "app"}, {"Description", "new"}, {"MaxSessionDuration", 43200}});
  Json role = Ok("GetRole", {{"RoleName", "app"}})["Role"];
  EXPECT_EQ(role["Description"], "new");
  EXPECT_EQ(role["MaxSessionDuration"], 43200);
  EXPECT_EQ(Code("UpdateRole", {{"RoleName", "app"}, {"MaxSessionDuration", 50000}}),
            "ValidationError");

  std::string any = R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*",)"
                    R"("Action":"sts:AssumeRole"}})";
  Ok("UpdateAssumeRolePolicy", {{"RoleName", "app"}, {"PolicyDocument", any}});
  EXPECT_EQ(Ok("GetRole", {{"RoleName", "app"}})["Role"]["AssumeRolePolicyDocument"],
            UrlEncodeDocument(any));
  EXPECT_EQ(Code("UpdateAssumeRolePolicy", {{"RoleName", "app"}, {"PolicyDocument", kPolicy}}),
            "MalformedPolicyDocument");

  Ok("TagRole", {{"RoleName", "app"},
                 {"Tags", {{{"Key", "b"}, {"Value", "1"}}, {{"Key", "a"}, {"Value", "2"}}}}});
  Ok("TagRole", {{"RoleName", "app"}, {"Tags", {{{"Key", "B"}, {"Value", "3"}}}}});
  Json tags = Ok("ListRoleTags", {{"RoleName", "app"}})["Tags"];
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0], Json({{"Key", "a"}, {"Value", "2"}}));
  EXPECT_EQ(tags[1], Json({{"Key", "B"}, {"Value", "3"}}));
  Ok("UntagRole", {{"RoleName", "app"}, {"TagKeys", {"a"}}});
  EXPECT_EQ(Ok("ListRoleTags", {{"RoleName", "app"}})["Tags"].size(), 1u);

  Json many = Json::array();
  for (int i = 0; i < 50; ++i) {
    many.push_back({{"Key", fmt::format("k{}", i)}, {"Value", "v"}});
  }
  EXPECT_EQ(Err("TagRole", {{"RoleName", "app"}, {"Tags", many}}),
            "LimitExceeded 409: The number of tags has reached the maximum limit.");
}

TEST_F(IamServiceTest, InlinePoliciesAreValidatedStoredAndListed) {
  Role("app");
  Ok("PutRolePolicy", {{"RoleName", "app"}, {"PolicyName", "read"}, {"PolicyDocument", kPolicy}});
  Json got = Ok("GetRolePolicy", {{"RoleName", "app"}, {"PolicyName", "read"}});
  EXPECT_EQ(got["PolicyDocument"], UrlEncodeDocument(kPolicy));
  EXPECT_EQ(Ok("ListRolePolicies", {{"RoleName", "app"}})["PolicyNames"], Json({"read"}));
  EXPECT_EQ(Err("GetRolePolicy", {{"RoleName", "app"}, {"PolicyName", "nope"}}),
            "NoSuchEntity 404: The role policy with name nope cannot be found.");
  EXPECT_EQ(Code("PutRolePolicy",
                 {{"RoleName", "ghost"}, {"PolicyName", "read"}, {"PolicyDocument", kPolicy}}),
            "NoSuchEntity");
  EXPECT_EQ(
      Err("PutRolePolicy", {{"RoleName", "app"}, {"PolicyName", "p"}, {"PolicyDocument", kTrust}}),
      "MalformedPolicyDocument 400: Policy document should not specify a principal.");
  EXPECT_EQ(
      Err("PutRolePolicy",
          {{"RoleName", "app"}, {"PolicyName", "big"}, {"PolicyDocument", PolicyOfSize(10600)}}),
      "LimitExceeded 409: Maximum policy size of 10240 bytes exceeded for role app");
  // The quota is for all of a role's inline policies together.
  Ok("PutRolePolicy",
     {{"RoleName", "app"}, {"PolicyName", "half"}, {"PolicyDocument", PolicyOfSize(6000)}});
  EXPECT_EQ(Code("PutRolePolicy", {{"RoleName", "app"},
                                   {"PolicyName", "other-half"},
                                   {"PolicyDocument", PolicyOfSize(6000)}}),
            "LimitExceeded");
}

TEST_F(IamServiceTest, ManagedPoliciesHaveVersionsUpToFive) {
  Json created = Ok("CreatePolicy", {{"PolicyName", "read"},
                                     {"Path", "/app/"},
                                     {"Description", "read things"},
                                     {"PolicyDocument", kPolicy}})["Policy"];
  std::string arn = created["Arn"];
  EXPECT_EQ(arn, "arn:aws:iam::000000000000:policy/app/read");
  EXPECT_TRUE(
      std::regex_match(created["PolicyId"].get<std::string>(), std::regex("ANPA[0-9A-Z]{17}")));
  EXPECT_EQ(created["DefaultVersionId"], "v1");
  EXPECT_EQ(created["AttachmentCount"], 0);
  EXPECT_EQ(Err("CreatePolicy", {{"PolicyName", "READ"}, {"PolicyDocument", kPolicy}}),
            "EntityAlreadyExists 409: A policy called READ already exists. Duplicate names are "
            "not allowed.");

  Json v2 = Ok("CreatePolicyVersion",
               {{"PolicyArn", arn}, {"PolicyDocument", kPolicy}, {"SetAsDefault", true}});
  EXPECT_EQ(v2["PolicyVersion"]["VersionId"], "v2");
  EXPECT_EQ(v2["PolicyVersion"]["IsDefaultVersion"], true);
  EXPECT_EQ(Ok("GetPolicy", {{"PolicyArn", arn}})["Policy"]["DefaultVersionId"], "v2");
  for (int i = 3; i <= 5; ++i) {
    Ok("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", kPolicy}});
  }
  EXPECT_EQ(Err("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", kPolicy}}),
            "LimitExceeded 409: A managed policy can have up to 5 versions. Before you create a "
            "new version, you must delete an existing version.");

  Json versions = Ok("ListPolicyVersions", {{"PolicyArn", arn}})["Versions"];
  ASSERT_EQ(versions.size(), 5u);
  EXPECT_EQ(versions[0]["VersionId"], "v5");
  EXPECT_EQ(versions[3]["IsDefaultVersion"], true);
  EXPECT_FALSE(versions[0].contains("Document"));

  Json v1 = Ok("GetPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v1"}})["PolicyVersion"];
  EXPECT_EQ(v1["Document"], UrlEncodeDocument(kPolicy));
  EXPECT_EQ(v1["IsDefaultVersion"], false);
  EXPECT_EQ(Code("GetPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v9"}}), "NoSuchEntity");
  EXPECT_EQ(Code("GetPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "x1"}}), "ValidationError");

  EXPECT_EQ(Err("DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v2"}}),
            "DeleteConflict 409: Cannot delete the default version of the policy.");
  EXPECT_EQ(Code("DeletePolicy", {{"PolicyArn", arn}}), "DeleteConflict");
  Ok("SetDefaultPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v5"}});
  EXPECT_EQ(Code("SetDefaultPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v7"}}),
            "NoSuchEntity");
  for (const char* v : {"v1", "v2", "v3", "v4"}) {
    Ok("DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", v}});
  }
  // Version numbers keep counting after deletions.
  EXPECT_EQ(Ok("CreatePolicyVersion",
               {{"PolicyArn", arn}, {"PolicyDocument", kPolicy}})["PolicyVersion"]["VersionId"],
            "v6");
  Ok("DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v6"}});
  Ok("DeletePolicy", {{"PolicyArn", arn}});
  EXPECT_EQ(Err("GetPolicy", {{"PolicyArn", arn}}),
            "NoSuchEntity 404: Policy arn:aws:iam::000000000000:policy/app/read was not found.");
}

TEST_F(IamServiceTest, ManagedPolicyDocumentsAreCheckedAndSized) {
  EXPECT_EQ(Err("CreatePolicy", {{"PolicyName", "p"}, {"PolicyDocument", PolicyOfSize(6400)}}),
            "LimitExceeded 409: Cannot exceed quota for PolicySize: 6144");
  // Whitespace does not count.
  std::string spaced = PolicyOfSize(6000);
  spaced.insert(1, std::string(500, ' '));
  Ok("CreatePolicy", {{"PolicyName", "spaced"}, {"PolicyDocument", spaced}});
  EXPECT_EQ(Err("CreatePolicy",
                {{"PolicyName", "p"},
                 {"PolicyDocument", R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
                                      "Action":"s3:*"}})"}}),
            "MalformedPolicyDocument 400: Policy statement must contain resources.");
  EXPECT_EQ(Code("CreatePolicy", {{"PolicyName", "p"}, {"PolicyDocument", kTrust}}),
            "MalformedPolicyDocument");
  std::string arn = Policy("ok");
  EXPECT_EQ(Code("CreatePolicyVersion", {{"PolicyArn", arn}, {"PolicyDocument", "[]"}}),
            "MalformedPolicyDocument");
  EXPECT_EQ(Err("GetPolicy", {{"PolicyArn", "not-an-arn"}}),
            "InvalidInput 400: ARN not-an-arn is not valid.");
}

TEST_F(IamServiceTest, AwsManagedPoliciesExistAndCannotBeChanged) {
  for (const char* arn : {"arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM", kSsm,
                          "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
                          "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                          "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
                          "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
                          "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                          "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"}) {
    Json policy = Ok("GetPolicy", {{"PolicyArn", arn}})["Policy"];
    EXPECT_EQ(policy["Arn"], arn);
    Json version = Ok("GetPolicyVersion", {{"PolicyArn", arn}, {"VersionId", "v1"}});
    EXPECT_TRUE(version["PolicyVersion"]["IsDefaultVersion"].get<bool>()) << arn;
  }
  EXPECT_EQ(Code("DeletePolicy", {{"PolicyArn", kSsm}}), "AccessDenied");
  EXPECT_EQ(Code("CreatePolicyVersion", {{"PolicyArn", kSsm}, {"PolicyDocument", kPolicy}}),
            "AccessDenied");
  EXPECT_EQ(Code("GetPolicy", {{"PolicyArn", "arn:aws:iam::aws:policy/NoSuchPolicy"}}),
            "NoSuchEntity");
}

TEST_F(IamServiceTest, ListPoliciesByScopeAttachmentAndPath) {
  std::string local = Policy("local-read");
  Policy("local-unused");
  Role("app");
  Ok("AttachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", local}});
  Ok("AttachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", kSsm}});

  Json locals = Ok("ListPolicies", {{"Scope", "Local"}})["Policies"];
  ASSERT_EQ(locals.size(), 2u);
  EXPECT_EQ(locals[0]["PolicyName"], "local-read");
  EXPECT_EQ(locals[0]["AttachmentCount"], 1);
  Json attached = Ok("ListPolicies", {{"OnlyAttached", true}})["Policies"];
  ASSERT_EQ(attached.size(), 2u);
  EXPECT_EQ(attached[0]["PolicyName"], "AmazonSSMManagedInstanceCore");
  EXPECT_EQ(attached[1]["PolicyName"], "local-read");
  Json aws = Ok("ListPolicies", {{"Scope", "AWS"}, {"PathPrefix", "/service-role/"}})["Policies"];
  EXPECT_GE(aws.size(), 3u);
  for (const Json& p : aws) {
    EXPECT_EQ(p["Path"], "/service-role/");
  }
  size_t all = Ok("ListPolicies", {{"MaxItems", 1000}})["Policies"].size();
  EXPECT_EQ(all, Ok("ListPolicies", {{"Scope", "AWS"}, {"MaxItems", 1000}})["Policies"].size() + 2);
  Json page = Ok("ListPolicies", {{"MaxItems", 3}});
  EXPECT_EQ(page["Policies"].size(), 3u);
  EXPECT_EQ(page["IsTruncated"], true);
  EXPECT_EQ(Code("ListPolicies", {{"Scope", "Mine"}}), "ValidationError");

  EXPECT_EQ(Err("DeletePolicy", {{"PolicyArn", local}}),
            "DeleteConflict 409: Cannot delete a policy attached to entities.");
}

TEST_F(IamServiceTest, AttachmentsAreCheckedAndListed) {
  Role("app");
  std::string arn = Policy("read");
  Ok("AttachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", arn}});
  Ok("AttachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", arn}});  // no-op
  Ok("AttachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", kSsm}});
  Json listed = Ok("ListAttachedRolePolicies", {{"RoleName", "app"}})["AttachedPolicies"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0], Json({{"PolicyName", "AmazonSSMManagedInstanceCore"}, {"PolicyArn", kSsm}}));
  EXPECT_EQ(listed[1]["PolicyArn"], arn);
  EXPECT_EQ(Err("AttachRolePolicy",
                {{"RoleName", "app"}, {"PolicyArn", "arn:aws:iam::000000000000:policy/ghost"}}),
            "NoSuchEntity 404: Policy arn:aws:iam::000000000000:policy/ghost does not exist or is "
            "not attachable.");
  EXPECT_EQ(Code("AttachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", "arn:aws:s3:::x"}}),
            "InvalidInput");
  EXPECT_EQ(Code("AttachRolePolicy", {{"RoleName", "ghost"}, {"PolicyArn", arn}}), "NoSuchEntity");
  EXPECT_EQ(
      Code("DetachRolePolicy",
           {{"RoleName", "app"}, {"PolicyArn", "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"}}),
      "NoSuchEntity");
  for (int i = 0; i < 8; ++i) {
    Ok("AttachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", Policy(fmt::format("p{}", i))}});
  }
  EXPECT_EQ(Err("AttachRolePolicy", {{"RoleName", "app"}, {"PolicyArn", Policy("eleventh")}}),
            "LimitExceeded 409: Cannot exceed quota for PoliciesPerRole: 10");
}

TEST_F(IamServiceTest, InstanceProfilesHoldOneRole) {
  Role("app");
  Role("other");
  Json profile = Ok("CreateInstanceProfile", {{"InstanceProfileName", "app-profile"},
                                              {"Path", "/weka/"}})["InstanceProfile"];
  EXPECT_TRUE(std::regex_match(profile["InstanceProfileId"].get<std::string>(),
                               std::regex("AIPA[0-9A-Z]{17}")));
  EXPECT_EQ(profile["Arn"], "arn:aws:iam::000000000000:instance-profile/weka/app-profile");
  EXPECT_EQ(profile["Roles"], Json::array());
  EXPECT_EQ(Code("CreateInstanceProfile", {{"InstanceProfileName", "APP-PROFILE"}}),
            "EntityAlreadyExists");

  EXPECT_EQ(Code("AddRoleToInstanceProfile",
                 {{"InstanceProfileName", "app-profile"}, {"RoleName", "ghost"}}),
            "NoSuchEntity");
  Ok("AddRoleToInstanceProfile", {{"InstanceProfileName", "app-profile"}, {"RoleName", "app"}});
  EXPECT_EQ(Err("AddRoleToInstanceProfile",
                {{"InstanceProfileName", "app-profile"}, {"RoleName", "other"}}),
            "LimitExceeded 409: Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
  Json got = Ok("GetInstanceProfile", {{"InstanceProfileName", "app-profile"}})["InstanceProfile"];
  ASSERT_EQ(got["Roles"].size(), 1u);
  EXPECT_EQ(got["Roles"][0]["RoleName"], "app");
  EXPECT_EQ(got["Roles"][0]["Arn"], "arn:aws:iam::000000000000:role/app");

  Json for_role = Ok("ListInstanceProfilesForRole", {{"RoleName", "app"}})["InstanceProfiles"];
  ASSERT_EQ(for_role.size(), 1u);
  EXPECT_EQ(for_role[0]["InstanceProfileName"], "app-profile");
  EXPECT_EQ(Ok("ListInstanceProfilesForRole", {{"RoleName", "other"}})["InstanceProfiles"].size(),
            0u);
  EXPECT_EQ(Code("ListInstanceProfilesForRole", {{"RoleName", "ghost"}}), "NoSuchEntity");

  EXPECT_EQ(
      Err("DeleteInstanceProfile", {{"InstanceProfileName", "app-profile"}}),
      "DeleteConflict 409: Cannot delete entity, must remove roles from instance profile first.");
  EXPECT_EQ(Code("RemoveRoleFromInstanceProfile",
                 {{"InstanceProfileName", "app-profile"}, {"RoleName", "other"}}),
            "NoSuchEntity");
  Ok("RemoveRoleFromInstanceProfile",
     {{"InstanceProfileName", "app-profile"}, {"RoleName", "app"}});

  Ok("TagInstanceProfile",
     {{"InstanceProfileName", "app-profile"}, {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}});
  EXPECT_EQ(Ok("ListInstanceProfileTags", {{"InstanceProfileName", "app-profile"}})["Tags"].size(),
            1u);
  Ok("UntagInstanceProfile", {{"InstanceProfileName", "app-profile"}, {"TagKeys", {"K"}}});
  EXPECT_EQ(Ok("ListInstanceProfileTags", {{"InstanceProfileName", "app-profile"}})["Tags"].size(),
            0u);

  Ok("CreateInstanceProfile", {{"InstanceProfileName", "second"}});
  Json page = Ok("ListInstanceProfiles", {{"MaxItems", 1}});
  EXPECT_EQ(page["InstanceProfiles"][0]["InstanceProfileName"], "app-profile");
  EXPECT_EQ(page["IsTruncated"], true);
  EXPECT_EQ(Ok("ListInstanceProfiles", {{"PathPrefix", "/weka/"}})["InstanceProfiles"].size(), 1u);

  Ok("DeleteInstanceProfile", {{"InstanceProfileName", "app-profile"}});
  EXPECT_EQ(Err("GetInstanceProfile", {{"InstanceProfileName", "app-profile"}}),
            "NoSuchEntity 404: Instance Profile app-profile cannot be found.");
}

TEST_F(IamServiceTest, ServiceLinkedRolesAreNamedByServiceAndProtected) {
  Json role =
      Ok("CreateServiceLinkedRole", {{"AWSServiceName", "autoscaling.amazonaws.com"}})["Role"];
  EXPECT_EQ(role["RoleName"], "AWSServiceRoleForAutoScaling");
  EXPECT_EQ(role["Path"], "/aws-service-role/autoscaling.amazonaws.com/");
  EXPECT_EQ(role["Arn"],
            "arn:aws:iam::000000000000:role/aws-service-role/autoscaling.amazonaws.com/"
            "AWSServiceRoleForAutoScaling");
  EXPECT_EQ(Code("CreateServiceLinkedRole", {{"AWSServiceName", "autoscaling.amazonaws.com"}}),
            "InvalidInput");
  EXPECT_EQ(Ok("CreateServiceLinkedRole", {{"AWSServiceName", "autoscaling.amazonaws.com"},
                                           {"CustomSuffix", "weka"}})["Role"]["RoleName"],
            "AWSServiceRoleForAutoScaling_weka");
  EXPECT_EQ(Ok("CreateServiceLinkedRole",
               {{"AWSServiceName", "eks-nodegroup.amazonaws.com"}})["Role"]["RoleName"],
            "AWSServiceRoleForAmazonEKSNodegroup");
  EXPECT_EQ(Code("CreateServiceLinkedRole", {{"AWSServiceName", "example.com"}}), "InvalidInput");

  EXPECT_EQ(Code("DeleteRole", {{"RoleName", "AWSServiceRoleForAutoScaling"}}),
            "UnmodifiableEntity");
  EXPECT_EQ(
      Code("AttachRolePolicy", {{"RoleName", "AWSServiceRoleForAutoScaling"}, {"PolicyArn", kSsm}}),
      "UnmodifiableEntity");

  Role("plain");
  EXPECT_EQ(Code("DeleteServiceLinkedRole", {{"RoleName", "plain"}}), "InvalidInput");
  std::string task = Ok("DeleteServiceLinkedRole",
                        {{"RoleName", "AWSServiceRoleForAutoScaling"}})["DeletionTaskId"];
  EXPECT_TRUE(
      task.starts_with("task/aws-service-role/autoscaling.amazonaws.com/"
                       "AWSServiceRoleForAutoScaling/"))
      << task;
  EXPECT_EQ(Code("GetRole", {{"RoleName", "AWSServiceRoleForAutoScaling"}}), "NoSuchEntity");
  EXPECT_EQ(Ok("GetServiceLinkedRoleDeletionStatus", {{"DeletionTaskId", task}})["Status"],
            "SUCCEEDED");
  EXPECT_EQ(Code("GetServiceLinkedRoleDeletionStatus",
                 {{"DeletionTaskId", "task/aws-service-role/x.amazonaws.com/R/none"}}),
            "NoSuchEntity");
  EXPECT_EQ(Code("GetServiceLinkedRoleDeletionStatus", {{"DeletionTaskId", "bogus"}}),
            "InvalidInput");
}

TEST_F(IamServiceTest, PolicyTagsRoundTrip) {
  std::string arn = Policy("tagged");
  Ok("TagPolicy", {{"PolicyArn", arn}, {"Tags", {{{"Key", "env"}, {"Value", "dev"}}}}});
  EXPECT_EQ(Ok("GetPolicy", {{"PolicyArn", arn}})["Policy"]["Tags"][0]["Key"], "env");
  EXPECT_EQ(Ok("ListPolicyTags", {{"PolicyArn", arn}})["Tags"].size(), 1u);
  Ok("UntagPolicy", {{"PolicyArn", arn}, {"TagKeys", {"env"}}});
  EXPECT_EQ(Ok("ListPolicyTags", {{"PolicyArn", arn}})["Tags"].size(), 0u);
  EXPECT_EQ(Code("TagPolicy", {{"PolicyArn", kSsm}, {"Tags", {{{"Key", "a"}, {"Value", "b"}}}}}),
            "AccessDenied");
}

TEST_F(IamServiceTest, EntitiesBelongToTheCallersAccount) {
  Role("app");
  ServiceCall call;
  call.service = "iam";
  call.operation = "GetRole";
  call.input = {{"RoleName", "app"}};
  call.account_id = "111122223333";
  call.caller.arn = "arn:aws:iam::111122223333:root";
  ServiceResult r = service_.Handle(call);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "NoSuchEntity");
}

TEST_F(IamServiceTest, KnowsItsOperations) {
  EXPECT_TRUE(service_.HasOperation("CreateRole"));
  EXPECT_TRUE(service_.HasOperation("ListInstanceProfilesForRole"));
  EXPECT_FALSE(service_.HasOperation("CreateUser"));
}

}  // namespace
}  // namespace cf::cloud::iam

namespace cf::cloud::iam {
namespace {

// Wrongly typed or missing members (which the server's codec would normally refuse first)
// get a 4xx error from every operation, never a crash or an internal failure.
TEST_F(IamServiceTest, WronglyTypedMembersAreClientErrorsForEveryOperation) {
  Role("app");
  std::string arn = Policy("read");
  Ok("CreateInstanceProfile", {{"InstanceProfileName", "prof"}});
  const std::vector<std::string> members = {"RoleName",
                                            "PolicyName",
                                            "PolicyArn",
                                            "InstanceProfileName",
                                            "PolicyDocument",
                                            "AssumeRolePolicyDocument",
                                            "Path",
                                            "PathPrefix",
                                            "Tags",
                                            "TagKeys",
                                            "MaxItems",
                                            "Marker",
                                            "VersionId",
                                            "Scope",
                                            "AWSServiceName",
                                            "DeletionTaskId",
                                            "MaxSessionDuration",
                                            "Description",
                                            "SetAsDefault",
                                            "OnlyAttached",
                                            "CustomSuffix"};
  const std::vector<Json> bad_values = {5,  Json::object(), Json::array({1, 2}), true,
                                        "", Json(nullptr)};
  const Json valid = {{"RoleName", "app"},
                      {"PolicyName", "read"},
                      {"PolicyArn", arn},
                      {"InstanceProfileName", "prof"},
                      {"PolicyDocument", kPolicy},
                      {"AssumeRolePolicyDocument", kTrust},
                      {"VersionId", "v1"},
                      {"AWSServiceName", "autoscaling.amazonaws.com"},
                      {"DeletionTaskId", "task/aws-service-role/x.amazonaws.com/R/1"},
                      {"Tags", {{{"Key", "k"}, {"Value", "v"}}}},
                      {"TagKeys", {"k"}}};
  const std::vector<std::string> operations = {"CreateRole",
                                               "GetRole",
                                               "ListRoles",
                                               "UpdateRole",
                                               "UpdateRoleDescription",
                                               "UpdateAssumeRolePolicy",
                                               "TagRole",
                                               "UntagRole",
                                               "ListRoleTags",
                                               "CreateServiceLinkedRole",
                                               "GetServiceLinkedRoleDeletionStatus",
                                               "PutRolePolicy",
                                               "GetRolePolicy",
                                               "ListRolePolicies",
                                               "AttachRolePolicy",
                                               "ListAttachedRolePolicies",
                                               "CreatePolicy",
                                               "GetPolicy",
                                               "ListPolicies",
                                               "CreatePolicyVersion",
                                               "GetPolicyVersion",
                                               "ListPolicyVersions",
                                               "SetDefaultPolicyVersion",
                                               "TagPolicy",
                                               "UntagPolicy",
                                               "ListPolicyTags",
                                               "CreateInstanceProfile",
                                               "GetInstanceProfile",
                                               "AddRoleToInstanceProfile",
                                               "ListInstanceProfiles",
                                               "ListInstanceProfilesForRole",
                                               "TagInstanceProfile",
                                               "UntagInstanceProfile",
                                               "ListInstanceProfileTags"};
  for (const std::string& operation : operations) {
    ServiceResult empty = Call(operation, Json::object());
    if (!empty.ok()) {
      EXPECT_LT(empty.error().http_status, 500) << operation << ": " << empty.error().message;
    }
    for (const std::string& member : members) {
      for (const Json& value : bad_values) {
        Json input = valid;
        input[member] = value;
        ServiceResult r = Call(operation, input);
        if (!r.ok()) {
          EXPECT_LT(r.error().http_status, 500)
              << operation << " " << member << "=" << value.dump() << ": " << r.error().message;
        }
      }
    }
  }
  // The role and policy are still intact and readable afterwards.
  EXPECT_EQ(Code("GetRole", {{"RoleName", "app"}}), "ok");
  EXPECT_EQ(Code("GetPolicy", {{"PolicyArn", arn}}), "ok");
}

}  // namespace
}  // namespace cf::cloud::iam
