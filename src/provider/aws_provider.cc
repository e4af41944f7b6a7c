#include "provider/aws_provider.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "provider/aws_type_spec.h"

namespace cf::provider {

namespace {

using aws_spec::AwsContext;
using aws_spec::Conv;
using aws_spec::Field;
using aws_spec::FromApi;
using aws_spec::GetPath;
using aws_spec::SetPath;
using aws_spec::Str;
using aws_spec::TagSpec;
using aws_spec::TagsToList;
using aws_spec::TemplateVars;
using aws_spec::ToApi;
using aws_spec::TypeSpec;

std::vector<TypeSpec> AllSpecs() {
  std::vector<TypeSpec> specs;
  aws_spec::AddEc2Types(specs);
  aws_spec::AddEc2RuleTypes(specs);
  aws_spec::AddIamTypes(specs);
  aws_spec::AddDataTypes(specs);
  aws_spec::AddS3Types(specs);
  aws_spec::AddComputeTypes(specs);
  aws_spec::AddLbTypes(specs);
  aws_spec::AddOrchestrationTypes(specs);
  aws_spec::AddDnsTypes(specs);
  aws_spec::AddRdsTypes(specs);
  return specs;
}

bool IsGone(const Status& s, const TypeSpec& spec) {
  if (s.code() == StatusCode::kNotFound) {
    return true;
  }
  std::string code = AwsContext::ErrorCode(s);
  return std::find(spec.read.gone_codes.begin(), spec.read.gone_codes.end(), code) !=
         spec.read.gone_codes.end();
}

class AwsProvider : public ResourceProvider {
 public:
  AwsProvider(aws::Client& client, AwsProviderOptions options) : ctx_(client, std::move(options)) {
    for (TypeSpec& spec : AllSpecs()) {
      std::string type = spec.type;
      specs_.emplace(type, std::move(spec));
    }
  }

  bool Supports(std::string_view type) const override { return specs_.contains(type); }

  std::string Pool(std::string_view type) const override {
    const TypeSpec* spec = Find(type);
    return spec == nullptr ? "aws" : spec->service;
  }

  UpdateRules Rules(std::string_view type) const override {
    const TypeSpec* spec = Find(type);
    return spec == nullptr ? UpdateRules{} : UpdateRules{spec->force_new};
  }

  Result<StepResult> Create(const InstanceRef& ref, const Json& given) override {
    ASSIGN_OR_RETURN(const TypeSpec* spec, Spec(ref.type));
    Json config = given;
    if (spec->prepare) {
      RETURN_IF_ERROR(spec->prepare(ctx_, ref, config));
    }
    if (spec->custom_create) {
      return spec->custom_create(ctx_, *spec, ref, config);
    }
    ASSIGN_OR_RETURN(std::string account, AccountIfNeeded(*spec));
    TemplateVars vars{.token = ref.token, .attrs = &config, .account = account};
    Json params = aws_spec::Fill(ctx_, spec->create_params, vars);
    for (const Field& f : spec->fields) {
      if (f.create.empty()) {
        continue;
      }
      Json v = GetPath(config, f.attr);
      if (!f.block.empty()) {
        v = aws_spec::BlocksToApi(f.block, v, f.block_kind);
        if (!v.is_null() && !(v.is_array() && v.empty())) {
          SetPath(params, f.create, std::move(v));
        }
      } else if (!v.is_null()) {
        SetPath(params, f.create, ToApi(v, f.conv));
      }
    }
    Json tags = aws_spec::TagsAll(ctx_, config);
    if (spec->find_by_tag || spec->tag_address) {
      tags[std::string(aws_spec::kAddressTag)] = ref.address;
    }
    const TagSpec& ts = spec->tags;
    if (ts.style != TagSpec::Style::kNone && ts.at_create && !tags.empty()) {
      if (!ts.ec2_resource_type.empty()) {
        params["TagSpecifications"] =
            Json::array({{{"ResourceType", ts.ec2_resource_type}, {"Tags", TagsToList(tags, ts)}}});
      } else {
        SetPath(params, ts.create_member, TagsToList(tags, ts));
      }
    }
    if (!spec->client_token.empty()) {
      params[spec->client_token] = ref.token;
    }
    if (spec->build_create) {
      RETURN_IF_ERROR(spec->build_create(ctx_, config, params));
    }
    std::string id;
    Json out;
    if (spec->locate) {
      ASSIGN_OR_RETURN(id, spec->locate(ctx_, config));
    } else {
      ASSIGN_OR_RETURN(out, ctx_.Call(spec->service, spec->create_op, params));
    }
    if (spec->locate) {
      // Located, not created.
    } else if (spec->make_id) {
      id = spec->make_id(config, out);
    } else if (!spec->create_id.empty()) {
      Json v = GetPath(out, spec->create_id);
      id = v.is_string() ? v.get<std::string>() : v.dump();
    } else {
      Json v = aws_spec::Fill(ctx_, spec->id_template, vars);
      id = v.is_string() ? v.get<std::string>() : "";
    }
    if (id.empty()) {
      return InternalError(ref.type + ": " + spec->create_op + " answered no id");
    }
    Json state = config;
    state["id"] = id;
    Status rest = OkStatus();
    if (ts.style != TagSpec::Style::kNone && (!ts.at_create || spec->locate) && !tags.empty()) {
      rest = TagChanges(*spec, state, Json::object(), tags);
    }
    if (rest.ok() && spec->after_create) {
      rest = spec->after_create(ctx_, *spec, config, state);
    }
    if (!rest.ok()) {
      // Leave nothing behind that state would not know of.
      Status ignored = DeleteNow(*spec, state);
      (void)ignored;
      return rest;
    }
    return Settle(*spec, state, /*deleting=*/false);
  }

