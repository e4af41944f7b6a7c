#include "cloud/acm/acm_service.h"

#include <fmt/core.h>
#include <openssl/evp.h>

#include <algorithm>
#include <set>

#include "cloud/acm/certificate.h"
#include "cloud/route53/route53_service.h"

namespace cf::cloud::acm {

namespace {

// Issued certificates are valid for 395 days, as ACM's.
constexpr int64_t kValiditySeconds = 395 * 24 * 3600;

ServiceError Error(const char* code, std::string message) {
  return ServiceError{code, std::move(message), 400, true};
}

// The local cloud's own failures (the store's), as ACM answers its internal errors.
ServiceError Unavailable(std::string message) {
  return ServiceError{"ServiceUnavailableException", std::move(message), 500, false};
}

ServiceError Invalid(std::string message) {
  return Error("ValidationException", "Invalid request: " + std::move(message));
}

ServiceError NotFound(const std::string& arn) {
  return Error("ResourceNotFoundException", fmt::format("Could not find certificate {}.", arn));
}

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return s;
}

std::string WithDot(std::string s) {
  if (s.empty() || s.back() != '.') {
    s.push_back('.');
  }
  return Lower(s);
}

bool ValidDomain(const std::string& domain) {
  if (domain.empty() || domain.size() > 253) {
    return false;
  }
  std::string rest = domain.rfind("*.", 0) == 0 ? domain.substr(2) : domain;
  if (rest.find('.') == std::string::npos) {
    return false;
  }
  size_t label = 0;
  for (char c : rest) {
    if (c == '.') {
      if (label == 0) {
        return false;
      }
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') {
      if (++label > 63) {
        return false;
      }
    } else {
      return false;
    }
  }
  return label > 0;
}

// The DNS validation record of `domain` for `account`.
Json ValidationRecord(const std::string& account, const std::string& domain) {
  std::string base = Lower(domain.rfind("*.", 0) == 0 ? domain.substr(2) : domain);
  std::string h = Sha256Hex(account + "|" + base);
  return {{"Name", fmt::format("_{}.{}.", h.substr(0, 32), base)},
          {"Type", "CNAME"},
          {"Value", fmt::format("_{}.{}.acm-validations.aws.", h.substr(32, 32), h.substr(0, 10))}};
}

// "RSA_2048" -> "RSA-2048": DescribeCertificate's spelling (ListCertificates keeps the enum).
std::string DetailAlgorithm(const std::string& algorithm) {
  std::string out = algorithm;
  size_t underscore = out.find('_');
  if (underscore != std::string::npos) {
    out[underscore] = '-';
  }
  return out;
}

ServiceOr<Json> CheckTags(const Json& tags) {
  Json out = Json::array();
  for (const Json& tag : tags) {
    std::string key = tag.value("Key", "");
    if (key.empty() || key.size() > 128 || tag.value("Value", "").size() > 256) {
      return Error(
          "InvalidTagException",
          fmt::format("Tag key '{}' must be 1-128 characters and its value at most 256", key));
    }
    if (key.rfind("aws:", 0) == 0) {
      return Error("InvalidTagException", "Tag keys starting with 'aws:' are reserved");
    }
    out.push_back(tag);
  }
  return out;
}

ServiceOr<Json> MergeTags(Json existing, const Json& tags) {
  SERVICE_ASSIGN_OR_RETURN(Json checked, CheckTags(tags));
  for (const Json& tag : checked) {
    std::string key = tag.value("Key", "");
    existing.erase(std::remove_if(existing.begin(), existing.end(),
                                  [&](const Json& t) { return t.value("Key", "") == key; }),
                   existing.end());
    Json entry = {{"Key", key}};
    if (tag.contains("Value")) {
      entry["Value"] = tag["Value"];
    }
    existing.push_back(entry);
  }
  if (existing.size() > 50) {
    return Error("TooManyTagsException", "A certificate can have at most 50 tags");
  }
  return existing;
}

// The load balancers whose listeners use `arn` (ELBv2's documents, "elbv2/listener").
std::vector<std::string> InUseBy(StoreTxn& txn, const std::string& arn) {
  std::set<std::string> lbs;
  auto listeners = txn.List("elbv2/listener");
  if (!listeners.ok()) {
    return {};
  }
  for (const auto& [key, l] : *listeners) {
    for (const char* member : {"Certificates", "_extra_certificates"}) {
      for (const Json& c : l.value(member, Json::array())) {
        if (c.value("CertificateArn", "") == arn) {
          lbs.insert(l.value("LoadBalancerArn", ""));
        }
      }
    }
  }
  return {lbs.begin(), lbs.end()};
}

Json Detail(StoreTxn& txn, const Json& doc) {
  Json view = doc;
  for (auto it = view.begin(); it != view.end();) {
    if (it.key().rfind("_", 0) == 0) {
      it = view.erase(it);
    } else {
      ++it;
    }
  }
  view["KeyAlgorithm"] = DetailAlgorithm(doc.value("KeyAlgorithm", "RSA_2048"));
  view["InUseBy"] = InUseBy(txn, doc.value("CertificateArn", ""));
  return view;
}

}  // namespace

