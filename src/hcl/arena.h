#pragma once

// A bump allocator for AST nodes. Objects allocated here are never destroyed: only
// trivially destructible types may be allocated (the AST uses string_view and span, never
// std::string or std::vector, inside nodes). Memory is released when the Arena is destroyed.
// Not thread-safe.

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace cf::hcl {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Raw storage of `size` bytes aligned to `align` (a power of two, at most 16).
  void* Allocate(size_t size, size_t align) {
    size_t p = (pos_ + align - 1) & ~(align - 1);
    if (p + size > cap_) {
      NewBlock(size + align);
      p = (pos_ + align - 1) & ~(align - 1);
    }
    pos_ = p + size;
    return cur_ + p;
  }

  template <typename T, typename... Args>
  T* New(Args&&... args) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    return new (Allocate(sizeof(T), alignof(T))) T(std::forward<Args>(args)...);
  }

  // Copies `items` into the arena and returns a span over the copy.
  template <typename T>
  std::span<const T> CopySpan(std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (items.empty()) {
      return {};
    }
    T* out = static_cast<T*>(Allocate(sizeof(T) * items.size(), alignof(T)));
    std::memcpy(static_cast<void*>(out), items.data(), sizeof(T) * items.size());
    return {out, items.size()};
  }

  // Copies `text` into the arena.
  std::string_view CopyString(std::string_view text) {
    if (text.empty()) {
      return {};
    }
    char* out = static_cast<char*>(Allocate(text.size(), 1));
    std::memcpy(out, text.data(), text.size());
    return {out, text.size()};
  }

  // Bytes handed out so far, across blocks (for tests and benchmarks).
  size_t bytes_used() const { return used_before_ + pos_; }

 private:
  void NewBlock(size_t at_least) {
    size_t size = next_block_size_;
    if (size < at_least) {
      size = at_least;
    }
    if (next_block_size_ < (size_t{1} << 20)) {
      next_block_size_ *= 2;
    }
    blocks_.push_back(std::make_unique<std::max_align_t[]>(size / sizeof(std::max_align_t) + 1));
    used_before_ += pos_;
    cur_ = reinterpret_cast<char*>(blocks_.back().get());
    pos_ = 0;
    cap_ = size;
  }

  std::vector<std::unique_ptr<std::max_align_t[]>> blocks_;
  char* cur_ = nullptr;
  size_t pos_ = 0;
  size_t cap_ = 0;
  size_t used_before_ = 0;
  size_t next_block_size_ = 4096;
};

}  // namespace cf::hcl
