#include "cli/weka_deployment.h"

#include <fmt/format.h>

#include "config/variables.h"
#include "hcl/diagnostic.h"
#include "hcl/function.h"

namespace cf::cli {

namespace {

// A whole-number input, or `fallback` when it is not one.
int IntInput(const hcl::Value& v, int fallback) {
  if (!v.IsKnown() || v.IsNull() || v.type() != hcl::Type::Number()) {
    return fallback;
  }
  std::optional<int64_t> n = v.AsNumber().ToInt64();
  return n ? static_cast<int>(*n) : fallback;
}

// containers_config_map[instance_type].frontend > 0 decides whether a frontend0 container
// runs beside drives0 and compute0 (the deploy script's rule).
int ContainersPerMachine(const std::map<std::string, hcl::Value>& inputs) {
  auto map = inputs.find("containers_config_map");
  auto type = inputs.find("instance_type");
  if (map == inputs.end() || type == inputs.end() || !map->second.IsKnown() ||
      map->second.IsNull() || !type->second.IsKnown() || type->second.IsNull() ||
      type->second.type() != hcl::Type::String()) {
    return 3;
  }
  hcl::Value unmarked = map->second.UnmarkDeep();
  const hcl::ValueMap& entries = unmarked.Attributes();
  auto entry = entries.find(type->second.AsString());
  if (entry == entries.end()) {
    return 3;
  }
  return IntInput(entry->second.GetAttr("frontend"), 1) > 0 ? 3 : 2;
}

std::string StringAttribute(const state::InstanceState* instance, const char* name) {
  if (instance == nullptr || !instance->attributes.contains(name) ||
      !instance->attributes[name].is_string()) {
    return "";
  }
  return instance->attributes[name].get<std::string>();
}

}  // namespace

Result<WekaDeployment> FindWekaDeployment(const LoadedConfiguration& loaded,
                                          const state::State& state) {
  const config::EvaluatedModuleCall* call = nullptr;
  for (const config::EvaluatedModuleCall& m : loaded.desired.config.modules) {
    if (m.definition == nullptr || m.definition->source != "weka/weka/aws") {
      continue;
    }
    if (call != nullptr) {
      return InvalidArgumentError(fmt::format(
          "the configuration calls the WEKA module twice (module \"{}\" and module \"{}\"); "
          "status and scale work on a configuration with one WEKA deployment",
          call->name, m.name));
    }
    call = &m;
  }
  if (call == nullptr) {
    return NotFoundError(
        "the configuration has no WEKA deployment: no module block with source = "
        "\"weka/weka/aws\"");
  }
  WekaDeployment out;
  out.module = call->name;
  const std::string prefix = "module." + call->name + ".";
  const state::InstanceState* asg = state.Find(prefix + "aws_autoscaling_group.backend");
  const state::InstanceState* status = state.Find(prefix + "aws_lambda_function.this[\"status\"]");
  out.asg_name = StringAttribute(asg, "name");
  out.status_function = StringAttribute(status, "function_name");
  if (out.asg_name.empty() || out.status_function.empty()) {
    return NotFoundError(fmt::format(
        "the state has no {} of module \"{}\": the deployment has not been applied (run "
        "`clusterform apply` first)",
        out.asg_name.empty() ? "backend autoscaling group" : "status function", call->name));
  }
  auto size = call->inputs.find("cluster_size");
  out.cluster_size = size == call->inputs.end() ? 0 : IntInput(size->second, 0);
  out.containers_per_machine = ContainersPerMachine(call->inputs);
  out.cluster_size_decl = call->definition->schema->FindVariable("cluster_size");
  out.inputs = hcl::Value::Object(hcl::ValueMap(call->inputs.begin(), call->inputs.end()));
  return out;
}

Status ValidateClusterSize(const WekaDeployment& deployment, int size) {
  if (deployment.cluster_size_decl == nullptr || !deployment.inputs.IsKnown() ||
      deployment.inputs.IsNull()) {
    return InternalError("the WEKA module's cluster_size declaration is missing");
  }
  hcl::ValueMap inputs = deployment.inputs.Attributes();
  inputs["cluster_size"] = hcl::Value::Num(hcl::Number(static_cast<int64_t>(size)));
  hcl::Diagnostics diags;
  config::ValueOrigin origin;
  origin.what = "cluster_size";
  config::ValidateVariableValue(*deployment.cluster_size_decl, hcl::Value::Object(inputs), origin,
                                hcl::FunctionContext{}, diags);
  for (const hcl::Diagnostic& d : diags) {
    if (d.severity == hcl::Severity::kError) {
      // The detail is the module's error_message, then where the rule is declared.
      return InvalidArgumentError(d.detail.substr(0, d.detail.find("\n\n")));
    }
  }
  return OkStatus();
}

}  // namespace cf::cli
