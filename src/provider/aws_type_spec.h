#pragma once

// What one AWS resource type is, as data: which operations create, read, update and delete it,
// how its Terraform attributes map to request members and response paths, its id, its tags,
// how an interrupted create is found again, and which botocore waiters tell when it settles.
// aws_provider.cc runs these descriptions; a type whose API does not fit sets the hooks (one
// step in code, the rest still described) and docs/providers.md shows both.
//
// Templates. Request parameters are JSON templates: a string "$id" becomes the instance's id,
// "$token" the create token, "$region" / "$account" / "$partition" the provider's, "$attr.NAME"
// the string or value of attribute NAME (config at create, state afterwards), "$value" the
// converted value of the attribute being updated. A member whose value is missing is left out.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "aws/client.h"
#include "aws/models.h"
#include "base/file_system.h"
#include "base/status.h"
#include "provider/aws_provider.h"
#include "provider/resource_provider.h"

namespace cf::provider::aws_spec {

// The calls a description makes, through the client, with the provider's identity.
// Thread-safe.
class AwsContext {
 public:
  AwsContext(aws::Client& client, AwsProviderOptions options);

  // One call; an AWS error is its Status (aws::AwsErrorToStatus: "ec2.CreateVpc: Code: text").
  Result<Json> Call(std::string_view service, std::string_view operation, const Json& params);
  // The AWS error code of the last failed call's Status message, "" when it has none.
  static std::string ErrorCode(const Status& status);

  const std::string& region() const { return region_; }
  const std::string& partition() const { return options_.partition; }
  // The caller's account (sts:GetCallerIdentity once, when the options do not fix it).
  Result<std::string> Account();
  const std::map<std::string, std::string>& default_tags() const { return options_.default_tags; }
  // Where local files named by the config are read (a Lambda package's `filename`).
  const FileSystem& files() const;
  // Where a relative Lambda package name is looked for (AwsProviderOptions::package_dirs).
  const std::vector<std::string>& package_dirs() const { return options_.package_dirs; }
  // The model's waiter, parsed once.
  Result<aws::WaiterConfig> Waiter(std::string_view service, std::string_view name);

