#include "aws/waiter_jmespath.h"

#include <vector>

namespace cf::aws::jmespath {

using nlohmann::json;

struct Node {
  enum class Kind {
    kIdentity,
    kField,
    kSubexpr,
    kIndex,
    kFlatten,
    kProjection,
    kValueProjection,
    kFilterProjection,
    kCompare,
    kOr,
    kAnd,
    kNot,
    kLiteral,
    kPipe,
    kFunction,
    kMultiList,
  };
  Kind kind = Kind::kIdentity;
  std::string name;  // field, function, or comparison operator
  long long index = 0;
  json literal;
  std::vector<std::shared_ptr<const Node>> children;
};

namespace {

using NodePtr = std::shared_ptr<const Node>;

NodePtr Make(Node::Kind kind, std::vector<NodePtr> children = {}, std::string name = {}) {
  auto n = std::make_shared<Node>();
  n->kind = kind;
  n->children = std::move(children);
  n->name = std::move(name);
  return n;
}

enum class Tok {
  kEnd,
  kIdent,
  kNumber,
  kLiteral,
  kDot,
  kStar,
  kFlatten,
  kFilter,
  kLBracket,
  kRBracket,
  kLParen,
  kRParen,
  kComma,
  kPipe,
  kOr,
  kAnd,
  kNot,
  kCompare,
  kAt,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // identifier, comparator
  json value;        // literal, number
  size_t column = 0;
};

int BindingPower(Tok t) {
  switch (t) {
    case Tok::kPipe:
      return 1;
    case Tok::kOr:
      return 2;
    case Tok::kAnd:
      return 3;
    case Tok::kCompare:
      return 5;
    case Tok::kFlatten:
      return 9;
    case Tok::kStar:
      return 20;
    case Tok::kFilter:
      return 21;
    case Tok::kDot:
      return 40;
    case Tok::kNot:
      return 45;
    case Tok::kLBracket:
      return 55;
    case Tok::kLParen:
      return 60;
    default:
      return 0;
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<NodePtr> ParseAll() {
    Status s = Tokenize();
    if (!s.ok()) {
      return s;
    }
    NodePtr root = Expression(0);
    if (!error_.ok()) {
      return error_;
    }
    if (Peek().kind != Tok::kEnd) {
      return Fail("unexpected token", Peek().column);
    }
    return root;
  }

 private:
  void Flag(std::string_view what, size_t column) { (void)Fail(what, column); }

  Status Fail(std::string_view what, size_t column) {
    if (error_.ok()) {
      error_ =
          InvalidArgumentError("jmespath: " + std::string(what) + " at column " +
                               std::to_string(column + 1) + " of \"" + std::string(text_) + "\"");
    }
    return error_;
  }

  Status Tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      char c = text_[i];
      Token t;
      t.column = i;
      if (c == ' ' || c == '\t' || c == '\n') {
        ++i;
        continue;
      }
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        size_t j = i;
        while (j < text_.size() &&
               (std::isalnum(static_cast<unsigned char>(text_[j])) || text_[j] == '_')) {
          ++j;
        }
        t.kind = Tok::kIdent;
        t.text = std::string(text_.substr(i, j - i));
        i = j;
      } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-') {
        size_t j = i + 1;
        while (j < text_.size() && std::isdigit(static_cast<unsigned char>(text_[j]))) {
          ++j;
        }
        if (c == '-' && j == i + 1) {
          return Fail("'-' must start a number", i);
        }
        t.kind = Tok::kNumber;
        t.value = std::stoll(std::string(text_.substr(i, j - i)));
        i = j;
      } else if (c == '"' || c == '`' || c == '\'') {
        size_t j = i + 1;
        std::string body;
        while (j < text_.size() && text_[j] != c) {
          if (text_[j] == '\\' && j + 1 < text_.size()) {
            if (c == '"') {
              body.push_back(text_[j]);  // JSON decoding handles the escape
            }
            ++j;
          }
          body.push_back(text_[j]);
          ++j;
        }
        if (j >= text_.size()) {
          return Fail("unterminated quote", i);
        }
        i = j + 1;
        if (c == '\'') {
          t.kind = Tok::kLiteral;
          t.value = body;
        } else if (c == '"') {
          t.kind = Tok::kIdent;
          try {
            t.text = json::parse("\"" + body + "\"").get<std::string>();
          } catch (const json::exception&) {
            return Fail("bad quoted identifier", t.column);
          }
        } else {
          t.kind = Tok::kLiteral;
          try {
            t.value = json::parse(body);
          } catch (const json::exception&) {
            t.value = body;  // legacy: an unquoted literal string
          }
        }
      } else if (c == '[') {
        if (i + 1 < text_.size() && text_[i + 1] == ']') {
          t.kind = Tok::kFlatten;
          i += 2;
        } else if (i + 1 < text_.size() && text_[i + 1] == '?') {
          t.kind = Tok::kFilter;
          i += 2;
        } else {
          t.kind = Tok::kLBracket;
          ++i;
        }
      } else if (c == '|' || c == '&') {
        if (i + 1 < text_.size() && text_[i + 1] == c) {
          t.kind = c == '|' ? Tok::kOr : Tok::kAnd;
          i += 2;
        } else if (c == '|') {
          t.kind = Tok::kPipe;
          ++i;
        } else {
          return Fail("expression references (&) are not supported", i);
        }
      } else if (c == '=' || c == '!' || c == '<' || c == '>') {
        bool eq_next = i + 1 < text_.size() && text_[i + 1] == '=';
        if (c == '!' && !eq_next) {
          t.kind = Tok::kNot;
          ++i;
        } else if (c == '=' && !eq_next) {
          return Fail("'=' must be '=='", i);
        } else {
          t.kind = Tok::kCompare;
          t.text = std::string(1, c) + (eq_next ? "=" : "");
          i += eq_next ? 2 : 1;
        }
      } else {
        switch (c) {
          case '.':
            t.kind = Tok::kDot;
            break;
          case '*':
            t.kind = Tok::kStar;
            break;
          case ']':
            t.kind = Tok::kRBracket;
            break;
          case '(':
            t.kind = Tok::kLParen;
            break;
          case ')':
            t.kind = Tok::kRParen;
            break;
          case ',':
            t.kind = Tok::kComma;
            break;
          case '@':
            t.kind = Tok::kAt;
            break;
          default:
            return Fail(std::string("unexpected character '") + c + "'", i);
        }
        ++i;
      }
      tokens_.push_back(std::move(t));
    }
    Token end;
    end.column = text_.size();
    tokens_.push_back(end);
    return OkStatus();
  }

  const Token& Peek() const { return tokens_[pos_]; }
  Token Advance() {
    Token t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) {
      ++pos_;
    }
    return t;
  }
  bool Expect(Tok kind, std::string_view what) {
    if (Peek().kind != kind) {
      Flag("expected " + std::string(what), Peek().column);
      return false;
    }
    Advance();
    return true;
  }

  NodePtr Expression(int rbp) {
    if (!error_.ok()) {
      return Make(Node::Kind::kIdentity);
    }
    NodePtr left = Nud(Advance());
    while (error_.ok() && rbp < BindingPower(Peek().kind)) {
      left = Led(Advance(), left);
    }
    return left;
  }

  NodePtr ProjectionRhs(int bp) {
    Tok next = Peek().kind;
    if (BindingPower(next) < 10) {
      return Make(Node::Kind::kIdentity);
    }
    if (next == Tok::kLBracket || next == Tok::kFilter || next == Tok::kFlatten) {
      return Expression(bp);
    }
    if (next == Tok::kDot) {
      Advance();
      return DotRhs(bp);
    }
    Flag("unexpected token after a projection", Peek().column);
    return Make(Node::Kind::kIdentity);
  }

  NodePtr DotRhs(int bp) {
    Tok next = Peek().kind;
    if (next == Tok::kIdent) {
      return Expression(bp);
    }
    if (next == Tok::kLBracket) {
      Advance();
      return MultiList();
    }
    Flag("expected a field name after '.'", Peek().column);
    return Make(Node::Kind::kIdentity);
  }

  NodePtr MultiList() {  // after '['
    std::vector<NodePtr> items;
    while (error_.ok()) {
      items.push_back(Expression(0));
      if (Peek().kind == Tok::kComma) {
        Advance();
        continue;
      }
      Expect(Tok::kRBracket, "']'");
      break;
    }
    return Make(Node::Kind::kMultiList, std::move(items));
  }

  NodePtr IndexNode(const Token& number) {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::kIndex;
    n->index = number.value.get<long long>();
    return n;
  }

  NodePtr Nud(const Token& t) {
    switch (t.kind) {
      case Tok::kIdent:
        return Make(Node::Kind::kField, {}, t.text);
      case Tok::kLiteral: {
        auto n = std::make_shared<Node>();
        n->kind = Node::Kind::kLiteral;
        n->literal = t.value;
        return n;
      }
      case Tok::kAt:
        return Make(Node::Kind::kIdentity);
      case Tok::kNot:
        return Make(Node::Kind::kNot, {Expression(BindingPower(Tok::kNot))});
      case Tok::kLParen: {
        NodePtr inner = Expression(0);
        Expect(Tok::kRParen, "')'");
        return inner;
      }
      case Tok::kFlatten:
        return Make(Node::Kind::kProjection,
                    {Make(Node::Kind::kFlatten, {Make(Node::Kind::kIdentity)}),
                     ProjectionRhs(BindingPower(Tok::kFlatten))});
      case Tok::kFilter:
        return Filter(Make(Node::Kind::kIdentity));
      case Tok::kStar:
        return Make(Node::Kind::kValueProjection,
                    {Make(Node::Kind::kIdentity), ProjectionRhs(BindingPower(Tok::kStar))});
      case Tok::kLBracket:
        if (Peek().kind == Tok::kNumber) {
          NodePtr index = IndexNode(Advance());
          Expect(Tok::kRBracket, "']'");
          return index;
        }
        if (Peek().kind == Tok::kStar) {
          Advance();
          Expect(Tok::kRBracket, "']'");
          return Make(Node::Kind::kProjection,
                      {Make(Node::Kind::kIdentity), ProjectionRhs(BindingPower(Tok::kStar))});
        }
        return MultiList();
      default:
        Flag("unexpected token", t.column);
        return Make(Node::Kind::kIdentity);
    }
  }

  NodePtr Filter(NodePtr left) {  // after '[?'
    NodePtr condition = Expression(0);
    Expect(Tok::kRBracket, "']'");
    return Make(Node::Kind::kFilterProjection,
                {std::move(left), condition, ProjectionRhs(BindingPower(Tok::kFilter))});
  }

  NodePtr Led(const Token& t, NodePtr left) {
    switch (t.kind) {
      case Tok::kDot:
        if (Peek().kind == Tok::kStar) {
          Advance();
          return Make(Node::Kind::kValueProjection,
                      {std::move(left), ProjectionRhs(BindingPower(Tok::kStar))});
        }
        return Make(Node::Kind::kSubexpr, {std::move(left), DotRhs(BindingPower(Tok::kDot))});
      case Tok::kFlatten:
        return Make(Node::Kind::kProjection, {Make(Node::Kind::kFlatten, {std::move(left)}),
                                              ProjectionRhs(BindingPower(Tok::kFlatten))});
      case Tok::kFilter:
        return Filter(std::move(left));
      case Tok::kLBracket:
        if (Peek().kind == Tok::kNumber) {
          NodePtr index = IndexNode(Advance());
          Expect(Tok::kRBracket, "']'");
          return Make(Node::Kind::kSubexpr, {std::move(left), index});
        }
        if (Peek().kind == Tok::kStar) {
          Advance();
          Expect(Tok::kRBracket, "']'");
          return Make(Node::Kind::kProjection,
                      {std::move(left), ProjectionRhs(BindingPower(Tok::kStar))});
        }
        Flag("expected an index or '*'", Peek().column);
        return left;
      case Tok::kCompare:
        return Make(Node::Kind::kCompare, {std::move(left), Expression(BindingPower(t.kind))},
                    t.text);
      case Tok::kOr:
        return Make(Node::Kind::kOr, {std::move(left), Expression(BindingPower(t.kind))});
      case Tok::kAnd:
        return Make(Node::Kind::kAnd, {std::move(left), Expression(BindingPower(t.kind))});
      case Tok::kPipe:
        return Make(Node::Kind::kPipe, {std::move(left), Expression(BindingPower(t.kind))});
      case Tok::kLParen: {
        if (left->kind != Node::Kind::kField) {
          Flag("only a function name can be called", t.column);
          return left;
        }
        std::vector<NodePtr> args;
        if (Peek().kind != Tok::kRParen) {
          while (error_.ok()) {
            args.push_back(Expression(0));
            if (Peek().kind == Tok::kComma) {
              Advance();
              continue;
            }
            break;
          }
        }
        Expect(Tok::kRParen, "')'");
        static const char* kFunctions[] = {"length",    "contains", "not_null",
                                           "to_string", "keys",     "values"};
        bool known = false;
        for (const char* f : kFunctions) {
          known = known || left->name == f;
        }
        if (!known) {
          Flag("unknown function " + left->name + "()", t.column);
        }
        return Make(Node::Kind::kFunction, std::move(args), left->name);
      }
      default:
        Flag("unexpected token", t.column);
        return left;
    }
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  Status error_;
};

