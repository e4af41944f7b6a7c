// The RDS service's operation table, its servers' background threads, tags and engine
// versions. Clusters, instances, snapshots and groups are in rds_*.cc beside it.

#include "cloud/rds/rds_service.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

#include "cloud/rds/rds_common.h"
#include "cloud/rds/rds_rules.h"

namespace cf::cloud::rds {

namespace {

ServiceError InternalFailureOf(std::string message) {
  return ServiceError{"InternalFailure", std::move(message), 500, false};
}

ServiceError InvalidInput(std::string message) {
  return InvalidParameterValue(std::move(message));
}

// The namespace and key of the resource an RDS ARN names.
struct ArnTarget {
  const char* ns = nullptr;
  std::string key;
};

std::optional<ArnTarget> TargetOf(const std::string& arn) {
  // arn:aws:rds:REGION:ACCOUNT:KIND:ID
  std::vector<std::string> parts;
  size_t start = 0;
  for (int i = 0; i < 6; ++i) {
    size_t colon = arn.find(':', start);
    if (colon == std::string::npos) {
      return std::nullopt;
    }
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  parts.push_back(arn.substr(start));
  if (parts[0] != "arn" || parts[2] != "rds") {
    return std::nullopt;
  }
  static const std::map<std::string, const char*> kKinds = {
      {"cluster", kClusterNs},           {"db", kInstanceNs},
      {"cluster-snapshot", kSnapshotNs}, {"cluster-pg", kClusterParameterGroupNs},
      {"pg", kParameterGroupNs},         {"subgrp", kSubnetGroupNs}};
  auto kind = kKinds.find(parts[5]);
  if (kind == kKinds.end()) {
    return std::nullopt;
  }
  return ArnTarget{kind->second, parts[4] + "/" + parts[3] + "/" + parts[6]};
}

}  // namespace

RdsService::RdsService(const ServiceContext& context, kms::KeyVault& vault,
                       std::unique_ptr<DatabaseRuntime> runtime)
    : TableService(context.store, Operations()),
      context_(context),
      vault_(vault),
      runtime_(std::move(runtime)) {}

RdsService::~RdsService() {
  StopServers();
}

const OperationTable<RdsService>& RdsService::Operations() {
  using S = RdsService;
  static const OperationTable<RdsService> kTable(
      {
          {"CreateDBCluster", &S::CreateDBCluster},
          {"RestoreDBClusterFromSnapshot", &S::RestoreDBClusterFromSnapshot},
          {"DescribeDBClusters", &S::DescribeDBClusters},
          {"ModifyDBCluster", &S::ModifyDBCluster},
          {"DeleteDBCluster", &S::DeleteDBCluster},
          {"CreateDBInstance", &S::CreateDBInstance},
          {"DescribeDBInstances", &S::DescribeDBInstances},
          {"ModifyDBInstance", &S::ModifyDBInstance},
          {"DeleteDBInstance", &S::DeleteDBInstance},
          {"CreateDBClusterSnapshot", &S::CreateDBClusterSnapshot},
          {"DescribeDBClusterSnapshots", &S::DescribeDBClusterSnapshots},
          {"CopyDBClusterSnapshot", &S::CopyDBClusterSnapshot},
          {"DeleteDBClusterSnapshot", &S::DeleteDBClusterSnapshot},
          {"CreateDBClusterParameterGroup",
           [](S& s, const ServiceCall& c, CallTxn& t) {
             return s.CreateParameterGroup(c, t, true);
           }},
          {"CreateDBParameterGroup",
           [](S& s, const ServiceCall& c, CallTxn& t) {
             return s.CreateParameterGroup(c, t, false);
           }},
          {"DescribeDBClusterParameterGroups",
           [](S& s, const ServiceCall& c, CallTxn& t) {
             return s.DescribeParameterGroups(c, t, true);
           }},
          {"DescribeDBParameterGroups",
           [](S& s, const ServiceCall& c, CallTxn& t) {
             return s.DescribeParameterGroups(c, t, false);
           }},
          {"ModifyDBClusterParameterGroup",
           [](S& s, const ServiceCall& c, CallTxn& t) {
             return s.ModifyParameterGroup(c, t, true);
           }},
          {"ModifyDBParameterGroup",
           [](S& s, const ServiceCall& c, CallTxn& t) {
             return s.ModifyParameterGroup(c, t, false);
           }},
          {"ResetDBClusterParameterGroup",
           [](S& s, const ServiceCall& c, CallTxn& t) {
             return s.ResetParameterGroup(c, t, true);
           }},
          {"ResetDBParameterGroup", [](S& s, const ServiceCall& c,
                                       CallTxn& t) { return s.ResetParameterGroup(c, t, false); }},
          {"DescribeDBClusterParameters",
           [](S& s, const ServiceCall& c, CallTxn& t) { return s.DescribeParameters(c, t, true); }},
          {"DescribeDBParameters", [](S& s, const ServiceCall& c,
                                      CallTxn& t) { return s.DescribeParameters(c, t, false); }},
          {"DeleteDBClusterParameterGroup",
           [](S& s, const ServiceCall& c, CallTxn& t) {
             return s.DeleteParameterGroup(c, t, true);
           }},
          {"DeleteDBParameterGroup",
           [](S& s, const ServiceCall& c, CallTxn& t) {
             return s.DeleteParameterGroup(c, t, false);
           }},
          {"CreateDBSubnetGroup", &S::CreateDBSubnetGroup},
          {"DescribeDBSubnetGroups", &S::DescribeDBSubnetGroups},
          {"ModifyDBSubnetGroup", &S::ModifyDBSubnetGroup},
          {"DeleteDBSubnetGroup", &S::DeleteDBSubnetGroup},
          {"AddTagsToResource", &S::AddTagsToResource},
          {"RemoveTagsFromResource", &S::RemoveTagsFromResource},
          {"ListTagsForResource", &S::ListTagsForResource},
          {"DescribeDBEngineVersions", &S::DescribeDBEngineVersions},
      },
      {.internal_error = InternalFailureOf, .invalid_input = InvalidInput});
  return kTable;
}

int64_t RdsService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             context_.clock.Now().time_since_epoch())
      .count();
}

