// A Lambda `bootstrap` written against the Runtime API only (no SDK), for the local cloud's
// tests: it answers events by what they ask for.
//   {"echo": X}      -> {"echo": X, "request_id", "function_arn", "deadline_ms", "pid", "env"}
//   {"fail": "msg"}  -> a function error {"errorType": "TestError", "errorMessage": "msg"}
//   {"sleep_ms": n}  -> sleeps, then {"slept": n}
//   {"exit": n}      -> exits with status n mid-invocation
// One keep-alive HTTP/1.1 connection to AWS_LAMBDA_RUNTIME_API (127.0.0.1:PORT).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

namespace {

int fd = -1;
std::string buffered;

void Connect() {
  std::string api = std::getenv("AWS_LAMBDA_RUNTIME_API");
  std::string host = api.substr(0, api.find(':'));
  int port = std::atoi(api.substr(api.find(':') + 1).c_str());
  fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    std::perror("connect");
    std::exit(2);
  }
}

bool Fill() {
  char chunk[65536];
  ssize_t n = ::read(fd, chunk, sizeof(chunk));
  if (n <= 0) {
    return false;
  }
  buffered.append(chunk, static_cast<size_t>(n));
  return true;
}

// Sends a request and reads the response: its headers (lowercased names) and body.
std::string Request(const std::string& method, const std::string& path, const std::string& body,
                    std::map<std::string, std::string>& headers,
                    const std::string& extra_headers = "") {
  std::string req = method + " " + path +
                    " HTTP/1.1\r\nHost: runtime\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\n" + extra_headers + "\r\n" + body;
  if (::write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) {
    std::exit(3);
  }
  size_t end;
  while ((end = buffered.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill()) {
      std::exit(4);
    }
  }
  std::string head = buffered.substr(0, end);
  buffered.erase(0, end + 4);
  headers.clear();
  size_t pos = head.find("\r\n");
  while (pos != std::string::npos) {
    size_t next = head.find("\r\n", pos + 2);
    std::string line =
        head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    pos = next;
  }
  size_t length = std::strtoul(headers["content-length"].c_str(), nullptr, 10);
  while (buffered.size() < length) {
    if (!Fill()) {
      std::exit(5);
    }
  }
  std::string out = buffered.substr(0, length);
  buffered.erase(0, length);
  return out;
}

}  // namespace

int main() {
  Connect();
  std::map<std::string, std::string> headers;
  while (true) {
    std::string event = Request("GET", "/2018-06-01/runtime/invocation/next", "", headers);
    std::string id = headers["lambda-runtime-aws-request-id"];
    std::printf("handling %s\n", id.c_str());
    std::fflush(stdout);
    nlohmann::json e = nlohmann::json::parse(event, nullptr, false);
    std::map<std::string, std::string> ignored;
    if (e.is_object() && e.contains("fail")) {
      nlohmann::json err = {{"errorType", "TestError"}, {"errorMessage", e["fail"]}};
      Request("POST", "/2018-06-01/runtime/invocation/" + id + "/error", err.dump(), ignored,
              "Lambda-Runtime-Function-Error-Type: TestError\r\n");
      continue;
    }
    if (e.is_object() && e.contains("exit")) {
      std::_Exit(e["exit"].get<int>());
    }
    nlohmann::json out;
    if (e.is_object() && e.contains("sleep_ms")) {
      std::this_thread::sleep_for(std::chrono::milliseconds(e["sleep_ms"].get<int>()));
      out = {{"slept", e["sleep_ms"]}};
    } else {
      nlohmann::json env = nlohmann::json::object();
      for (const char* name :
           {"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_REGION", "_HANDLER", "AWS_ACCESS_KEY_ID",
            "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_LAMBDA_LOG_GROUP_NAME", "GREETING"}) {
        const char* v = std::getenv(name);
        env[name] = v != nullptr ? v : "";
      }
      out = {{"echo", e.is_object() && e.contains("echo") ? e["echo"] : e},
             {"request_id", id},
             {"function_arn", headers["lambda-runtime-invoked-function-arn"]},
             {"deadline_ms", headers["lambda-runtime-deadline-ms"]},
             {"trace_id", headers["lambda-runtime-trace-id"]},
             {"pid", static_cast<int>(::getpid())},
             {"env", env}};
    }
    Request("POST", "/2018-06-01/runtime/invocation/" + id + "/response", out.dump(), ignored);
  }
}
