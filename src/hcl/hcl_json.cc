#include "hcl/hcl_json.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace cf::hcl {

namespace {

class Converter {
 public:
  explicit Converter(const File& file) : src_(file.source()) {}

  nlohmann::json Body(const hcl::Body* body) {
    nlohmann::json out = nlohmann::json::object();
    for (const Attribute* attr : body->attributes) {
      out[std::string(attr->name)] = Expr(attr->expr);
    }
    for (const Block* block : body->blocks) {
      nlohmann::json* cur = &out;
      std::string key(block->type);
      bool ok = true;
      for (const BlockLabel& label : block->labels) {
        nlohmann::json& slot = (*cur)[key];
        if (slot.is_null()) {
          slot = nlohmann::json::object();
        }
        if (!slot.is_object()) {
          ok = false;
          break;
        }
        cur = &slot;
        key = std::string(label.value);
      }
      if (!ok) {
        continue;
      }
      nlohmann::json& slot = (*cur)[key];
      if (slot.is_null()) {
        slot = nlohmann::json::array();
      }
      if (slot.is_array()) {
        slot.push_back(Body(block->body));
      }
    }
    return out;
  }

  nlohmann::json Expr(const Expression* e) {
    switch (e->kind) {
      case ExprKind::kLiteral:
        return Literal(Cast<LiteralExpr>(e));
      case ExprKind::kUnary: {
        const auto* u = Cast<UnaryExpr>(e);
        const auto* lit = As<LiteralExpr>(u->operand);
        if (lit != nullptr) {
          if (u->op == UnaryOp::kNegate && lit->literal_kind == LiteralKind::kNumber) {
            return ParseNumber("-" + NormalizeNumberText(lit->number_text));
          }
          if (u->op == UnaryOp::kNot && lit->literal_kind == LiteralKind::kBool) {
            return !lit->bool_value;
          }
        }
        return Wrap(e);
      }
      case ExprKind::kTemplate:
        return Template(Cast<TemplateExpr>(e));
      case ExprKind::kTemplateWrap:
        return Expr(Cast<TemplateWrapExpr>(e)->wrapped);
      case ExprKind::kTuple: {
        nlohmann::json out = nlohmann::json::array();
        for (const Expression* item : Cast<TupleExpr>(e)->elements) {
          out.push_back(Expr(item));
        }
        return out;
      }
      case ExprKind::kObject: {
        nlohmann::json out = nlohmann::json::object();
        for (const ObjectItem& item : Cast<ObjectExpr>(e)->items) {
          out[Key(item.key)] = Expr(item.value);
        }
        return out;
      }
      default:
        return Wrap(e);
    }
  }

 private:
  static nlohmann::json ParseNumber(const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      j = nlohmann::json(std::strtod(text.c_str(), nullptr));
    }
    // @cdktf/hcl2json hands numbers through JavaScript: beyond a double's range they
    // come out as null.
    if (j.is_number_float() && !std::isfinite(j.get<double>())) {
      return nullptr;
    }
    return j;
  }

  nlohmann::json Literal(const LiteralExpr* lit) {
    switch (lit->literal_kind) {
      case LiteralKind::kNumber:
        return ParseNumber(NormalizeNumberText(lit->number_text));
      case LiteralKind::kBool:
        return lit->bool_value;
      case LiteralKind::kNull:
        return nullptr;
    }
    return nullptr;
  }

  // HashiCorp's hcl2json takes the source of a range and, when the character right after
  // it is a closing parenthesis, includes that too.
  std::string Source(const Range& r) {
    size_t begin = static_cast<size_t>(r.start.byte);
    size_t end = static_cast<size_t>(r.end.byte);
    if (end > src_.size() || begin > end) {
      return {};
    }
    if (end < src_.size() && src_[end] == ')') {
      ++end;
    }
    return std::string(src_.substr(begin, end - begin));
  }