  Result<std::vector<std::optional<Json>>> Read(std::string_view type,
                                                const std::vector<Json>& states) override {
    ASSIGN_OR_RETURN(const TypeSpec* spec, Spec(type));
    ASSIGN_OR_RETURN(std::vector<std::optional<Json>> items, ReadItems(*spec, states));
    std::vector<std::optional<Json>> out(states.size());
    for (size_t i = 0; i < states.size(); ++i) {
      if (items[i].has_value()) {
        Result<Json> state = MapItem(*spec, *items[i], states[i]);
        if (state.ok()) {
          out[i] = std::move(state).value();
        } else if (state.status().code() != StatusCode::kNotFound) {
          return state.status();
        }
      }
    }
    return out;
  }

  Result<StepResult> Update(const InstanceRef& ref, const Json& prior,
                            const Json& config) override {
    ASSIGN_OR_RETURN(const TypeSpec* spec, Spec(ref.type));
    std::string id = Str(prior, "id");
    ASSIGN_OR_RETURN(std::string account, AccountIfNeeded(*spec));
    std::vector<std::string> left;
    for (auto it = config.begin(); it != config.end(); ++it) {
      const std::string& name = it.key();
      if (name == "tags" || name == "tags_all" || name == "id" || name == "timeouts") {
        continue;
      }
      if (prior.contains(name) && prior[name] == it.value()) {
        continue;
      }
      const Field* field = nullptr;
      for (const Field& f : spec->fields) {
        if (f.attr == name && !f.update_op.empty()) {
          field = &f;
        }
      }
      if (field == nullptr) {
        left.push_back(name);
        continue;
      }
      Json value = ToApi(it.value(), field->conv);
      TemplateVars vars{.id = id, .attrs = &config, .value = &value, .account = account};
      RETURN_IF_ERROR(ctx_.Call(spec->service, field->update_op,
                                aws_spec::Fill(ctx_, field->update_params, vars)));
    }
    Json state = prior;
    if (!left.empty()) {
      if (!spec->update) {
        return InvalidArgumentError(ref.type + ": " + left.front() +
                                    " cannot be changed in place (a replacement is needed)");
      }
      state["__changed"] = left;
      RETURN_IF_ERROR(spec->update(ctx_, *spec, config, state));
      state.erase("__changed");
    }
    if (spec->tags.style != TagSpec::Style::kNone) {
      Json want = aws_spec::TagsAll(ctx_, config);
      Json have = prior.contains("tags_all") ? prior["tags_all"] : Json::object();
      if (want != have) {
        RETURN_IF_ERROR(TagChanges(*spec, prior, have, want));
      }
    }
    Json next = config;
    next["id"] = state.value("id", id);
    return Settle(*spec, next, false);
  }

