#pragma once

// AWS Certificate Manager for the local cloud (JSON 1.1, signing name "acm"):
// - ImportCertificate reads the PEM certificate, key and chain with OpenSSL (certificate.h):
//   subject, SANs, validity, serial, key and signature algorithms; the key must match and the
//   certificate must be valid now. The private key is checked and then dropped: it is kept
//   nowhere (nothing here terminates TLS).
// - RequestCertificate (DNS validation) answers, per domain, the CNAME record ACM asks for:
//   "_<32 hex>.<domain>." -> "_<32 hex>.<token>.acm-validations.aws.", derived from the account
//   and the domain (a wildcard and its base share one record; a second certificate for a
//   domain already validated is issued at once, as in ACM). The certificate stays
//   PENDING_VALIDATION until every domain's record exists in a hosted zone of the caller's
//   account in the local Route 53, then becomes ISSUED (checked on each read), with a
//   certificate the local cloud signs ("CN=clusterform local ACM").
// - DeleteCertificate is refused (ResourceInUseException) while an ELBv2 listener uses the
//   certificate; InUseBy lists those load balancers. Tags on certificates.
// State: "acm/certificate", keyed by ARN: the CertificateDetail shape plus "_certificate"
// (PEM), "_chain", "_tags", "_validation" and "_token" (RequestCertificate's
// IdempotencyToken). ELBv2 reads Status from there.

#include <map>
#include <string>

#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"

namespace cf::cloud::acm {

inline constexpr char kCertificateNs[] = "acm/certificate";

class AcmService : public TableService<AcmService> {
 public:
  explicit AcmService(const ServiceContext& context)
      : TableService(context.store, Operations()), context_(context) {}

  std::string name() const override { return "acm"; }

 private:
  static const OperationTable<AcmService>& Operations();

  ServiceResult ImportCertificate(const ServiceCall& call, CallTxn& txn);
  ServiceResult RequestCertificate(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeCertificate(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetCertificate(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListCertificates(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteCertificate(const ServiceCall& call, CallTxn& txn);
  ServiceResult AddTagsToCertificate(const ServiceCall& call, CallTxn& txn);
  ServiceResult RemoveTagsFromCertificate(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListTagsForCertificate(const ServiceCall& call, CallTxn& txn);

  int64_t Now() const;
  // Issues a pending certificate whose validation records all exist; true when it changed.
  bool Refresh(StoreTxn& txn, const ServiceCall& call, Json& certificate);

  ServiceContext context_;
};

}  // namespace cf::cloud::acm
