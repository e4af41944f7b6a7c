#include "provider/aws_type_spec.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <set>

namespace cf::provider::aws_spec {

AwsContext::AwsContext(aws::Client& client, AwsProviderOptions options)
    : client_(client), options_(std::move(options)) {
  region_ = options_.region.empty() ? client_.options().region : options_.region;
  account_ = options_.account_id;
}

Result<Json> AwsContext::Call(std::string_view service, std::string_view operation,
                              const Json& params) {
  if (options_.on_call) {
    options_.on_call(service, operation);
  }
  return client_.Call(service, operation, params);
}

std::string AwsContext::ErrorCode(const Status& status) {
  // "service.Operation: Code: message" (aws::AwsErrorToStatus).
  const std::string& m = status.message();
  size_t first = m.find(": ");
  if (first == std::string::npos) {
    return "";
  }
  size_t start = first + 2;
  size_t end = m.find(':', start);
  std::string code = m.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (code.find(' ') != std::string::npos) {
    return "";
  }
  return code;
}

const FileSystem& AwsContext::files() const {
  return options_.file_system != nullptr ? *options_.file_system : real_files_;
}

Result<std::string> AwsContext::Account() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!account_.empty()) {
      return account_;
    }
  }
  ASSIGN_OR_RETURN(Json out, Call("sts", "GetCallerIdentity", Json::object()));
  std::string account = Str(out, "Account");
  if (account.empty()) {
    return InternalError("sts.GetCallerIdentity answered no account");
  }
  std::lock_guard<std::mutex> lock(mu_);
  account_ = account;
  return account_;
}

Result<aws::WaiterConfig> AwsContext::Waiter(std::string_view service, std::string_view name) {
  std::string key = std::string(service) + "/" + std::string(name);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = waiters_.find(key);
  if (it != waiters_.end()) {
    return it->second;
  }
  ASSIGN_OR_RETURN(const aws::ServiceModel* model, models_.Find(service));
  ASSIGN_OR_RETURN(aws::WaiterConfig config, aws::ParseWaiter(model->waiters(), name));
  waiters_.emplace(key, config);
  return config;
}

namespace {

// Splits "A.B[0].c.0" into {"A", "B", 0, "c", 0}: names and indexes; "[]" is a flatten
// step (index kFlatten).
constexpr int kFlatten = -2;
struct Step {
  std::string name;
  int index = -1;
};

std::vector<Step> Steps(std::string_view path) {
  std::vector<Step> steps;
  std::string cur;
  auto flush = [&] {
    if (cur.empty()) {
      return;
    }
    bool digits = std::all_of(cur.begin(), cur.end(), [](char c) { return std::isdigit(c); });
    steps.push_back(digits ? Step{"", std::stoi(cur)} : Step{cur, -1});
    cur.clear();
  };
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '[' && i + 1 < path.size() && path[i + 1] == ']') {
      flush();
      steps.push_back(Step{"", kFlatten});
      ++i;
    } else if (c == '.' || c == '[' || c == ']') {
      flush();
    } else {
      cur += c;
    }
  }
  flush();
  return steps;
}

}  // namespace

namespace {

Json GetSteps(const Json& root, const std::vector<Step>& steps, size_t from) {
  const Json* cur = &root;
  for (size_t i = from; i < steps.size(); ++i) {
    const Step& step = steps[i];
    if (step.index == kFlatten) {
      if (!cur->is_array()) {
        return nullptr;
      }
      Json out = Json::array();
      for (const Json& e : *cur) {
        Json v = GetSteps(e, steps, i + 1);
        if (v.is_array() && i + 1 < steps.size()) {
          for (Json& x : v) {
            out.push_back(std::move(x));
          }
        } else if (!v.is_null()) {
          out.push_back(std::move(v));
        }
      }
      return out;
    }
    if (step.index >= 0) {
      if (!cur->is_array() || static_cast<size_t>(step.index) >= cur->size()) {
        return nullptr;
      }
      cur = &(*cur)[step.index];
    } else {
      if (!cur->is_object() || !cur->contains(step.name)) {
        return nullptr;
      }
      cur = &(*cur)[step.name];
    }
  }
  return *cur;
}

}  // namespace

Json GetPath(const Json& root, std::string_view path) {
  return GetSteps(root, Steps(path), 0);
}

void SetPath(Json& root, std::string_view path, Json value) {
  std::vector<Step> steps = Steps(path);
  Json* cur = &root;
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& step = steps[i];
    if (step.index >= 0) {
      if (!cur->is_array()) {
        *cur = Json::array();
      }
      while (cur->size() <= static_cast<size_t>(step.index)) {
        cur->push_back(Json::object());
      }
      cur = &(*cur)[step.index];
    } else {
      if (!cur->is_object()) {
        *cur = Json::object();
      }
      cur = &(*cur)[step.name];
    }
  }
  *cur = std::move(value);
}