const OperationTable<AcmService>& AcmService::Operations() {
  static const OperationTable<AcmService> kTable(
      {
          {"ImportCertificate", &AcmService::ImportCertificate},
          {"RequestCertificate", &AcmService::RequestCertificate},
          {"DescribeCertificate", &AcmService::DescribeCertificate},
          {"GetCertificate", &AcmService::GetCertificate},
          {"ListCertificates", &AcmService::ListCertificates},
          {"DeleteCertificate", &AcmService::DeleteCertificate},
          {"AddTagsToCertificate", &AcmService::AddTagsToCertificate},
          {"RemoveTagsFromCertificate", &AcmService::RemoveTagsFromCertificate},
          {"ListTagsForCertificate", &AcmService::ListTagsForCertificate},
      },
      {.internal_error = Unavailable, .invalid_input = Invalid});
  return kTable;
}

int64_t AcmService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(context_.clock.Now().time_since_epoch())
      .count();
}

bool AcmService::Refresh(StoreTxn& txn, const ServiceCall& call, Json& certificate) {
  if (certificate.value("Status", "") != "PENDING_VALIDATION") {
    return false;
  }
  bool all = true;
  bool changed = false;
  for (Json& option : certificate["DomainValidationOptions"]) {
    if (option.value("ValidationStatus", "") == "SUCCESS") {
      continue;
    }
    const Json& wanted = option["ResourceRecord"];
    bool found = false;
    for (const Json& record :
         route53::FindRecordSets(txn, call.account_id, wanted.value("Name", ""), "CNAME")) {
      for (const Json& value : record.value("ResourceRecords", Json::array())) {
        if (WithDot(value.value("Value", "")) == WithDot(wanted.value("Value", ""))) {
          found = true;
        }
      }
    }
    if (found) {
      option["ValidationStatus"] = "SUCCESS";
      changed = true;
    } else {
      all = false;
    }
  }
  if (!all) {
    return changed;
  }
  std::vector<std::string> names;
  for (const Json& n : certificate["SubjectAlternativeNames"]) {
    names.push_back(n.get<std::string>());
  }
  int64_t now = Now();
  Result<IssuedCertificate> issued =
      IssueCertificate(certificate.value("DomainName", ""), names,
                       certificate.value("KeyAlgorithm", "RSA_2048"), now, now + kValiditySeconds);
  if (!issued.ok()) {
    certificate["Status"] = "FAILED";
    certificate["FailureReason"] = "OTHER";
    return true;
  }
  Result<CertificateFacts> facts = ReadCertificate(issued->certificate_pem);
  certificate["Status"] = "ISSUED";
  certificate["IssuedAt"] = now;
  certificate["NotBefore"] = now;
  certificate["NotAfter"] = now + kValiditySeconds;
  certificate["RenewalEligibility"] = "ELIGIBLE";
  if (facts.ok()) {
    certificate["Serial"] = facts->serial;
    certificate["Subject"] = facts->subject;
    certificate["Issuer"] = facts->issuer;
    certificate["SignatureAlgorithm"] = facts->signature_algorithm;
  }
  certificate["_certificate"] = issued->certificate_pem;
  return true;
}

