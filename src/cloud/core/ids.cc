#include "cloud/core/ids.h"

#include <fmt/core.h>

namespace cf::cloud {

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr char kSecretChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string IdGenerator::ResourceId(std::string_view prefix) {
  std::string id(prefix);
  id += '-';
  uint64_t a = random_.Next();
  uint64_t b = random_.Next();
  for (int i = 0; i < 16; ++i) {
    id += kHex[(a >> (i * 4)) & 0xf];
  }
  id += kHex[b & 0xf];
  return id;
}

std::string IdGenerator::RequestId() {
  uint64_t a = random_.Next();
  uint64_t b = random_.Next();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xffff,
                     b >> 48, b & 0xffffffffffffULL);
}

std::string IdGenerator::AccessKeyId(std::string_view prefix) {
  std::string id(prefix);
  uint64_t bits = random_.Next();
  for (int i = 0; i < 16; ++i) {
    if (i == 12) {
      bits = random_.Next();
    }
    id += kBase32[bits & 31];
    bits >>= 5;
  }
  return id;
}

std::string IdGenerator::Secret(int length) {
  std::string out;
  uint64_t bits = 0;
  for (int i = 0; i < length; ++i) {
    if (i % 10 == 0) {
      bits = random_.Next();
    }
    out += kSecretChars[bits & 63];
    bits >>= 6;
  }
  return out;
}

std::string Arn(std::string_view service, std::string_view region, std::string_view account,
                std::string_view resource) {
  return fmt::format("arn:aws:{}:{}:{}:{}", service, region, account, resource);
}

bool IsResourceId(std::string_view id, std::string_view prefix) {
  if (id.size() <= prefix.size() + 1 || id.substr(0, prefix.size()) != prefix ||
      id[prefix.size()] != '-') {
    return false;
  }
  std::string_view hex = id.substr(prefix.size() + 1);
  if (hex.size() != 8 && hex.size() != 17) {
    return false;
  }
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace cf::cloud
