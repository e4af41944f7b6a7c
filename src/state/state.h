#pragma once

// The state of a deployment: every resource instance that exists, with its attributes, and
// the outputs, in the layout of Terraform's state format version 4 (same field names where
// the concept is the same) so that users and tools can read it. docs/state.md specifies the
// file. Sensitive attribute values are sealed (state/sealer.h) before the state is written;
// a State in memory holds them in clear.

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cf::state {

using Json = nlohmann::json;

inline constexpr int kStateVersion = 4;

// A create that was started and whose result is not yet recorded: the write-ahead record that
// lets the next run adopt what an interrupted one created (provider Find with the same token).
struct PendingCreate {
  std::string token;
  std::string started;  // RFC 3339
};

struct InstanceState {
  Json index_key;                    // null (no key), a number (count) or a string (for_each)
  Json attributes = Json::object();  // every argument and computed attribute; empty when pending
  // Top-level attribute names whose values are sensitive (sealed in the file).
  std::vector<std::string> sensitive_attributes;
  std::vector<std::string> dependencies;  // addresses, sorted
  std::optional<PendingCreate> pending;   // set while a create is in flight
  // True when the object exists (attributes recorded); false for a pending-only record.
  bool Exists() const { return !attributes.empty(); }
};

struct ResourceState {
  std::string module;            // "module.weka"; empty for the root module
  std::string mode = "managed";  // "managed" or "data"
  std::string type;
  std::string name;
  std::string provider;  // provider["registry.terraform.io/hashicorp/aws"]
  std::vector<InstanceState> instances;

  // "module.weka.aws_vpc.this" / "data.aws_region.current".
  std::string BlockAddress() const;
};

struct OutputState {
  Json value;
  Json type;  // Terraform's type JSON ("string", ["list","string"], ...)
  bool sensitive = false;
};

// The parts of an instance address: "module.a.aws_vpc.this[0]".
struct ParsedAddress {
  std::string module;
  std::string mode = "managed";
  std::string type;
  std::string name;
  Json index_key;  // null, number or string
};
// InvalidArgument for something that is not a resource instance address.
Result<ParsedAddress> ParseAddress(std::string_view address);
// "", "[0]" or "[\"key\"]".
std::string IndexSuffix(const Json& index_key);

// The data key sealed values are encrypted under, as KMS wrapped it (GenerateDataKey's
// CiphertextBlob, base64): only someone allowed kms:Decrypt on `kms_key_id` can open the state.
// Absent when the key is a local key file.
struct DataKeyRecord {
  std::string kms_key_id;  // the KMS key (id, ARN or alias) that wrapped it
  std::string ciphertext;  // base64
};

struct State {
  int version = kStateVersion;
  std::string terraform_version;  // clusterform's version that wrote it
  int64_t serial = 0;
  std::string lineage;
  std::map<std::string, OutputState> outputs;
  // Sorted by module, mode, type, name; instances by key.
  std::vector<ResourceState> resources;
  // The wrapped data key of a KMS-sealed state ("clusterform": {"data_key": ...} in the file).
  std::optional<DataKeyRecord> data_key;

  // Every instance address, sorted as the resources are.
  std::vector<std::string> Addresses() const;
  const InstanceState* Find(std::string_view address) const;
  InstanceState* FindMutable(std::string_view address);
  // The instance at `address`, created (with its resource) when missing.
  InstanceState& Upsert(const ParsedAddress& address, const std::string& provider);
  // Removes the instance (and its resource when it was the last); false when absent.
  bool Remove(std::string_view address);
  bool Empty() const { return resources.empty(); }
};

// A new lineage: a random UUID (version 4).
std::string NewLineage();

// The token of a create: deterministic per lineage and address, [a-z0-9-], 36 characters.
std::string CreateToken(std::string_view lineage, std::string_view address);

// The file's JSON (pretty, two-space indentation, trailing newline). Sealing is the caller's.
std::string Serialize(const State& state);
// InvalidArgument naming what is wrong; a version newer than kStateVersion is refused.
Result<State> Parse(std::string_view text);

}  // namespace cf::state
