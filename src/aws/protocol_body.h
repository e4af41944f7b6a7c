#pragma once

// Body formats shared by the protocols (internal to src/aws): a shape's value as JSON (json,
// rest-json), as XML (query and ec2 responses, rest-xml) and as form fields (query and ec2
// requests). Writers turn a tree value into the wire form; readers do the reverse. Members
// bound elsewhere (a "location": header, uri, querystring, statusCode) are skipped. All
// throw internal::CodecError on values that do not fit their shape.

#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <utility>
#include <vector>

#include "aws/model.h"
#include "aws/protocol_util.h"

namespace cf::aws::internal {

// JSON bodies. Timestamps default to epoch seconds, blobs are base64.
nlohmann::json JsonWrite(const ServiceModel& model, const Ref& ref, const nlohmann::json& value,
                         bool request = true);
nlohmann::json JsonRead(const ServiceModel& model, const Ref& ref, const nlohmann::json& wire,
                        bool request = true);

// XML bodies. Timestamps default to ISO 8601, blobs are base64.
// Appends the element `name` holding `value` to `parent` (several for flattened lists/maps).
// `request`: writing a request (false: an answer; the two name flattened list items
// differently).
void XmlWrite(const ServiceModel& model, const Ref& ref, const nlohmann::json& value,
              pugi::xml_node parent, const std::string& name, bool request = true);
// Writes a structure's members (and xmlAttribute members, xmlNamespace) into `node`.
void XmlWriteMembers(const ServiceModel& model, const Ref& ref, const nlohmann::json& value,
                     pugi::xml_node node, bool request = true);
// The value held by element `node`.
nlohmann::json XmlRead(const ServiceModel& model, const Ref& ref, pugi::xml_node node);
// A structure's members read from the children (and attributes) of `node`.
nlohmann::json XmlReadMembers(const ServiceModel& model, const Ref& ref, pugi::xml_node node,
                              bool request = true);
// The first child of `node` whose local name (namespace prefix dropped) is `name`.
pugi::xml_node XmlChild(pugi::xml_node node, std::string_view name);
// The document as text, with an XML declaration when `declaration`.
std::string XmlToString(const pugi::xml_document& doc, bool declaration = false);

// Whether `member` is bound outside the body (see above).
bool BoundOutsideBody(const Ref& member, bool request);

// Form fields of the query and ec2 protocols, in order.
using FormFields = std::vector<std::pair<std::string, std::string>>;
void FormWrite(const ServiceModel& model, const Ref& ref, const nlohmann::json& value,
               const std::string& prefix, bool ec2, FormFields* out);
// Reads a structure from fields keyed by their full names.
nlohmann::json FormRead(const ServiceModel& model, const Ref& ref,
                        const std::map<std::string, std::string>& fields, bool ec2);
// "a=1&b=2" with RFC 3986 escaping, and the inverse ('+' read as space).
std::string FormEncode(const FormFields& fields);
FormFields FormDecode(std::string_view text);

}  // namespace cf::aws::internal
