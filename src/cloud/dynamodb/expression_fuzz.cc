// libFuzzer target for the DynamoDB expression parser and evaluators: any input must give a
// value or a ValidationException, never a crash, a hang or unbounded recursion.
// Build: cmake -DCMAKE_CXX_COMPILER=clang++ -DCF_FUZZ=ON; run: dynamodb_expression_fuzz.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cloud/dynamodb/expression.h"

namespace {

using cf::cloud::dynamodb::Json;

const Json& Names() {
  static const Json kNames = Json::parse(R"({"#a": "a", "#b": "b", "#s": "status", "#n": "n"})");
  return kNames;
}

const Json& Values() {
  static const Json kValues = Json::parse(R"({":s": {"S": "x"}, ":n": {"N": "1"},
      ":m": {"N": "-2.5"}, ":l": {"L": [{"S": "a"}, {"N": "2"}]}, ":ss": {"SS": ["a", "b"]},
      ":ns": {"NS": ["1", "2"]}, ":b": {"B": "AAE="}, ":t": {"S": "N"}, ":bool": {"BOOL": true},
      ":null": {"NULL": true}, ":map": {"M": {"k": {"S": "v"}}}})");
  return kValues;
}

const Json& Item() {
  static const Json kItem = Json::parse(R"({"a": {"N": "1"}, "b": {"S": "xyz"},
      "status": {"S": "on"}, "n": {"N": "3"},
      "m": {"M": {"l": {"L": [{"N": "1"}, {"M": {"z": {"SS": ["q"]}}}]}, "s": {"S": ""}}},
      "ss": {"SS": ["a"]}, "ns": {"NS": ["1"]}, "l": {"L": [{"S": "a"}]}})");
  return kItem;
}

// Error messages quote the expression: they must stay valid UTF-8 when the input is.
template <typename T>
void CheckMessage(const cf::cloud::dynamodb::ServiceOr<T>& result, std::string_view text) {
  if (result.ok()) {
    return;
  }
  try {
    (void)Json(std::string(text)).dump();
  } catch (const Json::exception&) {
    return;  // The input itself is not UTF-8: the JSON layer never passes such text.
  }
  (void)Json(result.error().message).dump();  // Throws (and so fails) on invalid UTF-8.
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) {
    return 0;
  }
  namespace ddb = cf::cloud::dynamodb;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  ddb::ExpressionContext context;
  context.names = &Names();
  context.values = &Values();
  switch (data[0] % 3) {
    case 0: {
      auto node = ddb::ParseCondition(text, "ConditionExpression", context);
      CheckMessage(node, text);
      if (node.ok()) {
        (void)ddb::EvaluateCondition(*node, Item());
        (void)ddb::EvaluateCondition(*node, Json::object());
      }
      break;
    }
    case 1: {
      auto actions = ddb::ParseUpdate(text, context);
      CheckMessage(actions, text);
      if (actions.ok()) {
        Json item = Item();
        (void)ddb::ApplyUpdate(*actions, item);
        Json empty = Json::object();
        (void)ddb::ApplyUpdate(*actions, empty);
      }
      break;
    }
    default: {
      auto paths = ddb::ParseProjection(text, context);
      CheckMessage(paths, text);
      if (paths.ok()) {
        (void)ddb::Project(Item(), *paths);
      }
      break;
    }
  }
  return 0;
}
