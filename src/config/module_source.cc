#include "config/module_source.h"

#include <algorithm>

namespace cf::config {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool ConsumePrefix(std::string_view& s, std::string_view prefix) {
  if (!StartsWith(s, prefix)) {
    return false;
  }
  s.remove_prefix(prefix.size());
  return true;
}

// Splits "ADDRESS//SUBDIR?QUERY" into its parts; `address` keeps the scheme.
void SplitSource(std::string_view source, std::string_view& address, std::string_view& subdir,
                 std::string_view& query) {
  size_t q = source.find('?');
  query = q == std::string_view::npos ? std::string_view() : source.substr(q + 1);
  std::string_view rest = source.substr(0, q);
  // "//" after the scheme's "://" separates the subdirectory.
  size_t scheme = rest.find("://");
  size_t from = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t sub = rest.find("//", from);
  address = rest.substr(0, sub);
  subdir = sub == std::string_view::npos ? std::string_view() : rest.substr(sub + 2);
}

std::string RefOf(std::string_view query) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (ConsumePrefix(pair, "ref=")) {
      return std::string(pair);
    }
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return {};
}

// "owner/repo" of a GitHub address in the forms Terraform accepts; empty otherwise.
std::string_view GithubRepository(std::string_view address) {
  ConsumePrefix(address, "git::");
  if (!(ConsumePrefix(address, "https://github.com/") ||
        ConsumePrefix(address, "ssh://git@github.com/") ||
        ConsumePrefix(address, "git@github.com:") || ConsumePrefix(address, "github.com/"))) {
    return {};
  }
  if (address.size() > 4 && address.substr(address.size() - 4) == ".git") {
    address.remove_suffix(4);
  }
  return address;
}

}  // namespace

const std::vector<BuiltinModuleInfo>& BuiltinModuleInfos() {
  static const std::vector<BuiltinModuleInfo> kInfos = {
      {"weka/weka/aws",
       "weka/terraform-aws-weka",
       "v2.0.1",
       {"prefix", "cluster_name", "cluster_size", "get_weka_io_token", "containers_config_map"}},
      {"wandb/wandb/aws",
       "wandb/terraform-aws-wandb",
       "v8.0.0",
       {"namespace", "domain_name", "zone_id", "license", "allowed_inbound_cidr"}},
  };
  return kInfos;
}

const BuiltinModuleInfo* FindBuiltinModuleInfo(std::string_view source) {
  for (const BuiltinModuleInfo& info : BuiltinModuleInfos()) {
    if (source == info.source) {
      return &info;
    }
  }
  return nullptr;
}

bool IsLocalModulePath(std::string_view source) {
  return StartsWith(source, "./") || StartsWith(source, "../") || source == "." || source == "..";
}

std::optional<ResolvedSource> ResolveRemoteSource(std::string_view source) {
  if (IsLocalModulePath(source)) {
    return std::nullopt;
  }
  std::string_view address;
  std::string_view subdir;
  std::string_view query;
  SplitSource(source, address, subdir, query);
  ResolvedSource out;
  if (ConsumePrefix(subdir, "modules/")) {
    if (subdir.empty() || subdir.find('/') != std::string_view::npos) {
      return std::nullopt;
    }
    out.submodule = std::string(subdir);
  } else if (!subdir.empty()) {
    return std::nullopt;
  }
  std::string_view repository = GithubRepository(address);
  for (const BuiltinModuleInfo& info : BuiltinModuleInfos()) {
    std::string_view registry = address;
    ConsumePrefix(registry, "registry.terraform.io/");
    if (query.empty() && registry == info.source) {
      out.builtin = info.source;
      out.registry = true;
      return out;
    }
    if (!repository.empty() && repository == info.repository) {
      out.builtin = info.source;
      out.ref = RefOf(query);
      return out;
    }
  }
  return std::nullopt;
}

const BuiltinModuleInfo* RecogniseCheckout(const std::vector<std::string>& declared_variables) {
  for (const BuiltinModuleInfo& info : BuiltinModuleInfos()) {
    bool all = std::all_of(info.signature.begin(), info.signature.end(), [&](std::string_view v) {
      return std::find(declared_variables.begin(), declared_variables.end(), v) !=
             declared_variables.end();
    });
    if (all) {
      return &info;
    }
  }
  return nullptr;
}

}  // namespace cf::config
