#pragma once

// A ResourceProvider that routes each type to the first of its providers that Supports it
// (the local types, then AWS). A type no provider supports: every call is InvalidArgument
// naming it. Thread-safe when its providers are.

#include <vector>

#include "provider/resource_provider.h"

namespace cf::provider {

class CompositeProvider : public ResourceProvider {
 public:
  // The providers must outlive this one; order decides who serves a type.
  explicit CompositeProvider(std::vector<ResourceProvider*> providers)
      : providers_(std::move(providers)) {}

  bool Supports(std::string_view type) const override;
  std::string Pool(std::string_view type) const override;
  UpdateRules Rules(std::string_view type) const override;
  Result<StepResult> Create(const InstanceRef& ref, const Json& config) override;
  Result<std::vector<std::optional<Json>>> Read(std::string_view type,
                                                const std::vector<Json>& states) override;
  Result<StepResult> Update(const InstanceRef& ref, const Json& prior, const Json& config) override;
  Result<StepResult> Delete(const InstanceRef& ref, const Json& state) override;
  Result<std::vector<PollResult>> Poll(std::string_view type,
                                       const std::vector<Json>& states) override;
  Result<std::optional<Json>> Find(const InstanceRef& ref, const Json& config) override;
  Result<Json> Import(std::string_view type, std::string_view id) override;

 private:
  ResourceProvider* For(std::string_view type) const;
  Status Unsupported(std::string_view type) const;
  std::vector<ResourceProvider*> providers_;
};

}  // namespace cf::provider
