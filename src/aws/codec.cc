// The codec entry points: dispatch by protocol, errors, routing. Internal CodecError and
// nlohmann::json exceptions are turned into Status values here and only here.

#include "aws/codec.h"

#include <fmt/format.h>

#include <optional>

#include "aws/protocol_body.h"
#include "aws/protocol_rest.h"
#include "aws/protocol_util.h"

namespace cf::aws {
namespace {

// JSON text for the wire. Strings that are not valid UTF-8 (an error message quoting a
// malformed member name, say) get U+FFFD instead of making nlohmann throw.
std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

using internal::CodecError;
using internal::Ref;

bool IsXml(Protocol p) {
  return p == Protocol::kQuery || p == Protocol::kEc2 || p == Protocol::kRestXml;
}

std::string JsonContentType(const ServiceModel& model) {
  return "application/x-amz-json-" + model.metadata().value("jsonVersion", "1.0");
}

// The payload member of a structure ("payload" trait), or "".
std::string PayloadMember(const Ref& ref) {
  return ref.shape->value("payload", "");
}

// Whether `value` sets a member of `ref` that travels in the body.
bool HasBodyValues(const ServiceModel& model, const Ref& ref, const nlohmann::json& value,
                   bool request) {
  for (const auto& [name, v] : value.items()) {
    if (v.is_null() || !ref.members().contains(name)) {
      continue;
    }
    Ref member = internal::Resolve(model, ref.members()[name]);
    if (!internal::BoundOutsideBody(member, request)) {
      return true;
    }
  }
  return false;
}

// Whether the shape has any member that travels in the body.
bool HasBodyMembers(const ServiceModel& model, const Ref& ref, bool request) {
  for (const auto& [name, member_ref] : ref.members().items()) {
    if (!internal::BoundOutsideBody(internal::Resolve(model, member_ref), request)) {
      return true;
    }
  }
  return false;
}

// The XML root element name of a structure body: the reference's locationName, the shape's,
// or the shape's name.
std::string XmlRootName(const Ref& ref) {
  return ref.StringTrait("locationName", ref.shape_name);
}

std::string FillHostPrefix(const ServiceModel& model, const Operation& op, const Ref* input,
                           const nlohmann::json& params) {
  std::string prefix = op.host_prefix;
  size_t open;
  while ((open = prefix.find('{')) != std::string::npos) {
    size_t close = prefix.find('}', open);
    if (close == std::string::npos || input == nullptr) {
      throw CodecError("malformed host prefix " + op.host_prefix);
    }
    std::string label = prefix.substr(open + 1, close - open - 1);
    if (!params.contains(label) || !params[label].is_string() ||
        params[label].get<std::string>().empty()) {
      throw CodecError(fmt::format("{}: needed for the host prefix", label));
    }
    internal::Member(model, *input, label);  // must exist
    prefix.replace(open, close - open + 1, params[label].get<std::string>());
  }
  return prefix;
}

// Writes a rest body (payload member or the body members) into request/response parts.
// Content-Type names the body unless a header member already set it; an unset structure
// payload is "{}" in rest-json requests, as botocore sends it.
void WriteRestBody(const ServiceModel& model, Protocol protocol, const Ref& shape,
                   const nlohmann::json& value, std::string* body, HttpHeaders* headers,
                   bool is_request) {
  std::string payload = PayloadMember(shape);
  bool xml = protocol == Protocol::kRestXml;
  auto name_type = [&](const char* content_type) {
    if (!is_request || FindHeader(*headers, "Content-Type") == nullptr) {
      SetHeader(headers, "Content-Type", content_type);
    }
  };
  if (!payload.empty()) {
    Ref member = internal::Member(model, shape, payload);
    auto it = value.find(payload);
    std::string type = member.type();
    bool streaming = type == "blob" || type == "string";
    if (it == value.end() || it->is_null()) {
      // An unset structure payload is an empty object in rest-json requests.
      if (is_request && !xml && !streaming) {
        *body = "{}";
        name_type("application/json");
      }
      return;
    }
    if (streaming) {
      *body = it->get<std::string>();
      if (FindHeader(*headers, "Content-Type") == nullptr) {
        SetHeader(headers, "Content-Type",
                  type == "blob" ? "application/octet-stream" : "text/plain");
      }
      return;
    }
    if (xml) {
      pugi::xml_document doc;
      std::string root = member.StringTrait("locationName", member.shape_name);
      pugi::xml_node node = doc.append_child(root.c_str());
      internal::XmlWriteMembers(model, member, *it, node, is_request);
      *body = internal::XmlToString(doc);
      name_type("application/xml");
    } else {
      *body = DumpJson(internal::JsonWrite(model, member, *it));
      name_type("application/json");
    }
    return;
  }
  if (!HasBodyValues(model, shape, value, is_request)) {
    // rest-json sends "{}" for a shape whose body members are all unset.
    if (!xml && HasBodyMembers(model, shape, is_request)) {
      *body = "{}";
      name_type("application/json");
    }
    return;
  }
  if (xml) {
    pugi::xml_document doc;
    pugi::xml_node node = doc.append_child(XmlRootName(shape).c_str());
    internal::XmlWriteMembers(model, shape, value, node, is_request);
    *body = internal::XmlToString(doc);
    name_type("application/xml");
  } else {
    *body = DumpJson(internal::JsonWrite(model, shape, value, is_request));
    name_type("application/json");
  }
}

pugi::xml_node ParseXml(pugi::xml_document* doc, const std::string& body) {
  pugi::xml_parse_result parsed =
      doc->load_buffer(body.data(), body.size(), pugi::parse_default | pugi::parse_ws_pcdata_single,
                       pugi::encoding_utf8);
  if (!parsed) {
    throw CodecError(fmt::format("response body is not XML: {}", parsed.description()));
  }
  return doc->document_element();
}

// Reads a rest body (payload member or the body members) into `out`.
void ReadRestBody(const ServiceModel& model, Protocol protocol, const Ref& shape,
                  const std::string& body, bool is_request, nlohmann::json* out) {
  std::string payload = PayloadMember(shape);
  bool xml = protocol == Protocol::kRestXml;
  if (!payload.empty()) {
    Ref member = internal::Member(model, shape, payload);
    std::string type = member.type();
    if (type == "blob" || type == "string") {
      if (!body.empty()) {
        (*out)[payload] = body;
      }
      return;
    }
    if (body.empty()) {
      return;
    }
    if (xml) {
      pugi::xml_document doc;
      (*out)[payload] = internal::XmlRead(model, member, ParseXml(&doc, body));
    } else {
      (*out)[payload] = internal::JsonRead(model, member, nlohmann::json::parse(body));
    }
    return;
  }
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return;
  }
  nlohmann::json members;
  if (xml) {
    pugi::xml_document doc;
    members = internal::XmlReadMembers(model, shape, ParseXml(&doc, body), is_request);
  } else {
    members = internal::JsonRead(model, shape, nlohmann::json::parse(body), is_request);
  }
  for (auto& [k, v] : members.items()) {
    (*out)[k] = std::move(v);
  }
}

// Runs `fn`, turning internal exceptions into a Status with `what` as context.
template <typename Fn>
auto Guard(std::string_view what, StatusCode code, Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const CodecError& e) {
    return Status(code, fmt::format("{}: {}", what, e.what()));
  } catch (const nlohmann::json::exception& e) {
    return Status(code, fmt::format("{}: {}", what, e.what()));
  }
}

