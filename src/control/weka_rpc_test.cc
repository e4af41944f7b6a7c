#include "control/weka_rpc.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "testing/status_matchers.h"

namespace cf::control {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Backends by base URL; a missing one refuses the connection.
class FakeTransport : public aws::HttpTransport {
 public:
  using Backend = std::function<aws::HttpResponse(const json& request, const std::string* auth)>;
  std::map<std::string, Backend> backends;
  std::vector<std::string> sent;  // "URL METHOD"

  Result<aws::HttpResponse> Send(std::string_view base_url,
                                 const aws::HttpRequest& request) override {
    json body = json::parse(request.body);
    sent.push_back(std::string(base_url) + " " + body["method"].get<std::string>());
    auto it = backends.find(std::string(base_url));
    if (it == backends.end()) {
      return UnavailableError("Connection refused");
    }
    EXPECT_EQ(request.path, "/api/v1");
    return it->second(body, aws::FindHeader(request.headers, "Authorization"));
  }
};

aws::HttpResponse Answer(const json& id, const json& result) {
  return {200, {}, json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}}.dump()};
}

aws::HttpResponse Error(const json& id, int code, const std::string& message) {
  return {200,
          {},
          json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}}
              .dump()};
}

// A backend that logs in "weka"/"pw" and answers `status`.
FakeTransport::Backend Weka(const std::string& name, int* logins = nullptr) {
  return [name, logins](const json& req, const std::string* auth) {
    if (req["method"] == "user_login") {
      if (req["params"]["username"] != "weka" || req["params"]["password"] != "pw") {
        return Error(req["id"], -32000, "bad credentials");
      }
      if (logins != nullptr) {
        ++*logins;
      }
      return Answer(req["id"], {{"access_token", "tok-" + name}, {"token_type", "Bearer"}});
    }
    if (auth == nullptr || *auth != "Bearer tok-" + name) {
      return aws::HttpResponse{401, {}, "unauthorized"};
    }
    if (req["method"] == "status") {
      return Answer(req["id"], {{"io_status", "STARTED"}, {"served_by", name}});
    }
    if (req["method"] == "cluster_deactivate_hosts") {
      return Error(req["id"], -32000, "would break protection");
    }
    return Error(req["id"], -32601, "Method not found");
  };
}

TEST(JsonRpcPoolTest, LogsInAndCarriesTheBearerToken) {
  FakeTransport t;
  int logins = 0;
  t.backends["http://127.0.1.1:14000"] = Weka("a", &logins);
  JsonRpcPool pool(t, {"127.0.1.1"}, "weka", "pw");
  Result<json> r = pool.Call("status", json::object());
  ASSERT_OK(r);
  EXPECT_EQ((*r)["served_by"], "a");
  ASSERT_OK(pool.Call("status", json::object()));
  EXPECT_EQ(logins, 1);  // the token is reused
}

TEST(JsonRpcPoolTest, MovesOnFromBackendsThatDoNotAnswer) {
  FakeTransport t;
  t.backends["http://127.0.1.2:14000"] = [](const json& req, const std::string*) {
    if (req["method"] == "user_login") {
      return Answer(req["id"], {{"access_token", "x"}});
    }
    return Error(req["id"], -32601, "Method not found");
  };
  t.backends["http://127.0.1.3:14000"] = Weka("c");
  JsonRpcPool pool(t, {"127.0.1.1", "127.0.1.2", "127.0.1.3"}, "weka", "pw");
  Result<json> r = pool.Call("status", json::object());
  ASSERT_OK(r);
  EXPECT_EQ((*r)["served_by"], "c");
  EXPECT_EQ(pool.active(), "127.0.1.3");
}

TEST(JsonRpcPoolTest, WekasRefusalIsReturnedNotRetried) {
  FakeTransport t;
  t.backends["http://127.0.1.1:14000"] = Weka("a");
  t.backends["http://127.0.1.2:14000"] = Weka("b");
  JsonRpcPool pool(t, {"127.0.1.1", "127.0.1.2"}, "weka", "pw");
  EXPECT_THAT(pool.Call("cluster_deactivate_hosts", {{"host_ids", {"HostId<1>"}}}),
              StatusIs(StatusCode::kInvalidArgument,
                       "cluster_deactivate_hosts: would break protection (code -32000)"));
  EXPECT_EQ(pool.active(), "127.0.1.1");
}

TEST(JsonRpcPoolTest, NoBackendAnsweringIsUnavailableAndBadCredentialsMoveOn) {
  FakeTransport t;
  t.backends["http://127.0.1.1:14000"] = Weka("a");
  JsonRpcPool pool(t, {"127.0.1.1", "127.0.1.9"}, "weka", "wrong");
  EXPECT_THAT(pool.Call("status", json::object()),
              StatusIs(StatusCode::kUnavailable, HasSubstr("no backend answered")));
}

TEST(JsonRpcPoolTest, DroppedIpsAreNotUsedAgain) {
  FakeTransport t;
  t.backends["http://127.0.1.1:14000"] = Weka("a");
  t.backends["http://127.0.1.2:14000"] = Weka("b");
  JsonRpcPool pool(t, {"127.0.1.1", "127.0.1.2"}, "weka", "pw");
  ASSERT_OK(pool.Call("status", json::object()));
  pool.Drop("127.0.1.1");
  Result<json> r = pool.Call("status", json::object());
  ASSERT_OK(r);
  EXPECT_EQ((*r)["served_by"], "b");
}

TEST(JsonRpcPoolTest, OnTheLocalCloudNothingLeavesLoopback) {
  FakeTransport t;
  t.backends["http://10.0.1.1:14000"] = Weka("outside");
  t.backends["http://127.0.1.1:14000"] = Weka("a");
  JsonRpcPool pool(t, {"10.0.1.1", "127.0.1.1"}, "weka", "pw");
  Result<json> r = pool.Call("status", json::object());
  ASSERT_OK(r);
  EXPECT_EQ((*r)["served_by"], "a");
  for (const std::string& s : t.sent) {
    EXPECT_EQ(s.find("10.0.1.1"), std::string::npos) << s;
  }
  EXPECT_TRUE(IsLoopbackAddress("127.255.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("192.168.1.1"));
  EXPECT_FALSE(IsLoopbackAddress("not-an-ip"));
}

}  // namespace
}  // namespace cf::control
