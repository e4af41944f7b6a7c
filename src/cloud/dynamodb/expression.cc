#include "cloud/dynamodb/expression.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "cloud/dynamodb/attribute_value.h"
#include "cloud/dynamodb/decimal.h"
#include "cloud/dynamodb/reserved_words.h"

namespace cf::cloud::dynamodb {
namespace {

enum class Tok {
  kIdent,
  kName,    // #alias
  kValue,   // :value
  kNumber,  // digits
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kDot,
  kComma,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kPlus,
  kMinus,
  kEnd,
  kBad,
};

struct Token {
  Tok tok = Tok::kEnd;
  std::string_view text;
  size_t pos = 0;
};

bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsIdentPart(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::vector<Token> Lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
      continue;
    }
    Token t;
    t.pos = i;
    size_t start = i;
    if (IsIdentStart(c)) {
      while (i < s.size() && IsIdentPart(s[i])) {
        ++i;
      }
      t.tok = Tok::kIdent;
    } else if (c == '#' || c == ':') {
      ++i;
      while (i < s.size() && IsIdentPart(s[i])) {
        ++i;
      }
      t.tok = c == '#' ? Tok::kName : Tok::kValue;
      if (i == start + 1) {
        t.tok = Tok::kBad;
      }
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        ++i;
      }
      t.tok = Tok::kNumber;
    } else {
      ++i;
      switch (c) {
        case '(':
          t.tok = Tok::kLParen;
          break;
        case ')':
          t.tok = Tok::kRParen;
          break;
        case '[':
          t.tok = Tok::kLBracket;
          break;
        case ']':
          t.tok = Tok::kRBracket;
          break;
        case '.':
          t.tok = Tok::kDot;
          break;
        case ',':
          t.tok = Tok::kComma;
          break;
        case '=':
          t.tok = Tok::kEq;
          break;
        case '+':
          t.tok = Tok::kPlus;
          break;
        case '-':
          t.tok = Tok::kMinus;
          break;
        case '<':
          t.tok = Tok::kLt;
          if (i < s.size() && s[i] == '=') {
            t.tok = Tok::kLe;
            ++i;
          } else if (i < s.size() && s[i] == '>') {
            t.tok = Tok::kNe;
            ++i;
          }
          break;
        case '>':
          t.tok = Tok::kGt;
          if (i < s.size() && s[i] == '=') {
            t.tok = Tok::kGe;
            ++i;
          }
          break;
        default:
          t.tok = Tok::kBad;
          // Keep a multi-byte UTF-8 character whole so that messages stay valid UTF-8.
          if ((static_cast<unsigned char>(c) & 0xC0) == 0xC0) {
            while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) {
              ++i;
            }
          }
          break;
      }
    }
    t.text = s.substr(start, i - start);
    out.push_back(t);
  }
  Token end;
  end.tok = Tok::kEnd;
  end.pos = s.size();
  out.push_back(end);
  return out;
}

bool KeywordIs(const Token& t, std::string_view keyword) {
  if (t.tok != Tok::kIdent || t.text.size() != keyword.size()) {
    return false;
  }
  for (size_t i = 0; i < keyword.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(t.text[i])) != keyword[i]) {
      return false;
    }
  }
  return true;
}

bool IsConditionKeyword(const Token& t) {
  return KeywordIs(t, "AND") || KeywordIs(t, "OR") || KeywordIs(t, "NOT") ||
         KeywordIs(t, "BETWEEN") || KeywordIs(t, "IN");
}

bool IsComparator(Tok t) {
  return t == Tok::kEq || t == Tok::kNe || t == Tok::kLt || t == Tok::kLe || t == Tok::kGt ||
         t == Tok::kGe;
}

std::string_view ImmediateType(const Node& n) {
  return n.kind == NodeKind::kValue ? TypeOf(n.value) : std::string_view();
}

// Parser state shared by the three expression grammars. Semantic errors are collected in
// DynamoDB's priority order; the first syntax error stops parsing.
class Parser {
 public:
  Parser(std::string_view text, std::string_view kind, ExpressionContext& context)
      : text_(text), kind_(kind), context_(context), tokens_(Lex(text)) {}

  ServiceOr<Node> Condition() {
    if (auto e = Precheck()) {
      return *e;
    }
    Node n = ParseOr();
    if (!syntax_error_ && Peek().tok != Tok::kEnd) {
      SyntaxError();
    }
    if (!syntax_error_) {
      CheckMisusedSize(n);
    }
    return Finish(std::move(n));
  }

