// Item operations of DynamoDbEngine: reads, writes, queries, scans, batches, transactions.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "cloud/dynamodb/attribute_value.h"
#include "cloud/dynamodb/engine.h"

namespace cf::cloud::dynamodb {
namespace {

constexpr size_t kPageBytes = 1024 * 1024;

// The aliases and parsed expressions of one request. Not movable: the context points into it.
struct Expressions {
  Expressions() = default;
  Expressions(const Expressions&) = delete;
  Expressions& operator=(const Expressions&) = delete;

  Json names;
  Json values;
  ExpressionContext context;
  std::optional<Node> condition;
  std::optional<Node> filter;
  std::optional<Node> key_condition;
  std::optional<std::vector<UpdateAction>> update;
  std::optional<std::vector<Path>> projection;
};

bool Has(const Json& in, const char* field) {
  auto it = in.find(field);
  return it != in.end() && !it->is_null();
}

std::string JoinList(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += separator;
    }
    out += items[i];
  }
  return out;
}

// Parses the expressions of a request (those listed in `allowed`), DynamoDB's checks in
// DynamoDB's order.
ServiceStatus ParseExpressions(const Json& in, const std::vector<const char*>& allowed,
                               const std::vector<const char*>& legacy, Expressions* out) {
  std::vector<std::string> used_expressions;
  std::vector<std::string> used_legacy;
  for (const char* field : allowed) {
    if (Has(in, field)) {
      used_expressions.emplace_back(field);
    }
  }
  for (const char* field : legacy) {
    if (Has(in, field)) {
      used_legacy.emplace_back(field);
    }
  }
  if (!used_expressions.empty() && !used_legacy.empty()) {
    return ValidationError(
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {" +
        JoinList(used_legacy) + "} Expression parameters: {" + JoinList(used_expressions) + "}");
  }
  if (Has(in, "ExpressionAttributeNames") && used_expressions.empty()) {
    return ValidationError("ExpressionAttributeNames can only be specified when using expressions");
  }
  std::vector<std::string> value_expressions;
  for (const char* field : allowed) {
    if (std::string(field) != "ProjectionExpression") {
      value_expressions.emplace_back(field);
    }
  }
  if (Has(in, "ExpressionAttributeValues") && !value_expressions.empty()) {
    bool any = false;
    for (const auto& field : value_expressions) {
      any = any || Has(in, field.c_str());
    }
    if (!any) {
      return ValidationError(
          "ExpressionAttributeValues can only be specified when using "
          "expressions: " +
          JoinList(value_expressions, " and ") +
          (value_expressions.size() > 1 ? " are null" : " is null"));
    }
  }
  if (Has(in, "ExpressionAttributeNames")) {
    out->names = in["ExpressionAttributeNames"];
    if (!out->names.is_object() || out->names.empty()) {
      return ValidationError("ExpressionAttributeNames must not be empty");
    }
    for (auto it = out->names.begin(); it != out->names.end(); ++it) {
      const std::string& key = it.key();
      bool ok = key.size() > 1 && key[0] == '#' && it->is_string();
      for (size_t i = 1; ok && i < key.size(); ++i) {
        ok = std::isalnum(static_cast<unsigned char>(key[i])) || key[i] == '_';
      }
      if (!ok) {
        return ValidationError(
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\"");
      }
    }
  }
  if (Has(in, "ExpressionAttributeValues")) {
    out->values = in["ExpressionAttributeValues"];
    if (!out->values.is_object() || out->values.empty()) {
      return ValidationError("ExpressionAttributeValues must not be empty");
    }
    for (auto it = out->values.begin(); it != out->values.end(); ++it) {
      const std::string& key = it.key();
      bool ok = key.size() > 1 && key[0] == ':';
      for (size_t i = 1; ok && i < key.size(); ++i) {
        ok = std::isalnum(static_cast<unsigned char>(key[i])) || key[i] == '_';
      }
      if (!ok) {
        return ValidationError(
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\"");
      }
    }
    for (auto it = out->values.begin(); it != out->values.end(); ++it) {
      if (auto error = ValidateValue(*it)) {
        return ValidationError("ExpressionAttributeValues contains invalid value: " + *error +
                               " for key " + it.key());
      }
    }
  }
  out->context.names = out->names.is_null() ? nullptr : &out->names;
  out->context.values = out->values.is_null() ? nullptr : &out->values;
  auto string_field = [&](const char* field) -> ServiceOr<std::string> {
    if (!in[field].is_string()) {
      return ValidationError(std::string("Invalid ") + field + ": not a string");
    }
    return in[field].get<std::string>();
  };
  for (const char* field : allowed) {
    if (!Has(in, field)) {
      continue;
    }
    SERVICE_ASSIGN_OR_RETURN(std::string text, string_field(field));
    std::string f(field);
    if (f == "UpdateExpression") {
      SERVICE_ASSIGN_OR_RETURN(out->update, ParseUpdate(text, out->context));
    } else if (f == "ConditionExpression") {
      SERVICE_ASSIGN_OR_RETURN(out->condition, ParseCondition(text, f, out->context));
    } else if (f == "KeyConditionExpression") {
      SERVICE_ASSIGN_OR_RETURN(out->key_condition, ParseCondition(text, f, out->context));
    } else if (f == "FilterExpression") {
      SERVICE_ASSIGN_OR_RETURN(out->filter, ParseCondition(text, f, out->context));
    } else if (f == "ProjectionExpression") {
      SERVICE_ASSIGN_OR_RETURN(out->projection, ParseProjection(text, out->context));
    }
  }
  std::vector<std::string> unused;
  if (out->names.is_object()) {
    for (auto it = out->names.begin(); it != out->names.end(); ++it) {
      if (!out->context.used_names.count(it.key())) {
        unused.push_back(it.key());
      }
    }
  }
  if (!unused.empty()) {
    return ValidationError(
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {" +
        JoinList(unused) + "}");
  }
  if (out->values.is_object()) {
    for (auto it = out->values.begin(); it != out->values.end(); ++it) {
      if (!out->context.used_values.count(it.key())) {
        unused.push_back(it.key());
      }
    }
  }
  if (!unused.empty()) {
    return ValidationError(
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {" +
        JoinList(unused) + "}");
  }
  return ServiceStatus();
}

Node PathNode(const std::string& attribute) {
  Node n;
  n.kind = NodeKind::kPath;
  n.path.push_back(PathElement{attribute, -1});
  return n;
}

Node ValueNode(Json value) {
  Node n;
  n.kind = NodeKind::kValue;
  n.value = std::move(value);
  return n;
}

// Expected / QueryFilter / ScanFilter (the legacy conditions) as a condition tree.
ServiceOr<std::optional<Node>> LegacyCondition(const Json& conditions, const Json& in,
                                               bool expected) {
  if (!conditions.is_object() || conditions.empty()) {
    return std::optional<Node>();
  }
  std::string joiner = in.value("ConditionalOperator", "AND");
  if (joiner != "AND" && joiner != "OR") {
    return ValidationError(fmt::format(
        "1 validation error detected: Value '{}' at 'conditionalOperator' failed to satisfy "
        "constraint: Member must satisfy enum value set: [OR, AND]",
        joiner));
  }
  std::optional<Node> result;
  for (auto it = conditions.begin(); it != conditions.end(); ++it) {
    const std::string& attribute = it.key();
    const Json& c = *it;
    Node n;
    std::vector<Json> args;
    std::string op;
    if (expected && c.contains("Exists") && !c["Exists"].is_null()) {
      bool exists = c["Exists"].get<bool>();
      if (!exists) {
        if (Has(c, "Value")) {
          return ValidationError(
              "One or more parameter values were invalid: Value cannot be used when Exists is "
              "false");
        }
        op = "NULL";
      } else {
        if (!Has(c, "Value")) {
          return ValidationError(
              "One or more parameter values were invalid: Exists is set to "
              "TRUE for attribute (" +
              attribute + "), Value must also be set");
        }
        op = "EQ";
        args.push_back(c["Value"]);
      }
    } else if (Has(c, "ComparisonOperator")) {
      op = c["ComparisonOperator"].get<std::string>();
      if (Has(c, "AttributeValueList")) {
        for (const Json& v : c["AttributeValueList"]) {
          args.push_back(v);
        }
      } else if (Has(c, "Value")) {
        args.push_back(c["Value"]);
      }
    } else if (Has(c, "Value")) {
      op = "EQ";
      args.push_back(c["Value"]);
    } else {
      return ValidationError(
          "One or more parameter values were invalid: Value must be provided when Exists is null "
          "for Attribute: " +
          attribute);
    }
    for (Json& a : args) {
      if (auto error = ValidateValue(a)) {
        return ValidationError(*error);
      }
    }
    static const std::map<std::string, size_t> kArity = {
        {"EQ", 1},          {"NE", 1},       {"LE", 1},     {"LT", 1},       {"GE", 1},
        {"GT", 1},          {"NOT_NULL", 0}, {"NULL", 0},   {"CONTAINS", 1}, {"NOT_CONTAINS", 1},
        {"BEGINS_WITH", 1}, {"IN", 1},       {"BETWEEN", 2}};
    auto arity = kArity.find(op);
    if (arity == kArity.end()) {
      return ValidationError(fmt::format(
          "1 validation error detected: Value '{}' at 'comparisonOperator' failed to satisfy "
          "constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, "
          "EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]",
          op));
    }
    if (op == "IN" ? args.empty() : args.size() != arity->second) {
      return ValidationError(
          "One or more parameter values were invalid: Invalid number of argument(s) for the " + op +
          " ComparisonOperator");
    }
    static const std::map<std::string, std::string> kCompare = {
        {"EQ", "="}, {"NE", "<>"}, {"LE", "<="}, {"LT", "<"}, {"GE", ">="}, {"GT", ">"}};
    if (auto cmp = kCompare.find(op); cmp != kCompare.end()) {
      n.kind = NodeKind::kCompare;
      n.name = cmp->second;
      n.args = {PathNode(attribute), ValueNode(args[0])};
    } else if (op == "NOT_NULL" || op == "NULL") {
      n.kind = NodeKind::kFunction;
      n.name = op == "NULL" ? "attribute_not_exists" : "attribute_exists";
      n.args = {PathNode(attribute)};
    } else if (op == "CONTAINS" || op == "NOT_CONTAINS" || op == "BEGINS_WITH") {
      n.kind = NodeKind::kFunction;
      n.name = op == "BEGINS_WITH" ? "begins_with" : "contains";
      n.args = {PathNode(attribute), ValueNode(args[0])};
      if (op == "NOT_CONTAINS") {
        Node negated;
        negated.kind = NodeKind::kNot;
        negated.args.push_back(std::move(n));
        n = std::move(negated);
      }
    } else if (op == "IN") {
      n.kind = NodeKind::kIn;
      n.args.push_back(PathNode(attribute));
      for (const Json& a : args) {
        n.args.push_back(ValueNode(a));
      }
    } else {  // BETWEEN
      if (TypeOf(args[0]) != TypeOf(args[1])) {
        return ValidationError(
            "One or more parameter values were invalid: AttributeValues inside "
            "AttributeValueList must be of same type");
      }
      auto order = CompareScalars(args[0], args[1]);
      if (order && *order > 0) {
        return ValidationError(
            "The BETWEEN condition was provided a range where the lower bound is greater than "
            "the upper bound");
      }
      n.kind = NodeKind::kBetween;
      n.args = {PathNode(attribute), ValueNode(args[0]), ValueNode(args[1])};
    }
    if (!result) {
      result = std::move(n);
    } else {
      Node joined;
      joined.kind = joiner == "OR" ? NodeKind::kOr : NodeKind::kAnd;
      joined.args.push_back(std::move(*result));
      joined.args.push_back(std::move(n));
      result = std::move(joined);
    }
  }
  return result;
}

// AttributeUpdates (the legacy update form) as update actions.
ServiceOr<std::vector<UpdateAction>> LegacyUpdates(const Json& updates) {
  std::vector<UpdateAction> actions;
  for (auto it = updates.begin(); it != updates.end(); ++it) {
    const std::string& attribute = it.key();
    const Json& u = *it;
    std::string action = u.value("Action", "PUT");
    UpdateAction a;
    a.path.push_back(PathElement{attribute, -1});
    std::optional<Json> value;
    if (Has(u, "Value")) {
      value = u["Value"];
      if (auto error = ValidateValue(*value)) {
        return ValidationError(*error);
      }
    }
    if (action == "PUT") {
      if (!value) {
        return ValidationError(
            "One or more parameter values were invalid: Only DELETE action is allowed when no "
            "attribute value is specified");
      }
      a.kind = UpdateAction::Kind::kSet;
      a.value = ValueNode(*value);
    } else if (action == "DELETE") {
      if (!value) {
        a.kind = UpdateAction::Kind::kRemove;
      } else {
        std::string_view t = TypeOf(*value);
        if (t != "SS" && t != "NS" && t != "BS") {
          return ValidationError(
              "One or more parameter values were invalid: DELETE action with value is not "
              "supported for the type " +
              std::string(t));
        }
        a.kind = UpdateAction::Kind::kDelete;
        a.value = ValueNode(*value);
      }
    } else if (action == "ADD") {
      if (!value) {
        return ValidationError(
            "One or more parameter values were invalid: Only DELETE action is allowed when no "
            "attribute value is specified");
      }
      std::string_view t = TypeOf(*value);
      if (t == "L") {
        // ADD of a list appends to it.
        Node current;
        current.kind = NodeKind::kFunction;
        current.name = "if_not_exists";
        current.args = {PathNode(attribute), ValueNode(Json{{"L", Json::array()}})};
        Node append;
        append.kind = NodeKind::kFunction;
        append.name = "list_append";
        append.args.push_back(std::move(current));
        append.args.push_back(ValueNode(*value));
        a.kind = UpdateAction::Kind::kSet;
        a.value = std::move(append);
      } else if (t == "N" || t == "SS" || t == "NS" || t == "BS") {
        a.kind = UpdateAction::Kind::kAdd;
        a.value = ValueNode(*value);
      } else {
        return ValidationError(
            "One or more parameter values were invalid: ADD action is not supported for the type " +
            std::string(t));
      }
    } else {
      return ValidationError(fmt::format(
          "1 validation error detected: Value '{}' at 'attributeUpdates.{}.member.action' failed "
          "to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
          action, attribute));
    }
    actions.push_back(std::move(a));
  }
  return actions;
}

std::vector<Path> TopLevelPaths(const Json& names) {
  std::vector<Path> paths;
  for (const Json& n : names) {
    paths.push_back(Path{PathElement{n.get<std::string>(), -1}});
  }
  return paths;
}

ServiceStatus CheckReturnValues(const Json& in, bool update) {
  std::string rv = in.value("ReturnValues", "NONE");
  static const std::set<std::string> kAll = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW",
                                             "UPDATED_NEW"};
  if (!kAll.count(rv)) {
    return ValidationError(fmt::format(
        "1 validation error detected: Value '{}' at 'returnValues' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]",
        rv));
  }
  if (!update && rv != "NONE" && rv != "ALL_OLD") {
    return ValidationError("ReturnValues can only be ALL_OLD or NONE");
  }
  std::string on_failure = in.value("ReturnValuesOnConditionCheckFailure", "NONE");
  if (on_failure != "NONE" && on_failure != "ALL_OLD") {
    return ValidationError(fmt::format(
        "1 validation error detected: Value '{}' at 'returnValuesOnConditionCheckFailure' failed "
        "to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
        on_failure));
  }
  return ServiceStatus();
}

Json ParseStored(const std::string& data) {
  Json item = Json::parse(data, nullptr, false);
  return item.is_discarded() ? Json::object() : item;
}

}  // namespace

// ----- keys -----

ServiceOr<DynamoDbEngine::EncodedKey> DynamoDbEngine::EncodeKey(const Table& table,
                                                                const Json& key) const {
  const std::string kMismatch = "The provided key element does not match the schema";
  if (!key.is_object()) {
    return ValidationError(kMismatch);
  }
  size_t expected = table.keys.range ? 2 : 1;
  if (key.size() != expected) {
    return ValidationError(kMismatch);
  }
  EncodedKey out;
  for (const KeyAttribute* attr :
       {&table.keys.hash, table.keys.range ? &*table.keys.range : nullptr}) {
    if (attr == nullptr) {
      continue;
    }
    auto it = key.find(attr->name);
    if (it == key.end() || TypeOf(*it) != attr->type) {
      return ValidationError(kMismatch);
    }
    Json copy = *it;
    if (auto error = ValidateValue(copy)) {
      return ValidationError(*error);
    }
    const Json& v = copy.begin().value();
    if (v.is_string() && v.get_ref<const std::string&>().empty() && attr->type != "N") {
      return ValidationError(fmt::format(
          "One or more parameter values are not valid. The AttributeValue for a key attribute "
          "cannot contain an empty {} value. Key: {}",
          attr->type == "S" ? "string" : "binary", attr->name));
    }
    (attr == &table.keys.hash ? out.hash : out.range) = EncodeKeyValue(copy);
  }
  return out;
}

ServiceOr<DynamoDbEngine::EncodedKey> DynamoDbEngine::EncodeItemKey(const Table& table,
                                                                    const Json& item) const {
  EncodedKey out;
  for (const KeyAttribute* attr :
       {&table.keys.hash, table.keys.range ? &*table.keys.range : nullptr}) {
    if (attr == nullptr) {
      continue;
    }
    auto it = item.find(attr->name);
    if (it == item.end()) {
      return ValidationError("One or more parameter values were invalid: Missing the key " +
                             attr->name + " in the item");
    }
    std::string_view type = TypeOf(*it);
    if (type != attr->type) {
      return ValidationError(fmt::format(
          "One or more parameter values were invalid: Type mismatch for key {} expected: {} "
          "actual: {}",
          attr->name, attr->type, type));
    }
    const Json& v = it->begin().value();
    if (v.is_string() && v.get_ref<const std::string&>().empty() && attr->type != "N") {
      return ValidationError(fmt::format(
          "One or more parameter values are not valid. The AttributeValue for a key attribute "
          "cannot contain an empty {} value. Key: {}",
          attr->type == "S" ? "string" : "binary", attr->name));
    }
    (attr == &table.keys.hash ? out.hash : out.range) = EncodeKeyValue(*it);
  }
  return out;
}

ServiceStatus DynamoDbEngine::CheckIndexKeys(const Table& table, const Json& item) const {
  for (const Index& index : table.indexes) {
    for (const KeyAttribute* attr :
         {&index.keys.hash, index.keys.range ? &*index.keys.range : nullptr}) {
      if (attr == nullptr) {
        continue;
      }
      auto it = item.find(attr->name);
      if (it == item.end()) {
        continue;
      }
      std::string_view type = TypeOf(*it);
      if (type != attr->type) {
        return ValidationError(fmt::format(
            "One or more parameter values were invalid: Type mismatch for Index Key {} Expected: "
            "{} Actual: {} IndexName: {}",
            attr->name, attr->type, type, index.name));
      }
      const Json& v = it->begin().value();
      if (v.is_string() && v.get_ref<const std::string&>().empty() && attr->type != "N") {
        return ValidationError(fmt::format(
            "One or more parameter values are not valid. A value specified for a secondary index "
            "key is not supported. The AttributeValue for a key attribute cannot contain an empty "
            "{} value. IndexName: {}, IndexKey: {}",
            attr->type == "S" ? "string" : "binary", index.name, attr->name));
      }
    }
  }
  return ServiceStatus();
}

ServiceOr<std::optional<Json>> DynamoDbEngine::ReadItem(const Table& table, const EncodedKey& key) {
  auto data = storage_.GetItem(table.name, key.hash, key.range);
  if (!data.ok()) {
    return InternalServerError(data.status().message());
  }
  if (!data->has_value()) {
    return std::optional<Json>();
  }
  return std::optional<Json>(ParseStored(**data));
}

ServiceStatus DynamoDbEngine::CheckItemCollection(const Table& table, const EncodedKey& key,
                                                  const std::optional<Json>& new_item) {
  if (!new_item || std::none_of(table.indexes.begin(), table.indexes.end(),
                                [](const Index& i) { return !i.global; })) {
    return ServiceStatus();
  }
  auto rows = storage_.QueryPartition(table.name, key.hash, std::nullopt, std::nullopt, true, 0);
  if (!rows.ok()) {
    return InternalServerError(rows.status().message());
  }
  long long total = static_cast<long long>(ItemSize(*new_item));
  for (const StoredItem& row : *rows) {
    if (row.range_key != key.range) {
      total += static_cast<long long>(ItemSize(ParseStored(row.data)));
    }
  }
  if (total > options_.item_collection_size_limit) {
    return ServiceError{"ItemCollectionSizeLimitExceededException", "Collection size exceeded."};
  }
  return ServiceStatus();
}

// ----- writes -----

ServiceOr<DynamoDbEngine::PreparedWrite> DynamoDbEngine::PrepareWrite(PreparedWrite::Kind kind,
                                                                      const Json& in,
                                                                      bool in_transaction) {
  PreparedWrite w;
  w.kind = kind;
  SERVICE_ASSIGN_OR_RETURN(w.table, FindTable(in, true));
  const Table& table = *w.table;
  if (kind == PreparedWrite::Kind::kPut) {
    if (!Has(in, "Item")) {
      return ValidationError(
          "1 validation error detected: Value null at 'item' failed to satisfy constraint: "
          "Member must not be null");
    }
    w.item = in["Item"];
    if (auto error = ValidateItem(w.item)) {
      return ValidationError(*error);
    }
    SERVICE_ASSIGN_OR_RETURN(w.encoded, EncodeItemKey(table, w.item));
    if (ItemSize(w.item) > kMaxItemSize) {
      return ValidationError("Item size has exceeded the maximum allowed size");
    }
  } else {
    if (!Has(in, "Key")) {
      return ValidationError(
          "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member "
          "must not be null");
    }
    w.key = in["Key"];
    SERVICE_ASSIGN_OR_RETURN(w.encoded, EncodeKey(table, w.key));
    if (auto error = ValidateItem(w.key)) {
      return ValidationError(*error);
    }
  }
  if (!in_transaction || kind == PreparedWrite::Kind::kUpdate) {
    SERVICE_RETURN_IF_ERROR(CheckReturnValues(in, kind == PreparedWrite::Kind::kUpdate));
    w.return_values = in.value("ReturnValues", "NONE");
  }
  if (in_transaction && Has(in, "ReturnValues")) {
    w.return_values = "NONE";
  }
  w.return_old_on_failure = in.value("ReturnValuesOnConditionCheckFailure", "NONE") == "ALL_OLD";
  Expressions ex;
  std::vector<const char*> allowed = {"ConditionExpression"};
  std::vector<const char*> legacy = {"Expected"};
  if (kind == PreparedWrite::Kind::kUpdate) {
    allowed = {"UpdateExpression", "ConditionExpression"};
    legacy = {"AttributeUpdates", "Expected"};
  }
  if (kind == PreparedWrite::Kind::kCheck && !Has(in, "ConditionExpression")) {
    return ValidationError(
        "1 validation error detected: Value null at 'conditionExpression' failed to satisfy "
        "constraint: Member must not be null");
  }
  SERVICE_RETURN_IF_ERROR(ParseExpressions(in, allowed, legacy, &ex));
  if (ex.condition) {
    w.condition = std::move(ex.condition);
  } else if (Has(in, "Expected")) {
    SERVICE_ASSIGN_OR_RETURN(w.condition, LegacyCondition(in["Expected"], in, true));
  }
  if (kind == PreparedWrite::Kind::kUpdate) {
    if (ex.update) {
      w.updates = std::move(*ex.update);
    } else if (Has(in, "AttributeUpdates")) {
      SERVICE_ASSIGN_OR_RETURN(w.updates, LegacyUpdates(in["AttributeUpdates"]));
    }
    for (const UpdateAction& a : w.updates) {
      const std::string& top = a.path[0].name;
      if (top == table.keys.hash.name || (table.keys.range && top == table.keys.range->name)) {
        return ValidationError(
            "One or more parameter values were invalid: Cannot update attribute " + top +
            ". This attribute is part of the key");
      }
      w.updated_paths.push_back(a.path);
    }
  }
  return w;
}

ServiceOr<DynamoDbEngine::WriteOutcome> DynamoDbEngine::ExecuteWrite(const PreparedWrite& w,
                                                                     const Json* existing) const {
  static const Json kEmpty = Json::object();
  if (w.condition && !EvaluateCondition(*w.condition, existing != nullptr ? *existing : kEmpty)) {
    return ConditionalCheckFailed(w.return_old_on_failure && existing != nullptr ? *existing
                                                                                 : Json());
  }
  WriteOutcome out;
  out.attributes = Json::object();
  switch (w.kind) {
    case PreparedWrite::Kind::kCheck:
      return out;
    case PreparedWrite::Kind::kPut:
      SERVICE_RETURN_IF_ERROR(CheckIndexKeys(*w.table, w.item));
      out.new_item = w.item;
      if (w.return_values == "ALL_OLD" && existing != nullptr) {
        out.attributes = *existing;
      }
      return out;
    case PreparedWrite::Kind::kDelete:
      if (w.return_values == "ALL_OLD" && existing != nullptr) {
        out.attributes = *existing;
      }
      return out;
    case PreparedWrite::Kind::kUpdate: {
      Json item = existing != nullptr ? *existing : w.key;
      SERVICE_RETURN_IF_ERROR(ApplyUpdate(w.updates, item));
      SERVICE_RETURN_IF_ERROR(CheckIndexKeys(*w.table, item));
      if (ItemSize(item) > kMaxItemSize) {
        return ValidationError("Item size to update has exceeded the maximum allowed size");
      }
      const std::string& rv = w.return_values;
      if (rv == "ALL_OLD" && existing != nullptr) {
        out.attributes = *existing;
      } else if (rv == "UPDATED_OLD" && existing != nullptr) {
        out.attributes = Project(*existing, w.updated_paths);
      } else if (rv == "ALL_NEW") {
        out.attributes = item;
      } else if (rv == "UPDATED_NEW") {
        out.attributes = Project(item, w.updated_paths);
      }
      out.new_item = std::move(item);
      return out;
    }
  }
  return out;
}

namespace {

Json WriteResponse(const Json& attributes) {
  Json out = Json::object();
  if (attributes.is_object() && !attributes.empty()) {
    out["Attributes"] = attributes;
  }
  return out;
}

}  // namespace

ServiceOr<Json> DynamoDbEngine::PutItem(const Json& in) {
  SERVICE_ASSIGN_OR_RETURN(PreparedWrite w, PrepareWrite(PreparedWrite::Kind::kPut, in, false));
  std::unique_lock lock(w.table->mu);
  if (w.table->deleted) {
    return ResourceNotFound();
  }
  std::optional<Json> existing;
  if (w.condition || w.return_values != "NONE") {
    SERVICE_ASSIGN_OR_RETURN(existing, ReadItem(*w.table, w.encoded));
  }
  SERVICE_ASSIGN_OR_RETURN(WriteOutcome outcome, ExecuteWrite(w, existing ? &*existing : nullptr));
  SERVICE_RETURN_IF_ERROR(CheckItemCollection(*w.table, w.encoded, outcome.new_item));
  Status s = storage_.Write(
      {ItemWrite{w.table->name, w.encoded.hash, w.encoded.range, outcome.new_item->dump()}});
  if (!s.ok()) {
    return InternalServerError(s.message());
  }
  return WriteResponse(outcome.attributes);
}

ServiceOr<Json> DynamoDbEngine::DeleteItem(const Json& in) {
  SERVICE_ASSIGN_OR_RETURN(PreparedWrite w, PrepareWrite(PreparedWrite::Kind::kDelete, in, false));
  std::unique_lock lock(w.table->mu);
  if (w.table->deleted) {
    return ResourceNotFound();
  }
  std::optional<Json> existing;
  if (w.condition || w.return_values != "NONE") {
    SERVICE_ASSIGN_OR_RETURN(existing, ReadItem(*w.table, w.encoded));
  }
  SERVICE_ASSIGN_OR_RETURN(WriteOutcome outcome, ExecuteWrite(w, existing ? &*existing : nullptr));
  Status s =
      storage_.Write({ItemWrite{w.table->name, w.encoded.hash, w.encoded.range, std::nullopt}});
  if (!s.ok()) {
    return InternalServerError(s.message());
  }
  return WriteResponse(outcome.attributes);
}

ServiceOr<Json> DynamoDbEngine::UpdateItem(const Json& in) {
  SERVICE_ASSIGN_OR_RETURN(PreparedWrite w, PrepareWrite(PreparedWrite::Kind::kUpdate, in, false));
  std::unique_lock lock(w.table->mu);
  if (w.table->deleted) {
    return ResourceNotFound();
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, ReadItem(*w.table, w.encoded));
  SERVICE_ASSIGN_OR_RETURN(WriteOutcome outcome, ExecuteWrite(w, existing ? &*existing : nullptr));
  SERVICE_RETURN_IF_ERROR(CheckItemCollection(*w.table, w.encoded, outcome.new_item));
  Status s = storage_.Write(
      {ItemWrite{w.table->name, w.encoded.hash, w.encoded.range, outcome.new_item->dump()}});
  if (!s.ok()) {
    return InternalServerError(s.message());
  }
  return WriteResponse(outcome.attributes);
}

ServiceOr<Json> DynamoDbEngine::GetItem(const Json& in) {
  SERVICE_ASSIGN_OR_RETURN(TablePtr table, FindTable(in, true));
  if (!Has(in, "Key")) {
    return ValidationError(
        "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member "
        "must not be null");
  }
  SERVICE_ASSIGN_OR_RETURN(EncodedKey key, EncodeKey(*table, in["Key"]));
  Expressions ex;
  SERVICE_RETURN_IF_ERROR(ParseExpressions(in, {"ProjectionExpression"}, {"AttributesToGet"}, &ex));
  std::optional<Json> item;
  {
    std::shared_lock lock(table->mu);
    SERVICE_ASSIGN_OR_RETURN(item, ReadItem(*table, key));
  }
  Json out = Json::object();
  if (item) {
    if (ex.projection) {
      out["Item"] = Project(*item, *ex.projection);
    } else if (Has(in, "AttributesToGet")) {
      out["Item"] = Project(*item, TopLevelPaths(in["AttributesToGet"]));
    } else {
      out["Item"] = std::move(*item);
    }
  }
  return out;
}

// ----- queries and scans -----

namespace {

struct RangeCondition {
  std::string op;  // EQ LT LE GT GE BETWEEN BEGINS_WITH
  std::vector<Json> values;
};

// The conditions of a KeyConditionExpression, by attribute name.
ServiceOr<std::map<std::string, RangeCondition>> KeyConditionsFromExpression(const Node& n) {
  std::map<std::string, RangeCondition> out;
  std::vector<const Node*> parts;
  std::vector<const Node*> stack = {&n};
  while (!stack.empty()) {
    const Node* cur = stack.back();
    stack.pop_back();
    if (cur->kind == NodeKind::kAnd) {
      stack.push_back(&cur->args[1]);
      stack.push_back(&cur->args[0]);
    } else {
      parts.push_back(cur);
    }
  }
  // DynamoDB gives these messages without the "Invalid KeyConditionExpression: " prefix.
  const std::string kPrefix;
  for (const Node* p : parts) {
    if (p->kind == NodeKind::kOr || p->kind == NodeKind::kNot || p->kind == NodeKind::kIn ||
        (p->kind == NodeKind::kCompare && p->name == "<>")) {
      std::string op = p->kind == NodeKind::kOr    ? "OR"
                       : p->kind == NodeKind::kNot ? "NOT"
                       : p->kind == NodeKind::kIn  ? "IN"
                                                   : "<>";
      return ValidationError(kPrefix + "Invalid operator used in KeyConditionExpression: " + op);
    }
    if (p->kind == NodeKind::kFunction && p->name != "begins_with") {
      if (p->name == "size") {
        return ValidationError(kPrefix +
                               "KeyConditionExpressions cannot contain nested operations");
      }
      return ValidationError(kPrefix +
                             "Invalid operator used in KeyConditionExpression: " + p->name);
    }
    std::string attribute;
    size_t attribute_index = 0;
    for (size_t i = 0; i < p->args.size(); ++i) {
      const Node& a = p->args[i];
      if (a.kind == NodeKind::kPath) {
        if (!attribute.empty()) {
          return ValidationError(kPrefix +
                                 "Invalid condition in KeyConditionExpression: Multiple attribute "
                                 "names used in one condition");
        }
        if (a.path.size() > 1) {
          return ValidationError(kPrefix +
                                 "KeyConditionExpressions cannot have conditions on nested "
                                 "attributes");
        }
        attribute = a.path[0].name;
        attribute_index = i;
      } else if (a.kind == NodeKind::kFunction) {
        return ValidationError(kPrefix +
                               "KeyConditionExpressions cannot contain nested operations");
      }
    }
    if (attribute.empty()) {
      return ValidationError(kPrefix +
                             "Invalid condition in KeyConditionExpression: No key attribute "
                             "specified");
    }
    if ((p->kind == NodeKind::kBetween || p->kind == NodeKind::kFunction) && attribute_index != 0) {
      std::string op = p->kind == NodeKind::kBetween ? "BETWEEN" : "begins_with";
      return ValidationError(kPrefix + "Invalid condition in KeyConditionExpression: " + op +
                             " operator must have the key attribute as its first operand");
    }
    if (out.count(attribute)) {
      return ValidationError(kPrefix +
                             "KeyConditionExpressions must only contain one condition per key");
    }
    RangeCondition c;
    if (p->kind == NodeKind::kBetween) {
      c.op = "BETWEEN";
      c.values = {p->args[1].value, p->args[2].value};
    } else if (p->kind == NodeKind::kFunction) {
      c.op = "BEGINS_WITH";
      c.values = {p->args[1].value};
    } else {
      static const std::map<std::string, std::string> kOps = {
          {"=", "EQ"}, {"<", "LT"}, {"<=", "LE"}, {">", "GT"}, {">=", "GE"}};
      static const std::map<std::string, std::string> kFlipped = {
          {"=", "EQ"}, {"<", "GT"}, {"<=", "GE"}, {">", "LT"}, {">=", "LE"}};
      c.op = attribute_index == 0 ? kOps.at(p->name) : kFlipped.at(p->name);
      c.values = {p->args[attribute_index == 0 ? 1 : 0].value};
    }
    out[attribute] = std::move(c);
  }
  return out;
}

ServiceOr<std::map<std::string, RangeCondition>> KeyConditionsFromLegacy(const Json& conditions) {
  std::map<std::string, RangeCondition> out;
  for (auto it = conditions.begin(); it != conditions.end(); ++it) {
    RangeCondition c;
    c.op = it->value("ComparisonOperator", "");
    if (Has(*it, "AttributeValueList")) {
      for (const Json& v : (*it)["AttributeValueList"]) {
        c.values.push_back(v);
      }
    }
    for (Json& v : c.values) {
      if (auto error = ValidateValue(v)) {
        return ValidationError(*error);
      }
    }
    static const std::map<std::string, size_t> kArity = {
        {"EQ", 1}, {"LT", 1}, {"LE", 1}, {"GT", 1}, {"GE", 1}, {"BEGINS_WITH", 1}, {"BETWEEN", 2}};
    auto arity = kArity.find(c.op);
    if (arity == kArity.end()) {
      return ValidationError("Attempted conditional constraint is not an indexable operation");
    }
    if (c.values.size() != arity->second) {
      return ValidationError(
          "One or more parameter values were invalid: Invalid number of argument(s) for the " +
          c.op + " ComparisonOperator");
    }
    out[it.key()] = std::move(c);
  }
  return out;
}

bool MatchesRange(const Json& value, const RangeCondition& c) {
  auto cmp = [&](const Json& other) { return CompareScalars(value, other); };
  if (c.op == "BEGINS_WITH") {
    if (TypeOf(value) != TypeOf(c.values[0])) {
      return false;
    }
    std::string a = EncodeKeyValue(value);
    std::string b = EncodeKeyValue(c.values[0]);
    return a.compare(0, b.size(), b) == 0 && a.size() >= b.size();
  }
  auto first = cmp(c.values[0]);
  if (!first) {
    return false;
  }
  if (c.op == "EQ") {
    return *first == 0;
  }
  if (c.op == "LT") {
    return *first < 0;
  }
  if (c.op == "LE") {
    return *first <= 0;
  }
  if (c.op == "GT") {
    return *first > 0;
  }
  if (c.op == "GE") {
    return *first >= 0;
  }
  auto second = cmp(c.values[1]);
  return *first >= 0 && second && *second <= 0;
}

// Bounds on encoded range keys for a range condition.
void RangeBounds(const RangeCondition& c, std::optional<KeyBound>* low,
                 std::optional<KeyBound>* high) {
  std::string v = EncodeKeyValue(c.values[0]);
  if (c.op == "EQ") {
    *low = KeyBound{v, true};
    *high = KeyBound{v, true};
  } else if (c.op == "LT") {
    *high = KeyBound{v, false};
  } else if (c.op == "LE") {
    *high = KeyBound{v, true};
  } else if (c.op == "GT") {
    *low = KeyBound{v, false};
  } else if (c.op == "GE") {
    *low = KeyBound{v, true};
  } else if (c.op == "BETWEEN") {
    *low = KeyBound{v, true};
    *high = KeyBound{EncodeKeyValue(c.values[1]), true};
  } else if (c.op == "BEGINS_WITH") {
    *low = KeyBound{v, true};
    std::string next = v;
    while (!next.empty() && static_cast<unsigned char>(next.back()) == 0xFF) {
      next.pop_back();
    }
    if (!next.empty()) {
      next.back() = static_cast<char>(static_cast<unsigned char>(next.back()) + 1);
      *high = KeyBound{next, false};
    }
  }
}

}  // namespace

ServiceOr<Json> DynamoDbEngine::Query(const Json& in) {
  return QueryOrScan(in, true);
}

ServiceOr<Json> DynamoDbEngine::Scan(const Json& in) {
  return QueryOrScan(in, false);
}

ServiceOr<Json> DynamoDbEngine::QueryOrScan(const Json& in, bool is_query) {
  SERVICE_ASSIGN_OR_RETURN(TablePtr table, FindTable(in, true));
  size_t limit = 0;
  if (Has(in, "Limit")) {
    long long l = in["Limit"].get<long long>();
    if (l < 1) {
      return ValidationError(fmt::format(
          "1 validation error detected: Value '{}' at 'limit' failed to satisfy constraint: "
          "Member must have value greater than or equal to 1",
          l));
    }
    limit = static_cast<size_t>(l);
  }
  std::string select = in.value("Select", "");
  static const std::set<std::string> kSelects = {"", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES",
                                                 "SPECIFIC_ATTRIBUTES", "COUNT"};
  if (!kSelects.count(select)) {
    return ValidationError(fmt::format(
        "1 validation error detected: Value '{}' at 'select' failed to satisfy constraint: Member "
        "must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, "
        "ALL_PROJECTED_ATTRIBUTES]",
        select));
  }
  Expressions ex;
  if (is_query) {
    SERVICE_RETURN_IF_ERROR(
        ParseExpressions(in, {"KeyConditionExpression", "FilterExpression", "ProjectionExpression"},
                         {"KeyConditions", "QueryFilter", "AttributesToGet"}, &ex));
  } else {
    SERVICE_RETURN_IF_ERROR(ParseExpressions(in, {"FilterExpression", "ProjectionExpression"},
                                             {"ScanFilter", "AttributesToGet"}, &ex));
  }
  std::optional<Node> filter = std::move(ex.filter);
  const char* legacy_filter = is_query ? "QueryFilter" : "ScanFilter";
  if (!filter && Has(in, legacy_filter)) {
    SERVICE_ASSIGN_OR_RETURN(filter, LegacyCondition(in[legacy_filter], in, false));
  }
  std::optional<std::vector<Path>> projection = std::move(ex.projection);
  if (!projection && Has(in, "AttributesToGet")) {
    projection = TopLevelPaths(in["AttributesToGet"]);
  }
  if (select == "SPECIFIC_ATTRIBUTES" && !projection) {
    return ValidationError(
        "One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires "
        "ProjectionExpression or AttributesToGet");
  }
  if (projection && !select.empty() && select != "SPECIFIC_ATTRIBUTES") {
    return ValidationError(
        "Cannot specify the AttributesToGet when choosing to get only the Count");
  }
  bool forward = in.value("ScanIndexForward", true);

  std::shared_lock lock(table->mu);
  const Index* index = nullptr;
  if (Has(in, "IndexName")) {
    std::string name = in["IndexName"].get<std::string>();
    for (const Index& i : table->indexes) {
      if (i.name == name) {
        index = &i;
      }
    }
    if (index == nullptr) {
      return ValidationError("The table does not have the specified index: " + name);
    }
    if (index->global && in.value("ConsistentRead", false)) {
      return ValidationError("Consistent reads are not supported on global secondary indexes");
    }
    if (select == "ALL_ATTRIBUTES" && index->global && index->projection_type != "ALL") {
      return ValidationError(fmt::format(
          "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported "
          "for global secondary index {} because its projection type is not ALL",
          index->name));
    }
  } else if (select == "ALL_PROJECTED_ATTRIBUTES") {
    return ValidationError(
        "One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is not "
        "supported when IndexName is not specified");
  }
  const KeySchema& schema = index != nullptr ? index->keys : table->keys;

  // Key conditions.
  std::optional<Json> hash_value;
  std::optional<RangeCondition> range_condition;
  if (is_query) {
    std::map<std::string, RangeCondition> conditions;
    if (ex.key_condition) {
      SERVICE_ASSIGN_OR_RETURN(conditions, KeyConditionsFromExpression(*ex.key_condition));
    } else if (Has(in, "KeyConditions")) {
      SERVICE_ASSIGN_OR_RETURN(conditions, KeyConditionsFromLegacy(in["KeyConditions"]));
    } else {
      return ValidationError(
          "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
          "request.");
    }
    if (conditions.size() > 2) {
      return ValidationError("Conditions can be of length 1 or 2 only");
    }
    auto hash = conditions.find(schema.hash.name);
    if (hash == conditions.end()) {
      return ValidationError("Query condition missed key schema element: " + schema.hash.name);
    }
    if (hash->second.op != "EQ") {
      return ValidationError("Query key condition not supported");
    }
    for (const auto& [name, c] : conditions) {
      bool is_hash = name == schema.hash.name;
      bool is_range = schema.range && name == schema.range->name;
      if (!is_hash && !is_range) {
        return ValidationError(schema.range ? "Query condition missed key schema element: " +
                                                  schema.range->name
                                            : std::string("Query key condition not supported"));
      }
      const std::string& type = is_hash ? schema.hash.type : schema.range->type;
      for (const Json& v : c.values) {
        if (TypeOf(v) != type) {
          return ValidationError(
              "One or more parameter values were invalid: Condition parameter type does not "
              "match schema type");
        }
      }
      if (c.op == "BEGINS_WITH" && type == "N") {
        return ValidationError(
            "Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: begins_with, operand type: N");
      }
    }
    hash_value = hash->second.values[0];
    if (schema.range) {
      auto r = conditions.find(schema.range->name);
      if (r != conditions.end()) {
        range_condition = r->second;
      }
    }
  }

  // The attributes that identify a position for pagination.
  std::vector<KeyAttribute> position_keys = {table->keys.hash};
  if (table->keys.range) {
    position_keys.push_back(*table->keys.range);
  }
  if (index != nullptr) {
    for (const KeyAttribute* a :
         {&index->keys.hash, index->keys.range ? &*index->keys.range : nullptr}) {
      if (a != nullptr && std::none_of(position_keys.begin(), position_keys.end(),
                                       [&](const KeyAttribute& k) { return k.name == a->name; })) {
        position_keys.push_back(*a);
      }
    }
  }
  std::optional<Json> start_key;
  if (Has(in, "ExclusiveStartKey")) {
    start_key = in["ExclusiveStartKey"];
    bool valid = start_key->is_object() && start_key->size() == position_keys.size();
    for (const KeyAttribute& k : position_keys) {
      valid = valid && start_key->contains(k.name) && TypeOf((*start_key)[k.name]) == k.type;
    }
    if (!valid) {
      return ValidationError(
          "The provided starting key is invalid: The provided key element does not match the "
          "schema");
    }
    if (auto error = ValidateItem(*start_key)) {
      return ValidationError(*error);
    }
  }

  // Candidates, in the order the operation evaluates them.
  std::vector<Json> candidates;
  bool more_possible = false;
  auto fetch_error = [](const Status& s) { return InternalServerError(s.message()); };
  if (index == nullptr && is_query) {
    std::optional<KeyBound> low;
    std::optional<KeyBound> high;
    if (range_condition) {
      RangeBounds(*range_condition, &low, &high);
    }
    if (start_key && table->keys.range) {
      std::string after = EncodeKeyValue((*start_key)[table->keys.range->name]);
      if (forward && (!low || after >= low->key)) {
        low = KeyBound{after, false};
      } else if (!forward && (!high || after <= high->key)) {
        high = KeyBound{after, false};
      }
    }
    if (start_key && !table->keys.range) {
      return Json{{"Count", 0}, {"ScannedCount", 0}, {"Items", Json::array()}};
    }
    auto rows = storage_.QueryPartition(table->name, EncodeKeyValue(*hash_value), low, high,
                                        forward, limit);
    if (!rows.ok()) {
      return fetch_error(rows.status());
    }
    for (const StoredItem& row : *rows) {
      candidates.push_back(ParseStored(row.data));
    }
    more_possible = limit != 0 && candidates.size() >= limit;
  } else if (index == nullptr) {
    std::optional<std::pair<std::string, std::string>> after;
    if (start_key) {
      SERVICE_ASSIGN_OR_RETURN(EncodedKey k, EncodeKey(*table, [&] {
                                 Json key = Json::object();
                                 for (const KeyAttribute& a : position_keys) {
                                   key[a.name] = (*start_key)[a.name];
                                 }
                                 return key;
                               }()));
      after = std::make_pair(k.hash, k.range);
    }
    int segment = in.value("Segment", 0);
    int total = in.value("TotalSegments", 1);
    if (Has(in, "Segment") != Has(in, "TotalSegments")) {
      return ValidationError(Has(in, "Segment")
                                 ? "The TotalSegments parameter is required but was not present "
                                   "in the request when Segment parameter is present"
                                 : "The Segment parameter is required but was not present in the "
                                   "request when parameter TotalSegments is present");
    }
    if (total < 1 || total > 1000000 || segment < 0 || segment >= total) {
      return ValidationError(fmt::format(
          "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
          "Segment: {} is not less than TotalSegments: {}",
          segment, total));
    }
    // Fetch in pages until the limit (or the page size) is reached.
    size_t bytes = 0;
    while (true) {
      auto rows = storage_.ScanTable(table->name, after, 1000);
      if (!rows.ok()) {
        return fetch_error(rows.status());
      }
      for (const StoredItem& row : *rows) {
        after = std::make_pair(row.hash_key, row.range_key);
        if (total > 1 && std::hash<std::string>()(row.hash_key) % static_cast<size_t>(total) !=
                             static_cast<size_t>(segment)) {
          continue;
        }
        candidates.push_back(ParseStored(row.data));
        bytes += row.data.size();
        if ((limit != 0 && candidates.size() >= limit) || bytes >= kPageBytes) {
          break;
        }
      }
      if ((limit != 0 && candidates.size() >= limit) || bytes >= kPageBytes) {
        more_possible = true;
        break;
      }
      if (rows->size() < 1000) {
        break;
      }
    }
  } else {
    // Secondary indexes: gather, order by (index keys, table keys), then resume after the
    // start key.
    std::vector<StoredItem> rows;
    if (!index->global && is_query) {
      auto r = storage_.QueryPartition(table->name, EncodeKeyValue(*hash_value), std::nullopt,
                                       std::nullopt, true, 0);
      if (!r.ok()) {
        return fetch_error(r.status());
      }
      rows = std::move(*r);
    } else {
      auto r = storage_.ScanTable(table->name, std::nullopt, 0);
      if (!r.ok()) {
        return fetch_error(r.status());
      }
      rows = std::move(*r);
    }
    struct Entry {
      std::vector<std::string> order;
      Json item;
    };
    std::vector<Entry> entries;
    for (StoredItem& row : rows) {
      Json item = ParseStored(row.data);
      const Json* h = item.contains(index->keys.hash.name) ? &item[index->keys.hash.name] : nullptr;
      if (h == nullptr || TypeOf(*h) != index->keys.hash.type) {
        continue;
      }
      const Json* r = nullptr;
      if (index->keys.range) {
        if (!item.contains(index->keys.range->name)) {
          continue;
        }
        r = &item[index->keys.range->name];
      }
      if (is_query) {
        if (!ValuesEqual(*h, *hash_value)) {
          continue;
        }
        if (range_condition && (r == nullptr || !MatchesRange(*r, *range_condition))) {
          continue;
        }
      }
      Entry e;
      if (is_query) {
        e.order = {r != nullptr ? EncodeKeyValue(*r) : "", row.hash_key, row.range_key};
      } else {
        e.order = {EncodeKeyValue(*h), r != nullptr ? EncodeKeyValue(*r) : "", row.hash_key,
                   row.range_key};
      }
      e.item = std::move(item);
      entries.push_back(std::move(e));
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.order < b.order; });
    if (!forward && is_query) {
      std::reverse(entries.begin(), entries.end());
    }
    size_t first = 0;
    if (start_key) {
      Json& sk = *start_key;
      std::string th = EncodeKeyValue(sk[table->keys.hash.name]);
      std::string tr = table->keys.range ? EncodeKeyValue(sk[table->keys.range->name]) : "";
      std::string ir = index->keys.range ? EncodeKeyValue(sk[index->keys.range->name]) : "";
      std::vector<std::string> position =
          is_query
              ? std::vector<std::string>{ir, th, tr}
              : std::vector<std::string>{EncodeKeyValue(sk[index->keys.hash.name]), ir, th, tr};
      while (first < entries.size() && (forward || !is_query ? entries[first].order <= position
                                                             : entries[first].order >= position)) {
        ++first;
      }
    }
    size_t bytes = 0;
    for (size_t i = first; i < entries.size(); ++i) {
      bytes += ItemSize(entries[i].item);
      candidates.push_back(std::move(entries[i].item));
      if ((limit != 0 && candidates.size() >= limit) || bytes >= kPageBytes) {
        more_possible = true;
        break;
      }
    }
  }

  // Evaluate: filter, project, count.
  Json out = Json::object();
  Json items = Json::array();
  size_t count = 0;
  for (const Json& item : candidates) {
    if (filter && !EvaluateCondition(*filter, item)) {
      continue;
    }
    ++count;
    if (select == "COUNT") {
      continue;
    }
    if (projection) {
      items.push_back(Project(item, *projection));
    } else if (index != nullptr && index->projection_type != "ALL" && select != "ALL_ATTRIBUTES") {
      std::vector<Path> keep;
      for (const KeyAttribute& k : position_keys) {
        keep.push_back(Path{PathElement{k.name, -1}});
      }
      for (const std::string& name : index->non_key_attributes) {
        keep.push_back(Path{PathElement{name, -1}});
      }
      items.push_back(Project(item, keep));
    } else {
      items.push_back(item);
    }
  }
  out["Count"] = count;
  out["ScannedCount"] = candidates.size();
  if (select != "COUNT") {
    out["Items"] = std::move(items);
  }
  if (more_possible && !candidates.empty()) {
    Json last = Json::object();
    for (const KeyAttribute& k : position_keys) {
      last[k.name] = candidates.back()[k.name];
    }
    out["LastEvaluatedKey"] = std::move(last);
  }
  return out;
}

