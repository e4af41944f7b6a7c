#include "cloud/iam/policy_document.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace cf::cloud::iam {
namespace {

// The MalformedPolicyDocument text for `text`, or "ok".
std::string Problem(std::string_view text, PolicyKind kind = PolicyKind::kIdentity) {
  Status s = ValidatePolicyDocument(text, kind);
  return s.ok() ? "ok" : s.message();
}

std::string Trust(std::string_view text) {
  return Problem(text, PolicyKind::kTrust);
}

TEST(PolicyDocumentTest, AcceptsStatementAsObjectOrArrayAndBothVersions) {
  EXPECT_EQ(Problem(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*",
                      "Resource":"*"}})"),
            "ok");
  EXPECT_EQ(Problem(R"({"Version":"2008-10-17","Id":"x","Statement":[{"Sid":"A1",
                      "Effect":"Deny","NotAction":["ec2:Describe*","iam:Get?ole"],
                      "NotResource":"arn:aws:s3:::bucket/*",
                      "Condition":{"StringEquals":{"aws:RequestedRegion":["us-east-1"]},
                                   "ForAnyValue:StringLikeIfExists":{"aws:TagKeys":"a*"},
                                   "Bool":{"aws:SecureTransport":false},
                                   "NumericLessThan":{"s3:max-keys":10}}}]})"),
            "ok");
  // IAM accepts a document without Version (it reads it as 2008-10-17).
  EXPECT_EQ(Problem(R"({"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"), "ok");
}

TEST(PolicyDocumentTest, SyntaxErrorsForBadJsonUnknownKeysAndWrongShapes) {
  for (
      std::string_view bad : {
          R"(not json)",
          R"([1,2])",
          R"({"Version":"2012-10-17"})",
          R"({"Version":"2012-10-17","Statement":[]})",
          R"({"Version":"2012-10-17","Statement":"x"})",
          R"({"Version":"2012-10-17","Extra":1,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})",
          R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Colour":"red"}})",
          R"({"Statement":{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}})",
          R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}})",
          R"({"Statement":{"Effect":"Allow","Action":[1],"Resource":"*"}})",
          R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":"x"}})",
          R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":"x"}}})",
          R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"k":{"a":1}}}}})",
      }) {
    EXPECT_EQ(Problem(bad), "Syntax errors in policy.") << bad;
  }
}

TEST(PolicyDocumentTest, NamesTheProblemLikeIam) {
  EXPECT_EQ(Problem(R"({"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"*",
                      "Resource":"*"}})"),
            "The policy failed legacy parsing");
  EXPECT_EQ(Problem(R"({"Statement":{"Action":"*","Resource":"*"}})"),
            "Missing required field Effect");
  EXPECT_EQ(Problem(R"({"Statement":{"Effect":"allow","Action":"*","Resource":"*"}})"),
            "The policy failed legacy parsing");
  EXPECT_EQ(Problem(R"({"Statement":{"Effect":"Allow","Resource":"*"}})"),
            "Policy statement must contain actions.");
  EXPECT_EQ(Problem(R"({"Statement":{"Effect":"Allow","Action":"*"}})"),
            "Policy statement must contain resources.");
  EXPECT_EQ(Problem(R"({"Statement":{"Effect":"Allow","Action":"DescribeVpcs","Resource":"*"}})"),
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
  EXPECT_EQ(Problem(R"({"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}})"),
            "Resource bucket must be in ARN format or \"*\".");
  EXPECT_EQ(Problem(R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*",
                      "Principal":"*"}})"),
            "Policy document should not specify a principal.");
  EXPECT_EQ(Problem(R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*",
                      "Condition":{"StringEqualz":{"k":"v"}}}})"),
            "Invalid Condition type : StringEqualz");
  EXPECT_EQ(Problem(R"({"Statement":[{"Sid":"a","Effect":"Allow","Action":"*","Resource":"*"},
                                    {"Sid":"a","Effect":"Deny","Action":"*","Resource":"*"}]})"),
            "Statement IDs (SID) in a single policy must be unique.");
  EXPECT_EQ(Problem(R"({"Statement":{"Sid":"no spaces","Effect":"Allow","Action":"*",
                      "Resource":"*"}})"),
            "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the "
            "regular expression [0-9A-Za-z]*");
}

