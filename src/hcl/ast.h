#pragma once

// The HCL native-syntax AST.
//
// Every node records its kind and its source Range. Nodes are allocated in the File's Arena
// and referenced by plain pointers (`const Expression*`): they live exactly as long as the
// File that owns them and are never freed one by one. Child lists are std::span views into
// the same arena; names and decoded string text are std::string_view into the File's source
// (when the text needed no decoding) or into the arena.
//
// Walking: switch on `expr->kind` and downcast with `As<T>(expr)` (checked by kind, returns
// nullptr on mismatch) or `Cast<T>(expr)` (unchecked). The exact source text of any node is
// `file.Source(node->range)`.
//
// Shape, following the spec (../shared/reference/hcl-native-syntax-spec.md):
//
//   File        := Body
//   Body        := Attribute* and Block* (each list in source order)
//   Attribute   := name "=" Expression
//   Block       := type label* "{" Body "}"       (labels: identifiers or quoted strings)
//
//   Expression kinds (the struct for each is named in the enum comment):
//     literal number / bool / null, templates (quoted strings and heredocs), variables
//     (a bare root name), attribute access, index (including the legacy `.0` form), splats,
//     function calls (with `...` expansion of the final argument), tuples, objects,
//     for expressions, unary and binary operators, conditionals, parentheses.
//
//   Traversals are nested nodes: `a.b[0].c` is GetAttr(Index(GetAttr(Variable a, b), 0), c).
//   `IsStaticTraversal` (below) tells whether a chain only uses names and literal keys.
//
//   Splats: `src[*].x.y` (full) and `src.*.x` (attribute-only) are SplatExpr{source=src,
//   each=GetAttr(GetAttr(SplatItem, x), y)}: `each` is evaluated once per element of the
//   source with the SplatItem node standing for that element. A splat with no trailing
//   traversal has each == the SplatItem itself. A full splat's `each` takes every following
//   step, including further splats, which then nest inside it (`x[*].y[*].z` is
//   Splat{x, each=Splat{GetAttr(item1, y), each=GetAttr(item2, z)}}, a list of lists); an
//   attribute-only splat takes only `.name` / `.0` steps, and what follows applies to its
//   result (`x.*.y[0]` is Index(Splat{x, each=GetAttr(item, y)}, 0)).

#include <cstdint>
#include <span>
#include <string_view>

#include "hcl/source.h"

namespace cf::hcl {

enum class ExprKind : uint8_t {
  kInvalid,       // InvalidExpr: marks where the parser met an error.
  kLiteral,       // LiteralExpr: number, bool or null.
  kTemplate,      // TemplateExpr: quoted string or heredoc with literal parts,
                  //   interpolations and directives.
  kTemplateWrap,  // TemplateWrapExpr: a template that is exactly one interpolation
                  //   ("${x}"): its value is the wrapped expression's value, unconverted.
  kVariable,      // VariableExpr: a root name such as `var` in `var.x`.
  kGetAttr,       // GetAttrExpr: `object.name`.
  kIndex,         // IndexExpr: `collection[key]`, or legacy `collection.0`.
  kSplat,         // SplatExpr: `source[*].each` or `source.*.each`.
  kSplatItem,     // SplatItemExpr: the current element inside SplatExpr::each.
  kFunctionCall,  // FunctionCallExpr: `name(args...)`, optionally `name(a, b...)`.
  kTuple,         // TupleExpr: `[a, b]`.
  kObject,        // ObjectExpr: `{ k = v, k2: v2 }`.
  kFor,           // ForExpr: `[for k, v in coll : expr if cond]` and the object form.
  kUnary,         // UnaryExpr: `-x`, `!x`.
  kBinary,        // BinaryExpr: `a + b`, `a && b`, `a == b`, ...
  kConditional,   // ConditionalExpr: `cond ? a : b`.
  kParens,        // ParensExpr: `(x)`.
};

struct Expression {
  ExprKind kind;
  Range range;
};

// Downcasts: As<T> checks the kind (nullptr when it differs); Cast<T> does not.
template <typename T>
const T* As(const Expression* e) {
  return e != nullptr && e->kind == T::kKind ? static_cast<const T*>(e) : nullptr;
}
template <typename T>
const T* Cast(const Expression* e) {
  return static_cast<const T*>(e);
}

struct InvalidExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kInvalid;
};