 private:
  aws::Client& client_;
  const AwsProviderOptions options_;
  RealFileSystem real_files_;
  std::string region_{};
  aws::Models models_;
  std::mutex mu_;
  std::string account_{};                                          // guarded by mu_
  std::map<std::string, aws::WaiterConfig, std::less<>> waiters_;  // guarded by mu_
};

// How an attribute's value is written to and read from the API.
enum class Conv {
  kPlain,       // the same JSON value both ways (strings, numbers, booleans, lists)
  kValueBool,   // EC2's AttributeBooleanValue: {"Value": true}
  kIntString,   // a number in Terraform, a string in the API
  kJsonDoc,     // a JSON document string: state keeps the prior text while equivalent
  kUrlJsonDoc,  // the same, URL-encoded in responses (IAM)
  kStringSet,   // a list compared as a set (kept in the prior order when equal as sets)
  kBoolString,  // "true" / "false" in Terraform (the schema's string), a boolean in the API
  kTagList,     // a map in Terraform, a list of {Key, Value} in the API
  kTimestamp,   // RFC 3339 in Terraform, seconds since the epoch in the API tree
  kNoStarArn,   // an ARN the API answers with a trailing ":*" (log groups)
};

// A member of a nested block: Terraform's attribute `attr` is the API member `api`. A member
// with children is a block: a list of Terraform objects that is one API object (kBlock) or an
// API list (kBlockList).
struct Member {
  enum class Kind { kValue, kBlock, kBlockList };
  std::string attr{};
  std::string api{};
  Conv conv = Conv::kPlain;
  Kind kind = Kind::kValue;
  std::vector<Member> children{};
};

// One attribute.
struct Field {
  std::string attr{};    // Terraform's name; "a.0.b" for a member of the first `a` block
  std::string create{};  // request member at create ("A.B" for nested), "" when not sent
  std::string read{};    // path in the read item ("A.B", "A[0].B"), "" when not read back
  Conv conv = Conv::kPlain;
  // The value the state holds when the API answers nothing (a default the API omits).
  Json absent{};
  // In-place update: the operation and its params template ("$value" is the new value).
  std::string update_op{};
  Json update_params{};
  // A nested block (attr is the block's name, create / read the API member): its members.
  // The prior blocks stay in state while the API's object holds everything they say.
  std::vector<Member> block{};
  Member::Kind block_kind = Member::Kind::kBlock;
};

// How tags are written and read.
struct TagSpec {
  enum class Style { kNone, kList, kMap };
  Style style = Style::kNone;
  std::string key = "Key";  // list style: the members of one tag
  std::string value = "Value";
  // At create: the member taking the tags ("Tags"), or "TagSpecifications" for EC2 with
  // ec2_resource_type set.
  std::string create_member = "Tags";
  std::string ec2_resource_type{};
  bool at_create = true;  // false: tagged with tag_op right after create
  // Read: a path in the read item ("Tags"), or a separate call (read_op with its template).
  std::string read_path = "Tags";
  std::string read_op{};
  Json read_params{};
  // Changes: tag_op with params (+ the tags under tag_member); untag_op with the keys under
  // untag_member.
  std::string tag_op{};
  Json tag_params{};
  std::string tag_member = "Tags";
  std::string untag_op{};
  Json untag_params{};
  std::string untag_member = "TagKeys";
  // tag_op takes the whole set (S3's PutBucketTagging); untag_op then removes every tag.
  bool tag_op_replaces = false;
};

// How Read gets the API's objects.
struct ReadSpec {
  std::string op{};
  Json params{};  // for a single read: the template naming the id ({"RoleName": "$id"})
  // Batched: every id at once under `ids_filter` (an EC2 filter name: "vpc-id") and the
  // items found under `list`, matched to ids by `item_id`.
  std::string ids_filter{};
  std::string filter_member = "Filters";  // "Filter" for DescribeNatGateways
  std::string ids_member{};  // or: the ids as a list member (only where missing ids are no error)
  std::string list{};
  std::string item_id{};
  // Single: the item is at `object` of the output ("" for the whole output).
  std::string object{};
  // Error codes meaning "gone" beyond the NotFound ones (S3 NoSuchBucket maps already).
  std::vector<std::string> gone_codes{};
  // An item whose value at `state_path` is one of these is gone ("deleted").
  std::string state_path{};
  std::vector<std::string> gone_states{};
  // Without a waiter: an item whose state is one of these is still settling.
  std::vector<std::string> pending_states{};
  // Batched reads match items to this state attribute rather than "id" (the route table of a
  // route); after_read then picks the instance's part and answers NotFound when it is gone.
  std::string key_attr = "id";
  // Batched without ids: one call lists every object (ListAliases), matched by item_id.
  bool list_all = false;
};

struct TypeSpec;
using Hook =
    std::function<Status(AwsContext& ctx, const TypeSpec& spec, const Json& config, Json& state)>;

struct TypeSpec {
  std::string type{};
  std::string service{};  // botocore's name, also the pool
  std::vector<std::string> force_new{};

  // Fills what the config leaves to the provider before Create and Find (a name from
  // name_prefix and the token, a default description).
  std::function<Status(AwsContext&, const InstanceRef&, Json& config)> prepare;
  // An object that exists already and is taken under management instead of created (the
  // default security group of a VPC): its id. Tags then go on with tags.tag_op.
  std::function<Result<std::string>(AwsContext&, const Json& config)> locate;

  // Create: create_params (template) plus every Field.create from config, the tags, and the
  // token under client_token (where the API takes one). The id is at create_id in the
  // output, or the template id_template fills it ("$attr.bucket").
  std::string create_op{};
  Json create_params = Json::object();
  std::string client_token{};
  std::string create_id{};
  std::string id_template{};
  // Or the id from the config and the create output ("role/arn" of an attachment).
  std::function<std::string(const Json& config, const Json& output)> make_id;
  // Adds to the create params what no Field says (key schemas built from several arguments).
  std::function<Status(AwsContext&, const Json& config, Json& params)> build_create;
  // Tags the object with `clusterform:address` at create (implied by find_by_tag).
  bool tag_address = false;
  // Runs after the create call with state {"id": ...}: the calls the API needs for the rest
  // (ModifyVpcAttribute, AttachInternetGateway).
  Hook after_create;

  std::vector<Field> fields{};
  TagSpec tags;
  ReadSpec read;
  // Runs after the item is mapped, with the item under state["__item"]; fills what needs
  // more calls or logic (DescribeVpcAttribute, rule lists). `config` is the prior state.
  Hook after_read;

  // Update: each changed attribute's Field.update_op; else this hook, which gets the changed
  // attribute names under state["__changed"] and the prior state as `state`.
  Hook update;