  Result<StepResult> Delete(const InstanceRef& ref, const Json& state) override {
    ASSIGN_OR_RETURN(const TypeSpec* spec, Spec(ref.type));
    RETURN_IF_ERROR(DeleteNow(*spec, state));
    StepResult result;
    result.state = state;
    if (spec->delete_pending) {
      std::lock_guard<std::mutex> lock(mu_);
      deleting_.insert(ref.type + "/" + Str(state, "id"));
      result.pending = true;
    }
    return result;
  }

  Result<std::vector<PollResult>> Poll(std::string_view type,
                                       const std::vector<Json>& states) override {
    ASSIGN_OR_RETURN(const TypeSpec* spec, Spec(type));
    ASSIGN_OR_RETURN(std::vector<std::optional<Json>> items, ReadItems(*spec, states));
    std::vector<PollResult> out(states.size());
    for (size_t i = 0; i < states.size(); ++i) {
      std::string key = std::string(type) + "/" + Str(states[i], "id");
      bool deleting;
      {
        std::lock_guard<std::mutex> lock(mu_);
        deleting = deleting_.contains(key);
      }
      if (!items[i].has_value()) {
        out[i].phase = PollResult::Phase::kGone;
        std::lock_guard<std::mutex> lock(mu_);
        deleting_.erase(key);
        continue;
      }
      ASSIGN_OR_RETURN(aws::WaiterAcceptor::State st,
                       Match(*spec, deleting ? spec->gone_waiter : spec->ready_waiter, *items[i]));
      if (st == aws::WaiterAcceptor::State::kFailure) {
        out[i].phase = PollResult::Phase::kFailed;
        out[i].error = ConflictError(std::string(type) + " " + Str(states[i], "id") + " failed: " +
                                     GetPath(*items[i], spec->read.state_path).dump());
        continue;
      }
      if (st == aws::WaiterAcceptor::State::kSuccess && deleting) {
        out[i].phase = PollResult::Phase::kGone;
        std::lock_guard<std::mutex> lock(mu_);
        deleting_.erase(key);
        continue;
      }
      Result<Json> mapped = MapItem(*spec, *items[i], states[i]);
      if (!mapped.ok() && mapped.status().code() == StatusCode::kNotFound) {
        out[i].phase = PollResult::Phase::kGone;
        continue;
      }
      ASSIGN_OR_RETURN(out[i].state, std::move(mapped));
      out[i].phase = st == aws::WaiterAcceptor::State::kSuccess ? PollResult::Phase::kReady
                                                                : PollResult::Phase::kPending;
    }
    return out;
  }

