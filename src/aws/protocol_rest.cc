// HTTP bindings of rest-json and rest-xml: path labels, query string, headers, status code.

#include "aws/protocol_rest.h"

#include <fmt/format.h>
#include <strings.h>

#include <set>

#include "aws/protocol_body.h"

namespace cf::aws::internal {
namespace {

std::string Location(const Ref& member) {
  return member.RefString("location");
}

std::string BoundName(const Ref& member, const std::string& name) {
  return member.RefString("locationName", name);
}

std::string HeaderItem(const Ref& ref, const nlohmann::json& value) {
  std::string text = ScalarToText(ref, value, TimestampFormatOf(ref, TimestampFormat::kRfc822));
  if (ref.type() == "string" &&
      (text.find(',') != std::string::npos || text.find('"') != std::string::npos)) {
    std::string quoted = "\"";
    for (char c : text) {
      if (c == '"' || c == '\\') {
        quoted += '\\';
      }
      quoted += c;
    }
    return quoted + "\"";
  }
  return text;
}

std::string HeaderText(const ServiceModel& model, const Ref& ref, const nlohmann::json& value) {
  if (ref.type() == "list") {
    Ref member = ListMember(model, ref);
    std::string out;
    for (const auto& item : value) {
      if (!out.empty()) {
        out += ", ";
      }
      out += HeaderItem(member, item);
    }
    return out;
  }
  if (ref.BoolTrait("jsonvalue")) {
    return Base64Encode(value.dump());
  }
  return ScalarToText(ref, value, TimestampFormatOf(ref, TimestampFormat::kRfc822));
}

std::vector<std::string> SplitHeaderList(std::string_view text) {
  std::vector<std::string> items;
  std::string current;
  bool quoted = false;
  bool was_quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '\\' && i + 1 < text.size()) {
        current += text[++i];
      } else if (c == '"') {
        quoted = false;
      } else {
        current += c;
      }
    } else if (c == '"') {
      quoted = true;
      was_quoted = true;
    } else if (c == ',') {
      size_t b = current.find_first_not_of(' ');
      size_t e = current.find_last_not_of(' ');
      items.push_back(was_quoted || b == std::string::npos ? current
                                                           : current.substr(b, e - b + 1));
      current.clear();
      was_quoted = false;
    } else if (!(c == ' ' && current.empty() && !was_quoted)) {
      current += c;
    }
  }
  size_t b = current.find_first_not_of(' ');
  size_t e = current.find_last_not_of(' ');
  items.push_back(was_quoted || b == std::string::npos ? current : current.substr(b, e - b + 1));
  return items;
}

nlohmann::json HeaderValue(const ServiceModel& model, const Ref& ref, const std::string& text) {
  if (ref.type() == "list") {
    Ref member = ListMember(model, ref);
    std::vector<std::string> items = SplitHeaderList(text);
    nlohmann::json out = nlohmann::json::array();
    if (member.type() == "timestamp" &&
        TimestampFormatOf(member, TimestampFormat::kRfc822) == TimestampFormat::kRfc822) {
      for (size_t i = 0; i + 1 < items.size(); i += 2) {
        out.push_back(ScalarFromText(member, items[i] + ", " + items[i + 1]));
      }
      return out;
    }
    for (const std::string& item : items) {
      out.push_back(ScalarFromText(member, item));
    }
    return out;
  }
  if (ref.BoolTrait("jsonvalue")) {
    try {
      return nlohmann::json::parse(Base64Decode(text));
    } catch (const nlohmann::json::exception&) {
      throw CodecError("header value is not base64-encoded JSON");
    }
  }
  return ScalarFromText(ref, text);
}

std::string QueryText(const Ref& ref, const nlohmann::json& value) {
  return ScalarToText(ref, value, TimestampFormatOf(ref, TimestampFormat::kIso8601));
}

void AddQuery(std::string* query, const std::string& name, const std::string& value) {
  if (!query->empty()) {
    *query += '&';
  }
  *query += PercentEncode(name) + "=" + PercentEncode(value);
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

}  // namespace

void RestWriteHeaders(const ServiceModel& model, const Ref& shape, const nlohmann::json& value,
                      HttpHeaders* headers) {
  const nlohmann::json& members = shape.members();
  for (const auto& [name, member_value] : value.items()) {
    if (member_value.is_null() || !members.contains(name)) {
      continue;
    }
    Ref member = Resolve(model, members[name]);
    std::string location = Location(member);
    if (location == "header") {
      if (member.type() == "list" && member_value.empty()) {
        continue;
      }
      headers->push_back({BoundName(member, name), HeaderText(model, member, member_value)});
    } else if (location == "headers") {
      std::string prefix = member.RefString("locationName");
      Ref val = MapValue(model, member);
      for (const auto& [k, v] : member_value.items()) {
        if (!v.is_null()) {
          headers->push_back({prefix + k, HeaderText(model, val, v)});
        }
      }
    }
  }
}

