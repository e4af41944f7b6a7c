#pragma once

// One instance's metadata service (IMDS), as EC2 serves it at 169.254.169.254 but on the
// instance's own loopback address (docs/local-cloud.md, "Instance metadata"):
//
//   PUT  /latest/api/token   (X-aws-ec2-metadata-token-ttl-seconds: 1..21600) -> a token
//   GET  /latest/meta-data/...  with X-aws-ec2-metadata-token: the token (IMDSv2), or without
//        one (IMDSv1) unless the instance's MetadataOptions.HttpTokens is "required" (401)
//   GET  /latest/user-data, /latest/dynamic/instance-identity/document
//
// meta-data paths: ami-id, ami-launch-index, hostname, local-hostname, local-ipv4, mac,
// instance-id, instance-type, reservation-id, security-groups, placement/{availability-zone,
// availability-zone-id, region, group-name}, network/interfaces/macs/MAC/{device-number,
// interface-id, local-ipv4s, mac, owner-id, security-group-ids, security-groups, subnet-id,
// subnet-ipv4-cidr-block, vpc-id, vpc-ipv4-cidr-block}, block-device-mapping/{ami, root,
// ephemeralN}, tags/instance/KEY (only when MetadataOptions.InstanceMetadataTags is
// "enabled"), iam/info and iam/security-credentials/ROLE (with an instance profile). A
// directory answers its entries one per line, sub-directories with a trailing '/'.
//
// Everything is read from the instance's current "ec2/instance" document on each request,
// so tags and state changes show at once. Role credentials are temporary keys in the
// CredentialStore (the server accepts them like STS's), for the session
// "arn:aws:sts::ACCOUNT:assumed-role/ROLE/INSTANCE_ID", valid six hours and replaced by new
// ones once fewer than fifteen minutes remain.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "cloud/core/context.h"
#include "cloud/http_server.h"

namespace cf::cloud {

// Thread-safe (the server calls it from its threads).
class ImdsHandler : public HttpHandler {
 public:
  // `context` must outlive the handler.
  ImdsHandler(const ServiceContext& context, std::string region, std::string instance_id)
      : context_(context), region_(std::move(region)), instance_id_(std::move(instance_id)) {}

  HttpResponse Handle(const HttpRequest& request) override;
  HttpResponse Reject(const HttpRequest& request, int status, std::string_view code,
                      std::string_view message) override;

 private:
  HttpResponse MetaData(const Json& instance, const std::string& path);
  // The role credential document (iam/security-credentials/ROLE).
  HttpResponse RoleCredentials(const Json& instance);

  ServiceContext context_;
  const std::string region_;
  const std::string instance_id_;
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> tokens_;  // guarded by mu_
  std::optional<Json> credential_;  // guarded by mu_: the last issued document
  std::chrono::system_clock::time_point credential_expiry_;  // guarded by mu_
};

}  // namespace cf::cloud