  Result<std::optional<Json>> Find(const InstanceRef& ref, const Json& given) override {
    ASSIGN_OR_RETURN(const TypeSpec* spec, Spec(ref.type));
    Json config = given;
    if (spec->prepare) {
      RETURN_IF_ERROR(spec->prepare(ctx_, ref, config));
    }
    if (spec->custom_find) {
      ASSIGN_OR_RETURN(std::optional<Json> found, spec->custom_find(ctx_, *spec, ref, config));
      if (!found.has_value()) {
        return found;
      }
      // The hook names the object; the state is what a create records: every computed
      // attribute as Read maps it (an adopted key without key_id or arn leaves what refers to
      // them unknown).
      ASSIGN_OR_RETURN(auto states, Read(ref.type, {*found}));
      return states[0];
    }
    if (spec->find_prior) {
      ASSIGN_OR_RETURN(std::optional<Json> prior, spec->find_prior(ctx_, ref, config));
      if (!prior.has_value()) {
        return prior;
      }
      ASSIGN_OR_RETURN(auto states, Read(ref.type, {*prior}));
      return states[0];
    }
    if (spec->locate) {
      Result<std::string> id = spec->locate(ctx_, config);
      if (!id.ok()) {
        return id.status().code() == StatusCode::kNotFound
                   ? Result<std::optional<Json>>(std::optional<Json>())
                   : Result<std::optional<Json>>(id.status());
      }
      Json prior = config;
      prior["id"] = *id;
      ASSIGN_OR_RETURN(auto states, Read(ref.type, {prior}));
      return states[0];
    }
    if (spec->find_by_tag) {
      Json params = Json::object();
      params[spec->read.filter_member] = aws_spec::Ec2Filter(
          std::string("tag:") + std::string(aws_spec::kAddressTag), {ref.address});
      ASSIGN_OR_RETURN(Json out, ctx_.Call(spec->service, spec->read.op, params));
      for (const Json& item : GetPath(out, spec->read.list)) {
        if (IsGoneItem(*spec, item)) {
          continue;
        }
        Json prior = config;
        prior["id"] = GetPath(item, spec->read.item_id);
        Result<Json> state = MapItem(*spec, item, prior);
        if (!state.ok() && state.status().code() == StatusCode::kNotFound) {
          continue;
        }
        RETURN_IF_ERROR(state);
        return std::optional<Json>(std::move(state).value());
      }
      return std::optional<Json>();
    }
    if (!spec->find_by_name.empty()) {
      std::string name = Str(config, spec->find_by_name);
      if (name.empty()) {
        return std::optional<Json>();
      }
      Json prior = config;
      prior["id"] = name;
      ASSIGN_OR_RETURN(auto states, Read(ref.type, {prior}));
      return states[0];
    }
    return std::optional<Json>();
  }

  Result<Json> Import(std::string_view type, std::string_view id) override {
    ASSIGN_OR_RETURN(const TypeSpec* spec, Spec(type));
    Json prior = {{"id", std::string(id)}};
    if (spec->import_state) {
      ASSIGN_OR_RETURN(prior, spec->import_state(ctx_, *spec, id));
    }
    ASSIGN_OR_RETURN(auto states, Read(type, {prior}));
    if (!states[0].has_value()) {
      return NotFoundError(std::string(type) + " " + std::string(id) + " does not exist");
    }
    return *states[0];
  }

 private:
  const TypeSpec* Find(std::string_view type) const {
    auto it = specs_.find(type);
    return it == specs_.end() ? nullptr : &it->second;
  }

  Result<const TypeSpec*> Spec(std::string_view type) const {
    const TypeSpec* spec = Find(type);
    if (spec == nullptr) {
      return InvalidArgumentError("the AWS provider does not manage " + std::string(type));
    }
    return spec;
  }

  // The account, when the type's templates name it.
  Result<std::string> AccountIfNeeded(const TypeSpec& spec) {
    std::string all = spec.create_params.dump() + spec.delete_params.dump() +
                      spec.read.params.dump() + spec.id_template;
    for (const Field& f : spec.fields) {
      all += f.update_params.dump();
    }
    if (all.find("$account") == std::string::npos) {
      return std::string();
    }
    return ctx_.Account();
  }

  bool IsGoneItem(const TypeSpec& spec, const Json& item) const {
    if (spec.read.state_path.empty()) {
      return false;
    }
    Json st = GetPath(item, spec.read.state_path);
    return st.is_string() && std::find(spec.read.gone_states.begin(), spec.read.gone_states.end(),
                                       st.get<std::string>()) != spec.read.gone_states.end();
  }

