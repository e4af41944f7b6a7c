#include "cloud/core/random.h"

namespace cf::cloud {

SeededRandom::SeededRandom() {
  std::random_device device;
  engine_.seed((static_cast<uint64_t>(device()) << 32) ^ device());
}

SeededRandom::SeededRandom(uint64_t seed) : engine_(seed) {}

uint64_t SeededRandom::Next() {
  std::lock_guard<std::mutex> lock(mu_);
  return engine_();
}

void SeededRandom::Reseed(uint64_t seed) {
  std::lock_guard<std::mutex> lock(mu_);
  engine_.seed(seed);
}

}  // namespace cf::cloud
