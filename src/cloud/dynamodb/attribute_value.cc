#include "cloud/dynamodb/attribute_value.h"

#include <algorithm>
#include <set>
#include <vector>

#include "cloud/dynamodb/decimal.h"

namespace cf::cloud::dynamodb {
namespace {

constexpr std::string_view kTypes[] = {"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"};

std::string JoinStrings(const Json& array) {
  std::string out = "[";
  bool first = true;
  for (const Json& e : array) {
    if (!first) {
      out += ", ";
    }
    first = false;
    out += e.is_string() ? e.get<std::string>() : e.dump();
  }
  return out + "]";
}

std::optional<std::string> CanonicalNumber(Json& n) {
  if (!n.is_string()) {
    return std::string("The parameter cannot be converted to a numeric value");
  }
  std::string error;
  auto d = Decimal::Parse(n.get_ref<const std::string&>(), &error);
  if (!d) {
    return error;
  }
  n = d->ToString();
  return std::nullopt;
}

int CompareBytes(std::string_view a, std::string_view b) {
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

std::string_view TypeOf(const Json& value) {
  if (!value.is_object() || value.size() != 1) {
    return "";
  }
  const std::string& key = value.begin().key();
  for (std::string_view t : kTypes) {
    if (key == t) {
      return t;
    }
  }
  return "";
}

std::optional<std::string> ValidateValue(Json& value) {
  if (!value.is_object() || value.empty()) {
    return std::string(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  if (value.size() > 1) {
    return std::string(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
        "the supported datatypes");
  }
  const std::string type = value.begin().key();
  Json& v = value.begin().value();
  auto wrong = [&]() -> std::optional<std::string> {
    return "Supplied AttributeValue has an invalid value for datatype " + type;
  };
  if (type == "S") {
    if (!v.is_string()) {
      return wrong();
    }
  } else if (type == "N") {
    return CanonicalNumber(v);
  } else if (type == "B") {
    if (!v.is_string() || !DecodeBase64(v.get_ref<const std::string&>())) {
      return wrong();
    }
  } else if (type == "BOOL") {
    if (!v.is_boolean()) {
      return wrong();
    }
  } else if (type == "NULL") {
    if (!v.is_boolean() || !v.get<bool>()) {
      return std::string(
          "One or more parameter values were invalid: Null attribute value types must have the "
          "value of true");
    }
  } else if (type == "SS" || type == "NS" || type == "BS") {
    if (!v.is_array()) {
      return wrong();
    }
    if (v.empty()) {
      if (type == "SS") {
        return std::string(
            "One or more parameter values were invalid: An string set  may not be empty");
      }
      if (type == "NS") {
        return std::string(
            "One or more parameter values were invalid: An number set  may not be empty");
      }
      return std::string(
          "One or more parameter values were invalid: Binary sets should not be empty");
    }
    std::set<std::string> seen;
    for (Json& e : v) {
      if (!e.is_string()) {
        return wrong();
      }
      if (type == "NS") {
        if (auto err = CanonicalNumber(e)) {
          return err;
        }
      } else if (type == "BS" && !DecodeBase64(e.get_ref<const std::string&>())) {
        return wrong();
      }
      if (!seen.insert(e.get<std::string>()).second) {
        if (type == "SS") {
          return "One or more parameter values were invalid: Input collection " + JoinStrings(v) +
                 " contains duplicates.";
        }
        if (type == "NS") {
          return std::string("Input collection contains duplicates");
        }
        return "One or more parameter values were invalid: Input collection " + JoinStrings(v) +
               "of type BS contains duplicates.";
      }
    }
  } else if (type == "L") {
    if (!v.is_array()) {
      return wrong();
    }
    for (Json& e : v) {
      if (auto err = ValidateValue(e)) {
        return err;
      }
    }
  } else if (type == "M") {
    if (!v.is_object()) {
      return wrong();
    }
    for (auto& [k, e] : v.items()) {
      if (auto err = ValidateValue(e)) {
        return err;
      }
    }
  } else {
    return std::string(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  return std::nullopt;
}

std::optional<std::string> ValidateItem(Json& item) {
  if (!item.is_object()) {
    return std::string("One or more parameter values were invalid: the item is not a map");
  }
  for (auto& [name, value] : item.items()) {
    if (auto err = ValidateValue(value)) {
      return err;
    }
  }
  return std::nullopt;
}

bool ValuesEqual(const Json& a, const Json& b) {
  std::string_view ta = TypeOf(a);
  if (ta.empty() || ta != TypeOf(b)) {
    return false;
  }
  const Json& va = a.begin().value();
  const Json& vb = b.begin().value();
  if (ta == "N") {
    return CompareScalars(a, b) == 0;
  }
  if (ta == "B") {
    return DecodeBase64(va.get<std::string>()) == DecodeBase64(vb.get<std::string>());
  }
  if (ta == "SS" || ta == "NS" || ta == "BS") {
    if (va.size() != vb.size()) {
      return false;
    }
    std::set<std::string> sa;
    std::set<std::string> sb;
    for (const Json& e : va) {
      std::string s = e.get<std::string>();
      sa.insert(ta == "BS" ? DecodeBase64(s).value_or(s) : s);
    }
    for (const Json& e : vb) {
      std::string s = e.get<std::string>();
      sb.insert(ta == "BS" ? DecodeBase64(s).value_or(s) : s);
    }
    if (ta == "NS") {
      // Stored numbers are canonical, but compare numerically to be safe.
      std::string error;
      std::vector<Decimal> da;
      std::vector<Decimal> db;
      for (const auto& s : sa) {
        da.push_back(Decimal::Parse(s, &error).value_or(Decimal()));
      }
      for (const auto& s : sb) {
        db.push_back(Decimal::Parse(s, &error).value_or(Decimal()));
      }
      std::sort(da.begin(), da.end());
      std::sort(db.begin(), db.end());
      return da == db;
    }
    return sa == sb;
  }
  if (ta == "L") {
    if (va.size() != vb.size()) {
      return false;
    }
    for (size_t i = 0; i < va.size(); ++i) {
      if (!ValuesEqual(va[i], vb[i])) {
        return false;
      }
    }
    return true;
  }
  if (ta == "M") {
    if (va.size() != vb.size()) {
      return false;
    }
    for (auto it = va.begin(); it != va.end(); ++it) {
      auto other = vb.find(it.key());
      if (other == vb.end() || !ValuesEqual(*it, *other)) {
        return false;
      }
    }
    return true;
  }
  return va == vb;
}

std::optional<int> CompareScalars(const Json& a, const Json& b) {
  std::string_view ta = TypeOf(a);
  if (ta.empty() || ta != TypeOf(b)) {
    return std::nullopt;
  }
  const Json& va = a.begin().value();
  const Json& vb = b.begin().value();
  if (ta == "S") {
    return CompareBytes(va.get_ref<const std::string&>(), vb.get_ref<const std::string&>());
  }
  if (ta == "N") {
    std::string error;
    auto da = Decimal::Parse(va.get_ref<const std::string&>(), &error);
    auto db = Decimal::Parse(vb.get_ref<const std::string&>(), &error);
    if (!da || !db) {
      return std::nullopt;
    }
    auto order = *da <=> *db;
    return order < 0 ? -1 : (order > 0 ? 1 : 0);
  }
  if (ta == "B") {
    auto ba = DecodeBase64(va.get_ref<const std::string&>());
    auto bb = DecodeBase64(vb.get_ref<const std::string&>());
    if (!ba || !bb) {
      return std::nullopt;
    }
    return CompareBytes(*ba, *bb);
  }
  return std::nullopt;
}

size_t ValueSize(const Json& value) {
  std::string_view t = TypeOf(value);
  if (t.empty()) {
    return 0;
  }
  const Json& v = value.begin().value();
  if (t == "S") {
    return v.get_ref<const std::string&>().size();
  }
  if (t == "N") {
    std::string error;
    auto d = Decimal::Parse(v.get_ref<const std::string&>(), &error);
    return d ? d->StorageSize() : v.get_ref<const std::string&>().size();
  }
  if (t == "B") {
    return DecodeBase64(v.get_ref<const std::string&>()).value_or("").size();
  }
  if (t == "BOOL" || t == "NULL") {
    return 1;
  }
  if (t == "SS" || t == "NS" || t == "BS") {
    size_t sum = 0;
    std::string element_type(t.substr(0, 1));
    for (const Json& e : v) {
      sum += ValueSize(Json{{element_type, e}});
    }
    return sum;
  }
  if (t == "L") {
    size_t sum = 3;
    for (const Json& e : v) {
      sum += 1 + ValueSize(e);
    }
    return sum;
  }
  // M: like an item, plus 3 bytes and one per element.
  size_t sum = 3 + v.size();
  for (auto it = v.begin(); it != v.end(); ++it) {
    sum += it.key().size() + ValueSize(*it);
  }
  return sum;
}

size_t ItemSize(const Json& item) {
  size_t sum = 0;
  for (auto it = item.begin(); it != item.end(); ++it) {
    sum += it.key().size() + ValueSize(*it);
  }
  return sum;
}

std::string EncodeKeyValue(const Json& value) {
  std::string_view t = TypeOf(value);
  const Json& v = value.begin().value();
  if (t == "S") {
    return v.get<std::string>();
  }
  if (t == "N") {
    std::string error;
    auto d = Decimal::Parse(v.get_ref<const std::string&>(), &error);
    return d ? d->SortableEncoding() : std::string();
  }
  if (t == "B") {
    return DecodeBase64(v.get_ref<const std::string&>()).value_or("");
  }
  return std::string();
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  auto decode_char = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    if (c == '+' || c == '-') {
      return 62;
    }
    if (c == '/' || c == '_') {
      return 63;
    }
    return -1;
  };
  while (!text.empty() && text.back() == '=') {
    text.remove_suffix(1);
  }
  if (text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int d = decode_char(c);
    if (d < 0) {
      return std::nullopt;
    }
    buffer = (buffer << 6) | static_cast<unsigned>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace cf::cloud::dynamodb