nlohmann::json FillIdempotencyTokens(const Ref& input, nlohmann::json params,
                                     const SerializeOptions& options) {
  for (const auto& [name, member_ref] : input.members().items()) {
    if (!member_ref.value("idempotencyToken", false) ||
        (params.contains(name) && !params[name].is_null())) {
      continue;
    }
    params[name] =
        options.new_idempotency_token ? options.new_idempotency_token() : internal::RandomUuid();
  }
  return params;
}

Result<HttpRequest> SerializeRequestImpl(const ServiceModel& model, const Operation& op,
                                         const nlohmann::json& raw_params,
                                         const SerializeOptions& options) {
  nlohmann::json params = raw_params.is_null() ? nlohmann::json::object() : raw_params;
  if (!params.is_object()) {
    return InvalidArgumentError(fmt::format("{}: params must be an object", op.name));
  }
  std::optional<Ref> input;
  if (op.input.is_object()) {
    input = internal::Resolve(model, op.input);
    params = FillIdempotencyTokens(*input, std::move(params), options);
    if (options.validate) {
      Status status = ValidateParams(model, input->shape_name, params);
      if (!status.ok()) {
        return Status(status.code(), fmt::format("{}: {}", op.name, status.message()));
      }
    }
  } else if (!params.empty()) {
    return InvalidArgumentError(fmt::format("{} takes no parameters", op.name));
  }
  HttpRequest request;
  request.method = op.http_method;
  request.path = op.request_uri;
  request.host_prefix = FillHostPrefix(model, op, input ? &*input : nullptr, params);
  switch (model.protocol()) {
    case Protocol::kQuery:
    case Protocol::kEc2: {
      internal::FormFields fields = {{"Action", op.name}, {"Version", model.api_version()}};
      if (input) {
        internal::FormWrite(model, *input, params, "", model.protocol() == Protocol::kEc2, &fields);
      }
      request.body = internal::FormEncode(fields);
      request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
      break;
    }
    case Protocol::kJson: {
      request.headers.push_back({"Content-Type", JsonContentType(model)});
      std::string target = model.metadata().value("targetPrefix", "");
      if (!target.empty()) {
        request.headers.push_back({"X-Amz-Target", target + "." + op.name});
      }
      request.body = input ? DumpJson(internal::JsonWrite(model, *input, params)) : "{}";
      break;
    }
    case Protocol::kRestJson:
    case Protocol::kRestXml: {
      if (!input) {
        break;
      }
      internal::RestWriteBindings(model, op, *input, params, &request);
      WriteRestBody(model, model.protocol(), *input, params, &request.body, &request.headers, true);
      break;
    }
  }
  return request;
}

