#include "cli/flags.h"

namespace cf::cli {

Flag ValueFlag(std::string name, std::string help, std::string value_type) {
  return Flag{std::move(name), true, std::move(help), std::move(value_type)};
}

Flag BooleanFlag(std::string name, std::string help) {
  return Flag{std::move(name), false, std::move(help), ""};
}

const Flag* FlagSpec::Find(const std::string& name) const {
  for (const Flag& flag : flags) {
    if (flag.name == name) {
      return &flag;
    }
  }
  return nullptr;
}

bool ParsedFlags::Given(const std::string& name) const {
  for (const auto& [n, v] : values) {
    if (n == name) {
      return true;
    }
  }
  return false;
}

std::string ParsedFlags::Last(const std::string& name, const std::string& fallback) const {
  std::string out = fallback;
  for (const auto& [n, v] : values) {
    if (n == name) {
      out = v;
    }
  }
  return out;
}

bool IsHelpFlag(const std::string& arg) {
  return arg == "-h" || arg == "-help" || arg == "--help";
}

Result<ParsedFlags> ParseFlags(const std::vector<std::string>& args, const FlagSpec& spec) {
  ParsedFlags flags;
  bool have_dir = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (IsHelpFlag(arg)) {
      flags.help = true;
      return flags;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      if (flags.positionals.size() < spec.positionals.size() || spec.more_positionals) {
        flags.positionals.push_back(arg);
        continue;
      }
      if (!spec.directory) {
        return InvalidArgumentError("unexpected argument \"" + arg + "\"");
      }
      if (have_dir) {
        return InvalidArgumentError("unexpected argument \"" + arg +
                                    "\": only one configuration directory may be given");
      }
      flags.dir = arg;
      have_dir = true;
      continue;
    }
    std::string dashes = arg[1] == '-' ? "--" : "-";
    std::string name = arg.substr(dashes.size());
    std::string value;
    bool has_inline_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline_value = true;
    }
    const Flag* flag = spec.Find(name);
    if (flag == nullptr) {
      return InvalidArgumentError("unknown flag \"" + arg + "\"");
    }
    if (!flag->takes_value) {
      if (has_inline_value && value != "true" && value != "false") {
        return InvalidArgumentError(dashes + name + ": expected true or false, got \"" + value +
                                    "\"");
      }
      if (!has_inline_value || value == "true") {
        flags.booleans.insert(name);
      } else {
        flags.booleans.erase(name);
      }
      continue;
    }
    if (!has_inline_value) {
      if (i + 1 >= args.size()) {
        return InvalidArgumentError(dashes + name + " needs a value");
      }
      value = args[++i];
    }
    flags.values.emplace_back(name, value);
  }
  if (flags.positionals.size() < spec.positionals.size()) {
    return InvalidArgumentError(spec.positionals[flags.positionals.size()].name + " is required");
  }
  return flags;
}

}  // namespace cf::cli
