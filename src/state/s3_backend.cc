#include "state/s3_backend.h"

#include <fmt/format.h>

namespace cf::state {

namespace {

using Json = nlohmann::json;

bool IsConditionFailure(const aws::AwsResponse& response) {
  return response.error &&
         (response.http_status == 412 || response.error->code == "PreconditionFailed" ||
          response.http_status == 409 || response.error->code == "ConditionalRequestConflict");
}

}  // namespace

Result<aws::HttpResponse> ConditionalTransport::Send(std::string_view base_url,
                                                     const aws::HttpRequest& request) {
  if (request.method != "PUT" && request.method != "DELETE") {
    return inner_.Send(base_url, request);
  }
  std::map<std::string, std::string> headers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = headers_.find(std::this_thread::get_id());
    if (it == headers_.end()) {
      return inner_.Send(base_url, request);
    }
    headers = it->second;
  }
  // Conditional headers are not x-amz-* headers: S3 accepts them outside the signature.
  aws::HttpRequest with = request;
  for (const auto& [name, value] : headers) {
    aws::SetHeader(&with.headers, name, value);
  }
  return inner_.Send(base_url, with);
}

ConditionalTransport::Scope::Scope(ConditionalTransport& transport,
                                   std::map<std::string, std::string> headers)
    : transport_(transport) {
  std::lock_guard<std::mutex> lock(transport_.mu_);
  transport_.headers_[std::this_thread::get_id()] = std::move(headers);
}

ConditionalTransport::Scope::~Scope() {
  std::lock_guard<std::mutex> lock(transport_.mu_);
  transport_.headers_.erase(std::this_thread::get_id());
}

S3Backend::S3Backend(aws::Client& client, ConditionalTransport& transport, S3BackendOptions options)
    : client_(client),
      transport_(transport),
      options_(std::move(options)),
      lock_key_(options_.key + ".tflock") {}

std::string S3Backend::Location() const {
  return fmt::format("s3://{}/{}", options_.bucket, options_.key);
}

Result<std::optional<S3Backend::Object>> S3Backend::Get(const std::string& key) {
  ASSIGN_OR_RETURN(aws::AwsResponse response,
                   client_.Invoke("s3", "GetObject", {{"Bucket", options_.bucket}, {"Key", key}}));
  if (response.error) {
    if (response.http_status == 404 && response.error->code != "NoSuchBucket") {
      return std::optional<Object>();
    }
    return aws::AwsErrorToStatus(*response.error, "s3", "GetObject")
        .WithContext(fmt::format("reading s3://{}/{}", options_.bucket, key));
  }
  Object object;
  object.body = response.output.value("Body", "");
  object.etag = response.output.value("ETag", "");
  return std::optional<Object>(std::move(object));
}

Result<std::optional<std::string>> S3Backend::Put(const std::string& key, std::string_view body,
                                                  std::map<std::string, std::string> conditions,
                                                  bool encrypted) {
  Json params = {{"Bucket", options_.bucket},
                 {"Key", key},
                 {"Body", std::string(body)},
                 {"ContentType", "application/json"}};
  if (encrypted && options_.encrypt) {
    if (options_.kms_key_id.empty()) {
      params["ServerSideEncryption"] = "AES256";
    } else {
      params["ServerSideEncryption"] = "aws:kms";
      params["SSEKMSKeyId"] = options_.kms_key_id;
    }
  }
  ConditionalTransport::Scope scope(transport_, std::move(conditions));
  ASSIGN_OR_RETURN(aws::AwsResponse response, client_.Invoke("s3", "PutObject", params));
  if (IsConditionFailure(response)) {
    return std::optional<std::string>();
  }
  if (response.error) {
    return aws::AwsErrorToStatus(*response.error, "s3", "PutObject")
        .WithContext(fmt::format("writing s3://{}/{}", options_.bucket, key));
  }
  return std::optional<std::string>(response.output.value("ETag", ""));
}

Result<bool> S3Backend::DeleteIfMatch(const std::string& key, const std::string& etag) {
  ConditionalTransport::Scope scope(transport_, {{"If-Match", etag}});
  ASSIGN_OR_RETURN(
      aws::AwsResponse response,
      client_.Invoke("s3", "DeleteObject", {{"Bucket", options_.bucket}, {"Key", key}}));
  if (IsConditionFailure(response)) {
    return false;
  }
  if (response.error && response.http_status != 404) {
    return aws::AwsErrorToStatus(*response.error, "s3", "DeleteObject")
        .WithContext(fmt::format("removing s3://{}/{}", options_.bucket, key));
  }
  return true;
}