  ServiceOr<std::vector<UpdateAction>> Update() {
    if (auto e = Precheck()) {
      return *e;
    }
    std::vector<UpdateAction> actions;
    std::set<std::string> sections;
    while (!syntax_error_ && Peek().tok != Tok::kEnd) {
      const Token& t = Peek();
      UpdateAction::Kind kind;
      std::string section;
      if (KeywordIs(t, "SET")) {
        kind = UpdateAction::Kind::kSet;
        section = "SET";
      } else if (KeywordIs(t, "REMOVE")) {
        kind = UpdateAction::Kind::kRemove;
        section = "REMOVE";
      } else if (KeywordIs(t, "ADD")) {
        kind = UpdateAction::Kind::kAdd;
        section = "ADD";
      } else if (KeywordIs(t, "DELETE")) {
        kind = UpdateAction::Kind::kDelete;
        section = "DELETE";
      } else {
        SyntaxError();
        break;
      }
      Next();
      if (!sections.insert(section).second) {
        SetError(&errors_.section,
                 "The \"" + section + "\" section can only be used once in an update expression;");
      }
      do {
        UpdateAction a;
        a.kind = kind;
        Node target = ParsePath();
        if (syntax_error_) {
          break;
        }
        a.path = std::move(target.path);
        if (kind == UpdateAction::Kind::kSet) {
          if (!Expect(Tok::kEq)) {
            break;
          }
          a.value = ParseSetValue();
        } else if (kind != UpdateAction::Kind::kRemove) {
          if (Peek().tok != Tok::kValue) {
            SyntaxError();
            break;
          }
          a.value = ParseOperand(0);
          std::string_view type = ImmediateType(a.value);
          bool ok = kind == UpdateAction::Kind::kAdd
                        ? (type == "N" || type == "SS" || type == "NS" || type == "BS")
                        : (type == "SS" || type == "NS" || type == "BS");
          if (!type.empty() && !ok) {
            SetError(&errors_.function,
                     "Incorrect operand type for operator or function; operator: " + section +
                         ", operand type: " + std::string(type));
          }
        }
        actions.push_back(std::move(a));
      } while (!syntax_error_ && Accept(Tok::kComma));
    }
    if (!syntax_error_ && actions.empty()) {
      SyntaxError();
    }
    if (!syntax_error_) {
      std::vector<Path> paths;
      for (const auto& a : actions) {
        paths.push_back(a.path);
      }
      if (auto e = CheckPathsDisjoint(paths)) {
        SetError(&errors_.paths, *e);
      }
    }
    ServiceOr<Node> done = Finish(Node());
    if (!done.ok()) {
      return std::move(done).error();
    }
    return actions;
  }

  ServiceOr<std::vector<Path>> Projection() {
    if (auto e = Precheck()) {
      return *e;
    }
    std::vector<Path> paths;
    do {
      Node p = ParsePath();
      if (syntax_error_) {
        break;
      }
      paths.push_back(std::move(p.path));
    } while (Accept(Tok::kComma));
    if (!syntax_error_ && Peek().tok != Tok::kEnd) {
      SyntaxError();
    }
    if (!syntax_error_) {
      if (auto e = CheckPathsDisjoint(paths)) {
        SetError(&errors_.paths, *e);
      }
    }
    ServiceOr<Node> done = Finish(Node());
    if (!done.ok()) {
      return std::move(done).error();
    }
    return paths;
  }

 private:
  struct Errors {
    std::optional<std::string> parens;
    std::optional<std::string> unknown_function;
    std::optional<std::string> misused_function;
    std::optional<std::string> reserved;
    std::optional<std::string> attr_name_val;
    std::optional<std::string> operand;
    std::optional<std::string> distinct;
    std::optional<std::string> function;
    std::optional<std::string> section;
    std::optional<std::string> paths;
  };

  std::optional<ServiceError> Precheck() {
    if (text_.empty()) {
      return Error("The expression can not be empty;");
    }
    if (text_.size() > kMaxExpressionSize) {
      return Error("Expression size has exceeded the maximum allowed size; expression size: " +
                   std::to_string(text_.size()));
    }
    return std::nullopt;
  }

  ServiceError Error(const std::string& message) const {
    return ValidationError("Invalid " + std::string(kind_) + ": " + message);
  }

  ServiceOr<Node> Finish(Node n) {
    if (syntax_error_) {
      return Error(*syntax_error_);
    }
    for (const auto* e : {&errors_.parens, &errors_.section, &errors_.unknown_function,
                          &errors_.misused_function, &errors_.reserved, &errors_.attr_name_val,
                          &errors_.operand, &errors_.distinct, &errors_.function, &errors_.paths}) {
      if (*e) {
        return Error(**e);
      }
    }
    return n;
  }

  static void SetError(std::optional<std::string>* slot, std::string message) {
    if (!*slot) {
      *slot = std::move(message);
    }
  }

  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  void Next() {
    if (pos_ + 1 < tokens_.size()) {
      ++pos_;
    }
  }
  bool Accept(Tok t) {
    if (Peek().tok == t) {
      Next();
      return true;
    }
    return false;
  }
  bool Expect(Tok t) {
    if (!Accept(t)) {
      SyntaxError();
      return false;
    }
    return true;
  }

  void SyntaxError() {
    if (syntax_error_) {
      return;
    }
    const Token& t = Peek();
    std::string token = t.tok == Tok::kEnd ? "<EOF>" : std::string(t.text);
    size_t near_start = pos_ > 0 ? tokens_[pos_ - 1].pos : t.pos;
    size_t near_end = t.tok == Tok::kEnd ? text_.size() : t.pos + t.text.size();
    std::string near(text_.substr(near_start, near_end - near_start));
    syntax_error_ = "Syntax error; token: \"" + token + "\", near: \"" + near + "\"";
  }

  bool Enter() {
    if (++depth_ > kMaxExpressionDepth) {
      if (!syntax_error_) {
        syntax_error_ = "The expression has too many nested levels; maximum depth: " +
                        std::to_string(kMaxExpressionDepth);
      }
      return false;
    }
    return true;
  }

  // ----- conditions -----

  Node ParseOr() {
    Node left = ParseAnd();
    while (!syntax_error_ && KeywordIs(Peek(), "OR")) {
      Next();
      Node right = ParseAnd();
      CheckMisusedSize(left);
      CheckMisusedSize(right);
      Node n;
      n.kind = NodeKind::kOr;
      n.args.push_back(std::move(left));
      n.args.push_back(std::move(right));
      left = std::move(n);
    }
    return left;
  }

