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

#include <map>
#include <string>
#include <vector>

#include "cloud/core/context.h"
#include "cloud/core/service.h"

namespace cf::cloud::route53 {

inline constexpr char kZoneNs[] = "route53/zone";
inline constexpr char kRecordNs[] = "route53/record";
inline constexpr char kChangeNs[] = "route53/change";

// The record sets named `name` (any form Route 53 accepts) of type `type` in every hosted zone
// of `account`, read inside `txn`, with canonical names. Empty when there are none (or the name
// is not valid).
std::vector<Json> FindRecordSets(StoreTxn& txn, const std::string& account, const std::string& name,
                                 const std::string& type);

class Route53Service : public Service {
 public:
  explicit Route53Service(const ServiceContext& context) : context_(context) {}

  std::string name() const override { return "route53"; }
  bool HasOperation(const std::string& operation) const override;
  ServiceResult Handle(const ServiceCall& call) override;

 private:
  using Handler = ServiceResult (Route53Service::*)(const ServiceCall&);
  static const std::map<std::string, Handler>& Handlers();

  ServiceResult CreateHostedZone(const ServiceCall& call);
  ServiceResult GetHostedZone(const ServiceCall& call);
  ServiceResult ListHostedZones(const ServiceCall& call);
  ServiceResult ListHostedZonesByName(const ServiceCall& call);
  ServiceResult DeleteHostedZone(const ServiceCall& call);
  ServiceResult UpdateHostedZoneComment(const ServiceCall& call);
  ServiceResult GetHostedZoneCount(const ServiceCall& call);
  ServiceResult AssociateVPCWithHostedZone(const ServiceCall& call);
  ServiceResult DisassociateVPCFromHostedZone(const ServiceCall& call);
  ServiceResult ChangeResourceRecordSets(const ServiceCall& call);
  ServiceResult ListResourceRecordSets(const ServiceCall& call);
  ServiceResult GetChange(const ServiceCall& call);
  ServiceResult ChangeTagsForResource(const ServiceCall& call);
  ServiceResult ListTagsForResource(const ServiceCall& call);

  // A new change record (PENDING until the delay passes), stored in `txn`.
  Json NewChange(StoreTxn& txn, const std::string& comment);
  Json ChangeView(const Json& change) const;
  int64_t NowMillis() const;

  ServiceContext context_;
};

}  // namespace cf::cloud::route53
