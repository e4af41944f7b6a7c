#pragma once

// An InstanceRuntime for tests: nothing runs; every booted instance is "alive" until Kill or
// Halt, and each boot is recorded.

#include <map>
#include <mutex>
#include <vector>

#include "cloud/ec2/instance_runtime.h"

namespace cf::cloud::ec2 {

class FakeInstanceRuntime : public InstanceRuntime {
 public:
  Status Boot(const BootSpec& spec) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fail_boots_ > 0) {
      --fail_boots_;
      return UnavailableError("fake runtime: told to fail");
    }
    boots_.push_back(spec);
    alive_[spec.instance_id] = true;
    return OkStatus();
  }
  void Halt(const std::string& instance_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    alive_.erase(instance_id);
  }
  Status Kill(const std::string& instance_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = alive_.find(instance_id);
    if (it == alive_.end() || !it->second) {
      return NotFoundError("not running: " + instance_id);
    }
    it->second = false;
    return OkStatus();
  }
  std::optional<bool> Alive(const std::string& instance_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = alive_.find(instance_id);
    if (it == alive_.end()) {
      return std::nullopt;
    }
    return it->second;
  }
  std::string ConsoleOutput(const std::string& instance_id) const override {
    return "console of " + instance_id + "\n";
  }

  std::vector<BootSpec> boots() const {
    std::lock_guard<std::mutex> lock(mu_);
    return boots_;
  }
  // The number of instances booted and not halted (dead or alive).
  size_t hosted() const {
    std::lock_guard<std::mutex> lock(mu_);
    return alive_.size();
  }
  void FailBoots(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_boots_ = n;
  }

 private:
  mutable std::mutex mu_;
  std::vector<BootSpec> boots_;        // guarded by mu_
  std::map<std::string, bool> alive_;  // guarded by mu_
  int fail_boots_ = 0;                 // guarded by mu_
};

}  // namespace cf::cloud::ec2
