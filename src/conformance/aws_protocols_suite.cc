// aws-protocols: botocore's protocol test corpus (shared/conformance/aws-protocols).
//
//   clusterform-conformance aws-protocols DIR [--known-failures FILE]
//
// DIR/input/*.json: each case's params are serialized with the suite's own shapes and the
// case's operation; method, URI, host, headers and body must match (form bodies compared as
// fields, JSON as JSON, XML as XML). The server direction runs too: the serialized request
// routed and parsed back must give the params again ("server/..." cases).
// DIR/output/*.json: each raw response is parsed; the result, or the error's code, message
// and modeled fields, must match. Cases DIR/ignore-list.json names are skipped.

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "aws/codec.h"
#include "aws/model.h"
#include "conformance/tally.h"

namespace cf::conformance {
namespace {

struct IgnoreList {
  std::set<std::string> suites;
  std::set<std::string> input_cases;
  std::set<std::string> output_cases;
};

Result<nlohmann::json> ReadJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    return NotFoundError("cannot read " + path.string());
  }
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(fmt::format("{}: {}", path.string(), e.what()));
  }
}

IgnoreList ReadIgnoreList(const std::filesystem::path& path) {
  IgnoreList out;
  auto tree = ReadJson(path);
  if (!tree.ok()) {
    return out;
  }
  const nlohmann::json& j = *tree;
  for (const char* direction : {"input", "output"}) {
    if (j.contains("general") && j["general"].contains(direction)) {
      for (const auto& s : j["general"][direction].value("suites", nlohmann::json::array())) {
        out.suites.insert(s.get<std::string>());
      }
    }
  }
  if (j.contains("protocols")) {
    for (const auto& [protocol, entry] : j["protocols"].items()) {
      for (const auto& c :
           entry.value("input", nlohmann::json::object()).value("cases", nlohmann::json::array())) {
        out.input_cases.insert(c.get<std::string>());
      }
      for (const auto& c : entry.value("output", nlohmann::json::object())
                               .value("cases", nlohmann::json::array())) {
        out.output_cases.insert(c.get<std::string>());
      }
    }
  }
  return out;
}

// A model holding the suite's shapes and the case's operation.
Result<std::unique_ptr<aws::ServiceModel>> CaseModel(const nlohmann::json& suite,
                                                     const nlohmann::json& given) {
  nlohmann::json service = {{"metadata", suite["metadata"]},
                            {"shapes", suite.value("shapes", nlohmann::json::object())},
                            {"operations", {{given.value("name", ""), given}}}};
  return aws::ServiceModel::FromJson(std::move(service));
}

// Canonical text of an XML element: name, sorted attributes, trimmed text, and children
// ordered by name, keeping the order of same-named siblings unless `unordered` (a tree's maps
// carry no order, so with maps about, the order of repeated entries cannot be checked).
std::string CanonicalXml(pugi::xml_node node, bool unordered) {
  std::vector<std::string> attrs;
  for (pugi::xml_attribute a : node.attributes()) {
    attrs.push_back(fmt::format("{}=\"{}\"", a.name(), a.value()));
  }
  std::sort(attrs.begin(), attrs.end());
  std::vector<std::pair<std::string, std::string>> children;
  std::string text;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element) {
      children.emplace_back(child.name(), CanonicalXml(child, unordered));
    } else if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
    }
  }
  if (unordered) {
    std::sort(children.begin(), children.end());
  } else {
    std::stable_sort(children.begin(), children.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  std::string out = "<";
  out.append(node.name());
  for (const std::string& a : attrs) {
    out += " " + a;
  }
  out += ">";
  if (children.empty()) {
    out += text;
  } else {
    size_t b = text.find_first_not_of(" \t\r\n");
    if (b != std::string::npos) {
      out += text;
    }
    for (const auto& [name, canonical] : children) {
      out += canonical;
    }
  }
  out.append("</");
  out.append(node.name());
  out.append(">");
  return out;
}

bool ParseXmlCanonical(const std::string& text, bool unordered, std::string* canonical) {
  pugi::xml_document doc;
  if (!doc.load_buffer(text.data(), text.size())) {
    return false;
  }
  *canonical = CanonicalXml(doc.document_element(), unordered);
  return true;
}

std::vector<std::pair<std::string, std::string>> SortedForm(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> fields;
  std::string_view rest = text;
  auto decode = [](std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else if (s[i] == '+') {
        out += ' ';
      } else {
        out += s[i];
      }
    }
    return out;
  };
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    size_t eq = pair.find('=');
    fields.emplace_back(decode(pair.substr(0, eq)),
                        eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1)));
  }
  std::sort(fields.begin(), fields.end());
  return fields;
}