// ----- batches -----

ServiceOr<Json> DynamoDbEngine::BatchGetItem(const Json& in) {
  if (!Has(in, "RequestItems") || !in["RequestItems"].is_object() || in["RequestItems"].empty()) {
    return ValidationError(
        "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: "
        "Member must not be null");
  }
  size_t total = 0;
  for (const auto& [name, request] : in["RequestItems"].items()) {
    total += request.contains("Keys") ? request["Keys"].size() : 0;
  }
  if (total > 100) {
    return ValidationError("Too many items requested for the BatchGetItem call");
  }
  Json responses = Json::object();
  for (const auto& [name, request] : in["RequestItems"].items()) {
    SERVICE_ASSIGN_OR_RETURN(TablePtr table, FindTableByName(name, true));
    if (!request.contains("Keys") || !request["Keys"].is_array() || request["Keys"].empty()) {
      return ValidationError(
          "1 validation error detected: Value null at 'requestItems." + name +
          ".member.keys' failed to satisfy constraint: Member must have length greater than or "
          "equal to 1");
    }
    Expressions ex;
    SERVICE_RETURN_IF_ERROR(
        ParseExpressions(request, {"ProjectionExpression"}, {"AttributesToGet"}, &ex));
    std::optional<std::vector<Path>> projection = std::move(ex.projection);
    if (!projection && Has(request, "AttributesToGet")) {
      projection = TopLevelPaths(request["AttributesToGet"]);
    }
    std::vector<EncodedKey> keys;
    for (const Json& key : request["Keys"]) {
      SERVICE_ASSIGN_OR_RETURN(EncodedKey k, EncodeKey(*table, key));
      if (std::find(keys.begin(), keys.end(), k) != keys.end()) {
        return ValidationError("Provided list of item keys contains duplicates");
      }
      keys.push_back(std::move(k));
    }
    Json items = Json::array();
    std::shared_lock lock(table->mu);
    for (const EncodedKey& k : keys) {
      SERVICE_ASSIGN_OR_RETURN(std::optional<Json> item, ReadItem(*table, k));
      if (item) {
        items.push_back(projection ? Project(*item, *projection) : std::move(*item));
      }
    }
    responses[name] = std::move(items);
  }
  return Json{{"Responses", responses}, {"UnprocessedKeys", Json::object()}};
}

