// OpenID Connect providers (EKS's IRSA issuer): a URL, client ids and thumbprints. The
// provider's ARN is arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH (the URL without https://).

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "cloud/iam/iam_internal.h"

namespace cf::cloud::iam {

inline constexpr char kOidcNamespace[] = "iam/oidc-provider";

namespace {

// "https://oidc.eks.../id/X" -> "oidc.eks.../id/X"
std::string HostPath(const std::string& url) {
  std::string s = url;
  if (s.rfind("https://", 0) == 0) {
    s = s.substr(8);
  }
  while (!s.empty() && s.back() == '/') {
    s.pop_back();
  }
  return s;
}

ServiceStatus CheckThumbprints(const Json& list) {
  if (!list.is_array() || list.size() > 5) {
    return InvalidInput("ThumbprintList must hold at most 5 thumbprints");
  }
  for (const Json& t : list) {
    std::string s = t.is_string() ? t.get<std::string>() : "";
    bool hex = s.size() == 40 && std::all_of(s.begin(), s.end(), [](char c) {
                 return std::isxdigit(static_cast<unsigned char>(c));
               });
    if (!hex) {
      return InvalidInput("Thumbprint " + s + " is not 40 hexadecimal characters");
    }
  }
  return {};
}

// A provider found by in["OpenIDConnectProviderArn"], with its store key.
struct Oidc {
  Json provider;
  std::string key;
};

ServiceOr<Oidc> RequireOidc(Op& op) {
  SERVICE_RETURN_IF_ERROR(Require(op.in(), "OpenIDConnectProviderArn"));
  std::string arn = Str(op.in(), "OpenIDConnectProviderArn");
  std::string prefix = fmt::format("arn:aws:iam::{}:oidc-provider/", op.account());
  if (arn.rfind(prefix, 0) != 0) {
    return InvalidInput("Invalid OpenIDConnectProviderArn " + arn);
  }
  std::string key = EntityKey(op.account(), arn.substr(prefix.size()));
  std::optional<Json> found = op.txn.Get(kOidcNamespace, key);
  if (!found) {
    return NoSuchEntity(fmt::format("OpenIDConnect Provider not found for arn {}", arn));
  }
  return Oidc{std::move(*found), std::move(key)};
}

}  // namespace

ServiceResult CreateOpenIDConnectProvider(Op& op) {
  const Json& in = op.in();
  SERVICE_RETURN_IF_ERROR(Require(in, "Url"));
  std::string url = Str(in, "Url");
  if (url.rfind("https://", 0) != 0 || url.size() <= 8) {
    return InvalidInput("Url must begin with https:// and name a host");
  }
  Json thumbprints = in.value("ThumbprintList", Json::array());
  SERVICE_RETURN_IF_ERROR(CheckThumbprints(thumbprints));
  std::string host_path = HostPath(url);
  std::string key = EntityKey(op.account(), host_path);
  if (op.txn.Get(kOidcNamespace, key)) {
    return EntityAlreadyExists(fmt::format("Provider with url {} already exists.", url));
  }
  SERVICE_ASSIGN_OR_RETURN(Json tags, MergeTags(Json::array(), in, "Tags"));
  std::string arn = fmt::format("arn:aws:iam::{}:oidc-provider/{}", op.account(), host_path);
  Json provider = {{"Arn", arn},
                   {"Url", host_path},
                   {"ClientIDList", in.value("ClientIDList", Json::array())},
                   {"ThumbprintList", thumbprints},
                   {"CreateDate", op.now},
                   {"Tags", std::move(tags)}};
  op.txn.Put(kOidcNamespace, key, provider);
  Json out = {{"OpenIDConnectProviderArn", arn}};
  if (!provider["Tags"].empty()) {
    out["Tags"] = provider["Tags"];
  }
  return out;
}

ServiceResult GetOpenIDConnectProvider(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Oidc oidc, RequireOidc(op));
  Json out = {{"Url", oidc.provider["Url"]},
              {"ClientIDList", oidc.provider["ClientIDList"]},
              {"ThumbprintList", oidc.provider["ThumbprintList"]},
              {"CreateDate", oidc.provider["CreateDate"]}};
  if (!oidc.provider["Tags"].empty()) {
    out["Tags"] = oidc.provider["Tags"];
  }
  return out;
}

ServiceResult DeleteOpenIDConnectProvider(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Oidc oidc, RequireOidc(op));
  op.txn.Delete(kOidcNamespace, oidc.key);
  return Json::object();
}

ServiceResult UpdateOpenIDConnectProviderThumbprint(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Oidc oidc, RequireOidc(op));
  SERVICE_RETURN_IF_ERROR(Require(op.in(), "ThumbprintList"));
  SERVICE_RETURN_IF_ERROR(CheckThumbprints(op.in()["ThumbprintList"]));
  oidc.provider["ThumbprintList"] = op.in()["ThumbprintList"];
  op.txn.Put(kOidcNamespace, oidc.key, oidc.provider);
  return Json::object();
}

ServiceResult AddClientIDToOpenIDConnectProvider(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Oidc oidc, RequireOidc(op));
  SERVICE_RETURN_IF_ERROR(Require(op.in(), "ClientID"));
  Json id = op.in()["ClientID"];
  Json& list = oidc.provider["ClientIDList"];
  if (std::find(list.begin(), list.end(), id) == list.end()) {
    list.push_back(id);
  }
  op.txn.Put(kOidcNamespace, oidc.key, oidc.provider);
  return Json::object();
}

ServiceResult RemoveClientIDFromOpenIDConnectProvider(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Oidc oidc, RequireOidc(op));
  SERVICE_RETURN_IF_ERROR(Require(op.in(), "ClientID"));
  Json id = op.in()["ClientID"];
  Json kept = Json::array();
  for (const Json& c : oidc.provider["ClientIDList"]) {
    if (c != id) {
      kept.push_back(c);
    }
  }
  oidc.provider["ClientIDList"] = kept;
  op.txn.Put(kOidcNamespace, oidc.key, oidc.provider);
  return Json::object();
}

ServiceResult TagOpenIDConnectProvider(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Oidc oidc, RequireOidc(op));
  SERVICE_RETURN_IF_ERROR(TagEntity(op.in(), oidc.provider));
  op.txn.Put(kOidcNamespace, oidc.key, oidc.provider);
  return Json::object();
}

ServiceResult UntagOpenIDConnectProvider(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Oidc oidc, RequireOidc(op));
  SERVICE_RETURN_IF_ERROR(UntagEntity(op.in(), oidc.provider));
  op.txn.Put(kOidcNamespace, oidc.key, oidc.provider);
  return Json::object();
}

}  // namespace cf::cloud::iam
