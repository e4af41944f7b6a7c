#include "provider/plan_data_sources.h"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "config/suggest.h"

namespace cf::provider {

namespace {

hcl::Value Str(std::string s) {
  return hcl::Value::String(std::move(s));
}

hcl::Value StringList(const std::vector<std::string>& items) {
  hcl::ValueList out;
  for (const std::string& item : items) {
    out.push_back(Str(item));
  }
  return hcl::Value::List(hcl::Type::String(), std::move(out));
}

// The AWS partition a region belongs to.
struct Partition {
  std::string name;
  std::string dns_suffix;
  std::string reverse_dns_prefix;
};

Partition PartitionOf(std::string_view region) {
  if (region.rfind("cn-", 0) == 0) {
    return {"aws-cn", "amazonaws.com.cn", "cn.com.amazonaws"};
  }
  if (region.rfind("us-gov-", 0) == 0) {
    return {"aws-us-gov", "amazonaws.com", "com.amazonaws"};
  }
  return {"aws", "amazonaws.com", "com.amazonaws"};
}

struct RegionInfo {
  const char* name;
  const char* description;
  const char* zone_letters;  // the zones a new account sees
};

constexpr RegionInfo kRegions[] = {
    {"us-east-1", "US East (N. Virginia)", "abcdef"},
    {"us-east-2", "US East (Ohio)", "abc"},
    {"us-west-1", "US West (N. California)", "bc"},
    {"us-west-2", "US West (Oregon)", "abcd"},
    {"ca-central-1", "Canada (Central)", "abd"},
    {"sa-east-1", "South America (Sao Paulo)", "abc"},
    {"eu-west-1", "Europe (Ireland)", "abc"},
    {"eu-west-2", "Europe (London)", "abc"},
    {"eu-west-3", "Europe (Paris)", "abc"},
    {"eu-central-1", "Europe (Frankfurt)", "abc"},
    {"eu-central-2", "Europe (Zurich)", "abc"},
    {"eu-north-1", "Europe (Stockholm)", "abc"},
    {"eu-south-1", "Europe (Milan)", "abc"},
    {"eu-south-2", "Europe (Spain)", "abc"},
    {"ap-northeast-1", "Asia Pacific (Tokyo)", "acd"},
    {"ap-northeast-2", "Asia Pacific (Seoul)", "abcd"},
    {"ap-northeast-3", "Asia Pacific (Osaka)", "abc"},
    {"ap-southeast-1", "Asia Pacific (Singapore)", "abc"},
    {"ap-southeast-2", "Asia Pacific (Sydney)", "abc"},
    {"ap-south-1", "Asia Pacific (Mumbai)", "abc"},
    {"ap-east-1", "Asia Pacific (Hong Kong)", "abc"},
    {"me-south-1", "Middle East (Bahrain)", "abc"},
    {"af-south-1", "Africa (Cape Town)", "abc"},
    {"il-central-1", "Israel (Tel Aviv)", "abc"},
    {"cn-north-1", "China (Beijing)", "abc"},
    {"cn-northwest-1", "China (Ningxia)", "abc"},
    {"us-gov-west-1", "AWS GovCloud (US-West)", "abc"},
    {"us-gov-east-1", "AWS GovCloud (US-East)", "abc"},
    // Regions opened since 2022 (zones a, b and c).
    {"ap-south-2", "Asia Pacific (Hyderabad)", "abc"},
    {"ap-southeast-3", "Asia Pacific (Jakarta)", "abc"},
    {"ap-southeast-4", "Asia Pacific (Melbourne)", "abc"},
    {"ap-southeast-5", "Asia Pacific (Malaysia)", "abc"},
    {"ap-southeast-6", "Asia Pacific (New Zealand)", "abc"},
    {"ap-southeast-7", "Asia Pacific (Thailand)", "abc"},
    {"ap-east-2", "Asia Pacific (Taipei)", "abc"},
    {"ca-west-1", "Canada West (Calgary)", "abc"},
    {"me-central-1", "Middle East (UAE)", "abc"},
    {"mx-central-1", "Mexico (Central)", "abc"},
};

const RegionInfo* FindRegion(std::string_view name) {
  for (const RegionInfo& r : kRegions) {
    if (name == r.name) {
      return &r;
    }
  }
  return nullptr;
}

// "us-east-1" -> "use1", "ap-southeast-2" -> "apse2", "eu-central-1" -> "euc1": the prefix
// of the region's zone ids.
std::string ZoneIdPrefix(std::string_view region) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= region.size()) {
    size_t dash = region.find('-', start);
    if (dash == std::string_view::npos) {
      dash = region.size();
    }
    parts.push_back(region.substr(start, dash - start));
    start = dash + 1;
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    if (p == "gov") {
      out += 'g';
      continue;
    }
    if (i == 0 || i + 1 == parts.size()) {
      out += p;
      continue;
    }
    for (std::string_view direction : {"north", "south", "east", "west", "central"}) {
      size_t at = p.find(direction);
      while (at != std::string_view::npos) {
        out += direction[0];
        at = p.find(direction, at + direction.size());
      }
    }
  }
  return out;
}

