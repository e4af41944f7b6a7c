// libFuzzer target for the IAM policy grammar: arbitrary bytes as identity and trust policy
// documents, through validation, sizing, URL encoding and the trust check. Nothing may crash,
// and a document the trust check allows must be a valid trust policy.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cloud/iam/policy_document.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)cf::cloud::iam::ValidatePolicyDocument(text, cf::cloud::iam::PolicyKind::kIdentity);
  bool valid_trust =
      cf::cloud::iam::ValidatePolicyDocument(text, cf::cloud::iam::PolicyKind::kTrust).ok();
  if (cf::cloud::iam::PolicySize(text) > size) {
    std::abort();
  }
  if (cf::cloud::iam::UrlEncodeDocument(text).size() < size) {
    std::abort();
  }
  bool allowed = cf::cloud::iam::TrustPolicyAllows(
      text, "sts:AssumeRole", "arn:aws:sts::000000000000:assumed-role/r/s", "000000000000");
  if (allowed && !valid_trust) {
    std::abort();
  }
  return 0;
}