void RestWriteBindings(const ServiceModel& model, const Operation& op, const Ref& input,
                       const nlohmann::json& params, HttpRequest* request) {
  auto [template_path, template_query] = SplitPathAndQuery(op.request_uri);
  std::string path(template_path);
  std::string query(template_query);
  const nlohmann::json& members = input.members();
  std::set<std::string> named_query_keys;
  // Named query members first, so that map entries do not override them.
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& [name, value] : params.items()) {
      if (value.is_null() || !members.contains(name)) {
        continue;
      }
      Ref member = Resolve(model, members[name]);
      std::string location = Location(member);
      if (location == "uri" && pass == 0) {
        std::string label = BoundName(member, name);
        std::string text = QueryText(member, value);
        std::string greedy = "{" + label + "+}";
        std::string plain = "{" + label + "}";
        if (size_t at = path.find(greedy); at != std::string::npos) {
          path.replace(at, greedy.size(), PercentEncode(text, /*keep_slash=*/true));
        } else if (size_t at2 = path.find(plain); at2 != std::string::npos) {
          path.replace(at2, plain.size(), PercentEncode(text));
        }
      } else if (location == "querystring") {
        if (member.type() == "map") {
          if (pass == 0) {
            continue;
          }
          Ref val = MapValue(model, member);
          for (const auto& [k, v] : value.items()) {
            if (named_query_keys.count(k) > 0 || v.is_null()) {
              continue;
            }
            if (val.type() == "list") {
              Ref item = ListMember(model, val);
              for (const auto& x : v) {
                AddQuery(&query, k, QueryText(item, x));
              }
            } else {
              AddQuery(&query, k, QueryText(val, v));
            }
          }
        } else if (pass == 0) {
          std::string key = BoundName(member, name);
          named_query_keys.insert(key);
          if (member.type() == "list") {
            Ref item = ListMember(model, member);
            for (const auto& x : value) {
              AddQuery(&query, key, QueryText(item, x));
            }
          } else {
            AddQuery(&query, key, QueryText(member, value));
          }
        }
      }
    }
  }
  if (path.find('{') != std::string::npos) {
    throw CodecError(fmt::format("missing a URI label in {}", path));
  }
  request->path = query.empty() ? path : path + "?" + query;
  RestWriteHeaders(model, input, params, &request->headers);
}

void RestReadHeaders(const ServiceModel& model, const Ref& shape, const HttpHeaders& headers,
                     int status, nlohmann::json* out) {
  for (const auto& [name, member_ref] : shape.members().items()) {
    Ref member = Resolve(model, member_ref);
    std::string location = Location(member);
    if (location == "header") {
      const std::string* text = FindHeader(headers, BoundName(member, name));
      if (text != nullptr) {
        (*out)[name] = HeaderValue(model, member, *text);
      }
    } else if (location == "headers") {
      std::string prefix = member.RefString("locationName");
      Ref val = MapValue(model, member);
      nlohmann::json map = nlohmann::json::object();
      for (const HttpHeader& header : headers) {
        if (StartsWithNoCase(header.name, prefix)) {
          map[header.name.substr(prefix.size())] = HeaderValue(model, val, header.value);
        }
      }
      (*out)[name] = std::move(map);
    } else if (location == "statusCode" && status > 0) {
      (*out)[name] = status;
    }
  }
}