  Node ParseAnd() {
    Node left = ParseNot();
    while (!syntax_error_ && KeywordIs(Peek(), "AND")) {
      Next();
      Node right = ParseNot();
      CheckMisusedSize(left);
      CheckMisusedSize(right);
      Node n;
      n.kind = NodeKind::kAnd;
      n.args.push_back(std::move(left));
      n.args.push_back(std::move(right));
      left = std::move(n);
    }
    return left;
  }

  Node ParseNot() {
    if (!Enter()) {
      return Node();
    }
    Node result;
    if (KeywordIs(Peek(), "NOT")) {
      Next();
      Node inner = ParseNot();
      CheckMisusedSize(inner);
      result.kind = NodeKind::kNot;
      result.args.push_back(std::move(inner));
    } else {
      result = ParsePrimary();
    }
    --depth_;
    return result;
  }

  Node ParsePrimary() {
    if (syntax_error_) {
      return Node();
    }
    if (Peek().tok == Tok::kLParen) {
      size_t open = pos_;
      Next();
      Node inner = ParseOr();
      if (!syntax_error_ && Expect(Tok::kRParen)) {
        size_t close = pos_ - 1;
        // "((x))": the group directly inside this one spans all of it.
        if (last_group_ && last_group_->first == open + 1 && last_group_->second + 1 == close) {
          SetError(&errors_.parens, "The expression has redundant parentheses;");
        }
        last_group_ = std::make_pair(open, close);
      }
      return inner;
    }
    Node first = ParseOperand(0);
    if (syntax_error_) {
      return first;
    }
    const Token& t = Peek();
    if (IsComparator(t.tok)) {
      Node n;
      n.kind = NodeKind::kCompare;
      n.name = std::string(t.text);
      Next();
      Node second = ParseOperand(0);
      CheckMisusedFunction(first);
      CheckMisusedFunction(second);
      CheckDistinct(n.name, first, second);
      n.args.push_back(std::move(first));
      n.args.push_back(std::move(second));
      return n;
    }
    if (KeywordIs(t, "BETWEEN")) {
      Next();
      Node low = ParseOperand(0);
      if (!syntax_error_ && !KeywordIs(Peek(), "AND")) {
        SyntaxError();
      }
      Next();
      Node high = ParseOperand(0);
      CheckMisusedFunction(first);
      CheckMisusedFunction(low);
      CheckMisusedFunction(high);
      CheckBetween(low, high);
      Node n;
      n.kind = NodeKind::kBetween;
      n.args.push_back(std::move(first));
      n.args.push_back(std::move(low));
      n.args.push_back(std::move(high));
      return n;
    }
    if (KeywordIs(t, "IN")) {
      Next();
      Node n;
      n.kind = NodeKind::kIn;
      CheckMisusedFunction(first);
      n.args.push_back(std::move(first));
      if (!Expect(Tok::kLParen)) {
        return n;
      }
      do {
        Node option = ParseOperand(0);
        CheckMisusedFunction(option);
        n.args.push_back(std::move(option));
      } while (!syntax_error_ && Accept(Tok::kComma));
      if (!syntax_error_) {
        Expect(Tok::kRParen);
      }
      return n;
    }
    if (first.kind == NodeKind::kFunction) {
      return first;
    }
    SyntaxError();
    return first;
  }

  // An operand: a path, a :value or a function call. `update` allows the update functions.
  Node ParseOperand(int update) {
    if (syntax_error_) {
      return Node();
    }
    if (!Enter()) {
      return Node();
    }
    Node n;
    const Token& t = Peek();
    if (t.tok == Tok::kValue) {
      n.kind = NodeKind::kValue;
      std::string name(t.text);
      Next();
      ResolveValue(name, &n.value);
    } else if (t.tok == Tok::kIdent && Peek(1).tok == Tok::kLParen && !IsConditionKeyword(t)) {
      n.kind = NodeKind::kFunction;
      n.name = std::string(t.text);
      Next();
      Next();
      do {
        n.args.push_back(update != 0 ? ParseSetOperand() : ParseOperand(0));
      } while (!syntax_error_ && Accept(Tok::kComma));
      if (!syntax_error_) {
        Expect(Tok::kRParen);
      }
      if (!syntax_error_) {
        if (update != 0) {
          CheckUpdateFunction(n);
        } else {
          CheckFunction(n);
        }
      }
    } else if (t.tok == Tok::kIdent || t.tok == Tok::kName) {
      n = ParsePath();
    } else {
      SyntaxError();
    }
    --depth_;
    return n;
  }

  Node ParsePath() {
    Node n;
    n.kind = NodeKind::kPath;
    auto element = [&]() -> bool {
      const Token& t = Peek();
      if (t.tok == Tok::kIdent && !IsConditionKeyword(t)) {
        if (IsReservedWord(t.text)) {
          SetError(&errors_.reserved, "Attribute name is a reserved keyword; reserved keyword: " +
                                          std::string(t.text));
        }
        n.path.push_back(PathElement{std::string(t.text), -1});
        Next();
        return true;
      }
      if (t.tok == Tok::kName) {
        std::string alias(t.text);
        Next();
        PathElement e;
        e.name = ResolveName(alias);
        n.path.push_back(std::move(e));
        return true;
      }
      SyntaxError();
      return false;
    };
    if (!element()) {
      return n;
    }
    while (true) {
      if (Accept(Tok::kDot)) {
        if (!element()) {
          return n;
        }
      } else if (Peek().tok == Tok::kLBracket) {
        Next();
        const Token& t = Peek();
        if (t.tok != Tok::kNumber) {
          SyntaxError();
          return n;
        }
        long index = 0;
        for (char c : t.text) {
          index = std::min<long>(index * 10 + (c - '0'), 1L << 40);
        }
        Next();
        if (!Expect(Tok::kRBracket)) {
          return n;
        }
        n.path.push_back(PathElement{"", index});
      } else {
        break;
      }
    }
    return n;
  }