  // Delete: delete_op with delete_params; before_delete runs first (detach, disassociate).
  std::string delete_op{};
  Json delete_params{};
  // Error codes of delete_op that mean "not yet" (a placement group with instances still in
  // it, a security group an interface still uses): the delete is retried for up to
  // delete_retry_for, as Terraform's AWS provider does.
  std::vector<std::string> delete_retry_codes{};
  std::chrono::seconds delete_retry_for{300};
  Hook before_delete;
  // Waiters of the model ("NatGatewayAvailable", "NatGatewayDeleted"); the item read is
  // matched against their acceptors in the shape of read.op's output.
  std::string ready_waiter{};
  std::string gone_waiter{};
  bool delete_pending = false;  // a delete answers pending until the gone waiter matches

  // Find: by the `clusterform:address` tag (EC2 filter "tag:clusterform:address"), or by
  // the name attribute the config fixes (find_by_name: its value is the id).
  bool find_by_tag = false;
  std::string find_by_name{};

  // A fully hand-written step, where even the hooks do not fit (the default step is skipped).
  std::function<Result<StepResult>(AwsContext&, const TypeSpec&, const InstanceRef&,
                                   const Json& config)>
      custom_create;
  std::function<Result<std::optional<Json>>(AwsContext&, const TypeSpec&, const Json& state)>
      custom_read;
  std::function<Status(AwsContext&, const TypeSpec&, const Json& state)> custom_delete;
  std::function<Result<std::optional<Json>>(AwsContext&, const TypeSpec&, const InstanceRef&,
                                            const Json& config)>
      custom_find;
  // Find by a lookup of its own: the prior state (the config with the id of what an
  // interrupted create made, or nullopt), which Find then reads as Read does, so the adopted
  // state is whole (ARNs, DNS names).
  std::function<Result<std::optional<Json>>(AwsContext&, const InstanceRef&, const Json& config)>
      find_prior;
  // Import: the state to read from an import id (default {"id": ID}).
  std::function<Result<Json>(AwsContext&, const TypeSpec&, std::string_view id)> import_state;
};

// Template filling (see the header comment). `attrs` are the attributes "$attr.X" reads.
struct TemplateVars {
  std::string id{};
  std::string token{};
  const Json* attrs = nullptr;
  const Json* value = nullptr;
  std::string account{};
};
Json Fill(AwsContext& ctx, const Json& tmpl, const TemplateVars& vars);

// Nested blocks to and from the API (Member). Subset: every member `want` sets is in `have`.
Json BlocksToApi(const std::vector<Member>& members, const Json& tf, Member::Kind kind);
Json BlocksFromApi(const std::vector<Member>& members, const Json& api, Member::Kind kind);
bool Subset(const Json& want, const Json& have);
Json ToApi(const Json& v, Conv conv);
Json FromApi(const Json& v, Conv conv, const Json& prior);

// Paths: "A.B", "A[0].B", "a.0.b"; GetPath also flattens with "[]" ("Reservations[].Instances":
// every reservation's instances in one list). Get returns null when absent.
Json GetPath(const Json& root, std::string_view path);
void SetPath(Json& root, std::string_view path, Json value);

// Tags to and from the API's forms; `clusterform:address` is never returned by FromApi.
Json TagsToList(const Json& tags, const TagSpec& spec);
Json TagsFromApi(const Json& api, const TagSpec& spec);
// config.tags merged over the default tags.
Json TagsAll(AwsContext& ctx, const Json& config);

// The string attribute `name` of `j`, "" when absent or not a string.
std::string Str(const Json& j, std::string_view name);
// An EC2 filter list: [{"Name": name, "Values": values}].
Json Ec2Filter(std::string_view name, std::vector<std::string> values);
// True when two JSON document strings parse to the same value (or are equal strings).
bool SameDocument(const std::string& a, const std::string& b);

// The registries of descriptions, one per service family.
void AddEc2Types(std::vector<TypeSpec>& out);
void AddEc2RuleTypes(std::vector<TypeSpec>& out);
void AddIamTypes(std::vector<TypeSpec>& out);
void AddDataTypes(std::vector<TypeSpec>& out);  // KMS, Secrets Manager, DynamoDB, Logs
void AddS3Types(std::vector<TypeSpec>& out);
void AddComputeTypes(std::vector<TypeSpec>& out);        // EC2 instances, Auto Scaling groups
void AddLbTypes(std::vector<TypeSpec>& out);             // ELBv2
void AddOrchestrationTypes(std::vector<TypeSpec>& out);  // Lambda, Step Functions, EventBridge
void AddDnsTypes(std::vector<TypeSpec>& out);            // Route 53, ACM
void AddRdsTypes(std::vector<TypeSpec>& out);            // RDS (Aurora MySQL)

inline constexpr std::string_view kAddressTag = "clusterform:address";

}  // namespace cf::provider::aws_spec
