#include "cloud/imds.h"

#include <fmt/core.h>

#include <vector>

#include "base/base64.h"
#include "base/clock.h"
#include "cloud/ec2/describe.h"

namespace cf::cloud {

namespace {

constexpr char kInstanceNs[] = "ec2/instance";
constexpr auto kCredentialLifetime = std::chrono::hours(6);
constexpr auto kCredentialRefresh = std::chrono::minutes(15);

HttpResponse Text(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "text/plain"}, {"Server", "EC2ws"}};
  response.body = std::move(body);
  return response;
}

HttpResponse NotFoundPage() {
  return Text(404,
              "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<html><head><title>404 - Not "
              "Found</title></head><body><h1>404 - Not Found</h1></body></html>\n");
}

// A directory listing: entries one per line.
HttpResponse Listing(const std::vector<std::string>& entries) {
  std::string body;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) {
      body.push_back('\n');
    }
    body.append(entries[i]);
  }
  return Text(200, body);
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      out.push_back('\n');
    }
    out.append(lines[i]);
  }
  return out;
}

std::string Iso(int64_t seconds) {
  return FormatRfc3339(std::chrono::system_clock::time_point(std::chrono::seconds(seconds)));
}

// Values of a member path ("Groups[].GroupId") joined by newlines.
std::string Lines(const Json& doc, const std::string& path) {
  return JoinLines(ec2::ValuesAt(doc, path));
}

}  // namespace

HttpResponse ImdsHandler::Reject(const HttpRequest& request, int status, std::string_view code,
                                 std::string_view message) {
  (void)request;
  (void)code;
  return Text(status, std::string(message));
}

HttpResponse ImdsHandler::Handle(const HttpRequest& request) {
  std::string path(request.Path());
  auto now = context_.clock.Monotonic();
  if (path == "/latest/api/token") {
    if (request.method != "PUT") {
      return Text(405, "");
    }
    if (!request.Header("x-forwarded-for").empty()) {
      return Text(403, "Forbidden");
    }
    std::string ttl_text(request.Header("x-aws-ec2-metadata-token-ttl-seconds"));
    int64_t ttl = 0;
    bool digits = !ttl_text.empty() && ttl_text.size() < 7 &&
                  ttl_text.find_first_not_of("0123456789") == std::string::npos;
    if (digits) {
      ttl = std::stoll(ttl_text);
    }
    if (!digits || ttl < 1 || ttl > 21600) {
      return Text(400, "");
    }
    std::string token = context_.ids.Secret(56);
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = tokens_.begin(); it != tokens_.end();) {
      it = it->second <= now ? tokens_.erase(it) : std::next(it);
    }
    tokens_[token] = now + std::chrono::seconds(ttl);
    HttpResponse response = Text(200, token);
    response.headers.push_back({"X-Aws-Ec2-Metadata-Token-Ttl-Seconds", std::to_string(ttl)});
    return response;
  }
  if (request.method != "GET" && request.method != "HEAD") {
    return Text(405, "");
  }
  Result<std::optional<Json>> stored =
      context_.store.Get(kInstanceNs, region_ + "/" + instance_id_);
  if (!stored.ok()) {
    return Text(500, stored.status().message());
  }
  if (!*stored) {
    return NotFoundPage();
  }
  const Json& instance = **stored;
  std::string token(request.Header("x-aws-ec2-metadata-token"));
  if (!token.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = tokens_.find(token);
    if (it == tokens_.end() || it->second <= now) {
      return Text(401, "");
    }
  } else if (instance["MetadataOptions"].value("HttpTokens", "optional") == "required") {
    return Text(401, "");
  }
  if (path == "/latest/user-data") {
    std::string encoded = instance.value("_user_data", "");
    if (encoded.empty()) {
      return NotFoundPage();
    }
    std::optional<std::string> raw = Base64Decode(encoded);
    return Text(200, raw ? *raw : encoded);
  }
  if (path == "/latest/dynamic/instance-identity/document") {
    Json document = {
        {"accountId", instance.value("_owner_id", "")},
        {"architecture", instance.value("Architecture", "x86_64")},
        {"availabilityZone", instance["Placement"].value("AvailabilityZone", "")},
        {"imageId", instance.value("ImageId", "")},
        {"instanceId", instance_id_},
        {"instanceType", instance.value("InstanceType", "")},
        {"pendingTime", Iso(instance.value("LaunchTime", int64_t{0}))},
        {"privateIp", instance.value("PrivateIpAddress", "")},
        {"region", region_},
        {"version", "2017-09-30"},
    };
    return Text(200, document.dump(2));
  }
  if (path == "/latest/meta-data" || path.rfind("/latest/meta-data/", 0) == 0) {
    std::string rest = path.size() > 18 ? path.substr(18) : "";
    return MetaData(instance, rest);
  }
  if (path == "/latest" || path == "/latest/") {
    return Listing({"dynamic", "meta-data", "user-data"});
  }
  if (path == "/" || path.empty()) {
    return Listing({"latest"});
  }
  return NotFoundPage();
}

