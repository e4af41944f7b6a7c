#include "hcl/value.h"

#include <gtest/gtest.h>

#include "hcl/convert.h"
#include "hcl/operators.h"
#include "testing/status_matchers.h"

namespace cf::hcl {
namespace {

using ::testing::HasSubstr;

Value S(std::string s) {
  return Value::String(std::move(s));
}
Value N(int64_t n) {
  return Value::Num(n);
}

TEST(TypeTest, NamesAndEquality) {
  EXPECT_EQ(Type::List(Type::String()).ToString(), "list(string)");
  EXPECT_EQ(Type::Map(Type::Number()).FriendlyName(), "map of number");
  EXPECT_EQ(Type::Object({{"a", Type::String()}}, {"a"}).ToString(),
            "object({a=optional(string)})");
  EXPECT_EQ(Type::List(Type::String()), Type::List(Type::String()));
  EXPECT_NE(Type::List(Type::String()), Type::Set(Type::String()));
  EXPECT_TRUE(Type::Tuple({Type::Dynamic()}).HasDynamic());
}

TEST(ValueTest, CopiesShareStorage) {
  Value list = Value::List(Type::String(), {S("a"), S("b")});
  Value copy = list;
  EXPECT_EQ(&list.Elements(), &copy.Elements());
  EXPECT_EQ(copy.ToDebugString(), "[\"a\", \"b\"]");
}

TEST(ValueTest, SetsAreSortedAndDistinct) {
  Value set = Value::Set(Type::String(), {S("b"), S("a"), S("b")});
  EXPECT_EQ(set.ToDebugString(), "toset([\"a\", \"b\"])");
  Value nums = Value::Set(Type::Number(), {N(10), N(2), N(10)});
  EXPECT_EQ(nums.ToDebugString(), "toset([2, 10])");
}

TEST(ValueTest, UnknownAndSensitiveAreTrackedDeeply) {
  Value list = Value::Tuple({S("a"), Value::Unknown(Type::String())});
  EXPECT_TRUE(list.IsKnown());
  EXPECT_FALSE(list.IsWhollyKnown());
  Value obj = Value::Object({{"p", S("x").WithSensitive()}});
  EXPECT_FALSE(obj.IsSensitive());
  EXPECT_TRUE(obj.ContainsSensitive());
  EXPECT_FALSE(obj.UnmarkDeep().ContainsSensitive());
  EXPECT_EQ(obj.ToDebugString(), "{p = (sensitive \"x\")}");
}

TEST(ConvertTest, PrimitiveConversions) {
  EXPECT_EQ(*Convert(N(5), Type::String()), S("5"));
  EXPECT_EQ(*Convert(Value::True(), Type::String()), S("true"));
  EXPECT_EQ(*Convert(S("1.5"), Type::Number()), Value::Num(*Number::Parse("1.5")));
  EXPECT_EQ(*Convert(S("true"), Type::Bool()), Value::True());
  EXPECT_THAT(Convert(S("abc"), Type::Number()),
              StatusIs(StatusCode::kInvalidArgument, "a number is required"));
  EXPECT_THAT(Convert(S("yes"), Type::Bool()),
              StatusIs(StatusCode::kInvalidArgument, "a bool is required"));
  EXPECT_THAT(Convert(S("True"), Type::Bool()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("use lowercase \"true\"")));
  EXPECT_THAT(Convert(N(1), Type::Bool()), StatusIs(StatusCode::kInvalidArgument, "bool required"));
  EXPECT_THAT(Convert(Value::EmptyTuple(), Type::String()),
              StatusIs(StatusCode::kInvalidArgument, "string required"));
}

TEST(ConvertTest, TupleToListUnifiesElements) {
  Value t = Value::Tuple({S("a"), N(1)});
  Result<Value> l = Convert(t, Type::List(Type::Dynamic()));
  ASSERT_OK(l);
  EXPECT_EQ(l->type(), Type::List(Type::String()));
  EXPECT_EQ(l->ToDebugString(), "[\"a\", \"1\"]");
  Result<Value> s = Convert(Value::Tuple({S("a"), S("a")}), Type::Set(Type::String()));
  ASSERT_OK(s);
  EXPECT_EQ(s->Length(), 1u);
  EXPECT_THAT(Convert(Value::Tuple({S("a"), S("x")}), Type::List(Type::Number())),
              StatusIs(StatusCode::kInvalidArgument, "element 0: a number is required"));
  EXPECT_THAT(Convert(Value::Tuple({N(1), Value::True()}), Type::List(Type::Dynamic())),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("must have the same type")));
}

TEST(ConvertTest, ObjectToMapAndMapToObject) {
  Value o = Value::Object({{"a", N(1)}, {"b", S("x")}});
  Result<Value> m = Convert(o, Type::Map(Type::String()));
  ASSERT_OK(m);
  EXPECT_EQ(m->type(), Type::Map(Type::String()));
  Type want = Type::Object({{"a", Type::Number()}, {"c", Type::String()}}, {"c"});
  Result<Value> back = Convert(*m, want);
  ASSERT_OK(back);
  EXPECT_EQ(back->ToDebugString(), "{a = 1, c = null}");
  Type strict = Type::Object({{"a", Type::Number()}, {"z", Type::String()}, {"y", Type::Bool()}});
  EXPECT_THAT(Convert(o, strict),
              StatusIs(StatusCode::kInvalidArgument, "attributes \"y\" and \"z\" are required"));
  EXPECT_THAT(Convert(Value::Object({{"a", S("q")}}), Type::Object({{"a", Type::Number()}})),
              StatusIs(StatusCode::kInvalidArgument, "attribute \"a\": a number is required"));
}

TEST(ConvertTest, NullAndUnknownTakeTheTargetType) {
  Result<Value> n = Convert(Value(), Type::String());
  ASSERT_OK(n);
  EXPECT_TRUE(n->IsNull());
  EXPECT_EQ(n->type(), Type::String());
  Result<Value> u = Convert(Value::Unknown(Type::String()), Type::Number());
  ASSERT_OK(u);
  EXPECT_FALSE(u->IsKnown());
  EXPECT_EQ(u->type(), Type::Number());
  EXPECT_FALSE(Convert(Value::Unknown(Type::Number()), Type::Bool()).ok());
  Result<Value> sens = Convert(N(3).WithSensitive(), Type::String());
  ASSERT_OK(sens);
  EXPECT_TRUE(sens->IsSensitive());
}

TEST(ConvertTest, AttributeErrorsReadLikeTerraform) {
  EXPECT_THAT(ConvertAttribute(Value::Tuple({}), Type::String(), "name"),
              StatusIs(StatusCode::kInvalidArgument,
                       "Inappropriate value for attribute \"name\": string required."));
  EXPECT_THAT(ConvertAttribute(Value::Tuple({S("x")}), Type::List(Type::Number()), "ports"),
              StatusIs(StatusCode::kInvalidArgument,
                       "Inappropriate value for attribute \"ports\": element 0: a number is "
                       "required."));
  EXPECT_EQ(*ConvertAttribute(N(8), Type::String(), "port"), S("8"));
}

TEST(UnifyTest, Rules) {
  EXPECT_EQ(*UnifyTypes({Type::Number(), Type::String()}), Type::String());
  EXPECT_FALSE(UnifyTypes({Type::Number(), Type::Bool()}).has_value());
  EXPECT_EQ(
      *UnifyTypes({Type::Tuple({Type::String()}), Type::Tuple({Type::String(), Type::String()})}),
      Type::List(Type::String()));
  EXPECT_EQ(
      *UnifyTypes({Type::Object({{"a", Type::String()}}), Type::Object({{"b", Type::Number()}})}),
      Type::Map(Type::String()));
  EXPECT_EQ(
      *UnifyTypes({Type::Object({{"a", Type::String()}}), Type::Object({{"a", Type::Number()}})}),
      Type::Object({{"a", Type::String()}}));
  EXPECT_EQ(*UnifyTypes({Type::Dynamic(), Type::String()}), Type::Dynamic());
}

TEST(OperatorsTest, Arithmetic) {
  EXPECT_EQ(*Add(N(1), S("2")), N(3));
  EXPECT_EQ(Subtract(N(1), N(3))->ToDebugString(), "-2");
  EXPECT_EQ(Multiply(N(4), N(3))->ToDebugString(), "12");
  EXPECT_EQ(Divide(N(7), N(2))->ToDebugString(), "3.5");
  EXPECT_EQ(Modulo(N(7), N(2))->ToDebugString(), "1");
  EXPECT_EQ(Negate(N(7))->ToDebugString(), "-7");
  EXPECT_THAT(Divide(N(1), N(0)), StatusIs(StatusCode::kInvalidArgument, "Can't divide by zero."));
  EXPECT_THAT(Modulo(N(1), N(0)), StatusIs(StatusCode::kInvalidArgument, "Can't divide by zero."));
  EXPECT_THAT(Add(S("x"), N(1)),
              StatusIs(StatusCode::kInvalidArgument,
                       "Unsuitable value for left operand: a number is required."));
  EXPECT_THAT(Add(N(1), Value()),
              StatusIs(StatusCode::kInvalidArgument,
                       "Unsuitable value for right operand: argument must not be null."));
}

TEST(OperatorsTest, UnknownAndSensitivePropagate) {
  Value u = *Add(N(1), Value::Unknown(Type::Number()));
  EXPECT_FALSE(u.IsKnown());
  EXPECT_EQ(u.type(), Type::Number());
  Value d = *Multiply(Value::Unknown(Type::Dynamic()), N(2));
  EXPECT_EQ(d.type(), Type::Number());
  Value s = *Add(N(1), N(2).WithSensitive());
  EXPECT_TRUE(s.IsSensitive());
  EXPECT_EQ(s.ToDebugString(), "(sensitive 3)");
  EXPECT_TRUE(Equal(Value::Tuple({S("a").WithSensitive()}), Value::Tuple({S("a")})).IsSensitive());
  EXPECT_TRUE(GreaterThan(N(1).WithSensitive(), N(0))->IsSensitive());
}

TEST(OperatorsTest, EqualityIsDeepAndTyped) {
  EXPECT_EQ(Equal(N(1), S("1")), Value::False());
  EXPECT_EQ(Equal(Value::Tuple({N(1), S("a")}), Value::Tuple({N(1), S("a")})), Value::True());
  EXPECT_EQ(Equal(Value(), Value()), Value::True());
  EXPECT_EQ(Equal(Value(), S("")), Value::False());
  EXPECT_FALSE(
      Equal(Value::Tuple({Value::Unknown(Type::String())}), Value::Tuple({S("a")})).IsKnown());
  EXPECT_EQ(
      Equal(Value::Tuple({Value::Unknown(Type::String()), N(1)}), Value::Tuple({S("a"), N(2)})),
      Value::False());
  EXPECT_EQ(NotEqual(N(1), N(2)), Value::True());
}

TEST(OperatorsTest, LogicShortCircuitsOnKnownSides) {
  Value u = Value::Unknown(Type::Bool());
  EXPECT_EQ(*Or(Value::True(), u), Value::True());
  EXPECT_EQ(*And(u, Value::False()), Value::False());
  EXPECT_FALSE(And(Value::True(), u)->IsKnown());
  EXPECT_EQ(*Not(Value::True()), Value::False());
  EXPECT_EQ(*And(S("true"), Value::True()), Value::True());
  EXPECT_THAT(
      Or(N(1), Value::True()),
      StatusIs(StatusCode::kInvalidArgument, "Unsuitable value for left operand: bool required."));
  EXPECT_EQ(*LessThan(N(1), N(2)), Value::True());
  EXPECT_EQ(*GreaterOrEqual(N(2), N(2)), Value::True());
}

}  // namespace
}  // namespace cf::hcl