bool RdsService::DelayPassed(int64_t since_ms, const char* delay) const {
  int64_t delay_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(context_.latency.StateDelay(delay))
          .count();
  return NowMs() >= since_ms + delay_ms;
}

void RdsService::StartServer(const ServerSpec& spec, bool resume, MasterUser master,
                             std::string database, std::string snapshot) {
  std::lock_guard<std::mutex> lock(mu_);
  servers_[spec.name] = Server{Server::Phase::kStarting, resume, ""};
  jobs_.emplace_back([this, spec, resume, master = std::move(master),
                      database = std::move(database), snapshot = std::move(snapshot)] {
    Status started =
        resume ? runtime_->Resume(spec) : runtime_->Create(spec, master, database, snapshot);
    std::lock_guard<std::mutex> done(mu_);
    auto it = servers_.find(spec.name);
    if (it == servers_.end()) {
      return;
    }
    it->second.phase = started.ok() ? Server::Phase::kRunning : Server::Phase::kFailed;
    it->second.error = started.ok() ? "" : started.message();
  });
}

std::optional<RdsService::Server> RdsService::ServerOf(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = servers_.find(name);
  if (it == servers_.end()) {
    return std::nullopt;
  }
  return it->second;
}

void RdsService::WaitForServers() {
  while (true) {
    std::vector<std::thread> jobs;
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs.swap(jobs_);
    }
    if (jobs.empty()) {
      return;
    }
    for (std::thread& job : jobs) {
      job.join();
    }
  }
}

void RdsService::StopServers() {
  WaitForServers();
  runtime_->StopAll();
  std::lock_guard<std::mutex> lock(mu_);
  servers_.clear();
}

Status RdsService::Reset() {
  WaitForServers();
  {
    std::lock_guard<std::mutex> lock(mu_);
    servers_.clear();
  }
  return runtime_->DestroyAll();
}