std::string Str(const Json& j, std::string_view name) {
  if (!j.is_object()) {
    return "";
  }
  auto it = j.find(std::string(name));
  if (it == j.end() || !it->is_string()) {
    return "";
  }
  return it->get<std::string>();
}

Json Ec2Filter(std::string_view name, std::vector<std::string> values) {
  return Json::array({{{"Name", std::string(name)}, {"Values", values}}});
}

bool SameDocument(const std::string& a, const std::string& b) {
  if (a == b) {
    return true;
  }
  Json ja = Json::parse(a, nullptr, false);
  Json jb = Json::parse(b, nullptr, false);
  return !ja.is_discarded() && !jb.is_discarded() && ja == jb;
}

std::string UrlDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

Json ToApi(const Json& v, Conv conv) {
  switch (conv) {
    case Conv::kValueBool:
      return Json{{"Value", v}};
    case Conv::kIntString:
      return v.is_number() ? Json(std::to_string(v.get<int64_t>())) : v;
    case Conv::kBoolString:
      return v.is_string() ? Json(v.get<std::string>() == "true") : v;
    case Conv::kTagList: {
      Json list = Json::array();
      if (v.is_object()) {
        for (auto it = v.begin(); it != v.end(); ++it) {
          list.push_back({{"Key", it.key()}, {"Value", it.value()}});
        }
      }
      return list;
    }
    default:
      return v;
  }
}

bool SameSet(const Json& a, const Json& b) {
  if (!a.is_array() || !b.is_array() || a.size() != b.size()) {
    return false;
  }
  std::multiset<std::string> sa, sb;
  for (const Json& e : a) {
    sa.insert(e.dump());
  }
  for (const Json& e : b) {
    sb.insert(e.dump());
  }
  return sa == sb;
}

Json FromApi(const Json& v, Conv conv, const Json& prior) {
  switch (conv) {
    case Conv::kPlain:
      return v;
    case Conv::kValueBool:
      return v.is_object() && v.contains("Value") ? v["Value"] : v;
    case Conv::kIntString:
      if (v.is_string()) {
        try {
          return std::stoll(v.get<std::string>());
        } catch (...) {
          return v;
        }
      }
      return v;
    case Conv::kJsonDoc:
    case Conv::kUrlJsonDoc: {
      std::string text = v.is_string() ? v.get<std::string>() : v.dump();
      if (conv == Conv::kUrlJsonDoc && !text.empty() && text[0] == '%') {
        text = UrlDecode(text);
      }
      if (prior.is_string() && SameDocument(prior.get<std::string>(), text)) {
        return prior;
      }
      return text;
    }
    case Conv::kStringSet:
      return SameSet(v, prior) ? prior : v;
    case Conv::kBoolString:
      if (v.is_boolean() && prior.is_string()) {
        return v.get<bool>() ? "true" : "false";
      }
      return v;
    case Conv::kTimestamp: {
      if (!v.is_number()) {
        return v;
      }
      std::time_t t = static_cast<std::time_t>(v.get<double>());
      std::tm tm{};
      gmtime_r(&t, &tm);
      char buf[32];
      std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
      return std::string(buf);
    }
    case Conv::kNoStarArn: {
      std::string arn = v.is_string() ? v.get<std::string>() : "";
      if (arn.size() >= 2 && arn.compare(arn.size() - 2, 2, ":*") == 0) {
        arn.resize(arn.size() - 2);
      }
      return arn;
    }
    case Conv::kTagList: {
      Json map = Json::object();
      for (const Json& t : v) {
        map[Str(t, "Key")] = Str(t, "Value");
      }
      return map;
    }
  }
  return v;
}

Json BlocksToApi(const std::vector<Member>& members, const Json& tf, Member::Kind kind) {
  auto one = [&](const Json& obj) {
    Json out = Json::object();
    for (const Member& m : members) {
      Json v = GetPath(obj, m.attr);
      if (v.is_null() || (v.is_array() && v.empty() && m.kind != Member::Kind::kValue)) {
        continue;
      }
      if (v.is_string() && v.get_ref<const std::string&>().empty()) {
        continue;
      }
      SetPath(
          out, m.api,
          m.kind == Member::Kind::kValue ? ToApi(v, m.conv) : BlocksToApi(m.children, v, m.kind));
    }
    return out;
  };
  if (!tf.is_array()) {
    return tf.is_object() ? one(tf) : Json();
  }
  if (kind == Member::Kind::kBlock) {
    return tf.empty() ? Json() : one(tf[0]);
  }
  Json list = Json::array();
  for (const Json& e : tf) {
    list.push_back(one(e));
  }
  return list;
}