  // ----- update values -----

  Node ParseSetValue() {
    Node left = ParseSetOperand();
    if (syntax_error_) {
      return left;
    }
    if (Peek().tok == Tok::kPlus || Peek().tok == Tok::kMinus) {
      Node n;
      n.kind = Peek().tok == Tok::kPlus ? NodeKind::kPlus : NodeKind::kMinus;
      std::string op = Peek().tok == Tok::kPlus ? "+" : "-";
      Next();
      Node right = ParseSetOperand();
      for (const Node* side : {&left, &right}) {
        std::string_view type = ImmediateType(*side);
        if (!type.empty() && type != "N") {
          SetError(&errors_.function,
                   "Incorrect operand type for operator or function; operator: " + op +
                       ", operand type: " + std::string(type));
        }
      }
      n.args.push_back(std::move(left));
      n.args.push_back(std::move(right));
      return n;
    }
    return left;
  }

  Node ParseSetOperand() { return ParseOperand(1); }

  void CheckUpdateFunction(const Node& n) {
    if (n.name != "if_not_exists" && n.name != "list_append") {
      SetError(&errors_.unknown_function, "Invalid function name; function: " + n.name);
      return;
    }
    if (n.args.size() != 2) {
      SetError(&errors_.operand,
               "Incorrect number of operands for operator or function; operator or function: " +
                   n.name + ", number of operands: " + std::to_string(n.args.size()));
      return;
    }
    if (n.name == "if_not_exists") {
      if (n.args[0].kind != NodeKind::kPath) {
        SetError(&errors_.function,
                 "Operator or function requires a document path; operator or function: " + n.name);
      }
      return;
    }
    for (const Node& a : n.args) {
      std::string_view type = ImmediateType(a);
      if (!type.empty() && type != "L") {
        SetError(&errors_.function,
                 "Incorrect operand type for operator or function; operator or function: " +
                     n.name + ", operand type: " + std::string(type));
      }
    }
  }

  // ----- semantic checks for conditions -----

  void CheckFunction(const Node& n) {
    static const std::map<std::string, size_t> kArity = {
        {"attribute_exists", 1}, {"attribute_not_exists", 1},
        {"attribute_type", 2},   {"begins_with", 2},
        {"contains", 2},         {"size", 1}};
    auto it = kArity.find(n.name);
    if (it == kArity.end()) {
      SetError(&errors_.unknown_function, "Invalid function name; function: " + n.name);
      return;
    }
    for (const Node& a : n.args) {
      CheckMisusedFunction(a);
    }
    if (n.args.size() != it->second) {
      SetError(&errors_.operand,
               "Incorrect number of operands for operator or function; operator or function: " +
                   n.name + ", number of operands: " + std::to_string(n.args.size()));
      return;
    }
    if (n.args.size() == 2) {
      CheckDistinct(n.name, n.args[0], n.args[1]);
    }
    if (n.name == "attribute_exists" || n.name == "attribute_not_exists") {
      if (n.args[0].kind != NodeKind::kPath) {
        SetError(&errors_.function,
                 "Operator or function requires a document path; operator or function: " + n.name);
      }
    } else if (n.name == "begins_with") {
      for (const Node& a : n.args) {
        std::string_view type = ImmediateType(a);
        if (!type.empty() && type != "S" && type != "B") {
          SetError(&errors_.function,
                   "Incorrect operand type for operator or function; operator or function: " +
                       n.name + ", operand type: " + std::string(type));
        }
      }
    } else if (n.name == "attribute_type") {
      std::string_view type = ImmediateType(n.args[1]);
      if (type != "S") {
        std::string shown = type.empty() ? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}" : std::string(type);
        SetError(&errors_.function,
                 "Incorrect operand type for operator or function; operator or function: " +
                     n.name + ", operand type: " + shown);
        return;
      }
      std::string wanted = n.args[1].value["S"].get<std::string>();
      static const std::set<std::string> kTypes = {"S",    "N", "B",  "NULL", "SS",
                                                   "BOOL", "L", "BS", "NS",   "M"};
      if (!kTypes.count(wanted)) {
        SetError(&errors_.function, "Invalid attribute type name found; type: " + wanted +
                                        ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
      }
    } else if (n.name == "size") {
      std::string_view type = ImmediateType(n.args[0]);
      if (type == "N" || type == "BOOL" || type == "NULL") {
        SetError(&errors_.function,
                 "Incorrect operand type for operator or function; operator or function: size, "
                 "operand type: " +
                     std::string(type));
      }
    }
  }

  void CheckMisusedFunction(const Node& n) {
    if (n.kind == NodeKind::kFunction && n.name != "size") {
      SetError(
          &errors_.misused_function,
          "The function is not allowed to be used this way in an expression; function: " + n.name);
    }
  }