ServiceOr<Json> DynamoDbEngine::BatchWriteItem(const Json& in) {
  if (!Has(in, "RequestItems") || !in["RequestItems"].is_object() || in["RequestItems"].empty()) {
    return ValidationError(
        "1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: "
        "Member must not be null");
  }
  size_t total = 0;
  for (const auto& [name, requests] : in["RequestItems"].items()) {
    total += requests.is_array() ? requests.size() : 0;
  }
  if (total > 25) {
    return ValidationError("Too many items requested for the BatchWriteItem call");
  }
  std::vector<PreparedWrite> writes;
  for (const auto& [name, requests] : in["RequestItems"].items()) {
    if (!requests.is_array() || requests.empty()) {
      return ValidationError(
          "1 validation error detected: Value null at 'requestItems." + name +
          ".member' failed to satisfy constraint: Member must have length greater than or equal "
          "to 1");
    }
    std::set<EncodedKey> seen;
    for (const Json& r : requests) {
      Json request;
      PreparedWrite::Kind kind;
      if (r.contains("PutRequest") && r["PutRequest"].is_object()) {
        request = {{"TableName", name}, {"Item", r["PutRequest"].value("Item", Json())}};
        kind = PreparedWrite::Kind::kPut;
      } else if (r.contains("DeleteRequest") && r["DeleteRequest"].is_object()) {
        request = {{"TableName", name}, {"Key", r["DeleteRequest"].value("Key", Json())}};
        kind = PreparedWrite::Kind::kDelete;
      } else {
        return ValidationError(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one "
            "of the supported datatypes");
      }
      SERVICE_ASSIGN_OR_RETURN(PreparedWrite w, PrepareWrite(kind, request, false));
      if (!seen.insert(w.encoded).second) {
        return ValidationError("Provided list of item keys contains duplicates");
      }
      writes.push_back(std::move(w));
    }
  }
  std::map<std::string, TablePtr> tables;
  for (const PreparedWrite& w : writes) {
    tables[w.table->name] = w.table;
  }
  std::vector<std::unique_lock<std::shared_mutex>> locks;
  for (auto& [name, table] : tables) {
    locks.emplace_back(table->mu);
    if (table->deleted) {
      return ResourceNotFound();
    }
  }
  std::vector<ItemWrite> batch;
  for (const PreparedWrite& w : writes) {
    SERVICE_ASSIGN_OR_RETURN(WriteOutcome outcome, ExecuteWrite(w, nullptr));
    SERVICE_RETURN_IF_ERROR(CheckItemCollection(*w.table, w.encoded, outcome.new_item));
    batch.push_back(ItemWrite{
        w.table->name, w.encoded.hash, w.encoded.range,
        outcome.new_item ? std::optional<std::string>(outcome.new_item->dump()) : std::nullopt});
  }
  Status s = storage_.Write(batch);
  if (!s.ok()) {
    return InternalServerError(s.message());
  }
  return Json{{"UnprocessedItems", Json::object()}};
}

