#include "cloud/core/credentials.h"

namespace cf::cloud {

namespace {

constexpr char kNamespace[] = "sts/credentials";

}  // namespace

Credential DefaultCredential() {
  Credential c;
  c.access_key_id = "test";
  c.secret_access_key = "test";
  c.identity.access_key_id = "test";
  c.identity.account_id = kDefaultAccountId;
  c.identity.arn = std::string("arn:aws:iam::") + kDefaultAccountId + ":root";
  c.identity.user_id = kDefaultAccountId;
  return c;
}

Result<Credential> CredentialStore::Lookup(const std::string& access_key_id) const {
  for (const Credential& c : long_term_) {
    if (c.access_key_id == access_key_id) {
      return c;
    }
  }
  ASSIGN_OR_RETURN(std::optional<Json> doc, store_.Get(kNamespace, access_key_id));
  if (!doc) {
    return NotFoundError("unknown access key " + access_key_id);
  }
  try {
    Credential c;
    c.access_key_id = access_key_id;
    c.secret_access_key = doc->at("secret").get<std::string>();
    c.session_token = doc->at("session_token").get<std::string>();
    c.identity.access_key_id = access_key_id;
    c.identity.account_id = doc->at("account_id").get<std::string>();
    c.identity.arn = doc->at("arn").get<std::string>();
    c.identity.user_id = doc->at("user_id").get<std::string>();
    if (doc->contains("expiration")) {
      c.expiration = std::chrono::system_clock::time_point(
          std::chrono::seconds(doc->at("expiration").get<int64_t>()));
    }
    return c;
  } catch (const Json::exception& e) {
    return InternalError(std::string("stored credential is damaged: ") + e.what());
  }
}

Status CredentialStore::AddTemporary(const Credential& c) {
  Json doc = {{"secret", c.secret_access_key},
              {"session_token", c.session_token},
              {"account_id", c.identity.account_id},
              {"arn", c.identity.arn},
              {"user_id", c.identity.user_id}};
  if (c.expiration) {
    doc["expiration"] =
        std::chrono::duration_cast<std::chrono::seconds>(c.expiration->time_since_epoch()).count();
  }
  return store_.Put(kNamespace, c.access_key_id, doc);
}

}  // namespace cf::cloud