  void CheckMisusedSize(const Node& n) {
    if (n.kind == NodeKind::kFunction && n.name == "size") {
      SetError(&errors_.misused_function,
               "The function is not allowed to be used this way in an expression; function: size");
    }
  }

  void CheckDistinct(const std::string& op, const Node& a, const Node& b) {
    if (a.kind == NodeKind::kPath && b.kind == NodeKind::kPath && a.path == b.path) {
      SetError(&errors_.distinct,
               "The first operand must be distinct from the remaining operands for this operator "
               "or function; operator: " +
                   op + ", first operand: " + PathToString(a.path));
    }
  }

  void CheckBetween(const Node& low, const Node& high) {
    std::string_view t1 = ImmediateType(low);
    std::string_view t2 = ImmediateType(high);
    if (t1.empty() || t2.empty()) {
      return;
    }
    auto show = [](const Node& n, std::string_view t) {
      const Json& v = n.value.begin().value();
      return "AttributeValue: {" + std::string(t) + ":" +
             (v.is_string() ? v.get<std::string>() : v.dump()) + "}";
    };
    if (t1 != t2) {
      SetError(&errors_.function,
               "The BETWEEN operator requires same data type for lower and upper bounds; lower "
               "bound operand: " +
                   show(low, t1) + ", upper bound operand: " + show(high, t2));
      return;
    }
    auto order = CompareScalars(low.value, high.value);
    if (order && *order > 0) {
      SetError(&errors_.function,
               "The BETWEEN operator requires upper bound to be greater than or equal to lower "
               "bound; lower bound operand: " +
                   show(low, t1) + ", upper bound operand: " + show(high, t2));
    }
  }

  // ----- aliases -----

  std::string ResolveName(const std::string& alias) {
    const Json* names = context_.names;
    if (names != nullptr && names->is_object()) {
      auto it = names->find(alias);
      if (it != names->end() && it->is_string()) {
        context_.used_names.insert(alias);
        return it->get<std::string>();
      }
    }
    SetError(&errors_.attr_name_val,
             "An expression attribute name used in the document path is not defined; attribute "
             "name: " +
                 alias);
    return alias;
  }

  void ResolveValue(const std::string& alias, Json* out) {
    const Json* values = context_.values;
    if (values != nullptr && values->is_object()) {
      auto it = values->find(alias);
      if (it != values->end()) {
        context_.used_values.insert(alias);
        *out = *it;
        return;
      }
    }
    SetError(&errors_.attr_name_val,
             "An expression attribute value used in expression is not defined; attribute value: " +
                 alias);
    *out = Json{{"NULL", true}};
  }

  std::string_view text_;
  std::string_view kind_;
  ExpressionContext& context_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::optional<std::string> syntax_error_;
  Errors errors_;
  std::optional<std::pair<size_t, size_t>> last_group_;  // Token indexes of the last "(...)".
};

// ----- evaluation -----

std::optional<Json> EvaluateOperand(const Node& n, const Json& item) {
  switch (n.kind) {
    case NodeKind::kValue:
      return n.value;
    case NodeKind::kPath: {
      const Json* v = ResolvePath(item, n.path);
      if (v == nullptr) {
        return std::nullopt;
      }
      return *v;
    }
    case NodeKind::kFunction: {
      if (n.name != "size" || n.args.size() != 1) {
        return std::nullopt;
      }
      std::optional<Json> v = EvaluateOperand(n.args[0], item);
      if (!v) {
        return std::nullopt;
      }
      std::string_view t = TypeOf(*v);
      const Json& inner = v->begin().value();
      size_t size = 0;
      if (t == "S") {
        size = inner.get_ref<const std::string&>().size();
      } else if (t == "B") {
        size = DecodeBase64(inner.get_ref<const std::string&>()).value_or("").size();
      } else if (t == "SS" || t == "NS" || t == "BS" || t == "L" || t == "M") {
        size = inner.size();
      } else {
        return std::nullopt;
      }
      return Json{{"N", std::to_string(size)}};
    }
    default:
      return std::nullopt;
  }
}

bool Contains(const Json& haystack, const Json& needle) {
  std::string_view ht = TypeOf(haystack);
  std::string_view nt = TypeOf(needle);
  const Json& h = haystack.begin().value();
  const Json& nv = needle.begin().value();
  if (ht == "S" && nt == "S") {
    return h.get_ref<const std::string&>().find(nv.get_ref<const std::string&>()) !=
           std::string::npos;
  }
  if (ht == "B" && nt == "B") {
    auto hb = DecodeBase64(h.get_ref<const std::string&>()).value_or("");
    auto nb = DecodeBase64(nv.get_ref<const std::string&>()).value_or("");
    return hb.find(nb) != std::string::npos;
  }
  if ((ht == "SS" && nt == "S") || (ht == "NS" && nt == "N") || (ht == "BS" && nt == "B")) {
    for (const Json& e : h) {
      if (ValuesEqual(Json{{std::string(nt), e}}, needle)) {
        return true;
      }
    }
    return false;
  }
  if (ht == "L") {
    for (const Json& e : h) {
      if (ValuesEqual(e, needle)) {
        return true;
      }
    }
  }
  return false;
}