  // Literal text is printed as template text again: a literal "${" or "%{" is escaped by
  // doubling its first character, as HCL's JSON syntax expects.
  static void AppendEscaped(std::string* out, std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if ((c == '$' || c == '%') && i + 1 < text.size() && text[i + 1] == '{') {
        out->push_back(c);
      }
      out->push_back(c);
    }
  }

  std::string Wrap(const Expression* e) { return "${" + Source(e->range) + "}"; }

  std::string Template(const TemplateExpr* t) {
    std::string out;
    for (const TemplatePart* p : t->parts) {
      switch (p->kind) {
        case TemplatePartKind::kLiteral:
          AppendEscaped(&out, static_cast<const TemplateLiteralPart*>(p)->text);
          break;
        case TemplatePartKind::kInterpolation:
          out += StringPart(static_cast<const TemplateInterpolationPart*>(p)->expr);
          break;
        case TemplatePartKind::kIf: {
          const auto* part = static_cast<const TemplateIfPart*>(p);
          out += Conditional(part->condition, Template(part->then_body),
                             part->else_body != nullptr ? Template(part->else_body) : "");
          break;
        }
        case TemplatePartKind::kFor: {
          const auto* part = static_cast<const TemplateForPart*>(p);
          out += "%{for ";
          if (!part->key_var.empty()) {
            out += part->key_var;
            out += ", ";
          }
          out += part->value_var;
          out += " in ";
          out += Source(part->collection->range);
          out += "}";
          out += Template(part->body);
          out += "%{endfor}";
          break;
        }
      }
    }
    return out;
  }

  std::string Conditional(const Expression* cond, const std::string& t, const std::string& f) {
    std::string out = "%{if " + Source(cond->range) + "}" + t;
    if (!f.empty()) {
      out += "%{else}" + f;
    }
    out += "%{endif}";
    return out;
  }

  std::string StringPart(const Expression* e) {
    switch (e->kind) {
      case ExprKind::kLiteral: {
        const auto* lit = Cast<LiteralExpr>(e);
        switch (lit->literal_kind) {
          case LiteralKind::kNumber:
            return NormalizeNumberText(lit->number_text);
          case LiteralKind::kBool:
            return lit->bool_value ? "true" : "false";
          case LiteralKind::kNull:
            return "";
        }
        return "";
      }
      case ExprKind::kTemplate:
        return Template(Cast<TemplateExpr>(e));
      case ExprKind::kTemplateWrap:
        return StringPart(Cast<TemplateWrapExpr>(e)->wrapped);
      case ExprKind::kConditional: {
        const auto* c = Cast<ConditionalExpr>(e);
        return Conditional(c->condition, StringPart(c->true_expr), StringPart(c->false_expr));
      }
      default:
        return Wrap(e);
    }
  }

  std::string Key(const Expression* key) {
    if (IsStaticTraversal(key)) {
      return Source(key->range);
    }
    return StringPart(key);
  }

  std::string_view src_;
};

}  // namespace

std::string NormalizeNumberText(std::string_view text) {
  std::string digits;
  int point = 0;  // Position of the decimal point within `digits`.
  size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    digits.push_back(text[i++]);
  }
  point = static_cast<int>(digits.size());
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      digits.push_back(text[i++]);
    }
  }
  long exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      negative = text[i] == '-';
      ++i;
    }
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (exponent < 100000) {
        exponent = exponent * 10 + (text[i] - '0');
      }
      ++i;
    }
    if (negative) {
      exponent = -exponent;
    }
  }
  // Strip leading zeros (adjusting the point) and trailing zeros.
  size_t lead = 0;
  while (lead < digits.size() && digits[lead] == '0') {
    ++lead;
  }
  if (lead == digits.size()) {
    return "0";
  }
  digits.erase(0, lead);
  point -= static_cast<int>(lead);
  while (!digits.empty() && digits.back() == '0') {
    digits.pop_back();
  }
  long p = point + exponent;
  if (p > 4000 || p < -4000) {
    // Beyond any real configuration: fall back to the double's text.
    return std::to_string(std::strtod(std::string(text).c_str(), nullptr));
  }
  long n = static_cast<long>(digits.size());
  if (p <= 0) {
    return "0." + std::string(static_cast<size_t>(-p), '0') + digits;
  }
  if (p >= n) {
    return digits + std::string(static_cast<size_t>(p - n), '0');
  }
  return digits.substr(0, static_cast<size_t>(p)) + "." + digits.substr(static_cast<size_t>(p));
}

nlohmann::json BodyToHclJson(const File& file) {
  Converter c(file);
  return c.Body(file.body());
}

nlohmann::json ExpressionToHclJson(const File& file, const Expression* expr) {
  Converter c(file);
  return c.Expr(expr);
}

}  // namespace cf::hcl
