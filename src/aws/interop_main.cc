// aws_interop_driver: the server side of the codecs, driven by src/aws/gen/botocore_interop.py
// (see docs/aws-models.md). Reads a JSON array of cases from stdin, each
//   {"service", "op", "params", "result", "request": {"method", "path", "headers", "body"}}
// with a request botocore serialized; writes a JSON array of
//   {"route", "params", "status", "headers", "body", "error": {"status", "headers", "body"}}
// with what RouteRequest / ParseRequest made of the request and the response and error
// SerializeResponse / SerializeError give back for "result".

#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "aws/codec.h"
#include "aws/models.h"

namespace {

nlohmann::json HeadersJson(const cf::aws::HttpHeaders& headers) {
  nlohmann::json out = nlohmann::json::object();
  for (const cf::aws::HttpHeader& header : headers) {
    out[header.name] = header.value;
  }
  return out;
}

}  // namespace

int main() {
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  nlohmann::json cases;
  try {
    cases = nlohmann::json::parse(input);
  } catch (const nlohmann::json::exception& e) {
    std::cerr << "aws_interop_driver: " << e.what() << "\n";
    return 2;
  }
  cf::aws::Models models;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : cases) {
    nlohmann::json r = nlohmann::json::object();
    auto model = models.Find(c.value("service", ""));
    if (!model.ok()) {
      r["route"] = model.status().ToString();
      out.push_back(r);
      continue;
    }
    const cf::aws::ServiceModel& m = **model;
    cf::aws::HttpRequest request;
    const nlohmann::json& req = c["request"];
    request.method = req.value("method", "POST");
    request.path = req.value("path", "/");
    request.body = req.value("body", "");
    for (const auto& [name, value] : req["headers"].items()) {
      request.headers.push_back({name, value.get<std::string>()});
    }
    auto op = cf::aws::RouteRequest(m, request);
    if (!op.ok()) {
      r["route"] = op.status().ToString();
      out.push_back(r);
      continue;
    }
    r["route"] = (*op)->name;
    auto params = cf::aws::ParseRequest(m, **op, request);
    r["params"] = params.ok() ? *params : nlohmann::json(params.status().ToString());
    cf::aws::Protocol protocol = cf::aws::RequestProtocol(m, request);
    auto response = cf::aws::SerializeResponse(m, **op, c["result"], "request-1", protocol);
    if (response.ok()) {
      r["status"] = response->status;
      r["headers"] = HeadersJson(response->headers);
      r["body"] = response->body;
    }
    cf::aws::AwsError error;
    error.code = "ThingNotFound";
    error.message = "no such thing";
    error.http_status = 404;
    error.request_id = "request-2";
    cf::aws::HttpResponse failure = cf::aws::SerializeError(m, error, protocol);
    r["error"] = {{"status", failure.status},
                  {"headers", HeadersJson(failure.headers)},
                  {"body", failure.body}};
    out.push_back(r);
  }
  std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return 0;
}