HttpResponse ImdsHandler::MetaData(const Json& instance, const std::string& raw_path) {
  std::string path = raw_path;
  while (!path.empty() && path.back() == '/') {
    path.pop_back();
  }
  const Json& placement = instance["Placement"];
  const Json& options = instance["MetadataOptions"];
  bool tags_allowed = options.value("InstanceMetadataTags", "disabled") == "enabled";
  bool has_profile = instance.contains("IamInstanceProfile") && instance.contains("_role");
  Json primary = Json::object();
  for (const Json& eni : instance.value("NetworkInterfaces", Json::array())) {
    if (eni["Attachment"].value("DeviceIndex", int64_t{-1}) == 0) {
      primary = eni;
    }
  }
  std::string mac = primary.value("MacAddress", "");
  std::map<std::string, std::string> leaves = {
      {"ami-id", instance.value("ImageId", "")},
      {"ami-launch-index", std::to_string(instance.value("AmiLaunchIndex", int64_t{0}))},
      {"hostname", instance.value("PrivateDnsName", "")},
      {"local-hostname", instance.value("PrivateDnsName", "")},
      {"local-ipv4", instance.value("PrivateIpAddress", "")},
      {"mac", mac},
      {"instance-id", instance_id_},
      {"instance-type", instance.value("InstanceType", "")},
      {"instance-life-cycle", "on-demand"},
      {"reservation-id", instance.value("_reservation_id", "")},
      {"security-groups", Lines(instance, "SecurityGroups[].GroupName")},
      {"placement/availability-zone", placement.value("AvailabilityZone", "")},
      {"placement/availability-zone-id", instance.value("_zone_id", "")},
      {"placement/region", region_},
      {"block-device-mapping/ami", "/dev/xvda"},
      {"block-device-mapping/root", instance.value("RootDeviceName", "/dev/xvda")},
  };
  if (!placement.value("GroupName", "").empty()) {
    leaves["placement/group-name"] = placement["GroupName"];
  }
  for (const Json& disk : instance.value("_instance_store", Json::array())) {
    leaves["block-device-mapping/" + disk.value("VirtualName", "")] = disk.value("Device", "");
  }
  for (const Json& eni : instance.value("NetworkInterfaces", Json::array())) {
    std::string prefix = "network/interfaces/macs/" + eni.value("MacAddress", "") + "/";
    leaves[prefix + "device-number"] =
        std::to_string(eni["Attachment"].value("DeviceIndex", int64_t{0}));
    leaves[prefix + "interface-id"] = eni.value("NetworkInterfaceId", "");
    leaves[prefix + "local-hostname"] = instance.value("PrivateDnsName", "");
    leaves[prefix + "local-ipv4s"] = Lines(eni, "PrivateIpAddresses[].PrivateIpAddress");
    leaves[prefix + "mac"] = eni.value("MacAddress", "");
    leaves[prefix + "owner-id"] = eni.value("OwnerId", "");
    leaves[prefix + "security-group-ids"] = Lines(eni, "Groups[].GroupId");
    leaves[prefix + "security-groups"] = Lines(eni, "Groups[].GroupName");
    leaves[prefix + "subnet-id"] = eni.value("SubnetId", "");
    leaves[prefix + "subnet-ipv4-cidr-block"] = eni.value("_subnet_cidr", "");
    leaves[prefix + "vpc-id"] = eni.value("VpcId", "");
    leaves[prefix + "vpc-ipv4-cidr-block"] = eni.value("_vpc_cidr", "");
    leaves[prefix + "vpc-ipv4-cidr-blocks"] = eni.value("_vpc_cidr", "");
  }
  if (tags_allowed) {
    for (const auto& [key, value] : ec2::TagMap(instance)) {
      leaves["tags/instance/" + key] = value;
    }
  }
  if (has_profile) {
    const Json& role = instance["_role"];
    leaves["iam/info"] = Json{{"Code", "Success"},
                              {"LastUpdated", FormatRfc3339(context_.clock.Now())},
                              {"InstanceProfileArn", instance["IamInstanceProfile"]["Arn"]},
                              {"InstanceProfileId", instance["IamInstanceProfile"]["Id"]}}
                             .dump(2);
    leaves["iam/security-credentials/" + role.value("RoleName", "")] = "";
  }
  if (has_profile &&
      path == "iam/security-credentials/" + instance["_role"].value("RoleName", "")) {
    return RoleCredentials(instance);
  }
  if (auto it = leaves.find(path); it != leaves.end()) {
    return Text(200, it->second);
  }
  // A directory: the entries directly below `path`.
  std::string prefix = path.empty() ? "" : path + "/";
  std::vector<std::string> entries;
  for (const auto& [leaf, value] : leaves) {
    if (leaf.rfind(prefix, 0) != 0) {
      continue;
    }
    std::string tail = leaf.substr(prefix.size());
    size_t slash = tail.find('/');
    std::string entry = slash == std::string::npos ? tail : tail.substr(0, slash + 1);
    if (entries.empty() || entries.back() != entry) {
      entries.push_back(entry);
    }
  }
  if (path == "tags" && !tags_allowed) {
    entries.clear();
  }
  if (entries.empty()) {
    return NotFoundPage();
  }
  return Listing(entries);
}