// An error shape the code names: one of the operation's errors, else any exception shape.
std::optional<Ref> FindErrorShape(const ServiceModel& model, const Operation* op,
                                  const std::string& code, nlohmann::json* holder) {
  auto matches = [&](const std::string& name, const nlohmann::json& shape) {
    if (name == code) {
      return true;
    }
    auto it = shape.find("error");
    return it != shape.end() && it->is_object() && it->value("code", "") == code;
  };
  if (op != nullptr) {
    for (const std::string& name : op->errors) {
      const nlohmann::json* shape = model.FindShape(name);
      if (shape != nullptr && matches(name, *shape)) {
        *holder = {{"shape", name}};
        return internal::Resolve(model, *holder);
      }
    }
  }
  for (const auto& [name, shape] : model.shapes().items()) {
    if (shape.value("exception", false) && matches(name, shape)) {
      *holder = {{"shape", name}};
      return internal::Resolve(model, *holder);
    }
  }
  return std::nullopt;
}

std::string SanitizeCode(std::string code) {
  if (size_t colon = code.find(':'); colon != std::string::npos) {
    code = code.substr(0, colon);
  }
  if (size_t hash = code.rfind('#'); hash != std::string::npos) {
    code = code.substr(hash + 1);
  }
  size_t b = code.find_first_not_of(' ');
  size_t e = code.find_last_not_of(' ');
  return b == std::string::npos ? "" : code.substr(b, e - b + 1);
}