bool Compare(const std::string& op, const std::optional<Json>& a, const std::optional<Json>& b) {
  if (op == "=") {
    return a && b && ValuesEqual(*a, *b);
  }
  if (op == "<>") {
    return !(a && b && ValuesEqual(*a, *b));
  }
  if (!a || !b) {
    return false;
  }
  std::optional<int> order = CompareScalars(*a, *b);
  if (!order) {
    return false;
  }
  if (op == "<") {
    return *order < 0;
  }
  if (op == "<=") {
    return *order <= 0;
  }
  if (op == ">") {
    return *order > 0;
  }
  return *order >= 0;  // ">="
}

std::optional<Json> UpdateValue(const Node& n, const Json& item, std::string* error) {
  const std::string kMissing =
      "The provided expression refers to an attribute that does not exist in the item";
  const std::string kBadType = "An operand in the update expression has an incorrect data type";
  switch (n.kind) {
    case NodeKind::kValue:
      return n.value;
    case NodeKind::kPath: {
      const Json* v = ResolvePath(item, n.path);
      if (v == nullptr) {
        *error = kMissing;
        return std::nullopt;
      }
      return *v;
    }
    case NodeKind::kPlus:
    case NodeKind::kMinus: {
      auto a = UpdateValue(n.args[0], item, error);
      if (!a) {
        return std::nullopt;
      }
      auto b = UpdateValue(n.args[1], item, error);
      if (!b) {
        return std::nullopt;
      }
      if (TypeOf(*a) != "N" || TypeOf(*b) != "N") {
        *error = kBadType;
        return std::nullopt;
      }
      auto da = Decimal::Parse((*a)["N"].get<std::string>(), error);
      auto db = Decimal::Parse((*b)["N"].get<std::string>(), error);
      if (!da || !db) {
        return std::nullopt;
      }
      auto r = n.kind == NodeKind::kPlus ? da->Add(*db, error) : da->Subtract(*db, error);
      if (!r) {
        return std::nullopt;
      }
      return Json{{"N", r->ToString()}};
    }
    case NodeKind::kFunction: {
      if (n.name == "if_not_exists") {
        const Json* v = ResolvePath(item, n.args[0].path);
        if (v != nullptr) {
          return *v;
        }
        return UpdateValue(n.args[1], item, error);
      }
      // list_append
      auto a = UpdateValue(n.args[0], item, error);
      if (!a) {
        return std::nullopt;
      }
      auto b = UpdateValue(n.args[1], item, error);
      if (!b) {
        return std::nullopt;
      }
      if (TypeOf(*a) != "L" || TypeOf(*b) != "L") {
        *error = kBadType;
        return std::nullopt;
      }
      Json out = *a;
      for (const Json& e : (*b)["L"]) {
        out["L"].push_back(e);
      }
      return out;
    }
    default:
      *error = kBadType;
      return std::nullopt;
  }
}

const std::string kInvalidPath =
    "The document path provided in the update expression is invalid for update";

// The container that holds the last element of `path`, or nullptr.
Json* ParentContainer(Json& item, const Path& path) {
  Json* cur = &item;  // An object of attributes (a map's contents).
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    const PathElement& e = path[i];
    Json* next = nullptr;
    if (e.is_index()) {
      if (!cur->is_object() || !cur->contains("L")) {
        return nullptr;
      }
      Json& list = (*cur)["L"];
      if (e.index >= static_cast<long>(list.size())) {
        return nullptr;
      }
      next = &list[static_cast<size_t>(e.index)];
    } else {
      Json* map = cur;
      if (i > 0) {
        if (!cur->is_object() || !cur->contains("M")) {
          return nullptr;
        }
        map = &(*cur)["M"];
      }
      auto it = map->find(e.name);
      if (it == map->end()) {
        return nullptr;
      }
      next = &*it;
    }
    cur = next;
  }
  return cur;
}

// Sets `value` at `path`; false when the path's parent does not exist or has the wrong type.
bool SetAt(Json& item, const Path& path, Json value) {
  Json* parent = ParentContainer(item, path);
  if (parent == nullptr) {
    return false;
  }
  const PathElement& last = path.back();
  if (path.size() == 1) {
    if (last.is_index()) {
      return false;
    }
    (*parent)[last.name] = std::move(value);
    return true;
  }
  if (last.is_index()) {
    if (!parent->is_object() || !parent->contains("L")) {
      return false;
    }
    Json& list = (*parent)["L"];
    if (last.index >= static_cast<long>(list.size())) {
      list.push_back(std::move(value));
    } else {
      list[static_cast<size_t>(last.index)] = std::move(value);
    }
    return true;
  }
  if (!parent->is_object() || !parent->contains("M")) {
    return false;
  }
  (*parent)["M"][last.name] = std::move(value);
  return true;
}

bool RemoveAt(Json& item, const Path& path) {
  Json* parent = ParentContainer(item, path);
  if (parent == nullptr) {
    return path.size() > 1 ? false : true;
  }
  const PathElement& last = path.back();
  if (path.size() == 1) {
    parent->erase(last.name);
    return true;
  }
  if (last.is_index()) {
    if (!parent->is_object() || !parent->contains("L")) {
      return false;
    }
    Json& list = (*parent)["L"];
    if (last.index < static_cast<long>(list.size())) {
      list.erase(list.begin() + last.index);
    }
    return true;
  }
  if (!parent->is_object() || !parent->contains("M")) {
    return false;
  }
  (*parent)["M"].erase(last.name);
  return true;
}