json Eval(const Node& node, const json& data);

json Compare(const std::string& op, const json& a, const json& b) {
  if (op == "==") {
    return a == b;
  }
  if (op == "!=") {
    return a != b;
  }
  if (!a.is_number() || !b.is_number()) {
    return nullptr;
  }
  double x = a.get<double>();
  double y = b.get<double>();
  if (op == "<") {
    return x < y;
  }
  if (op == "<=") {
    return x <= y;
  }
  if (op == ">") {
    return x > y;
  }
  return x >= y;
}

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    n += (c & 0xC0) != 0x80;
  }
  return n;
}

json CallFunction(const Node& node, const json& data) {
  std::vector<json> args;
  for (const auto& child : node.children) {
    args.push_back(Eval(*child, data));
  }
  const std::string& f = node.name;
  if (f == "length" && args.size() == 1) {
    if (args[0].is_string()) {
      return Utf8Length(args[0].get<std::string>());
    }
    if (args[0].is_array() || args[0].is_object()) {
      return args[0].size();
    }
    return nullptr;
  }
  if (f == "contains" && args.size() == 2) {
    if (args[0].is_array()) {
      for (const auto& e : args[0]) {
        if (e == args[1]) {
          return true;
        }
      }
      return false;
    }
    if (args[0].is_string() && args[1].is_string()) {
      return args[0].get<std::string>().find(args[1].get<std::string>()) != std::string::npos;
    }
    return nullptr;
  }
  if (f == "not_null") {
    for (const auto& a : args) {
      if (!a.is_null()) {
        return a;
      }
    }
    return nullptr;
  }
  if (f == "to_string" && args.size() == 1) {
    return args[0].is_string() ? args[0] : json(args[0].dump());
  }
  if ((f == "keys" || f == "values") && args.size() == 1 && args[0].is_object()) {
    json out = json::array();
    for (auto it = args[0].begin(); it != args[0].end(); ++it) {
      out.push_back(f == "keys" ? json(it.key()) : it.value());
    }
    return out;
  }
  return nullptr;
}