ServiceResult AcmService::ImportCertificate(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string pem = in.value("Certificate", "");
  std::string key = in.value("PrivateKey", "");
  std::string chain = in.value("CertificateChain", "");
  if (pem.empty() || pem.size() > 32768) {
    return Error("ValidationException", "The certificate must be 1 to 32768 bytes");
  }
  if (key.empty() || key.size() > 5120) {
    return Error("ValidationException", "The private key must be 1 to 5120 bytes");
  }
  Result<CertificateFacts> facts = ReadCertificate(pem);
  if (!facts.ok()) {
    return Error("ValidationException", facts.status().message());
  }
  if (Status s = CheckPrivateKey(pem, key); !s.ok()) {
    return Error("ValidationException", s.message());
  }
  if (!chain.empty()) {
    if (Status s = CheckChain(chain); !s.ok()) {
      return Error("ValidationException", s.message());
    }
  }
  int64_t now = Now();
  if (facts->not_after <= now) {
    return Error("ValidationException", "The certificate has expired");
  }
  if (facts->not_before > now) {
    return Error("ValidationException", "The certificate is not yet valid");
  }
  std::string arn = in.value("CertificateArn", "");
  Json doc;
  if (!arn.empty()) {
    if (in.contains("Tags")) {
      return Error("ValidationException", "Tags cannot be given when a certificate is reimported");
    }
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, txn.Get(kCertificateNs, arn));
    if (!existing ||
        arn.rfind(fmt::format("arn:aws:acm:{}:{}:certificate/", call.region, call.account_id), 0) !=
            0) {
      return NotFound(arn);
    }
    doc = std::move(*existing);
    if (doc.value("Type", "") != "IMPORTED") {
      return Error("ValidationException", "Only an imported certificate can be reimported over");
    }
  } else {
    arn = fmt::format("arn:aws:acm:{}:{}:certificate/{}", call.region, call.account_id,
                      context_.ids.RequestId());
    SERVICE_ASSIGN_OR_RETURN(Json tags, MergeTags(Json::array(), in.value("Tags", Json::array())));
    doc = {{"CertificateArn", arn}, {"CreatedAt", now}, {"_tags", std::move(tags)}};
  }
  Json sans = facts->sans;
  if (sans.empty() && !facts->domain_name.empty()) {
    sans.push_back(facts->domain_name);
  }
  doc["DomainName"] = facts->domain_name;
  doc["SubjectAlternativeNames"] = sans;
  doc["Serial"] = facts->serial;
  doc["Subject"] = facts->subject;
  doc["Issuer"] = facts->issuer;
  doc["ImportedAt"] = now;
  doc["Status"] = "ISSUED";
  doc["NotBefore"] = facts->not_before;
  doc["NotAfter"] = facts->not_after;
  doc["KeyAlgorithm"] = facts->key_algorithm;
  doc["SignatureAlgorithm"] = facts->signature_algorithm;
  doc["Type"] = "IMPORTED";
  doc["RenewalEligibility"] = "INELIGIBLE";
  doc["KeyUsages"] = Json::array();
  doc["ExtendedKeyUsages"] = Json::array();
  doc["Options"] = {{"CertificateTransparencyLoggingPreference", "ENABLED"}};
  doc["_certificate"] = pem;
  doc["_chain"] = chain;
  SERVICE_RETURN_IF_ERROR(txn.Put(kCertificateNs, arn, doc));
  return Json{{"CertificateArn", arn}};
}