TEST(PolicyDocumentTest, TrustPoliciesNeedAPrincipalAndNoResource) {
  EXPECT_EQ(Trust(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                    "Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},
                    "Action":"sts:AssumeRole"}]})"),
            "ok");
  EXPECT_EQ(Trust(R"({"Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},
                    "Action":["sts:AssumeRole","sts:TagSession"]}})"),
            "ok");
  EXPECT_EQ(Trust(R"({"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole",
                    "Resource":"*"}})"),
            "Has prohibited field Resource");
  EXPECT_EQ(Trust(R"({"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}})"),
            "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The "
            "passed in policy has a statement with no principals!");
  EXPECT_EQ(Trust(R"({"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject"}})"),
            "AssumeRole policy may only specify STS AssumeRole actions.");
  EXPECT_EQ(Trust(R"({"Statement":{"Effect":"Allow","Principal":{"AWS":"bob"},
                    "Action":"sts:AssumeRole"}})"),
            "Invalid principal in policy: \"AWS\":\"bob\"");
  EXPECT_EQ(Trust(R"({"Statement":{"Effect":"Allow","Principal":{"User":"x"},
                    "Action":"sts:AssumeRole"}})"),
            "Invalid principal in policy: \"User\"");
  EXPECT_EQ(Trust(R"({"Statement":{"Effect":"Allow","Principal":"bob",
                    "Action":"sts:AssumeRole"}})"),
            "Invalid principal in policy: \"bob\"");
}

TEST(PolicyDocumentTest, SizeIgnoresWhitespace) {
  EXPECT_EQ(PolicySize("{ \"a\" :\n\t1 }"), 7u);
  EXPECT_EQ(PolicySize(""), 0u);
}

TEST(PolicyDocumentTest, UrlEncodesLikeIam) {
  EXPECT_EQ(UrlEncodeDocument(R"({"Version": "2012-10-17"})"),
            "%7B%22Version%22%3A%20%222012-10-17%22%7D");
  EXPECT_EQ(UrlEncodeDocument("a_b.c~d*"), "a_b.c~d%2A");
}

TEST(PolicyDocumentTest, TrustPolicyAllowsMatchingPrincipalsOnly) {
  const std::string root = "arn:aws:iam::000000000000:root";
  auto allows = [&](std::string_view doc, std::string_view caller) {
    return TrustPolicyAllows(doc, "sts:AssumeRole", caller, "000000000000");
  };
  std::string by_role = R"({"Statement":{"Effect":"Allow",
      "Principal":{"AWS":["arn:aws:iam::000000000000:role/ops"]},"Action":"sts:*"}})";
  EXPECT_TRUE(allows(by_role, "arn:aws:sts::000000000000:assumed-role/ops/session-1"));
  EXPECT_FALSE(allows(by_role, root));
  EXPECT_FALSE(allows(by_role, "arn:aws:sts::000000000000:assumed-role/dev/session-1"));

  std::string not_action = R"({"Statement":{"Effect":"Allow","Principal":"*",
      "NotAction":"sts:TagSession"}})";
  EXPECT_TRUE(allows(not_action, root));
  std::string tag_only = R"({"Statement":{"Effect":"Allow","Principal":"*",
      "Action":"sts:TagSession"}})";
  EXPECT_FALSE(allows(tag_only, root));
  std::string deny_wins = R"({"Statement":[
      {"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},
      {"Effect":"Deny","Principal":{"AWS":"000000000000"},"Action":"sts:AssumeRole"}]})";
  EXPECT_FALSE(allows(deny_wins, root));
  EXPECT_FALSE(allows("not json", root));
}

}  // namespace
}  // namespace cf::cloud::iam