std::string StatusName(int status) {
  switch (status) {
    case 301:
      return "MovedPermanently";
    case 304:
      return "NotModified";
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 409:
      return "Conflict";
    case 412:
      return "PreconditionFailed";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    default:
      return fmt::format("Http{}", status);
  }
}

void ParseErrorImpl(const ServiceModel& model, const Operation* op, const HttpResponse& response,
                    AwsError* error) {
  for (const char* name : {"x-amzn-RequestId", "x-amz-request-id", "x-amzn-requestid"}) {
    if (const std::string* id = FindHeader(response.headers, name); id != nullptr) {
      error->request_id = *id;
      break;
    }
  }
  Protocol protocol = model.protocol();
  bool blank = response.body.find_first_not_of(" \t\r\n") == std::string::npos;
  std::optional<Ref> shape;
  nlohmann::json holder;
  if (!IsXml(protocol)) {
    nlohmann::json body = nlohmann::json::object();
    if (!blank) {
      body = nlohmann::json::parse(response.body);
    }
    std::string code;
    if (const std::string* header = FindHeader(response.headers, "X-Amzn-Errortype")) {
      code = *header;
    } else if (body.contains("__type") && body["__type"].is_string()) {
      code = body["__type"].get<std::string>();
    } else if (body.contains("code") && body["code"].is_string()) {
      code = body["code"].get<std::string>();
    } else if (body.contains("Code") && body["Code"].is_string()) {
      code = body["Code"].get<std::string>();
    }
    error->code = SanitizeCode(code);
    for (const char* key : {"message", "Message", "errorMessage"}) {
      if (body.contains(key) && body[key].is_string()) {
        error->message = body[key].get<std::string>();
        break;
      }
    }
    if (!error->code.empty()) {
      shape = FindErrorShape(model, op, error->code, &holder);
    }
    if (shape) {
      error->fields = internal::JsonRead(model, *shape, body);
      if (protocol == Protocol::kRestJson) {
        internal::RestReadHeaders(model, *shape, response.headers, response.status, &error->fields);
      }
    }
  } else if (!blank) {
    pugi::xml_document doc;
    pugi::xml_node root = ParseXml(&doc, response.body);
    pugi::xml_node err;
    std::string root_name = root.name();
    if (root_name == "Error") {
      err = root;
    } else if (root_name == "Response") {
      err = internal::XmlChild(internal::XmlChild(root, "Errors"), "Error");
    } else {
      err = internal::XmlChild(root, "Error");
    }
    if (!err) {
      err = root;
    }
    error->code = SanitizeCode(internal::XmlChild(err, "Code").child_value());
    error->message = internal::XmlChild(err, "Message").child_value();
    error->type = internal::XmlChild(err, "Type").child_value();
    for (pugi::xml_node holder_node : {root, err}) {
      for (const char* name : {"RequestId", "RequestID", "requestId"}) {
        if (pugi::xml_node id = internal::XmlChild(holder_node, name); id) {
          error->request_id = id.child_value();
        }
      }
    }
    if (!error->code.empty()) {
      shape = FindErrorShape(model, op, error->code, &holder);
    }
    if (shape) {
      error->fields = internal::XmlReadMembers(model, *shape, err);
      if (protocol == Protocol::kRestXml) {
        internal::RestReadHeaders(model, *shape, response.headers, response.status, &error->fields);
      }
    }
  }
  if (error->code.empty()) {
    error->code = StatusName(response.status);
    if (error->message.empty()) {
      error->message = response.body.substr(0, 512);
    }
  }
}

