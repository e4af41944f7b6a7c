#include "cloud/core/operation_table.h"

#include <gtest/gtest.h>

#include "testing/service_harness.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

ServiceError Gone(std::string message) {
  return ServiceError{"ThingServiceFailure", "thing store: " + message, 500, false};
}

ServiceError BadInput(std::string message) {
  return ServiceError{"BadThing", std::move(message), 400, true};
}

// A small service on the table: things stored under "thing/item" by name.
class ThingService : public TableService<ThingService> {
 public:
  explicit ThingService(const ServiceContext& context)
      : TableService(context.store, Operations()) {}
  std::string name() const override { return "thing"; }

  bool saw_open_transaction = false;

 private:
  static const OperationTable<ThingService>& Operations() {
    static const OperationTable<ThingService> kTable(
        {
            {"Put", &ThingService::Put},
            {"PutThenFail", &ThingService::PutThenFail},
            {"Get", &ThingService::Get},
            {"Count", &ThingService::Count},
            {"Ping",
             [](ThingService& self, const ServiceCall&, CallTxn& txn) -> ServiceResult {
               self.saw_open_transaction = txn.is_open();
               return Json{{"pong", true}};
             }},
            {"Broken",
             [](ThingService&, const ServiceCall&, CallTxn&) -> ServiceResult {
               return InternalErrorOf(UnavailableError("disk on fire"));
             }},
        },
        {.internal_error = Gone, .invalid_input = BadInput});
    return kTable;
  }

  ServiceResult Put(const ServiceCall& call, CallTxn& txn) {
    // A wrongly typed "name" throws here; the table answers BadThing.
    std::string name = call.input.at("name").get<std::string>();
    SERVICE_RETURN_IF_ERROR(txn.Put("thing/item", name, call.input));
    return Json::object();
  }

  ServiceResult PutThenFail(const ServiceCall& call, CallTxn& txn) {
    SERVICE_RETURN_IF_ERROR(txn.Put("thing/item", call.input.value("name", ""), call.input));
    return ServiceError{"NoThanks", "refused after writing", 409, true};
  }

  ServiceResult Get(const ServiceCall& call, CallTxn& txn) {
    SERVICE_ASSIGN_OR_RETURN(Json doc,
                             txn.Require("thing/item", call.input.value("name", ""),
                                         ServiceError{"NoSuchThing", "no such thing", 404, true}));
    return doc;
  }

  ServiceResult Count(const ServiceCall&, CallTxn& txn) {
    SERVICE_ASSIGN_OR_RETURN(auto all, txn.List("thing/item"));
    return Json{{"count", all.size()}};
  }
};

class OperationTableTest : public testing::ServiceTest {
 protected:
  OperationTableTest() : service_(Context()) { Serve(service_); }
  ThingService service_;
};

TEST_F(OperationTableTest, AnswersHasOperationFromItsRows) {
  EXPECT_TRUE(service_.HasOperation("Put"));
  EXPECT_TRUE(service_.HasOperation("Ping"));
  EXPECT_FALSE(service_.HasOperation("Delete"));
  EXPECT_EQ(ErrorCode("Delete", Json::object()), "UnknownOperationException");
}

TEST_F(OperationTableTest, CommitsASuccessfulCall) {
  Ok("Put", {{"name", "a"}, {"colour", "red"}});
  EXPECT_EQ(Ok("Get", {{"name", "a"}})["colour"], "red");
  auto stored = store_->Get("thing/item", "a");
  ASSERT_OK(stored);
  EXPECT_TRUE(stored->has_value());
}

TEST_F(OperationTableTest, AFailedCallChangesNothing) {
  EXPECT_EQ(ErrorCode("PutThenFail", {{"name", "b"}}), "NoThanks");
  EXPECT_EQ(ErrorCode("Get", {{"name", "b"}}), "NoSuchThing");
  EXPECT_EQ(Ok("Count", Json::object())["count"], 0);
}

TEST_F(OperationTableTest, JsonTypeErrorsAreTheServicesInvalidInput) {
  ServiceResult r = Call("Put", {{"name", 42}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "BadThing");
  EXPECT_NE(r.error().message.find("does not fit the operation's input"), std::string::npos);
  EXPECT_EQ(ErrorCode("Put", Json::object()), "BadThing");
}

TEST_F(OperationTableTest, InternalErrorsAreTheServicesInternalError) {
  ServiceResult r = Call("Broken", Json::object());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ThingServiceFailure");
  EXPECT_EQ(r.error().message, "thing store: disk on fire");
  EXPECT_EQ(r.error().http_status, 500);
  EXPECT_FALSE(r.error().sender_fault);
}

TEST_F(OperationTableTest, AHandlerThatTouchesNoStateOpensNoTransaction) {
  // A transaction held elsewhere would block one that began: Ping must not begin one.
  auto held = store_->Begin();
  ASSERT_OK(held);
  EXPECT_EQ(Ok("Ping", Json::object())["pong"], true);
  EXPECT_FALSE(service_.saw_open_transaction);
}

// Errors of every form pass through the macros unchanged, Status ones marked internal.
ServiceOr<int> Half(int n) {
  if (n % 2 != 0) {
    return ServiceError{"Odd", std::to_string(n) + " is odd", 400, true};
  }
  return n / 2;
}

ServiceStatus Quarter(int n, int& out) {
  SERVICE_ASSIGN_OR_RETURN(int half, Half(n));
  SERVICE_ASSIGN_OR_RETURN(out, Half(half));
  return {};
}

ServiceOr<std::string> FromStatus(const Status& status) {
  SERVICE_RETURN_IF_ERROR(status);
  return "fine";
}

TEST(ServiceErrorMacrosTest, PropagateTheFirstError) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, out).ok());
  EXPECT_EQ(out, 2);
  ServiceStatus odd = Quarter(6, out);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().code, "Odd");
  EXPECT_EQ(odd.error().message, "3 is odd");
  EXPECT_FALSE(odd.error().internal);

  EXPECT_EQ(*FromStatus(OkStatus()), "fine");
  ServiceOr<std::string> failed = FromStatus(NotFoundError("gone"));
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(failed.error().internal);
  EXPECT_EQ(failed.error().code, "InternalFailure");
  EXPECT_EQ(failed.error().message, "gone");
}

}  // namespace
}  // namespace cf::cloud