HttpResponse ImdsHandler::RoleCredentials(const Json& instance) {
  auto now = context_.clock.Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (!credential_ || credential_expiry_ - now < kCredentialRefresh) {
    const Json& role = instance["_role"];
    std::string account = instance.value("_owner_id", "");
    std::string role_name = role.value("RoleName", "");
    Credential credential;
    credential.access_key_id = context_.ids.AccessKeyId("ASIA");
    credential.secret_access_key = context_.ids.Secret(40);
    credential.session_token = "IQoJb3JpZ2luX2VjE" + context_.ids.Secret(120);
    credential.identity.access_key_id = credential.access_key_id;
    credential.identity.account_id = account;
    credential.identity.arn =
        fmt::format("arn:aws:sts::{}:assumed-role/{}/{}", account, role_name, instance_id_);
    credential.identity.user_id = role.value("RoleId", "") + ":" + instance_id_;
    auto expiry = std::chrono::time_point_cast<std::chrono::seconds>(now) + kCredentialLifetime;
    credential.expiration = expiry;
    Status added = context_.credentials.AddTemporary(credential);
    if (!added.ok()) {
      return Text(500, added.message());
    }
    credential_ = Json{{"Code", "Success"},
                       {"LastUpdated", FormatRfc3339(now)},
                       {"Type", "AWS-HMAC"},
                       {"AccessKeyId", credential.access_key_id},
                       {"SecretAccessKey", credential.secret_access_key},
                       {"Token", credential.session_token},
                       {"Expiration", FormatRfc3339(expiry)}};
    credential_expiry_ = expiry;
  }
  return Text(200, credential_->dump(2));
}

}  // namespace cf::cloud
