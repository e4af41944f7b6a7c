// Form fields of the query and ec2 protocols ("Filter.1.Name=tag:Name&Filter.1.Value.1=web").

#include <fmt/format.h>

#include <cctype>

#include "aws/protocol_body.h"

namespace cf::aws::internal {
namespace {

// The field name of a structure member.
std::string FieldName(const Ref& member, const std::string& name, bool ec2) {
  if (ec2) {
    std::string query_name = member.RefString("queryName");
    if (!query_name.empty()) {
      return query_name;
    }
    std::string location = member.RefString("locationName");
    if (!location.empty()) {
      location[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(location[0])));
      return location;
    }
    std::string out = name;
    out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
  }
  return member.RefString("locationName", name);
}

std::string Join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

// Whether any field is `key` or starts with `key.`.
bool HasPrefix(const std::map<std::string, std::string>& fields, const std::string& key) {
  auto it = fields.lower_bound(key);
  if (it == fields.end()) {
    return false;
  }
  if (it->first == key) {
    return true;
  }
  return it->first.size() > key.size() && it->first.compare(0, key.size(), key) == 0 &&
         it->first[key.size()] == '.';
}

// The list prefix of a flattened list member with a locationName: the last part of `prefix`
// replaced by it (query only).
std::string ListPrefix(const Ref& list, const Ref& member, const std::string& prefix, bool ec2) {
  if (ec2) {
    return prefix;
  }
  if (list.BoolTrait("flattened")) {
    std::string item_name = member.RefString("locationName");
    if (item_name.empty()) {
      return prefix;
    }
    size_t dot = prefix.rfind('.');
    return dot == std::string::npos ? item_name : prefix.substr(0, dot + 1) + item_name;
  }
  return prefix + "." + member.RefString("locationName", "member");
}

nlohmann::json ReadValue(const ServiceModel& model, const Ref& ref,
                         const std::map<std::string, std::string>& fields, const std::string& key,
                         bool ec2, bool* present);

nlohmann::json ReadStruct(const ServiceModel& model, const Ref& ref,
                          const std::map<std::string, std::string>& fields,
                          const std::string& prefix, bool ec2) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, member_ref] : ref.members().items()) {
    Ref member = Resolve(model, member_ref);
    bool present = false;
    nlohmann::json v =
        ReadValue(model, member, fields, Join(prefix, FieldName(member, name, ec2)), ec2, &present);
    if (present) {
      out[name] = std::move(v);
    }
  }
  return out;
}

nlohmann::json ReadValue(const ServiceModel& model, const Ref& ref,
                         const std::map<std::string, std::string>& fields, const std::string& key,
                         bool ec2, bool* present) {
  std::string type = ref.type();
  *present = false;
  if (type == "structure") {
    if (!HasPrefix(fields, key)) {
      return nullptr;
    }
    *present = true;
    return ReadStruct(model, ref, fields, key, ec2);
  }
  if (type == "list") {
    Ref member = ListMember(model, ref);
    if (auto it = fields.find(key); it != fields.end() && it->second.empty()) {
      *present = true;
      return nlohmann::json::array();
    }
    std::string list_prefix = ListPrefix(ref, member, key, ec2);
    nlohmann::json out = nlohmann::json::array();
    for (int i = 1;; ++i) {
      bool item_present = false;
      nlohmann::json item = ReadValue(model, member, fields, fmt::format("{}.{}", list_prefix, i),
                                      ec2, &item_present);
      if (!item_present) {
        break;
      }
      out.push_back(std::move(item));
    }
    if (out.empty()) {
      return nullptr;
    }
    *present = true;
    return out;
  }
  if (type == "map") {
    Ref k = MapKey(model, ref);
    Ref v = MapValue(model, ref);
    std::string entry_prefix = ref.BoolTrait("flattened") ? key : key + ".entry";
    std::string key_name = k.RefString("locationName", "key");
    std::string value_name = v.RefString("locationName", "value");
    nlohmann::json out = nlohmann::json::object();
    for (int i = 1;; ++i) {
      std::string entry = fmt::format("{}.{}", entry_prefix, i);
      auto kit = fields.find(entry + "." + key_name);
      if (kit == fields.end()) {
        break;
      }
      bool value_present = false;
      nlohmann::json value =
          ReadValue(model, v, fields, entry + "." + value_name, ec2, &value_present);
      if (value_present) {
        out[kit->second] = std::move(value);
      }
    }
    if (out.empty()) {
      return nullptr;
    }
    *present = true;
    return out;
  }
  auto it = fields.find(key);
  if (it == fields.end()) {
    return nullptr;
  }
  *present = true;
  return ScalarFromText(ref, it->second);
}

}  // namespace

void FormWrite(const ServiceModel& model, const Ref& ref, const nlohmann::json& value,
               const std::string& prefix, bool ec2, FormFields* out) {
  std::string type = ref.type();
  if (type == "structure") {
    if (!value.is_object()) {
      throw CodecError("expected an object for " + ref.shape_name);
    }
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
      FormWrite(model, member, member_value, Join(prefix, FieldName(member, name, ec2)), ec2, out);
    }
    return;
  }
  if (type == "list") {
    if (!value.is_array()) {
      throw CodecError("expected a list for " + ref.shape_name);
    }
    if (value.empty()) {
      if (!ec2) {
        out->emplace_back(prefix, "");
      }
      return;
    }
    Ref member = ListMember(model, ref);
    std::string list_prefix = ListPrefix(ref, member, prefix, ec2);
    int i = 1;
    for (const auto& item : value) {
      FormWrite(model, member, item, fmt::format("{}.{}", list_prefix, i++), ec2, out);
    }
    return;
  }
  if (type == "map") {
    if (!value.is_object()) {
      throw CodecError("expected a map for " + ref.shape_name);
    }
    Ref k = MapKey(model, ref);
    Ref v = MapValue(model, ref);
    std::string entry_prefix = ref.BoolTrait("flattened") ? prefix : prefix + ".entry";
    std::string key_name = k.RefString("locationName", "key");
    std::string value_name = v.RefString("locationName", "value");
    int i = 1;
    for (const auto& [key, item] : value.items()) {
      std::string entry = fmt::format("{}.{}", entry_prefix, i++);
      out->emplace_back(entry + "." + key_name, key);
      FormWrite(model, v, item, entry + "." + value_name, ec2, out);
    }
    return;
  }
  out->emplace_back(prefix,
                    ScalarToText(ref, value, TimestampFormatOf(ref, TimestampFormat::kIso8601)));
}

nlohmann::json FormRead(const ServiceModel& model, const Ref& ref,
                        const std::map<std::string, std::string>& fields, bool ec2) {
  return ReadStruct(model, ref, fields, "", ec2);
}

std::string FormEncode(const FormFields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) {
      out += '&';
    }
    out += PercentEncode(name);
    out += '=';
    out += PercentEncode(value);
  }
  return out;
}

FormFields FormDecode(std::string_view text) {
  FormFields out;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(PercentDecode(pair, true), "");
    } else {
      out.emplace_back(PercentDecode(pair.substr(0, eq), true),
                       PercentDecode(pair.substr(eq + 1), true));
    }
  }
  return out;
}

}  // namespace cf::aws::internal
