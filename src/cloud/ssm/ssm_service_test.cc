#include "cloud/ssm/ssm_service.h"

#include <gtest/gtest.h>

#include "testing/service_harness.h"

namespace cf::cloud::ssm {
namespace {

class SsmServiceTest : public testing::ServiceTest {
 protected:
  SsmServiceTest() : service_(Context()) { Serve(service_); }

  SsmService service_;
};

TEST_F(SsmServiceTest, VersionsGrowOnOverwriteAndAnExistingNameNeedsOverwrite) {
  EXPECT_EQ(Ok("PutParameter", {{"Name", "/app/db"}, {"Value", "a"}, {"Type", "String"}})
                .value("Version", 0),
            1);
  EXPECT_EQ(ErrorCode("PutParameter", {{"Name", "/app/db"}, {"Value", "b"}}),
            "ParameterAlreadyExists");
  EXPECT_EQ(
      Ok("PutParameter", {{"Name", "/app/db"}, {"Value", "b"}, {"Overwrite", true}})["Version"],
      2);
  Json got = Ok("GetParameter", {{"Name", "/app/db"}})["Parameter"];
  EXPECT_EQ(got["Value"], "b");
  EXPECT_EQ(got["Type"], "String");  // kept from the first version
  EXPECT_EQ(got["ARN"], "arn:aws:ssm:us-east-1:000000000000:parameter/app/db");
}

TEST_F(SsmServiceTest, RefusedNamesAndTypesChangeNothing) {
  EXPECT_EQ(ErrorCode("PutParameter", {{"Name", "/aws/x"}, {"Value", "v"}}),
            "ValidationException");
  EXPECT_EQ(ErrorCode("PutParameter", {{"Name", "a/b"}, {"Value", "v"}}), "ValidationException");
  EXPECT_EQ(ErrorCode("PutParameter", {{"Name", "x"}, {"Value", "v"}, {"Type", "Number"}}),
            "ValidationException");
  EXPECT_EQ(ErrorCode("GetParameter", {{"Name", "x"}}), "ParameterNotFound");
  EXPECT_TRUE(Ok("DescribeParameters", Json::object())["Parameters"].empty());
}

TEST_F(SsmServiceTest, SecureStringsAreHiddenWithoutDecryption) {
  Ok("PutParameter", {{"Name", "pw"}, {"Value", "hunter2"}, {"Type", "SecureString"}});
  EXPECT_NE(Ok("GetParameter", {{"Name", "pw"}})["Parameter"]["Value"], "hunter2");
  EXPECT_EQ(Ok("GetParameter", {{"Name", "pw"}, {"WithDecryption", true}})["Parameter"]["Value"],
            "hunter2");
}

TEST_F(SsmServiceTest, PathsListOneLevelUnlessRecursiveAndPage) {
  for (const char* name : {"/p/a", "/p/b", "/p/c/d", "/q/a"}) {
    Ok("PutParameter", {{"Name", name}, {"Value", "v"}});
  }
  EXPECT_EQ(Ok("GetParametersByPath", {{"Path", "/p"}})["Parameters"].size(), 2u);
  Json first = Ok("GetParametersByPath", {{"Path", "/p"}, {"Recursive", true}, {"MaxResults", 2}});
  ASSERT_EQ(first["Parameters"].size(), 2u);
  ASSERT_TRUE(first.contains("NextToken"));
  Json rest = Ok("GetParametersByPath", {{"Path", "/p"},
                                         {"Recursive", true},
                                         {"MaxResults", 2},
                                         {"NextToken", first["NextToken"]}});
  EXPECT_EQ(rest["Parameters"].size(), 1u);
  EXPECT_EQ(ErrorCode("GetParametersByPath", {{"Path", "/p"}, {"NextToken", "zz"}}),
            "InvalidNextToken");
}

TEST_F(SsmServiceTest, DeleteParametersReportsTheMissingOnesAndDeletesTheRest) {
  Ok("PutParameter", {{"Name", "a"}, {"Value", "v"}});
  Json out = Ok("DeleteParameters", {{"Names", {"a", "b"}}});
  EXPECT_EQ(out["DeletedParameters"], Json::array({"a"}));
  EXPECT_EQ(out["InvalidParameters"], Json::array({"b"}));
  EXPECT_EQ(ErrorCode("DeleteParameter", {{"Name", "a"}}), "ParameterNotFound");
}

TEST_F(SsmServiceTest, TagsAreAddedReplacedAndRemoved) {
  Ok("PutParameter", {{"Name", "a"}, {"Value", "v"}});
  Json target = {{"ResourceType", "Parameter"}, {"ResourceId", "a"}};
  Json add = target;
  add["Tags"] = {{{"Key", "k"}, {"Value", "1"}}, {{"Key", "j"}, {"Value", "2"}}};
  Ok("AddTagsToResource", add);
  add["Tags"] = {{{"Key", "k"}, {"Value", "3"}}};
  Ok("AddTagsToResource", add);
  Json remove = target;
  remove["TagKeys"] = {"j"};
  Ok("RemoveTagsFromResource", remove);
  EXPECT_EQ(Ok("ListTagsForResource", target)["TagList"],
            Json::array({{{"Key", "k"}, {"Value", "3"}}}));
  EXPECT_EQ(ErrorCode("ListTagsForResource", {{"ResourceType", "Parameter"}, {"ResourceId", "z"}}),
            "InvalidResourceId");
  EXPECT_EQ(ErrorCode("ListTagsForResource", {{"ResourceType", "Document"}, {"ResourceId", "a"}}),
            "InvalidResourceType");
}

TEST_F(SsmServiceTest, PublicAmiAliasesResolveToImages) {
  Json got = Ok("GetParameter",
                {{"Name", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"}});
  EXPECT_EQ(got["Parameter"]["DataType"], "aws:ec2:image");
  EXPECT_EQ(got["Parameter"]["Value"].get<std::string>().rfind("ami-", 0), 0u);
}

}  // namespace
}  // namespace cf::cloud::ssm