Result<nlohmann::json> ParseResponseImpl(const ServiceModel& model, const Operation& op,
                                         const HttpResponse& response) {
  nlohmann::json out = nlohmann::json::object();
  if (!op.output.is_object()) {
    return out;
  }
  Ref output = internal::Resolve(model, op.output);
  Protocol protocol = model.protocol();
  bool blank = response.body.find_first_not_of(" \t\r\n") == std::string::npos;
  switch (protocol) {
    case Protocol::kQuery:
    case Protocol::kEc2: {
      if (blank) {
        return out;
      }
      pugi::xml_document doc;
      pugi::xml_node root = ParseXml(&doc, response.body);
      std::string wrapper = op.output.value("resultWrapper", "");
      if (!wrapper.empty()) {
        root = internal::XmlChild(root, wrapper);
        if (!root) {
          return out;
        }
      } else if (pugi::xml_node result = internal::XmlChild(root, op.name + "Result"); result) {
        root = result;
      }
      return internal::XmlReadMembers(model, output, root);
    }
    case Protocol::kJson:
      if (blank) {
        return out;
      }
      return internal::JsonRead(model, output, nlohmann::json::parse(response.body));
    case Protocol::kRestJson:
    case Protocol::kRestXml:
      internal::RestReadHeaders(model, output, response.headers, response.status, &out);
      ReadRestBody(model, protocol, output, response.body, false, &out);
      return out;
  }
  return out;
}

// For routing: -1 when a required header or query member of op's input is missing from the
// request, else how many required header / query members it carries.
int RequiredBindingsPresent(const ServiceModel& model, const Operation& op,
                            const HttpRequest& request, std::string_view query) {
  if (!op.input.is_object()) {
    return 0;
  }
  Ref input = internal::Resolve(model, op.input);
  auto required = input.shape->find("required");
  if (required == input.shape->end() || !required->is_array()) {
    return 0;
  }
  internal::FormFields fields = internal::FormDecode(query);
  int present = 0;
  for (const auto& name : *required) {
    if (!name.is_string() || !input.members().contains(name.get<std::string>())) {
      continue;
    }
    Ref member = internal::Resolve(model, input.members()[name.get<std::string>()]);
    std::string location = member.RefString("location");
    std::string wire = member.RefString("locationName", name.get<std::string>());
    if (location == "header") {
      if (FindHeader(request.headers, wire) == nullptr) {
        return -1;
      }
      ++present;
    } else if (location == "querystring") {
      bool found = false;
      for (const auto& [k, v] : fields) {
        found = found || k == wire;
      }
      if (!found) {
        return -1;
      }
      ++present;
    }
  }
  return present;
}

Result<const Operation*> AsNotFound(Result<const Operation*> op) {
  if (op.ok()) {
    return op;
  }
  return NotFoundError(op.status().message());
}

Result<const Operation*> RouteRequestImpl(const ServiceModel& model, const HttpRequest& request) {
  switch (RequestProtocol(model, request)) {
    case Protocol::kJson: {
      const std::string* target = FindHeader(request.headers, "X-Amz-Target");
      if (target == nullptr) {
        return NotFoundError("request has no X-Amz-Target header");
      }
      size_t dot = target->rfind('.');
      std::string name = dot == std::string::npos ? *target : target->substr(dot + 1);
      return AsNotFound(model.FindOperation(name));
    }
    case Protocol::kQuery:
    case Protocol::kEc2: {
      std::string action;
      for (std::string_view text :
           {SplitPathAndQuery(request.path).second, std::string_view(request.body)}) {
        for (const auto& [k, v] : internal::FormDecode(text)) {
          if (k == "Action") {
            action = v;
          }
        }
      }
      if (action.empty()) {
        return NotFoundError("request has no Action");
      }
      return AsNotFound(model.FindOperation(action));
    }
    case Protocol::kRestJson:
    case Protocol::kRestXml: {
      auto [path, query] = SplitPathAndQuery(request.path);
      const Operation* best = nullptr;
      int best_score = -1;
      for (const auto& [name, op] : model.operations()) {
        if (op.http_method != request.method) {
          continue;
        }
        std::map<std::string, std::string> labels;
        if (!internal::RestMatchUri(op.request_uri, path, query, &labels)) {
          continue;
        }
        // Operations sharing a template (PutObject / CopyObject) differ by required headers
        // and query parameters: one whose required ones are missing does not fit; among the
        // rest, the one that names more of them wins.
        int bound = RequiredBindingsPresent(model, op, request, query);
        if (bound < 0) {
          continue;
        }
        int score = internal::RestTemplateSpecificity(op.request_uri) * 64 + bound;
        if (score > best_score) {
          best = &op;
          best_score = score;
        }
      }
      if (best == nullptr) {
        return NotFoundError(fmt::format("no operation for {} {}", request.method, request.path));
      }
      return best;
    }
  }
  return NotFoundError("unroutable request");
}