ServiceResult AcmService::RequestCertificate(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string domain = in.value("DomainName", "");
  if (!ValidDomain(domain)) {
    return Error("ValidationException",
                 fmt::format("1 validation error detected: Value '{}' at 'domainName' failed to "
                             "satisfy constraint: Member must satisfy regular expression pattern",
                             domain));
  }
  std::string method = in.value("ValidationMethod", "EMAIL");
  if (method != "DNS") {
    return Error("InvalidParameterException",
                 "The local cloud validates certificates by DNS only: use ValidationMethod DNS");
  }
  if (in.contains("CertificateAuthorityArn")) {
    return Error("InvalidParameterException",
                 "Private certificate authorities are not supported by the local cloud");
  }
  std::string algorithm = in.value("KeyAlgorithm", "RSA_2048");
  static const std::set<std::string> kAlgorithms = {"RSA_2048", "EC_prime256v1", "EC_secp384r1"};
  if (kAlgorithms.count(algorithm) == 0) {
    return Error("ValidationException",
                 fmt::format("Key algorithm {} is not supported for requested certificates; use "
                             "RSA_2048, EC_prime256v1 or EC_secp384r1",
                             algorithm));
  }
  std::vector<std::string> names = {domain};
  for (const Json& san : in.value("SubjectAlternativeNames", Json::array())) {
    std::string name = san.get<std::string>();
    if (!ValidDomain(name)) {
      return Error("ValidationException", fmt::format("'{}' is not a valid domain name", name));
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  if (names.size() > 10) {
    return Error("LimitExceededException",
                 "A certificate can have at most 10 domain names (the default quota)");
  }
  std::string token = in.value("IdempotencyToken", "");
  std::string prefix = fmt::format("arn:aws:acm:{}:{}:certificate/", call.region, call.account_id);
  int64_t now = Now();
  if (!token.empty()) {
    SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kCertificateNs, prefix));
    for (const auto& [arn, doc] : all) {
      if (doc.value("_token", "") == token && doc.value("DomainName", "") == domain &&
          now - doc.value("CreatedAt", int64_t{0}) < 3600) {
        return Json{{"CertificateArn", arn}};
      }
    }
  }
  SERVICE_ASSIGN_OR_RETURN(Json tags, MergeTags(Json::array(), in.value("Tags", Json::array())));
  std::string arn = prefix + context_.ids.RequestId();
  Json options = Json::array();
  for (const std::string& name : names) {
    options.push_back({{"DomainName", name},
                       {"ValidationDomain", name},
                       {"ValidationStatus", "PENDING_VALIDATION"},
                       {"ResourceRecord", ValidationRecord(call.account_id, name)},
                       {"ValidationMethod", "DNS"}});
  }
  Json doc = {
      {"CertificateArn", arn},
      {"DomainName", domain},
      {"SubjectAlternativeNames", names},
      {"DomainValidationOptions", options},
      {"CreatedAt", now},
      {"Status", "PENDING_VALIDATION"},
      {"KeyAlgorithm", algorithm},
      {"Type", "AMAZON_ISSUED"},
      {"RenewalEligibility", "INELIGIBLE"},
      {"KeyUsages", Json::array({{{"Name", "DIGITAL_SIGNATURE"}}, {{"Name", "KEY_ENCIPHERMENT"}}})},
      {"ExtendedKeyUsages",
       Json::array({{{"Name", "TLS_WEB_SERVER_AUTHENTICATION"}, {"OID", "1.3.6.1.5.5.7.3.1"}},
                    {{"Name", "TLS_WEB_CLIENT_AUTHENTICATION"}, {"OID", "1.3.6.1.5.5.7.3.2"}}})},
      {"Options",
       in.value("Options", Json{{"CertificateTransparencyLoggingPreference", "ENABLED"}})},
      {"_token", token},
      {"_tags", std::move(tags)}};
  SERVICE_ASSIGN_OR_RETURN(StoreTxn * raw, txn.Open());
  Refresh(*raw, call, doc);
  SERVICE_RETURN_IF_ERROR(txn.Put(kCertificateNs, arn, doc));
  return Json{{"CertificateArn", arn}};
}

