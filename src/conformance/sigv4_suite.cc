// clusterform-conformance sigv4 DIR [--known-failures FILE]
//
// Runs the SigV4 test suite of aws-c-auth (shared/conformance/sigv4/v4): for every case
// folder with context.json and request.txt, signs request.txt with an Authorization header
// and as a presigned query, and compares the canonical request, string to sign, signature
// and signed request with the expected files that exist. Then runs the verifier on each
// signed request: it must accept it, and refuse it once one digit of the signature changes.

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aws/sigv4.h"
#include "aws/sigv4_verifier.h"
#include "base/clock.h"
#include "base/file_system.h"
#include "conformance/tally.h"

namespace cf::conformance {

namespace {

struct CaseContext {
  aws::Credentials credentials;
  aws::SigningParams params;
};

// The suite's instant, standing still.
class FixedClock : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point t) : t_(t) {}
  std::chrono::system_clock::time_point Now() const override { return t_; }
  std::chrono::steady_clock::time_point Monotonic() const override { return {}; }
  void SleepFor(std::chrono::nanoseconds) override {}

 private:
  std::chrono::system_clock::time_point t_;
};

class OneKey : public aws::SecretLookup {
 public:
  OneKey(std::string id, aws::KnownKey key) : id_(std::move(id)), key_(std::move(key)) {}
  std::optional<aws::KnownKey> FindKey(std::string_view access_key_id) const override {
    if (access_key_id == id_) {
      return key_;
    }
    return std::nullopt;
  }

 private:
  std::string id_;
  aws::KnownKey key_;
};

Result<std::chrono::system_clock::time_point> ParseTimestamp(const std::string& s) {
  std::tm tm{};
  if (strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) {
    return InvalidArgumentError("bad timestamp " + s);
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Result<CaseContext> ParseContext(const std::string& text) {
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    CaseContext c;
    const auto& creds = j.at("credentials");
    c.credentials.access_key_id = creds.at("access_key_id").get<std::string>();
    c.credentials.secret_access_key = creds.at("secret_access_key").get<std::string>();
    c.credentials.session_token = creds.value("token", "");
    ASSIGN_OR_RETURN(auto time, ParseTimestamp(j.at("timestamp").get<std::string>()));
    c.params = aws::DefaultSigningParams(j.at("service").get<std::string>(),
                                         j.at("region").get<std::string>(), time);
    c.params.normalize_path = j.value("normalize", true);
    c.params.add_content_sha256_header = j.value("sign_body", false);
    c.params.omit_session_token = j.value("omit_session_token", false);
    c.params.expires = std::chrono::seconds(j.value("expiration_in_seconds", 3600));
    return c;
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(std::string("context.json: ") + e.what());
  }
}

// Parses request.txt: request line, headers (continuation lines folded into the value with
// their line break kept), blank line, body.
Result<aws::HttpRequest> ParseRequest(const std::string& text) {
  aws::HttpRequest request;
  size_t pos = 0;
  auto next_line = [&](std::string& line) {
    if (pos > text.size()) {
      return false;
    }
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) {
      end = text.size();
    }
    line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    pos = end + 1;
    return true;
  };
  std::string line;
  if (!next_line(line)) {
    return InvalidArgumentError("empty request");
  }
  size_t first = line.find(' ');
  size_t last = line.rfind(' ');
  if (first == std::string::npos || last == first) {
    return InvalidArgumentError("bad request line: " + line);
  }
  request.method = line.substr(0, first);
  std::string target = line.substr(first + 1, last - first - 1);
  request.path = target;
  while (next_line(line) && !line.empty()) {
    if ((line[0] == ' ' || line[0] == '\t') && !request.headers.empty()) {
      request.headers.back().value += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos) {
      return InvalidArgumentError("bad header line: " + line);
    }
    request.headers.push_back({line.substr(0, colon), line.substr(colon + 1)});
  }
  if (pos < text.size()) {
    request.body = text.substr(pos);
  }
  return request;
}

std::string PrintRequest(const aws::HttpRequest& request) {
  std::string out = request.method + " " + request.path + " HTTP/1.1\n";
  for (const auto& [name, value] : request.headers) {
    out += name + ":" + value + "\n";
  }
  out += "\n";
  out += request.body;
  return out;
}

// Flips the last hex digit of the signature in a signed request.
void CorruptSignature(aws::HttpRequest& request, bool presigned) {
  std::string* target = &request.path;
  if (!presigned) {
    for (auto& [name, value] : request.headers) {
      if (name == "Authorization") {
        target = &value;
      }
    }
  } else {
    // The signature is the last query parameter.
  }
  if (!target->empty()) {
    char& c = target->back();
    c = c == '0' ? '1' : '0';
  }
}

class CaseRunner {
 public:
  CaseRunner(const FileSystem& fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}

