#include "cloud/s3/s3_protocol.h"

#include <fmt/core.h>

#include "cloud/s3/aws_chunked.h"

namespace cf::cloud::s3 {

std::string VirtualHostBucket(std::string_view host) {
  if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  constexpr std::string_view kSuffix = ".localhost";
  if (host.size() <= kSuffix.size() || host.substr(host.size() - kSuffix.size()) != kSuffix) {
    return "";
  }
  std::string_view labels = host.substr(0, host.size() - kSuffix.size());
  if (labels == "s3") {
    return "";
  }
  if (size_t s3 = labels.rfind(".s3."); s3 != std::string_view::npos) {
    return std::string(labels.substr(0, s3));  // BUCKET.s3.REGION
  }
  if (labels.size() > 3 && labels.substr(labels.size() - 3) == ".s3") {
    return std::string(labels.substr(0, labels.size() - 3));  // BUCKET.s3
  }
  if (labels.substr(0, 3) == "s3.") {
    return "";  // s3.REGION
  }
  return std::string(labels);
}

namespace {

// Deprecated operations that share a method and URI with their successors: requests are read
// as the successor (what current SDKs send).
std::string Successor(const std::string& operation) {
  if (operation == "PutBucketLifecycle" || operation == "GetBucketLifecycle" ||
      operation == "PutBucketNotification" || operation == "GetBucketNotification") {
    return operation + "Configuration";
  }
  return operation;
}

}  // namespace

std::variant<ParsedOperation, ServiceError> S3Protocol::ParseS3(const HttpRequest& request) const {
  std::variant<std::string, ServiceError> routed = Route(request);
  if (auto* error = std::get_if<ServiceError>(&routed)) {
    return *error;
  }
  std::variant<ParsedOperation, ServiceError> parsed =
      ParseAs(request, Successor(std::get<std::string>(routed)));
  if (auto* error = std::get_if<ServiceError>(&parsed)) {
    // A body or member the codec cannot read is S3's MalformedXML.
    if (error->code == "MalformedQueryString" || error->code == "ValidationError") {
      error->code = "MalformedXML";
      error->message =
          "The XML you provided was not well-formed or did not validate against our published "
          "schema (" +
          error->message + ")";
    }
    return parsed;
  }
  if (auto* operation = std::get_if<ParsedOperation>(&parsed)) {
    // Conditional writes (If-None-Match: *, If-Match) are newer than the embedded model.
    const std::string& name = operation->operation;
    if (name == "PutObject" || name == "CompleteMultipartUpload" || name == "CopyObject" ||
        name == "DeleteObject") {
      for (const auto& [header, member] :
           {std::pair{"if-none-match", "IfNoneMatch"}, std::pair{"if-match", "IfMatch"}}) {
        std::string_view value = request.Header(header);
        if (!value.empty() && !operation->input.contains(member)) {
          operation->input[member] = std::string(value);
        }
      }
    }
  }
  return parsed;
}

std::variant<ParsedOperation, ServiceError> S3Protocol::Parse(const HttpRequest& request) const {
  std::string bucket = VirtualHostBucket(request.Header("host"));
  bool chunked =
      s3::IsAwsChunked(request.Header("x-amz-content-sha256"), request.Header("content-encoding"));
  if (bucket.empty() && !chunked) {
    return ParseS3(request);
  }
  HttpRequest rewritten = request;
  if (!bucket.empty()) {
    std::string_view target = request.target.empty() ? "/" : std::string_view(request.target);
    rewritten.target = "/" + bucket + std::string(target);
    if (target.substr(0, 2) == "/?" || target == "/") {
      // "/?tagging" on a bucket host is the bucket's subresource: "/BUCKET?tagging".
      rewritten.target = "/" + bucket + std::string(target.substr(1));
    }
  }
  if (chunked) {
    Result<std::string> decoded = s3::DecodeAwsChunked(request.body);
    if (!decoded.ok()) {
      return ServiceError{"IncompleteBody", decoded.status().message(), 400, true};
    }
    std::string_view declared = request.Header("x-amz-decoded-content-length");
    if (!declared.empty() && declared != std::to_string(decoded->size())) {
      return ServiceError{"IncompleteBody",
                          "You did not provide the number of bytes specified by the "
                          "x-amz-decoded-content-length header.",
                          400, true};
    }
    rewritten.body = std::move(*decoded);
    for (auto it = rewritten.headers.begin(); it != rewritten.headers.end();) {
      if (it->first == "content-encoding") {
        it->second = s3::WithoutAwsChunked(it->second);
        if (it->second.empty()) {
          it = rewritten.headers.erase(it);
          continue;
        }
      }
      ++it;
    }
  }
  return ParseS3(rewritten);
}

HttpResponse S3Protocol::Serialize(const std::string& operation, const Json& output,
                                   std::string_view request_id) const {
  if (operation == "GetBucketLocation") {
    HttpResponse response;
    response.headers = {{"Content-Type", "application/xml"},
                        {"x-amz-request-id", std::string(request_id)}};
    response.body = fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint "
        "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">{}</LocationConstraint>",
        XmlEscape(output.value("LocationConstraint", "")));
    return response;
  }
  HttpResponse response = ModelProtocol::Serialize(operation, output, request_id);
  if (operation == "GetObject" && response.status == 200 && output.contains("ContentRange")) {
    response.status = 206;
  }
  return response;
}

HttpResponse S3Protocol::SerializeError(const ServiceError& error,
                                        std::string_view request_id) const {
  if (error.code == "RequestEntityTooLarge") {
    ServiceError too_large = error;
    too_large.code = "EntityTooLarge";
    too_large.message = "Your proposed upload exceeds the maximum allowed size: " + error.message;
    too_large.http_status = 400;
    return SerializeError(too_large, request_id);
  }
  HttpResponse response = ModelProtocol::SerializeError(error, request_id);
  if (error.http_status == 304) {
    response.body.clear();
    return response;
  }
  if (!error.details.empty()) {
    std::string extra;
    for (const auto& [name, value] : error.details) {
      extra += fmt::format("<{0}>{1}</{0}>", name, XmlEscape(value));
    }
    size_t at = response.body.rfind("<RequestId>");
    if (at != std::string::npos) {
      response.body.insert(at, extra);
    }
  }
  return response;
}

std::unique_ptr<ModelProtocol> MakeS3Protocol(const aws::ServiceModel& model) {
  return std::make_unique<S3Protocol>(model);
}

}  // namespace cf::cloud::s3