// Why two bodies differ, or "" when they match.
std::string CompareBody(aws::Protocol protocol, const std::string& actual,
                        const std::string& expected, bool has_maps) {
  if (actual == expected) {
    return "";
  }
  if (protocol == aws::Protocol::kQuery || protocol == aws::Protocol::kEc2) {
    if (SortedForm(actual) == SortedForm(expected)) {
      return "";
    }
  } else if (size_t first = expected.find_first_not_of(" \t\r\n");
             first != std::string::npos && expected[first] == '<') {
    std::string a;
    std::string e;
    if (ParseXmlCanonical(actual, has_maps, &a) && ParseXmlCanonical(expected, has_maps, &e) &&
        a == e) {
      return "";
    }
  } else {
    try {
      if (nlohmann::json::parse(actual) == nlohmann::json::parse(expected)) {
        return "";
      }
    } catch (const nlohmann::json::exception&) {
    }
  }
  return fmt::format("body {} != expected {}", actual.substr(0, 400), expected.substr(0, 400));
}

std::string CompareUri(const std::string& actual, const std::string& expected) {
  if (actual == expected) {
    return "";
  }
  auto [ap, aq] = aws::SplitPathAndQuery(actual);
  auto [ep, eq] = aws::SplitPathAndQuery(expected);
  if (ap == ep && SortedForm(std::string(aq)) == SortedForm(std::string(eq))) {
    return "";
  }
  return fmt::format("uri {} != expected {}", actual, expected);
}

// Drops nulls, and when `drop_empty` also empty lists and maps: several encodings (ec2 and
// query maps, URI query strings, header-prefix maps) cannot carry those, so the server
// direction cannot give them back.
nlohmann::json Normalize(const nlohmann::json& v, bool drop_empty) {
  if (v.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, x] : v.items()) {
      if (x.is_null() || (drop_empty && (x.is_array() || x.is_object()) && x.empty())) {
        continue;
      }
      out[k] = Normalize(x, drop_empty);
    }
    return out;
  }
  if (v.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& x : v) {
      out.push_back(Normalize(x, drop_empty));
    }
    return out;
  }
  return v;
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).substr(0, 600);
}

std::string CheckInput(const aws::ServiceModel& model, const aws::Operation& op,
                       const nlohmann::json& c, aws::HttpRequest* request_out) {
  aws::SerializeOptions options;
  options.new_idempotency_token = [] { return "00000000-0000-4000-8000-000000000000"; };
  auto request =
      aws::SerializeRequest(model, op, c.value("params", nlohmann::json::object()), options);
  if (!request.ok()) {
    return request.status().ToString();
  }
  *request_out = *request;
  const nlohmann::json& want = c["serialized"];
  if (want.contains("method") && want["method"] != request->method) {
    return fmt::format("method {} != expected {}", request->method, want["method"].dump());
  }
  if (want.contains("uri")) {
    std::string why = CompareUri(request->path, want["uri"].get<std::string>());
    if (!why.empty()) {
      return why;
    }
  }
  if (want.contains("host")) {
    std::string host = request->host_prefix + "example.com";
    if (host != want["host"].get<std::string>()) {
      return fmt::format("host {} != expected {}", host, want["host"].dump());
    }
  }
  // What the transport adds.
  aws::HttpHeaders headers = request->headers;
  if (!request->body.empty() || request->method == "POST" || request->method == "PUT") {
    headers.push_back({"Content-Length", std::to_string(request->body.size())});
  }
  nlohmann::json want_headers = want.value("headers", nlohmann::json::object());
  for (const auto& [name, value] : want_headers.items()) {
    const std::string* have = aws::FindHeader(headers, name);
    if (have == nullptr) {
      return fmt::format("missing header {}", name);
    }
    if (*have != value.get<std::string>()) {
      return fmt::format("header {}: {} != expected {}", name, *have, value.dump());
    }
  }
  for (const auto& name : want.value("requireHeaders", nlohmann::json::array())) {
    if (aws::FindHeader(headers, name.get<std::string>()) == nullptr) {
      return fmt::format("missing required header {}", name.get<std::string>());
    }
  }
  for (const auto& name : want.value("forbidHeaders", nlohmann::json::array())) {
    if (aws::FindHeader(headers, name.get<std::string>()) != nullptr) {
      return fmt::format("forbidden header {} present", name.get<std::string>());
    }
  }
  if (want.contains("body")) {
    bool has_maps = false;
    for (const auto& [name, shape] : model.shapes().items()) {
      has_maps = has_maps || shape.value("type", "") == "map";
    }
    return CompareBody(model.protocol(), request->body, want["body"].get<std::string>(), has_maps);
  }
  return "";
}

