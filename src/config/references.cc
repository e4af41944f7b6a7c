#include "config/references.h"

#include <algorithm>

namespace cf::config {

namespace {

// Roots that name something other than a resource type.
bool IsReservedRoot(std::string_view root) {
  return root == "var" || root == "local" || root == "module" || root == "data" ||
         root == "count" || root == "each" || root == "path" || root == "self" ||
         root == "terraform";
}

class Finder {
 public:
  explicit Finder(std::vector<Reference>* out) : out_(out) {}
  Finder(std::map<std::string, std::set<std::string>>* direct, std::set<std::string>* other)
      : out_(nullptr), direct_(direct), other_(other) {}

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
        if (direct_ != nullptr) {
          const hcl::Expression* object = g->object;
          if (const auto* index = hcl::As<hcl::IndexExpr>(object)) {
            object = index->collection;
          }
          std::string block = ResourceBlock(object);
          const auto* root = hcl::As<hcl::VariableExpr>(g->object);
          if (!block.empty()) {
            (*direct_)[block].insert(std::string(g->name));
          } else if (root == nullptr || IsBound(root->name)) {
            // `s.id` on a `for` variable, `f(x).id`, `local.x.id`: could be any resource.
            other_->insert(std::string(g->name));
          }
          // Otherwise `var.x`, `local.x`, `each.value`, `TYPE.NAME`: a name, not an
          // attribute read from a resource.
        }
        if (const auto* root = hcl::As<hcl::VariableExpr>(g->object)) {
          Add(root->name, g->name, g->range);
          return;
        }
        if (const auto* inner = hcl::As<hcl::GetAttrExpr>(g->object)) {
          const auto* root = hcl::As<hcl::VariableExpr>(inner->object);
          if (root != nullptr && root->name == "data") {
            if (out_ != nullptr) {
              out_->push_back(Reference{Reference::Kind::kData, std::string(g->name),
                                        std::string(inner->name), g->range, ""});
            }
            return;
          }
        }
        Visit(g->object);
        return;
      }
      case ExprKind::kIndex: {
        const auto* i = hcl::Cast<hcl::IndexExpr>(e);
        if (out_ != nullptr) {
          std::string block = ResourceBlock(i->collection);
          std::string key = LiteralKey(i->key);
          if (!block.empty() && !key.empty()) {
            const auto* g = hcl::Cast<hcl::GetAttrExpr>(i->collection);
            const auto* root = hcl::Cast<hcl::VariableExpr>(g->object);
            out_->push_back(Reference{Reference::Kind::kResource, std::string(g->name),
                                      std::string(root->name), i->range, key});
            return;
          }
        }
        Visit(i->collection);
        Visit(i->key);
        return;
      }
      case ExprKind::kSplat: {
        const auto* s = hcl::Cast<hcl::SplatExpr>(e);
        Visit(s->source);
        if (direct_ != nullptr) {
          const auto* attr = hcl::As<hcl::GetAttrExpr>(s->each);
          std::string block = ResourceBlock(s->source);
          if (attr != nullptr && hcl::As<hcl::SplatItemExpr>(attr->object) != nullptr &&
              !block.empty()) {
            (*direct_)[block].insert(std::string(attr->name));
            return;
          }
        }
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
        size_t bound = Bind(f->key_var, f->value_var);
        Visit(f->key_expr);
        Visit(f->value_expr);
        Visit(f->condition);
        bound_.resize(bound);
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
        size_t bound = Bind(f->key_var, f->value_var);
        VisitTemplate(f->body);
        bound_.resize(bound);
      }
    }
  }

  // `[0]` or `["k"]` for a literal index expression; "" otherwise.
  static std::string LiteralKey(const hcl::Expression* key) {
    if (const auto* literal = hcl::As<hcl::LiteralExpr>(key);
        literal != nullptr && literal->literal_kind == hcl::LiteralKind::kNumber &&
        literal->number_text.find_first_not_of("0123456789") == std::string_view::npos) {
      std::string out = "[";
      out.append(literal->number_text);
      out += ']';
      return out;
    }
    if (const auto* text = hcl::As<hcl::TemplateExpr>(key);
        text != nullptr && text->IsStringLiteral()) {
      std::string out = "[\"";
      for (char c : text->LiteralText()) {
        if (c == '"' || c == '\\') {
          out += '\\';
        }
        out += c;
      }
      out += "\"]";
      return out;
    }
    return "";
  }

  bool IsBound(std::string_view name) const {
    return std::find(bound_.begin(), bound_.end(), name) != bound_.end();
  }

  // "TYPE.NAME" when `e` is the traversal `TYPE.NAME` of a resource block; "" otherwise.
  std::string ResourceBlock(const hcl::Expression* e) const {
    const auto* g = hcl::As<hcl::GetAttrExpr>(e);
    const auto* root = g != nullptr ? hcl::As<hcl::VariableExpr>(g->object) : nullptr;
    if (root == nullptr || IsReservedRoot(root->name) ||
        std::find(bound_.begin(), bound_.end(), root->name) != bound_.end()) {
      return "";
    }
    return std::string(root->name) + "." + std::string(g->name);
  }

  // Binds a `for`'s iteration names; returns the size to restore afterwards.
  size_t Bind(std::string_view key_var, std::string_view value_var) {
    size_t size = bound_.size();
    if (!key_var.empty()) {
      bound_.push_back(key_var);
    }
    if (!value_var.empty()) {
      bound_.push_back(value_var);
    }
    return size;
  }

  void Add(std::string_view root, std::string_view name, const hcl::Range& range) {
    if (out_ == nullptr || std::find(bound_.begin(), bound_.end(), root) != bound_.end()) {
      return;
    }
    Reference::Kind kind;
    std::string type;
    if (!IsReservedRoot(root)) {
      kind = Reference::Kind::kResource;
      type = std::string(root);
    } else if (root == "var") {
      kind = Reference::Kind::kVariable;
    } else if (root == "local") {
      kind = Reference::Kind::kLocal;
    } else if (root == "module") {
      kind = Reference::Kind::kModule;
    } else {
      return;
    }
    out_->push_back(Reference{kind, std::string(name), std::move(type), range, ""});
  }

  std::vector<Reference>* out_;
  std::map<std::string, std::set<std::string>>* direct_ = nullptr;
  std::set<std::string>* other_ = nullptr;
  std::vector<std::string_view> bound_;  // names bound by enclosing `for`s
};

}  // namespace

std::vector<Reference> FindReferences(const hcl::Expression* expr) {
  std::vector<Reference> refs;
  Finder(&refs).Visit(expr);
  return refs;
}

void CollectAttributeUses(const hcl::Expression* expr,
                          std::map<std::string, std::set<std::string>>& direct,
                          std::set<std::string>& other) {
  Finder(&direct, &other).Visit(expr);
}

}  // namespace cf::config