namespace {

// The caller's certificate `arn` inside `txn`, or the error ACM gives.
ServiceOr<Json> GetOwn(CallTxn& txn, const ServiceCall& call, const std::string& arn) {
  if (arn.rfind("arn:aws:acm:", 0) != 0 || arn.find(":certificate/") == std::string::npos) {
    return Error("InvalidArnException", fmt::format("{} is not a valid certificate ARN", arn));
  }
  if (arn.rfind(fmt::format("arn:aws:acm:{}:{}:certificate/", call.region, call.account_id), 0) !=
      0) {
    return NotFound(arn);
  }
  return txn.Require(kCertificateNs, arn, NotFound(arn));
}

}  // namespace

ServiceResult AcmService::DescribeCertificate(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Json certificate,
                           GetOwn(txn, call, call.input.value("CertificateArn", "")));
  SERVICE_ASSIGN_OR_RETURN(StoreTxn * raw, txn.Open());
  if (Refresh(*raw, call, certificate)) {
    SERVICE_RETURN_IF_ERROR(txn.Put(kCertificateNs, certificate["CertificateArn"], certificate));
  }
  return Json{{"Certificate", Detail(*raw, certificate)}};
}

ServiceResult AcmService::GetCertificate(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("CertificateArn", "");
  SERVICE_ASSIGN_OR_RETURN(Json certificate, GetOwn(txn, call, arn));
  SERVICE_ASSIGN_OR_RETURN(StoreTxn * raw, txn.Open());
  if (Refresh(*raw, call, certificate)) {
    SERVICE_RETURN_IF_ERROR(txn.Put(kCertificateNs, arn, certificate));
  }
  if (certificate.value("Status", "") != "ISSUED") {
    return Error("RequestInProgressException",
                 fmt::format("Certificate {} is not yet issued: its status is {}", arn,
                             certificate.value("Status", "")));
  }
  Json out = {{"Certificate", certificate.value("_certificate", "")}};
  if (!certificate.value("_chain", "").empty()) {
    out["CertificateChain"] = certificate["_chain"];
  }
  return out;
}

