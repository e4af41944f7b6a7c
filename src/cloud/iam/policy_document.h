#pragma once

// IAM policy documents: the grammar IAM checks when a policy is stored, the size it counts
// against quotas, the URL encoding IAM answers documents in, and the part of policy evaluation
// the local cloud does (may a principal assume a role, by the role's trust policy).
//
// All functions are pure and thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cf::cloud::iam {

enum class PolicyKind {
  kIdentity,  // managed and inline policies: Action + Resource, no Principal.
  kTrust,     // a role's AssumeRolePolicyDocument: Action + Principal, no Resource.
};

// OK when `text` is a policy document IAM would store as `kind`; otherwise InvalidArgument
// whose message is the text IAM gives with MalformedPolicyDocument ("Syntax errors in
// policy.", "Policy document should not specify a principal.", "Has prohibited field
// Resource", "Invalid principal in policy: ...", ...).
//
// Checked: JSON object with only Version ("2012-10-17" or "2008-10-17"; absent is allowed as
// in IAM), Id and Statement; Statement an object or a non-empty array of objects, each with
// only Sid, Effect, Action, NotAction, Resource, NotResource, Principal, NotPrincipal and
// Condition; Effect "Allow" or "Deny"; exactly one of Action/NotAction, each "*" or
// "vendor:pattern"; identity policies: exactly one of Resource/NotResource ("*" or an ARN),
// no principal, Sids alphanumeric; trust policies: exactly one of Principal/NotPrincipal ("*"
// or an object of AWS/Service/Federated/CanonicalUser to strings), no resource, only sts:
// actions; Condition an object of known operators to objects of keys to scalars or lists of
// scalars; Sids unique. Not checked: that principals exist, condition keys' names.
Status ValidatePolicyDocument(std::string_view text, PolicyKind kind);

// The size IAM counts against its quotas: characters other than whitespace.
size_t PolicySize(std::string_view text);

// The document as IAM returns it: percent-encoded (RFC 3986; only A-Z a-z 0-9 - _ . ~ left).
std::string UrlEncodeDocument(std::string_view text);

// Whether the trust policy `text` lets `caller_arn` (of account `caller_account`) perform
// `action` ("sts:AssumeRole"). True when some Allow statement's actions cover `action` and its
// Principal is "*", {"AWS": "*"}, the caller's account (as "ACCOUNT" or
// "arn:aws:iam::ACCOUNT:root"), the caller's ARN, or, for an assumed-role session, the ARN of
// the role it came from; and no Deny statement covers both. Conditions are not evaluated (a
// statement with a Condition counts as if the condition held). An invalid document allows
// nothing.
bool TrustPolicyAllows(std::string_view text, std::string_view action, std::string_view caller_arn,
                       std::string_view caller_account);

}  // namespace cf::cloud::iam