std::string CheckServer(const aws::ServiceModel& model, const aws::Operation& op,
                        const nlohmann::json& c, const aws::HttpRequest& request) {
  auto routed = aws::RouteRequest(model, request);
  if (!routed.ok()) {
    return routed.status().ToString();
  }
  if (*routed != &op) {
    return "routed to " + (*routed)->name;
  }
  auto params = aws::ParseRequest(model, op, request);
  if (!params.ok()) {
    return params.status().ToString();
  }
  nlohmann::json want = Normalize(c.value("params", nlohmann::json::object()), true);
  // A query-map entry that repeats a named query member is indistinguishable from it on the
  // wire; the server gives it to the named member only.
  if (op.input.is_object()) {
    const nlohmann::json* shape = model.FindShape(op.input.value("shape", ""));
    std::set<std::string> named;
    std::vector<std::string> maps;
    nlohmann::json members = shape->value("members", nlohmann::json::object());
    for (const auto& [name, member] : members.items()) {
      if (member.value("location", "") != "querystring") {
        continue;
      }
      const nlohmann::json* target = model.FindShape(member.value("shape", ""));
      if (target != nullptr && target->value("type", "") == "map") {
        maps.push_back(name);
      } else {
        named.insert(member.value("locationName", name));
      }
    }
    for (const std::string& map : maps) {
      if (want.contains(map)) {
        for (const std::string& key : named) {
          want[map].erase(key);
        }
      }
    }
    want = Normalize(want, true);
  }
  nlohmann::json have = Normalize(*params, true);
  if (have != want) {
    return fmt::format("parsed {} != params {}", Dump(have), Dump(want));
  }
  return "";
}

std::string CheckOutput(const aws::ServiceModel& model, const aws::Operation& op,
                        const nlohmann::json& c) {
  const nlohmann::json& r = c["response"];
  aws::HttpResponse response;
  response.status = r.value("status_code", 200);
  nlohmann::json headers = r.value("headers", nlohmann::json::object());
  for (const auto& [name, value] : headers.items()) {
    response.headers.push_back({name, value.get<std::string>()});
  }
  response.body = r.value("body", "");
  if (c.contains("error") || c.contains("errorCode")) {
    aws::AwsError error = aws::ParseError(model, op, response);
    if (c.contains("errorCode") && error.code != c["errorCode"].get<std::string>()) {
      return fmt::format("error code {} != expected {}", error.code, c["errorCode"].dump());
    }
    if (c.contains("errorMessage") && error.message != c["errorMessage"].get<std::string>()) {
      return fmt::format("error message {} != expected {}", error.message,
                         c["errorMessage"].dump());
    }
    if (c.contains("error") && Normalize(error.fields, false) != Normalize(c["error"], false)) {
      return fmt::format("error fields {} != expected {}", Dump(error.fields), Dump(c["error"]));
    }
    return "";
  }
  auto result = aws::ParseResponse(model, op, response);
  if (!result.ok()) {
    return result.status().ToString();
  }
  nlohmann::json want = Normalize(c.value("result", nlohmann::json::object()), false);
  if (Normalize(*result, false) != want) {
    return fmt::format("result {} != expected {}", Dump(*result), Dump(want));
  }
  return "";
}

