#include "aws/http.h"

#include <strings.h>

namespace cf::aws {
namespace {

bool NameEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

const std::string* FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const HttpHeader& header : headers) {
    if (NameEquals(header.name, name)) {
      return &header.value;
    }
  }
  return nullptr;
}

void SetHeader(HttpHeaders* headers, std::string_view name, std::string value) {
  bool done = false;
  for (auto it = headers->begin(); it != headers->end();) {
    if (NameEquals(it->name, name)) {
      if (!done) {
        it->value = std::move(value);
        done = true;
        ++it;
      } else {
        it = headers->erase(it);
      }
    } else {
      ++it;
    }
  }
  if (!done) {
    headers->push_back({std::string(name), std::move(value)});
  }
}

std::pair<std::string_view, std::string_view> SplitPathAndQuery(std::string_view path) {
  size_t q = path.find('?');
  if (q == std::string_view::npos) {
    return {path, std::string_view()};
  }
  return {path.substr(0, q), path.substr(q + 1)};
}

}  // namespace cf::aws