Json BlocksFromApi(const std::vector<Member>& members, const Json& api, Member::Kind kind) {
  auto one = [&](const Json& obj) {
    Json out = Json::object();
    for (const Member& m : members) {
      Json v = GetPath(obj, m.api);
      if (v.is_null()) {
        continue;
      }
      out[m.attr] = m.kind == Member::Kind::kValue ? FromApi(v, m.conv, Json())
                                                   : BlocksFromApi(m.children, v, m.kind);
    }
    return out;
  };
  if (api.is_null()) {
    return Json::array();
  }
  if (kind == Member::Kind::kBlock) {
    return Json::array({one(api)});
  }
  Json list = Json::array();
  for (const Json& e : api) {
    list.push_back(one(e));
  }
  return list;
}

bool Subset(const Json& want, const Json& have) {
  if (want.is_object()) {
    if (!have.is_object()) {
      return false;
    }
    for (auto it = want.begin(); it != want.end(); ++it) {
      if (!have.contains(it.key()) || !Subset(it.value(), have[it.key()])) {
        return false;
      }
    }
    return true;
  }
  if (want.is_array()) {
    if (!have.is_array() || want.size() != have.size()) {
      return false;
    }
    for (size_t i = 0; i < want.size(); ++i) {
      if (!Subset(want[i], have[i])) {
        return false;
      }
    }
    return true;
  }
  if (want.is_number() && have.is_number()) {
    return want.get<double>() == have.get<double>();
  }
  return want == have;
}

Json Fill(AwsContext& ctx, const Json& tmpl, const TemplateVars& vars) {
  if (tmpl.is_object()) {
    Json out = Json::object();
    for (auto it = tmpl.begin(); it != tmpl.end(); ++it) {
      Json v = Fill(ctx, it.value(), vars);
      if (!v.is_null()) {
        out[it.key()] = std::move(v);
      }
    }
    return out;
  }
  if (tmpl.is_array()) {
    Json out = Json::array();
    for (const Json& e : tmpl) {
      Json v = Fill(ctx, e, vars);
      if (!v.is_null()) {
        out.push_back(std::move(v));
      }
    }
    return out;
  }
  if (!tmpl.is_string()) {
    return tmpl;
  }
  const std::string& s = tmpl.get_ref<const std::string&>();
  if (s.empty() || s[0] != '$') {
    return tmpl;
  }
  if (s == "$id") {
    return vars.id.empty() ? Json() : Json(vars.id);
  }
  if (s == "$token") {
    return vars.token.empty() ? Json() : Json(vars.token);
  }
  if (s == "$value") {
    return vars.value == nullptr ? Json() : *vars.value;
  }
  if (s == "$region") {
    return ctx.region();
  }
  if (s == "$partition") {
    return ctx.partition();
  }
  if (s == "$account") {
    return vars.account.empty() ? Json() : Json(vars.account);
  }
  if (s.rfind("$attr.", 0) == 0) {
    if (vars.attrs == nullptr) {
      return nullptr;
    }
    Json v = GetPath(*vars.attrs, s.substr(6));
    if (v.is_string() && v.get_ref<const std::string&>().empty()) {
      return nullptr;
    }
    return v;
  }
  return tmpl;
}

Json TagsToList(const Json& tags, const TagSpec& spec) {
  if (spec.style == TagSpec::Style::kMap) {
    return tags;
  }
  Json list = Json::array();
  for (auto it = tags.begin(); it != tags.end(); ++it) {
    list.push_back({{spec.key, it.key()}, {spec.value, it.value()}});
  }
  return list;
}

Json TagsFromApi(const Json& api, const TagSpec& spec) {
  Json tags = Json::object();
  if (api.is_object()) {
    tags = api;
  } else if (api.is_array()) {
    for (const Json& t : api) {
      tags[Str(t, spec.key)] = Str(t, spec.value);
    }
  }
  tags.erase(std::string(kAddressTag));
  return tags;
}

Json TagsAll(AwsContext& ctx, const Json& config) {
  Json all = Json::object();
  for (const auto& [k, v] : ctx.default_tags()) {
    all[k] = v;
  }
  if (config.contains("tags") && config["tags"].is_object()) {
    for (auto it = config["tags"].begin(); it != config["tags"].end(); ++it) {
      if (it.value().is_null()) {
        all.erase(it.key());
      } else {
        all[it.key()] = it.value();
      }
    }
  }
  return all;
}

}  // namespace cf::provider::aws_spec