ServiceResult AcmService::ListCertificates(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::set<std::string> statuses;
  for (const Json& s : in.value("CertificateStatuses", Json::array())) {
    statuses.insert(s.get<std::string>());
  }
  std::set<std::string> key_types = {"RSA_2048"};
  if (in.contains("Includes") && in["Includes"].contains("keyTypes")) {
    key_types.clear();
    for (const Json& k : in["Includes"]["keyTypes"]) {
      key_types.insert(k.get<std::string>());
    }
  }
  int64_t max = in.value("MaxItems", int64_t{1000});
  if (max < 1 || max > 1000) {
    return Error("ValidationException", "MaxItems must be between 1 and 1000");
  }
  size_t start = 0;
  if (in.contains("NextToken")) {
    std::string token = in.value("NextToken", "");
    if (token.empty() || token.size() > 9 ||
        token.find_first_not_of("0123456789") != std::string::npos) {
      return Error("InvalidArgsException", "The NextToken is not valid");
    }
    start = std::stoul(token);
  }
  SERVICE_ASSIGN_OR_RETURN(
      auto all, txn.List(kCertificateNs, fmt::format("arn:aws:acm:{}:{}:certificate/", call.region,
                                                     call.account_id)));
  SERVICE_ASSIGN_OR_RETURN(StoreTxn * raw, txn.Open());
  std::vector<Json> selected;
  for (auto& [arn, doc] : all) {
    Refresh(*raw, call, doc);
    if (!statuses.empty() && statuses.count(doc.value("Status", "")) == 0) {
      continue;
    }
    if (key_types.count(doc.value("KeyAlgorithm", "")) == 0) {
      continue;
    }
    Json summary = {
        {"CertificateArn", arn},
        {"DomainName", doc.value("DomainName", "")},
        {"SubjectAlternativeNameSummaries", doc.value("SubjectAlternativeNames", Json::array())},
        {"HasAdditionalSubjectAlternativeNames", false},
        {"Status", doc.value("Status", "")},
        {"Type", doc.value("Type", "")},
        {"KeyAlgorithm", doc.value("KeyAlgorithm", "")},
        {"InUse", !InUseBy(*raw, arn).empty()},
        {"RenewalEligibility", doc.value("RenewalEligibility", "INELIGIBLE")},
        {"CreatedAt", doc.value("CreatedAt", int64_t{0})}};
    for (const char* member : {"NotBefore", "NotAfter", "IssuedAt", "ImportedAt"}) {
      if (doc.contains(member)) {
        summary[member] = doc[member];
      }
    }
    Json usages = Json::array();
    for (const Json& u : doc.value("KeyUsages", Json::array())) {
      usages.push_back(u.value("Name", ""));
    }
    summary["KeyUsages"] = usages;
    Json extended = Json::array();
    for (const Json& u : doc.value("ExtendedKeyUsages", Json::array())) {
      extended.push_back(u.value("Name", ""));
    }
    summary["ExtendedKeyUsages"] = extended;
    selected.push_back(std::move(summary));
  }
  Json list = Json::array();
  for (size_t i = start; i < selected.size() && i < start + static_cast<size_t>(max); ++i) {
    list.push_back(selected[i]);
  }
  Json out = {{"CertificateSummaryList", list}};
  if (start + static_cast<size_t>(max) < selected.size()) {
    out["NextToken"] = std::to_string(start + static_cast<size_t>(max));
  }
  return out;
}

ServiceResult AcmService::DeleteCertificate(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("CertificateArn", "");
  SERVICE_RETURN_IF_ERROR(GetOwn(txn, call, arn));
  SERVICE_ASSIGN_OR_RETURN(StoreTxn * raw, txn.Open());
  if (!InUseBy(*raw, arn).empty()) {
    return Error("ResourceInUseException",
                 fmt::format("Certificate {} in account {} is in use.", arn, call.account_id));
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kCertificateNs, arn));
  return Json::object();
}

ServiceResult AcmService::AddTagsToCertificate(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("CertificateArn", "");
  SERVICE_ASSIGN_OR_RETURN(Json certificate, GetOwn(txn, call, arn));
  SERVICE_ASSIGN_OR_RETURN(certificate["_tags"],
                           MergeTags(certificate.value("_tags", Json::array()),
                                     call.input.value("Tags", Json::array())));
  SERVICE_RETURN_IF_ERROR(txn.Put(kCertificateNs, arn, certificate));
  return Json::object();
}

ServiceResult AcmService::RemoveTagsFromCertificate(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("CertificateArn", "");
  SERVICE_ASSIGN_OR_RETURN(Json certificate, GetOwn(txn, call, arn));
  Json kept = Json::array();
  for (const Json& tag : certificate.value("_tags", Json::array())) {
    bool removed = false;
    for (const Json& r : call.input.value("Tags", Json::array())) {
      // A tag given without a value removes the key whatever its value.
      if (r.value("Key", "") == tag.value("Key", "") &&
          (!r.contains("Value") || r["Value"] == tag.value("Value", Json()))) {
        removed = true;
      }
    }
    if (!removed) {
      kept.push_back(tag);
    }
  }
  certificate["_tags"] = kept;
  SERVICE_RETURN_IF_ERROR(txn.Put(kCertificateNs, arn, certificate));
  return Json::object();
}

ServiceResult AcmService::ListTagsForCertificate(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Json certificate,
                           GetOwn(txn, call, call.input.value("CertificateArn", "")));
  return Json{{"Tags", certificate.value("_tags", Json::array())}};
}

}  // namespace cf::cloud::acm
