#include "cli/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/crypto.h"
#include "hcl/eval.h"
#include "hcl/value_json.h"
#include "provider/aws_provider.h"
#include "provider/lambda_package.h"
#include "provider/plan_data_sources.h"
#include "state/local_backend.h"

namespace cf::cli {

namespace {

using Json = nlohmann::json;

// Each aws_lambda_function whose `filename` is known: the package is found now (a missing one
// is an error naming where it was looked for) and, when source_code_hash is not set, its hash
// becomes the planned source_code_hash, so a rebuilt package is a change to the function's
// code. `hashes` caches path -> (size, hash) across expansions of one command.
int ResolveLambdaPackages(graph::DesiredState& desired, const FileSystem& fs,
                          const std::vector<std::string>& dirs,
                          std::map<std::string, std::pair<size_t, std::string>>& hashes,
                          const Io& io) {
  int errors = 0;
  auto resolve = [&](graph::ResourceInstance& instance) {
    if (instance.type != "aws_lambda_function" || instance.mode != graph::ResourceMode::kManaged ||
        !instance.values.IsKnown() || instance.values.IsNull() ||
        !instance.values.type().IsObject()) {
      return;
    }
    hcl::Value filename = instance.values.GetAttr("filename");
    if (!filename.IsKnown() || filename.IsNull() ||
        filename.type().kind() != hcl::TypeKind::kString) {
      return;
    }
    // The configuration directory is read through `fs`; the package the build puts next
    // to the executable is on the real disk whatever `fs` is.
    static const RealFileSystem kDisk;
    const FileSystem* source = &fs;
    Result<std::string> path = provider::FindLambdaPackage(fs, filename.AsString(), dirs);
    if (!path.ok() && dirs.size() > 1) {
      std::vector<std::string> beside_binary(dirs.begin() + 1, dirs.end());
      Result<std::string> found =
          provider::FindLambdaPackage(kDisk, filename.AsString(), beside_binary);
      if (found.ok()) {
        path = std::move(found);
        source = &kDisk;
      }
    }
    if (!path.ok()) {
      fmt::print(io.err, "Error: {}: {}\n", instance.Address(), path.status().message());
      ++errors;
      return;
    }
    hcl::Value configured = instance.values.GetAttr("source_code_hash");
    if (!configured.IsNull()) {
      return;
    }
    Result<std::string> zip = source->ReadFile(*path);
    if (!zip.ok()) {
      fmt::print(io.err, "Error: {}: reading {}: {}\n", instance.Address(), *path,
                 zip.status().message());
      ++errors;
      return;
    }
    auto cached = hashes.find(*path);
    if (cached == hashes.end() || cached->second.first != zip->size()) {
      cached =
          hashes.insert_or_assign(*path, std::pair{zip->size(), provider::LambdaPackageHash(*zip)})
              .first;
    }
    hcl::ValueMap attributes = instance.values.Attributes();
    attributes["source_code_hash"] = hcl::Value::String(cached->second.second);
    instance.values = hcl::Value::Object(std::move(attributes));
    std::erase(instance.computed, "source_code_hash");
  };
  for (graph::ResourceInstance& instance : desired.root.instances) {
    resolve(instance);
  }
  for (graph::Expansion& expansion : desired.modules) {
    for (graph::ResourceInstance& instance : expansion.instances) {
      resolve(instance);
    }
  }
  return errors;
}

std::optional<std::string> BackendString(const config::Backend& backend, std::string_view name,
                                         std::string* error) {
  for (const hcl::Attribute* attr : backend.body->attributes) {
    if (attr->name != name) {
      continue;
    }
    hcl::MapScope scope;
    hcl::Diagnostics diags;
    hcl::Value v = hcl::Evaluate(attr->expr, scope, &diags, {});
    if (diags.HasErrors() || !v.IsKnown() || v.IsNull() ||
        v.type().kind() != hcl::TypeKind::kString) {
      *error = fmt::format("{}:{}:{}: the backend's \"{}\" must be a literal string",
                           attr->expr->range.filename, attr->expr->range.start.line,
                           attr->expr->range.start.column, name);
      return std::nullopt;
    }
    return v.AsString();
  }
  return std::nullopt;
}

Json TypeJson(const hcl::Value& v) {
  const hcl::Type& t = v.type();
  switch (t.kind()) {
    case hcl::TypeKind::kString:
      return "string";
    case hcl::TypeKind::kNumber:
      return "number";
    case hcl::TypeKind::kBool:
      return "bool";
    default:
      break;
  }
  if (t.IsMapping()) {
    Json attrs = Json::object();
    for (const auto& [k, e] : v.Attributes()) {
      attrs[k] = TypeJson(e);
    }
    return Json::array({"object", attrs});
  }
  if (t.IsSequence()) {
    Json elements = Json::array();
    for (const hcl::Value& e : v.Elements()) {
      elements.push_back(TypeJson(e));
    }
    return Json::array({"tuple", elements});
  }
  return "dynamic";
}

}  // namespace

Result<OpenedBackend> OpenBackend(const std::string& dir, const config::RootModule& root,
                                  FileSystem& fs, bool real_files,
                                  const std::map<std::string, std::string>& environment) {
  std::string path = "clusterform.tfstate";
  if (root.terraform.backend) {
    const config::Backend& b = *root.terraform.backend;
    if (b.type == "s3") {
      return OpenS3Backend(b, dir, fs, environment);
    }
    if (b.type != "local") {
      return InvalidArgumentError(fmt::format(
          "{}:{}:{}: the \"{}\" backend is not available in this build; use \"local\" (the "
          "default) or \"s3\"",
          b.range.filename, b.range.start.line, b.range.start.column, b.type));
    }
    std::string error;
    std::optional<std::string> given = BackendString(b, "path", &error);
    if (!error.empty()) {
      return InvalidArgumentError(error);
    }
    if (given) {
      path = *given;
    }
  }
  if (path.empty() || path[0] != '/') {
    path = dir == "." ? path : JoinPath(dir, path);
  }
  OpenedBackend out;
  out.backend = std::make_unique<state::LocalBackend>(fs, path, real_files);
  out.sealers = state::LocalKeySealers(fs, path);
  return out;
}

Providers::Providers(FileSystem& fs, const std::string& dir, bool real_files,
                     const std::map<std::string, std::string>& environment)
    : local_(fs, dir,
             real_files ? provider::PosixChmod : std::function<Status(const std::string&, int)>()),
      aws_(fs, environment),
      composite_({&local_, &aws_}) {}

bool Providers::Supports(std::string_view type, bool data) const {
  if (data) {
    return provider::IsPlanTimeDataSource(type);
  }
  return composite_.Supports(type);
}

std::vector<std::string> Providers::SupportedTypes(bool data) const {
  if (data) {
    return {"aws_availability_zones", "aws_caller_identity", "aws_partition", "aws_region"};
  }
  std::vector<std::string> types = provider::LocalTypesProvider::Types();
  for (const std::string& t : provider::AwsProviderTypes()) {
    types.push_back(t);
  }
  std::sort(types.begin(), types.end());
  return types;
}

Engine::Engine(std::string dir, std::vector<config::VarOption> vars,
               std::map<std::string, std::string> environment, FileSystem& fs, bool real_files)
    : dir_(std::move(dir)),
      vars_(std::move(vars)),
      environment_(std::move(environment)),
      fs_(fs),
      real_files_(real_files),
      providers_(fs, dir_, real_files, environment_),
      package_dirs_(provider::LambdaPackageDirs(dir_)) {
  providers_.SetPackageDirs(package_dirs_);
}

bool Engine::Open(const Io& io) {
  root_ = config::LoadRootModule(dir_, fs_);
  if (root_.diagnostics.HasErrors()) {
    for (const hcl::Diagnostic& d : root_.diagnostics) {
      fmt::print(io.err, "{}\n", hcl::FormatDiagnostic(d, root_.module->SourceOf(d.filename)));
      errors_ += d.severity == hcl::Severity::kError ? 1 : 0;
    }
    return false;
  }
  Result<OpenedBackend> backend = OpenBackend(dir_, *root_.module, fs_, real_files_, environment_);
  if (!backend.ok()) {
    fmt::print(io.err, "Error: {}\n", backend.status().message());
    return false;
  }
  backend_ = std::move(backend->backend);
  store_ = std::make_unique<state::StateStore>(*backend_, std::move(backend->sealers), kVersion);
  Status loaded = store_->Load();
  if (!loaded.ok()) {
    fmt::print(io.err, "Error: {}\n", loaded.message());
    return false;
  }
  return true;
}

LoadedConfiguration* Engine::Expand(const state::State& state, const Io& io) {
  applied_ = plan::AppliedFromState(state);
  LoadExtras extras;
  extras.applied = &applied_;
  extras.supports = [this](std::string_view type, bool data) {
    return providers_.Supports(type, data);
  };
  extras.supported_types = [this](bool data) { return providers_.SupportedTypes(data); };
  loaded_ = LoadConfiguration(dir_, vars_, environment_, fs_, {}, true, extras);
  int errors = PrintDiagnostics(*loaded_, io);
  if (errors == 0) {
    errors = ResolveLambdaPackages(loaded_->desired, fs_, package_dirs_, package_hashes_, io);
  }
  if (errors > 0) {
    errors_ += errors;
    return nullptr;
  }
  providers_.Configure(loaded_->desired.config.provider);
  return loaded_.get();
}

std::string Engine::ConfigurationDigest() const {
  std::string all;
  for (const auto& file : root_.module->files) {
    all += file->filename();
    all += '\0';
    all += file->source();
    all += '\0';
  }
  for (const config::VarOption& v : vars_) {
    all += v.text;
    all += '\0';
    if (v.kind == config::VarOption::Kind::kVarFile) {
      Result<std::string> text = fs_.ReadFile(v.text);
      all += text.ok() ? *text : std::string();
      all += '\0';
    }
  }
  // terraform.tfvars and *.auto.tfvars are inputs too.
  Result<std::vector<std::string>> names = fs_.ListDirectory(dir_);
  if (names.ok()) {
    for (const std::string& name : *names) {
      if (name.size() > 7 && name.compare(name.size() - 7, 7, ".tfvars") == 0) {
        Result<std::string> text = fs_.ReadFile(dir_ == "." ? name : JoinPath(dir_, name));
        all += name + '\0' + (text.ok() ? *text : std::string()) + '\0';
      }
    }
  }
  return Sha256Hex(all);
}

Status ExpandingConfigSource::RefreshLocked() {
  state::State now = engine_.store().Snapshot();
  if (loaded_ != nullptr && now.serial == serial_) {
    return OkStatus();
  }
  loaded_ = engine_.Expand(now, io_);
  if (loaded_ == nullptr) {
    return InvalidArgumentError("the configuration no longer evaluates (see the errors above)");
  }
  serial_ = now.serial;
  return OkStatus();
}

Result<Json> ExpandingConfigSource::Config(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(RefreshLocked());
  for (const graph::ResourceInstance* instance : loaded_->desired.Instances()) {
    if (instance->Address() != address) {
      continue;
    }
    hcl::Value args = plan::ProviderArguments(*instance, loaded_->schemas);
    if (!args.IsWhollyKnown()) {
      std::vector<std::string> unknown;
      for (const auto& [name, v] : args.Attributes()) {
        if (!v.IsWhollyKnown()) {
          unknown.push_back(name);
        }
      }
      return InvalidArgumentError(fmt::format(
          "{}: the arguments {} are still unknown after everything they depend on was applied",
          address, fmt::join(unknown, ", ")));
    }
    Json config = Json::parse(hcl::ValueToJson(args.UnmarkDeep()), nullptr, false);
    if (config.is_discarded() || !config.is_object()) {
      return InternalError(address + ": the arguments do not encode as a JSON object");
    }
    // Arguments set to null are not set.
    for (auto it = config.begin(); it != config.end();) {
      it = it->is_null() ? config.erase(it) : std::next(it);
    }
    // lifecycle ignore_changes: an existing object keeps what it has for those arguments
    // (the WEKA module's autoscaling group keeps the size `clusterform scale` gave it).
    if (instance->ignore_all_changes || !instance->ignore_changes.empty()) {
      state::State now = engine_.store().Snapshot();
      const state::InstanceState* prior = now.Find(address);
      if (prior != nullptr && prior->Exists()) {
        for (auto it = config.begin(); it != config.end(); ++it) {
          if (instance->Ignores(it.key()) && prior->attributes.contains(it.key())) {
            it.value() = prior->attributes[it.key()];
          }
        }
      }
    }
    return config;
  }
  return NotFoundError(address + " is no longer in the configuration");
}

std::vector<std::string> ExpandingConfigSource::SensitiveArguments(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  if (!RefreshLocked().ok()) {
    return out;
  }
  for (const graph::ResourceInstance* instance : loaded_->desired.Instances()) {
    if (instance->Address() == address && instance->values.IsKnown() &&
        !instance->values.IsNull()) {
      for (const auto& [name, v] : instance->values.Attributes()) {
        if (v.ContainsSensitive()) {
          out.push_back(name);
        }
      }
      for (const std::string& name : loaded_->schemas.Sensitive(instance->type)) {
        out.push_back(name);
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<PlanOutcome> MakeEnginePlan(Engine& engine, const PlanRequest& request,
                                          const Io& io) {
  PlanOutcome out;
  out.prior = engine.store().Snapshot();
  out.refreshed = out.prior;
  if (request.refresh && !out.prior.Empty()) {
    // The provider settings come from the configuration: evaluate it once before refresh.
    if (engine.Expand(out.prior, io) == nullptr) {
      return std::nullopt;
    }
    Result<plan::RefreshResult> refreshed = plan::Refresh(out.prior, engine.providers().get());
    if (!refreshed.ok()) {
      fmt::print(io.err, "Error: {}\n", refreshed.status().message());
      return std::nullopt;
    }
    out.refreshed = std::move(refreshed->refreshed);
    out.read_calls = refreshed->read_calls;
  }
  out.loaded = engine.Expand(out.refreshed, io);
  if (out.loaded == nullptr) {
    return std::nullopt;
  }
  plan::PlanOptions options;
  options.prior = &out.refreshed;
  options.unrefreshed = request.refresh ? &out.prior : nullptr;
  options.rules = [&engine](std::string_view type) { return engine.providers().get().Rules(type); };
  options.replace = request.replace;
  options.targets = request.targets;
  options.destroy = request.destroy;
  options.refresh_only = request.refresh_only;
  out.plan = plan::MakePlan(out.loaded->desired, out.loaded->schemas, options);
  // Replacement propagation: what refers to an instance being replaced must not keep its old
  // id. Expanded again without the replaced instances, their computed attributes are unknown
  // (known after apply), so what refers to them is updated, or replaced where the argument
  // forces it; until no more instances are replaced.
  std::set<std::string> replaced;
  while (!request.destroy && !request.refresh_only) {
    bool more = false;
    for (const plan::ResourceChange& c : out.plan.resource_changes) {
      if (c.action == plan::Action::kReplace || c.action == plan::Action::kCreateThenDelete) {
        more = replaced.insert(c.address).second || more;
      }
    }
    if (!more) {
      break;
    }
    state::State without = out.refreshed;
    for (const std::string& address : replaced) {
      without.Remove(address);
    }
    out.loaded = engine.Expand(without, io);
    if (out.loaded == nullptr) {
      return std::nullopt;
    }
    out.plan = plan::MakePlan(out.loaded->desired, out.loaded->schemas, options);
  }
  return out;
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  size_t n = 0;
  while (n < text.size() && std::isdigit(static_cast<unsigned char>(text[n]))) {
    ++n;
  }
  std::string_view unit = text.substr(n);
  if (n == 0 || (unit != "ms" && unit != "s" && unit != "m" && unit != "h" && !unit.empty())) {
    return InvalidArgumentError(
        fmt::format("\"{}\" is not a duration (such as 0s, 500ms, 30s, 5m)", text));
  }
  int64_t v = std::stoll(std::string(text.substr(0, n)));
  if (unit == "ms") {
    return std::chrono::milliseconds(v);
  }
  if (unit == "m") {
    return std::chrono::milliseconds(v * 60000);
  }
  if (unit == "h") {
    return std::chrono::milliseconds(v * 3600000);
  }
  return std::chrono::milliseconds(v * 1000);
}

std::vector<apply::Operation> OperationsFor(const plan::Plan& plan, const state::State& state) {
  std::vector<apply::Operation> ops;
  std::set<std::string> deleted;
  for (const plan::ResourceChange& c : plan.resource_changes) {
    if (c.action == plan::Action::kDelete) {
      deleted.insert(c.address);
    }
  }
  for (const plan::ResourceChange& c : plan.resource_changes) {
    if (c.mode != graph::ResourceMode::kManaged || c.action == plan::Action::kNoOp ||
        c.action == plan::Action::kRead) {
      continue;
    }
    apply::Operation op;
    op.address = c.address;
    op.type = c.type;
    const state::InstanceState* prior = state.Find(c.address);
    if (prior != nullptr && prior->Exists()) {
      op.prior = prior->attributes;
    }
    switch (c.action) {
      case plan::Action::kCreate:
        op.kind = apply::OpKind::kCreate;
        if (!c.adopt_token.empty()) {
          op.adopt_token = c.adopt_token;
        }
        break;
      case plan::Action::kUpdate:
        op.kind = apply::OpKind::kUpdate;
        break;
      case plan::Action::kReplace:
        op.kind = apply::OpKind::kReplace;
        break;
      case plan::Action::kCreateThenDelete:
        op.kind = apply::OpKind::kReplaceCreateFirst;
        break;
      case plan::Action::kDelete:
        op.kind = apply::OpKind::kDelete;
        break;
      default:
        continue;
    }
    if (c.action != plan::Action::kDelete) {
      op.depends_on = c.depends_on;
    }
    if (c.action == plan::Action::kDelete || c.action == plan::Action::kReplace ||
        c.action == plan::Action::kCreateThenDelete) {
      // After the deletes of everything that depended on it (a replacement's old object too).
      for (const std::string& other : deleted) {
        const state::InstanceState* o = state.Find(other);
        if (o != nullptr && std::find(o->dependencies.begin(), o->dependencies.end(), c.address) !=
                                o->dependencies.end()) {
          op.depends_on.push_back(other);
        }
      }
    }
    ops.push_back(std::move(op));
  }
  return ops;
}

std::string StateProviderName(std::string_view type) {
  return fmt::format("provider[\"{}\"]", provider::AwsResourceSchemas::ProviderName(type));
}

std::map<std::string, state::OutputState> OutputsFor(const graph::DesiredState& desired) {
  std::map<std::string, state::OutputState> out;
  for (const auto& [name, o] : desired.config.outputs) {
    if (!o.value.IsWhollyKnown()) {
      continue;
    }
    Json value = Json::parse(hcl::ValueToJson(o.value.UnmarkDeep()), nullptr, false);
    if (value.is_discarded()) {
      continue;
    }
    out[name] = state::OutputState{value, TypeJson(o.value), o.sensitive};
  }
  return out;
}

std::string RenderOutputs(const std::map<std::string, state::OutputState>& outputs) {
  std::string text;
  for (const auto& [name, o] : outputs) {
    if (o.sensitive) {
      text += fmt::format("{} = <sensitive>\n", name);
    } else if (o.value.is_string()) {
      text += fmt::format("{} = {}\n", name, Json(o.value.get<std::string>()).dump());
    } else {
      text += fmt::format("{} = {}\n", name, o.value.dump());
    }
  }
  return text;
}

}  // namespace cf::cli