  // The API's objects for `states`, one per input; nullopt where gone.
  Result<std::vector<std::optional<Json>>> ReadItems(const TypeSpec& spec,
                                                     const std::vector<Json>& states) {
    std::vector<std::optional<Json>> items(states.size());
    if (spec.custom_read) {
      for (size_t i = 0; i < states.size(); ++i) {
        ASSIGN_OR_RETURN(items[i], spec.custom_read(ctx_, spec, states[i]));
      }
      return items;
    }
    const aws_spec::ReadSpec& r = spec.read;
    if (!r.ids_filter.empty() || !r.ids_member.empty() || r.list_all) {
      std::vector<std::string> ids;
      for (const Json& s : states) {
        std::string id = Str(s, r.key_attr);
        if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) {
          ids.push_back(id);
        }
      }
      std::map<std::string, Json> found;
      if (!ids.empty()) {
        Json params = aws_spec::Fill(ctx_, r.params, {});
        if (!r.ids_filter.empty()) {
          params[r.filter_member] = aws_spec::Ec2Filter(r.ids_filter, ids);
        } else if (!r.ids_member.empty()) {
          params[r.ids_member] = ids;
        }
        for (int page = 0; page < 1000; ++page) {
          Result<Json> out = ctx_.Call(spec.service, r.op, params);
          if (!out.ok()) {
            if (IsGone(out.status(), spec) && ids.size() == 1) {
              break;
            }
            if (IsGone(out.status(), spec) && page == 0) {
              // The API fails the whole call for one missing id: one call each.
              for (size_t i = 0; i < states.size(); ++i) {
                ASSIGN_OR_RETURN(auto one, ReadItems(spec, {states[i]}));
                items[i] = std::move(one[0]);
              }
              return items;
            }
            return out.status();
          }
          for (const Json& item : GetPath(*out, r.list)) {
            Json id = GetPath(item, r.item_id);
            if (id.is_string() && !IsGoneItem(spec, item)) {
              found[id.get<std::string>()] = item;
            }
          }
          std::string next = Str(*out, "NextToken");
          std::string marker = Str(*out, "NextMarker");
          if (!next.empty()) {
            params["NextToken"] = next;
          } else if (!marker.empty() && out->value("Truncated", false)) {
            params["Marker"] = marker;
          } else {
            break;
          }
        }
      }
      for (size_t i = 0; i < states.size(); ++i) {
        auto it = found.find(Str(states[i], r.key_attr));
        if (it != found.end()) {
          items[i] = it->second;
        }
      }
      return items;
    }
    ASSIGN_OR_RETURN(std::string account, AccountIfNeeded(spec));
    for (size_t i = 0; i < states.size(); ++i) {
      TemplateVars vars{.id = Str(states[i], "id"), .attrs = &states[i], .account = account};
      Result<Json> out = ctx_.Call(spec.service, r.op, aws_spec::Fill(ctx_, r.params, vars));
      if (!out.ok()) {
        if (IsGone(out.status(), spec)) {
          continue;
        }
        return out.status();
      }
      Json item = r.object.empty() ? *out : GetPath(*out, r.object);
      if (!r.list.empty()) {
        // One call answers a list (a name prefix): the item with this id.
        Json match;
        for (const Json& e : GetPath(*out, r.list)) {
          if (GetPath(e, r.item_id) == Json(vars.id)) {
            match = e;
          }
        }
        item = match;
      }
      if (item.is_null() || IsGoneItem(spec, item)) {
        continue;
      }
      items[i] = std::move(item);
    }
    return items;
  }

