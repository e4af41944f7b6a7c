#include "cloud/ec2/cidr.h"

#include <fmt/core.h>

namespace cf::cloud::ec2 {

std::string Cidr::ToString() const {
  return fmt::format("{}.{}.{}.{}/{}", address >> 24, (address >> 16) & 255, (address >> 8) & 255,
                     address & 255, prefix);
}

std::optional<Cidr> ParseCidr(std::string_view text) {
  uint32_t address = 0;
  int octets = 0;
  size_t i = 0;
  while (octets < 4) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    int value = 0;
    int digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + (text[i] - '0');
      ++i;
      if (++digits > 3 || value > 255) {
        return std::nullopt;
      }
    }
    address = (address << 8) | static_cast<uint32_t>(value);
    ++octets;
    char expected = octets < 4 ? '.' : '/';
    if (i >= text.size() || text[i] != expected) {
      return std::nullopt;
    }
    ++i;
  }
  int prefix = 0;
  int digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    prefix = prefix * 10 + (text[i] - '0');
    ++i;
    if (++digits > 2) {
      return std::nullopt;
    }
  }
  if (digits == 0 || i != text.size() || prefix > 32) {
    return std::nullopt;
  }
  Cidr cidr{address, prefix};
  if ((address & cidr.mask()) != address) {
    return std::nullopt;
  }
  return cidr;
}

}  // namespace cf::cloud::ec2