json Eval(const Node& node, const json& data) {
  switch (node.kind) {
    case Node::Kind::kIdentity:
      return data;
    case Node::Kind::kField:
      if (data.is_object()) {
        auto it = data.find(node.name);
        if (it != data.end()) {
          return *it;
        }
      }
      return nullptr;
    case Node::Kind::kSubexpr: {
      json left = Eval(*node.children[0], data);
      if (left.is_null()) {
        return nullptr;
      }
      return Eval(*node.children[1], left);
    }
    case Node::Kind::kIndex: {
      if (!data.is_array()) {
        return nullptr;
      }
      long long size = static_cast<long long>(data.size());
      long long i = node.index < 0 ? size + node.index : node.index;
      if (i < 0 || i >= size) {
        return nullptr;
      }
      return data[static_cast<size_t>(i)];
    }
    case Node::Kind::kFlatten: {
      json base = Eval(*node.children[0], data);
      if (!base.is_array()) {
        return nullptr;
      }
      json out = json::array();
      for (const auto& e : base) {
        if (e.is_array()) {
          for (const auto& inner : e) {
            out.push_back(inner);
          }
        } else {
          out.push_back(e);
        }
      }
      return out;
    }
    case Node::Kind::kProjection:
    case Node::Kind::kValueProjection:
    case Node::Kind::kFilterProjection: {
      json base = Eval(*node.children[0], data);
      json elements = json::array();
      if (node.kind == Node::Kind::kValueProjection) {
        if (!base.is_object()) {
          return nullptr;
        }
        for (const auto& v : base) {
          elements.push_back(v);
        }
      } else if (base.is_array()) {
        elements = std::move(base);
      } else {
        return nullptr;
      }
      const bool filter = node.kind == Node::Kind::kFilterProjection;
      const Node& rhs = *node.children[filter ? 2 : 1];
      json out = json::array();
      for (const auto& e : elements) {
        if (filter && !IsTruthy(Eval(*node.children[1], e))) {
          continue;
        }
        json r = Eval(rhs, e);
        if (!r.is_null()) {
          out.push_back(std::move(r));
        }
      }
      return out;
    }
    case Node::Kind::kCompare:
      return Compare(node.name, Eval(*node.children[0], data), Eval(*node.children[1], data));
    case Node::Kind::kOr: {
      json left = Eval(*node.children[0], data);
      return IsTruthy(left) ? left : Eval(*node.children[1], data);
    }
    case Node::Kind::kAnd: {
      json left = Eval(*node.children[0], data);
      return IsTruthy(left) ? Eval(*node.children[1], data) : left;
    }
    case Node::Kind::kNot:
      return !IsTruthy(Eval(*node.children[0], data));
    case Node::Kind::kLiteral:
      return node.literal;
    case Node::Kind::kPipe:
      return Eval(*node.children[1], Eval(*node.children[0], data));
    case Node::Kind::kFunction:
      return CallFunction(node, data);
    case Node::Kind::kMultiList: {
      if (data.is_null()) {
        return nullptr;
      }
      json out = json::array();
      for (const auto& child : node.children) {
        out.push_back(Eval(*child, data));
      }
      return out;
    }
  }
  return nullptr;
}

}  // namespace

bool IsTruthy(const json& value) {
  if (value.is_null()) {
    return false;
  }
  if (value.is_boolean()) {
    return value.get<bool>();
  }
  if (value.is_string()) {
    return !value.get_ref<const std::string&>().empty();
  }
  if (value.is_array() || value.is_object()) {
    return !value.empty();
  }
  return true;
}

Result<Expression> Expression::Parse(std::string_view text) {
  Parser parser(text);
  ASSIGN_OR_RETURN(NodePtr root, parser.ParseAll());
  Expression e;
  e.text_ = std::string(text);
  e.root_ = std::move(root);
  return e;
}

json Expression::Evaluate(const json& data) const {
  return Eval(*root_, data);
}

Result<json> Search(std::string_view expression, const json& data) {
  ASSIGN_OR_RETURN(Expression e, Expression::Parse(expression));
  return e.Evaluate(data);
}

}  // namespace cf::aws::jmespath