std::string ArgumentString(const hcl::Value& arguments, const std::string& name) {
  if (!arguments.IsKnown() || arguments.IsNull() || !arguments.type().IsObject()) {
    return "";
  }
  hcl::Value v = arguments.GetAttr(name);
  if (!v.IsKnown() || v.IsNull() || !v.type().IsPrimitive() ||
      v.type().kind() != hcl::TypeKind::kString) {
    return "";
  }
  return v.UnmarkDeep().AsString();
}

std::set<std::string> ArgumentStringSet(const hcl::Value& arguments, const std::string& name) {
  std::set<std::string> out;
  if (!arguments.IsKnown() || arguments.IsNull() || !arguments.type().IsObject()) {
    return out;
  }
  hcl::Value v = arguments.GetAttr(name).UnmarkDeep();
  if (!v.IsKnown() || v.IsNull() || !v.type().IsSequence()) {
    return out;
  }
  for (const hcl::Value& e : v.Elements()) {
    if (e.IsKnown() && !e.IsNull() && e.type().kind() == hcl::TypeKind::kString) {
      out.insert(e.AsString());
    }
  }
  return out;
}

class PlanDataSources : public graph::DataSources {
 public:
  PlanDataSources(config::ProviderSettings provider, bool require_region)
      : provider_(std::move(provider)), require_region_(require_region) {}

  hcl::Value Read(std::string_view type, const hcl::Value& arguments, const hcl::Range& range,
                  hcl::Diagnostics& diags) override {
    CheckRegionOnce(diags);
    if (type == "aws_region") {
      return Region(arguments, range, diags);
    }
    if (type == "aws_partition") {
      Partition p = PartitionOf(provider_.region);
      return hcl::Value::Object({{"id", Str(p.name)},
                                 {"partition", Str(p.name)},
                                 {"dns_suffix", Str(p.dns_suffix)},
                                 {"reverse_dns_prefix", Str(p.reverse_dns_prefix)}});
    }
    if (type == "aws_availability_zones") {
      return AvailabilityZones(arguments);
    }
    if (type == "aws_caller_identity") {
      return CallerIdentity();
    }
    return hcl::Value::Unknown(hcl::Type::Dynamic());  // read during apply
  }

 private:
  hcl::Value Region(const hcl::Value& arguments, const hcl::Range& range, hcl::Diagnostics& diags) {
    std::string name = ArgumentString(arguments, "name");
    if (name.empty()) {
      name = ArgumentString(arguments, "region");
    }
    if (name.empty()) {
      name = provider_.region;
    }
    if (name.empty() && !require_region_) {
      return hcl::Value::Unknown(hcl::Type::Dynamic());
    }
    if (name.empty()) {
      diags.AddError("No region",
                     "The data source aws_region needs a region: set region in the provider "
                     "\"aws\" block or AWS_REGION.",
                     range);
      return hcl::Value::Unknown(hcl::Type::Dynamic());
    }
    const RegionInfo* info = FindRegion(name);
    Partition p = PartitionOf(name);
    return hcl::Value::Object({{"id", Str(name)},
                               {"name", Str(name)},
                               {"region", Str(name)},
                               {"description", Str(info != nullptr ? info->description : name)},
                               {"endpoint", Str("ec2." + name + "." + p.dns_suffix)}});
  }