// ----- transactions -----

ServiceOr<Json> DynamoDbEngine::TransactWriteItems(const Json& in) {
  if (!Has(in, "TransactItems") || !in["TransactItems"].is_array()) {
    return ValidationError(
        "1 validation error detected: Value null at 'transactItems' failed to satisfy "
        "constraint: Member must not be null");
  }
  const Json& items = in["TransactItems"];
  if (items.empty() || items.size() > 100) {
    return ValidationError(fmt::format(
        "1 validation error detected: Value '{}' at 'transactItems' failed to satisfy "
        "constraint: Member must have length {} {}",
        items.dump(), items.empty() ? "greater than or equal to" : "less than or equal to",
        items.empty() ? 1 : 100));
  }
  std::string token = in.value("ClientRequestToken", "");
  const std::string fingerprint = items.dump();
  if (!token.empty()) {
    std::lock_guard<std::mutex> lock(tokens_mu_);
    auto now = clock_.Now();
    for (auto it = tokens_.begin(); it != tokens_.end();) {
      it = now - it->second.second > std::chrono::minutes(10) ? tokens_.erase(it) : std::next(it);
    }
    auto it = tokens_.find(token);
    if (it != tokens_.end()) {
      if (it->second.first != fingerprint) {
        return ServiceError{"IdempotentParameterMismatchException",
                            "The request uses the same client token as a previous, but "
                            "non-identical request."};
      }
      return Json::object();  // Already applied: the same answer, nothing written again.
    }
  }
  std::vector<PreparedWrite> writes;
  for (const Json& t : items) {
    static const std::vector<std::pair<const char*, PreparedWrite::Kind>> kKinds = {
        {"ConditionCheck", PreparedWrite::Kind::kCheck},
        {"Put", PreparedWrite::Kind::kPut},
        {"Delete", PreparedWrite::Kind::kDelete},
        {"Update", PreparedWrite::Kind::kUpdate}};
    int found = 0;
    for (const auto& [field, kind] : kKinds) {
      if (Has(t, field)) {
        ++found;
        SERVICE_ASSIGN_OR_RETURN(PreparedWrite w, PrepareWrite(kind, t[field], true));
        writes.push_back(std::move(w));
      }
    }
    if (found != 1) {
      return ValidationError("TransactItems can only contain one of Check, Put, Update or Delete");
    }
  }
  std::set<std::pair<std::string, EncodedKey>> seen;
  for (const PreparedWrite& w : writes) {
    if (!seen.insert({w.table->name, w.encoded}).second) {
      return ValidationError("Transaction request cannot include multiple operations on one item");
    }
  }
  std::map<std::string, TablePtr> tables;
  for (const PreparedWrite& w : writes) {
    tables[w.table->name] = w.table;
  }
  std::vector<std::unique_lock<std::shared_mutex>> locks;
  for (auto& [name, table] : tables) {
    locks.emplace_back(table->mu);
    if (table->deleted) {
      return ResourceNotFound();
    }
  }
  std::vector<ItemWrite> batch;
  Json reasons = Json::array();
  std::vector<std::string> codes;
  bool cancelled = false;
  for (const PreparedWrite& w : writes) {
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, ReadItem(*w.table, w.encoded));
    auto outcome = ExecuteWrite(w, existing ? &*existing : nullptr);
    if (!outcome.ok()) {
      cancelled = true;
      const ServiceError& e = outcome.error();
      Json reason = Json::object();
      if (e.code == "ConditionalCheckFailedException") {
        reason["Code"] = "ConditionalCheckFailed";
        reason["Message"] = e.message;
        if (e.fields.contains("Item")) {
          reason["Item"] = e.fields["Item"];
        }
      } else {
        reason["Code"] = "ValidationError";
        reason["Message"] = e.message;
      }
      codes.push_back(reason["Code"].get<std::string>());
      reasons.push_back(std::move(reason));
      continue;
    }
    auto collection = CheckItemCollection(*w.table, w.encoded, outcome->new_item);
    if (!collection.ok()) {
      cancelled = true;
      codes.push_back("ItemCollectionSizeLimitExceeded");
      reasons.push_back(Json{{"Code", "ItemCollectionSizeLimitExceeded"},
                             {"Message", collection.error().message}});
      continue;
    }
    codes.push_back("None");
    reasons.push_back(Json{{"Code", "None"}});
    if (w.kind != PreparedWrite::Kind::kCheck) {
      batch.push_back(ItemWrite{w.table->name, w.encoded.hash, w.encoded.range,
                                outcome->new_item
                                    ? std::optional<std::string>(outcome->new_item->dump())
                                    : std::nullopt});
    }
  }
  if (cancelled) {
    ServiceError e{
        "TransactionCanceledException",
        "Transaction cancelled, please refer cancellation reasons for specific reasons [" +
            JoinList(codes) + "]"};
    e.fields["CancellationReasons"] = std::move(reasons);
    return e;
  }
  Status s = storage_.Write(batch);
  if (!s.ok()) {
    return InternalServerError(s.message());
  }
  if (!token.empty()) {
    std::lock_guard<std::mutex> lock(tokens_mu_);
    tokens_[token] = {fingerprint, clock_.Now()};
  }
  return Json::object();
}

