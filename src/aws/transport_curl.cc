#include "aws/transport_curl.h"

#include <curl/curl.h>

#include <cstring>
#include <mutex>

namespace cf::aws {

namespace {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t AppendHeader(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<HttpHeaders*>(user);
  std::string_view line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  if (line.substr(0, 5) == "HTTP/") {
    headers->clear();  // a new response begins (after 100 Continue)
    return size * count;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return size * count;
  }
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
    value.remove_prefix(1);
  }
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
    value.remove_suffix(1);
  }
  headers->push_back({std::string(line.substr(0, colon)), std::string(value)});
  return size * count;
}

Status ErrorStatus(CURLcode code, const char* detail, std::string_view url) {
  std::string message =
      std::string(url) + ": " + (detail[0] != '\0' ? detail : curl_easy_strerror(code));
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return DeadlineExceededError("timed out: " + message);
    case CURLE_PEER_FAILED_VERIFICATION:
      return PermissionDeniedError("TLS verification failed: " + message);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return InvalidArgumentError("bad URL: " + message);
    default:
      return UnavailableError("connection failed: " + message);
  }
}

}  // namespace

CurlTransport::CurlTransport(CurlTransportOptions options) : options_(std::move(options)) {
  InitCurlOnce();
}

CurlTransport::~CurlTransport() {
  for (void* handle : idle_) {
    curl_easy_cleanup(static_cast<CURL*>(handle));
  }
}

void* CurlTransport::AcquireHandle() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      void* handle = idle_.back();
      idle_.pop_back();
      return handle;
    }
  }
  return curl_easy_init();
}

void CurlTransport::ReleaseHandle(void* handle) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < options_.max_idle_handles) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

Result<HttpResponse> CurlTransport::Send(std::string_view base_url, const HttpRequest& request) {
  CURL* curl = static_cast<CURL*>(AcquireHandle());
  if (curl == nullptr) {
    return InternalError("curl_easy_init failed");
  }
  // Options go; live connections stay.
  curl_easy_reset(curl);

  std::string url(base_url);
  url += request.path.empty() ? "/" : request.path;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  HttpResponse response;

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);

  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method == "GET" && request.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }

  curl_slist* headers = nullptr;
  for (const HttpHeader& h : request.headers) {
    std::string line = h.name;
    line += h.value.empty() ? ";" : ": " + h.value;
    headers = curl_slist_append(headers, line.c_str());
  }
  // Nothing unasked-for: no Expect: 100-continue, no default Accept or Content-Type.
  for (const char* name : {"Expect", "Accept", "Content-Type"}) {
    if (FindHeader(request.headers, name) == nullptr) {
      headers = curl_slist_append(headers, (std::string(name) + ":").c_str());
    }
  }
  if (FindHeader(request.headers, "User-Agent") == nullptr) {
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  if (code == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) {
    // A handle whose connection broke is still fine to reuse: curl reconnects.
    ReleaseHandle(curl);
    return ErrorStatus(code, error_buffer, url);
  }
  ReleaseHandle(curl);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace cf::aws
