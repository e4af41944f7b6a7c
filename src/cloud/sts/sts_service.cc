#include "cloud/sts/sts_service.h"

#include <fmt/core.h>

#include <regex>

#include "cloud/iam/iam_store.h"
#include "cloud/iam/policy_document.h"

namespace cf::cloud::sts {

namespace {

// Reads an integer member that a codec gives as a number (a model-less protocol may give a
// string).
std::optional<int64_t> IntegerMember(const Json& input, const char* name) {
  if (!input.contains(name)) {
    return std::nullopt;
  }
  const Json& v = input[name];
  if (v.is_number_integer()) {
    return v.get<int64_t>();
  }
  if (v.is_string()) {
    try {
      size_t used = 0;
      int64_t n = std::stoll(v.get<std::string>(), &used);
      if (used == v.get<std::string>().size()) {
        return n;
      }
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

std::string StringMember(const Json& input, const char* name) {
  if (input.contains(name) && input[name].is_string()) {
    return input[name].get<std::string>();
  }
  return "";
}

ServiceResult DurationError(const char* operation, int64_t min, int64_t max) {
  return ServiceError{"ValidationError",
                      fmt::format("1 validation error detected: Value at 'durationSeconds' failed "
                                  "to satisfy constraint: Member must have value between {} and "
                                  "{} ({})",
                                  min, max, operation),
                      400, true};
}

}  // namespace

const OperationTable<StsService>& StsService::Operations() {
  static const OperationTable<StsService> kTable({
      {"GetCallerIdentity", &StsService::GetCallerIdentity},
      {"AssumeRole", &StsService::AssumeRole},
      {"GetSessionToken", &StsService::GetSessionToken},
  });
  return kTable;
}

ServiceResult StsService::GetCallerIdentity(const ServiceCall& call, CallTxn&) {
  return Json{{"UserId", call.caller.user_id},
              {"Account", call.caller.account_id},
              {"Arn", call.caller.arn}};
}

ServiceResult StsService::Issue(CallerIdentity identity, int64_t seconds) {
  Credential credential;
  credential.access_key_id = context_.ids.AccessKeyId("ASIA");
  credential.secret_access_key = context_.ids.Secret(40);
  credential.session_token = "FwoGZXIvYXdzE" + context_.ids.Secret(120);
  identity.access_key_id = credential.access_key_id;
  credential.identity = std::move(identity);
  auto expiration = std::chrono::time_point_cast<std::chrono::seconds>(context_.clock.Now()) +
                    std::chrono::seconds(seconds);
  credential.expiration = expiration;
  SERVICE_RETURN_IF_ERROR(context_.credentials.AddTemporary(credential));
  return Json{
      {"AccessKeyId", credential.access_key_id},
      {"SecretAccessKey", credential.secret_access_key},
      {"SessionToken", credential.session_token},
      {"Expiration",
       std::chrono::duration_cast<std::chrono::seconds>(expiration.time_since_epoch()).count()},
  };
}

ServiceResult StsService::AssumeRole(const ServiceCall& call, CallTxn& txn) {
  std::string role_arn = StringMember(call.input, "RoleArn");
  std::string session = StringMember(call.input, "RoleSessionName");
  if (role_arn.empty()) {
    return ValidationError(
        "1 validation error detected: Value null at 'roleArn' failed to "
        "satisfy constraint: Member must not be null");
  }
  if (session.empty()) {
    return ValidationError(
        "1 validation error detected: Value null at 'roleSessionName' failed "
        "to satisfy constraint: Member must not be null");
  }
  static const std::regex kSessionName(R"([\w+=,.@-]{2,64})");
  if (!std::regex_match(session, kSessionName)) {
    return ValidationError(fmt::format(
        "1 validation error detected: Value '{}' at 'roleSessionName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        session));
  }
  static const std::regex kRoleArn(
      R"(arn:aws:iam::(\d{12}):role/((?:[\w+=,.@-]+/)*)([\w+=,.@-]{1,64}))");
  std::smatch m;
  if (!std::regex_match(role_arn, m, kRoleArn)) {
    return ValidationError(fmt::format("{} is not a valid role ARN", role_arn));
  }
  std::string account = m[1].str();
  std::string role_name = m[3].str();
  if (account != call.account_id) {
    return ServiceError{"AccessDenied",
                        fmt::format("User: {} is not authorized to perform: sts:AssumeRole on "
                                    "resource: {}",
                                    call.caller.arn, role_arn),
                        403, true};
  }
  int64_t seconds = 3600;
  if (call.input.contains("DurationSeconds")) {
    std::optional<int64_t> d = IntegerMember(call.input, "DurationSeconds");
    if (!d || *d < 900 || *d > 43200) {
      return DurationError("AssumeRole", 900, 43200);
    }
    seconds = *d;
  }

  // The role must exist in IAM and trust the caller (iam::TrustPolicyAllows); its RoleId
  // names the session.
  SERVICE_ASSIGN_OR_RETURN(StoreTxn * store_txn, txn.Open());
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> role, iam::FindRole(*store_txn, account, role_name));
  // Only reads: the credential is stored by the CredentialStore's own transaction below.
  txn.Rollback();
  bool allowed = role && role->value("Arn", "") == role_arn &&
                 iam::TrustPolicyAllows(role->value("AssumeRolePolicyDocument", ""),
                                        "sts:AssumeRole", call.caller.arn, call.account_id);
  if (!allowed) {
    return ServiceError{"AccessDenied",
                        fmt::format("User: {} is not authorized to perform: sts:AssumeRole on "
                                    "resource: {}",
                                    call.caller.arn, role_arn),
                        403, true};
  }
  if (seconds > role->value("MaxSessionDuration", int64_t{3600})) {
    return ValidationError(
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
  std::string role_id = role->value("RoleId", "");

  CallerIdentity identity;
  identity.account_id = account;
  identity.arn = fmt::format("arn:aws:sts::{}:assumed-role/{}/{}", account, role_name, session);
  identity.user_id = role_id + ":" + session;
  Json out = Json::object();
  out["AssumedRoleUser"] = {{"AssumedRoleId", identity.user_id}, {"Arn", identity.arn}};
  SERVICE_ASSIGN_OR_RETURN(out["Credentials"], Issue(identity, seconds));
  out["PackedPolicySize"] = 0;
  return out;
}

ServiceResult StsService::GetSessionToken(const ServiceCall& call, CallTxn&) {
  int64_t seconds = 43200;
  if (call.input.contains("DurationSeconds")) {
    std::optional<int64_t> d = IntegerMember(call.input, "DurationSeconds");
    if (!d || *d < 900 || *d > 129600) {
      return DurationError("GetSessionToken", 900, 129600);
    }
    seconds = *d;
  }
  if (!call.caller.arn.empty() && call.caller.arn.find(":assumed-role/") != std::string::npos) {
    return ServiceError{"AccessDenied", "Cannot call GetSessionToken with session credentials", 403,
                        true};
  }
  SERVICE_ASSIGN_OR_RETURN(Json credentials, Issue(call.caller, seconds));
  return Json{{"Credentials", std::move(credentials)}};
}

}  // namespace cf::cloud::sts
