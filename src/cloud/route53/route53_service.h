#pragma once

// Route 53 for the local cloud (rest-xml, signing name "route53", global: signed for
// us-east-1): hosted zones, public and private (with VPC associations), record sets changed in
// batches with Route 53's rules (record_sets.h), changes that are PENDING until the latency
// profile's "route53:Change" delay has passed and INSYNC afterwards, and hosted-zone tags.
// State in the Store:
//   route53/zone    key: zone id ("Z..."); the HostedZone shape plus "_account", "_vpcs",
//                   "_tags", "_name_servers"
//   route53/record  key: RecordKey(zone id, name, type, set id); the ResourceRecordSet shape
//                   with the canonical name
//   route53/change  key: change id ("C..."); the ChangeInfo shape plus "_submitted_ms"
// ACM reads record sets through FindRecordSets (DNS validation). Nothing answers DNS queries:
// records are data for the APIs (docs/local-cloud.md, "Route 53").

#include <string>
#include <vector>

#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"

namespace cf::cloud::route53 {

inline constexpr char kZoneNs[] = "route53/zone";
inline constexpr char kRecordNs[] = "route53/record";
inline constexpr char kChangeNs[] = "route53/change";

// The record sets named `name` (any form Route 53 accepts) of type `type` in every hosted zone
// of `account`, read inside `txn`, with canonical names. Empty when there are none (or the name
// is not valid).
std::vector<Json> FindRecordSets(StoreTxn& txn, const std::string& account, const std::string& name,
                                 const std::string& type);

class Route53Service : public TableService<Route53Service> {
 public:
  explicit Route53Service(const ServiceContext& context)
      : TableService(context.store, Operations()), context_(context) {}

  std::string name() const override { return "route53"; }

 private:
  static const OperationTable<Route53Service>& Operations();

  ServiceResult CreateHostedZone(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetHostedZone(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListHostedZones(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListHostedZonesByName(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteHostedZone(const ServiceCall& call, CallTxn& txn);
  ServiceResult UpdateHostedZoneComment(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetHostedZoneCount(const ServiceCall& call, CallTxn& txn);
  ServiceResult AssociateVPCWithHostedZone(const ServiceCall& call, CallTxn& txn);
  ServiceResult DisassociateVPCFromHostedZone(const ServiceCall& call, CallTxn& txn);
  ServiceResult ChangeResourceRecordSets(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListResourceRecordSets(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetChange(const ServiceCall& call, CallTxn& txn);
  ServiceResult ChangeTagsForResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListTagsForResource(const ServiceCall& call, CallTxn& txn);

  // A new change record (PENDING until the delay passes), stored in `txn`.
  ServiceOr<Json> NewChange(CallTxn& txn, const std::string& comment);
  Json ChangeView(const Json& change) const;
  int64_t NowMillis() const;

  ServiceContext context_;
};

}  // namespace cf::cloud::route53