// The server direction of an output case: the result (or error) serialized by the server
// side must parse back to the same tree (or code, message and fields).
std::string CheckServerResponse(const aws::ServiceModel& model, const aws::Operation& op,
                                const nlohmann::json& c) {
  if (c.contains("error") || c.contains("errorCode")) {
    aws::AwsError error;
    error.code = c.value("errorCode", "");
    error.message = c.value("errorMessage", "");
    error.fields = c.value("error", nlohmann::json::object());
    error.request_id = "request-1";
    aws::HttpResponse response = aws::SerializeError(model, error);
    aws::AwsError parsed = aws::ParseError(model, op, response);
    if (parsed.code != error.code || parsed.message != error.message ||
        parsed.request_id != error.request_id) {
      return fmt::format("error {} / {} / {} read back as {} / {} / {}", error.code, error.message,
                         error.request_id, parsed.code, parsed.message, parsed.request_id);
    }
    nlohmann::json have = Normalize(parsed.fields, true);
    nlohmann::json want = Normalize(error.fields, true);
    if (have != want) {
      return fmt::format("error fields {} read back as {}", Dump(want), Dump(have));
    }
    return "";
  }
  nlohmann::json result = c.value("result", nlohmann::json::object());
  // No request id: an output with a header map of prefix "" would take its header in.
  auto response = aws::SerializeResponse(model, op, result, "");
  if (!response.ok()) {
    return response.status().ToString();
  }
  auto parsed = aws::ParseResponse(model, op, *response);
  if (!parsed.ok()) {
    return parsed.status().ToString() + " in " + response->body.substr(0, 300);
  }
  nlohmann::json have = Normalize(*parsed, true);
  nlohmann::json want = Normalize(result, true);
  if (have != want) {
    return fmt::format("result {} read back as {} (body {})", Dump(want), Dump(have),
                       response->body.substr(0, 300));
  }
  return "";
}

}  // namespace

int AwsProtocolsMain(const std::vector<std::string>& args) {
  std::string dir;
  std::string known;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--known-failures" && i + 1 < args.size()) {
      known = args[++i];
    } else if (dir.empty()) {
      dir = args[i];
    } else {
      std::fprintf(stderr, "aws-protocols: unexpected argument %s\n", args[i].c_str());
      return 2;
    }
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: aws-protocols DIR [--known-failures FILE]\n");
    return 2;
  }
  Tally tally(known.empty() ? std::set<std::string>() : ReadNameList(known));
  IgnoreList ignore = ReadIgnoreList(std::filesystem::path(dir) / "ignore-list.json");
  int ignored = 0;
  std::map<std::string, std::pair<int, int>> counts;  // kind -> passed, failed
  auto record = [&](const std::string& kind, const std::string& name, const std::string& why) {
    if (why.empty()) {
      ++counts[kind].first;
      tally.Pass(name);
    } else {
      ++counts[kind].second;
      tally.Fail(name, why);
    }
  };
  for (const char* direction : {"input", "output"}) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(dir) / direction, ec)) {
      if (entry.path().extension() == ".json") {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    bool input = std::string(direction) == "input";
    std::string server_kind = input ? "server-request" : "server-response";
    for (const auto& file : files) {
      auto suites = ReadJson(file);
      if (!suites.ok()) {
        record(direction, file.string(), suites.status().ToString());
        continue;
      }
      std::string stem = file.stem().string();
      for (const auto& suite : *suites) {
        bool skip_suite = ignore.suites.count(suite.value("description", "")) > 0;
        for (const auto& c : suite["cases"]) {
          std::string id = c.value("id", "?");
          std::string name = fmt::format("{}/{}/{}", direction, stem, id);
          std::string server_name = fmt::format("{}/{}/{}", server_kind, stem, id);
          if (skip_suite || (input ? ignore.input_cases : ignore.output_cases).count(id) > 0) {
            ++ignored;
            continue;
          }
          auto model = CaseModel(suite, c["given"]);
          if (!model.ok()) {
            record(direction, name, model.status().ToString());
            continue;
          }
          const aws::Operation& op = (*model)->operations().begin()->second;
          std::string why;
          std::string server_why;
          try {
            if (input) {
              aws::HttpRequest request;
              why = CheckInput(**model, op, c, &request);
              server_why = why.empty() ? CheckServer(**model, op, c, request)
                                       : "skipped: the client direction failed";
            } else {
              why = CheckOutput(**model, op, c);
              server_why = CheckServerResponse(**model, op, c);
            }
          } catch (const std::exception& e) {
            why = std::string("exception: ") + e.what();
            server_why = why;
          }
          record(direction, name, why);
          record(server_kind, server_name, server_why);
        }
      }
    }
  }
  for (const auto& [kind, count] : counts) {
    std::printf("aws-protocols %s: %d passed, %d failed\n", kind.c_str(), count.first,
                count.second);
  }
  std::printf("aws-protocols: %d cases ignored by ignore-list.json\n", ignored);
  return tally.Finish();
}

}  // namespace cf::conformance