ServiceOr<Json> DynamoDbEngine::TransactGetItems(const Json& in) {
  if (!Has(in, "TransactItems") || !in["TransactItems"].is_array() || in["TransactItems"].empty() ||
      in["TransactItems"].size() > 100) {
    return ValidationError(
        "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: "
        "Member must have length less than or equal to 100");
  }
  struct Get {
    TablePtr table;
    EncodedKey key;
    std::optional<std::vector<Path>> projection;
  };
  std::vector<Get> gets;
  for (const Json& t : in["TransactItems"]) {
    if (!Has(t, "Get")) {
      return ValidationError(
          "1 validation error detected: Value null at 'transactItems.1.member.get' failed to "
          "satisfy constraint: Member must not be null");
    }
    const Json& g = t["Get"];
    Get get;
    SERVICE_ASSIGN_OR_RETURN(get.table, FindTable(g, true));
    if (!Has(g, "Key")) {
      return ValidationError(
          "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member "
          "must not be null");
    }
    SERVICE_ASSIGN_OR_RETURN(get.key, EncodeKey(*get.table, g["Key"]));
    Expressions ex;
    SERVICE_RETURN_IF_ERROR(ParseExpressions(g, {"ProjectionExpression"}, {}, &ex));
    get.projection = std::move(ex.projection);
    gets.push_back(std::move(get));
  }
  std::map<std::string, TablePtr> tables;
  for (const Get& g : gets) {
    tables[g.table->name] = g.table;
  }
  std::vector<std::shared_lock<std::shared_mutex>> locks;
  for (auto& [name, table] : tables) {
    locks.emplace_back(table->mu);
    if (table->deleted) {
      return ResourceNotFound();
    }
  }
  Json responses = Json::array();
  for (const Get& g : gets) {
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> item, ReadItem(*g.table, g.key));
    Json r = Json::object();
    if (item) {
      r["Item"] = g.projection ? Project(*item, *g.projection) : std::move(*item);
    }
    responses.push_back(std::move(r));
  }
  return Json{{"Responses", responses}};
}

}  // namespace cf::cloud::dynamodb
