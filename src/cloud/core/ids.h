#pragma once

// AWS-shaped identifiers: resource ids ("vpc-0123456789abcdef0": a prefix and 17 lowercase
// hex digits), request ids (UUID version 4), access key ids ("ASIA" + 16 of [A-Z2-7]) and
// ARNs. All randomness comes from the Random given, so a seeded run is repeatable.

#include <string>
#include <string_view>

#include "cloud/core/random.h"

namespace cf::cloud {

class IdGenerator {
 public:
  explicit IdGenerator(Random& random) : random_(random) {}

  // "vpc" -> "vpc-0a1b2c3d4e5f60718".
  std::string ResourceId(std::string_view prefix);
  // "6fa459ea-ee8a-4ca4-894e-db77e160355e".
  std::string RequestId();
  // `prefix` ("ASIA", "AKIA", "AROA", "AIDA") followed by 16 characters of [A-Z2-7].
  std::string AccessKeyId(std::string_view prefix);
  // `length` characters of base64-like text, for secrets and session tokens.
  std::string Secret(int length);

 private:
  Random& random_;
};

// "arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE" (region empty for global services like IAM).
std::string Arn(std::string_view service, std::string_view region, std::string_view account,
                std::string_view resource);

// True for "vpc-" followed by 8 or 17 lowercase hex digits (given prefix "vpc").
bool IsResourceId(std::string_view id, std::string_view prefix);

}  // namespace cf::cloud