Result<nlohmann::json> ParseRequestImpl(const ServiceModel& model, const Operation& op,
                                        const HttpRequest& request) {
  nlohmann::json out = nlohmann::json::object();
  if (!op.input.is_object()) {
    return out;
  }
  Ref input = internal::Resolve(model, op.input);
  Protocol protocol = RequestProtocol(model, request);
  switch (protocol) {
    case Protocol::kQuery:
    case Protocol::kEc2: {
      std::map<std::string, std::string> fields;
      for (std::string_view text :
           {SplitPathAndQuery(request.path).second, std::string_view(request.body)}) {
        for (auto& [k, v] : internal::FormDecode(text)) {
          fields[k] = v;
        }
      }
      return internal::FormRead(model, input, fields, protocol == Protocol::kEc2);
    }
    case Protocol::kJson:
      if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
        return out;
      }
      return internal::JsonRead(model, input, nlohmann::json::parse(request.body));
    case Protocol::kRestJson:
    case Protocol::kRestXml:
      internal::RestReadBindings(model, op, input, request, &out);
      ReadRestBody(model, protocol, input, request.body, true, &out);
      return out;
  }
  return out;
}

// Where responses carry the request id: S3 (rest-xml) uses its own header.
const char* RequestIdHeader(const ServiceModel& model) {
  return model.protocol() == Protocol::kRestXml ? "x-amz-request-id" : "x-amzn-RequestId";
}

std::string XmlNamespaceOf(const ServiceModel& model) {
  std::string ns = model.metadata().value("xmlNamespace", "");
  if (ns.empty()) {
    ns = fmt::format("http://{}.amazonaws.com/doc/{}/", model.endpoint_prefix(),
                     model.api_version());
  }
  return ns;
}

Result<HttpResponse> SerializeResponseImpl(const ServiceModel& model, const Operation& op,
                                           const nlohmann::json& raw_result,
                                           std::string_view request_id, Protocol protocol) {
  nlohmann::json result = raw_result.is_null() ? nlohmann::json::object() : raw_result;
  HttpResponse response;
  response.status = op.response_code;
  std::optional<Ref> output;
  if (op.output.is_object()) {
    output = internal::Resolve(model, op.output);
  }
  switch (protocol) {
    case Protocol::kQuery:
    case Protocol::kEc2: {
      pugi::xml_document doc;
      pugi::xml_node root = doc.append_child((op.name + "Response").c_str());
      root.append_attribute("xmlns") = XmlNamespaceOf(model).c_str();
      if (protocol == Protocol::kEc2) {
        root.append_child("requestId").text().set(std::string(request_id).c_str());
        if (output) {
          internal::XmlWriteMembers(model, *output, result, root, false);
        }
      } else {
        std::string wrapper = op.output.is_object() ? op.output.value("resultWrapper", "") : "";
        pugi::xml_node holder = root;
        if (!wrapper.empty()) {
          holder = root.append_child(wrapper.c_str());
        }
        if (output) {
          internal::XmlWriteMembers(model, *output, result, holder, false);
        }
        root.append_child("ResponseMetadata")
            .append_child("RequestId")
            .text()
            .set(std::string(request_id).c_str());
      }
      response.body = internal::XmlToString(doc, true);
      response.headers.push_back({"Content-Type", "text/xml"});
      break;
    }
    case Protocol::kJson:
      response.body = output ? DumpJson(internal::JsonWrite(model, *output, result)) : "{}";
      response.headers.push_back({"Content-Type", JsonContentType(model)});
      break;
    case Protocol::kRestJson:
    case Protocol::kRestXml:
      if (output) {
        for (const auto& [name, member_ref] : output->members().items()) {
          if (member_ref.value("location", "") == "statusCode" && result.contains(name) &&
              result[name].is_number_integer()) {
            response.status = result[name].get<int>();
          }
        }
        internal::RestWriteHeaders(model, *output, result, &response.headers);
        WriteRestBody(model, protocol, *output, result, &response.body, &response.headers, false);
      }
      break;
  }
  if (!request_id.empty()) {
    response.headers.push_back({RequestIdHeader(model), std::string(request_id)});
  }
  return response;
}

