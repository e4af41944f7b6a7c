// XML bodies: query and ec2 responses, rest-xml requests and responses.

#include <fmt/format.h>

#include <sstream>
#include <unordered_map>

#include "aws/protocol_body.h"

namespace cf::aws::internal {
namespace {

std::string_view LocalName(std::string_view name) {
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

void AddNamespace(const Ref& ref, pugi::xml_node node) {
  const nlohmann::json* ns = ref.Trait("xmlNamespace");
  if (ns == nullptr) {
    return;
  }
  std::string uri;
  std::string prefix;
  if (ns->is_string()) {
    uri = ns->get<std::string>();
  } else if (ns->is_object()) {
    uri = ns->value("uri", "");
    prefix = ns->value("prefix", "");
  }
  std::string attr = prefix.empty() ? "xmlns" : "xmlns:" + prefix;
  if (!node.attribute(attr.c_str())) {
    node.append_attribute(attr.c_str()) = uri.c_str();
  }
}

std::string MemberName(const Ref& member, const std::string& name) {
  return member.RefString("locationName", name);
}

std::vector<pugi::xml_node> Children(pugi::xml_node node, std::string_view name) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && LocalName(child.name()) == name) {
      out.push_back(child);
    }
  }
  return out;
}

nlohmann::json ReadMapEntry(const ServiceModel& model, const Ref& key, const Ref& value,
                            pugi::xml_node entry, nlohmann::json* out) {
  pugi::xml_node k = XmlChild(entry, key.RefString("locationName", "key"));
  pugi::xml_node v = XmlChild(entry, value.RefString("locationName", "value"));
  if (!k) {
    throw CodecError("map entry without a key");
  }
  std::string key_text = k.child_value();
  if (v) {
    (*out)[key_text] = XmlRead(model, value, v);
  }
  return *out;
}

}  // namespace

bool BoundOutsideBody(const Ref& member, bool request) {
  std::string location = member.RefString("location");
  if (location.empty()) {
    return false;
  }
  if (location == "uri" || location == "querystring") {
    return request;
  }
  return true;
}

pugi::xml_node XmlChild(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && LocalName(child.name()) == name) {
      return child;
    }
  }
  return pugi::xml_node();
}