  // Appends one "why" per mismatch.
  void Run(std::vector<std::string>& problems) {
    auto context_text = fs_.ReadFile(JoinPath(dir_, "context.json"));
    auto request_text = fs_.ReadFile(JoinPath(dir_, "request.txt"));
    if (!context_text.ok() || !request_text.ok()) {
      problems.push_back("cannot read context.json or request.txt");
      return;
    }
    auto context = ParseContext(*context_text);
    auto request = ParseRequest(*request_text);
    if (!context.ok() || !request.ok()) {
      problems.push_back(!context.ok() ? context.status().ToString() : request.status().ToString());
      return;
    }
    for (bool presigned : {false, true}) {
      RunMode(*context, *request, presigned, problems);
    }
  }

 private:
  void Compare(const std::string& file, const std::string& actual,
               std::vector<std::string>& problems, bool& any) {
    auto expected = fs_.ReadFile(JoinPath(dir_, file));
    if (!expected.ok()) {
      return;
    }
    any = true;
    if (*expected != actual) {
      problems.push_back(file + " differs: got \"" + actual + "\"");
    }
  }

  void RunMode(const CaseContext& context, aws::HttpRequest request, bool presigned,
               std::vector<std::string>& problems) {
    const std::string prefix = presigned ? "query-" : "header-";
    if (!fs_.Exists(JoinPath(dir_, prefix + "canonical-request.txt")) &&
        !fs_.Exists(JoinPath(dir_, prefix + "signature.txt"))) {
      return;
    }
    auto parts = presigned ? aws::PresignRequest(request, context.credentials, context.params)
                           : aws::SignRequest(request, context.credentials, context.params);
    if (!parts.ok()) {
      problems.push_back(prefix + "signing failed: " + parts.status().ToString());
      return;
    }
    bool any = false;
    Compare(prefix + "canonical-request.txt", parts->canonical_request, problems, any);
    Compare(prefix + "string-to-sign.txt", parts->string_to_sign, problems, any);
    Compare(prefix + "signature.txt", parts->signature, problems, any);
    Compare(prefix + "signed-request.txt", PrintRequest(request), problems, any);

    // The verifier must accept exactly what was signed.
    FixedClock clock(context.params.time);
    OneKey keys(context.credentials.access_key_id,
                {context.credentials.secret_access_key, context.credentials.session_token});
    aws::SigV4Verifier verifier(keys, clock);
    aws::VerifyOptions options;
    options.region = context.params.region;
    options.service = context.params.service;
    options.normalize_path = context.params.normalize_path;
    aws::VerifyResult accepted = verifier.Verify(request, options);
    if (!accepted.ok()) {
      problems.push_back(prefix +
                         "verifier refused the signed request: " + accepted.error->message);
    }
    CorruptSignature(request, presigned);
    aws::VerifyResult refused = verifier.Verify(request, options);
    if (refused.ok()) {
      problems.push_back(prefix + "verifier accepted a corrupted signature");
    } else if (refused.error->code != aws::AuthErrorCode::kSignatureDoesNotMatch) {
      problems.push_back(prefix + "verifier refused a corrupted signature with the wrong error: " +
                         refused.error->message);
    }
  }

  const FileSystem& fs_;
  std::string dir_;
};

}  // namespace

int Sigv4Main(const std::vector<std::string>& args) {
  std::string dir;
  std::string known_failures;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--known-failures" && i + 1 < args.size()) {
      known_failures = args[++i];
    } else if (dir.empty() && !args[i].empty() && args[i][0] != '-') {
      dir = args[i];
    } else {
      std::fprintf(stderr, "usage: clusterform-conformance sigv4 DIR [--known-failures FILE]\n");
      return 2;
    }
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: clusterform-conformance sigv4 DIR [--known-failures FILE]\n");
    return 2;
  }
  RealFileSystem fs;
  auto entries = fs.ListDirectory(dir);
  if (!entries.ok()) {
    std::fprintf(stderr, "sigv4: %s\n", entries.status().ToString().c_str());
    return 2;
  }
  Tally tally(known_failures.empty() ? std::set<std::string>() : ReadNameList(known_failures));
  for (const std::string& name : *entries) {
    std::string case_dir = JoinPath(dir, name);
    if (!fs.Exists(JoinPath(case_dir, "context.json")) ||
        !fs.Exists(JoinPath(case_dir, "request.txt"))) {
      continue;
    }
    std::vector<std::string> problems;
    CaseRunner(fs, case_dir).Run(problems);
    if (problems.empty()) {
      tally.Pass(name);
    } else {
      std::string why;
      for (const auto& p : problems) {
        why += (why.empty() ? "" : "; ") + p;
      }
      tally.Fail(name, why);
    }
  }
  return tally.Finish();
}

}  // namespace cf::conformance
