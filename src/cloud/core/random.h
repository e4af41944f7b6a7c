#pragma once

// The local cloud's source of randomness (identifiers, fault injection), behind an interface
// so tests can seed it and get exact, repeatable runs.

#include <cstdint>
#include <mutex>
#include <random>

namespace cf::cloud {

class Random {
 public:
  virtual ~Random() = default;
  // 64 uniformly random bits.
  virtual uint64_t Next() = 0;
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
};

// A Mersenne twister. Seeded: the same sequence every run; unseeded: from std::random_device.
// Thread-safe.
class SeededRandom : public Random {
 public:
  SeededRandom();
  explicit SeededRandom(uint64_t seed);
  uint64_t Next() override;
  void Reseed(uint64_t seed);

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;  // guarded by mu_
};

}  // namespace cf::cloud
