#include "cli/command.h"

#include <fmt/core.h>

#include <utility>

namespace cf::cli {

namespace {

using Rows = std::vector<std::pair<std::string, std::string>>;

// The help layout clusterform has always printed (CLI11's): the description, the usage line,
// then sections of two columns, the left one 30 wide with its text on a line of its own when
// it does not fit.
struct HelpPage {
  std::string description;
  std::string usage;
  Rows positionals;
  Rows options;
  Rows subcommands;
};

void AppendSection(std::string& out, const char* title, const Rows& rows) {
  if (rows.empty()) {
    return;
  }
  constexpr size_t kWidth = 30;
  out += title;
  out += ":\n";
  for (const auto& [left, right] : rows) {
    std::string cell = "  " + left;
    out += cell;
    if (cell.size() >= kWidth) {
      out += "\n" + std::string(kWidth, ' ');
    } else {
      out += std::string(kWidth - cell.size(), ' ');
    }
    out += right + "\n";
  }
  out += "\n";
}

std::string Render(const HelpPage& page) {
  std::string out;
  if (!page.description.empty()) {
    out += page.description + "\n";
  }
  out += "Usage: " + page.usage + "\n\n";
  AppendSection(out, "Positionals", page.positionals);
  AppendSection(out, "Options", page.options);
  AppendSection(out, "Subcommands", page.subcommands);
  return out;
}

const std::pair<std::string, std::string> kHelpRow = {"-h,--help",
                                                      "Print this help message and exit"};

std::string LevelHelp(const CommandLevel& level) {
  HelpPage page;
  page.description = level.description;
  page.usage = level.path + " [OPTIONS] SUBCOMMAND";
  page.options.push_back(kHelpRow);
  if (level.top) {
    page.options.emplace_back("--version", "Display program version information and exit");
  }
  for (const Command& command : level.table) {
    page.subcommands.emplace_back(command.name, command.summary);
  }
  return Render(page);
}

int UsageError(const CommandLevel& level, const std::string& message, const Io& io) {
  fmt::print(io.err, "{}: {}\nRun '{} --help' for the commands.\n", level.path, message,
             level.path);
  return 2;
}

}  // namespace

std::string CommandHelp(const std::string& path, const std::string& summary, const FlagSpec& spec) {
  HelpPage page;
  page.description = summary;
  page.usage = path + " [OPTIONS]";
  for (const Positional& positional : spec.positionals) {
    page.usage += " " + positional.name;
    page.positionals.emplace_back(positional.name + " TEXT REQUIRED", positional.help);
  }
  page.options.push_back(kHelpRow);
  for (const Flag& flag : spec.flags) {
    if (!flag.help.empty()) {
      page.options.emplace_back("--" + flag.name + (flag.takes_value ? " " + flag.value_type : ""),
                                flag.help);
    }
  }
  return Render(page);
}

int Dispatch(const CommandLevel& level, const std::vector<std::string>& args,
             const CommandContext& context) {
  const Io& io = context.io;
  // Options before the command word: help, or (top level) the version.
  size_t first = 0;
  bool help = false;
  bool version = false;
  while (first < args.size() && !args[first].empty() && args[first][0] == '-') {
    help = help || IsHelpFlag(args[first]);
    version = version || (level.top && args[first] == "--version");
    ++first;
  }
  if (help) {
    fmt::print(io.out, "{}", LevelHelp(level));
    return 0;
  }
  if (version) {
    fmt::print(io.out, "clusterform {}\n", kVersion);
    return 0;
  }
  if (first > 0 || args.empty()) {
    return UsageError(level, level.top ? "A subcommand is required" : "a subcommand is required",
                      io);
  }
  const std::string& name = args[0];
  for (const Command& command : level.table) {
    if (name != command.name) {
      continue;
    }
    std::vector<std::string> rest(args.begin() + 1, args.end());
    std::string path = level.path + " " + command.name;
    if (command.subcommands != nullptr) {
      return Dispatch(CommandLevel{path, command.summary, command.subcommands()}, rest, context);
    }
    Result<ParsedFlags> parsed = ParseFlags(rest, command.flags());
    if (parsed.ok() && parsed->help) {
      fmt::print(io.out, "{}", CommandHelp(path, command.summary, command.flags()));
      return 0;
    }
    return command.run(rest, context);
  }
  return UsageError(level, fmt::format("unknown command \"{}\"", name), io);
}

}  // namespace cf::cli
