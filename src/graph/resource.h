#pragma once

// The desired resources of a deployment, as the expansion of a module body produces them: one
// ResourceInstance per resource block and count/for_each key, with every argument and nested
// block evaluated. References to other resources' attributes that are only known once those
// exist (ids, ARNs, DNS names) are unknown values ("known after apply").
//
// This is the data the plan renders, the graph orders and the policy generator reads. It says
// nothing about AWS: resource types are opaque strings here.

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "hcl/diagnostic.h"
#include "hcl/value.h"

namespace cf::graph {

enum class ResourceMode { kManaged, kData };

// The key of one instance of a resource block: none (no count/for_each), an index (count) or
// a string (for_each).
class InstanceKey {
 public:
  InstanceKey() = default;  // no key
  static InstanceKey Index(int64_t index) { return InstanceKey(index); }
  static InstanceKey String(std::string key) { return InstanceKey(std::move(key)); }

  bool IsNone() const { return std::holds_alternative<std::monostate>(key_); }
  bool IsIndex() const { return std::holds_alternative<int64_t>(key_); }
  bool IsString() const { return std::holds_alternative<std::string>(key_); }
  int64_t index() const { return std::get<int64_t>(key_); }
  const std::string& string() const { return std::get<std::string>(key_); }

  // "", "[0]" or "[\"key\"]" (quotes and backslashes in the key escaped as HCL does).
  std::string ToString() const;
  // Null, a number or a string: the value Terraform's JSON plan gives as "index".
  hcl::Value ToValue() const;

  friend bool operator==(const InstanceKey& a, const InstanceKey& b) { return a.key_ == b.key_; }
  friend bool operator<(const InstanceKey& a, const InstanceKey& b) { return a.key_ < b.key_; }

 private:
  explicit InstanceKey(int64_t index) : key_(index) {}
  explicit InstanceKey(std::string key) : key_(std::move(key)) {}
  std::variant<std::monostate, int64_t, std::string> key_;
};

struct ResourceInstance {
  std::string module;  // "module.weka"; empty for the root module.
  ResourceMode mode = ResourceMode::kManaged;
  std::string type;  // "aws_vpc"
  std::string name;  // "this"
  InstanceKey key;

  // An object: each argument set in the block and each nested block (a block type that may
  // repeat is a list of objects, in source order), evaluated. Arguments not set are absent.
  // Unknown where the value depends on what exists only after apply; sensitive marks kept.
  // For a data source read at plan time: its arguments and the attributes read.
  hcl::Value values;
  // Attributes the resource type computes (id, arn, ...) that are not set in the block: the
  // plan shows them as "(known after apply)". Sorted.
  std::vector<std::string> computed;

  // The addresses (Address()) of the instances this one refers to or names in depends_on
  // (in the same Expansion), plus, for a module call that depends on other module calls
  // (depends_on, or their outputs in its arguments), every managed instance of those;
  // sorted and distinct.
  std::vector<std::string> depends_on;

  // lifecycle { create_before_destroy = true }: a replacement creates the new object first.
  bool create_before_destroy = false;
  // lifecycle { ignore_changes }: arguments an update leaves as the object has them.
  std::vector<std::string> ignore_changes;
  bool ignore_all_changes = false;
  bool Ignores(std::string_view attribute) const {
    return ignore_all_changes || std::find(ignore_changes.begin(), ignore_changes.end(),
                                           attribute) != ignore_changes.end();
  }

  hcl::Range range;  // the block's header in the module's source

  // "module.weka.aws_vpc.this[0]", "data.aws_region.current" (with the module prefix).
  std::string Address() const;
  // The address without the key: "module.weka.aws_vpc.this".
  std::string BlockAddress() const;
};

struct OutputValue {
  std::string name;
  hcl::Value value;  // unknown parts: known after apply
  bool sensitive = false;
  std::string description;
};

// A module body expanded for one set of inputs.
struct Expansion {
  // Managed and data instances, in a dependency order (every instance after those it depends
  // on); ties in source order.
  std::vector<ResourceInstance> instances;
  std::vector<OutputValue> outputs;  // declaration order

  const ResourceInstance* Find(std::string_view address) const;
};

}  // namespace cf::graph
