// ValidateParams: the checks a request's parameters pass before anything is sent.

#include <fmt/format.h>

#include "aws/codec.h"
#include "aws/protocol_util.h"

namespace cf::aws {
namespace {

using internal::CodecError;
using internal::Ref;

// Where a value sits in the parameters, built only when a message needs it: validation runs
// on every request the local cloud serves, and almost every request is valid.
struct Path {
  enum class Kind { kRoot, kMember, kIndex, kKey };
  Kind kind = Kind::kRoot;
  const Path* parent = nullptr;
  std::string_view name;  // member name or map key
  size_t index = 0;

  Path Member(std::string_view member) const { return {Kind::kMember, this, member, 0}; }
  Path Index(size_t i) const { return {Kind::kIndex, this, {}, i}; }
  Path Key(std::string_view key) const { return {Kind::kKey, this, key, 0}; }

  std::string Render() const {
    switch (kind) {
      case Kind::kRoot:
        return "";
      case Kind::kMember: {
        std::string up = parent->Render();
        return up.empty() ? std::string(name) : up + "." + std::string(name);
      }
      case Kind::kIndex:
        return fmt::format("{}[{}]", parent->Render(), index);
      case Kind::kKey:
        return fmt::format("{}[\"{}\"]", parent->Render(), name);
    }
    return "";
  }
};

std::string Where(const Path& path) {
  std::string rendered = path.Render();
  return rendered.empty() ? std::string("params") : rendered;
}

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xc0) != 0x80) {
      ++n;
    }
  }
  return n;
}

Status CheckLength(const Ref& ref, size_t length, const Path& path, const char* unit) {
  const nlohmann::json* min = ref.shape->contains("min") ? &(*ref.shape)["min"] : nullptr;
  const nlohmann::json* max = ref.shape->contains("max") ? &(*ref.shape)["max"] : nullptr;
  if (min != nullptr && min->is_number() && static_cast<double>(length) < min->get<double>()) {
    return InvalidArgumentError(
        fmt::format("{}: {} {} is below the minimum {}", Where(path), unit, length, min->dump()));
  }
  if (max != nullptr && max->is_number() && static_cast<double>(length) > max->get<double>()) {
    return InvalidArgumentError(
        fmt::format("{}: {} {} is above the maximum {}", Where(path), unit, length, max->dump()));
  }
  return OkStatus();
}

