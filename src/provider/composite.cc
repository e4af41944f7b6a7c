#include "provider/composite.h"

#include <fmt/format.h>

namespace cf::provider {

ResourceProvider* CompositeProvider::For(std::string_view type) const {
  for (ResourceProvider* p : providers_) {
    if (p->Supports(type)) {
      return p;
    }
  }
  return nullptr;
}

Status CompositeProvider::Unsupported(std::string_view type) const {
  return InvalidArgumentError(
      fmt::format("clusterform cannot manage resources of type \"{}\"", type));
}

bool CompositeProvider::Supports(std::string_view type) const {
  return For(type) != nullptr;
}

std::string CompositeProvider::Pool(std::string_view type) const {
  ResourceProvider* p = For(type);
  return p != nullptr ? p->Pool(type) : std::string("unsupported");
}

UpdateRules CompositeProvider::Rules(std::string_view type) const {
  ResourceProvider* p = For(type);
  return p != nullptr ? p->Rules(type) : UpdateRules{};
}

Result<StepResult> CompositeProvider::Create(const InstanceRef& ref, const Json& config) {
  ResourceProvider* p = For(ref.type);
  return p != nullptr ? p->Create(ref, config) : Result<StepResult>(Unsupported(ref.type));
}

Result<std::vector<std::optional<Json>>> CompositeProvider::Read(std::string_view type,
                                                                 const std::vector<Json>& states) {
  ResourceProvider* p = For(type);
  if (p == nullptr) {
    return Unsupported(type);
  }
  return p->Read(type, states);
}

Result<StepResult> CompositeProvider::Update(const InstanceRef& ref, const Json& prior,
                                             const Json& config) {
  ResourceProvider* p = For(ref.type);
  return p != nullptr ? p->Update(ref, prior, config) : Result<StepResult>(Unsupported(ref.type));
}

Result<StepResult> CompositeProvider::Delete(const InstanceRef& ref, const Json& state) {
  ResourceProvider* p = For(ref.type);
  return p != nullptr ? p->Delete(ref, state) : Result<StepResult>(Unsupported(ref.type));
}

Result<std::vector<PollResult>> CompositeProvider::Poll(std::string_view type,
                                                        const std::vector<Json>& states) {
  ResourceProvider* p = For(type);
  if (p == nullptr) {
    return Unsupported(type);
  }
  return p->Poll(type, states);
}

Result<std::optional<Json>> CompositeProvider::Find(const InstanceRef& ref, const Json& config) {
  ResourceProvider* p = For(ref.type);
  if (p == nullptr) {
    return Unsupported(ref.type);
  }
  return p->Find(ref, config);
}

Result<Json> CompositeProvider::Import(std::string_view type, std::string_view id) {
  ResourceProvider* p = For(type);
  return p != nullptr ? p->Import(type, id) : Result<Json>(Unsupported(type));
}

}  // namespace cf::provider