enum class LiteralKind : uint8_t { kNumber, kBool, kNull };

struct LiteralExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kLiteral;
  LiteralKind literal_kind = LiteralKind::kNull;
  bool bool_value = false;
  // For numbers: the literal exactly as written (digits, optional fraction and exponent,
  // never a sign: `-1` is Unary(kNegate, Literal 1)). Evaluators parse it with full precision.
  std::string_view number_text;
};

// ---- Templates ----

enum class TemplatePartKind : uint8_t { kLiteral, kInterpolation, kIf, kFor };

struct TemplatePart {
  TemplatePartKind kind;
  Range range;
};

template <typename T>
const T* AsPart(const TemplatePart* p) {
  return p != nullptr && p->kind == T::kKind ? static_cast<const T*>(p) : nullptr;
}

struct TemplateExpr;

// Literal text, escapes decoded (`\n`, `$${` -> `${`, ...), strip markers (`~`) applied,
// and for `<<-` heredocs the common indentation removed.
struct TemplateLiteralPart : TemplatePart {
  static constexpr TemplatePartKind kKind = TemplatePartKind::kLiteral;
  std::string_view text;
};

// `${ expr }`: the value is converted to a string and inserted.
struct TemplateInterpolationPart : TemplatePart {
  static constexpr TemplatePartKind kKind = TemplatePartKind::kInterpolation;
  const Expression* expr = nullptr;
};

// `%{ if cond }then%{ else }else%{ endif }`. `else_body` is nullptr without `%{else}`.
struct TemplateIfPart : TemplatePart {
  static constexpr TemplatePartKind kKind = TemplatePartKind::kIf;
  const Expression* condition = nullptr;
  const TemplateExpr* then_body = nullptr;
  const TemplateExpr* else_body = nullptr;
};

// `%{ for k, v in coll }body%{ endfor }`. `key_var` is empty when only one name is given.
struct TemplateForPart : TemplatePart {
  static constexpr TemplatePartKind kKind = TemplatePartKind::kFor;
  std::string_view key_var;
  std::string_view value_var;
  const Expression* collection = nullptr;
  const TemplateExpr* body = nullptr;
};

// A quoted string or heredoc (or a directive's body). Its value is the concatenation of its
// parts. A plain string with no interpolation or directive has one literal part (or none
// for ""). `range` covers the quotes / heredoc markers; a directive body covers its text.
struct TemplateExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kTemplate;
  std::span<const TemplatePart* const> parts;
  bool heredoc = false;

  // True when the template is literal text only (no interpolation or directive).
  bool IsStringLiteral() const;
  // The text when IsStringLiteral(); empty otherwise.
  std::string_view LiteralText() const;
};

struct TemplateWrapExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kTemplateWrap;
  const Expression* wrapped = nullptr;
};

// ---- Traversals ----

struct VariableExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kVariable;
  std::string_view name;
};

struct GetAttrExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kGetAttr;
  const Expression* object = nullptr;
  std::string_view name;
  Range name_range;
};

struct IndexExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kIndex;
  const Expression* collection = nullptr;
  const Expression* key = nullptr;  // For legacy `.0`, a number LiteralExpr.
  bool legacy_dot = false;          // Written as `collection.0`.
};

struct SplatExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kSplat;
  const Expression* source = nullptr;
  const Expression* each = nullptr;  // Refers to `item` (possibly `each == item`).
  const Expression* item = nullptr;  // The SplatItemExpr used inside `each`.
  bool full = true;                  // `[*]` (true) or attribute-only `.*` (false).
};