  // The state from one API object, with `prior` for what the API does not return.
  Result<Json> MapItem(const TypeSpec& spec, const Json& item, const Json& prior) {
    Json state = Json::object();
    std::string id = Str(prior, "id");
    if (spec.read.key_attr == "id" && !spec.read.item_id.empty() &&
        GetPath(item, spec.read.item_id).is_string()) {
      id = GetPath(item, spec.read.item_id).get<std::string>();
    }
    state["id"] = id;
    for (const Field& f : spec.fields) {
      Json prior_value = GetPath(prior, f.attr);
      if (f.read.empty()) {
        if (!prior_value.is_null()) {
          SetPath(state, f.attr, prior_value);
        }
        continue;
      }
      Json v = GetPath(item, f.read);
      if (!f.block.empty()) {
        Json want = aws_spec::BlocksToApi(f.block, prior_value, f.block_kind);
        bool keep =
            prior_value.is_array() && (want.is_null() ? v.is_null() : aws_spec::Subset(want, v));
        SetPath(state, f.attr,
                keep ? prior_value : aws_spec::BlocksFromApi(f.block, v, f.block_kind));
        continue;
      }
      if (v.is_null()) {
        v = f.absent;
      }
      if (v.is_null()) {
        continue;
      }
      SetPath(state, f.attr, FromApi(v, f.conv, prior_value));
    }
    const TagSpec& ts = spec.tags;
    if (ts.style != TagSpec::Style::kNone) {
      Json api;
      if (!ts.read_op.empty()) {
        ASSIGN_OR_RETURN(std::string account, AccountIfNeeded(spec));
        TemplateVars vars{.id = id, .attrs = &state, .account = account};
        Result<Json> out =
            ctx_.Call(spec.service, ts.read_op, aws_spec::Fill(ctx_, ts.read_params, vars));
        if (out.ok()) {
          api = GetPath(*out, ts.read_path);
        } else if (out.status().code() != StatusCode::kNotFound) {
          return out.status();
        }
      } else {
        api = GetPath(item, ts.read_path);
      }
      Json all = aws_spec::TagsFromApi(api, ts);
      Json tags = all;
      for (const auto& [k, v] : ctx_.default_tags()) {
        if (tags.contains(k) && tags[k] == v &&
            !(prior.contains("tags") && prior["tags"].is_object() && prior["tags"].contains(k))) {
          tags.erase(k);
        }
      }
      state["tags_all"] = all;
      if (!tags.empty() || prior.contains("tags")) {
        state["tags"] = tags;
      }
    }
    // Arguments the API does not keep (update_default_version, force_destroy) stay as set.
    for (auto it = prior.begin(); it != prior.end(); ++it) {
      if (!state.contains(it.key()) && it.key().rfind("__", 0) != 0) {
        state[it.key()] = it.value();
      }
    }
    if (spec.after_read) {
      state["__item"] = item;
      Status s = spec.after_read(ctx_, spec, prior, state);
      state.erase("__item");
      RETURN_IF_ERROR(s);
    }
    return state;
  }

  // Reads back what a mutating step left; pending while the ready waiter does not match.
  Result<StepResult> Settle(const TypeSpec& spec, const Json& prior, bool deleting) {
    ASSIGN_OR_RETURN(auto items, ReadItems(spec, {prior}));
    if (!items[0].has_value()) {
      return NotFoundError(spec.type + " " + Str(prior, "id") +
                           " is not there after it was created");
    }
    StepResult result;
    ASSIGN_OR_RETURN(result.state, MapItem(spec, *items[0], prior));
    ASSIGN_OR_RETURN(aws::WaiterAcceptor::State st,
                     Match(spec, deleting ? spec.gone_waiter : spec.ready_waiter, *items[0]));
    if (st == aws::WaiterAcceptor::State::kFailure) {
      return ConflictError(spec.type + " " + Str(prior, "id") +
                           " failed: " + GetPath(*items[0], spec.read.state_path).dump());
    }
    result.pending = st != aws::WaiterAcceptor::State::kSuccess;
    return result;
  }

  // Which acceptor of the waiter matches the item (success when there is no waiter).
  Result<aws::WaiterAcceptor::State> Match(const TypeSpec& spec, const std::string& waiter,
                                           const Json& item) {
    if (waiter.empty()) {
      Json st = GetPath(item, spec.read.state_path);
      const auto& pending = spec.read.pending_states;
      if (st.is_string() &&
          std::find(pending.begin(), pending.end(), st.get<std::string>()) != pending.end()) {
        return aws::WaiterAcceptor::State::kRetry;
      }
      return aws::WaiterAcceptor::State::kSuccess;
    }
    ASSIGN_OR_RETURN(aws::WaiterConfig config, ctx_.Waiter(spec.service, waiter));
    aws::WaiterPoll poll;
    if (!spec.read.list.empty()) {
      SetPath(poll.output, spec.read.list, Json::array({item}));
    } else if (!spec.read.object.empty()) {
      SetPath(poll.output, spec.read.object, item);
    } else {
      poll.output = item;
    }
    std::optional<aws::WaiterAcceptor::State> st = aws::MatchAcceptors(config, poll);
    return st.value_or(aws::WaiterAcceptor::State::kRetry);
  }

