#pragma once

// IPv4 CIDR blocks for EC2 networking: parsing, containment and overlap.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cf::cloud::ec2 {

struct Cidr {
  uint32_t address = 0;  // network address, host bits zero
  int prefix = 0;        // 0..32

  uint32_t mask() const { return prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix); }
  uint64_t size() const { return uint64_t{1} << (32 - prefix); }
  bool Contains(const Cidr& inner) const {
    return inner.prefix >= prefix && (inner.address & mask()) == address;
  }
  bool Overlaps(const Cidr& other) const { return Contains(other) || other.Contains(*this); }
  std::string ToString() const;
};

// "127.1.0.0/16" -> the block. Nullopt when malformed or when host bits are set
// ("127.1.0.1/16"), as EC2 refuses those too.
std::optional<Cidr> ParseCidr(std::string_view text);

}  // namespace cf::cloud::ec2