  hcl::Value AvailabilityZones(const hcl::Value& arguments) {
    const std::string& region = provider_.region;
    if (region.empty()) {
      return hcl::Value::Unknown(hcl::Type::Dynamic());
    }
    const RegionInfo* info = FindRegion(region);
    std::string letters = info != nullptr ? info->zone_letters : "abc";
    std::set<std::string> excluded_names = ArgumentStringSet(arguments, "exclude_names");
    std::set<std::string> excluded_ids = ArgumentStringSet(arguments, "exclude_zone_ids");
    std::string id_prefix = ZoneIdPrefix(region);
    std::vector<std::string> names;
    std::vector<std::string> zone_ids;
    for (size_t i = 0; i < letters.size(); ++i) {
      std::string name = region + letters[i];
      std::string id = id_prefix + "-az" + std::to_string(i + 1);
      if (excluded_names.count(name) > 0 || excluded_ids.count(id) > 0) {
        continue;
      }
      names.push_back(name);
      zone_ids.push_back(id);
    }
    std::vector<std::string> group_names(names.size(), region);
    std::string state = ArgumentString(arguments, "state");
    return hcl::Value::Object(
        {{"id", Str(region)},
         {"names", StringList(names)},
         {"zone_ids", StringList(zone_ids)},
         {"group_names", StringList(group_names)},
         {"state", state.empty() ? hcl::Value::Null(hcl::Type::String()) : Str(state)}});
  }

  hcl::Value CallerIdentity() {
    if (!provider_.local_cloud) {
      hcl::Value unknown = hcl::Value::Unknown(hcl::Type::String());
      return hcl::Value::Object(
          {{"id", unknown}, {"account_id", unknown}, {"arn", unknown}, {"user_id", unknown}});
    }
    const std::string account = "000000000000";
    Partition p = PartitionOf(provider_.region);
    return hcl::Value::Object({{"id", Str(account)},
                               {"account_id", Str(account)},
                               {"arn", Str("arn:" + p.name + ":iam::" + account + ":root")},
                               {"user_id", Str(account)}});
  }

  // As the AWS provider does when it is configured: a region name it does not know is an
  // error (a typo would otherwise plan a whole deployment into a region that does not exist),
  // unless skip_region_validation is set. Reported once, at the provider block's region.
  void CheckRegionOnce(hcl::Diagnostics& diags) {
    if (region_checked_) {
      return;
    }
    region_checked_ = true;
    const std::string& name = provider_.region;
    if (name.empty() || provider_.skip_region_validation || FindRegion(name) != nullptr) {
      return;
    }
    std::vector<std::string_view> known;
    for (const RegionInfo& r : kRegions) {
      known.push_back(r.name);
    }
    std::string detail = fmt::format("\"{}\" is not an AWS region clusterform knows.", name);
    std::string suggestion = config::SuggestName(name, known);
    if (!suggestion.empty()) {
      detail += fmt::format(" Did you mean \"{}\"?", suggestion);
    }
    detail +=
        " For a region opened after this build, set skip_region_validation = true in the "
        "provider \"aws\" block.";
    if (provider_.has_region_range) {
      diags.AddError("Invalid AWS Region", detail, provider_.region_range);
    } else {
      hcl::Diagnostic d;
      d.severity = hcl::Severity::kError;
      d.summary = "Invalid AWS Region";
      d.detail = "From AWS_REGION or AWS_DEFAULT_REGION: " + detail;
      diags.Add(std::move(d));
    }
  }

  config::ProviderSettings provider_;
  bool require_region_;
  bool region_checked_ = false;
};

}  // namespace

bool IsPlanTimeDataSource(std::string_view type) {
  return type == "aws_region" || type == "aws_partition" || type == "aws_availability_zones" ||
         type == "aws_caller_identity";
}

std::unique_ptr<graph::DataSources> MakePlanDataSources(const config::ProviderSettings& provider,
                                                        bool require_region) {
  return std::make_unique<PlanDataSources>(provider, require_region);
}

}  // namespace cf::provider
