// JSON bodies of the json and rest-json protocols.

#include <fmt/format.h>

#include "aws/protocol_body.h"

namespace cf::aws::internal {
namespace {

// A query model's locationNames are form and XML names; asked in JSON (awsQueryCompatible
// clients), its members go by their own names.
std::string WireName(const ServiceModel& model, const Ref& member, const std::string& name) {
  if (model.protocol() == Protocol::kQuery || model.protocol() == Protocol::kEc2) {
    return name;
  }
  return member.RefString("locationName", name);
}

}  // namespace

nlohmann::json JsonWrite(const ServiceModel& model, const Ref& ref, const nlohmann::json& value,
                         bool request) {
  std::string type = ref.type();
  if (type == "structure") {
    if (ref.BoolTrait("document")) {
      return value;
    }
    if (!value.is_object()) {
      throw CodecError("expected an object for " + ref.shape_name);
    }
    nlohmann::json out = nlohmann::json::object();
    const nlohmann::json& members = ref.members();
    for (const auto& [name, member_value] : value.items()) {
      if (member_value.is_null()) {
        continue;
      }
      auto it = members.find(name);
      if (it == members.end()) {
        throw CodecError(fmt::format("{} has no member {}", ref.shape_name, name));
      }
      Ref member = Resolve(model, *it);
      if (BoundOutsideBody(member, request)) {
        continue;
      }
      out[WireName(model, member, name)] = JsonWrite(model, member, member_value);
    }
    return out;
  }
  if (type == "list") {
    if (!value.is_array()) {
      throw CodecError("expected a list for " + ref.shape_name);
    }
    Ref member = ListMember(model, ref);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : value) {
      out.push_back(item.is_null() ? item : JsonWrite(model, member, item));
    }
    return out;
  }
  if (type == "map") {
    if (!value.is_object()) {
      throw CodecError("expected a map for " + ref.shape_name);
    }
    Ref val = MapValue(model, ref);
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : value.items()) {
      out[k] = v.is_null() ? v : JsonWrite(model, val, v);
    }
    return out;
  }
  if (type == "blob") {
    if (!value.is_string()) {
      throw CodecError("expected a blob string for " + ref.shape_name);
    }
    return Base64Encode(value.get<std::string>());
  }
  if (type == "timestamp") {
    double seconds = TimestampSeconds(value);
    TimestampFormat format = TimestampFormatOf(ref, TimestampFormat::kUnix);
    if (format == TimestampFormat::kUnix) {
      return TimestampValue(seconds);
    }
    return FormatTimestamp(seconds, format);
  }
  return value;
}

nlohmann::json JsonRead(const ServiceModel& model, const Ref& ref, const nlohmann::json& wire,
                        bool request) {
  std::string type = ref.type();
  if (type == "structure") {
    if (ref.BoolTrait("document")) {
      return wire;
    }
    if (!wire.is_object()) {
      throw CodecError("expected a JSON object for " + ref.shape_name);
    }
    nlohmann::json out = nlohmann::json::object();
    const nlohmann::json& members = ref.members();
    // Fast path for sparse structures (an AttributeValue sets one of its ten members): walk
    // the wire's keys when each names its member directly; otherwise walk the model.
    if (wire.size() * 2 < members.size()) {
      bool direct = true;
      for (const auto& [key, value] : wire.items()) {
        auto it = members.find(key);
        if (it == members.end()) {
          direct = false;
          break;
        }
        Ref member = Resolve(model, *it);
        if (BoundOutsideBody(member, request) || WireName(model, member, key) != key) {
          direct = false;
          break;
        }
        if (!value.is_null()) {
          out[key] = JsonRead(model, member, value);
        }
      }
      if (direct) {
        return out;
      }
      out = nlohmann::json::object();
    }
    for (const auto& [name, member_ref] : members.items()) {
      Ref member = Resolve(model, member_ref);
      if (BoundOutsideBody(member, request)) {
        continue;
      }
      auto it = wire.find(WireName(model, member, name));
      if (it == wire.end() || it->is_null()) {
        continue;
      }
      out[name] = JsonRead(model, member, *it);
    }
    return out;
  }
  if (type == "list") {
    if (!wire.is_array()) {
      throw CodecError("expected a JSON array for " + ref.shape_name);
    }
    Ref member = ListMember(model, ref);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : wire) {
      out.push_back(item.is_null() ? item : JsonRead(model, member, item));
    }
    return out;
  }
  if (type == "map") {
    if (!wire.is_object()) {
      throw CodecError("expected a JSON object for map " + ref.shape_name);
    }
    Ref val = MapValue(model, ref);
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : wire.items()) {
      if (!v.is_null()) {
        out[k] = JsonRead(model, val, v);
      }
    }
    return out;
  }
  if (type == "blob") {
    if (!wire.is_string()) {
      throw CodecError("expected a base64 string for " + ref.shape_name);
    }
    return Base64Decode(wire.get<std::string>());
  }
  if (type == "timestamp") {
    if (wire.is_number()) {
      return TimestampValue(wire.get<double>());
    }
    if (wire.is_string()) {
      return TimestampValue(ParseTimestamp(wire.get<std::string>()));
    }
    throw CodecError("expected a timestamp for " + ref.shape_name);
  }
  if (type == "integer" || type == "long" || type == "short" || type == "byte") {
    if (!wire.is_number_integer()) {
      throw CodecError("expected an integer for " + ref.shape_name);
    }
    return wire;
  }
  return wire;
}

}  // namespace cf::aws::internal