  Status DeleteNow(const TypeSpec& spec, const Json& state) {
    if (spec.custom_delete) {
      return spec.custom_delete(ctx_, spec, state);
    }
    if (spec.before_delete) {
      Json copy = state;
      Status s = spec.before_delete(ctx_, spec, state, copy);
      if (!s.ok() && s.code() != StatusCode::kNotFound) {
        return s;
      }
    }
    if (spec.delete_op.empty()) {
      return OkStatus();
    }
    ASSIGN_OR_RETURN(std::string account, AccountIfNeeded(spec));
    TemplateVars vars{.id = Str(state, "id"), .attrs = &state, .account = account};
    Json params = aws_spec::Fill(ctx_, spec.delete_params, vars);
    auto deadline = std::chrono::steady_clock::now() + spec.delete_retry_for;
    auto pause = std::chrono::milliseconds(200);
    while (true) {
      Result<Json> out = ctx_.Call(spec.service, spec.delete_op, params);
      if (out.ok() || IsGone(out.status(), spec)) {
        return OkStatus();
      }
      const std::vector<std::string>& later = spec.delete_retry_codes;
      if (std::find(later.begin(), later.end(), AwsContext::ErrorCode(out.status())) ==
              later.end() ||
          std::chrono::steady_clock::now() + pause > deadline) {
        return out.status();
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(5000));
    }
  }

  // Tags from `have` to `want` with the type's tag and untag operations.
  Status TagChanges(const TypeSpec& spec, const Json& state, const Json& have, const Json& want) {
    const TagSpec& ts = spec.tags;
    ASSIGN_OR_RETURN(std::string account, AccountIfNeeded(spec));
    TemplateVars vars{.id = Str(state, "id"), .attrs = &state, .account = account};
    if (ts.tag_op_replaces) {
      if (want.empty()) {
        return ctx_.Call(spec.service, ts.untag_op, aws_spec::Fill(ctx_, ts.untag_params, vars))
            .status();
      }
      Json params = aws_spec::Fill(ctx_, ts.tag_params, vars);
      SetPath(params, ts.tag_member, TagsToList(want, ts));
      return ctx_.Call(spec.service, ts.tag_op, params).status();
    }
    std::vector<std::string> removed;
    for (auto it = have.begin(); it != have.end(); ++it) {
      if (!want.contains(it.key())) {
        removed.push_back(it.key());
      }
    }
    Json added = Json::object();
    for (auto it = want.begin(); it != want.end(); ++it) {
      if (!have.contains(it.key()) || have[it.key()] != it.value()) {
        added[it.key()] = it.value();
      }
    }
    if (!removed.empty()) {
      Json params = aws_spec::Fill(ctx_, ts.untag_params, vars);
      if (ts.untag_op == "DeleteTags" || ts.untag_op == "RemoveTagsFromCertificate") {
        // EC2 and ACM take tag objects
        Json list = Json::array();
        for (const std::string& k : removed) {
          list.push_back({{"Key", k}});
        }
        params["Tags"] = list;
      } else {
        SetPath(params, ts.untag_member, removed);
      }
      RETURN_IF_ERROR(ctx_.Call(spec.service, ts.untag_op, params));
    }
    if (!added.empty()) {
      Json params = aws_spec::Fill(ctx_, ts.tag_params, vars);
      SetPath(params, ts.tag_member, TagsToList(added, ts));
      RETURN_IF_ERROR(ctx_.Call(spec.service, ts.tag_op, params));
    }
    return OkStatus();
  }

  AwsContext ctx_;
  std::map<std::string, TypeSpec, std::less<>> specs_;
  std::mutex mu_;
  std::set<std::string> deleting_;  // "type/id" deleted and not yet gone; guarded by mu_
};

}  // namespace

std::vector<std::string> AwsProviderTypes() {
  std::vector<std::string> types;
  for (const TypeSpec& spec : AllSpecs()) {
    types.push_back(spec.type);
  }
  std::sort(types.begin(), types.end());
  return types;
}

std::unique_ptr<ResourceProvider> MakeAwsProvider(aws::Client& client, AwsProviderOptions options) {
  return std::make_unique<AwsProvider>(client, std::move(options));
}

}  // namespace cf::provider