HttpResponse SerializeErrorImpl(const ServiceModel& model, const AwsError& error,
                                Protocol protocol) {
  HttpResponse response;
  nlohmann::json holder;
  std::optional<Ref> shape = FindErrorShape(model, nullptr, error.code, &holder);
  response.status = error.http_status;
  bool sender = true;
  if (shape) {
    if (auto it = shape->shape->find("error"); it != shape->shape->end() && it->is_object()) {
      if (response.status == 0) {
        response.status = it->value("httpStatusCode", 400);
      }
      sender = it->value("senderFault", true);
    }
  }
  if (response.status == 0) {
    response.status = 400;
  }
  std::string type = error.type.empty() ? (sender ? "Sender" : "Receiver") : error.type;
  if (!error.request_id.empty()) {
    response.headers.push_back({RequestIdHeader(model), error.request_id});
  }
  if (shape && error.fields.is_object() &&
      (protocol == Protocol::kRestJson || protocol == Protocol::kRestXml)) {
    internal::RestWriteHeaders(model, *shape, error.fields, &response.headers);
  }
  switch (protocol) {
    case Protocol::kJson:
    case Protocol::kRestJson: {
      nlohmann::json body = nlohmann::json::object();
      if (shape && error.fields.is_object() && !error.fields.empty()) {
        body = internal::JsonWrite(model, *shape, error.fields);
      }
      body["__type"] = error.code;
      body["message"] = error.message;
      response.body = DumpJson(body);
      response.headers.push_back({"Content-Type", protocol == Protocol::kJson
                                                      ? JsonContentType(model)
                                                      : "application/json"});
      response.headers.push_back({"X-Amzn-Errortype", error.code});
      if (model.protocol() == Protocol::kQuery) {
        // awsQueryCompatible clients take the query error code from here.
        response.headers.push_back({"x-amzn-query-error", error.code + ";" + type});
      }
      break;
    }
    case Protocol::kEc2: {
      pugi::xml_document doc;
      pugi::xml_node root = doc.append_child("Response");
      pugi::xml_node err = root.append_child("Errors").append_child("Error");
      err.append_child("Code").text().set(error.code.c_str());
      err.append_child("Message").text().set(error.message.c_str());
      root.append_child("RequestID").text().set(error.request_id.c_str());
      response.body = internal::XmlToString(doc, true);
      response.headers.push_back({"Content-Type", "text/xml"});
      break;
    }
    case Protocol::kQuery:
    case Protocol::kRestXml: {
      pugi::xml_document doc;
      bool s3_style = model.endpoint_prefix() == "s3";
      pugi::xml_node root = doc.append_child(s3_style ? "Error" : "ErrorResponse");
      pugi::xml_node err = s3_style ? root : root.append_child("Error");
      if (!s3_style) {
        err.append_child("Type").text().set(type.c_str());
      }
      err.append_child("Code").text().set(error.code.c_str());
      err.append_child("Message").text().set(error.message.c_str());
      if (shape && error.fields.is_object()) {
        nlohmann::json fields = error.fields;
        fields.erase("Message");
        fields.erase("message");
        fields.erase("Code");
        internal::XmlWriteMembers(model, *shape, fields, err, false);
      }
      root.append_child("RequestId").text().set(error.request_id.c_str());
      response.body = internal::XmlToString(doc, true);
      response.headers.push_back({"Content-Type", "text/xml"});
      break;
    }
  }
  return response;
}

}  // namespace

