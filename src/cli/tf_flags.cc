#include "cli/tf_flags.h"

namespace cf::cli {

std::string ParsedFlags::Last(const std::string& name, const std::string& fallback) const {
  std::string out = fallback;
  for (const auto& [n, v] : values) {
    if (n == name) {
      out = v;
    }
  }
  return out;
}

Result<ParsedFlags> ParseFlags(const std::vector<std::string>& args, const FlagSpec& spec) {
  ParsedFlags flags;
  bool have_dir = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() < 2 || arg[0] != '-') {
      if (have_dir) {
        return InvalidArgumentError("unexpected argument \"" + arg +
                                    "\": only one configuration directory may be given");
      }
      flags.dir = arg;
      have_dir = true;
      continue;
    }
    std::string name = arg.substr(arg[1] == '-' ? 2 : 1);
    std::string value;
    bool has_inline_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline_value = true;
    }
    if (spec.booleans.count(name) > 0) {
      if (has_inline_value && value != "true" && value != "false") {
        return InvalidArgumentError("-" + name + ": expected true or false, got \"" + value + "\"");
      }
      if (!has_inline_value || value == "true") {
        flags.booleans.insert(name);
      } else {
        flags.booleans.erase(name);
      }
      continue;
    }
    if (spec.with_value.count(name) == 0) {
      return InvalidArgumentError("unknown flag \"" + arg + "\"");
    }
    if (!has_inline_value) {
      if (i + 1 >= args.size()) {
        return InvalidArgumentError("-" + name + " needs a value");
      }
      value = args[++i];
    }
    flags.values.emplace_back(name, value);
  }
  return flags;
}

}  // namespace cf::cli