bool RestMatchUri(const std::string& request_uri, std::string_view path, std::string_view query,
                  std::map<std::string, std::string>* labels) {
  auto [template_path, template_query] = SplitPathAndQuery(request_uri);
  // Constant query keys of the template must be present.
  if (!template_query.empty()) {
    FormFields wanted = FormDecode(template_query);
    FormFields have = FormDecode(query);
    for (const auto& [k, v] : wanted) {
      bool found = false;
      for (const auto& [hk, hv] : have) {
        found = found || (hk == k && (v.empty() || hv == v));
      }
      if (!found) {
        return false;
      }
    }
  }
  std::map<std::string, std::string> found;
  size_t t = 0;
  size_t p = 0;
  while (t < template_path.size()) {
    if (template_path[t] == '{') {
      size_t close = template_path.find('}', t);
      if (close == std::string_view::npos) {
        return false;
      }
      std::string label(template_path.substr(t + 1, close - t - 1));
      bool greedy = !label.empty() && label.back() == '+';
      if (greedy) {
        label.pop_back();
      }
      // The label runs to the next literal character of the template (or the end).
      size_t end;
      if (close + 1 >= template_path.size()) {
        end = greedy ? path.size() : path.find('/', p);
        if (end == std::string_view::npos) {
          end = path.size();
        }
      } else {
        char next = template_path[close + 1];
        if (greedy) {
          std::string_view rest = template_path.substr(close + 1);
          size_t at = path.rfind(rest);
          if (at == std::string_view::npos || at < p) {
            return false;
          }
          end = at;
        } else {
          end = path.find(next, p);
          size_t slash = path.find('/', p);
          if (end == std::string_view::npos || (slash != std::string_view::npos && slash < end)) {
            return false;
          }
        }
      }
      if (end <= p) {
        return false;
      }
      found[label] = PercentDecode(path.substr(p, end - p));
      p = end;
      t = close + 1;
      continue;
    }
    if (p >= path.size() || path[p] != template_path[t]) {
      // A template's trailing slash is optional: botocore writes ".../rrset/" where newer SDKs
      // send ".../rrset", and AWS's endpoints take both.
      if (p == path.size() && t + 1 == template_path.size() && template_path[t] == '/') {
        break;
      }
      return false;
    }
    ++p;
    ++t;
  }
  if (p != path.size()) {
    // A template "/" or "/{Bucket}" also matches a trailing slash.
    if (!(p + 1 == path.size() && path[p] == '/')) {
      return false;
    }
  }
  *labels = std::move(found);
  return true;
}

int RestTemplateSpecificity(const std::string& request_uri) {
  int literal = 0;
  bool in_label = false;
  for (char c : request_uri) {
    if (c == '{') {
      in_label = true;
    } else if (c == '}') {
      in_label = false;
    } else if (!in_label) {
      ++literal;
    }
  }
  return literal;
}

void RestReadBindings(const ServiceModel& model, const Operation& op, const Ref& input,
                      const HttpRequest& request, nlohmann::json* out) {
  auto [path, raw_query] = SplitPathAndQuery(request.path);
  std::map<std::string, std::string> labels;
  if (!RestMatchUri(op.request_uri, path, raw_query, &labels)) {
    throw CodecError(fmt::format("{} does not match {}", request.path, op.request_uri));
  }
  FormFields query = FormDecode(raw_query);
  std::set<std::string> claimed;
  for (const auto& [k, v] : FormDecode(SplitPathAndQuery(op.request_uri).second)) {
    claimed.insert(k);
  }
  const nlohmann::json& members = input.members();
  // A query map takes the parameters no named member claims.
  for (const auto& [name, member_ref] : members.items()) {
    Ref member = Resolve(model, member_ref);
    if (Location(member) == "querystring" && member.type() != "map") {
      claimed.insert(BoundName(member, name));
    }
  }
  // A query map takes the parameters no named member claims.
  for (const auto& [name, member_ref] : members.items()) {
    Ref member = Resolve(model, member_ref);
    if (Location(member) == "querystring" && member.type() != "map") {
      claimed.insert(BoundName(member, name));
    }
  }
  for (const auto& [name, member_ref] : members.items()) {
    Ref member = Resolve(model, member_ref);
    std::string location = Location(member);
    if (location == "uri") {
      auto it = labels.find(BoundName(member, name));
      if (it != labels.end()) {
        (*out)[name] = ScalarFromText(member, it->second);
      }
    } else if (location == "querystring") {
      if (member.type() == "map") {
        Ref val = MapValue(model, member);
        nlohmann::json map = nlohmann::json::object();
        for (const auto& [k, v] : query) {
          if (claimed.count(k) > 0) {
            continue;
          }
          if (val.type() == "list") {
            map[k].push_back(ScalarFromText(ListMember(model, val), v));
          } else if (!map.contains(k)) {
            map[k] = ScalarFromText(val, v);
          }
        }
        if (!map.empty()) {
          (*out)[name] = std::move(map);
        }
        continue;
      }
      std::string key = BoundName(member, name);
      nlohmann::json list = nlohmann::json::array();
      for (const auto& [k, v] : query) {
        if (k != key) {
          continue;
        }
        if (member.type() == "list") {
          list.push_back(ScalarFromText(ListMember(model, member), v));
        } else {
          (*out)[name] = ScalarFromText(member, v);
          break;
        }
      }
      if (member.type() == "list" && !list.empty()) {
        (*out)[name] = std::move(list);
      }
    }
  }
  RestReadHeaders(model, input, request.headers, 0, out);
}

}  // namespace cf::aws::internal
