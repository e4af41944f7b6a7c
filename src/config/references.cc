#include "config/references.h"

namespace cf::config {

namespace {

class Finder {
 public:
  explicit Finder(std::vector<Reference>& out) : out_(out) {}

  void Visit(const hcl::Expression* e) {
    if (e == nullptr) {
      return;
    }
    using hcl::ExprKind;
    switch (e->kind) {
      case ExprKind::kInvalid:
      case ExprKind::kLiteral:
      case ExprKind::kSplatItem:
        return;
      case ExprKind::kVariable:
        return;  // A bare root name (var, local) without an attribute names nothing.
      case ExprKind::kTemplate:
        VisitTemplate(hcl::Cast<hcl::TemplateExpr>(e));
        return;
      case ExprKind::kTemplateWrap:
        Visit(hcl::Cast<hcl::TemplateWrapExpr>(e)->wrapped);
        return;
      case ExprKind::kGetAttr: {
        const auto* g = hcl::Cast<hcl::GetAttrExpr>(e);
        if (const auto* root = hcl::As<hcl::VariableExpr>(g->object)) {
          Add(root->name, g->name, g->range);
          return;
        }
        Visit(g->object);
        return;
      }
      case ExprKind::kIndex: {
        const auto* i = hcl::Cast<hcl::IndexExpr>(e);
        Visit(i->collection);
        Visit(i->key);
        return;
      }
      case ExprKind::kSplat: {
        const auto* s = hcl::Cast<hcl::SplatExpr>(e);
        Visit(s->source);
        Visit(s->each);
        return;
      }
      case ExprKind::kFunctionCall:
        for (const hcl::Expression* arg : hcl::Cast<hcl::FunctionCallExpr>(e)->args) {
          Visit(arg);
        }
        return;
      case ExprKind::kTuple:
        for (const hcl::Expression* element : hcl::Cast<hcl::TupleExpr>(e)->elements) {
          Visit(element);
        }
        return;
      case ExprKind::kObject:
        for (const hcl::ObjectItem& item : hcl::Cast<hcl::ObjectExpr>(e)->items) {
          if (hcl::As<hcl::VariableExpr>(item.key) == nullptr) {
            Visit(item.key);
          }
          Visit(item.value);
        }
        return;
      case ExprKind::kFor: {
        const auto* f = hcl::Cast<hcl::ForExpr>(e);
        Visit(f->collection);
        Visit(f->key_expr);
        Visit(f->value_expr);
        Visit(f->condition);
        return;
      }
      case ExprKind::kUnary:
        Visit(hcl::Cast<hcl::UnaryExpr>(e)->operand);
        return;
      case ExprKind::kBinary: {
        const auto* b = hcl::Cast<hcl::BinaryExpr>(e);
        Visit(b->lhs);
        Visit(b->rhs);
        return;
      }
      case ExprKind::kConditional: {
        const auto* c = hcl::Cast<hcl::ConditionalExpr>(e);
        Visit(c->condition);
        Visit(c->true_expr);
        Visit(c->false_expr);
        return;
      }
      case ExprKind::kParens:
        Visit(hcl::Cast<hcl::ParensExpr>(e)->inner);
        return;
    }
  }

 private:
  void VisitTemplate(const hcl::TemplateExpr* t) {
    if (t == nullptr) {
      return;
    }
    for (const hcl::TemplatePart* part : t->parts) {
      if (const auto* i = hcl::AsPart<hcl::TemplateInterpolationPart>(part)) {
        Visit(i->expr);
      } else if (const auto* c = hcl::AsPart<hcl::TemplateIfPart>(part)) {
        Visit(c->condition);
        VisitTemplate(c->then_body);
        VisitTemplate(c->else_body);
      } else if (const auto* f = hcl::AsPart<hcl::TemplateForPart>(part)) {
        Visit(f->collection);
        VisitTemplate(f->body);
      }
    }
  }

  void Add(std::string_view root, std::string_view name, const hcl::Range& range) {
    Reference::Kind kind;
    if (root == "var") {
      kind = Reference::Kind::kVariable;
    } else if (root == "local") {
      kind = Reference::Kind::kLocal;
    } else if (root == "module") {
      kind = Reference::Kind::kModule;
    } else {
      return;
    }
    out_.push_back(Reference{kind, std::string(name), range});
  }

  std::vector<Reference>& out_;
};

}  // namespace

std::vector<Reference> FindReferences(const hcl::Expression* expr) {
  std::vector<Reference> refs;
  Finder(refs).Visit(expr);
  return refs;
}

}  // namespace cf::config