Result<std::optional<std::string>> S3Backend::ReadState() {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(std::optional<Object> object, Get(options_.key));
  state_read_ = true;
  if (!object) {
    state_etag_.clear();
    return std::optional<std::string>();
  }
  state_etag_ = object->etag;
  return std::optional<std::string>(std::move(object->body));
}

Status S3Backend::WriteState(std::string_view contents) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!state_read_) {
    ASSIGN_OR_RETURN(std::optional<Object> object, Get(options_.key));
    state_etag_ = object ? object->etag : std::string();
    state_read_ = true;
  }
  std::map<std::string, std::string> conditions;
  if (state_etag_.empty()) {
    conditions["If-None-Match"] = "*";
  } else {
    conditions["If-Match"] = state_etag_;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> etag,
                   Put(options_.key, contents, std::move(conditions), true));
  if (!etag) {
    // A retried PUT whose first attempt landed finds its own document there.
    ASSIGN_OR_RETURN(std::optional<Object> now, Get(options_.key));
    if (now && now->body == contents) {
      state_etag_ = now->etag;
      return OkStatus();
    }
    return ConflictError(fmt::format(
        "the state at {} was changed by another writer since this run read it (is another "
        "operation running without the lock?); nothing was overwritten",
        Location()));
  }
  state_etag_ = *etag;
  return OkStatus();
}

Result<std::optional<std::pair<LockInfo, std::string>>> S3Backend::ReadLock() {
  ASSIGN_OR_RETURN(std::optional<Object> object, Get(lock_key_));
  if (!object || object->body.empty()) {
    return std::optional<std::pair<LockInfo, std::string>>();
  }
  Result<LockInfo> info = LockInfo::FromJson(object->body);
  if (!info.ok()) {
    return info.status().WithContext(
        fmt::format("reading the lock s3://{}/{}", options_.bucket, lock_key_));
  }
  return std::optional<std::pair<LockInfo, std::string>>(
      std::make_pair(std::move(*info), object->etag));
}

Status S3Backend::TryLock(const LockInfo& info, LockInfo* holder) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string body = info.ToJson().dump(2) + "\n";
  ASSIGN_OR_RETURN(std::optional<std::string> etag,
                   Put(lock_key_, body, {{"If-None-Match", "*"}}, false));
  if (etag) {
    return OkStatus();
  }
  ASSIGN_OR_RETURN(auto current, ReadLock());
  if (!current) {
    return ConflictError("the state's lock changed hands while it was taken; try again");
  }
  if (current->first.id == info.id) {
    return OkStatus();  // our own PUT, retried after its answer was lost
  }
  if (holder != nullptr) {
    *holder = current->first;
  }
  return ConflictError("the state is locked by " + current->first.who);
}

Status S3Backend::ReplaceLock(const std::string& expected_id, const LockInfo& info,
                              LockInfo* holder) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto current, ReadLock());
  if (!current) {
    return ConflictError("the state is not locked");
  }
  if (current->first.id != expected_id) {
    if (holder != nullptr) {
      *holder = current->first;
    }
    return ConflictError("the state is locked by " + current->first.who + " under another lock");
  }
  const std::string body = info.ToJson().dump(2) + "\n";
  ASSIGN_OR_RETURN(std::optional<std::string> etag,
                   Put(lock_key_, body, {{"If-Match", current->second}}, false));
  if (etag) {
    return OkStatus();
  }
  ASSIGN_OR_RETURN(auto now, ReadLock());
  if (now && now->first.ToJson() == info.ToJson()) {
    return OkStatus();
  }
  if (now && holder != nullptr) {
    *holder = now->first;
  }
  return ConflictError("the state's lock was changed by another process meanwhile");
}

Status S3Backend::Unlock(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto current, ReadLock());
  if (!current) {
    return NotFoundError("the state at " + Location() + " is not locked");
  }
  if (current->first.id != id) {
    return ConflictError("the state's lock has ID " + current->first.id + ", not " + id);
  }
  ASSIGN_OR_RETURN(bool deleted, DeleteIfMatch(lock_key_, current->second));
  if (!deleted) {
    return ConflictError("the state's lock was changed by another process meanwhile");
  }
  return OkStatus();
}

Result<std::optional<LockInfo>> S3Backend::CurrentLock() {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto current, ReadLock());
  if (!current) {
    return std::optional<LockInfo>();
  }
  return std::optional<LockInfo>(std::move(current->first));
}

}  // namespace cf::state