bool PathLess(const Path& a, const Path& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (a[i].is_index() && b[i].is_index()) {
      if (a[i].index != b[i].index) {
        return a[i].index < b[i].index;
      }
    } else if (a[i].is_index() != b[i].is_index()) {
      return a[i].is_index();
    } else if (a[i].name != b[i].name) {
      return a[i].name < b[i].name;
    }
  }
  return a.size() < b.size();
}

struct ProjectionNode {
  const Json* whole = nullptr;
  std::map<std::string, ProjectionNode> fields;
  std::map<long, ProjectionNode> elements;
  bool is_list = false;
};

Json RenderProjection(const ProjectionNode& node) {
  if (node.whole != nullptr) {
    return *node.whole;
  }
  if (node.is_list) {
    Json list = Json::array();
    for (const auto& [index, child] : node.elements) {
      list.push_back(RenderProjection(child));
    }
    return Json{{"L", std::move(list)}};
  }
  Json map = Json::object();
  for (const auto& [name, child] : node.fields) {
    map[name] = RenderProjection(child);
  }
  return Json{{"M", std::move(map)}};
}

}  // namespace

std::string PathToString(const Path& path) {
  std::string out = "[";
  for (size_t i = 0; i < path.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    if (path[i].is_index()) {
      out += '[';
      out += std::to_string(path[i].index);
      out += ']';
    } else {
      out += path[i].name;
    }
  }
  return out + "]";
}

ServiceOr<Node> ParseCondition(std::string_view text, std::string_view kind,
                               ExpressionContext& context) {
  return Parser(text, kind, context).Condition();
}

ServiceOr<std::vector<UpdateAction>> ParseUpdate(std::string_view text,
                                                 ExpressionContext& context) {
  return Parser(text, "UpdateExpression", context).Update();
}

ServiceOr<std::vector<Path>> ParseProjection(std::string_view text, ExpressionContext& context) {
  return Parser(text, "ProjectionExpression", context).Projection();
}

std::optional<std::string> CheckPathsDisjoint(const std::vector<Path>& paths) {
  for (size_t i = 0; i < paths.size(); ++i) {
    for (size_t j = i + 1; j < paths.size(); ++j) {
      const Path& a = paths[i];
      const Path& b = paths[j];
      size_t n = std::min(a.size(), b.size());
      bool conflict = false;
      bool diverged = false;
      for (size_t k = 0; k < n; ++k) {
        if (a[k] == b[k]) {
          continue;
        }
        if (a[k].is_index() != b[k].is_index()) {
          conflict = true;
        }
        diverged = true;
        break;
      }
      if (conflict) {
        return "Two document paths conflict with each other; must remove or rewrite one of these "
               "paths; path one: " +
               PathToString(a) + ", path two: " + PathToString(b);
      }
      if (!diverged) {
        return "Two document paths overlap with each other; must remove or rewrite one of these "
               "paths; path one: " +
               PathToString(a) + ", path two: " + PathToString(b);
      }
    }
  }
  return std::nullopt;
}

const Json* ResolvePath(const Json& item, const Path& path) {
  if (path.empty() || path[0].is_index() || !item.is_object()) {
    return nullptr;
  }
  auto it = item.find(path[0].name);
  if (it == item.end()) {
    return nullptr;
  }
  const Json* cur = &*it;
  for (size_t i = 1; i < path.size(); ++i) {
    const PathElement& e = path[i];
    if (e.is_index()) {
      auto list = cur->find("L");
      if (list == cur->end() || e.index >= static_cast<long>(list->size())) {
        return nullptr;
      }
      cur = &(*list)[static_cast<size_t>(e.index)];
    } else {
      auto map = cur->find("M");
      if (map == cur->end()) {
        return nullptr;
      }
      auto field = map->find(e.name);
      if (field == map->end()) {
        return nullptr;
      }
      cur = &*field;
    }
  }
  return cur;
}

bool EvaluateCondition(const Node& n, const Json& item) {
  switch (n.kind) {
    case NodeKind::kAnd:
      return EvaluateCondition(n.args[0], item) && EvaluateCondition(n.args[1], item);
    case NodeKind::kOr:
      return EvaluateCondition(n.args[0], item) || EvaluateCondition(n.args[1], item);
    case NodeKind::kNot:
      return !EvaluateCondition(n.args[0], item);
    case NodeKind::kCompare:
      return Compare(n.name, EvaluateOperand(n.args[0], item), EvaluateOperand(n.args[1], item));
    case NodeKind::kBetween: {
      auto v = EvaluateOperand(n.args[0], item);
      auto lo = EvaluateOperand(n.args[1], item);
      auto hi = EvaluateOperand(n.args[2], item);
      return Compare(">=", v, lo) && Compare("<=", v, hi);
    }
    case NodeKind::kIn: {
      auto v = EvaluateOperand(n.args[0], item);
      if (!v) {
        return false;
      }
      for (size_t i = 1; i < n.args.size(); ++i) {
        auto option = EvaluateOperand(n.args[i], item);
        if (option && ValuesEqual(*v, *option)) {
          return true;
        }
      }
      return false;
    }
    case NodeKind::kFunction: {
      if (n.name == "attribute_exists") {
        return ResolvePath(item, n.args[0].path) != nullptr;
      }
      if (n.name == "attribute_not_exists") {
        return ResolvePath(item, n.args[0].path) == nullptr;
      }
      auto a = EvaluateOperand(n.args[0], item);
      auto b = n.args.size() > 1 ? EvaluateOperand(n.args[1], item) : std::nullopt;
      if (!a || !b) {
        return false;
      }
      if (n.name == "attribute_type") {
        return TypeOf(*b) == "S" && TypeOf(*a) == (*b)["S"].get<std::string>();
      }
      if (n.name == "begins_with") {
        std::string_view ta = TypeOf(*a);
        if (ta != TypeOf(*b) || (ta != "S" && ta != "B")) {
          return false;
        }
        std::string sa = a->begin().value().get<std::string>();
        std::string sb = b->begin().value().get<std::string>();
        if (ta == "B") {
          sa = DecodeBase64(sa).value_or("");
          sb = DecodeBase64(sb).value_or("");
        }
        return sa.compare(0, sb.size(), sb) == 0 && sa.size() >= sb.size();
      }
      if (n.name == "contains") {
        return Contains(*a, *b);
      }
      return false;
    }
    default:
      return false;
  }
}

