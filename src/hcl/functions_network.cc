// IP network functions: cidrsubnet, cidrsubnets, cidrhost, cidrnetmask.

#include <arpa/inet.h>

#include <cstring>

#include "hcl/functions_internal.h"

namespace cf::hcl {

namespace {

using fn::Def;
using fn::P;
using fn::Str;

__extension__ typedef unsigned __int128 U128;

struct Network {
  U128 base = 0;  // Masked network address.
  int prefix = 0;
  int bits = 32;  // 32 (IPv4) or 128 (IPv6).
};

U128 Mask(int prefix, int bits) {
  if (prefix <= 0) {
    return 0;
  }
  U128 all = bits == 128 ? ~U128(0) : ((U128(1) << 32) - 1);
  return (all << (bits - prefix)) & all;
}

U128 AllOnes(int bits) {
  return bits == 128 ? ~U128(0) : ((U128(1) << 32) - 1);
}

std::optional<std::pair<U128, int>> ParseIp(const std::string& s) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    U128 v = 0;
    for (int i = 0; i < 4; ++i) {
      v = (v << 8) | buf[i];
    }
    return std::make_pair(v, 32);
  }
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    U128 v = 0;
    for (int i = 0; i < 16; ++i) {
      v = (v << 8) | buf[i];
    }
    return std::make_pair(v, 128);
  }
  return std::nullopt;
}

std::string FormatIp(U128 v, int bits) {
  char out[64];
  if (bits == 32) {
    unsigned char buf[4];
    for (int i = 3; i >= 0; --i) {
      buf[i] = static_cast<unsigned char>(v & 255);
      v >>= 8;
    }
    inet_ntop(AF_INET, buf, out, sizeof(out));
  } else {
    unsigned char buf[16];
    for (int i = 15; i >= 0; --i) {
      buf[i] = static_cast<unsigned char>(v & 255);
      v >>= 8;
    }
    inet_ntop(AF_INET6, buf, out, sizeof(out));
  }
  return out;
}

std::string FormatNetwork(U128 base, int prefix, int bits) {
  return FormatIp(base, bits) + "/" + std::to_string(prefix);
}

Result<Network> ParseCidr(const CallArgs& args, size_t i) {
  const std::string& s = args[i].AsString();
  auto fail = [&]() {
    return args.ArgError(i, "invalid CIDR expression: invalid CIDR address: " + s);
  };
  size_t slash = s.find('/');
  if (slash == std::string::npos) {
    return fail();
  }
  std::optional<std::pair<U128, int>> ip = ParseIp(s.substr(0, slash));
  std::string len = s.substr(slash + 1);
  if (!ip || len.empty() || len.size() > 3 ||
      len.find_first_not_of("0123456789") != std::string::npos) {
    return fail();
  }
  int prefix = std::stoi(len);
  if (prefix > ip->second) {
    return fail();
  }
  Network n;
  n.bits = ip->second;
  n.prefix = prefix;
  n.base = ip->first & Mask(prefix, n.bits);
  return n;
}

}  // namespace