Status RdsService::ResumeServers() {
  ASSIGN_OR_RETURN(auto clusters, context_.store.List(kClusterNs));
  for (const auto& [key, doc] : clusters) {
    StartServer(
        ServerSpec{key, doc.value("_address", ""), static_cast<uint16_t>(doc.value("Port", 3306))},
        /*resume=*/true, {}, "", "");
  }
  return OkStatus();
}

namespace {

// The resource a tag operation's ResourceName names: where it is stored, and its document.
struct Tagged {
  ArnTarget target;
  Json doc;
};

ServiceOr<Tagged> TaggedResource(CallTxn& txn, const ServiceCall& call) {
  std::string arn = call.input.value("ResourceName", "");
  std::optional<ArnTarget> target = TargetOf(arn);
  if (!target || target->key.rfind(KeyPrefix(call), 0) != 0) {
    return InvalidParameterValue(fmt::format("Invalid resource name: {}", arn));
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> doc, txn.Get(target->ns, target->key));
  if (!doc) {
    return Error("ResourceNotFoundFault", fmt::format("Resource {} not found.", arn), 404);
  }
  return Tagged{*target, *doc};
}

}  // namespace

ServiceResult RdsService::AddTagsToResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Tagged r, TaggedResource(txn, call));
  r.doc["TagList"] =
      MergeTags(r.doc.value("TagList", Json::array()), call.input.value("Tags", Json::array()));
  SERVICE_RETURN_IF_ERROR(txn.Put(r.target.ns, r.target.key, r.doc));
  return Json::object();
}

ServiceResult RdsService::RemoveTagsFromResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Tagged r, TaggedResource(txn, call));
  std::vector<std::string> keys = Strings(call.input, "TagKeys");
  Json kept = Json::array();
  for (const Json& tag : r.doc.value("TagList", Json::array())) {
    if (std::find(keys.begin(), keys.end(), tag.value("Key", "")) == keys.end()) {
      kept.push_back(tag);
    }
  }
  r.doc["TagList"] = kept;
  SERVICE_RETURN_IF_ERROR(txn.Put(r.target.ns, r.target.key, r.doc));
  return Json::object();
}

ServiceResult RdsService::ListTagsForResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Tagged r, TaggedResource(txn, call));
  return Json{{"TagList", r.doc.value("TagList", Json::array())}};
}

ServiceOr<std::string> RdsService::KeyArn(CallTxn& txn, const ServiceCall& call,
                                          const std::string& key_id) {
  ServiceOr<std::string> resolved =
      vault_.ResolveKeyArn(txn, kms::KeyScope{call.account_id, call.region}, key_id);
  if (!resolved.ok() && !resolved.error().internal) {
    return Error("KMSKeyNotAccessibleFault",
                 fmt::format("The specified KMS key [{}] does not exist, is not enabled or you "
                             "do not have permissions to access it.",
                             key_id));
  }
  return resolved;
}

ServiceResult RdsService::DescribeDBEngineVersions(const ServiceCall& call, CallTxn&) {
  std::string engine = call.input.value("Engine", "aurora-mysql");
  Json versions = Json::array();
  if (engine == "aurora-mysql") {
    std::string wanted = call.input.value("EngineVersion", "");
    for (const char* major : {"5.7", "8.0"}) {
      ServiceOr<std::string> version = ResolveEngineVersion(engine, major);
      if (!version.ok()) {
        continue;
      }
      if (!wanted.empty() && wanted != *version && wanted != major) {
        continue;
      }
      versions.push_back({{"Engine", engine},
                          {"EngineVersion", *version},
                          {"DBParameterGroupFamily", FamilyOf(*version)},
                          {"DBEngineDescription", "Aurora MySQL"},
                          {"DBEngineVersionDescription",
                           fmt::format("Aurora MySQL {} (served by MariaDB)", *version)},
                          {"Status", "available"},
                          {"SupportsReadReplica", false}});
    }
  }
  return Page(versions, call.input, "DBEngineVersions");
}

}  // namespace cf::cloud::rds
