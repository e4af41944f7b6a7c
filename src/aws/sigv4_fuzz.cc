// libFuzzer target for the client's own parsers: SigV4 Authorization headers and presigned
// queries (through the verifier), JMESPath expressions, and shared config files. Build with
// clang: -fsanitize=fuzzer; the first input byte picks the parser.

#include <cstddef>
#include <cstdint>
#include <string>

#include "aws/credentials_chain.h"
#include "aws/sigv4_verifier.h"
#include "aws/waiter_jmespath.h"
#include "base/clock.h"

namespace {

class AnyKey : public cf::aws::SecretLookup {
 public:
  std::optional<cf::aws::KnownKey> FindKey(std::string_view) const override {
    return cf::aws::KnownKey{"secret", ""};
  }
};

class FixedClock : public cf::Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::from_time_t(1440938160);
  }
  std::chrono::steady_clock::time_point Monotonic() const override { return {}; }
  void SleepFor(std::chrono::nanoseconds) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) {
    return 0;
  }
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 4) {
    case 0: {
      cf::aws::HttpRequest request;
      request.method = "GET";
      request.path = "/";
      request.headers = {
          {"Host", "h"}, {"X-Amz-Date", "20150830T123600Z"}, {"Authorization", text}};
      AnyKey keys;
      FixedClock clock;
      (void)cf::aws::SigV4Verifier(keys, clock).Verify(request, {});
      break;
    }
    case 1: {
      cf::aws::HttpRequest request;
      request.method = "GET";
      request.path = "/p?" + text;
      request.headers = {{"Host", "h"}};
      AnyKey keys;
      FixedClock clock;
      (void)cf::aws::SigV4Verifier(keys, clock).Verify(request, {});
      break;
    }
    case 2: {
      auto result = cf::aws::jmespath::Search(
          text,
          nlohmann::json::parse(R"({"a": [{"b": 1, "c": [1, 2]}, {"b": "x"}], "d": {"e": null}})"));
      (void)result;
      break;
    }
    default:
      (void)cf::aws::ParseIni(text, "fuzz");
      break;
  }
  return 0;
}
