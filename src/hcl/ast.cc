#include "hcl/ast.h"

namespace cf::hcl {

bool TemplateExpr::IsStringLiteral() const {
  for (const TemplatePart* p : parts) {
    if (p->kind != TemplatePartKind::kLiteral) {
      return false;
    }
  }
  return parts.size() <= 1;
}

std::string_view TemplateExpr::LiteralText() const {
  if (parts.size() == 1 && parts[0]->kind == TemplatePartKind::kLiteral) {
    return static_cast<const TemplateLiteralPart*>(parts[0])->text;
  }
  return {};
}

std::string_view BinaryOpSymbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return "||";
    case BinaryOp::kAnd:
      return "&&";
    case BinaryOp::kEqual:
      return "==";
    case BinaryOp::kNotEqual:
      return "!=";
    case BinaryOp::kGreater:
      return ">";
    case BinaryOp::kGreaterOrEqual:
      return ">=";
    case BinaryOp::kLess:
      return "<";
    case BinaryOp::kLessOrEqual:
      return "<=";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSubtract:
      return "-";
    case BinaryOp::kMultiply:
      return "*";
    case BinaryOp::kDivide:
      return "/";
    case BinaryOp::kModulo:
      return "%";
  }
  return "?";
}

bool IsStaticTraversal(const Expression* e) {
  while (e != nullptr) {
    switch (e->kind) {
      case ExprKind::kVariable:
        return true;
      case ExprKind::kGetAttr:
        e = Cast<GetAttrExpr>(e)->object;
        break;
      case ExprKind::kIndex: {
        const auto* index = Cast<IndexExpr>(e);
        const Expression* key = index->key;
        bool literal =
            key->kind == ExprKind::kLiteral ||
            (key->kind == ExprKind::kTemplate && Cast<TemplateExpr>(key)->IsStringLiteral());
        if (!literal) {
          return false;
        }
        e = index->collection;
        break;
      }
      default:
        return false;
    }
  }
  return false;
}

}  // namespace cf::hcl