Result<HttpRequest> SerializeRequest(const ServiceModel& model, const Operation& op,
                                     const nlohmann::json& params,
                                     const SerializeOptions& options) {
  return Guard(op.name, StatusCode::kInvalidArgument,
               [&]() { return SerializeRequestImpl(model, op, params, options); });
}

bool IsErrorResponse(const HttpResponse& response) {
  return response.status >= 300;
}

Result<nlohmann::json> ParseResponse(const ServiceModel& model, const Operation& op,
                                     const HttpResponse& response) {
  return Guard(op.name + " response", StatusCode::kInvalidArgument,
               [&]() { return ParseResponseImpl(model, op, response); });
}

AwsError ParseError(const ServiceModel& model, const Operation& op, const HttpResponse& response) {
  AwsError error;
  error.http_status = response.status;
  try {
    ParseErrorImpl(model, &op, response, &error);
  } catch (const CodecError&) {
    error.fields = nlohmann::json::object();
  } catch (const nlohmann::json::exception&) {
    error.fields = nlohmann::json::object();
  }
  if (error.code.empty()) {
    error.code = response.status >= 300 ? StatusName(response.status) : "UnknownError";
    if (error.message.empty()) {
      error.message = response.body.substr(0, 512);
    }
  }
  return error;
}

Result<const Operation*> RouteRequest(const ServiceModel& model, const HttpRequest& request) {
  return Guard("routing", StatusCode::kNotFound,
               [&]() { return RouteRequestImpl(model, request); });
}

Result<nlohmann::json> ParseRequest(const ServiceModel& model, const Operation& op,
                                    const HttpRequest& request) {
  return Guard(op.name, StatusCode::kInvalidArgument,
               [&]() { return ParseRequestImpl(model, op, request); });
}

Result<HttpResponse> SerializeResponse(const ServiceModel& model, const Operation& op,
                                       const nlohmann::json& result, std::string_view request_id,
                                       std::optional<Protocol> protocol) {
  return Guard(op.name + " result", StatusCode::kInternal, [&]() {
    return SerializeResponseImpl(model, op, result, request_id,
                                 protocol.value_or(model.protocol()));
  });
}

Protocol RequestProtocol(const ServiceModel& model, const HttpRequest& request) {
  if (model.protocol() == Protocol::kQuery &&
      FindHeader(request.headers, "X-Amz-Target") != nullptr) {
    return Protocol::kJson;
  }
  return model.protocol();
}

HttpResponse SerializeError(const ServiceModel& model, const AwsError& error,
                            std::optional<Protocol> protocol) {
  try {
    return SerializeErrorImpl(model, error, protocol.value_or(model.protocol()));
  } catch (const CodecError&) {
  } catch (const nlohmann::json::exception&) {
  }
  AwsError plain = error;
  plain.fields = nlohmann::json::object();
  plain.code = error.code.empty() ? "InternalFailure" : error.code;
  HttpResponse response;
  response.status = error.http_status == 0 ? 500 : error.http_status;
  response.body = DumpJson(nlohmann::json({{"__type", plain.code}, {"message", plain.message}}));
  return response;
}

HttpResponse SerializeError(const ServiceModel& model, std::string code, std::string message,
                            int http_status, std::string request_id) {
  AwsError error;
  error.code = std::move(code);
  error.message = std::move(message);
  error.http_status = http_status;
  error.request_id = std::move(request_id);
  return SerializeError(model, error);
}

}  // namespace cf::aws