struct SplatItemExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kSplatItem;
};

// ---- Calls and collections ----

struct FunctionCallExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kFunctionCall;
  std::string_view name;  // May contain "::" (e.g. "provider::aws::arn_parse").
  Range name_range;
  std::span<const Expression* const> args;
  bool expand_final = false;  // The last argument was followed by `...`.
  Range open_paren_range;
  Range close_paren_range;
};

struct TupleExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kTuple;
  std::span<const Expression* const> elements;
};

// One `key = value` (or `key: value`) of an object constructor. A key that is a bare
// VariableExpr (`{ foo = 1 }`) means the string "foo", not the variable; write `(foo)` to
// use the variable's value. Any other key expression is evaluated and converted to a string.
struct ObjectItem {
  const Expression* key = nullptr;
  const Expression* value = nullptr;
};

struct ObjectExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kObject;
  std::span<const ObjectItem> items;
};

// `[for k, v in coll : value if cond]` (tuple form: key_expr == nullptr) and
// `{for k, v in coll : key => value... if cond}` (object form: key_expr set; `grouping`
// when `...` follows the value). `key_var` is empty when only one name is given.
// `condition` is nullptr without `if`.
struct ForExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kFor;
  std::string_view key_var;
  std::string_view value_var;
  const Expression* collection = nullptr;
  const Expression* key_expr = nullptr;
  const Expression* value_expr = nullptr;
  const Expression* condition = nullptr;
  bool grouping = false;
  bool object_form() const { return key_expr != nullptr; }
};

// ---- Operators ----

enum class UnaryOp : uint8_t { kNegate, kNot };

struct UnaryExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kUnary;
  UnaryOp op = UnaryOp::kNegate;
  const Expression* operand = nullptr;
};

enum class BinaryOp : uint8_t {
  kOr,              // ||
  kAnd,             // &&
  kEqual,           // ==
  kNotEqual,        // !=
  kGreater,         // >
  kGreaterOrEqual,  // >=
  kLess,            // <
  kLessOrEqual,     // <=
  kAdd,             // +
  kSubtract,        // -
  kMultiply,        // *
  kDivide,          // /
  kModulo,          // %
};

// The operator as written ("||", "+", ...).
std::string_view BinaryOpSymbol(BinaryOp op);

struct BinaryExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kBinary;
  BinaryOp op = BinaryOp::kAdd;
  const Expression* lhs = nullptr;
  const Expression* rhs = nullptr;
};

struct ConditionalExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kConditional;
  const Expression* condition = nullptr;
  const Expression* true_expr = nullptr;
  const Expression* false_expr = nullptr;
};

struct ParensExpr : Expression {
  static constexpr ExprKind kKind = ExprKind::kParens;
  const Expression* inner = nullptr;
};

// ---- Structure ----

struct Attribute {
  std::string_view name;
  Range name_range;
  const Expression* expr = nullptr;
  Range range;  // From the name to the end of the expression.
};

struct BlockLabel {
  std::string_view value;  // Decoded (quotes removed, escapes applied).
  Range range;             // Including the quotes when quoted.
  bool quoted = false;
};

struct Block;

struct Body {
  std::span<const Attribute* const> attributes;  // Source order.
  std::span<const Block* const> blocks;          // Source order.
  Range range;  // The whole file for the top-level body; `{` to `}` for a block's body.
};

struct Block {
  std::string_view type;
  Range type_range;
  std::span<const BlockLabel> labels;
  const Body* body = nullptr;
  Range open_brace_range;
  Range close_brace_range;
  Range range;  // From the type to the closing brace.
};

// True when `e` is a chain of VariableExpr root, GetAttrExpr and IndexExpr with literal
// keys (number literals or literal strings): what the spec calls a static traversal.
bool IsStaticTraversal(const Expression* e);

}  // namespace cf::hcl
