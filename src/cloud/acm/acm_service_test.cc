#include "cloud/acm/acm_service.h"

#include <gtest/gtest.h>

#include "testing/service_harness.h"

namespace cf::cloud::acm {
namespace {

class AcmServiceTest : public testing::ServiceTest {
 protected:
  AcmServiceTest() : service_(Context()) { Serve(service_); }

  std::string Request(const std::string& domain, Json extra = Json::object()) {
    Json input = {{"DomainName", domain}, {"ValidationMethod", "DNS"}};
    input.update(extra);
    return Ok("RequestCertificate", input).value("CertificateArn", "");
  }

  AcmService service_;
};

TEST_F(AcmServiceTest, RequestedCertificatesWaitForTheirDnsRecord) {
  std::string arn = Request("app.example.net", {{"SubjectAlternativeNames", {"*.example.net"}}});
  ASSERT_EQ(arn.rfind("arn:aws:acm:us-east-1:000000000000:certificate/", 0), 0u);
  Json cert = Ok("DescribeCertificate", {{"CertificateArn", arn}})["Certificate"];
  EXPECT_EQ(cert["Status"], "PENDING_VALIDATION");
  ASSERT_EQ(cert["DomainValidationOptions"].size(), 2u);
  Json record = cert["DomainValidationOptions"][0]["ResourceRecord"];
  EXPECT_EQ(record["Type"], "CNAME");
  std::string name = record["Name"];
  EXPECT_EQ(name[0], '_');
  EXPECT_EQ(name.substr(name.size() - 17), ".app.example.net.");
  EXPECT_FALSE(cert.contains("_token"));  // internal members stay inside
  EXPECT_EQ(ErrorCode("GetCertificate", {{"CertificateArn", arn}}), "RequestInProgressException");
}

TEST_F(AcmServiceTest, IdempotencyTokenGivesTheSameCertificate) {
  std::string a = Request("a.example.net", {{"IdempotencyToken", "t1"}});
  EXPECT_EQ(Request("a.example.net", {{"IdempotencyToken", "t1"}}), a);
  EXPECT_NE(Request("a.example.net", {{"IdempotencyToken", "t2"}}), a);
}

TEST_F(AcmServiceTest, BadRequestsGetAcmCodesAndCreateNothing) {
  EXPECT_EQ(ErrorCode("RequestCertificate", {{"DomainName", "bad..name"}}), "ValidationException");
  EXPECT_EQ(ErrorCode("RequestCertificate", {{"DomainName", "a.example.net"}}),
            "InvalidParameterException");  // EMAIL validation
  EXPECT_EQ(ErrorCode("RequestCertificate", {{"DomainName", "a.example.net"},
                                             {"ValidationMethod", "DNS"},
                                             {"Tags", {{{"Key", "aws:x"}, {"Value", "v"}}}}}),
            "InvalidTagException");
  EXPECT_TRUE(Ok("ListCertificates",
                 {{"CertificateStatuses", {"PENDING_VALIDATION"}}})["CertificateSummaryList"]
                  .empty());
  EXPECT_EQ(ErrorCode("DescribeCertificate", {{"CertificateArn", "nope"}}), "InvalidArnException");
  EXPECT_EQ(ErrorCode("DescribeCertificate",
                      {{"CertificateArn", "arn:aws:acm:us-east-1:000000000000:certificate/x"}}),
            "ResourceNotFoundException");
  EXPECT_EQ(ErrorCode("DescribeCertificate", {{"CertificateArn", 7}}), "ValidationException");
}

TEST_F(AcmServiceTest, TagsMergeAndARefusedTagCallChangesNothing) {
  std::string arn = Request("t.example.net", {{"Tags", {{{"Key", "a"}, {"Value", "1"}}}}});
  Ok("AddTagsToCertificate", {{"CertificateArn", arn}, {"Tags", {{{"Key", "a"}, {"Value", "2"}}}}});
  EXPECT_EQ(ErrorCode("AddTagsToCertificate",
                      {{"CertificateArn", arn}, {"Tags", {{{"Key", "aws:z"}, {"Value", "v"}}}}}),
            "InvalidTagException");
  Ok("RemoveTagsFromCertificate", {{"CertificateArn", arn}, {"Tags", {{{"Key", "b"}}}}});
  EXPECT_EQ(Ok("ListTagsForCertificate", {{"CertificateArn", arn}})["Tags"],
            Json::array({{{"Key", "a"}, {"Value", "2"}}}));
  Ok("DeleteCertificate", {{"CertificateArn", arn}});
  EXPECT_EQ(ErrorCode("ListTagsForCertificate", {{"CertificateArn", arn}}),
            "ResourceNotFoundException");
}

}  // namespace
}  // namespace cf::cloud::acm