ServiceStatus ApplyUpdate(const std::vector<UpdateAction>& actions, Json& item) {
  const Json original = item;
  std::string error;
  // Values first, all read from the original item.
  std::vector<std::optional<Json>> values(actions.size());
  for (size_t i = 0; i < actions.size(); ++i) {
    if (actions[i].kind == UpdateAction::Kind::kSet) {
      values[i] = UpdateValue(actions[i].value, original, &error);
      if (!values[i]) {
        return ValidationError(error);
      }
    }
  }
  const std::string kBadType = "An operand in the update expression has an incorrect data type";
  std::vector<const UpdateAction*> removes;
  for (size_t i = 0; i < actions.size(); ++i) {
    const UpdateAction& a = actions[i];
    switch (a.kind) {
      case UpdateAction::Kind::kSet:
        if (!SetAt(item, a.path, std::move(*values[i]))) {
          return ValidationError(kInvalidPath);
        }
        break;
      case UpdateAction::Kind::kRemove:
        removes.push_back(&a);
        break;
      case UpdateAction::Kind::kAdd: {
        const Json* current = ResolvePath(original, a.path);
        std::string_view vt = TypeOf(a.value.value);
        if (current == nullptr) {
          if (!SetAt(item, a.path, a.value.value)) {
            return ValidationError(kInvalidPath);
          }
          break;
        }
        std::string_view ct = TypeOf(*current);
        if (ct != vt) {
          return ValidationError(kBadType);
        }
        Json updated;
        if (vt == "N") {
          auto x = Decimal::Parse((*current)["N"].get<std::string>(), &error);
          auto y = Decimal::Parse(a.value.value["N"].get<std::string>(), &error);
          if (!x || !y) {
            return ValidationError(error);
          }
          auto sum = x->Add(*y, &error);
          if (!sum) {
            return ValidationError(error);
          }
          updated = Json{{"N", sum->ToString()}};
        } else {
          updated = *current;
          Json& set = updated[std::string(vt)];
          for (const Json& e : a.value.value[std::string(vt)]) {
            bool present = false;
            for (const Json& existing : set) {
              if (ValuesEqual(Json{{std::string(vt.substr(0, 1)), existing}},
                              Json{{std::string(vt.substr(0, 1)), e}})) {
                present = true;
                break;
              }
            }
            if (!present) {
              set.push_back(e);
            }
          }
        }
        if (!SetAt(item, a.path, std::move(updated))) {
          return ValidationError(kInvalidPath);
        }
        break;
      }
      case UpdateAction::Kind::kDelete: {
        const Json* current = ResolvePath(original, a.path);
        if (current == nullptr) {
          break;
        }
        std::string_view vt = TypeOf(a.value.value);
        if (TypeOf(*current) != vt) {
          return ValidationError(kBadType);
        }
        Json remaining = Json::array();
        std::string scalar(vt.substr(0, 1));
        for (const Json& e : (*current)[std::string(vt)]) {
          bool drop = false;
          for (const Json& d : a.value.value[std::string(vt)]) {
            if (ValuesEqual(Json{{scalar, e}}, Json{{scalar, d}})) {
              drop = true;
              break;
            }
          }
          if (!drop) {
            remaining.push_back(e);
          }
        }
        bool ok = remaining.empty() ? RemoveAt(item, a.path)
                                    : SetAt(item, a.path, Json{{std::string(vt), remaining}});
        if (!ok) {
          return ValidationError(kInvalidPath);
        }
        break;
      }
    }
  }
  // Removals last, deepest and highest list index first so earlier indexes stay valid.
  std::sort(removes.begin(), removes.end(), [](const UpdateAction* x, const UpdateAction* y) {
    return PathLess(y->path, x->path);
  });
  for (const UpdateAction* a : removes) {
    if (!RemoveAt(item, a->path)) {
      return ValidationError(kInvalidPath);
    }
  }
  return ServiceStatus();
}

Json Project(const Json& item, const std::vector<Path>& paths) {
  ProjectionNode root;
  for (const Path& path : paths) {
    const Json* leaf = ResolvePath(item, path);
    if (leaf == nullptr) {
      continue;
    }
    ProjectionNode* node = &root;
    for (size_t i = 0; i < path.size(); ++i) {
      if (path[i].is_index()) {
        node->is_list = true;
        node = &node->elements[path[i].index];
      } else {
        node = &node->fields[path[i].name];
      }
    }
    node->whole = leaf;
  }
  Json out = Json::object();
  for (const auto& [name, child] : root.fields) {
    out[name] = RenderProjection(child);
  }
  return out;
}

}  // namespace cf::cloud::dynamodb
