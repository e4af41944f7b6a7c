// VPC flow logs: CreateFlowLogs, DescribeFlowLogs, DeleteFlowLogs. Records only: the local
// cloud captures no traffic. A destination is an S3 bucket ARN or a log group (name or ARN).

#include <fmt/core.h>

#include "cloud/core/ids.h"
#include "cloud/ec2/describe.h"
#include "cloud/ec2/ec2_common.h"
#include "cloud/ec2/ec2_service.h"

namespace cf::cloud::ec2 {

ServiceResult Ec2Service::CreateFlowLogs(const ServiceCall& call) {
  std::vector<std::string> resources = StringList(call.input, "ResourceIds");
  std::string resource_type = call.input.value("ResourceType", "");
  if (resources.empty()) {
    return MissingParameter("ResourceIds");
  }
  const ResourceType* kind = resource_type == "VPC"                ? &kVpcType
                             : resource_type == "Subnet"           ? &kSubnetType
                             : resource_type == "NetworkInterface" ? &kNetworkInterfaceType
                                                                   : nullptr;
  if (kind == nullptr) {
    return InvalidValue("Invalid value '" + resource_type +
                        "' for ResourceType. Valid values: VPC, Subnet, NetworkInterface, "
                        "TransitGateway, TransitGatewayAttachment");
  }
  std::string traffic = call.input.value("TrafficType", "ALL");
  if (traffic != "ALL" && traffic != "ACCEPT" && traffic != "REJECT") {
    return InvalidValue("Invalid value '" + traffic + "' for TrafficType");
  }
  std::string destination_type = call.input.value("LogDestinationType", "cloud-watch-logs");
  std::string destination = call.input.value("LogDestination", "");
  std::string group = call.input.value("LogGroupName", "");
  if (destination_type == "s3" && destination.rfind("arn:", 0) != 0) {
    return InvalidValue("LogDestination must be an S3 bucket ARN for LogDestinationType s3");
  }
  if (destination_type == "cloud-watch-logs" && destination.empty() && group.empty()) {
    return MissingParameter("LogDestination");
  }
  auto tags = SpecTags(call.input, "vpc-flow-log");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  std::string token = call.input.value("ClientToken", "");
  Json ids = Json::array();
  Json unsuccessful = Json::array();
  if (!token.empty()) {
    // The same token answers the flow logs that call made.
    auto all = ListIn(*txn, call, kFlowLogType);
    if (auto* error = std::get_if<ServiceError>(&all)) {
      return *error;
    }
    for (const Json& log : std::get<std::vector<Json>>(all)) {
      if (log.value("_client_token", "") == token) {
        ids.push_back(log["FlowLogId"]);
      }
    }
    if (!ids.empty()) {
      return Json{{"ClientToken", token}, {"FlowLogIds", ids}, {"Unsuccessful", unsuccessful}};
    }
  }
  for (const std::string& resource : resources) {
    auto found = GetResource(*txn, *kind, call, resource);
    if (std::holds_alternative<ServiceError>(found)) {
      unsuccessful.push_back(
          {{"ResourceId", resource},
           {"Error",
            {{"Code", kind->not_found},
             {"Message", fmt::format("The {} ID '{}' does not exist", kind->noun, resource)}}}});
      continue;
    }
    std::string id = context_.ids.ResourceId("fl");
    Json log = {{"FlowLogId", id},
                {"ResourceId", resource},
                {"TrafficType", traffic},
                {"LogDestinationType", destination_type},
                {"FlowLogStatus", "ACTIVE"},
                {"DeliverLogsStatus", "SUCCESS"},
                {"CreationTime", std::chrono::duration_cast<std::chrono::seconds>(
                                     context_.clock.Now().time_since_epoch())
                                     .count()},
                {"LogFormat",
                 call.input.value("LogFormat",
                                  "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} "
                                  "${srcport} ${dstport} ${protocol} ${packets} ${bytes} "
                                  "${start} ${end} ${action} ${log-status}")},
                {"MaxAggregationInterval", call.input.value("MaxAggregationInterval", 600)},
                {"Tags", TagList(std::get<std::map<std::string, std::string>>(tags))},
                {"_client_token", token}};
    if (!destination.empty()) {
      log["LogDestination"] = destination;
    }
    if (!group.empty()) {
      log["LogGroupName"] = group;
    }
    if (call.input.contains("DeliverLogsPermissionArn")) {
      log["DeliverLogsPermissionArn"] = call.input["DeliverLogsPermissionArn"];
    }
    if (call.input.contains("DestinationOptions")) {
      log["DestinationOptions"] = call.input["DestinationOptions"];
    }
    if (auto error = PutResource(*txn, call, kFlowLogType, log)) {
      return *error;
    }
    ids.push_back(id);
  }
  Json out = {{"FlowLogIds", ids}, {"Unsuccessful", unsuccessful}};
  if (!token.empty()) {
    out["ClientToken"] = token;
  }
  return CommitWith(*txn, out);
}

ServiceResult Ec2Service::DescribeFlowLogs(const ServiceCall& call) {
  // This operation names its filter list "Filter".
  ServiceCall adapted = call;
  if (adapted.input.contains("Filter")) {
    adapted.input["Filters"] = adapted.input["Filter"];
    adapted.input.erase("Filter");
  }
  return DescribeStored(context_.store, adapted, kFlowLogType, "FlowLogIds",
                        MemberFilters({{"flow-log-id", "FlowLogId"},
                                       {"resource-id", "ResourceId"},
                                       {"traffic-type", "TrafficType"},
                                       {"log-destination-type", "LogDestinationType"},
                                       {"log-group-name", "LogGroupName"},
                                       {"deliver-log-status", "DeliverLogsStatus"}}),
                        "FlowLogs");
}

ServiceResult Ec2Service::DeleteFlowLogs(const ServiceCall& call) {
  std::vector<std::string> ids = StringList(call.input, "FlowLogIds");
  if (ids.empty()) {
    return MissingParameter("FlowLogIds");
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Json unsuccessful = Json::array();
  for (const std::string& id : ids) {
    auto found = GetResource(*txn, kFlowLogType, call, id);
    if (std::holds_alternative<ServiceError>(found)) {
      unsuccessful.push_back(
          {{"ResourceId", id},
           {"Error",
            {{"Code", "InvalidFlowLogId.NotFound"},
             {"Message", fmt::format("The flow log ID '{}' does not exist", id)}}}});
      continue;
    }
    Status s = txn->Delete(kFlowLogType.ns, Key(call, id));
    if (!s.ok()) {
      return StoreFailure(s);
    }
  }
  return CommitWith(*txn, Json{{"Unsuccessful", unsuccessful}});
}

}  // namespace cf::cloud::ec2