std::string XmlToString(const pugi::xml_document& doc, bool declaration) {
  std::ostringstream out;
  unsigned flags = pugi::format_raw;
  if (!declaration) {
    flags |= pugi::format_no_declaration;
  }
  doc.save(out, "", flags, pugi::encoding_utf8);
  // A raw carriage return would read back as a line feed (XML end-of-line handling).
  std::string text = out.str();
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    if (c == '\r') {
      escaped += "&#13;";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

void XmlWriteMembers(const ServiceModel& model, const Ref& ref, const nlohmann::json& value,
                     pugi::xml_node node, bool request) {
  if (!value.is_object()) {
    throw CodecError("expected an object for " + ref.shape_name);
  }
  AddNamespace(ref, node);
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
    std::string wire = MemberName(member, name);
    if (member.RefBool("xmlAttribute")) {
      std::string text =
          ScalarToText(member, member_value, TimestampFormatOf(member, TimestampFormat::kIso8601));
      node.append_attribute(wire.c_str()) = text.c_str();
      continue;
    }
    XmlWrite(model, member, member_value, node, wire, request);
  }
}

void XmlWrite(const ServiceModel& model, const Ref& ref, const nlohmann::json& value,
              pugi::xml_node parent, const std::string& name, bool request) {
  std::string type = ref.type();
  if (type == "structure") {
    pugi::xml_node node = parent.append_child(name.c_str());
    XmlWriteMembers(model, ref, value, node, request);
    return;
  }
  if (type == "list") {
    if (!value.is_array()) {
      throw CodecError("expected a list for " + ref.shape_name);
    }
    Ref member = ListMember(model, ref);
    if (ref.BoolTrait("flattened")) {
      // In answers, items are named by the list member's locationName when it has one
      // (SQS's <Message>, <QueueUrl>), as botocore's parsers read them; requests (and
      // botocore's serializers) use the member's own name.
      std::string item_name = request ? name : member.RefString("locationName", name);
      for (const auto& item : value) {
        XmlWrite(model, member, item, parent, item_name, request);
      }
      return;
    }
    pugi::xml_node node = parent.append_child(name.c_str());
    AddNamespace(ref, node);
    std::string item_name = member.RefString("locationName", "member");
    for (const auto& item : value) {
      XmlWrite(model, member, item, node, item_name, request);
    }
    return;
  }
  if (type == "map") {
    if (!value.is_object()) {
      throw CodecError("expected a map for " + ref.shape_name);
    }
    Ref key = MapKey(model, ref);
    Ref val = MapValue(model, ref);
    std::string key_name = key.RefString("locationName", "key");
    std::string value_name = val.RefString("locationName", "value");
    bool flattened = ref.BoolTrait("flattened");
    pugi::xml_node holder;
    if (!flattened) {
      holder = parent.append_child(name.c_str());
      AddNamespace(ref, holder);
    }
    for (const auto& [k, v] : value.items()) {
      pugi::xml_node entry =
          flattened ? parent.append_child(name.c_str()) : holder.append_child("entry");
      XmlWrite(model, key, k, entry, key_name, request);
      XmlWrite(model, val, v, entry, value_name, request);
    }
    return;
  }
  pugi::xml_node node = parent.append_child(name.c_str());
  AddNamespace(ref, node);
  std::string text = ScalarToText(ref, value, TimestampFormatOf(ref, TimestampFormat::kIso8601));
  node.append_child(pugi::node_pcdata).set_value(text.c_str());
}

nlohmann::json XmlReadMembers(const ServiceModel& model, const Ref& ref, pugi::xml_node node,
                              bool request) {
  // Children by local name, built once: a shape has many members, an element many children.
  std::unordered_map<std::string_view, std::vector<pugi::xml_node>> children;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element) {
      children[LocalName(child.name())].push_back(child);
    }
  }
  auto named = [&](const std::string& name) -> const std::vector<pugi::xml_node>& {
    static const std::vector<pugi::xml_node> kNone;
    auto it = children.find(name);
    return it == children.end() ? kNone : it->second;
  };
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, member_ref] : ref.members().items()) {
    Ref member = Resolve(model, member_ref);
    if (BoundOutsideBody(member, request)) {
      continue;
    }
    std::string wire = MemberName(member, name);
    if (member.RefBool("xmlAttribute")) {
      pugi::xml_attribute attr = node.attribute(wire.c_str());
      if (attr) {
        out[name] = ScalarFromText(member, attr.value());
      }
      continue;
    }
    std::string type = member.type();
    if (type == "list" && member.BoolTrait("flattened")) {
      Ref item = ListMember(model, member);
      std::string item_name = item.RefString("locationName", "");
      std::vector<pugi::xml_node> nodes = named(wire);
      if (nodes.empty() && !item_name.empty()) {
        nodes = named(item_name);
      }
      if (nodes.empty()) {
        continue;
      }
      nlohmann::json list = nlohmann::json::array();
      for (pugi::xml_node child : nodes) {
        list.push_back(XmlRead(model, item, child));
      }
      out[name] = std::move(list);
      continue;
    }
    if (type == "map" && member.BoolTrait("flattened")) {
      const std::vector<pugi::xml_node>& nodes = named(wire);
      if (nodes.empty()) {
        continue;
      }
      Ref key = MapKey(model, member);
      Ref val = MapValue(model, member);
      nlohmann::json map = nlohmann::json::object();
      for (pugi::xml_node entry : nodes) {
        ReadMapEntry(model, key, val, entry, &map);
      }
      out[name] = std::move(map);
      continue;
    }
    const std::vector<pugi::xml_node>& found = named(wire);
    if (!found.empty()) {
      out[name] = XmlRead(model, member, found.front());
    }
  }
  return out;
}

nlohmann::json XmlRead(const ServiceModel& model, const Ref& ref, pugi::xml_node node) {
  std::string type = ref.type();
  if (type == "structure") {
    return XmlReadMembers(model, ref, node);
  }
  if (type == "list") {
    Ref item = ListMember(model, ref);
    std::string item_name = item.RefString("locationName", "member");
    nlohmann::json list = nlohmann::json::array();
    for (pugi::xml_node child : Children(node, item_name)) {
      list.push_back(XmlRead(model, item, child));
    }
    return list;
  }
  if (type == "map") {
    Ref key = MapKey(model, ref);
    Ref val = MapValue(model, ref);
    nlohmann::json map = nlohmann::json::object();
    for (pugi::xml_node entry : Children(node, "entry")) {
      ReadMapEntry(model, key, val, entry, &map);
    }
    return map;
  }
  std::string text;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
    }
  }
  if (type == "timestamp" || type == "integer" || type == "long" || type == "float" ||
      type == "double" || type == "boolean") {
    size_t b = text.find_first_not_of(" \t\r\n");
    size_t e = text.find_last_not_of(" \t\r\n");
    text = b == std::string::npos ? "" : text.substr(b, e - b + 1);
  }
  return ScalarFromText(ref, text);
}

}  // namespace cf::aws::internal
