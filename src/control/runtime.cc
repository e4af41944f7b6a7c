#include "control/runtime.h"

#include <fmt/core.h>

namespace cf::control {

using nlohmann::json;

RuntimeApi::RuntimeApi(aws::HttpTransport& transport, std::string api)
    : transport_(transport), base_url_("http://" + std::move(api)) {}

Result<Invocation> RuntimeApi::Next() {
  aws::HttpRequest request;
  request.method = "GET";
  request.path = "/2018-06-01/runtime/invocation/next";
  ASSIGN_OR_RETURN(aws::HttpResponse response, transport_.Send(base_url_, request));
  if (response.status != 200) {
    return UnavailableError(
        fmt::format("runtime API next: HTTP {}: {}", response.status, response.body));
  }
  Invocation inv;
  if (const std::string* id = aws::FindHeader(response.headers, "Lambda-Runtime-Aws-Request-Id")) {
    inv.request_id = *id;
  }
  if (inv.request_id.empty()) {
    return UnavailableError("runtime API next: no Lambda-Runtime-Aws-Request-Id");
  }
  if (const std::string* arn =
          aws::FindHeader(response.headers, "Lambda-Runtime-Invoked-Function-Arn")) {
    inv.function_arn = *arn;
  }
  if (const std::string* d = aws::FindHeader(response.headers, "Lambda-Runtime-Deadline-Ms")) {
    try {
      inv.deadline_ms = std::stoll(*d);
    } catch (...) {
      inv.deadline_ms = 0;
    }
  }
  inv.body = std::move(response.body);
  return inv;
}

Result<aws::HttpResponse> RuntimeApi::Post(const std::string& path, const std::string& body,
                                           const std::string& error_type) {
  aws::HttpRequest request;
  request.method = "POST";
  request.path = path;
  request.headers.push_back({"Content-Type", "application/json"});
  if (!error_type.empty()) {
    request.headers.push_back({"Lambda-Runtime-Function-Error-Type", error_type});
  }
  request.body = body;
  ASSIGN_OR_RETURN(aws::HttpResponse response, transport_.Send(base_url_, request));
  if (response.status / 100 != 2) {
    return UnavailableError(
        fmt::format("runtime API {}: HTTP {}: {}", path, response.status, response.body));
  }
  return response;
}

Status RuntimeApi::Respond(const std::string& request_id, const std::string& body) {
  return Post("/2018-06-01/runtime/invocation/" + request_id + "/response", body).status();
}

Status RuntimeApi::Fail(const std::string& request_id, const std::string& type,
                        const std::string& message) {
  json doc = {{"errorType", type}, {"errorMessage", message}};
  return Post("/2018-06-01/runtime/invocation/" + request_id + "/error", doc.dump(), type).status();
}

Status RuntimeApi::InitError(const std::string& type, const std::string& message) {
  json doc = {{"errorType", type}, {"errorMessage", message}};
  return Post("/2018-06-01/runtime/init/error", doc.dump(), type).status();
}

Status RunRuntimeLoop(RuntimeApi& api, const InvocationHandler& handler, int max_invocations) {
  for (int served = 0; max_invocations < 0 || served < max_invocations; ++served) {
    ASSIGN_OR_RETURN(Invocation inv, api.Next());
    Result<json> out = handler(inv);
    if (out.ok()) {
      RETURN_IF_ERROR(api.Respond(inv.request_id, out->dump()));
    } else {
      RETURN_IF_ERROR(api.Fail(inv.request_id, std::string(StatusCodeName(out.status().code())),
                               out.status().message()));
    }
  }
  return OkStatus();
}

}  // namespace cf::control