Status Validate(const ServiceModel& model, const Ref& ref, const nlohmann::json& value,
                const Path& path) {
  std::string type = ref.type();
  if (type == "structure") {
    if (ref.BoolTrait("document")) {
      return OkStatus();
    }
    if (!value.is_object()) {
      return InvalidArgumentError(fmt::format("{}: expected an object", Where(path)));
    }
    const nlohmann::json& members = ref.members();
    for (const auto& [name, member] : value.items()) {
      auto declared = members.find(name);
      if (declared == members.end()) {
        return InvalidArgumentError(fmt::format("{}: unknown member", Where(path.Member(name))));
      }
      if (member.is_null()) {
        continue;
      }
      RETURN_IF_ERROR(
          Validate(model, internal::Resolve(model, *declared), member, path.Member(name)));
    }
    if (auto it = ref.shape->find("required"); it != ref.shape->end() && it->is_array()) {
      for (const auto& required : *it) {
        const std::string& name = required.get_ref<const std::string&>();
        auto given = value.find(name);
        if (given == value.end() || given->is_null()) {
          return InvalidArgumentError(
              fmt::format("{}: missing required member", Where(path.Member(name))));
        }
      }
    }
    return OkStatus();
  }
  if (type == "list") {
    if (!value.is_array()) {
      return InvalidArgumentError(fmt::format("{}: expected a list", Where(path)));
    }
    RETURN_IF_ERROR(CheckLength(ref, value.size(), path, "item count"));
    Ref member = internal::ListMember(model, ref);
    for (size_t i = 0; i < value.size(); ++i) {
      if (value[i].is_null()) {
        continue;
      }
      RETURN_IF_ERROR(Validate(model, member, value[i], path.Index(i)));
    }
    return OkStatus();
  }
  if (type == "map") {
    if (!value.is_object()) {
      return InvalidArgumentError(fmt::format("{}: expected a map", Where(path)));
    }
    RETURN_IF_ERROR(CheckLength(ref, value.size(), path, "entry count"));
    Ref key = internal::MapKey(model, ref);
    Ref val = internal::MapValue(model, ref);
    for (const auto& [k, v] : value.items()) {
      Path here = path.Key(k);
      RETURN_IF_ERROR(Validate(model, key, nlohmann::json(k), here));
      if (!v.is_null()) {
        RETURN_IF_ERROR(Validate(model, val, v, here));
      }
    }
    return OkStatus();
  }
  if (type == "string") {
    if (!value.is_string()) {
      return InvalidArgumentError(fmt::format("{}: expected a string", Where(path)));
    }
    const std::string& s = value.get_ref<const std::string&>();
    if (auto it = ref.shape->find("enum"); it != ref.shape->end() && it->is_array()) {
      bool found = false;
      std::string allowed;
      for (const auto& e : *it) {
        found = found || e == value;
        allowed += (allowed.empty() ? "" : ", ") + e.get<std::string>();
      }
      if (!found) {
        if (allowed.size() > 300) {
          allowed = allowed.substr(0, 300) + ", ...";
        }
        return InvalidArgumentError(
            fmt::format("{}: \"{}\" is not one of {}", Where(path), s, allowed));
      }
    }
    return CheckLength(ref, CodePoints(s), path, "length");
  }
  if (type == "blob") {
    if (!value.is_string()) {
      return InvalidArgumentError(fmt::format("{}: expected a blob (string)", Where(path)));
    }
    return CheckLength(ref, value.get_ref<const std::string&>().size(), path, "length");
  }
  if (type == "integer" || type == "long" || type == "short" || type == "byte") {
    if (!value.is_number_integer()) {
      return InvalidArgumentError(fmt::format("{}: expected an integer", Where(path)));
    }
    double v = value.get<double>();
    if (auto it = ref.shape->find("min");
        it != ref.shape->end() && it->is_number() && v < it->get<double>()) {
      return InvalidArgumentError(
          fmt::format("{}: {} is below the minimum {}", Where(path), value.dump(), it->dump()));
    }
    if (auto it = ref.shape->find("max");
        it != ref.shape->end() && it->is_number() && v > it->get<double>()) {
      return InvalidArgumentError(
          fmt::format("{}: {} is above the maximum {}", Where(path), value.dump(), it->dump()));
    }
    return OkStatus();
  }
  if (type == "float" || type == "double") {
    if (value.is_number() ||
        (value.is_string() && (value == "NaN" || value == "Infinity" || value == "-Infinity"))) {
      return OkStatus();
    }
    return InvalidArgumentError(fmt::format("{}: expected a number", Where(path)));
  }
  if (type == "boolean") {
    if (!value.is_boolean()) {
      return InvalidArgumentError(fmt::format("{}: expected a boolean", Where(path)));
    }
    return OkStatus();
  }
  if (type == "timestamp") {
    try {
      internal::TimestampSeconds(value);
    } catch (const CodecError&) {
      return InvalidArgumentError(fmt::format(
          "{}: expected a timestamp (seconds since the epoch or an ISO 8601 string)", Where(path)));
    }
    return OkStatus();
  }
  return OkStatus();
}

}  // namespace

Status ValidateParams(const ServiceModel& model, std::string_view shape_name,
                      const nlohmann::json& params) {
  try {
    nlohmann::json ref = {{"shape", std::string(shape_name)}};
    Ref root = internal::Resolve(model, ref);
    return Validate(model, root, params.is_null() ? nlohmann::json::object() : params, Path{});
  } catch (const CodecError& e) {
    return InternalError(fmt::format("validating {}: {}", shape_name, e.what()));
  } catch (const nlohmann::json::exception& e) {
    return InternalError(fmt::format("validating {}: {}", shape_name, e.what()));
  }
}

}  // namespace cf::aws