void RegisterNetworkFunctions(FunctionTable& t) {
  const Type kS = Type::String();
  const Type kN = Type::Number();

  Def(t, "cidrsubnet", {P("prefix", kS), P("newbits", kN), P("netnum", kN)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(Network net, ParseCidr(args, 0));
        ASSIGN_OR_RETURN(int64_t newbits, fn::WholeNumber(args, 1));
        ASSIGN_OR_RETURN(int64_t netnum, fn::WholeNumber(args, 2));
        if (newbits < 0 || net.prefix + newbits > net.bits) {
          return InvalidArgumentError("insufficient address space to extend prefix of " +
                                      std::to_string(net.prefix) + " by " +
                                      std::to_string(newbits));
        }
        if (netnum < 0 ||
            (newbits < 64 && static_cast<uint64_t>(netnum) >= (uint64_t{1} << newbits))) {
          return InvalidArgumentError("prefix extension of " + std::to_string(newbits) +
                                      " does not accommodate a subnet numbered " +
                                      std::to_string(netnum));
        }
        int prefix = net.prefix + static_cast<int>(newbits);
        U128 base = net.base | (U128(static_cast<uint64_t>(netnum)) << (net.bits - prefix));
        return Str(FormatNetwork(base, prefix, net.bits));
      });

  Def(t, "cidrsubnets", {P("prefix", kS)}, P("newbits", kN), Type::List(kS),
      [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(Network net, ParseCidr(args, 0));
        if (args.size() == 1) {
          return Value::List(Type::String(), {});
        }
        std::vector<std::string> out;
        U128 all = AllOnes(net.bits);
        U128 net_last = net.base | (~Mask(net.prefix, net.bits) & all);
        // The subnet just before the network at the first requested length.
        bool have_current = false;
        U128 current_base = 0;
        int current_len = 0;
        for (size_t i = 1; i < args.size(); ++i) {
          ASSIGN_OR_RETURN(int64_t newbits, fn::WholeNumber(args, i));
          if (newbits < 1) {
            return args.ArgError(i, "must extend prefix by at least one bit");
          }
          int64_t length = net.prefix + newbits;
          if (length > net.bits) {
            return args.ArgError(i, "would extend prefix to " + std::to_string(length) +
                                        " bits, which is too long for an " +
                                        (net.bits == 32 ? "IPv4" : "IPv6") + " address");
          }
          int len = static_cast<int>(length);
          U128 mask = Mask(len, net.bits);
          U128 next;
          if (!have_current) {
            next = net.base & mask;
          } else {
            U128 current_last = current_base | (~Mask(current_len, net.bits) & all);
            U128 sub_last = (current_last & mask) | (~mask & all);
            next = ((sub_last + 1) & all) & mask;
            if (((sub_last + 1) & all) == 0 || next < net.base || next > net_last) {
              return args.ArgError(
                  i, "not enough remaining address space for a subnet with a prefix of " +
                         std::to_string(len) + " bits after " +
                         FormatNetwork(current_base, current_len, net.bits));
            }
          }
          if (next < net.base || next > net_last) {
            return args.ArgError(i, "not enough remaining address space");
          }
          have_current = true;
          current_base = next;
          current_len = len;
          out.push_back(FormatNetwork(next, len, net.bits));
        }
        return fn::StringList(std::move(out));
      });

  Def(t, "cidrhost", {P("prefix", kS), P("hostnum", kN)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(Network net, ParseCidr(args, 0));
        ASSIGN_OR_RETURN(int64_t hostnum, fn::WholeNumber(args, 1));
        int host_bits = net.bits - net.prefix;
        U128 max = host_bits >= 127 ? ~U128(0) : (U128(1) << host_bits);
        U128 h;
        if (hostnum >= 0) {
          h = U128(static_cast<uint64_t>(hostnum));
          if (h >= max) {
            return InvalidArgumentError("prefix of " + std::to_string(net.prefix) +
                                        " does not accommodate a host numbered " +
                                        std::to_string(hostnum));
          }
        } else {
          U128 neg = U128(static_cast<uint64_t>(-hostnum));
          if (neg > max) {
            return InvalidArgumentError("prefix of " + std::to_string(net.prefix) +
                                        " does not accommodate a host numbered " +
                                        std::to_string(hostnum));
          }
          h = max - neg;
        }
        return Str(FormatIp(net.base | h, net.bits));
      });

  Def(t, "cidrnetmask", {P("prefix", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(Network net, ParseCidr(args, 0));
        if (net.bits != 32) {
          return InvalidArgumentError("IPv6 addresses cannot have a netmask: " +
                                      args[0].AsString());
        }
        return Str(FormatIp(Mask(net.prefix, 32), 32));
      });
}

}  // namespace cf::hcl
